"""Tests of ingest.load (the report path, prepare -> validate -> resolve -> writer): the four samples
into a real DuckDB file under tmp_path."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingest.detect import parse_report
from ingest.errors import LoadError
from ingest.load import commit_report, default_context, load_report
from ingest.manifest import Manifest, load_manifest, parse_manifest
from ingest.prepare import prepare_report
from ingest.records import LineClass

TABLES = (
    "reports",
    "statistic_rows",
    "note_values",
    "narrative_blocks",
    "line_classes",
    "quarantine",
    "validation_results",
)
VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every raw table, sorted: equal snapshots mean identical warehouses."""
    return {t: sorted(con.execute(f"SELECT * FROM raw.{t}").fetchall(), key=repr) for t in TABLES}


def count(
    con: duckdb.DuckDBPyConnection, table: str, where: str = "true", params: list[Any] | None = None
) -> int:
    row = con.execute(f"SELECT count(*) FROM raw.{table} WHERE {where}", params or []).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture(scope="module")
def manifest(manifest_path: Path) -> Manifest:
    return load_manifest(manifest_path)


@pytest.fixture(scope="module")
def warehouse_of_samples(
    tmp_path_factory: pytest.TempPathFactory, reports_dir: Path, manifest: Manifest
) -> Path:
    """A warehouse with the four samples loaded once; tests work on copies of it."""
    path = tmp_path_factory.mktemp("samples") / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        for report in sorted(reports_dir.glob("*.txt")):
            outcome = load_report(con, report, manifest)
            assert outcome.status == "loaded"
    return path


@pytest.fixture()
def loaded(tmp_path: Path, warehouse_of_samples: Path) -> duckdb.DuckDBPyConnection:
    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse_of_samples, copy)
    return duckdb.connect(str(copy))


def test_counts_per_table_match_the_parse_results(
    loaded: duckdb.DuckDBPyConnection, reports_dir: Path
) -> None:
    con = loaded
    assert count(con, "reports") == 4
    for path in sorted(reports_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        result = parse_report(text, path.name)
        where, params = "source_file = ?", [path.name]
        assert count(con, "statistic_rows", where, params) == len(result.rows)
        assert count(con, "note_values", where, params) == sum(len(r.note_facts) for r in result.rows)
        assert count(con, "narrative_blocks", where, params) == len(result.narrative)
        assert count(con, "line_classes", where, params) == len(text.splitlines())
        assert count(con, "quarantine", where, params) == len(result.quarantined)
        assert count(con, "validation_results", "source_file = ? AND NOT success", params) == 0
        assert count(con, "validation_results", where, params) > 10
        # line texts are the file's lines, in order
        stored = con.execute(
            "SELECT line_text FROM raw.line_classes WHERE source_file = ? ORDER BY line_no", params
        ).fetchall()
        assert [r[0] for r in stored] == text.splitlines()


def test_report_rows_carry_manifest_and_document_facts(loaded: duckdb.DuckDBPyConnection) -> None:
    rows = loaded.execute(
        """
        SELECT source_file, template_family, unit_code, unit_level, province, parent_district, period_year,
               period_type, period_number, doc_unit_name, doc_period_line, is_held_out, hold_reason,
               version_number, manifest_sha256_matches
        FROM raw.reports ORDER BY source_file
        """
    ).fetchall()
    assert rows == [
        ("namdinh-catthanh-2024-q3.txt", "national_commune_2024", "14056", "commune",
         "Nam Định", "huyện Trực Ninh", 2024, "quarter", 3, "thị trấn Cát Thành", 5, False, None, 1, None),
        ("soctrang-thanhtri-2021-year.txt", "soctrang_2021", "949", "district", "Sóc Trăng",
         None, 2021, "year", None, "huyện Thạnh Trị", 4, False, None, 1, None),
        ("soctrang-vinhchau-2022-q3.txt", "soctrang_2022", "950", "district", "Sóc Trăng",
         None, 2022, "quarter", 3, "thị xã Vĩnh Châu", 5, False, None, 1, None),
        ("travinh-duyenhai-2023-q1.txt", "national_2023", "851", "district", "Trà Vinh",
         None, 2023, "quarter", 1, "thị xã Duyên Hải", 214, False, None, 1, None),
    ]  # fmt: skip


def test_values_keep_raw_text_and_exact_numbers(loaded: duckdb.DuckDBPyConnection) -> None:
    # soctrang-vinhchau line 12: "1<TAB>Tỷ lệ hoàn thành Kế hoạch CCHC năm ...<TAB>%<TAB>66,67<TAB>..."
    row = loaded.execute(
        """
        SELECT raw_value, value_kind, value_number::VARCHAR, raw_unit, template_row_id
        FROM raw.statistic_rows WHERE source_file = ? AND line_start = 12
        """,
        [VINH_CHAU],
    ).fetchone()
    assert row == ("66,67", "percent", "66.670000", "%", "st22.I.1")


def test_ingest_twice_is_identical(
    loaded: duckdb.DuckDBPyConnection, reports_dir: Path, manifest: Manifest
) -> None:
    before = snapshot(loaded)
    for path in sorted(reports_dir.glob("*.txt")):
        outcome = load_report(loaded, path, manifest)
        assert outcome.status == "already loaded"
        assert outcome.counts == {}
    assert snapshot(loaded) == before


def test_changed_file_is_version_2_and_version_1_is_kept(
    tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    copy = folder / VINH_CHAU
    shutil.copy(reports_dir / VINH_CHAU, copy)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = load_report(con, copy, manifest)
    first_sha = hashlib.sha256(copy.read_bytes()).hexdigest()
    assert (first.version_number, first.is_held_out) == (1, False)
    v1_rows = con.execute(
        "SELECT * FROM raw.statistic_rows WHERE report_id = ?", [first.report_id]
    ).fetchall()

    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("\t66,67\t", "\t70,37\t", 1), encoding="utf-8")
    guard = parse_manifest(f"reports:\n  - file: {VINH_CHAU}\n    sha256: {first_sha}\n", "m.yml")
    second = load_report(con, copy, guard)
    assert second.status == "loaded"
    assert second.report_id != first.report_id
    assert second.version_number == 2
    assert second.is_held_out  # the manifest's optional sha256 guard is that of the original file
    assert (
        second.hold_reason is not None and "file changed since the manifest was written" in second.hold_reason
    )
    assert count(con, "reports", "unit_code = '950'") == 2
    assert (
        con.execute("SELECT * FROM raw.statistic_rows WHERE report_id = ?", [first.report_id]).fetchall()
        == v1_rows
    )
    new_value = con.execute(
        "SELECT raw_value FROM raw.statistic_rows WHERE report_id = ? AND line_start = 12", [second.report_id]
    ).fetchone()
    assert new_value == ("70,37",)


def test_invalid_utf8_fails_cleanly_and_leaves_earlier_loads(
    loaded: duckdb.DuckDBPyConnection, tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    before = snapshot(loaded)
    data = (reports_dir / VINH_CHAU).read_bytes()
    bad = tmp_path / "broken-vinhchau.txt"
    bad.write_bytes(data.replace("Vĩnh Châu".encode(), b"V\xecnh Ch\xe2u", 1))  # cp1258 bytes, line 8
    with pytest.raises(LoadError) as info:
        load_report(loaded, bad, manifest)
    assert str(info.value).startswith("broken-vinhchau.txt:8: cannot parse: not UTF-8 text")
    after = snapshot(loaded)
    for table in TABLES:
        if table != "quarantine":
            assert after[table] == before[table], table
    entries = loaded.execute(
        "SELECT report_id, line_start, line_end, reason FROM raw.quarantine WHERE source_file = ?", [bad.name]
    ).fetchall()
    assert len(entries) == 1
    assert entries[0][:3] == (None, 1, len(data.splitlines()))
    assert "not UTF-8" in entries[0][3]
    # failing again does not add a second entry
    with pytest.raises(LoadError):
        load_report(loaded, bad, manifest)
    assert count(loaded, "quarantine", "source_file = ?", [bad.name]) == 1


def test_text_of_no_family_fails_and_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "recipe.txt"
    path.write_text("Công thức nấu phở\n\nXương bò, bánh phở.\n", encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    with pytest.raises(LoadError, match=r"^recipe.txt: cannot parse: cannot tell the template family"):
        load_report(con, path, None)
    assert count(con, "reports") == 0
    assert con.execute("SELECT line_start, line_end FROM raw.quarantine").fetchall() == [(1, 3)]


def test_validation_failure_commits_nothing_of_the_file(
    loaded: duckdb.DuckDBPyConnection, tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    before = snapshot(loaded)
    copy = tmp_path / VINH_CHAU
    copy.write_text((reports_dir / VINH_CHAU).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    now = datetime(2024, 10, 1, 12, 0)
    prepared = prepare_report(copy, copy.read_bytes(), now=now)
    rows = prepared.frames.statistic_rows
    rows.loc[rows.index[rows["line_start"] == 13][0], "line_end"] = 12  # a row ending before it starts
    with pytest.raises(LoadError) as info:
        commit_report(loaded, prepared, manifest, default_context(), now)
    message = str(info.value)
    assert message.startswith(f"{VINH_CHAU}:13: validation failed: ")
    assert (
        "expect_column_pair_values_a_to_be_greater_than_b(line_end,line_start) failed for rows at lines 13"
        in (message)
    )
    after = snapshot(loaded)
    for table in ("reports", "statistic_rows", "note_values", "narrative_blocks", "line_classes"):
        assert after[table] == before[table], table
    assert count(loaded, "quarantine", "quarantine_id = ?", [f"file:{prepared.report_id}"]) == 1
    failed = loaded.execute(
        "SELECT expectation FROM raw.validation_results WHERE report_id = ? AND NOT success",
        [prepared.report_id],
    ).fetchall()
    assert failed == [("statistic_rows.expect_column_pair_values_a_to_be_greater_than_b",)]


def test_report_without_unit_or_period_is_loaded_but_held_out(tmp_path: Path, reports_dir: Path) -> None:
    # a copy whose title no longer names unit or period, and no manifest entry for it
    text = (reports_dir / VINH_CHAU).read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[4] = "BÁO CÁO ĐỊNH KỲ"  # was "QUÝ III NĂM 2022 CỦA THỊ XÃ VĨNH CHÂU"
    lines[6] = "(Kèm theo Báo cáo số /BC-UBND"  # the date line
    lines[7] = "của Ủy ban nhân dân)"
    path = tmp_path / "anonymous.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    outcome = load_report(con, path, parse_manifest("reports: []\n", "m.yml"))
    assert outcome.status == "loaded" and outcome.is_held_out
    assert outcome.hold_reason == (
        "period unknown: the document does not state its period; add to data/manifest.yml "
        "'- file: anonymous.txt' with 'period: {year: YYYY, type: quarter, number: N}'; "
        "unit unknown: the document does not name its reporting unit; add to data/manifest.yml "
        "'- file: anonymous.txt' with 'unit_code: <GSO code>'"
    )
    row = con.execute("SELECT unit_code, period_year, is_held_out FROM raw.reports").fetchone()
    assert row == (None, None, True)
    assert count(con, "statistic_rows") == len(parse_report(path.read_text(encoding="utf-8"), path.name).rows)


def test_document_facts_without_manifest_entry_resolve_the_unit(tmp_path: Path, reports_dir: Path) -> None:
    path = tmp_path / "vinhchau-copy.txt"
    shutil.copy(reports_dir / VINH_CHAU, path)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    outcome = load_report(con, path, parse_manifest("", "m.yml"))
    assert not outcome.is_held_out
    row = con.execute(
        """
        SELECT unit_code, unit_name, unit_level, province, period_type, period_number, period_year
        FROM raw.reports
        """
    ).fetchone()
    assert row == ("950", "thị xã Vĩnh Châu", "district", "Sóc Trăng", "quarter", 3, 2022)


def test_quarantined_lines_are_written(tmp_path: Path, reports_dir: Path) -> None:
    # every QUARANTINE line of a parse result becomes one raw.quarantine row with its text
    path = tmp_path / VINH_CHAU
    shutil.copy(reports_dir / VINH_CHAU, path)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    outcome = load_report(con, path, None)
    result = parse_report(path.read_text(encoding="utf-8"), path.name)
    quarantined = [r.line_no for r in result.lines if r.line_class is LineClass.QUARANTINE]
    stored = con.execute("SELECT line_start FROM raw.quarantine ORDER BY line_start").fetchall()
    assert [r[0] for r in stored] == quarantined
    assert outcome.counts["quarantine"] == len(quarantined)
