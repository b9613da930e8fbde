"""Every CSV the project writes is formula-safe, whatever text the warehouse holds.

Every CSV the project writes goes through outputs/files.py (no other module writes CSV: checked
on the sources below). A copy of the sample build gets hostile text (``=1+1``, ``@SUM(A1)``,
``+cmd``, ``-2+3``) put in front of every label-like text column of its marts and audit
tables; then the auditor's report (findings.csv), the published marts (SDMX-CSV) and the KPI
page are written to a fresh target/, and every cell of every CSV under it is checked: none
starts a formula. The listings of a small synthetic corpus (`cchc synth`) are checked too.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
from dbt_project_runner import SamplesBuild

from outputs.files import FORMULA_PREFIXES
from pipeline.build import OutputPaths, publish_marts, write_audit
from synth.corpus import generate_corpus

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("ingest", "outputs", "pipeline", "cli", "synth", "bench")
CSV_WRITING = re.compile(r"csv\.(?:writer|DictWriter)\(|\.to_csv\(|format\s*\(?\s*'?csv", re.IGNORECASE)
THE_WRITER = REPO_ROOT / "outputs" / "files.py"

HOSTILE = ("=1+1", "@SUM(A1)", "+cmd", "-2+3")
LABEL_LIKE = re.compile(r"label|name|message|note|title|detail|reason|comment|description|unit$")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _poison(warehouse: Path) -> int:
    """Prefix hostile text to label-like text columns of marts/audit tables; returns cells changed."""
    changed = 0
    with duckdb.connect(str(warehouse)) as con:
        columns = con.execute(
            """
            select c.schema_name, c.table_name, c.column_name from duckdb_columns() c
            join duckdb_tables() t using (schema_name, table_name)
            where c.schema_name not in ('raw', 'history', 'main') and c.data_type = 'VARCHAR'
            """
        ).fetchall()
        for i, (schema, table, column) in enumerate(columns):
            if not LABEL_LIKE.search(column):
                continue
            prefix = HOSTILE[i % len(HOSTILE)]
            con.execute(
                f'update "{schema}"."{table}" set "{column}" = ? || "{column}" where "{column}" is not null',
                [prefix],
            )
            row = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" like ?', [prefix + "%"]
            ).fetchone()
            changed += int(row[0]) if row else 0
    return changed


def _unsafe_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            cell
            for row in csv.reader(fh)
            for cell in row
            if cell.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(cell)
        ]


def test_every_csv_is_formula_safe(tmp_path: Path, samples_build: SamplesBuild) -> None:
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(samples_build.warehouse, warehouse)
    assert _poison(warehouse) > 0
    outputs = OutputPaths(target=tmp_path / "target")
    write_audit(warehouse, outputs)
    publish_marts(warehouse, outputs)
    written = sorted(outputs.target.rglob("*.csv"))
    assert {p.name for p in written} >= {"findings.csv", "cchc_indicators.csv"}
    hostile_seen = 0
    for path in written:
        assert _unsafe_cells(path) == [], path
        text = path.read_text(encoding="utf-8")
        hostile_seen += sum(text.count("'" + h) for h in HOSTILE)
    assert hostile_seen > 0  # the hostile text reached the CSVs, escaped


def test_no_module_writes_csv_but_the_safe_writer() -> None:
    writers = sorted(
        p
        for package in PACKAGES
        for p in (REPO_ROOT / package).rglob("*.py")
        if CSV_WRITING.search(p.read_text(encoding="utf-8"))
    )
    assert writers == [THE_WRITER]


def test_synthetic_corpus_listings_are_formula_safe(tmp_path: Path) -> None:
    summary = generate_corpus(tmp_path, units=3, seed=7, inject_rate=1.0)
    assert summary.reports > 0
    for name in ("reports.csv", "ground_truth.csv"):
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert len(rows) > 1, name
        assert _unsafe_cells(tmp_path / name) == [], name
