"""The auditor's page: one self-contained HTML file (inline CSS, no scripts, no external links).

Rendered with Jinja2 and ``autoescape=True``: every piece of document text is escaped;
the only markup added to document text is ``<mark>`` around the figures of a finding's
observed values in the lines the finding involves (see :func:`highlight_line`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from outputs.audit.data import SEVERITIES, STATUSES, AuditData, Evaluation, Finding, SourceLine
from outputs.pages import page_environment

TEMPLATE_NAME = "audit_report.html.j2"
CONTEXT_LINES = 2  # lines quoted above and below each involved line
_MERGE_GAP = 4  # quoted runs closer than this are shown as one block

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
    """The numeric observed values of a finding (numbers, or text that is a plain number)."""
    numbers: set[Decimal] = set()
    for value in observed.values():
        if isinstance(value, bool) or value is None:
            continue
        try:
            numbers.add(Decimal(str(value).strip()))
        except InvalidOperation:
            continue
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
    line_class: str
    involved: bool
    html: Markup  # escaped text, with <mark> on involved lines


@dataclass(frozen=True)
class QuoteBlock:
    """A run of consecutive quoted lines of the source document."""

    lines: tuple[QuotedLine, ...]


@dataclass(frozen=True)
class FindingView:
    anchor: str
    finding: Finding
    observed_rows: tuple[tuple[str, str], ...]  # (indicator, value as text)
    blocks: tuple[QuoteBlock, ...]
    missing_lines: tuple[int, ...]  # involved lines that raw.line_classes does not have


def _shown_runs(involved: tuple[int, ...], available: set[int]) -> list[list[int]]:
    shown = sorted(
        {
            n
            for line in involved
            for n in range(line - CONTEXT_LINES, line + CONTEXT_LINES + 1)
            if n in available
        }
    )
    runs: list[list[int]] = []
    for n in shown:
        if runs and n - runs[-1][-1] <= _MERGE_GAP:
            runs[-1].extend(m for m in range(runs[-1][-1] + 1, n + 1) if m in available)
        else:
            runs.append([n])
    return runs


def quote_blocks(
    involved: tuple[int, ...], lines: dict[int, SourceLine], numbers: set[Decimal]
) -> tuple[QuoteBlock, ...]:
    """The involved lines with a little context, split into blocks where they are far apart."""
    involved_set = set(involved)
    blocks = []
    for run in _shown_runs(involved, set(lines)):
        quoted = []
        for n in run:
            line = lines[n]
            is_involved = n in involved_set
            html = highlight_line(line.text, numbers) if is_involved else Markup(escape(line.text))
            quoted.append(QuotedLine(n, line.line_class, is_involved, html))
        blocks.append(QuoteBlock(tuple(quoted)))
    return tuple(blocks)


def _format_value(value: Any) -> str:
    if value is None:
        return "(missing)"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return str(value)


def finding_views(data: AuditData) -> tuple[FindingView, ...]:
    views = []
    for index, finding in enumerate(data.findings, start=1):
        lines = data.source_lines.get(finding.report_id, {})
        involved = finding.involved_lines
        numbers = observed_numbers(finding.observed)
        views.append(
            FindingView(
                anchor=f"finding-{index}",
                finding=finding,
                observed_rows=tuple((k, _format_value(v)) for k, v in finding.observed.items()),
                blocks=quote_blocks(involved, lines, numbers),
                missing_lines=tuple(n for n in involved if n not in lines),
            )
        )
    return tuple(views)


@dataclass(frozen=True)
class ReportRow:
    report_id: str
    source_file: str
    unit: str
    period_key: str
    template_family: str
    held_out: str
    severities: dict[str, int]
    statuses: dict[str, int]
    validation_failures: int


@dataclass(frozen=True)
class RuleRow:
    rule_id: str
    rule_kind: str
    severity: str
    description_en: str
    description_vi: str
    statuses: dict[str, int]
    findings: int


def report_rows(data: AuditData) -> tuple[ReportRow, ...]:
    rows = []
    for r in data.reports:
        severities = Counter(f.severity for f in data.findings if f.report_id == r.report_id)
        statuses = Counter(e.status for e in data.evaluations if e.report_id == r.report_id)
        unit = " · ".join(x for x in (r.unit_code, r.unit_name) if x) or "(unknown)"
        rows.append(
            ReportRow(
                report_id=r.report_id,
                source_file=r.source_file,
                unit=unit,
                period_key=r.period_key or "(unknown)",
                template_family=r.template_family or "",
                held_out=f"held out: {r.hold_reason or 'yes'}" if r.is_held_out else "",
                severities={s: severities.get(s, 0) for s in SEVERITIES},
                statuses={s: statuses.get(s, 0) for s in STATUSES},
                validation_failures=sum(
                    1 for v in data.validations if v.report_id == r.report_id and not v.success
                ),
            )
        )
    return tuple(rows)


def rule_rows(data: AuditData) -> tuple[RuleRow, ...]:
    catalogue = {r.rule_id: r for r in data.rules}
    seen: dict[str, Evaluation | Finding] = {}
    items: tuple[Evaluation | Finding, ...] = (*data.evaluations, *data.findings)
    for item in items:
        seen.setdefault(item.rule_id, item)
    rows = []
    for rule_id in sorted(set(catalogue) | set(seen)):
        rule = catalogue.get(rule_id)
        example = seen.get(rule_id)
        statuses = Counter(e.status for e in data.evaluations if e.rule_id == rule_id)
        rows.append(
            RuleRow(
                rule_id=rule_id,
                rule_kind=(rule.rule_kind if rule else "") or (example.rule_kind if example else ""),
                severity=(rule.severity if rule else "") or (example.severity if example else ""),
                description_en=rule.description_en if rule else "(not in audit.dq_rules)",
                description_vi=rule.description_vi if rule else "",
                statuses={s: statuses.get(s, 0) for s in STATUSES},
                findings=sum(1 for f in data.findings if f.rule_id == rule_id),
            )
        )
    return tuple(rows)


def _observed_text(observed: dict[str, Any]) -> str:
    return "; ".join(f"{k} = {_format_value(v)}" for k, v in observed.items())


def _environment() -> Environment:
    env = page_environment()
    env.filters["observed_text"] = _observed_text
    return env


def render_audit_html(data: AuditData) -> str:
    """The whole page as one string (UTF-8, self-contained)."""
    template = _environment().get_template(TEMPLATE_NAME)
    severities = Counter(f.severity for f in data.findings)
    statuses = Counter(e.status for e in data.evaluations)
    return template.render(
        data=data,
        severities=SEVERITIES,
        statuses=STATUSES,
        severity_totals={s: severities.get(s, 0) for s in SEVERITIES},
        status_totals={s: statuses.get(s, 0) for s in STATUSES},
        report_rows=report_rows(data),
        report_files={r.report_id: r.source_file for r in data.reports},
        rule_rows=rule_rows(data),
        finding_views=finding_views(data),
        passed=tuple(e for e in data.evaluations if e.status == "passed"),
        skipped=tuple(e for e in data.evaluations if e.status == "skipped"),
        validation_failures=sum(1 for v in data.validations if not v.success),
        dbt_totals=dict(sorted(Counter(t.status for t in data.dbt.tests).items())),
    )
