"""The auditor's report: ``target/audit/`` in Vietnamese (default) and English.

* ``index.html`` / ``index.en.html``: totals; the findings by province x period (a link to each
  page), by province, by period, by rule and by unit (the units with most findings first, at most
  :data:`UNIT_LIMIT`); the unrecognised values, quarantined lines, held-out reports and failed
  files; the checks by rule, the raw-load validation failures and the dbt tests;
* ``findings/<province>_<period>.html`` (and ``.en.html``): the findings of one province and
  period (resolved ones included), drawn by the page's script from its data files
  ``findings/data/<province>_<period>.<part>.js`` (compact JSON, :mod:`outputs.audit.export`), with
  filters, sort, search (kept in the address) and a print stylesheet;
* ``findings.json`` / ``findings.csv``: every finding of the build.

Everything is read with set-based SQL (:mod:`outputs.audit.query`); the findings and the pages'
data are written by DuckDB (``COPY``), never a Python object per finding, so time and memory stay
bounded at national volume (hundreds of thousands of findings). Every file is written atomically.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from outputs.audit.data import SEVERITIES, STATUSES, DbtResults, read_dbt_results
from outputs.audit.export import (
    DATA_DIR,
    DICT_JS,
    write_dictionary,
    write_findings_csv,
    write_findings_json,
    write_page_data,
)
from outputs.audit.query import ALIAS, AuditDb, open_audit_db, page_key
from outputs.errors import AuditReportError
from outputs.files import write_text_atomically
from outputs.i18n import LANGUAGES, N_, other_language, page_environment_for, page_suffix, translator

FAIL_ON_CHOICES: tuple[str, ...] = ("error", "warning")
EXIT_OK = 0
EXIT_FINDINGS = 1  # --fail-on matched findings of that severity (or worse)

INDEX_HTML = "index.html"
FINDINGS_DIR = "findings"
FINDINGS_JSON = "findings.json"
FINDINGS_CSV = "findings.csv"
INDEX_TEMPLATE = "audit_report.html.j2"
PAGE_TEMPLATE = "audit_findings.html.j2"
PAGE_SCRIPT = "audit_findings.js"  # the findings pages' script, one file beside their data
SECTION_LIMIT = 1000  # rows listed per index section (the count says how many there are)
UNIT_LIMIT = 300  # units listed by the index (most findings first), each with a link per period
LINKS_PER_RULE = 30
FINDING_STATUSES: tuple[str, ...] = ("new", "open", "resolved")
# Strings the findings pages' script shows (keys are the script's names; values English message ids).
PAGE_SCRIPT_MESSAGES: dict[str, str] = {
    "unknown_unit": N_("(unknown unit)"),
    "unrecognised": N_("Value not used by any rule: row not recognised"),
    "expected": N_("expected:"),
    "gone": N_("no longer found in this build"),
    "missing_lines": N_("Lines %(lines)s are not in raw.line_classes."),
    "cells": N_("Cells of the values:"),
    "more": N_("Show %(n)s more"),
    "all_rows": N_("Show all"),
    "rendered": N_("The first %(shown)s of %(total)s matching findings are shown."),
    "loading": N_("The page's data files did not load: keep the folder findings/data beside this page."),
}


@dataclass(frozen=True)
class RuleCoverage:
    """One template family's rule coverage (audit.dq_rule_coverage)."""

    template_family: str
    rows_with_values: int
    rows_in_cross_row_rule: int
    rows_type_only: int
    rows_not_mapped: int
    cross_row_coverage_pct: float

    def line(self) -> str:
        return (
            f"rule coverage {self.template_family}: {self.rows_in_cross_row_rule}/{self.rows_with_values} "
            f"rows with a figure in a cross-row rule ({self.cross_row_coverage_pct:.1f} %); "
            f"{self.rows_type_only} type/domain only; {self.rows_not_mapped} rows without indicator listed"
        )


def read_rule_coverage(db: AuditDb) -> tuple[RuleCoverage, ...]:
    """Rule coverage per template family, when the build made the table."""
    if not db.has("audit.dq_rule_coverage"):
        return ()
    rows = db.rows(
        f"select template_family, rows_with_values, rows_in_cross_row_rule, rows_type_only, "
        f"rows_not_mapped, cross_row_coverage_pct from {ALIAS}.audit.dq_rule_coverage order by 1"
    )
    return tuple(RuleCoverage(**row) for row in rows)


@dataclass(frozen=True)
class AuditSummary:
    """What :func:`write_audit_report` wrote; enough for the CLI's message and exit code."""

    out_dir: Path
    index_html: Path
    findings_json: Path
    findings_csv: Path
    report_count: int
    findings_by_severity: dict[str, int] = field(default_factory=dict)
    evaluations_by_status: dict[str, int] = field(default_factory=dict)
    validation_failures: int = 0
    dbt_tests_by_status: dict[str, int] = field(default_factory=dict)
    findings_by_status: dict[str, int] = field(default_factory=dict)
    pages: tuple[Path, ...] = ()
    rule_coverage: tuple[RuleCoverage, ...] = ()

    @property
    def finding_count(self) -> int:
        return sum(self.findings_by_severity.values())


def page_name(province: str, period_key: str, lang: str) -> str:
    """``findings/<province>_<period>[.en].html`` relative to the audit directory."""
    return f"{FINDINGS_DIR}/{page_key(province, period_key)}{page_suffix(lang)}.html"


# --------------------------------------------------------------------------- findings pages


def _page_texts(lang: str) -> dict[str, str]:
    """The strings the findings pages' script shows, in ``lang`` (one source: the catalogues)."""
    tr = translator(lang).gettext
    texts = {key: tr(message) for key, message in PAGE_SCRIPT_MESSAGES.items()}
    texts.update({value: tr(value) for value in (*SEVERITIES, *FINDING_STATUSES)})
    return texts


_SHELL_FIELD = re.compile(r"@@(\w+)@@")
_SHELL_COUNTS = {"error": "errors", "warning": "warnings", "info": "infos", "new": "new", "open": "open",
                 "resolved": "resolved", "total": "total"}  # fmt: skip


@cache
def _shell_template(lang: str) -> str:
    """The findings page of ``lang`` rendered once, with ``@@field@@`` where each page differs.

    Rendering the template per page would cost ~5 ms x 2,500 pages at national volume; each page
    is this text with its fields filled in (HTML-escaped) by :func:`_write_shell`.
    """
    fields = ("province_label", "period_label", "province", "other_name", "part_scripts")
    return (
        page_environment_for(lang)
        .get_template(PAGE_TEMPLATE)
        .render(
            **{f: Markup(f"@@{f}@@") for f in fields},
            counts={k: Markup(f"@@{v}@@") for k, v in _SHELL_COUNTS.items()},
            dictionary=f"{DATA_DIR}/{DICT_JS}",
            script=f"{DATA_DIR}/{PAGE_SCRIPT}",
            texts=_page_texts(lang),
            generated_at=Markup("@@generated_at@@"),
        )
    )


def _fill(template: str, values: dict[str, str]) -> str:
    return _SHELL_FIELD.sub(lambda m: values[m.group(1)], template)


def _write_shell(out_dir: Path, page: dict[str, Any], generated_at: str) -> list[Path]:
    """The two HTML files (Vietnamese, English) of one findings page; its rows are in its data files."""
    province, period_key = str(page["province"]), str(page["period_key"])
    scripts = "\n".join(
        f'<script src="{DATA_DIR}/{escape(page["page"])}.{k}.js" data-part="{k}"></script>'
        for k in range(int(page["parts"]))
    )
    written = []
    for lang in LANGUAGES:
        tr = translator(lang).gettext
        values = {
            "province_label": str(escape(province or tr("(unknown province)"))),
            "period_label": str(escape(period_key or tr("(unknown period)"))),
            "province": str(escape(province)),
            "other_name": str(escape(Path(page_name(province, period_key, other_language(lang))).name)),
            "part_scripts": scripts,
            "generated_at": str(escape(generated_at)),
            **{v: str(int(page[v])) for v in _SHELL_COUNTS.values()},
        }
        path = out_dir / page_name(province, period_key, lang)
        write_text_atomically(path, _fill(_shell_template(lang), values))
        written.append(path)
    return written


def _remove_stale(directory: Path, pattern: str, keep: set[Path]) -> None:
    """Files of an earlier report that this one did not write (a page whose findings are gone)."""
    for path in directory.glob(pattern):
        if path not in keep:
            path.unlink(missing_ok=True)


def write_findings_pages(db: AuditDb, out_dir: Path, generated_at: str, temp_dir: Path) -> tuple[Path, ...]:
    """One page per province x period (both languages) and its data files (:mod:`outputs.audit.export`)."""
    pages_dir = out_dir / FINDINGS_DIR
    data_dir = pages_dir / DATA_DIR
    data_dir.mkdir(parents=True, exist_ok=True)
    script = (resources.files("outputs") / "templates" / PAGE_SCRIPT).read_text(encoding="utf-8")
    write_text_atomically(data_dir / PAGE_SCRIPT, script)
    data = [data_dir / PAGE_SCRIPT, write_dictionary(db, data_dir), *write_page_data(db, data_dir, temp_dir)]
    written: list[Path] = []
    for page in db.rows("select * from pg_pages"):
        written.extend(_write_shell(out_dir, page, generated_at))
    _remove_stale(data_dir, "*.js", set(data))
    _remove_stale(pages_dir, "*.html", set(written))
    return tuple(written)


# --------------------------------------------------------------------------- index page


def _limited(db: AuditDb, sql: str, limit: int = SECTION_LIMIT) -> tuple[int, list[dict[str, Any]]]:
    total = int(db.scalar(f"select count(*) from ({sql})") or 0)
    return total, db.rows(f"{sql} limit {limit}")


def _index_sections(db: AuditDb) -> dict[str, Any]:
    """The index's tables, each one aggregate or bounded query."""
    quarantine = (
        "select source_file, line_start, line_end, raw_text, reason from wh.raw.quarantine "
        "where quarantine_id not like 'file:%' order by source_file, line_start"
    )
    failed = (
        "select source_file, reason, quarantined_at from wh.raw.quarantine "
        "where quarantine_id like 'file:%' order by source_file"
    )
    held = (
        "select report_id, source_file, unit_code, unit_name, province, period_key, hold_reason "
        "from pg_reports where is_held_out order by source_file"
    )
    unrecognised = (
        f"select f.*, l.line_text from pg_findings f left join {ALIAS}.raw.line_classes l "
        "on l.report_id = f.report_id and l.line_no = f.line_start "
        "where f.rule_id = 'unmapped_value' order by f.source_file, f.line_start"
    )
    has_quarantine = db.has("raw.quarantine")
    return {
        "quarantine": _limited(db, quarantine) if has_quarantine else (0, []),
        "failed_files": _limited(db, failed) if has_quarantine else (0, []),
        "held_out": _limited(db, held),
        "unrecognised": _limited(db, unrecognised),
    }


def _rule_index(db: AuditDb) -> list[dict[str, Any]]:
    rules = db.rows(
        """
        with counts as (
            select rule_id, count(*) filter (where status <> 'resolved') as findings,
                   count(*) filter (where status = 'new') as new,
                   count(*) filter (where status = 'open') as open,
                   count(*) filter (where status = 'resolved') as resolved
            from (select rule_id, status from pg_findings
                  union all select rule_id, 'resolved' from pg_resolved) group by rule_id),
        checks as (
            select rule_id, count(*) filter (where status = 'passed') as passed,
                   count(*) filter (where status = 'failed') as failed,
                   count(*) filter (where status = 'skipped') as skipped
            from wh.audit.dq_evaluations group by rule_id)
        select coalesce(r.rule_id, c.rule_id, k.rule_id) as rule_id, r.rule_kind, r.severity,
               coalesce(r.description_vi, '') as rule_vi, coalesce(r.description_en, '') as rule_en,
               coalesce(c.findings, 0) as findings, coalesce(c.new, 0) as new, coalesce(c.open, 0) as open,
               coalesce(c.resolved, 0) as resolved, coalesce(k.passed, 0) as passed,
               coalesce(k.failed, 0) as failed, coalesce(k.skipped, 0) as skipped
        from wh.audit.dq_rules r
        full join counts c on c.rule_id = r.rule_id
        full join checks k on k.rule_id = coalesce(r.rule_id, c.rule_id)
        order by findings desc, rule_id"""
    )
    links = db.rows(
        f"""
        select rule_id, province, period_key, count(*) as n,
               row_number() over (partition by rule_id order by count(*) desc, province, period_key) as rn
        from pg_rows
        group by rule_id, province, period_key qualify rn <= {LINKS_PER_RULE} order by rule_id, rn"""
    )
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for link in links:
        by_rule.setdefault(link["rule_id"], []).append(link)
    for rule in rules:
        rule["links"] = by_rule.get(rule["rule_id"], [])
    return rules


_KEYED_ROWS = "select province, unit_code, unit_name, period_key, severity, status from pg_rows"


def _unit_index(db: AuditDb) -> tuple[int, list[dict[str, Any]]]:
    """The units with most findings first (at most UNIT_LIMIT), each with a link per period page."""
    units = f"""
        with per_period as (
            select province, unit_code, any_value(unit_name) as unit_name, period_key,
                   count(*) filter (where status <> 'resolved') as findings,
                   count(*) filter (where status = 'new') as new,
                   count(*) filter (where status = 'resolved') as resolved
            from ({_KEYED_ROWS}) group by province, unit_code, period_key)
        select province, unit_code, any_value(unit_name) as unit_name, sum(findings) as findings,
               sum(new) as new, sum(resolved) as resolved,
               list(struct_pack(period_key := period_key, n := findings + resolved) order by period_key)
                   as periods
        from per_period group by province, unit_code
        order by findings desc, province, unit_name, unit_code"""
    return _limited(db, units, UNIT_LIMIT)


def _grouped_counts(db: AuditDb, key: str) -> list[dict[str, Any]]:
    """Counts by severity and status per ``key`` (province or period_key)."""
    return db.rows(
        f"""select {key} as key, count(*) filter (where status <> 'resolved') as findings,
               count(*) filter (where severity = 'error' and status <> 'resolved') as errors,
               count(*) filter (where severity = 'warning' and status <> 'resolved') as warnings,
               count(*) filter (where severity = 'info' and status <> 'resolved') as infos,
               count(*) filter (where status = 'new') as new,
               count(*) filter (where status = 'open') as open,
               count(*) filter (where status = 'resolved') as resolved,
               count(distinct unit_code) as units
        from ({_KEYED_ROWS}) group by {key} order by {key}"""
    )


def _totals(db: AuditDb) -> dict[str, dict[str, int]]:
    severity = dict.fromkeys(SEVERITIES, 0)
    for r in db.rows("select severity, count(*) as n from pg_findings group by severity"):
        severity[str(r["severity"])] = int(r["n"])
    status = dict.fromkeys(FINDING_STATUSES, 0)
    for r in db.rows("select status, count(*) as n from pg_findings group by status"):
        status[str(r["status"])] = int(r["n"])
    status["resolved"] = int(db.scalar("select count(*) from pg_resolved") or 0)
    checks = dict.fromkeys(STATUSES, 0)
    for r in db.rows("select status, count(*) as n from wh.audit.dq_evaluations group by status"):
        checks[str(r["status"])] = int(r["n"])
    return {"severity": severity, "status": status, "checks": checks}


def _index_context(db: AuditDb, dbt: DbtResults, generated_at: str) -> dict[str, Any]:
    pages = db.rows("select * from pg_pages")
    builds = db.rows("select build_id, build_started_at, build_rank from pg_builds order by build_rank")
    validations = db.rows(
        "select source_file, expectation, column_name, unexpected_count, details from "
        f"wh.raw.validation_results where not success order by source_file limit {SECTION_LIMIT}"
    )
    return {
        "generated_at": generated_at,
        "pages": pages,
        "rules": _rule_index(db),
        "units": _unit_index(db),
        "by_province": _grouped_counts(db, "province"),
        "by_period": _grouped_counts(db, "period_key"),
        "sections": _index_sections(db),
        "totals": _totals(db),
        "builds": builds,
        "report_count": int(db.scalar("select count(*) from pg_reports") or 0),
        "validation_failures": int(
            db.scalar("select count(*) from wh.raw.validation_results where not success") or 0
        ),
        "validations": validations,
        "dbt": dbt,
        "dbt_totals": _dbt_totals(dbt),
        "severities": SEVERITIES,
        "statuses": FINDING_STATUSES,
        "check_statuses": STATUSES,
    }


def _dbt_totals(dbt: DbtResults) -> dict[str, int]:
    totals: dict[str, int] = {}
    for test in dbt.tests:
        totals[test.status] = totals.get(test.status, 0) + 1
    return dict(sorted(totals.items()))


def write_index(out_dir: Path, context: dict[str, Any]) -> Path:
    for lang in LANGUAGES:
        env = page_environment_for(lang)
        env.globals["page_link"] = lambda province, period, _lang=lang: page_name(province, period, _lang)
        html_text = env.get_template(INDEX_TEMPLATE).render(**context)
        write_text_atomically(out_dir / f"index{page_suffix(lang)}.html", html_text)
    return out_dir / INDEX_HTML


# --------------------------------------------------------------------------- the whole report


def write_audit_report(warehouse: Path, out_dir: Path, run_results: Path | None) -> AuditSummary:
    """Write the index, the findings pages, findings.json and findings.csv into ``out_dir``.

    The dbt results shown are those of the latest build recorded in the warehouse; ``run_results``
    (dbt's ``target/run_results.json``) is the fallback when none is recorded; a path that does not
    exist is reported on the page as "no dbt results", not as an error.
    """
    dbt = read_dbt_results(warehouse, run_results)
    with tempfile.TemporaryDirectory(prefix="cchc-audit-") as temp_dir:  # DuckDB spills here
        db = open_audit_db(warehouse, Path(temp_dir))
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            db.close()
            raise AuditReportError(
                f"cannot create the output directory: {exc}", source_file=str(out_dir)
            ) from exc
        return _write_all(db, out_dir, dbt, Path(temp_dir))


def _write_all(db: AuditDb, out_dir: Path, dbt: DbtResults, temp_dir: Path) -> AuditSummary:
    try:
        generated_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        write_findings_json(db, out_dir / FINDINGS_JSON)
        write_findings_csv(db, out_dir / FINDINGS_CSV)
        pages = write_findings_pages(db, out_dir, generated_at, temp_dir)
        context = _index_context(db, dbt, generated_at)
        index = write_index(out_dir, context)
        totals = context["totals"]
        return AuditSummary(
            out_dir=out_dir,
            index_html=index,
            findings_json=out_dir / FINDINGS_JSON,
            findings_csv=out_dir / FINDINGS_CSV,
            report_count=context["report_count"],
            findings_by_severity=totals["severity"],
            evaluations_by_status=totals["checks"],
            validation_failures=context["validation_failures"],
            dbt_tests_by_status=context["dbt_totals"],
            findings_by_status=totals["status"],
            pages=pages,
            rule_coverage=read_rule_coverage(db),
        )
    finally:
        db.close()


def exit_code_for(summary: AuditSummary, fail_on: str | None) -> int:
    """0 when the report was written; 1 when ``fail_on`` names a severity that has findings.

    ``fail_on="error"`` fails on errors; ``fail_on="warning"`` fails on warnings or errors.
    Info findings never fail.
    """
    if fail_on is None:
        return EXIT_OK
    if fail_on not in FAIL_ON_CHOICES:
        raise AuditReportError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, got {fail_on!r}")
    failing = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    if any(summary.findings_by_severity.get(s, 0) > 0 for s in failing):
        return EXIT_FINDINGS
    return EXIT_OK
