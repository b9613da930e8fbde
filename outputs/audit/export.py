"""The auditor's report's data files, written by DuckDB itself (no per-finding Python).

* ``findings.json`` and ``findings.csv``: ``COPY`` of ``pg_findings`` (every finding, in report
  order); the CSV starts with a BOM (so that Excel reads UTF-8) and its text cells are made safe
  from spreadsheet formulas in SQL, as :func:`outputs.files.csv_safe` does in Python;
* ``findings/data/<page>.<part>.js``: the rows of one part of a findings page as compact JSON
  (arrays, not objects: per report its fields, the lines the part quotes from it, each once, and
  its findings), wrapped in a call
  (``cchcAudit.addPart({...})``) so that the page loads it with ``<script src>`` from ``file://``
  (browsers refuse ``fetch`` there). DuckDB writes each report of a part as one JSON line of a
  temporary file, ordered by part; Python only cuts that file into the parts' files, so memory
  holds one part (at most :data:`outputs.audit.query.PART_ROWS` findings) at a time;
* ``findings/data/dict.js``: the rules and indicator names every part refers to.

Each file is written atomically (a temporary file beside it, then ``os.replace``).
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.text import nfc
from outputs.audit.data import FINDING_FIELDS
from outputs.audit.query import ALIAS, AuditDb
from outputs.files import atomic_output, atomic_path, copy_query_to_csv, csv_safe_sql

DATA_DIR = "data"
DICT_JS = "dict.js"
JS_CALL = "cchcAudit.addPart"
REPORT_ORDER = "severity_rank, source_file, line_start, rule_id, finding_id"
_INDICATORS = (
    "list_filter(list_transform(string_split(indicator_codes, ','), lambda c: trim(c)), lambda c: c <> '')"
)
_SOURCE_LINES = "coalesce(try_cast(try_cast(source_lines as json) as integer[]), []::integer[])"
_OBSERVED = "coalesce(try_cast(observed as json), '{}'::json)"
# One JSON line per report of a part: the report, the lines the part quotes from it and its findings.
_PART_RECORDS = f"""
    with lines as (
        select part, report_index,
               to_json(list(json_array(line_no, nfc_normalize(coalesce(line_text, '')),
                                       nfc_normalize(coalesce(place, ''))) order by line_no)) as lines
        from pg_lines where page in (select page from pg_batches where batch = {{batch}})
        group by part, report_index
    ),
    findings as (
        select part, report_index, any_value(report_id) as report_id,
               nfc_normalize(any_value(source_file)) as source_file, any_value(unit_code) as unit_code,
               nfc_normalize(any_value(unit_name)) as unit_name, any_value(period_key) as period_key,
               to_json(list(json_array(
                   finding_id, finding_key, status, rule_id, rule_kind, severity, line_start, line_end,
                   involved, {_INDICATORS}, try_cast(observed as json),
                   nfc_normalize(coalesce(expected, '')), nfc_normalize(coalesce(message, '')),
                   nfc_normalize(coalesce(message_vi, '')), nfc_normalize(coalesce(value_places, ''))
               ))) as findings
        from pg_rows where page in (select page from pg_batches where batch = {{batch}})
        group by part, report_index
    )
    select f.part, json_array(f.report_index, f.report_id, f.source_file, f.unit_code, f.unit_name,
                              f.period_key, coalesce(l.lines, '[]'::json), f.findings)::varchar as j
    from findings f left join lines l using (part, report_index)"""


def _sql_text(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_findings_json(db: AuditDb, path: Path) -> None:
    """A JSON array of every finding, one object per finding with :data:`FINDING_FIELDS`."""
    columns = {
        "source_lines": f"{_SOURCE_LINES} as source_lines",
        "indicators": f"{_INDICATORS} as indicators",
        "observed": f"{_OBSERVED} as observed",
    }
    select = ", ".join(columns.get(c, c) for c in FINDING_FIELDS)
    with atomic_path(path) as temp:
        db.con.execute(
            f"copy (select {select} from pg_findings order by {REPORT_ORDER}) "
            f"to {_sql_text(temp)} (format json, array true)"
        )
        if temp.stat().st_size == 0:  # no rows: DuckDB writes nothing
            temp.write_text("[]\n", encoding="utf-8")


def write_findings_csv(db: AuditDb, path: Path) -> None:
    """One row per finding, UTF-8 with BOM (for Excel), cells safe from formulas."""
    cells = {
        "source_lines": f"array_to_string({_SOURCE_LINES}, ';')",
        "indicators": f"array_to_string({_INDICATORS}, ',')",
        "observed": f"{_OBSERVED}::varchar",
    }
    values = ", ".join(f"{csv_safe_sql(cells.get(c, c))} as c{i}" for i, c in enumerate(FINDING_FIELDS))
    header = ", ".join(f"'{chr(0xFEFF) if i == 0 else ''}{c}' as c{i}" for i, c in enumerate(FINDING_FIELDS))
    names = ", ".join(f"c{i}" for i in range(len(FINDING_FIELDS)))
    query = f"""select {names} from (
            select 0 as header_first, null::integer as severity_rank, null::varchar as source_file,
                   null::integer as line_start, null::varchar as rule_id,
                   null::varchar as finding_id, {header}
            union all
            select 1, severity_rank, source_file, line_start, rule_id, finding_id, {values}
            from pg_findings)
        order by header_first, {REPORT_ORDER}"""
    copy_query_to_csv(db.con, query, path)


def write_dictionary(db: AuditDb, data_dir: Path) -> Path:
    """``dict.js``: every rule (kind, severity, Vietnamese and English text) and indicator name."""
    rules = {
        nfc(str(r["rule_id"])): [r["rule_kind"], r["severity"], nfc(r["vi"] or ""), nfc(r["en"] or "")]
        for r in db.rows(
            f"select rule_id, rule_kind, severity, description_vi as vi, description_en as en "
            f"from {ALIAS}.audit.dq_rules"
        )
    }
    indicators = {
        nfc(str(r["indicator_code"])): [nfc(r["name_vi"] or ""), nfc(r["name_en"] or "")]
        for r in db.rows("select indicator_code, name_vi, name_en from pg_indicators")
    }
    path = data_dir / DICT_JS
    payload = json.dumps(
        {"rules": rules, "indicators": indicators}, ensure_ascii=False, separators=(",", ":")
    )
    with atomic_output(path) as handle:
        handle.write(f"cchcAudit.setDict({payload});\n")
    return path


def _write_part(data_dir: Path, part: str, reports: list[str]) -> Path:
    path = data_dir / f"{part}.js"
    page = part.rsplit(".", 1)[0]
    with atomic_output(path) as handle:
        handle.write(f'{JS_CALL}({{"page":{json.dumps(page)},"reports":[')
        handle.write(",".join(reports))
        handle.write("]});\n")
    return path


def _write_batch(db: AuditDb, data_dir: Path, records: Path, batch: int) -> list[Path]:
    """The data files of one batch of pages (``pg_batches``)."""
    # an internal spool (part TAB json), read back below and removed: DuckDB's delimited text with no
    # quoting, not a CSV anyone opens (the files people open are written by outputs.files)
    db.con.execute(
        f"copy (select part || chr(9) || j from ({_PART_RECORDS.format(batch=batch)}) order by part) "
        f"to {_sql_text(records)} (delimiter '\t', header false, quote '', escape '')"
    )
    written: list[Path] = []
    current: str | None = None
    reports: list[str] = []
    with records.open(encoding="utf-8") as handle:
        for line in handle:
            part, record = line.rstrip("\n").split("\t", 1)
            if part != current:
                if current is not None:
                    written.append(_write_part(data_dir, current, reports))
                current, reports = part, []
            reports.append(record)
    if current is not None:
        written.append(_write_part(data_dir, current, reports))
    records.unlink()
    return written


def write_page_data(db: AuditDb, data_dir: Path, temp_dir: Path) -> list[Path]:
    """Every part of every findings page as ``<page>.<part>.js`` in ``data_dir``; one part in memory.

    DuckDB writes one line per report of a part (``part TAB json``), ordered by part; Python cuts
    that file into the parts' files without parsing the JSON.
    """
    written: list[Path] = []
    batches = db.scalar("select max(batch) from pg_batches")
    for batch in range(int(batches) + 1 if batches is not None else 0):
        written.extend(_write_batch(db, data_dir, temp_dir / f"parts-{batch}.tsv", batch))
    return written
