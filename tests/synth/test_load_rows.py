"""synth rows loaded straight into raw (synth/load_rows.py) equal the same reports ingested as text."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.batch import ingest_paths
from synth.corpus import generate_corpus
from synth.load_rows import RowsLoadError, load_rows

# Free text is left out: label typos exist only in the text corpus (different bytes, report id and
# labels), and unit names inside narrative and notes are swapped by name (synth/load_rows.py).
LEFT_OUT = {
    "reports": {"source_path", "loaded_at", "batch_id", "hold_reason"},  # the reason names the folder
    "statistic_rows": {"raw_note", "note"},
    "narrative_blocks": {"text", "heading"},
    "quarantine": {"quarantined_at"},
    "validation_results": {"validated_at"},
}
TABLES = (
    "reports", "statistic_rows", "note_values", "narrative_blocks", "line_classes",
    "quarantine", "validation_results",
)  # fmt: skip


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    work = tmp_path_factory.mktemp("rows")
    for mode in ("text", "rows"):
        generate_corpus(
            work / mode, units=1, periods=["2023-Q1", "2023-Q2"], seed=11, inject_rate=0.3, mode=mode
        )
    ingest_paths([work / "text" / "reports"], work / "text.duckdb", None)
    with duckdb.connect(str(work / "rows.duckdb")) as con:
        loaded = load_rows(con, work / "rows", with_context=False)
    assert loaded.reports == 8
    return work / "text.duckdb", work / "rows.duckdb", work


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    names = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'text_wh'"
        " AND table_schema = 'raw' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return ", ".join(f'"{n}"' for (n,) in names if n not in LEFT_OUT.get(table, set()))


def test_rows_load_like_the_text_of_the_same_reports(both: tuple[Path, Path, Path]) -> None:
    text, rows, _ = both
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{text}' AS text_wh (READ_ONLY); ATTACH '{rows}' AS rows_wh (READ_ONLY)")
        same = (
            "report_id IN (SELECT report_id FROM text_wh.raw.reports"
            " INTERSECT SELECT report_id FROM rows_wh.raw.reports)"
        )
        # reports without label typos are byte for byte the same text: the same report id
        assert con.execute(f"SELECT count(*) FROM rows_wh.raw.reports WHERE {same}").fetchone() == (5,)
        for table in TABLES:
            cols = _columns(con, table)
            sides = [f"SELECT {cols} FROM {db}.raw.{table} WHERE {same}" for db in ("text_wh", "rows_wh")]
            one_way = "({} EXCEPT ALL {})"
            both_ways = f"{one_way.format(*sides)} UNION ALL {one_way.format(*reversed(sides))}"
            differ = con.execute(f"SELECT count(*) FROM ({both_ways})").fetchone()
            assert differ == (0,), table
        # names found in several provinces are held out without a --province context, as in text
        held = "SELECT count(*) FROM {}.raw.reports WHERE is_held_out"
        assert (
            con.execute(held.format("rows_wh")).fetchone() == con.execute(held.format("text_wh")).fetchone()
        )


def test_rows_loaded_per_province_are_all_resolved(both: tuple[Path, Path, Path]) -> None:
    _, _, work = both
    with duckdb.connect(str(work / "context.duckdb")) as con:
        load_rows(con, work / "rows")
        held = con.execute(
            "SELECT count(*) FROM raw.reports WHERE is_held_out OR unit_code IS NULL"
        ).fetchone()
        codes = con.execute("SELECT count(DISTINCT unit_code) FROM raw.reports").fetchone()
    assert held == (0,)
    assert codes == (4,)


def test_rows_of_another_layout_are_refused(both: tuple[Path, Path, Path]) -> None:
    _, _, work = both
    broken = work / "broken"
    (broken / "rows").mkdir(parents=True)
    (broken / "reports.csv").write_bytes((work / "rows" / "reports.csv").read_bytes())
    part = (work / "rows" / "rows" / "part-00000.parquet").as_posix()
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{part}') WHERE template_row_id <> 'st21.I.1.01') "
            f"TO '{(broken / 'rows' / 'part-00000.parquet').as_posix()}' (FORMAT PARQUET)"
        )
    with duckdb.connect(str(work / "broken.duckdb")) as con, pytest.raises(RowsLoadError, match="cells"):
        load_rows(con, broken)
