"""Tests of intake without a manifest, re-submissions and re-decided holds (real DuckDB, real samples).

Each test copies sample reports into its own folder and warehouse under tmp_path and ingests them
with :func:`ingest.batch.ingest_paths`, as ``cchc ingest`` does.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from ingest.batch import FileResult, ingest_paths
from ingest.intake import decide_report
from ingest.manifest import parse_manifest
from outputs.load_status import STATUS_ORDER, needs_person, summary_line

VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"
THANH_TRI = "soctrang-thanhtri-2021-year.txt"


def copy_sample(reports_dir: Path, name: str, folder: Path, as_name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (as_name or name)
    shutil.copy(reports_dir / name, target)
    return target


def reports(warehouse: Path) -> dict[str, dict[str, Any]]:
    """raw.reports by file name."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "SELECT source_file, unit_code, period_type, period_year, period_number, version_number, "
            "is_held_out, hold_reason, review_status, unit_source, period_source FROM raw.reports"
        )
        columns = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def statuses(results: list[FileResult]) -> dict[str, str]:
    return {r.path.name: r.status for r in results}


def test_truncated_copy_is_held_and_the_first_version_stays_current(
    tmp_path: Path, reports_dir: Path
) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = ingest_paths([copy_sample(reports_dir, VINH_CHAU, tmp_path / "q3")], warehouse, None)
    assert statuses(first) == {VINH_CHAU: "loaded"}
    lines = (reports_dir / VINH_CHAU).read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "later" / "vinhchau-resent.txt"
    cut.parent.mkdir()
    cut.write_text("\n".join(lines[:90]) + "\n", encoding="utf-8")  # cut mid-table
    second = ingest_paths([cut], warehouse, None)
    assert statuses(second) == {"vinhchau-resent.txt": "held"}
    assert needs_person(second)
    rows = reports(warehouse)
    held = rows["vinhchau-resent.txt"]
    assert (held["unit_code"], held["version_number"], held["review_status"]) == ("950", 2, "held for review")
    assert (
        "far fewer statistic rows" in held["hold_reason"]
        and f"version 1 ({VINH_CHAU})" in held["hold_reason"]
    )
    assert (rows[VINH_CHAU]["review_status"], rows[VINH_CHAU]["is_held_out"]) == ("current", False)


def test_corrected_resubmission_replaces_and_every_version_stays(tmp_path: Path, reports_dir: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    ingest_paths([copy_sample(reports_dir, VINH_CHAU, tmp_path / "a")], warehouse, None)
    text = (reports_dir / VINH_CHAU).read_text(encoding="utf-8")
    corrected = tmp_path / "b" / "vinhchau-corrected.txt"
    corrected.parent.mkdir()
    corrected.write_text(text.replace("\t66,67\t", "\t70,37\t", 1), encoding="utf-8")
    results = ingest_paths([corrected], warehouse, None)
    assert statuses(results) == {"vinhchau-corrected.txt": "new version"}
    assert not needs_person(results)
    rows = reports(warehouse)
    assert rows["vinhchau-corrected.txt"]["review_status"] == "current"
    assert rows["vinhchau-corrected.txt"]["version_number"] == 2
    assert (rows[VINH_CHAU]["review_status"], rows[VINH_CHAU]["is_held_out"]) == ("superseded", False)


def test_two_new_files_for_one_unit_and_period_in_one_batch_are_both_held(
    tmp_path: Path, reports_dir: Path
) -> None:
    folder = tmp_path / "inbox"
    copy_sample(reports_dir, THANH_TRI, folder)
    other = folder / "thanhtri-again.txt"
    other.write_text((reports_dir / THANH_TRI).read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    results = ingest_paths([folder], tmp_path / "w.duckdb", None)
    assert statuses(results) == {THANH_TRI: "held", "thanhtri-again.txt": "held"}
    for row in reports(tmp_path / "w.duckdb").values():
        assert row["review_status"] == "held for review"
        assert "2 files for the same unit and period in one batch" in row["hold_reason"]


def test_repeated_tables_are_held_as_duplicate_row_codes(tmp_path: Path, reports_dir: Path) -> None:
    lines = (reports_dir / VINH_CHAU).read_text(encoding="utf-8").splitlines()
    body = lines[9:120]  # the table from its first section, written twice
    doubled = tmp_path / "in" / "vinhchau-big.txt"
    doubled.parent.mkdir()
    doubled.write_text("\n".join(lines + body) + "\n", encoding="utf-8")
    results = ingest_paths([doubled], tmp_path / "w.duckdb", None)
    assert statuses(results) == {"vinhchau-big.txt": "held"}
    reason = reports(tmp_path / "w.duckdb")["vinhchau-big.txt"]["hold_reason"]
    assert "duplicate row codes" in reason


def test_accept_and_reject_are_recorded_with_who_and_when(tmp_path: Path, reports_dir: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    folder = tmp_path / "inbox"
    copy_sample(reports_dir, THANH_TRI, folder)
    other = folder / "thanhtri-again.txt"
    other.write_text((reports_dir / THANH_TRI).read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    ingest_paths([folder], warehouse, None)
    accepted = decide_report(warehouse, str(other), "accept", "lan", None)
    assert (accepted.status, accepted.reason) == ("current", None)
    rejected = decide_report(warehouse, THANH_TRI, "reject", "minh", None)
    assert rejected.status == "rejected" and (rejected.reason or "").startswith("rejected by minh at ")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        decisions = con.execute(
            "SELECT r.source_file, d.decision, d.decided_by, d.decided_at IS NOT NULL "
            "FROM raw.report_decisions d JOIN raw.reports r USING (report_id) ORDER BY d.decided_at"
        ).fetchall()
    assert decisions == [("thanhtri-again.txt", "accept", "lan", True), (THANH_TRI, "reject", "minh", True)]
    rows = reports(warehouse)
    assert rows["thanhtri-again.txt"]["is_held_out"] is False
    assert rows[THANH_TRI]["is_held_out"] is True
    # a later ingest keeps the decisions
    again = ingest_paths([folder], warehouse, None)
    assert statuses(again) == {THANH_TRI: "rejected", "thanhtri-again.txt": "already loaded"}
    assert not needs_person(again)


def test_hold_is_re_decided_when_the_manifest_changes(tmp_path: Path, reports_dir: Path) -> None:
    lines = (reports_dir / VINH_CHAU).read_text(encoding="utf-8").splitlines()
    lines[4] = "BÁO CÁO ĐỊNH KỲ"  # the title no longer states unit or period
    lines[6] = "(Kèm theo Báo cáo số /BC-UBND"
    lines[7] = "của Ủy ban nhân dân)"
    path = tmp_path / "inbox" / "anonymous.txt"
    path.parent.mkdir()
    path.write_text("\n".join(lines), encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    first = ingest_paths([path], warehouse, None)
    assert statuses(first) == {"anonymous.txt": "held"}
    assert "unit unknown" in reports(warehouse)["anonymous.txt"]["hold_reason"]
    manifest = parse_manifest(
        "reports:\n  - file: anonymous.txt\n    unit_code: st-vinh-chau\n"
        "    period: {year: 2022, type: quarter, number: 3}\n",
        "m.yml",
    )
    second = ingest_paths([path], warehouse, manifest)
    assert statuses(second) == {"anonymous.txt": "already loaded"}
    row = reports(warehouse)["anonymous.txt"]
    assert (row["unit_code"], row["period_number"], row["is_held_out"], row["review_status"]) == (
        "950", 3, False, "current",
    )  # fmt: skip
    assert (row["unit_source"], row["period_source"]) == ("manifest", "manifest")


def test_province_context_is_kept_and_re_decided(tmp_path: Path, reports_dir: Path) -> None:
    path = copy_sample(reports_dir, THANH_TRI, tmp_path / "inbox", "thanhtri.txt")
    warehouse = tmp_path / "w.duckdb"
    wrong = ingest_paths([path], warehouse, None, province="Trà Vinh")
    assert statuses(wrong) == {"thanhtri.txt": "held"}
    assert "no unit 'huyện Thạnh Trị'" in reports(warehouse)["thanhtri.txt"]["hold_reason"]
    fixed = ingest_paths([path], warehouse, None, province="Sóc Trăng")
    assert statuses(fixed) == {"thanhtri.txt": "already loaded"}
    assert reports(warehouse)["thanhtri.txt"]["unit_code"] == "949"
    # a later batch without --province keeps the context the file was ingested with
    assert statuses(ingest_paths([path], warehouse, None)) == {"thanhtri.txt": "already loaded"}


def test_summary_counts_apart_and_cli_exit_codes(tmp_path: Path, reports_dir: Path) -> None:
    folder = tmp_path / "inbox"
    copy_sample(reports_dir, VINH_CHAU, folder)
    warehouse = tmp_path / "w.duckdb"
    runner = CliRunner()
    base = ["--warehouse", str(warehouse)]
    first = runner.invoke(app, ["ingest", str(folder), *base])
    assert first.exit_code == 0, first.output
    assert "1 file(s): 1 loaded;" in first.output
    again = runner.invoke(app, ["ingest", str(folder), *base])
    assert again.exit_code == 0 and "1 file(s): 1 already loaded;" in again.output
    cut = folder / "cut.txt"
    cut.write_text(
        "\n".join((reports_dir / VINH_CHAU).read_text(encoding="utf-8").splitlines()[:90]), encoding="utf-8"
    )
    held = runner.invoke(app, ["ingest", str(folder), *base])
    assert held.exit_code == 1, held.output
    assert "2 file(s): 1 already loaded, 1 held;" in held.output
    status = runner.invoke(app, ["status", "--json", *base])
    assert status.exit_code == 1
    info = json.loads(status.output)
    states = {r["source_file"]: r["review_status"] for r in info["reports"]}
    assert states == {VINH_CHAU: "current", "cut.txt": "held for review"}
    accepted = runner.invoke(app, ["accept", "cut.txt", "--by", "lan", *base])
    assert accepted.exit_code == 0 and "now current" in accepted.output
    assert runner.invoke(app, ["status", *base]).exit_code == 0


@pytest.mark.parametrize("status", ["loaded", "new version", "already loaded", "rejected"])
def test_statuses_that_need_nobody(status: str) -> None:
    class Item:
        def __init__(self, s: str) -> None:
            self.status = s

    assert not needs_person([Item(status)])
    assert needs_person([Item(status), Item("quarantined")])
    parts = sorted([(status, f"1 {status}"), ("held", "2 held")], key=lambda p: STATUS_ORDER.index(p[0]))
    expected = "3 file(s): " + ", ".join(text for _, text in parts)
    assert summary_line([Item(status), Item("held"), Item("held")]) == expected
