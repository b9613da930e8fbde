"""The KPI overview page on the real build of the four samples and data/hand_entered (the session's
``samples_build`` of tests/conftest.py); the hand-entered values leave the figures below unchanged.

Hand-computed KPIs, checked against the documents:
- Duyên Hải (Q1 2023) lines 301-302: 220 resolved, 219 on time -> on-time rate 219/220 = 99.545 %;
  lines 416-417: 246 received, 103 online -> online share 103/246 = 41.87 %.
- Vĩnh Châu (Q3 2022) lines 89-90: 4.825 resolved, 4.823 on time -> 99.959 %; no online dossier counts.
- Cát Thành (Q3 2024) lines 541-542 "378 ... 909 trước hạn" of 1.290 resolved -> (378 + 909) / 1290
  = 99.767 %; lines 632/634: 1.290 received, 1.288 online -> 99.845 %.
- Thạnh Trị (year 2021): on-time rate reported as "100%"; no online dossier counts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from dbt_project_runner import SamplesBuild

from outputs.errors import KpiPageError
from outputs.kpi_page import (
    CHART_WIDTH,
    LABEL_WIDTH,
    VALUE_WIDTH,
    KpiColumn,
    format_percent,
    format_points,
    kpi_cell,
    write_kpi_page,
)

SAMPLE_ROWS = {
    ("949", "2021-Y"),
    ("950", "2022-Q3"),
    ("851", "2023-Q1"),
    ("14056", "2024-Q3"),
}
ON_TIME = {
    "851": 219 / 220 * 100,
    "950": 4823 / 4825 * 100,
    "14056": (378 + 909) / 1290 * 100,
    "949": 100.0,
}
ONLINE = {"851": 103 / 246 * 100, "14056": 1288 / 1290 * 100}
PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element] = []
        self.texts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.texts) + "".join(c.text for c in self.children)

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if child.tag == tag and all(child.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class TreeParser(HTMLParser):
    VOID = frozenset({"meta", "br", "line", "rect", "link", "img", "input", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.texts.append(data)


def parse_tree(html_text: str) -> Element:
    parser = TreeParser()
    parser.feed(html_text)
    parser.close()
    return parser.root


def scorecard_rows(root: Element) -> list[Element]:
    (table,) = root.find_all("table", id="scorecard-table")
    (tbody,) = table.find_all("tbody")
    return tbody.find_all("tr")


def kpi_td(row: Element, kpi: str) -> Element:
    (td,) = row.find_all("td", data_kpi=kpi)
    return td


def chart(root: Element, key: str) -> Element:
    (figure,) = root.find_all("figure", data_metric=key)
    return figure


@pytest.fixture(scope="module")
def built(samples_build: SamplesBuild) -> Path:
    return samples_build.warehouse


@pytest.fixture(scope="module")
def page(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Element]]:
    out = tmp_path_factory.mktemp("kpi") / "target" / "audit" / "kpi.html"
    assert write_kpi_page(built, out) == out
    text = out.read_text(encoding="utf-8")
    yield text, parse_tree(text)


def test_page_is_self_contained(page: tuple[str, Element]) -> None:
    text, root = page
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert not root.find_all("script") and not root.find_all("link") and not root.find_all("img")
    lowered = text.lower()
    for marker in ("src=", "@import", "url(", "https://", "<iframe"):
        assert marker not in lowered, marker
    # the only URI is the SVG namespace name (an identifier, never fetched)
    assert lowered.count("http://") == lowered.count('xmlns="http://www.w3.org/2000/svg"') == 2


def test_scorecard_has_one_row_per_unit_and_period(built: Path, page: tuple[str, Element]) -> None:
    _, root = page
    rows = scorecard_rows(root)
    keys = [(r.attrs["data-unit-code"], r.attrs["data-period-key"]) for r in rows]
    assert len(keys) == len(set(keys)) == 4
    assert set(keys) == SAMPLE_ROWS
    with duckdb.connect(str(built), read_only=True) as con:
        assert (
            set(con.execute("select unit_code, period_key from marts.kpi_scorecard").fetchall())
            == SAMPLE_ROWS
        )
    # Vietnamese names with their diacritics (NFC)
    names = {r.attrs["data-unit-code"]: r.find_all("td")[0].find_all("strong")[0].text for r in rows}
    assert names["851"] == "thị xã Duyên Hải"
    assert names["14056"] == "thị trấn Cát Thành"
    assert names["949"] == "huyện Thạnh Trị"


def test_hand_computed_kpis_in_the_table(page: tuple[str, Element]) -> None:
    _, root = page
    rows = {r.attrs["data-unit-code"]: r for r in scorecard_rows(root)}
    for unit, expected in ON_TIME.items():
        td = kpi_td(rows[unit], "on_time_rate")
        assert td.attrs["data-state"] == "value"
        assert float(td.attrs["data-value"]) == pytest.approx(expected, abs=1e-6), unit
    for unit, expected in ONLINE.items():
        assert float(kpi_td(rows[unit], "online_share").attrs["data-value"]) == pytest.approx(
            expected, abs=1e-6
        )
    duyen_hai = kpi_td(rows["851"], "on_time_rate")
    assert duyen_hai.find_all("span")[0].text == "99.55 %"
    assert "computed from counts" in duyen_hai.text
    assert "as reported" in kpi_td(rows["949"], "on_time_rate").text


def test_null_kpis_are_not_reported_with_the_reason(built: Path, page: tuple[str, Element]) -> None:
    _, root = page
    rows = {r.attrs["data-unit-code"]: r for r in scorecard_rows(root)}
    with duckdb.connect(str(built), read_only=True) as con:
        reasons = dict(
            con.execute(
                "select unit_code, online_share_not_comparable_reason from marts.kpi_scorecard "
                "where online_share is null"
            ).fetchall()
        )
    assert set(reasons) == {"949", "950"}  # neither report gives online dossier counts
    for unit, reason in reasons.items():
        td = kpi_td(rows[unit], "online_share")
        assert td.attrs["data-state"] == "not_reported"
        assert "data-value" not in td.attrs
        assert td.find_all("span")[0].text == "not reported"
        assert reason and reason in td.text
    # a value whose change cannot be computed (one report per unit): "not comparable" with the reason
    on_time = kpi_td(rows["851"], "on_time_rate")
    assert on_time.attrs["data-change-state"] == "not_comparable"
    assert "change: not comparable" in on_time.text


def test_charts_have_a_bar_per_unit_with_a_value(page: tuple[str, Element]) -> None:
    _, root = page
    on_time = chart(root, "on_time_rate")
    assert on_time.attrs["data-column"] == "on_time_rate"
    (svg,) = on_time.find_all("svg")
    assert svg.attrs["viewbox"]  # HTMLParser lowercases attribute names.startswith("0 0 ")
    groups = svg.find_all("g", **{"class": "bar-row"})
    assert {(g.attrs["data-unit-code"], g.attrs["data-period-key"]) for g in groups} == SAMPLE_ROWS
    bars = {g.attrs["data-unit-code"]: g.find_all("rect") for g in groups}
    assert all(len(rects) == 1 and rects[0].has_class("bar") for rects in bars.values())
    for unit, expected in ON_TIME.items():
        assert float(bars[unit][0].attrs["width"]) == pytest.approx(expected / 100 * PLOT_WIDTH, abs=0.01)
    labels = [t.text for g in groups for t in g.find_all("text") if t.has_class("label")]
    assert "thị xã Duyên Hải · 2023-Q1" in labels
    values = [t.text for g in groups for t in g.find_all("text") if t.has_class("value")]
    assert "99.55 %" in values and "100 %" in values
    ticks = [t.text for t in svg.find_all("text") if t.has_class("tick")]
    assert ticks == ["0", "20", "40", "60", "80", "100"]
    assert [t.text for t in svg.find_all("text") if t.has_class("axis-title")] == ["percent (%)"]


def test_online_share_chart_marks_units_without_counts(page: tuple[str, Element]) -> None:
    _, root = page
    (svg,) = chart(root, "online_share").find_all("svg")
    groups = {g.attrs["data-unit-code"]: g for g in svg.find_all("g", **{"class": "bar-row"})}
    with_bars = {u for u, g in groups.items() if g.find_all("rect")}
    assert with_bars == set(ONLINE)
    for unit in ("949", "950"):
        assert groups[unit].attrs["data-state"] == "not_reported"
        notes = [t for t in groups[unit].find_all("text") if t.has_class("na")]
        assert len(notes) == 1 and notes[0].text.startswith("not reported: ")
    for unit, expected in ONLINE.items():
        (rect,) = groups[unit].find_all("rect")
        assert float(rect.attrs["width"]) == pytest.approx(expected / 100 * PLOT_WIDTH, abs=0.01)


def test_scorecard_text_is_escaped(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(built, copy)
    hostile = "<script>alert(1)</script> Trên 90% & “lũy kế”"
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update marts.kpi_scorecard set online_share_not_comparable_reason = ?, unit_name = ? "
            "where unit_code = '950'",
            [hostile, "thị xã <b>Vĩnh Châu</b>"],
        )
    text = write_kpi_page(copy, tmp_path / "kpi.html").read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>Vĩnh" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Trên 90% &amp; “lũy kế”" in text
    assert "thị xã &lt;b&gt;Vĩnh Châu&lt;/b&gt;" in text
    root = parse_tree(text)
    assert not root.find_all("script") and not root.find_all("b")


def test_missing_scorecard_is_a_clear_error(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts; create table marts.dim_period (period_key varchar)")
    with pytest.raises(KpiPageError, match=r"missing table marts\.kpi_scorecard") as info:
        write_kpi_page(warehouse, tmp_path / "kpi.html")
    assert info.value.source_file == str(warehouse)
    assert not (tmp_path / "kpi.html").exists()


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KpiPageError, match="warehouse file not found"):
        write_kpi_page(tmp_path / "none.duckdb", tmp_path / "kpi.html")


KPI = KpiColumn(
    name="online_share",
    label="Online share",
    parts={
        "_basis": "online_share_basis",
        "_change": "online_share_change",
        "_compared_with": "online_share_compared_with",
        "_not_comparable_reason": "online_share_not_comparable_reason",
        "_rank": "online_share_rank",
        "_rank_of": "online_share_rank_of",
    },
)


def test_kpi_cell_with_a_change() -> None:
    cell = kpi_cell(
        KPI,
        {
            "online_share": 41.869919,
            "online_share_basis": "computed_from_counts",
            "online_share_change": 2.5,
            "online_share_compared_with": "2022-Q1",
            "online_share_not_comparable_reason": None,
            "online_share_rank": 2,
            "online_share_rank_of": 3,
        },
    )
    assert (cell.state, cell.value_text, cell.basis) == ("value", "41.87 %", "computed from counts")
    assert (cell.change_state, cell.change_text, cell.rank_text) == (
        "value",
        "+2.5 pp vs 2022-Q1",
        "rank 2 of 3",
    )


def test_kpi_cell_not_reported_and_not_comparable() -> None:
    missing = kpi_cell(KPI, {"online_share": None, "online_share_not_comparable_reason": "no counts"})
    assert (missing.state, missing.value_text, missing.reason, missing.value) == (
        "not_reported",
        "not reported",
        "no counts",
        None,
    )
    lone = kpi_cell(KPI, {"online_share": 100.0, "online_share_not_comparable_reason": "a year vs a quarter"})
    assert (lone.value_text, lone.change_state, lone.change_text, lone.change_reason) == (
        "100 %",
        "not_comparable",
        "not comparable",
        "a year vs a quarter",
    )


@pytest.mark.parametrize(
    ("value", "expected"), [(99.545454, "99.55 %"), (100.0, "100 %"), (0.0, "0 %"), (41.8, "41.8 %")]
)
def test_format_percent(value: float, expected: str) -> None:
    assert format_percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(1.5, "+1.5 pp"), (-0.25, "-0.25 pp"), (0.0, "0 pp"), (0.001, "0 pp")]
)
def test_format_points(value: float, expected: str) -> None:
    assert format_points(value) == expected
