"""Tests of the `cchc` command line through typer's CliRunner, on real files and tmp warehouses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

REQUIRED_KEYS = {
    "line_start",
    "line_end",
    "row_code",
    "row_path",
    "section_code",
    "label",
    "unit",
    "raw_value",
    "value_number",
    "value_kind",
    "qualifier",
    "note",
    "numerator",
    "denominator",
    "template_row_id",
    "value_place",  # the cell of an original document (null for a text file)
}
VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"

runner = CliRunner()


@pytest.fixture()
def reports(tmp_path: Path, reports_dir: Path) -> Path:
    folder = tmp_path / "reports"
    shutil.copytree(reports_dir, folder)
    return folder


def test_parse_json_lines(reports_dir: Path) -> None:
    result = runner.invoke(app, ["parse", str(reports_dir / VINH_CHAU), "--json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) > 100
    for record in records:
        assert set(record) == REQUIRED_KEYS
    # line 12: "1<TAB>Tỷ lệ hoàn thành Kế hoạch CCHC năm (Lũy kế ...)<TAB>%<TAB>66,67<TAB>..."
    first = next(r for r in records if r["line_start"] == 12)
    assert (first["raw_value"], first["value_number"], first["value_kind"], first["unit"]) == (
        "66,67",
        66.67,
        "percent",
        "%",
    )
    assert first["template_row_id"] == "st22.I.1"


def test_parse_table_and_named_template(reports_dir: Path) -> None:
    result = runner.invoke(
        app, ["parse", str(reports_dir / "travinh-duyenhai-2023-q1.txt"), "--template", "national_2023"]
    )
    assert result.exit_code == 0, result.output
    assert "national_2023" in result.stdout
    assert "Biểu mẫu" in result.stdout or "n23.b" in result.stdout


def test_parse_errors_are_one_clean_line(tmp_path: Path, reports_dir: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"BAO CAO\nV\xecnh Ch\xe2u\n")
    result = runner.invoke(app, ["parse", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("bad.txt:2: not UTF-8 text")
    assert "Traceback" not in result.output

    result = runner.invoke(app, ["parse", str(reports_dir / VINH_CHAU), "--template", "nope"])
    assert result.exit_code == 2
    assert "unknown template 'nope'" in result.stderr

    result = runner.invoke(app, ["parse", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(str(tmp_path / "missing.txt"))


def test_ingest_then_again_then_status(tmp_path: Path, reports: Path, manifest_path: Path) -> None:
    warehouse = tmp_path / "wh" / "cchc.duckdb"
    args = ["ingest", str(reports), "--warehouse", str(warehouse), "--manifest", str(manifest_path)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.count(": loaded as ") == 4
    assert "4 file(s): 4 loaded; warehouse" in first.stdout

    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert second.stdout.count(": already loaded") == 4
    assert "4 file(s): 4 already loaded; warehouse" in second.stdout

    status = runner.invoke(app, ["status", "--warehouse", str(warehouse)])
    assert status.exit_code == 0
    assert "4 report(s) loaded, 0 held, 0 file(s) failed" in status.stdout


def test_ingest_failure_exit_code_and_held_out_status(
    tmp_path: Path, reports_dir: Path, manifest_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(reports_dir / VINH_CHAU, folder / VINH_CHAU)
    (folder / "broken.txt").write_bytes(b"\xff\xfe garbage")
    lines = (reports_dir / VINH_CHAU).read_text(encoding="utf-8").splitlines()
    lines[4] = "BÁO CÁO ĐỊNH KỲ"  # the title no longer names unit and period
    lines[6], lines[7] = "(Kèm theo Báo cáo số /BC-UBND", "của Ủy ban nhân dân)"
    (folder / "anonymous.txt").write_text("\n".join(lines), encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"

    result = runner.invoke(
        app, ["ingest", str(folder), "--warehouse", str(warehouse), "--manifest", str(manifest_path)]
    )
    assert result.exit_code == 1
    assert "broken.txt: failed: broken.txt:1: cannot parse: not UTF-8 text" in result.stdout
    assert "anonymous.txt: held out: period unknown: the document does not state its period" in result.stdout
    assert "unit unknown: the document does not name its reporting unit" in result.stdout
    assert "3 file(s): 1 loaded, 1 held, 1 failed" in result.stdout

    status = runner.invoke(app, ["status", "--warehouse", str(warehouse)])
    assert status.exit_code == 1  # a held report and a failed file need a person
    assert "held out: anonymous.txt" in status.stdout
    assert "add to data/manifest.yml '- file: anonymous.txt' with 'period:" in status.stdout
    assert "failed: broken.txt: cannot parse: not UTF-8 text" in status.stdout
    assert "2 report(s) loaded, 1 held, 1 file(s) failed" in status.stdout


def test_ingest_with_bad_manifest_is_one_line_exit_2(tmp_path: Path, reports: Path) -> None:
    manifest = tmp_path / "m.yml"
    manifest.write_text(
        "reports:\n  - file: a.txt\n    period: {year: 2022, type: month}\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["ingest", str(reports), "--warehouse", str(tmp_path / "w.duckdb"), "--manifest", str(manifest)]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    # only `file:` is required now; the period type is checked
    assert len(lines) == 1 and lines[0].startswith(f"{manifest}:3: period type must be one of year, quarter")


def test_status_without_warehouse(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--warehouse", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "warehouse not found" in result.stderr


def test_synth_writes_reports_that_parse(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    args = ["synth", "--out", str(out), "--units", "2", "--family", "soctrang_2022", "--seed", "7"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    reports = sorted((out / "reports").glob("*.txt"))
    assert len(reports) == 2
    assert (out / "ground_truth.csv").read_text(encoding="utf-8").startswith("file,")
    parsed = runner.invoke(app, ["parse", str(reports[0]), "--json"])
    assert parsed.exit_code == 0, parsed.output
    assert len(parsed.output.splitlines()) > 100
