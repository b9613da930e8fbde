"""The KPI overview page: ``target/audit/kpi.html`` (Vietnamese) and ``kpi.en.html`` (English).

Self-contained HTML (inline CSS and SVG, no scripts, no external resources) over
``marts.kpi_scorecard`` (one row per reporting unit x period), in the languages of
:mod:`outputs.i18n`:

* a chart per comparable group (period type x unit level: a year is never drawn beside quarters,
  as seeds/comparability_rules.csv requires) and headline KPI: the group's periods across, per
  period a dot per unit and the distribution (box and median from 4 units on), a line per unit
  over its periods (its trend); the value axis spans the data (99.55 and 100 are told apart) and
  says when it does not start at 0;
* a rate over 100 % (or below 0) comes from inconsistent inputs (e.g. more dossiers resolved than
  received): it is marked and explained, struck through in the table and never drawn as a result;
* the scorecard as a table: per headline KPI its value and basis (computed from counts or as
  reported), its change against the unit's previous comparable period and its rank.

The headline KPIs are found from the scorecard's columns: a numeric column ``X`` with an
``X_basis`` or ``X_not_comparable_reason`` column beside it (``X_change``, ``X_compared_with``,
``X_rank``, ``X_rank_of`` are used when present). A null KPI is shown as "not reported" and a
null change as "not comparable", each with the scorecard's reason. Every text is escaped by
Jinja2's autoescape; the SVG geometry is computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from ingest.warehouse import connect_warehouse
from outputs.errors import KpiPageError
from outputs.files import write_text_atomically
from outputs.i18n import LANGUAGES, N_, page_environment_for, page_suffix
from outputs.warehouse_query import as_text, existing_tables, query_rows

TEMPLATE_NAME = "kpi_overview.html.j2"
SCORECARD = "marts.kpi_scorecard"
UNITS = "marts.dim_reporting_unit"
KEY_COLUMNS = ("unit_code", "period_key")
# Columns shown in the identity part of a row (or not at all); everything else is a KPI or an extra.
IDENTITY_COLUMNS = frozenset(
    {
        "scorecard_id",
        "report_id",
        "unit_code",
        "unit_name",
        "unit_level",
        "province_code_at_report",
        "province_name_at_report",
        "province_code_today",
        "period_key",
        "period_type",
        "period_year",
        "period_end_date",
        "template_family",
    }
)
KPI_MARKERS = ("_basis", "_not_comparable_reason")
KPI_PARTS = ("_basis", "_change", "_compared_with", "_not_comparable_reason", "_rank", "_rank_of")
# English message ids, translated on the page (outputs/locale/).
KPI_LABELS = {
    "on_time_rate": N_("On-time rate"),
    "resolution_rate": N_("Resolution rate"),
    "online_share": N_("Online share"),
    "e_document_share": N_("E-document share"),
    "plan_completion_rate": N_("Plan completion rate"),
    "disbursement_rate": N_("Disbursement rate"),
}
BASIS_LABELS = {"computed_from_counts": N_("computed from counts"), "reported_rate": N_("as reported")}
NOT_REPORTED = N_("not reported")
NOT_COMPARABLE = N_("not comparable")

RATE_MAX = 100.0  # a rate above it (or below 0) comes from inconsistent inputs


@dataclass(frozen=True)
class KpiColumn:
    """A headline KPI of the scorecard and the names of its companion columns that exist."""

    name: str
    label: str
    parts: dict[str, str]  # suffix ("_basis", "_change" ...) -> column name


@dataclass(frozen=True)
class KpiCell:
    """One KPI of one scorecard row, as the table shows it."""

    kpi: str
    state: str  # value | inconsistent (a rate over 100 % or below 0) | not_reported
    value: float | None
    value_text: str
    basis: str
    reason: str  # why the value is missing (state not_reported)
    change_state: str  # value | not_comparable | absent
    change_text: str
    change_reason: str
    rank_text: str  # "2/5": rank 2 of 5
    compared_with: str = ""  # the period the change is against


@dataclass(frozen=True)
class ScorecardRow:
    unit_code: str
    unit_name: str
    unit_level: str
    province: str
    period_key: str
    period_type: str
    period_end: str
    template_family: str
    sort_key: tuple[str, ...]
    kpis: tuple[KpiCell, ...]
    extras: tuple[tuple[str, str], ...]  # (column, text) of the remaining columns

    def kpi(self, name: str) -> KpiCell | None:
        return next((c for c in self.kpis if c.kpi == name), None)


@dataclass(frozen=True)
class KpiData:
    warehouse: Path
    generated_at: str
    kpis: tuple[KpiColumn, ...]
    extra_columns: tuple[str, ...]
    rows: tuple[ScorecardRow, ...]


# --------------------------------------------------------------------------- formatting


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def format_percent(value: float) -> str:
    """99.545454 -> '99.55 %', 100.0 -> '100 %'."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + " %"


def format_points(value: float) -> str:
    """A change of a rate in percentage points, signed: '+1.5 pp', '-0.25 pp', '0 pp'."""
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".")
    sign = "+" if value > 0 and text != "0" else "-" if value < 0 and text != "0" else ""
    return f"{sign}{text} pp"


def _kpi_label(name: str) -> str:
    return KPI_LABELS.get(name, name.replace("_", " ").capitalize())


# --------------------------------------------------------------------------- reading


def _split_columns(info: list[dict[str, Any]]) -> tuple[tuple[KpiColumn, ...], tuple[str, ...]]:
    """The headline KPIs (with their companion columns) and the extra columns of the scorecard."""
    names = [r["column_name"] for r in info]
    present = set(names)
    kpis = [
        KpiColumn(
            name=n,
            label=_kpi_label(n),
            parts={s: f"{n}{s}" for s in KPI_PARTS if f"{n}{s}" in present},
        )
        for n in names
        if n not in IDENTITY_COLUMNS and any(f"{n}{m}" in present for m in KPI_MARKERS)
    ]
    used = {k.name for k in kpis} | {c for k in kpis for c in k.parts.values()}
    extras = tuple(n for n in names if n not in IDENTITY_COLUMNS and n not in used)
    return tuple(kpis), extras


def kpi_cell(kpi: KpiColumn, values: dict[str, Any]) -> KpiCell:
    """How one KPI of one scorecard row is shown: value or "not reported", change or "not comparable"."""

    def part(suffix: str) -> Any:
        column = kpi.parts.get(suffix)
        return values.get(column) if column else None

    value = _number(values.get(kpi.name))
    reason = as_text(part("_not_comparable_reason"))
    change = _number(part("_change"))
    rank, rank_of = part("_rank"), part("_rank_of")
    if value is None:
        return KpiCell(kpi.name, "not_reported", None, NOT_REPORTED, "", reason, "absent", "", "", "")
    compared = as_text(part("_compared_with")) if change is not None else ""
    if change is not None:
        change_state, change_text = "value", format_points(change)
    elif "_change" in kpi.parts or reason:
        change_state, change_text = "not_comparable", NOT_COMPARABLE
    else:
        change_state, change_text = "absent", ""
    basis = as_text(part("_basis"))
    return KpiCell(
        kpi=kpi.name,
        state="value" if 0.0 <= value <= RATE_MAX else "inconsistent",
        value=value,
        value_text=format_percent(value),
        basis=BASIS_LABELS.get(basis, basis),
        reason="",
        change_state=change_state,
        change_text=change_text,
        change_reason=reason if change_state == "not_comparable" else "",
        rank_text=f"{rank}/{rank_of}" if rank is not None and rank_of is not None else "",
        compared_with=compared,
    )


def read_kpi_data(warehouse: Path) -> KpiData:
    """The scorecard rows, sorted by province, level, unit and period. Raises :class:`KpiPageError`."""
    if not warehouse.is_file():
        raise KpiPageError("warehouse file not found (run `cchc build` first)", source_file=str(warehouse))
    try:
        con = connect_warehouse(warehouse, read_only=True)
    except duckdb.Error as exc:
        raise KpiPageError(f"cannot open the warehouse: {exc}", source_file=str(warehouse)) from exc
    try:
        tables = existing_tables(con)
        if SCORECARD not in tables:
            raise KpiPageError(
                f"missing table {SCORECARD} (build the KPI marts with `dbt build` first)",
                source_file=str(warehouse),
            )
        info = query_rows(
            con,
            "select column_name, data_type from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'kpi_scorecard' order by column_index",
        )
        missing = [k for k in KEY_COLUMNS if k not in {r["column_name"] for r in info}]
        if missing:
            raise KpiPageError(
                f"{SCORECARD} lacks the key columns {', '.join(missing)}", source_file=str(warehouse)
            )
        kpis, extras = _split_columns(info)
        units: dict[str, dict[str, Any]] = {}
        if UNITS in tables:
            units = {r["unit_code"]: r for r in query_rows(con, f"select * from {UNITS}")}
        records = query_rows(con, f"select * from {SCORECARD}")
    finally:
        con.close()
    rows = []
    for values in records:
        unit_code = as_text(values["unit_code"])
        unit = units.get(unit_code, {})
        unit_name = (
            as_text(values.get("unit_name"))
            or as_text(unit.get("unit_full_name_vi") or unit.get("unit_name_vi"))
            or unit_code
        )
        province = as_text(values.get("province_name_at_report") or unit.get("province_name_at_report"))
        level = as_text(values.get("unit_level") or unit.get("unit_level"))
        period_key = as_text(values["period_key"])
        rows.append(
            ScorecardRow(
                unit_code=unit_code,
                unit_name=unit_name,
                unit_level=level,
                province=province,
                period_key=period_key,
                period_type=as_text(values.get("period_type")),
                period_end=as_text(values.get("period_end_date")),
                template_family=as_text(values.get("template_family")),
                sort_key=(province, level, unit_name, as_text(values.get("period_end_date")), period_key),
                kpis=tuple(kpi_cell(k, values) for k in kpis),
                extras=tuple((c, as_text(values.get(c))) for c in extras),
            )
        )
    return KpiData(
        warehouse=warehouse,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        kpis=kpis,
        extra_columns=extras,
        rows=tuple(sorted(rows, key=lambda r: r.sort_key)),
    )


# --------------------------------------------------------------------------- charts
#
# One chart per comparable group (period type x unit level, the comparability rules
# cmp_same_period_type and cmp_rank_same_level_province_period) and KPI: the periods of the
# group across, the KPI up; per period the distribution across units (a box from the first to
# the third quartile with the median when there are enough units, and a dot per unit), and a
# thin line per unit joining its periods (its trend). The value axis spans the data, not 0-100.
# A rate over 100 % (or below 0) comes from inconsistent inputs: it is not plotted as a result
# but marked above the plot and explained under the chart.

CHART_WIDTH = 640
PLOT_LEFT = 70.0
PLOT_RIGHT = 150.0  # room for the unit labels at the end of the lines
PLOT_TOP = 34.0
PLOT_HEIGHT = 260.0
AXIS_HEIGHT = 48.0
BOX_MIN_UNITS = 4  # fewer values: dots only
UNIT_DETAIL_MAX = 40  # more units in a group: no dot and line per unit, the median's trend instead
FLAG_MAX = 20  # inconsistent values marked above one chart (all are counted and listed below)
TABLE_MAX = 1000  # scorecard rows and inconsistent values listed on the page (all are counted)
MAX_LINE_LABELS = 12  # more units than this: no labels at the line ends
TARGET_TICKS = 5


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Point:
    unit_code: str
    unit_name: str
    period_key: str
    x: float
    y: float
    value_text: str


@dataclass(frozen=True)
class Box:
    x: float
    half_width: float
    q1: float
    median: float
    q3: float
    low: float
    high: float


@dataclass(frozen=True)
class Flag:
    """A value from inconsistent inputs, marked above the plot."""

    unit_code: str
    unit_name: str
    period_key: str
    x: float
    value_text: str


@dataclass(frozen=True)
class Column:
    period_key: str
    x: float
    count: int


@dataclass(frozen=True)
class Line:
    unit_code: str
    unit_name: str
    points: str  # SVG polyline points
    label_x: float
    label_y: float


@dataclass(frozen=True)
class GroupChart:
    key: str
    kpi: str
    kpi_label: str
    period_type: str
    unit_level: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    axis_min: float
    axis_max: float
    from_zero: bool
    ticks: tuple[Tick, ...]
    columns: tuple[Column, ...]
    points: tuple[Point, ...]
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]
    flags: tuple[Flag, ...]
    not_reported: int
    value_count: int = 0  # values in the chart (as dots, or summarised by the boxes at scale)
    flag_count: int = 0  # inconsistent values of the group (at most FLAG_MAX marked)


def nice_step(span: float) -> float:
    """A tick step of 1, 2 or 5 x 10^k giving about :data:`TARGET_TICKS` ticks over ``span``."""
    raw = max(span, 1e-9) / TARGET_TICKS
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)


def axis_range(values: list[float]) -> tuple[float, float, float]:
    """(min, max, step) of a value axis that spans ``values`` with a margin, within 0-100.

    99.55 and 100 get an axis from about 99.5 to 100, so that they can be told apart.
    """
    if not values:
        return 0.0, RATE_MAX, 20.0
    low, high = min(values), max(values)
    margin = max((high - low) * 0.15, 0.05 if high - low < 1 else 0.5)
    step = nice_step(high - low + 2 * margin)
    axis_min = max(0.0, math.floor((low - margin) / step) * step)
    axis_max = min(RATE_MAX, math.ceil((high + margin) / step) * step)
    if axis_max <= axis_min:
        axis_max = axis_min + step
    return axis_min, axis_max, step


def _tick_label(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return f"{value:.{decimals}f}"


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile (linear interpolation between ranks)."""
    ordered = sorted(values)

    def at(fraction: float) -> float:
        position = fraction * (len(ordered) - 1)
        below = math.floor(position)
        above = min(below + 1, len(ordered) - 1)
        return ordered[below] + (ordered[above] - ordered[below]) * (position - below)

    return at(0.25), at(0.5), at(0.75)


def comparable_groups(data: KpiData) -> dict[tuple[str, str], list[ScorecardRow]]:
    """The scorecard rows by (period type, unit level): only rows of one group are compared."""
    groups: dict[tuple[str, str], list[ScorecardRow]] = {}
    for row in data.rows:
        groups.setdefault((row.period_type, row.unit_level), []).append(row)
    return dict(sorted(groups.items()))


class _Scale:
    def __init__(self, axis_min: float, axis_max: float, periods: list[str]) -> None:
        self.axis_min, self.axis_max = axis_min, axis_max
        self.plot_width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
        self.column_width = self.plot_width / max(len(periods), 1)
        self.x_of = {p: PLOT_LEFT + (i + 0.5) * self.column_width for i, p in enumerate(periods)}

    def y(self, value: float) -> float:
        share = (value - self.axis_min) / (self.axis_max - self.axis_min)
        return round(PLOT_TOP + PLOT_HEIGHT * (1 - share), 2)


def _periods(rows: list[ScorecardRow]) -> list[str]:
    ends: dict[str, str] = {}
    for row in rows:
        ends.setdefault(row.period_key, row.period_end)
    return sorted(ends, key=lambda p: (ends[p], p))


def _boxes(by_period: dict[str, list[float]], scale: _Scale) -> tuple[Box, ...]:
    boxes = []
    for period, values in by_period.items():
        if len(values) < BOX_MIN_UNITS:
            continue
        q1, median, q3 = quartiles(values)
        boxes.append(
            Box(
                x=scale.x_of[period],
                half_width=min(scale.column_width * 0.3, 40.0),
                q1=scale.y(q1),
                median=scale.y(median),
                q3=scale.y(q3),
                low=scale.y(min(values)),
                high=scale.y(max(values)),
            )
        )
    return tuple(boxes)


def _lines(points: list[Point], unit_count: int) -> tuple[Line, ...]:
    by_unit: dict[str, list[Point]] = {}
    for point in points:
        by_unit.setdefault(point.unit_code, []).append(point)
    lines = []
    for unit_points in by_unit.values():
        ordered = sorted(unit_points, key=lambda p: p.x)
        last = ordered[-1]
        label = unit_count <= MAX_LINE_LABELS
        lines.append(
            Line(
                unit_code=last.unit_code,
                unit_name=last.unit_name if label else "",
                points=" ".join(f"{p.x},{p.y}" for p in ordered),
                label_x=last.x + 8,
                label_y=last.y + 4,
            )
        )
    return tuple(lines)


def build_group_chart(kpi: KpiColumn, group: tuple[str, str], rows: list[ScorecardRow]) -> GroupChart:
    """The geometry of one KPI's chart over one comparable group of scorecard rows."""
    periods = _periods(rows)
    cells = [(row, row.kpi(kpi.name)) for row in rows]
    valid = [
        (row, c.value) for row, c in cells if c is not None and c.state == "value" and c.value is not None
    ]
    axis_min, axis_max, step = axis_range([v for _, v in valid])
    scale = _Scale(axis_min, axis_max, periods)
    points = [
        Point(
            row.unit_code,
            row.unit_name,
            row.period_key,
            scale.x_of[row.period_key],
            scale.y(v),
            format_percent(v),
        )
        for row, v in valid
    ]
    by_period: dict[str, list[float]] = {}
    for row, v in valid:
        by_period.setdefault(row.period_key, []).append(v)
    flags = tuple(
        Flag(row.unit_code, row.unit_name, row.period_key, scale.x_of[row.period_key], c.value_text)
        for row, c in cells
        if c is not None and c.state == "inconsistent"
    )
    units = len({row.unit_code for row in rows})
    detail = units <= UNIT_DETAIL_MAX
    boxes = _boxes(by_period, scale)
    tick_count = round((axis_max - axis_min) / step)
    ticks = tuple(
        Tick(scale.y(axis_min + i * step), _tick_label(axis_min + i * step, step))
        for i in range(tick_count + 1)
    )
    return GroupChart(
        key=f"{kpi.name}-{group[0] or 'na'}-{group[1] or 'na'}",
        kpi=kpi.name,
        kpi_label=kpi.label,
        period_type=group[0],
        unit_level=group[1],
        width=CHART_WIDTH,
        height=int(PLOT_TOP + PLOT_HEIGHT + AXIS_HEIGHT),
        plot_left=PLOT_LEFT,
        plot_right=CHART_WIDTH - PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_TOP + PLOT_HEIGHT,
        axis_min=axis_min,
        axis_max=axis_max,
        from_zero=axis_min == 0.0,
        ticks=ticks,
        columns=tuple(Column(p, scale.x_of[p], len(by_period.get(p, []))) for p in periods),
        points=tuple(points) if detail else (),
        boxes=boxes,
        lines=_lines(points, units) if detail else _median_line(boxes),
        flags=flags[:FLAG_MAX],
        not_reported=sum(1 for _, c in cells if c is None or c.state == "not_reported"),
        value_count=len(valid),
        flag_count=len(flags),
    )


def _median_line(boxes: tuple[Box, ...]) -> tuple[Line, ...]:
    """The trend of a group too large for a line per unit: its medians joined, period by period."""
    if len(boxes) < 2:
        return ()
    ordered = sorted(boxes, key=lambda b: b.x)
    return (
        Line(
            "", "", " ".join(f"{b.x},{b.median}" for b in ordered), ordered[-1].x + 8, ordered[-1].median + 4
        ),
    )


def group_charts(data: KpiData) -> tuple[GroupChart, ...]:
    """A chart per comparable group and KPI that has at least one value in it."""
    charts = []
    for group, rows in comparable_groups(data).items():
        for kpi in data.kpis:
            cells = [row.kpi(kpi.name) for row in rows]
            if any(c is not None and c.value is not None for c in cells):
                charts.append(build_group_chart(kpi, group, rows))
    return tuple(charts)


# --------------------------------------------------------------------------- writing


def render_kpi_html(data: KpiData, lang: str = "vi") -> str:
    """The whole page in ``lang`` as one string (UTF-8, self-contained)."""
    cells = [c for r in data.rows for c in r.kpis]
    inconsistent = [(r, c) for r in data.rows for c in r.kpis if c.state == "inconsistent"]
    env = page_environment_for(lang)
    return env.get_template(TEMPLATE_NAME).render(
        data=data,
        charts=group_charts(data),
        not_reported_count=sum(1 for c in cells if c.state == "not_reported"),
        not_comparable_count=sum(1 for c in cells if c.change_state == "not_comparable"),
        inconsistent=inconsistent[:TABLE_MAX],
        inconsistent_total=len(inconsistent),
        table_rows=data.rows[:TABLE_MAX],
        self_name=f"kpi{page_suffix(lang)}.html",
    )


def language_path(out_path: Path, lang: str) -> Path:
    """``kpi.html`` (Vietnamese) -> ``kpi.en.html`` (English), beside it."""
    return out_path.with_name(f"{out_path.stem}{page_suffix(lang)}{out_path.suffix}")


def write_kpi_page(warehouse: Path, out_path: Path) -> Path:
    """Write the KPI page (``target/audit/kpi.html``, ``kpi.en.html`` beside it); returns its path."""
    data = read_kpi_data(warehouse)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        for lang in LANGUAGES:
            write_text_atomically(language_path(out_path, lang), render_kpi_html(data, lang))
    except OSError as exc:
        raise KpiPageError(f"cannot write the KPI page: {exc}", source_file=str(out_path)) from exc
    return out_path
