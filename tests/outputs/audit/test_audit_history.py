"""New / still open / resolved across two real builds (`cchc build` twice, dbt's incremental
``audit.dq_findings_history`` in between), and an unrecognised row of a real document on the page.

Build 1 loads the samples of Thạnh Trị 2021 and Vĩnh Châu 2022-Q3. Build 2 loads a corrected
Thạnh Trị (version 2 of the same unit and period, same line numbers):

- line 86: district dossiers received 2.953 -> 2.999, so the chain received >= resolved (2.968)
  holds: the finding of build 1 is resolved;
- line 92: commune dossiers resolved 68.826 -> 69.826, more than received (68.826): a new finding;
- line 88: the district on-time rate row relabelled with a label no template has: its value is
  used by no rule, a new "row not recognised" finding quoting the line.

Vĩnh Châu is unchanged: its findings are still open.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt_project_runner import REPORTS_DIR, THANH_TRI, VINH_CHAU
from sibling_modules import sibling

from ingest.batch import read_manifest
from pipeline.build import BuildResult, OutputPaths, build

_report = sibling(__file__, "test_audit_report")
parse_page = _report.parse_page
page_findings = _report.page_findings
run_chromium = sibling(__file__, "test_audit_browser").run_chromium

UNRECOGNISED_LABEL = "Ghi chú kiểm thử QX-17 <script>x</script>"
EDITS = {
    86: ("2.953", "2.999"),
    92: ("68.826\t", "69.826\t"),
}


def corrected_thanh_tri(directory: Path) -> Path:
    lines = (REPORTS_DIR / THANH_TRI).read_text(encoding="utf-8").split("\n")
    for line_no, (old, new) in EDITS.items():
        assert lines[line_no - 1].count(old) == 1, line_no
        lines[line_no - 1] = lines[line_no - 1].replace(old, new)
    assert "cấp huyện tiếp nhận được giải quyết đúng hạn\t100%" in lines[87]
    lines[87] = f"\t{UNRECOGNISED_LABEL}\t77%\t"
    path = directory / "soctrang-thanhtri-2021-year-corrected.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, BuildResult, Path]:
    root = tmp_path_factory.mktemp("audit_history")
    warehouse = root / "cchc.duckdb"
    outputs = OutputPaths(target=root / "target")
    manifest = read_manifest(None)
    first = build([REPORTS_DIR / THANH_TRI, REPORTS_DIR / VINH_CHAU], warehouse, manifest, outputs=outputs)
    second = build([corrected_thanh_tri(root)], warehouse, manifest, outputs=outputs)
    return first, second, outputs.audit_dir


def rows_of(page: Path) -> list[dict[str, str]]:
    """The rows of a findings page as its data files hold them (rule, status, id, line)."""
    return [
        {"data-rule": r["rule_id"], "data-status": r["status"], "data-finding-id": r["finding_id"],
         "data-line-start": str(r["line_start"]), "lines": r["lines"], "observed": r["observed"]}
        for r in page_findings(page.parent.parent, page.name.removesuffix(".html"))
    ]  # fmt: skip


def test_first_build_has_only_new_findings(two_builds: tuple[BuildResult, BuildResult, Path]) -> None:
    first, _, _ = two_builds
    assert first.dbt_success and first.audit is not None
    assert first.audit.findings_by_status["open"] == first.audit.findings_by_status["resolved"] == 0
    assert first.audit.findings_by_status["new"] == first.audit.finding_count > 0


def test_second_build_marks_resolved_new_and_open(two_builds: tuple[BuildResult, BuildResult, Path]) -> None:
    first, second, audit_dir = two_builds
    assert second.dbt_success and second.audit is not None and first.audit is not None
    thanh_tri = {
        (r["data-rule"], r["data-status"]) for r in rows_of(audit_dir / "findings" / "soc-trang_2021-y.html")
    }
    assert ("chain_district_dossiers", "resolved") in thanh_tri
    assert ("chain_commune_dossiers", "new") in thanh_tri
    assert ("unmapped_value", "new") in thanh_tri
    assert not any(rule == "chain_district_dossiers" and status != "resolved" for rule, status in thanh_tri)
    vinh_chau = rows_of(audit_dir / "findings" / "soc-trang_2022-q3.html")
    assert vinh_chau and {r["data-status"] for r in vinh_chau} == {"open"}
    pages = [p for p in sorted((audit_dir / "findings").glob("*.html")) if not p.name.endswith(".en.html")]
    every_row = [r for page in pages for r in rows_of(page)]
    assert second.audit.findings_by_status["open"] == sum(r["data-status"] == "open" for r in every_row)
    assert second.audit.findings_by_status["resolved"] >= 1


def test_unrecognised_row_is_quoted_with_its_line(two_builds: tuple[BuildResult, BuildResult, Path]) -> None:
    _, _, audit_dir = two_builds
    index = (audit_dir / "index.html").read_text(encoding="utf-8")
    rows = parse_page(index).table_rows["unrecognised-table"]
    # line 88 (relabelled) beside the values written on group-header rows of the samples (68, 30)
    assert "88" in [r["data-line"] for r in rows]
    section = index.split('id="unrecognised"')[1].split("</section>")[0]
    assert "Ghi chú kiểm thử QX-17 &lt;script&gt;x&lt;/script&gt;" in section
    assert "<script>x" not in index
    page = audit_dir / "findings" / "soc-trang_2021-y.html"
    (finding,) = [
        r for r in rows_of(page) if r["data-rule"] == "unmapped_value" and r["data-line-start"] == "88"
    ]
    assert finding["lines"][88] == f"\t{UNRECOGNISED_LABEL}\t77%\t"
    # on the page, the value written on line 88 is marked (the page's script, in Chromium)
    dom = run_chromium(audit_dir.parent / "chromium-profile", "--dump-dom", page.as_uri()).stdout
    assert "77" in parse_page(dom).marks[finding["data-finding-id"]]
    assert "<script>x" not in dom and "Ghi chú kiểm thử QX-17 &lt;script&gt;x&lt;/script&gt;" in dom
