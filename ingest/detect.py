"""Which template family a report belongs to, and parsing a report with it.

Every family parser scores a text (0..1) from structural markers; the best family
wins when it is sure enough and clearly ahead of the runner-up. The document's own
statement of unit and period (header.py) is added to the parse result here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NoReturn

from ingest.errors import LegacyEncodingError, NotATextReportError, ParseError, TemplateDetectionError
from ingest.header import detect_header
from ingest.records import ParseResult
from ingest.sniff import format_problem, legacy_font_encoding, legacy_font_problem, sniff_format
from ingest.text import nfc, split_lines

if TYPE_CHECKING:
    from ingest.families.contract import TemplateFamily

MIN_SCORE = 0.5  # the winner must be at least this sure
MIN_MARGIN = 0.15  # ... and this far ahead of the runner-up
AUTO = "auto"


@dataclass(frozen=True)
class Detection:
    """A parsed report and how its family was chosen."""

    family: str
    score: float  # the chosen family's own score of the text
    scores: Mapping[str, float]  # every family's score (empty when the family was named)
    result: ParseResult


def _families() -> Mapping[str, TemplateFamily]:
    from ingest.families import FAMILIES  # imported late: the registry imports every parser

    return FAMILIES


def expected_markers(families: Mapping[str, TemplateFamily]) -> str:
    """One line naming what each family looks for: ``name (marker, marker); name (...)``."""
    return "; ".join(f"{name} ({', '.join(family.markers)})" for name, family in families.items())


def decode_report(data: bytes, source_file: str) -> str:
    """Bytes of a report file to NFC text; anything but UTF-8 text is refused saying what it is.

    A PDF, an Office document, a zip, UTF-16 text or binary data raises :class:`NotATextReportError`
    naming the format (see :mod:`ingest.sniff`); so does 8-bit text that reads as Vietnamese in a legacy
    font encoding (TCVN3, VNI). Other text that is not UTF-8 raises :class:`ParseError` with the line
    of the first byte that cannot be decoded (saying so when the file ends inside a UTF-8 sequence).
    """
    problem = format_problem(sniff_format(data), data)
    if problem is not None:
        raise NotATextReportError(problem, source_file=source_file)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _refuse_undecodable(data, exc, source_file)
    return nfc(text.removeprefix("\ufeff"))


def _refuse_undecodable(data: bytes, exc: UnicodeDecodeError, source_file: str) -> NoReturn:
    """Raise the error for bytes that are not UTF-8 (``exc`` is why)."""
    legacy = legacy_font_encoding(data.decode("cp1252", errors="replace"))
    if legacy is not None:
        raise NotATextReportError(legacy_font_problem(legacy), source_file=source_file) from exc
    line = data[: exc.start].count(b"\n") + 1
    if exc.end == len(data) and exc.reason == "unexpected end of data":
        raise ParseError(
            f"not UTF-8 text: the file ends inside a UTF-8 sequence (byte 0x{data[exc.start]:02x}); "
            "it looks truncated: copy it again from the original",
            source_file=source_file,
            line=line,
        ) from exc
    raise ParseError(
        f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded; reports must be UTF-8 text files",
        source_file=source_file,
        line=line,
    ) from exc


def score_families(text: str, families: Mapping[str, TemplateFamily] | None = None) -> dict[str, float]:
    """Every family's score of a text, best first."""
    families = _families() if families is None else families
    scores = {name: float(family.score(text)) for name, family in families.items()}
    return dict(sorted(scores.items(), key=lambda kv: -kv[1]))


def detect_family(
    text: str, source_file: str, families: Mapping[str, TemplateFamily] | None = None
) -> tuple[str, float]:
    """The family of a report text and its score; TemplateDetectionError when none is clear."""
    families = _families() if families is None else families
    family, score, _ = _detect(nfc(text), source_file, families)
    return family, score


def _detect(
    text: str, source_file: str, families: Mapping[str, TemplateFamily]
) -> tuple[str, float, dict[str, float]]:
    """The family of an NFC text, its score and every family's score (each family scores once)."""
    if not text.strip():
        raise TemplateDetectionError(
            "empty file: no text to detect a template family from", source_file=source_file
        )
    scores = score_families(text, families)
    ranked = list(scores.items())
    best_name, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best >= MIN_SCORE and best - runner_up >= MIN_MARGIN:
        return best_name, best, scores
    if best < MIN_SCORE:
        legacy = legacy_font_encoding(text)
        if legacy is not None:
            raise LegacyEncodingError(
                f"no template family: {legacy_font_problem(legacy)}", source_file=source_file
            )
    shown = ", ".join(f"{name}={value:.2f}" for name, value in ranked[:3])
    if best < MIN_SCORE:
        why = f"no template family scores {MIN_SCORE} or more"
    else:
        why = f"{best_name} is not ahead of the runner-up by {MIN_MARGIN}"
    raise TemplateDetectionError(
        f"cannot tell the template family: {why} (scores: {shown}). "
        f"Expected markers: {expected_markers(families)}",
        source_file=source_file,
    )


def detect_and_parse(text: str, source_file: str, template: str = AUTO) -> Detection:
    """Detect (or take the named) family, parse the text, and add the document's header."""
    families = _families()
    text = nfc(text)
    scores: dict[str, float] = {}
    if template == AUTO:
        family, score, scores = _detect(text, source_file, families)
    elif template in families:
        family, score = template, float(families[template].score(text))
    else:
        raise TemplateDetectionError(
            f"unknown template {template!r}; known templates: {', '.join(sorted(families))} (or 'auto')",
            source_file=source_file,
        )
    result = families[family].parse(text, source_file)
    if not isinstance(result, ParseResult):
        raise ParseError(f"parser {family} returned {type(result).__name__}, not a ParseResult")
    result = replace(result, header=detect_header(split_lines(text)))
    return Detection(family=family, score=score, scores=scores, result=result)


def parse_report(text: str, source_file: str, template: str = AUTO) -> ParseResult:
    """Parse one report text (NFC-normalized first) with its detected or named family."""
    return detect_and_parse(text, source_file, template).result
