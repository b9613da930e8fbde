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
from sibling_modules import sibling

from outputs.audit.report import write_audit_report

_fixtures = sibling(__file__, "test_audit_report")  # its warehouse builder
CATTHANH: str = _fixtures.CATTHANH
COPY: str = _fixtures.COPY
THANHTRI: str = _fixtures.THANHTRI
XSS: str = _fixtures.XSS
build_warehouse = _fixtures.build_warehouse
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
    directory = tmp_path_factory.mktemp("audit_browser")
    fixture = build_warehouse(directory)
    out_dir = directory / "target" / "audit"
    write_audit_report(fixture.warehouse, out_dir, fixture.run_results)
    yield fixture, out_dir / "index.html"


def test_rendered_dom_has_the_findings(report: tuple[Any, Path], tmp_path: Path) -> None:
    fixture, index = report
    dom = run_chromium(tmp_path / "profile", "--dump-dom", index.as_uri()).stdout
    parsed = parse_page(dom)
    rows = parsed.table_rows["findings-table"]
    assert [(r["data-severity"], r["data-finding-id"]) for r in rows] == [
        ("error", f"{fixture.ids[COPY]}:domain_count_nonnegative:1"),
        ("warning", f"{fixture.ids[CATTHANH]}:rate_online_payment:1"),
        ("warning", f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"),
        ("info", f"{fixture.ids[THANHTRI]}:outlier_dossiers_received_commune:1"),
    ]
    assert parsed.marks[f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"] == ["2.953", "2.968"]
    assert len(parsed.table_rows["passed-table"]) == 4
    assert len(parsed.table_rows["dbt-table"]) == 3
    # the document's "<script>" stayed text: no script element was created, Vietnamese intact
    assert "script" not in {tag for tag, _ in parsed.tags}
    assert XSS not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận" in dom


def test_screenshot_is_a_png(report: tuple[Any, Path], tmp_path: Path) -> None:
    _, index = report
    shot = tmp_path / "audit.png"
    run_chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", index.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    assert (width, height) == (1280, 2000)
    assert len(data) > 20_000  # a rendered page, not a blank image
