"""The auditor's page in headless Chromium (Debian ``chromium``, see scripts/install_system_deps.sh).

The warehouse is the one of test_audit_report.py (real sample lines, hand-checked findings).
These tests FAIL, not skip, when Chromium is missing: the page is a deliverable.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt_project_runner import SamplesBuild
from sibling_modules import sibling

from outputs.audit.report import write_audit_report

_fixtures = sibling(__file__, "test_audit_report")  # its warehouse builder
CATTHANH: str = _fixtures.CATTHANH
COPY: str = _fixtures.COPY
THANHTRI: str = _fixtures.THANHTRI
UNRECOGNISED_LINE: int = _fixtures.UNRECOGNISED_LINE
XSS: str = _fixtures.XSS
build_warehouse = _fixtures.build_warehouse
sample_lines = _fixtures.sample_lines
add_extras = _fixtures.add_extras
parse_page = _fixtures.parse_page

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT_SECONDS = 120


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "Debian `chromium` is not installed: run `bash scripts/install_system_deps.sh` as root "
            "(or `apt-get install chromium`); the audit page must be tested in a browser."
        )
    return path


def run_chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    """The report of test_audit_report.py's warehouse with its extras (history of two builds,
    names, unrecognised value, quarantine, held-out report)."""
    directory = tmp_path_factory.mktemp("audit_browser")
    fixture = build_warehouse(directory)
    add_extras(fixture)
    out_dir = directory / "target" / "audit"
    write_audit_report(fixture.warehouse, out_dir, fixture.run_results)
    yield fixture, out_dir


def visible_rows(dom: str) -> list[dict[str, str]]:
    """The findings rows that the page's script left shown (no ``hidden`` attribute)."""
    return [r for r in parse_page(dom).table_rows["findings-table"] if "hidden" not in r]


def test_rendered_dom_has_the_findings(report: tuple[Any, Path], tmp_path: Path) -> None:
    fixture, out_dir = report
    page = out_dir / "findings" / "soc-trang_2021.html"
    dom = run_chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    parsed = parse_page(dom)
    rows = parsed.table_rows["findings-table"]
    assert [(r["data-severity"], r["data-finding-id"], r["data-status"]) for r in rows] == [
        ("warning", "gone-1", "resolved"),  # line 80, before line 86
        ("warning", f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1", "open"),
        ("info", f"{fixture.ids[THANHTRI]}:outlier_dossiers_received_commune:1", "new"),
    ]
    assert len(visible_rows(dom)) == 3  # no filter: everything shown
    assert parsed.marks[f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"] == ["2.953", "2.968"]
    # the filters were filled from the rows by the script: one option per value, plus "all"
    assert '<option value="resolved">đã khắc phục</option>' in dom
    assert '<option value="chain_dossiers_district">chain_dossiers_district</option>' in dom
    assert "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận" in dom


def test_filters_from_the_url_hash(report: tuple[Any, Path], tmp_path: Path) -> None:
    fixture, out_dir = report
    page = out_dir / "findings" / "soc-trang_2021.html"
    dom = run_chromium(tmp_path / "p1", "--dump-dom", page.as_uri() + "#status=resolved").stdout
    assert [r["data-finding-id"] for r in visible_rows(dom)] == ["gone-1"]
    assert '<strong id="shown-count">1</strong>' in dom
    dom = run_chromium(tmp_path / "p2", "--dump-dom", page.as_uri() + "#severity=info&status=new").stdout
    assert [r["data-finding-id"] for r in visible_rows(dom)] == [
        f"{fixture.ids[THANHTRI]}:outlier_dossiers_received_commune:1"
    ]
    # search folds diacritics: "ket qua" finds "Kết quả" (a context line of the chain finding)
    dom = run_chromium(tmp_path / "p3", "--dump-dom", page.as_uri() + "#q=ket%20qua%20giai%20quyet").stdout
    assert f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1" in [
        r["data-finding-id"] for r in visible_rows(dom)
    ]
    # a link of the index's rule table sets the rule filter
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="findings/soc-trang_2021.html#rule=chain_dossiers_district"' in index
    dom = run_chromium(tmp_path / "p4", "--dump-dom", page.as_uri() + "#rule=chain_dossiers_district").stdout
    assert [r["data-finding-id"] for r in visible_rows(dom)] == [
        f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"
    ]


def test_document_text_stays_text_in_the_browser(report: tuple[Any, Path], tmp_path: Path) -> None:
    fixture, out_dir = report
    page = out_dir / "findings" / "soc-trang_2022-q3.html"
    dom = run_chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    parsed = parse_page(dom)
    tags = [tag for tag, _ in parsed.tags]
    # the page's own scripts (setup, dict.js, its data file, its script), nothing from the documents
    assert tags.count("script") == 4
    assert [a.get("src") for t, a in parsed.tags if t == "script" and "src" in a] == [
        "data/dict.js",
        "data/soc-trang_2022-q3.0.js",
        "data/audit_findings.js",
    ]
    assert XSS not in dom and "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;Ghi chú&lt;/b&gt;" in dom
    assert "-3 &lt;b&gt;" in dom  # in a message, too
    assert "b" not in tags
    assert parsed.marks[f"{fixture.ids[COPY]}:domain_count_nonnegative:1"] == ["-3"]


def test_print_hides_the_filters_and_keeps_rows_whole(report: tuple[Any, Path], tmp_path: Path) -> None:
    _, out_dir = report
    page = out_dir / "findings" / "soc-trang_2021.html"
    css = page.read_text(encoding="utf-8").split("@media print")[1].split("</style>")[0]
    assert ".filters" in css and "display: none" in css and "break-inside: avoid" in css
    pdf = tmp_path / "page.pdf"
    run_chromium(tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Phát hiện: Sóc Trăng" in text
    assert "Tìm kiếm" not in text  # the filter bar is not printed
    assert "English" not in text  # nor the language switch
    assert "2.953" in text and "đã khắc phục" in text


def test_screenshots_in_both_languages(report: tuple[Any, Path], tmp_path: Path) -> None:
    """Screenshots of the index and a findings page in Vietnamese and English, kept for a person."""
    _, out_dir = report
    names = ("index.html", "index.en.html", "findings/soc-trang_2021.html", "findings/soc-trang_2021.en.html")
    for name in names:
        shot = tmp_path / (name.replace("/", "_") + ".png")
        run_chromium(
            tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1600", (out_dir / name).as_uri()
        )
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1280, 1600)  # IHDR width, height
        assert len(data) > 20_000  # a rendered page, not a blank image
        shutil.copyfile(shot, out_dir / shot.name)  # beside the pages, for a person to look at


def test_quoted_lines_marks_and_names(report: tuple[Any, Path], tmp_path: Path) -> None:
    """Each finding's lines with two lines of context, the observed figures marked in the involved
    lines only, indicator names (not codes) in the page's language, escaped."""
    fixture, out_dir = report
    doms = {
        name: run_chromium(tmp_path / name, "--dump-dom", (out_dir / "findings" / name).as_uri()).stdout
        for name in (
            "soc-trang_2021.html",
            "nam-dinh_2024-q3.html",
            "soc-trang_2021-y.html",
            "soc-trang_2021.en.html",
        )
    }
    thanhtri = parse_page(doms["soc-trang_2021.html"])
    chain = f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"
    assert thanhtri.quoted[chain] == [
        (84, False),
        (85, False),
        (86, True),
        (87, True),
        (88, False),
        (89, False),
    ]
    assert "Kết quả giải quyết TTHC" in "".join(thanhtri.texts[chain])  # line 85, context above
    assert thanhtri.marks[chain] == ["2.953", "2.968"]
    assert thanhtri.marks[f"{fixture.ids[THANHTRI]}:outlier_dossiers_received_commune:1"] == ["68.826"]
    assert thanhtri.quoted["gone-1"] == []  # resolved: no longer found, nothing quoted
    rate = parse_page(doms["nam-dinh_2024-q3.html"])
    rate_id = f"{fixture.ids[CATTHANH]}:rate_online_payment:1"
    # two lines around each involved line; the document ends at line 649
    assert [n for n, _ in rate.quoted[rate_id]] == [*range(634, 639), *range(640, 645), *range(646, 650)]
    assert [n for n, involved in rate.quoted[rate_id] if involved] == [636, 642, 648]
    # "2.5" (row code) and "1.288" (context line 634) are not marked
    assert rate.marks[rate_id] == ["100", "22", "13"]
    unrecognised = parse_page(doms["soc-trang_2021-y.html"])
    (row,) = unrecognised.table_rows["findings-table"]
    assert (row["data-rule"], row["data-line-start"]) == ("unmapped_value", str(UNRECOGNISED_LINE))
    assert (
        "Số liệu không được quy tắc nào sử dụng: dòng không nhận dạng được" in doms["soc-trang_2021-y.html"]
    )
    assert unrecognised.marks[row["data-finding-id"]] == ["100"]
    vi_page, en_page = doms["soc-trang_2021.html"], doms["soc-trang_2021.en.html"]
    assert "Số hồ sơ cấp huyện tiếp nhận: <strong" in vi_page
    assert '<span class="mark mark-open">còn tồn tại</span>' in vi_page
    assert "Dossiers resolved (district): <strong" in en_page and ">open<" in en_page
    assert f"Dossiers received {XSS}" not in en_page
    assert "Dossiers received &lt;script&gt;alert(1)&lt;/script&gt;" in en_page  # a name is escaped too
    assert "commune chain &lt;u&gt;" in vi_page


def test_lines_not_loaded_are_reported(tmp_path: Path) -> None:
    """An involved line that raw.line_classes does not have is named on the page, not left out."""
    fixture = build_warehouse(tmp_path)
    chain = f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"
    con = duckdb.connect(str(fixture.warehouse))
    con.execute("update audit.dq_findings set source_lines = '[86, 87, 9999]' where finding_id = ?", [chain])
    con.close()
    out_dir = tmp_path / "out"
    write_audit_report(fixture.warehouse, out_dir, None)
    page = out_dir / "findings" / "soc-trang_2021.html"
    dom = run_chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    parsed = parse_page(dom)
    assert "Dòng 9999 không có trong raw.line_classes" in "".join(parsed.texts[chain])
    assert [n for n, involved in parsed.quoted[chain] if involved] == [86, 87]


def test_many_rows_are_drawn_a_step_at_a_time(tmp_path: Path) -> None:
    """A page with more findings than one step (500) draws the first 500 and says how many match."""
    warehouse = _fixtures.scaled_warehouse(tmp_path)
    con = duckdb.connect(str(warehouse))
    con.execute(
        "insert into audit.dq_findings select f.finding_id || ':extra:' || k, rule_id, rule_kind, severity, "
        "report_id, unit_code, period_key, indicator_codes, observed, expected, message, source_file, "
        "line_start, line_end, source_lines from audit.dq_findings f, range(100) t(k) "
        "where f.period_key = '2022-Q1' and f.report_id like 'r1-%'"
    )
    con.close()
    out_dir = tmp_path / "out"
    write_audit_report(warehouse, out_dir, None)
    total = 5 * 7 * 101  # the page of province 1, 2022-Q1: 5 units x 7 findings, each 100 more times
    big = out_dir / "findings" / "soc-trang_2022-q1.html"
    assert f"/ {total}</span>" in big.read_text(encoding="utf-8")
    dom = run_chromium(tmp_path / "profile", "--dump-dom", big.as_uri()).stdout
    assert len(visible_rows(dom)) == 500
    assert f'<strong id="shown-count">{total}</strong>' in dom
    assert f"Đang hiện 500 phát hiện đầu tiên trên {total} phát hiện phù hợp." in dom
    assert ">Hiện thêm 500<" in dom and ">Hiện tất cả<" in dom
    # a filter narrows the matches below a step: all drawn, no "more" note
    dom = run_chromium(tmp_path / "p2", "--dump-dom", big.as_uri() + "#rule=rule_3&unit=U1-2").stdout
    assert len(visible_rows(dom)) == 101 and '<p id="more-rows" class="muted" hidden="">' in dom


def test_finding_messages_in_the_language_of_the_page(samples_build: SamplesBuild, tmp_path: Path) -> None:
    """The real build's pages: each finding's message in Vietnamese on the vi page, in English on the
    en page (audit.dq_findings.message_vi / message), in the DOM Chromium renders; screenshots kept."""
    out_dir = samples_build.outputs.audit_dir
    page = out_dir / "findings" / "soc-trang_2021-y.html"
    vi_dom = run_chromium(tmp_path / "vi", "--dump-dom", page.as_uri()).stdout
    en_dom = run_chromium(
        tmp_path / "en", "--dump-dom", page.with_name("soc-trang_2021-y.en.html").as_uri()
    ).stdout
    chain_vi = (
        "procedures.district.dossiers_resolved (2968) lớn hơn procedures.district.dossiers_received (2953)"
    )
    chain_en = (
        "procedures.district.dossiers_resolved (2968) exceeds procedures.district.dossiers_received (2953)"
    )
    assert chain_vi in vi_dom and chain_en not in vi_dom
    assert chain_en in en_dom and chain_vi not in en_dom
    assert "cần một số đếm hoặc số tiền nhưng dòng chứa" in vi_dom and "expects a count" not in vi_dom
    assert "expects a count or amount but the row holds" in en_dom and "cần một số đếm" not in en_dom
    # the index's table of values no rule uses, too
    index_vi = run_chromium(tmp_path / "ivi", "--dump-dom", (out_dir / "index.html").as_uri()).stdout
    index_en = run_chromium(tmp_path / "ien", "--dump-dom", (out_dir / "index.en.html").as_uri()).stdout
    assert "giá trị không được quy tắc nào sử dụng: dòng cố ý không ánh xạ" in index_vi
    assert "value not used by any rule: row deliberately not mapped" in index_en
    assert "giá trị không được quy tắc nào sử dụng" not in index_en
    for name in ("soc-trang_2021-y.html", "soc-trang_2021-y.en.html"):
        shot = tmp_path / f"messages_{name}.png"
        run_chromium(
            tmp_path / "shot",
            f"--screenshot={shot}",
            "--window-size=1280,1600",
            (page.with_name(name)).as_uri(),
        )
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        shutil.copyfile(shot, out_dir / shot.name)  # beside the pages, for a person to look at
