"""Publishing on a real warehouse: the shipped inputs ingested, then `dbt build` (`cchc build`).

The build runs once per test session (``samples_build`` of tests/conftest.py, also used by the
pipeline and KPI page tests); each test publishes into its own tmp_path. Expected values
were checked by eye against the documents: Duyên Hải line 301 "Tổng số hồ sơ TTHC đã giải
quyết xong / Hồ sơ / 220" (Q1 2023), Thạnh Trị line 194 "... gửi hoàn toàn dưới dạng điện tử ...
/ Trên 90%" and line 105 "Số phòng ban chuyên môn thuộc UBND cấp huyện / 12/12" (year 2021).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest
from dbt_project_runner import SamplesBuild

from outputs.errors import PublishError
from outputs.publish import (
    LEFT_OUT_NO_NUMBER,
    LEFT_OUT_NOT_REPORTED,
    REFERENCE_TABLES,
    SDMX_COLUMNS,
    SDMX_DATAFLOW,
    PublishSummary,
    TableSpec,
    format_number,
    publish,
    sdmx_time_period,
    verify_published,
)


@pytest.fixture(scope="module")
def build(samples_build: SamplesBuild) -> SamplesBuild:
    assert samples_build.result.success, samples_build.result.files
    return samples_build


@pytest.fixture(scope="module")
def warehouse_marts(build: SamplesBuild) -> dict[str, int]:
    """Every table of the warehouse's marts schema with its row count, read independently."""
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        counts = {}
        for name in names:
            row = con.execute(f'select count(*) from marts."{name}"').fetchone()
            assert row is not None
            counts[name] = int(row[0])
    return counts


@pytest.fixture(scope="module")
def published(
    build: SamplesBuild, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, PublishSummary]:
    out = tmp_path_factory.mktemp("published")
    path = out / "published" / "cchc_marts.duckdb"
    export = out / "export"
    summary = publish(build.warehouse, path, export)
    return path, export, summary


def _sdmx(export: Path) -> tuple[list[str], list[dict[str, str]]]:
    with (export / "sdmx" / "cchc_indicators.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, r, strict=True)) for r in reader]
    return header, rows


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


# --------------------------------------------------------------------------- the published file


def test_published_file_opens_read_only_with_every_mart(
    published: tuple[Path, Path, PublishSummary], warehouse_marts: dict[str, int]
) -> None:
    path, _, _ = published
    assert {"fct_indicator_values", "dim_indicator", "dim_reporting_unit", "dim_period"} <= set(
        warehouse_marts
    )
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {
            (s, n)
            for s, n in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        assert tables == {("marts", n) for n in warehouse_marts} | set(REFERENCE_TABLES)
        for name, count in warehouse_marts.items():
            row = con.execute(f'select count(*) from marts."{name}"').fetchone()
            assert row is not None and row[0] == count, name
        assert warehouse_marts["fct_indicator_values"] > 0
        # the dbt docs (persist_docs) travel with the tables
        comment = con.execute(
            "select comment from duckdb_tables() where table_name = 'fct_indicator_values'"
        ).fetchone()
        assert comment is not None and "One row per report x canonical indicator" in comment[0]
        with pytest.raises(duckdb.Error):
            con.execute("create table marts.scratch (x integer)")
        # Vietnamese text intact (NFC, diacritics)
        unit_name = con.execute(
            "select unit_full_name_vi from marts.dim_reporting_unit where unit_code = '851'"
        ).fetchone()
        assert unit_name == ("thị xã Duyên Hải",)
    assert _leftovers(path.parent) == []


def test_summary_counts_match_the_published_file(
    published: tuple[Path, Path, PublishSummary], warehouse_marts: dict[str, int]
) -> None:
    _, export, summary = published
    counts = summary.row_counts
    assert {
        k.removeprefix("marts."): v for k, v in counts.items() if k.startswith("marts.")
    } == warehouse_marts
    assert sorted(p.name for p in summary.parquet_files) == sorted(f"{n}.parquet" for n in warehouse_marts)
    assert summary.sdmx_csv == export / "sdmx" / "cchc_indicators.csv"


def test_parquet_files_read_back_equal_to_the_marts(
    build: SamplesBuild, published: tuple[Path, Path, PublishSummary], warehouse_marts: dict[str, int]
) -> None:
    _, export, _ = published
    assert sorted(p.name for p in export.glob("*.parquet")) == sorted(f"{n}.parquet" for n in warehouse_marts)
    with duckdb.connect() as con:
        con.execute(f"attach '{build.warehouse}' as wh (read_only)")
        for name, count in warehouse_marts.items():
            parquet = f"read_parquet('{export / (name + '.parquet')}')"
            mart = f'wh.marts."{name}"'
            row = con.execute(f"select count(*) from {parquet}").fetchone()
            assert row is not None and row[0] == count, name
            for left, right in ((parquet, mart), (mart, parquet)):
                diff = con.execute(
                    f"select count(*) from (select * from {left} except all select * from {right})"
                )
                got = diff.fetchone()
                assert got is not None and got[0] == 0, f"{name}: {left} has rows not in {right}"
            describe = "select column_name, column_type from (describe select * from {})"
            columns = con.execute(describe.format(parquet)).fetchall()
            assert columns == con.execute(describe.format(mart)).fetchall(), name
            assert len(columns) > 1


# --------------------------------------------------------------------------- SDMX-CSV


def test_sdmx_header_and_the_duyen_hai_resolved_dossiers(
    published: tuple[Path, Path, PublishSummary],
) -> None:
    _, export, _ = published
    raw = (export / "sdmx" / "cchc_indicators.csv").read_bytes()
    assert raw.startswith(b"DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,")  # no BOM
    assert b"\r\n" in raw
    header, rows = _sdmx(export)
    assert tuple(header) == SDMX_COLUMNS
    assert header[:5] == ["DATAFLOW", "REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE"]
    assert {r["DATAFLOW"] for r in rows} == {SDMX_DATAFLOW} == {"VN_CCHC:DF_CCHC_INDICATORS(1.0)"}
    resolved = [
        r
        for r in rows
        if r["REF_AREA"] == "851" and r["INDICATOR"] == "procedures.district.dossiers_resolved"
    ]
    assert resolved == [
        {
            "DATAFLOW": SDMX_DATAFLOW,
            "REF_AREA": "851",
            "INDICATOR": "procedures.district.dossiers_resolved",
            "TIME_PERIOD": "2023-Q1",
            "OBS_VALUE": "220",
            "UNIT_MEASURE": "dossier",
            "TEMPLATE_FAMILY": "national_2023",
            "QUALIFIER": "",
            "VALUE_SOURCE": "table_row",
            "COMMENT": "",
        }
    ]
    keys = [(r["REF_AREA"], r["INDICATOR"], r["TIME_PERIOD"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_sdmx_periods_qualifiers_and_fractions(published: tuple[Path, Path, PublishSummary]) -> None:
    _, export, _ = published
    _, rows = _sdmx(export)
    periods = {(r["REF_AREA"], r["TIME_PERIOD"]) for r in rows}
    assert periods == {
        ("949", "2021"),
        ("950", "2022-Q3"),
        ("851", "2023-Q1"),
        ("14056", "2024-Q3"),
    }
    by_key = {(r["REF_AREA"], r["INDICATOR"]): r for r in rows}
    # Thạnh Trị line 194: "Trên 90%" -> 90 with the bound as qualifier
    edocs = by_key[("949", "digital_government.edocs.district.fully_electronic_rate")]
    assert (edocs["OBS_VALUE"], edocs["QUALIFIER"], edocs["UNIT_MEASURE"]) == ("90", ">", "percent")
    # Thạnh Trị line 105: "12/12" -> 12 (the numerator is the count), the fraction in the comment
    departments = by_key[("949", "apparatus.district_departments")]
    assert departments["OBS_VALUE"] == "12"
    assert "fraction 12/12" in departments["COMMENT"]
    # Duyên Hải line 298: the reported on-time rate "99,5" with a decimal point
    rate = by_key[("851", "procedures.district.on_time_rate")]
    assert (rate["OBS_VALUE"], rate["UNIT_MEASURE"]) == ("99.5", "percent")
    # Vĩnh Châu line 88: "5.327" received (Vietnamese thousands separator) -> 5327
    assert by_key[("950", "procedures.district.dossiers_received")]["OBS_VALUE"] == "5327"


def test_sdmx_leaves_out_empty_and_text_values(
    build: SamplesBuild, published: tuple[Path, Path, PublishSummary]
) -> None:
    _, export, summary = published
    _, rows = _sdmx(export)
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        counts = con.execute(
            """
            select count(*) filter (where is_reported and value_number is not null),
                   count(*) filter (where not is_reported),
                   count(*) filter (where is_reported and value_number is null)
            from marts.fct_indicator_values
            """
        ).fetchone()
    assert counts is not None
    numeric, empty, text = counts
    assert len(rows) == numeric
    assert summary.sdmx_rows == numeric
    assert summary.sdmx_left_out == {
        LEFT_OUT_NOT_REPORTED: empty,
        LEFT_OUT_NO_NUMBER: text,
    }
    assert empty > 0 and text > 0
    keys = {(r["REF_AREA"], r["INDICATOR"]) for r in rows}
    # Duyên Hải answers "Không" (no issues found): a text value, not an observation
    assert ("851", "direction.inspection.issues_found") not in keys
    assert all(r["OBS_VALUE"] != "" for r in rows)


@pytest.mark.parametrize(
    ("period_key", "expected"),
    [
        ("2021-Y", "2021"),
        ("2022-Q3", "2022-Q3"),
        ("2023-Q1", "2023-Q1"),
        ("2024-H1", "2024-S1"),
        ("2024-H2", "2024-S2"),
        ("2023-M9", "2023-01-01/P9M"),
    ],
)
def test_sdmx_time_period(period_key: str, expected: str) -> None:
    assert sdmx_time_period(period_key) == expected


@pytest.mark.parametrize("period_key", ["2023", "2023-Q5", "23-Q1", "2023-X", "2023-M13", ""])
def test_sdmx_time_period_rejects_unknown_keys(period_key: str) -> None:
    with pytest.raises(PublishError, match="period key"):
        sdmx_time_period(period_key)


@pytest.mark.parametrize(
    ("value", "expected"), [(220.0, "220"), (0.0, "0"), (99.5, "99.5"), (66.67, "66.67"), (5327.0, "5327")]
)
def test_format_number(value: float, expected: str) -> None:
    assert format_number(value) == expected


def test_format_number_rejects_nan() -> None:
    with pytest.raises(PublishError, match="finite"):
        format_number(float("nan"))


# --------------------------------------------------------------------------- atomicity and failures


def test_failed_export_leaves_the_previous_published_file(build: SamplesBuild, tmp_path: Path) -> None:
    path = tmp_path / "published" / "cchc_marts.duckdb"
    export = tmp_path / "export"
    publish(build.warehouse, path, export)
    before = path.read_bytes()
    parquet_before = (export / "fct_indicator_values.parquet").read_bytes()
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the export directory should be\n", encoding="utf-8")
    with pytest.raises(PublishError, match="cannot create the export directory") as info:
        publish(build.warehouse, path, blocker / "export")
    assert info.value.source_file == str(blocker / "export")
    assert path.read_bytes() == before
    assert (export / "fct_indicator_values.parquet").read_bytes() == parquet_before
    assert _leftovers(path.parent) == []


def test_verification_failure_leaves_the_previous_published_file(build: SamplesBuild, tmp_path: Path) -> None:
    path = tmp_path / "published" / "cchc_marts.duckdb"
    export = tmp_path / "export"
    publish(build.warehouse, path, export)
    before = path.read_bytes()
    sdmx_before = (export / "sdmx" / "cchc_indicators.csv").read_bytes()
    seen: list[Path] = []

    def tampering_verify(temp: Path, expected: Sequence[TableSpec]) -> None:
        """Lose rows in the new copy, then run the real verification on it."""
        seen.append(temp)
        assert temp.parent == path.parent and temp != path
        with duckdb.connect(str(temp)) as con:
            con.execute("delete from marts.fct_indicator_values where unit_code = '950'")
        verify_published(temp, expected)

    with pytest.raises(PublishError, match=r"marts\.fct_indicator_values has \d+ rows, the warehouse \d+"):
        publish(build.warehouse, path, export, verify=tampering_verify)
    assert len(seen) == 1 and not seen[0].exists()
    assert path.read_bytes() == before
    assert (export / "sdmx" / "cchc_indicators.csv").read_bytes() == sdmx_before
    assert _leftovers(path.parent) == []
    assert _leftovers(export) == []


def test_republish_swaps_the_file_under_an_open_reader(build: SamplesBuild, tmp_path: Path) -> None:
    path = tmp_path / "cchc_marts.duckdb"
    export = tmp_path / "export"
    publish(build.warehouse, path, export)
    stale = export / "old_mart.parquet"
    stale.write_bytes(b"PAR1")
    inode = path.stat().st_ino
    with duckdb.connect(str(path), read_only=True) as reader:
        summary = publish(build.warehouse, path, export)
        # the reader keeps the old (complete) file; the new one is a different file
        row = reader.execute("select count(*) from marts.fct_indicator_values").fetchone()
        assert row is not None and row[0] == summary.row_counts["marts.fct_indicator_values"]
    assert path.stat().st_ino != inode
    assert not stale.exists() and summary.removed_stale == (stale,)
    with duckdb.connect(str(path), read_only=True) as con:
        again = con.execute("select count(*) from marts.fct_indicator_values").fetchone()
        assert again is not None and again[0] == summary.row_counts["marts.fct_indicator_values"]


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.duckdb"
    with pytest.raises(PublishError, match="warehouse file not found") as info:
        publish(missing, tmp_path / "out.duckdb", tmp_path / "export")
    assert info.value.source_file == str(missing)


def test_publishing_over_the_warehouse_is_refused(build: SamplesBuild, tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="must not be the warehouse"):
        publish(build.warehouse, build.warehouse, tmp_path / "export")


def test_warehouse_without_marts_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    with duckdb.connect(str(empty)) as con:
        con.execute("create schema raw; create table raw.reports (report_id varchar)")
    out = tmp_path / "published"
    with pytest.raises(PublishError, match="no tables in schema 'marts'"):
        publish(empty, out / "cchc_marts.duckdb", tmp_path / "export")
    assert not (out / "cchc_marts.duckdb").exists()
    assert _leftovers(out) == []


def test_warehouse_without_the_fact_and_seeds_is_refused(tmp_path: Path) -> None:
    partial = tmp_path / "partial.duckdb"
    with duckdb.connect(str(partial)) as con:
        con.execute("create schema marts; create table marts.dim_period (period_key varchar)")
    with pytest.raises(PublishError, match="lacks the tables") as info:
        publish(partial, tmp_path / "published" / "cchc_marts.duckdb", tmp_path / "export")
    message = str(info.value)
    assert "marts.fct_indicator_values" in message and "reference.indicators" in message
    assert not (tmp_path / "export").exists()
