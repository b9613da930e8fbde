"""The auditor's report as set-based SQL: the warehouse attached read-only to an in-memory DuckDB.

:func:`open_audit_db` attaches the warehouse as ``wh`` and builds a few tables in the private,
in-memory main database, each
with one statement over whole tables (no per-report Python loops):

* ``pg_findings``: every finding of this build (``audit.dq_findings``, the ``unmapped_value``
  findings included), one row each, with its unit, province, rule texts and its status against the
  previous build (``audit.dq_findings_history``): ``new`` or ``open``;
* ``pg_resolved``: findings of the previous build that this build no longer has;
* ``pg_rows``: both, as the findings pages show them, each with its page (province x period,
  ``pg_page_names``), its part (a data file of at most :data:`PART_ROWS` rows) and its involved lines;
* ``pg_lines``: the lines each part quotes (involved lines and their context), once per part;
* ``pg_pages``: one findings page per province x period, with its counts and number of parts.

DuckDB spills to ``temp_dir`` past ``memory_limit``, so memory stays bounded at any volume.
Optional tables (marts, history) may be missing: their parts are then empty.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from outputs.audit.data import SEVERITIES
from outputs.errors import AuditReportError

ALIAS = "wh"
CONTEXT_LINES = 2  # lines quoted above and below each involved line
MEMORY_LIMIT = "1GB"
FETCH_ROWS = 2000
PART_ROWS = 2000  # findings per data file of a findings page
BATCH_ROWS = 100_000  # findings whose pages' data files are written by one statement
# rows whose value no rule uses are findings of audit.dq_findings themselves (rule unmapped_value)
UNRECOGNISED_RULE = "unmapped_value"
REQUIRED_TABLES: tuple[str, ...] = (
    "raw.reports",
    "raw.line_classes",
    "raw.validation_results",
    "audit.dq_rules",
    "audit.dq_evaluations",
    "audit.dq_findings",
)


@cache
def slug(text: str) -> str:
    """A file-name part: 'Sóc Trăng' -> 'soc-trang'; empty text -> 'unknown'."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "unknown"


class AuditDb:
    """An in-memory DuckDB with the warehouse attached as ``wh`` and the page tables built."""

    def __init__(self, con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
        self.con = con
        self.tables = tables

    def has(self, table: str) -> bool:
        return table in self.tables

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def stream(self, sql: str, params: list[Any] | None = None) -> Iterator[dict[str, Any]]:
        """Rows of ``sql`` fetched a batch at a time (bounded memory)."""
        cur = self.con.cursor()
        cur.execute(sql, params or [])
        names = [d[0] for d in cur.description or []]
        while batch := cur.fetchmany(FETCH_ROWS):
            for row in batch:
                yield dict(zip(names, row, strict=True))
        cur.close()

    def scalar(self, sql: str) -> Any:
        row = self.con.execute(sql).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.con.close()


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ?", [ALIAS]
    ).fetchall()
    return {f"{schema}.{name}" for schema, name in rows}


def open_audit_db(warehouse: Path, temp_dir: Path) -> AuditDb:
    """Attach ``warehouse`` read-only and build the page tables. Raises :class:`AuditReportError`."""
    if not warehouse.is_file():
        raise AuditReportError(
            "warehouse file not found (run `cchc build` first)", source_file=str(warehouse)
        )
    con = duckdb.connect()
    try:
        temp_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
        con.execute("set temp_directory = ?", [str(temp_dir)])
        con.execute(f"attach ? as {ALIAS} (read_only)", [str(warehouse)])
    except (duckdb.Error, OSError) as exc:
        con.close()
        raise AuditReportError(f"cannot open the warehouse: {exc}", source_file=str(warehouse)) from exc
    tables = _tables(con)
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        con.close()
        raise AuditReportError(
            f"missing tables {', '.join(missing)} (build the audit models with `dbt build` first)",
            source_file=str(warehouse),
        )
    db = AuditDb(con, tables)
    try:
        for statement in _build_statements(db):
            con.execute(statement)
        check_findings(db)
        _register_page_names(db)
        for statement in _page_statements(db):
            con.execute(statement)
    except (duckdb.Error, AuditReportError):
        con.close()
        raise
    return db


def check_findings(db: AuditDb) -> None:
    """Every finding has a known severity and JSON observed values; else the first bad one is named."""
    bad_severity = db.rows(
        f"select finding_id, severity from pg_all_findings where severity not in ({_quoted(SEVERITIES)}) "
        "order by finding_id limit 1"
    )
    if bad_severity:
        row = bad_severity[0]
        raise AuditReportError(
            f"audit.dq_findings {row['finding_id']!r}: severity {row['severity']!r} is not one of "
            f"{', '.join(SEVERITIES)}"
        )
    bad_json = db.rows(
        "select finding_id, observed from pg_all_findings where coalesce(observed, '') <> '' "
        "and (try_cast(observed as json) is null or json_type(try_cast(observed as json)) <> 'OBJECT') "
        "order by finding_id limit 1"
    )
    if bad_json:
        row = bad_json[0]
        raise AuditReportError(
            f"audit.dq_findings {row['finding_id']!r}: observed is not valid JSON (an object): "
            f"{row['observed']!r}"
        )


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


# --------------------------------------------------------------------------- SQL


def _reports_sql(db: AuditDb) -> str:
    """report_id -> unit, province, period: dim_report when built, else raw.reports."""
    if db.has("marts.dim_report"):
        return f"""
        create table pg_reports as
        select report_id, source_file, unit_code, unit_name, coalesce(province_name, '') as province,
               period_key, template_family, is_held_out, hold_reason
        from {ALIAS}.marts.dim_report"""
    return f"""
    create table pg_reports as
    select report_id, source_file, unit_code, coalesce(unit_name, doc_unit_name) as unit_name,
           coalesce(province, '') as province,
           case when period_type = 'quarter' then period_year || '-Q' || period_number
                when period_type = 'half' then period_year || '-H' || period_number
                when period_type = 'nine_months' then period_year || '-9M'
                when period_type = 'year' then period_year || '-Y' end as period_key,
           template_family, is_held_out, hold_reason
    from {ALIAS}.raw.reports"""


def _has_column(db: AuditDb, table: str, column: str) -> bool:
    """Whether the warehouse's ``schema.table`` has ``column`` (older warehouses lack newer columns)."""
    schema, name = table.split(".")
    return bool(
        db.rows(
            "select 1 from information_schema.columns where table_catalog = ? and table_schema = ? "
            "and table_name = ? and column_name = ?",
            [ALIAS, schema, name, column],
        )
    )


def _line_place(db: AuditDb) -> str:
    """The column holding a line's place in an original document, when the warehouse has it."""
    return "l.source_place" if _has_column(db, "raw.line_classes", "source_place") else "null::varchar"


def _value_places(db: AuditDb) -> str:
    """The column of audit.dq_findings with the cells of a finding's values, when it has one."""
    found = _has_column(db, "audit.dq_findings", "value_places")
    return "value_places" if found else "null::varchar as value_places"


def _message_vi(db: AuditDb, table: str, alias: str) -> str:
    """``<alias>.message_vi`` when ``table`` has it, else null (a warehouse built before it was added)."""
    return f"{alias}.message_vi" if _has_column(db, table, "message_vi") else "null::varchar"


def _history_builds_sql(db: AuditDb) -> str:
    """The last two builds of the history (rank 1 = this build, 2 = the previous one)."""
    if not db.has("audit.dq_findings_history"):
        return (
            "create table pg_builds as select null::varchar as build_id, "
            "null::timestamp as build_started_at, 0 as build_rank where false"
        )
    return f"""
    create table pg_builds as
    select build_id, build_started_at, build_rank from (
        select build_id, max(build_started_at) as build_started_at,
               row_number() over (order by max(build_started_at) desc) as build_rank
        from {ALIAS}.audit.dq_findings_history group by build_id)
    where build_rank <= 2"""


_HISTORY_TEXT_COLUMNS = (
    "finding_key",
    "build_id",
    "finding_id",
    "rule_id",
    "rule_kind",
    "severity",
    "report_id",
    "unit_code",
    "period_key",
    "indicator_codes",
    "source_file",
    "source_lines",
    "observed",
    "expected",
    "message",
    "message_vi",
)


def _history_sql(db: AuditDb) -> str:
    if not db.has("audit.dq_findings_history"):
        columns = ", ".join(f"null::varchar as {c}" for c in _HISTORY_TEXT_COLUMNS)
        return f"""create table pg_history as
            select {columns}, null::integer as line_start, null::integer as line_end, 0 as build_rank
            where false"""
    message_vi = _message_vi(db, "audit.dq_findings_history", "h")
    extra = "" if message_vi == "h.message_vi" else ", null::varchar as message_vi"
    return f"""
    create table pg_history as
    select h.*{extra}, b.build_rank
    from {ALIAS}.audit.dq_findings_history h inner join pg_builds b on h.build_id = b.build_id"""


def _indicator_sql(db: AuditDb) -> str:
    if db.has("marts.dim_indicator"):
        return f"""create table pg_indicators as
            select indicator_code, name_vi, name_en from {ALIAS}.marts.dim_indicator"""
    return """create table pg_indicators as
        select ''::varchar as indicator_code, ''::varchar as name_vi, ''::varchar as name_en where false"""


def _findings_sql() -> str:
    """Every finding of this build, one row each, with its unit, province, rule texts and status."""
    return f"""
    create table pg_findings as
    with base as (
        select f.*, coalesce(h.finding_key, md5(f.finding_id)) as finding_key,
               case when h.finding_key is null then 'new'
                    when exists (select 1 from pg_history p
                                 where p.build_rank = 2 and p.finding_key = h.finding_key) then 'open'
                    else 'new' end as status
        from pg_all_findings f
        left join (select distinct finding_id, finding_key from pg_history where build_rank = 1) h
            on h.finding_id = f.finding_id
    )
    select b.*, coalesce(r.unit_name, '') as unit_name, coalesce(r.province, '') as province,
           coalesce(rule.description_vi, '') as rule_vi, coalesce(rule.description_en, '') as rule_en,
           case b.severity when 'error' then 0 when 'warning' then 1 else 2 end as severity_rank
    from base b
    left join pg_reports r on r.report_id = b.report_id
    left join {ALIAS}.audit.dq_rules rule on rule.rule_id = b.rule_id"""


def _resolved_sql() -> str:
    """Findings of the previous build whose key this build does not have."""
    return """
    create table pg_resolved as
    select distinct on (p.finding_key) p.finding_key, p.finding_id, p.rule_id, p.rule_kind, p.severity,
           p.report_id, p.unit_code, p.period_key, p.indicator_codes, p.source_file, p.line_start,
           p.line_end, p.message, p.message_vi, coalesce(u.unit_name, '') as unit_name,
           coalesce(u.province, '') as province
    from pg_history p
    left join (select distinct unit_code, unit_name, province from pg_reports) u on u.unit_code = p.unit_code
    where p.build_rank = 2
      and (select count(*) from pg_builds) = 2
      and p.finding_key not in (select finding_key from pg_history where build_rank = 1)"""


def _rows_sql() -> str:
    """Every row a findings page shows (findings and resolved findings), with its page, its part
    (at most :data:`PART_ROWS` rows, a report's findings kept together), the index of its report in
    the part and its involved lines (``source_lines``, else ``line_start..line_end``)."""
    return f"""
    create table pg_rows as
    with shown as (
        select finding_id, finding_key, status, rule_id, rule_kind, severity, severity_rank, report_id,
               source_file,
               unit_code, unit_name, province, coalesce(period_key, '') as period_key, line_start,
               line_end, indicator_codes, observed, expected, message, message_vi, value_places,
               case when coalesce(len(try_cast(source_lines::json as integer[])), 0) > 0
                    then try_cast(source_lines::json as integer[])
                    when line_start is not null
                    then range(line_start, coalesce(line_end, line_start) + 1)::integer[]
                    else []::integer[] end as involved
        from pg_findings
        union all
        select p.finding_id, p.finding_key, 'resolved', p.rule_id, p.rule_kind, p.severity,
               case p.severity when 'error' then 0 when 'warning' then 1 else 2 end, p.report_id,
               p.source_file, p.unit_code, p.unit_name, p.province, coalesce(p.period_key, ''),
               p.line_start, p.line_end, p.indicator_codes, null, '', p.message, p.message_vi, null,
               []::integer[]
        from pg_resolved p
    ),
    parted as (
        select s.*, n.page,
               n.page || '.' || ((row_number() over (
                   partition by n.page order by s.report_id, s.line_start, s.finding_id) - 1)
                   // {PART_ROWS}) as part
        from shown s inner join pg_page_names n using (province, period_key)
    )
    select *, dense_rank() over (partition by part order by report_id) - 1 as report_index
    from parted"""


def _lines_sql(db: AuditDb) -> str:
    """The lines each part quotes, once per part: every involved line and its context."""
    return f"""
    create table pg_lines as
    with wanted as (
        select distinct r.page, r.part, r.report_index, r.report_id, u.line_no + d.delta as line_no
        from pg_rows r
        cross join unnest(r.involved) as u(line_no)
        cross join range(-{CONTEXT_LINES}, {CONTEXT_LINES} + 1) as d(delta)
    )
    select w.page, w.part, w.report_index, w.line_no, l.line_text, {_line_place(db)} as place
    from wanted w
    inner join {ALIAS}.raw.line_classes l on l.report_id = w.report_id and l.line_no = w.line_no"""


def _pages_sql() -> str:
    """One findings page per province x period (resolved findings included), with its counts."""
    return """
    create table pg_pages as
    select province, period_key, any_value(page) as page, count(distinct part) as parts,
           count(*) as total,
           count(*) filter (where severity = 'error' and status <> 'resolved') as errors,
           count(*) filter (where severity = 'warning' and status <> 'resolved') as warnings,
           count(*) filter (where severity = 'info' and status <> 'resolved') as infos,
           count(*) filter (where status = 'new') as new,
           count(*) filter (where status = 'open') as open,
           count(*) filter (where status = 'resolved') as resolved
    from pg_rows group by province, period_key order by province, period_key"""


def _batches_sql() -> str:
    """The pages in batches of about :data:`BATCH_ROWS` rows: the data files are written a batch
    at a time, so that DuckDB's memory holds one batch's aggregates, whatever the volume."""
    return f"""
    create table pg_batches as
    select page, (sum(total) over (order by page rows unbounded preceding) - total) // {BATCH_ROWS} as batch
    from pg_pages"""


def page_key(province: str, period_key: str) -> str:
    """The file-name stem of a findings page: ``<province>_<period>`` slugs."""
    return f"{slug(province)}_{slug(period_key)}"


def _register_page_names(db: AuditDb) -> None:
    """``pg_page_names``: each province x period that has findings and its page's file-name stem."""
    pairs = db.rows(
        "select distinct province, coalesce(period_key, '') as period_key from pg_findings "
        "union select distinct province, coalesce(period_key, '') from pg_resolved"
    )
    names = pa.table(
        {
            "province": pa.array([p["province"] for p in pairs], pa.string()),
            "period_key": pa.array([p["period_key"] for p in pairs], pa.string()),
            "page": pa.array([page_key(p["province"], p["period_key"]) for p in pairs], pa.string()),
        }
    )
    db.con.register("page_names_arrow", names)
    db.con.execute("create table pg_page_names as select * from page_names_arrow")
    db.con.unregister("page_names_arrow")


def _build_statements(db: AuditDb) -> list[str]:
    return [
        _reports_sql(db),
        f"""create table pg_all_findings as
            select finding_id, rule_id, rule_kind, severity, report_id, unit_code, period_key,
                   coalesce(indicator_codes, '') as indicator_codes, observed, expected, message,
                   {_message_vi(db, "audit.dq_findings", "f")} as message_vi,
                   source_file, line_start, line_end, source_lines, {_value_places(db)}
            from {ALIAS}.audit.dq_findings f""",
        _history_builds_sql(db),
        _history_sql(db),
        _indicator_sql(db),
        _findings_sql(),
        _resolved_sql(),
    ]


def _page_statements(db: AuditDb) -> list[str]:
    return [_rows_sql(), _lines_sql(db), _pages_sql(), _batches_sql()]
