"""Exceptions raised by the ingest package.

Every error derives from :class:`CchcError` and carries the file and the line
(1-based) it is about, so that a message always says where the problem is.
"""

from __future__ import annotations


class CchcError(Exception):
    """Root of every error the ingest package raises on purpose."""

    def __init__(self, message: str, *, source_file: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.source_file = source_file
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source_file is not None:
            where = self.source_file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"


class ValueParseError(CchcError):
    """A value cell could not be read as any known way of writing a value."""


class TemplateDetectionError(CchcError):
    """No template family fits the text of a report."""


class ParseError(CchcError):
    """A report's structure could not be parsed by its family's parser."""


class ManifestError(CchcError):
    """The report manifest is missing, malformed or inconsistent."""


class ValidationFailed(CchcError):
    """A Great Expectations expectation failed on the parsed rows of one file."""


class LoadError(CchcError):
    """Writing a parsed report into the warehouse failed; nothing was committed."""


class HandEnteredValueError(CchcError):
    """A row of the hand-entered values CSV is invalid (unknown unit, period, indicator...)."""


class NotATextReportError(ParseError):
    """The file is not a UTF-8 text report but something else: a PDF, an Office document, a zip,
    UTF-16 text, binary data or Vietnamese text in a legacy font encoding (the message says which)."""


class LegacyEncodingError(TemplateDetectionError):
    """The text is Vietnamese typed with a legacy font encoding (TCVN3/ABC, VNI), not Unicode."""
