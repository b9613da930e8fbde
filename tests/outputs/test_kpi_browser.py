"""The KPI overview page in headless Chromium (Debian ``chromium``, see scripts/install_system_deps.sh).

The page is written from the session's real build of the four samples (``samples_build`` of
tests/conftest.py, see test_kpi_page.py); Chromium and its flags are those of the audit page's
browser test. These tests FAIL, not skip, when Chromium is missing: the page is a deliverable.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest
from dbt_project_runner import SamplesBuild
from sibling_modules import sibling

from outputs.kpi_page import write_kpi_page

_page_tests = sibling(__file__, "test_kpi_page")
SAMPLE_ROWS: set[tuple[str, str]] = _page_tests.SAMPLE_ROWS
ONLINE: dict[str, float] = _page_tests.ONLINE
parse_tree = _page_tests.parse_tree
scorecard_rows = _page_tests.scorecard_rows
charts = _page_tests.charts
run_chromium = sibling(str(Path(__file__).parent / "audit" / "_"), "test_audit_browser").run_chromium

SCREEN = (1280, 1800)


@pytest.fixture(scope="module")
def page(samples_build: SamplesBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = samples_build.warehouse
    out = tmp_path_factory.mktemp("kpi_browser") / "target" / "audit" / "kpi.html"
    return write_kpi_page(warehouse, out)


def test_rendered_dom_has_the_scorecard_and_the_charts(page: Path, tmp_path: Path) -> None:
    dom = run_chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    root = parse_tree(dom)
    rows = scorecard_rows(root)
    assert {(r.attrs["data-unit-code"], r.attrs["data-period-key"]) for r in rows} == SAMPLE_ROWS
    assert len(rows) == 4
    on_time = charts(root, "on_time_rate")
    dots = sorted(d.attrs["data-unit-code"] for f in on_time.values() for d in f.find_all("circle"))
    assert dots == sorted(u for u, _ in SAMPLE_ROWS)  # one dot per unit, across the comparable groups
    online = sorted(
        d.attrs["data-unit-code"] for f in charts(root, "online_share").values() for d in f.find_all("circle")
    )
    assert online == sorted(ONLINE)
    assert "thị xã Duyên Hải" in dom
    assert "không báo cáo" in dom  # Vietnamese by default
    assert not root.find_all("script")


def test_screenshots_in_both_languages(page: Path, tmp_path: Path) -> None:
    for lang_page in (page, page.with_name("kpi.en.html")):
        shot = tmp_path / f"{lang_page.stem}.png"
        run_chromium(
            tmp_path / "profile",
            f"--screenshot={shot}",
            f"--window-size={SCREEN[0]},{SCREEN[1]}",
            lang_page.as_uri(),
        )
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == SCREEN  # IHDR width, height
        assert len(data) > 50_000  # charts and a table, not a blank page
        keep = page.parent / shot.name  # beside the page, for a person to look at
        shutil.copyfile(shot, keep)
        assert keep.stat().st_size == len(data)
