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

import pytest
from dbt_project_runner import SamplesBuild
from sibling_modules import sibling

from outputs.audit.report import write_audit_report

_fixtures = sibling(__file__, "test_audit_report")  # its warehouse builder
CATTHANH: str = _fixtures.CATTHANH
COPY: str = _fixtures.COPY
THANHTRI: str = _fixtures.THANHTRI
XSS: str = _fixtures.XSS
build_warehouse = _fixtures.build_warehouse
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
    _, out_dir = report
    page = out_dir / "findings" / "soc-trang_2022-q3.html"
    dom = run_chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    tags = [tag for tag, _ in parse_page(dom).tags]
    assert tags.count("script") == 1  # the page's own filter script, nothing from the documents
    assert XSS not in dom and "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "b" not in tags


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
