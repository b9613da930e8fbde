"""Errors of the outputs; they derive from the project's one root, :class:`ingest.errors.CchcError`."""

from __future__ import annotations

from ingest.errors import CchcError


class AuditReportError(CchcError):
    """The audit tables, the run results or the output directory cannot be used."""


class KpiPageError(CchcError):
    """The scorecard cannot be read or the page cannot be written."""


class PublishError(CchcError):
    """The warehouse cannot be published, or the published copy failed its verification."""
