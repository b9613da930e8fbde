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
    BOX_MIN_UNITS,
    KpiCell,
    KpiColumn,
    ScorecardRow,
    axis_range,
    build_group_chart,
    format_percent,
    format_points,
    group_charts,
    kpi_cell,
    nice_step,
    quartiles,
    read_kpi_data,
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
# Thạnh Trị 2021: 2.968 resolved of 2.953 received (lines 86-87): a resolution rate over 100 %
INCONSISTENT = ("949", "resolution_rate")


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


def charts(root: Element, key: str) -> dict[tuple[str, str], Element]:
    """The charts of one KPI by (period type, unit level)."""
    return {
        (f.attrs["data-period-type"], f.attrs["data-unit-level"]): f
        for f in root.find_all("figure", data_metric=key)
    }


@pytest.fixture(scope="module")
def built(samples_build: SamplesBuild) -> Path:
    return samples_build.warehouse


@pytest.fixture(scope="module")
def written(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kpi") / "target" / "audit" / "kpi.html"
    assert write_kpi_page(built, out) == out
    return out


@pytest.fixture(scope="module")
def page(written: Path) -> Iterator[tuple[str, Element]]:
    """The English page (kpi.en.html): the texts below are the catalogue's message ids."""
    text = written.with_name("kpi.en.html").read_text(encoding="utf-8")
    yield text, parse_tree(text)


def test_vietnamese_by_default_with_an_english_switch(written: Path) -> None:
    vi = written.read_text(encoding="utf-8")
    en = written.with_name("kpi.en.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert "Tổng quan chỉ số CCHC" in vi and "Tỷ lệ giải quyết đúng hạn" in vi and "không báo cáo" in vi
    assert "CCHC KPI overview" not in vi
    assert "CCHC KPI overview" in en and "On-time rate" in en
    assert 'href="kpi.en.html"' in vi and 'href="kpi.html"' in en


def test_page_is_self_contained(page: tuple[str, Element]) -> None:
    text, root = page
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert not root.find_all("script") and not root.find_all("link") and not root.find_all("img")
    lowered = text.lower()
    for marker in ("src=", "@import", "url(", "https://", "<iframe"):
        assert marker not in lowered, marker
    # the only URI is the SVG namespace name (an identifier, never fetched)
    assert (
        lowered.count("http://")
        == lowered.count('xmlns="http://www.w3.org/2000/svg"')
        == len(root.find_all("svg"))
    )


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


def test_charts_compare_only_one_period_type_and_level(page: tuple[str, Element]) -> None:
    _, root = page
    on_time = charts(root, "on_time_rate")
    assert set(on_time) == {("quarter", "commune"), ("quarter", "district"), ("year", "district")}
    dots = {
        group: {(d.attrs["data-unit-code"], d.attrs["data-period-key"]) for d in f.find_all("circle")}
        for group, f in on_time.items()
    }
    # the 2021 annual report is never drawn beside the quarters
    assert dots[("year", "district")] == {("949", "2021-Y")}
    assert dots[("quarter", "district")] == {("950", "2022-Q3"), ("851", "2023-Q1")}
    assert dots[("quarter", "commune")] == {("14056", "2024-Q3")}
    periods = [t.text for t in on_time[("quarter", "district")].find_all("text") if t.has_class("period")]
    assert periods[0::2] == ["2022-Q3", "2023-Q1"]  # the periods across, in time order
    online = charts(root, "online_share")
    assert set(online) == {("quarter", "commune"), ("quarter", "district")}  # no value for the year


def test_axis_spans_the_data_so_close_values_differ(page: tuple[str, Element]) -> None:
    _, root = page
    figure = charts(root, "on_time_rate")[("quarter", "district")]
    assert 0 < float(figure.attrs["data-axis-min"]) <= ON_TIME["851"]
    assert float(figure.attrs["data-axis-max"]) == 100
    ys = {d.attrs["data-unit-code"]: float(d.attrs["cy"]) for d in figure.find_all("circle")}
    # 99.55 % and 99.96 % are far apart on the plot (SVG y grows downwards)
    assert ys["851"] - ys["950"] > 100
    ticks = [t.text for t in figure.find_all("text") if t.has_class("tick")]
    assert ticks[0] != "0" and ticks[-1] == "100.0"
    titles = [t.text for t in figure.find_all("text") if t.has_class("axis-title")]
    assert titles == [f"% (axis from {ticks[0]}, not from 0)"]
    assert "The value axis starts at" in figure.text


def test_inconsistent_kpi_is_marked_not_presented(page: tuple[str, Element]) -> None:
    _, root = page
    unit, kpi = INCONSISTENT
    row = next(r for r in scorecard_rows(root) if r.attrs["data-unit-code"] == unit)
    td = kpi_td(row, kpi)
    assert td.attrs["data-state"] == "inconsistent"
    assert float(td.attrs["data-value"]) > 100
    assert "inconsistent inputs" in td.text and "not a result" in td.text
    (figure,) = [f for g, f in charts(root, kpi).items() if g == ("year", "district")]
    assert not figure.find_all("circle")  # not drawn as a result
    (flag,) = figure.find_all("g", **{"class": "inconsistent-flag"})
    assert flag.attrs["data-unit-code"] == unit
    assert "100.51 %" in flag.text and "inconsistent inputs, not a result" in flag.text
    (table,) = root.find_all("table", id="inconsistent-table")
    assert [(r.attrs["data-unit-code"], r.attrs["data-kpi"]) for r in table.find_all("tr")[1:]] == [
        (unit, kpi)
    ]


def _row(unit: str, period: str, end: str, value: float | None) -> ScorecardRow:
    state = "not_reported" if value is None else "value" if value <= 100 else "inconsistent"
    text = "not reported" if value is None else format_percent(value)
    cell = KpiCell("on_time_rate", state, value, text, "", "", "absent", "", "", "")
    return ScorecardRow(unit, unit.upper(), "district", "P", period, "quarter", end, "f", (), (cell,), ())


def test_distribution_boxes_and_trend_lines() -> None:
    """Five units over two quarters: a box per quarter, a line per unit; nulls and >100 % left out."""
    values: dict[str, list[float | None]] = {
        "2022-Q1": [90.0, 92.0, 94.0, 96.0, 98.0],
        "2022-Q2": [80.0, 85.0, 90.0, 95.0, None],
    }
    ends = {"2022-Q1": "2022-03-31", "2022-Q2": "2022-06-30"}
    rows = [
        _row(f"u{i}", period, ends[period], v) for period, vs in values.items() for i, v in enumerate(vs)
    ] + [_row("u9", "2022-Q2", ends["2022-Q2"], 100.5)]
    kpi = KpiColumn("on_time_rate", "On-time rate", {})
    chart = build_group_chart(kpi, ("quarter", "district"), rows)
    assert [c.period_key for c in chart.columns] == ["2022-Q1", "2022-Q2"]
    assert [c.count for c in chart.columns] == [5, 4]
    assert len(chart.boxes) == 2 and BOX_MIN_UNITS <= 4
    assert len(chart.points) == 9 and chart.not_reported == 1
    assert [f.unit_code for f in chart.flags] == ["u9"]
    assert len(chart.lines) == 5
    assert next(line for line in chart.lines if line.unit_code == "u0").points.count(",") == 2
    assert chart.axis_min <= 80 and chart.axis_max == 100  # 100.5 does not stretch the axis
    q1_box = chart.boxes[0]
    assert q1_box.q3 < q1_box.median < q1_box.q1  # y grows downwards
    assert q1_box.high < q1_box.low


def test_axis_range_and_quartiles() -> None:
    low, high, step = axis_range([99.55, 100.0])
    assert 99 <= low < 99.55 and high == 100 and step <= 0.2
    assert axis_range([]) == (0.0, 100.0, 20.0)
    low, high, _ = axis_range([40.0, 90.0])
    assert 0 <= low < 40 and 90 < high <= 100
    assert nice_step(100) == 20 and nice_step(0.5) == 0.1
    assert quartiles([1.0, 2.0, 3.0, 4.0, 5.0]) == (2.0, 3.0, 4.0)


def test_scorecard_text_is_escaped(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(built, copy)
    hostile = "<script>alert(1)</script> Trên 90% & “lũy kế”"
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update marts.kpi_scorecard set online_share_not_comparable_reason = ?, unit_name = ?, "
            "unit_level = ? where unit_code = '950'",
            [hostile, "thị xã <b>Vĩnh Châu</b>", "<i>district</i>"],
        )
    written = write_kpi_page(copy, tmp_path / "kpi.html")
    text = written.read_text(encoding="utf-8") + written.with_name("kpi.en.html").read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>Vĩnh" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Trên 90% &amp; “lũy kế”" in text
    assert "thị xã &lt;b&gt;Vĩnh Châu&lt;/b&gt;" in text
    assert "&lt;i&gt;district&lt;/i&gt;" in text  # a translated value from the data is escaped too
    root = parse_tree(text)
    assert not root.find_all("script") and not root.find_all("b") and not root.find_all("i")


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
    assert (cell.change_state, cell.change_text, cell.compared_with, cell.rank_text) == (
        "value",
        "+2.5 pp",
        "2022-Q1",
        "2/3",
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


def test_at_scale_distributions_and_median_trend_not_a_dot_per_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comparable group of more units than UNIT_DETAIL_MAX: boxes per period and the median's
    trend, no dot or line per unit; the inconsistent values and the scorecard table are capped, and
    say how many there are."""
    monkeypatch.setattr("outputs.kpi_page.TABLE_MAX", 30)
    warehouse = tmp_path / "scale.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute(
        """create schema marts;
        create table marts.kpi_scorecard as
        select 'U' || u as unit_code, 'xã ' || u as unit_name, 'commune' as unit_level,
               'Tỉnh ' || (u % 3) as province_name_at_report, '2024-Q' || q as period_key,
               'quarter' as period_type, make_date(2024, 3 * q, 28) as period_end_date,
               case when u = 7 then 101.5 else 90 + (u * 7 + q) % 10 end as on_time_rate,
               'computed_from_counts' as on_time_rate_basis
        from range(60) a(u), range(1, 5) b(q)"""
    )
    con.close()
    out = tmp_path / "kpi.html"
    write_kpi_page(warehouse, out)
    html_text = out.read_text(encoding="utf-8")
    (chart,) = [c for c in group_charts(read_kpi_data(warehouse)) if c.kpi == "on_time_rate"]
    assert chart.points == () and chart.value_count == 60 * 4 - 4  # unit 7: inconsistent, not drawn
    assert len(chart.boxes) == 4 and chart.flag_count == 4
    (median,) = chart.lines
    assert median.unit_code == "" and len(median.points.split()) == 4
    assert html_text.count('class="trend median-trend"') == 1 and 'class="dot"' not in html_text
    assert "236 giá trị được vẽ, 0 không báo cáo, 4 từ số liệu mâu thuẫn." in html_text
    rows = html_text.split('id="scorecard-table"')[1].split("</table>")[0].count("<tr data-unit-code=")
    assert rows == 30
    assert "Đang hiện 30 trên 240 dòng" in html_text
