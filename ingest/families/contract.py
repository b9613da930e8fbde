"""The contract every template family implements, and the one way families are declared.

A template family is a layout of the statistics report that several units fill in (``soctrang_2021``,
``national_2023`` ...). The rest of the ingest knows a family only through :class:`TemplateFamily`:

- ``name``: the family's id, as stored in ``raw`` and used by the seeds (``template_rows_<name>.csv``);
- ``markers``: the structural markers the family looks for, a few short phrases; detection errors
  name them so that a person can see why a text is not of the family;
- ``score(text) -> float``: 0..1, how sure the family is that a text is one of its reports (pure,
  cheap, from structural markers, never from one sample's exact wording);
- ``parse(text, source_file) -> ParseResult``: pure, no I/O.

A family module declares itself with a :class:`FamilyParser` bound to a name typed
``TemplateFamily``, so that mypy checks that it conforms; :mod:`ingest.families` lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ingest.records import ParseResult

__all__ = ["FamilyParser", "TemplateFamily"]


class TemplateFamily(Protocol):
    """What the detection and the loader need from a template family."""

    @property
    def name(self) -> str:
        """The family's id (``soctrang_2021`` ...)."""
        ...

    @property
    def markers(self) -> tuple[str, ...]:
        """The structural markers the family looks for, as short phrases for error messages."""
        ...

    def score(self, text: str) -> float:
        """0..1: how sure the family is that ``text`` (NFC) is one of its reports."""
        ...

    def parse(self, text: str, source_file: str) -> ParseResult:
        """The report's statistic rows, narrative blocks and one class per line (pure)."""
        ...


@dataclass(frozen=True)
class FamilyParser:
    """A template family made of its module's ``score`` and ``parse`` functions."""

    name: str
    markers: tuple[str, ...]
    score_text: Callable[[str], float]
    parse_text: Callable[[str, str], ParseResult]

    def score(self, text: str) -> float:
        return float(self.score_text(text))

    def parse(self, text: str, source_file: str) -> ParseResult:
        return self.parse_text(text, source_file)
