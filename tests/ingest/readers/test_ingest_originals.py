"""`cchc ingest` and `cchc parse` on original documents: the generated DOCX and XLSX of a sample load
the same values as its text extraction, with each value's cell and each line's place kept in raw."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from office_builders import COLUMNS, sample_blocks, write_docx, write_xlsx
from sample_originals import sample
from typer.testing import CliRunner

from cli.app import app
from ingest.batch import ingest_paths

VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"
REPORTS = Path(__file__).resolve().parents[3] / "data" / "reports"


def _values(warehouse: Path) -> dict[tuple[str, str], tuple[Decimal | None, str | None]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select section_code, row_path, value_number, value_place from raw.statistic_rows"
        ).fetchall()
    return {(section, path): (number, place) for section, path, number, place in rows}


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("originals")
    s = sample(VINH_CHAU)
    blocks = sample_blocks(s.result, s.text)
    value_column = COLUMNS[s.family].index("value")
    made = {}
    for fmt, writer in (("docx", write_docx), ("xlsx", write_xlsx)):
        path = folder / f"vinhchau-2022-q3.{fmt}"
        writer(blocks, path, value_column)
        made[fmt] = path
    return made


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_an_original_loads_the_values_of_its_text(
    originals: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    text_wh, original_wh = tmp_path / "text.duckdb", tmp_path / "original.duckdb"
    ingest_paths([REPORTS / VINH_CHAU], text_wh, None)
    (result,) = ingest_paths([originals[fmt]], original_wh, None)
    assert result.outcome is not None and result.outcome.status == "loaded", result.error
    expected, loaded = _values(text_wh), _values(original_wh)
    numbers = {k: n for k, (n, _) in expected.items() if n is not None}
    assert numbers and {k: loaded[k][0] for k in numbers} == numbers
    assert all(place is None for _, place in expected.values())  # a text file: its lines are the place
    places = [loaded[k][1] for k in numbers]
    assert all(place and place.startswith(fmt) for place in places), places[:5]
    with duckdb.connect(str(original_wh), read_only=True) as con:
        formats = con.execute("select source_format from raw.reports").fetchall()
        lines = con.execute(
            "select count(*), count(source_place) from raw.line_classes where line_class = 'statistic'"
        ).fetchone()
    assert formats == [(fmt,)]
    assert lines is not None and lines[0] > 0 and lines[0] == lines[1]


def test_parse_prints_the_cell_of_each_value(originals: dict[str, Path]) -> None:
    result = CliRunner().invoke(app, ["parse", str(originals["docx"]), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    with_number = [r for r in rows if r["value_number"] is not None]
    assert with_number and all(r["value_place"].startswith("docx table ") for r in with_number)
    assert all(" cell " in r["value_place"] for r in with_number)
