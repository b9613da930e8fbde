"""The auditor's pages, their views: a finding row of ``pg_findings`` as the page shows it.

Rendered with Jinja2 and ``autoescape=True``: every piece of document text is escaped;
the only markup added to document text is ``<mark>`` around the figures of a finding's
observed values in the lines the finding involves (see :func:`highlight_line`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from markupsafe import Markup, escape

from ingest.text import nfc

# A figure as written in the documents: "5.327", "99,95", "13.5", "01", "1.288".
_NUMBER_TOKEN = re.compile(r"-?[0-9]+(?:[.,][0-9]+)*")
_VN_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_EN_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_COMMA_DECIMAL = re.compile(r"[0-9]+(?:,[0-9]+)?")
_POINT_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")


def number_readings(token: str) -> set[Decimal]:
    """Every value a figure token can mean: "4.823" is 4823 (thousands) or 4.823 (decimal).

    A leading "-" may be a minus sign or a dash ("- 12", "2021-2022"): both readings count.
    """
    if token.startswith("-"):
        unsigned = number_readings(token[1:])
        return unsigned | {-n for n in unsigned}
    readings: set[Decimal] = set()
    if _VN_THOUSANDS.fullmatch(token):
        readings.add(Decimal(token.replace(".", "").replace(",", ".")))
    if _COMMA_DECIMAL.fullmatch(token):
        readings.add(Decimal(token.replace(",", ".")))
    if _POINT_DECIMAL.fullmatch(token):
        readings.add(Decimal(token))
    if _EN_THOUSANDS.fullmatch(token):
        readings.add(Decimal(token.replace(",", "")))
    return readings


def observed_numbers(observed: dict[str, Any]) -> set[Decimal]:
    """The numeric observed values of a finding (numbers, or the figures of a value as written)."""
    numbers: set[Decimal] = set()
    for value in observed.values():
        if isinstance(value, bool) or value is None:
            continue
        try:
            numbers.add(Decimal(str(value).strip()))
        except InvalidOperation:
            # a value as written ("100%", "2.953 hồ sơ"): the figures it contains
            for token in _NUMBER_TOKEN.findall(str(value)):
                numbers |= number_readings(token)
    return {n for n in numbers if n.is_finite()}


def highlight_line(text: str, numbers: set[Decimal]) -> Markup:
    """The line escaped, with ``<mark>`` around every figure that reads as one of ``numbers``."""
    out: list[str] = []
    pos = 0
    for match in _NUMBER_TOKEN.finditer(text):
        if numbers & number_readings(match.group()):
            out.append(str(escape(text[pos : match.start()])))
            out.append(f'<mark class="obs">{escape(match.group())}</mark>')
            pos = match.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


@dataclass(frozen=True)
class QuotedLine:
    line_no: int
    involved: bool
    gap_before: bool  # lines are left out between the previous quoted line and this one
    html: Markup  # escaped text; on involved lines the figures of the observed values are marked
    place: str = ""  # where the line stands in an original document (DOCX/XLSX/PDF); "" for text files


@dataclass(frozen=True)
class IndicatorName:
    code: str
    name_vi: str
    name_en: str

    def name(self, lang: str) -> str:
        """The name in ``lang`` (the other language, then the code, when missing)."""
        first, second = (self.name_vi, self.name_en) if lang == "vi" else (self.name_en, self.name_vi)
        return first or second or self.code

    def other_name(self, lang: str) -> str:
        other = self.name_en if lang == "vi" else self.name_vi
        return "" if other == self.name(lang) else other


@dataclass(frozen=True)
class FindingRow:
    """One finding (or resolved finding) as a table row of a findings page."""

    finding_key: str
    finding_id: str
    status: str  # new | open | resolved
    rule_id: str
    rule_kind: str
    severity: str
    rule_vi: str
    rule_en: str
    report_id: str
    source_file: str
    unit_code: str
    unit_name: str
    province: str
    period_key: str
    line_start: int | None
    line_end: int | None
    indicators: tuple[IndicatorName, ...]
    observed: tuple[tuple[str, str], ...]
    expected: str
    message: str
    quoted: tuple[QuotedLine, ...]
    missing_lines: tuple[int, ...] = ()  # involved lines that raw.line_classes does not have
    value_places: tuple[str, ...] = ()  # the cells of the values in an original document (DOCX/XLSX/PDF)
    message_vi: str = ""  # the message in Vietnamese ("" from a warehouse built before it existed)

    @property
    def lines_text(self) -> str:
        if self.line_start is None:
            return ""
        if self.line_end is None or self.line_end == self.line_start:
            return str(self.line_start)
        return f"{self.line_start}–{self.line_end}"

    def values(self) -> tuple[tuple[IndicatorName | None, str, str], ...]:
        """(indicator, label, value) of each observed value: the finding's indicators first, in order."""
        observed = dict(self.observed)
        named = tuple((i, i.code, observed.pop(i.code, "–")) for i in self.indicators)
        return named + tuple((None, label, value) for label, value in observed.items())

    def message_text(self, lang: str) -> str:
        """The message in the page's language: Vietnamese on the vi page when there is one, else English."""
        return self.message_vi if lang == "vi" and self.message_vi else self.message

    def rule_text(self, lang: str) -> str:
        first, second = (self.rule_vi, self.rule_en) if lang == "vi" else (self.rule_en, self.rule_vi)
        return first or second


def _decode_observed(value: Any) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    try:
        decoded = json.loads(str(value), parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError:
        return {"": str(value)}
    return decoded if isinstance(decoded, dict) else {"": decoded}


def _format_value(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return nfc(str(value))


def _text(value: Any) -> str:
    return "" if value is None else nfc(str(value))


def finding_row(row: dict[str, Any]) -> FindingRow:
    """A ``pg_findings`` row (or a ``pg_resolved`` row, with status 'resolved') as the page shows it."""
    observed = _decode_observed(row.get("observed"))
    numbers = observed_numbers(observed)
    return FindingRow(
        finding_key=_text(row.get("finding_key")),
        finding_id=_text(row.get("finding_id")),
        status=_text(row.get("status")) or "resolved",
        rule_id=_text(row.get("rule_id")),
        rule_kind=_text(row.get("rule_kind")),
        severity=_text(row.get("severity")),
        rule_vi=_text(row.get("rule_vi")),
        rule_en=_text(row.get("rule_en")),
        report_id=_text(row.get("report_id")),
        source_file=_text(row.get("source_file")),
        unit_code=_text(row.get("unit_code")),
        unit_name=_text(row.get("unit_name")),
        province=_text(row.get("province")),
        period_key=_text(row.get("period_key")),
        line_start=row.get("line_start"),
        line_end=row.get("line_end"),
        indicators=tuple(
            IndicatorName(_text(i["code"]).strip(), _text(i["name_vi"]), _text(i["name_en"]))
            for i in row.get("indicators") or []
        ),
        observed=tuple((nfc(str(k)), _format_value(v)) for k, v in observed.items()),
        expected=_text(row.get("expected")),
        message=_text(row.get("message")),
        message_vi=_text(row.get("message_vi")),
        quoted=quoted_lines(row.get("quoted") or [], numbers),
        missing_lines=tuple(int(n) for n in row.get("missing_lines") or []),
        value_places=tuple(p for p in _text(row.get("value_places")).split("; ") if p),
    )


def quoted_lines(lines: list[dict[str, Any]], numbers: set[Decimal]) -> tuple[QuotedLine, ...]:
    """The quoted lines in order, involved ones with their observed figures marked."""
    quoted = []
    previous: int | None = None
    for line in lines:
        line_no = int(line["line_no"])
        text = _text(line["text"])
        involved = bool(line["involved"])
        html = highlight_line(text, numbers) if involved else Markup(escape(text))
        gap = previous is not None and line_no > previous + 1
        quoted.append(QuotedLine(line_no, involved, gap, html, _text(line.get("place") or "")))
        previous = line_no
    return tuple(quoted)
