"""The KPI overview page: ``target/audit/kpi.html``, written beside the auditor's report.

One self-contained HTML file (inline CSS, no scripts, no external resources) over
``marts.kpi_scorecard`` (one row per reporting unit x period):

* the charted KPIs (:data:`CHART_METRICS`: on-time rate and online share) as horizontal bar
  charts in inline SVG, a bar per unit and period with its value label, axis and ticks;
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
from jinja2 import Environment

from outputs.errors import KpiPageError
from outputs.files import write_text_atomically
from outputs.pages import page_environment
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
KPI_LABELS = {
    "on_time_rate": "On-time rate",
    "resolution_rate": "Resolution rate",
    "online_share": "Online share",
    "e_document_share": "E-document share",
    "plan_completion_rate": "Plan completion rate",
    "disbursement_rate": "Disbursement rate",
}
BASIS_LABELS = {"computed_from_counts": "computed from counts", "reported_rate": "as reported"}
NOT_REPORTED = "not reported"
NOT_COMPARABLE = "not comparable"

# Chart geometry (SVG user units = CSS pixels).
CHART_WIDTH = 900
LABEL_WIDTH = 300
VALUE_WIDTH = 80
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP_MARGIN = 10
AXIS_HEIGHT = 44
TICK_STEP = 20.0
REASON_CHARS = 80  # a longer reason is shortened in the chart (in full in its tooltip and the table)


@dataclass(frozen=True)
class ChartMetric:
    """A KPI drawn as a chart: the first of ``columns`` that the scorecard has."""

    key: str
    title: str
    columns: tuple[str, ...]
    description: str


CHART_METRICS: tuple[ChartMetric, ...] = (
    ChartMetric(
        key="on_time_rate",
        title="On-time rate of dossiers resolved (%)",
        columns=("on_time_rate",),
        description=(
            "Dossiers resolved on time (early included) over dossiers resolved, at the unit's own level."
        ),
    ),
    ChartMetric(
        key="online_share",
        title="Online share of dossiers received (%)",
        columns=("online_share",),
        description="Dossiers received online over all dossiers received.",
    ),
)


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
    state: str  # value | not_reported
    value: float | None
    value_text: str
    basis: str
    reason: str  # why the value is missing (state not_reported)
    change_state: str  # value | not_comparable | absent
    change_text: str
    change_reason: str
    rank_text: str


@dataclass(frozen=True)
class ScorecardRow:
    unit_code: str
    unit_name: str
    unit_level: str
    province: str
    period_key: str
    period_type: str
    template_family: str
    sort_key: tuple[str, ...]
    kpis: tuple[KpiCell, ...]
    extras: tuple[tuple[str, str], ...]  # (column, text) of the remaining columns

    @property
    def label(self) -> str:
        return f"{self.unit_name} · {self.period_key}"

    def kpi(self, name: str) -> KpiCell | None:
        return next((c for c in self.kpis if c.kpi == name), None)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Bar:
    """One unit x period of a chart: a bar when the KPI has a value, a note when it is null."""

    unit_code: str
    period_key: str
    label: str
    y: float  # top of the row
    value: float | None
    width: float
    value_text: str
    state: str
    reason: str

    @property
    def short_reason(self) -> str:
        if len(self.reason) <= REASON_CHARS:
            return self.reason
        return self.reason[: REASON_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    column: str | None  # None: the scorecard has no such column
    width: int
    height: int
    plot_x: float
    plot_width: float
    axis_y: float
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]

    @property
    def bar_count(self) -> int:
        return sum(1 for b in self.bars if b.value is not None)


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
    if change is not None:
        compared = as_text(part("_compared_with"))
        change_state = "value"
        change_text = format_points(change) + (f" vs {compared}" if compared else "")
    elif "_change" in kpi.parts or reason:
        change_state, change_text = "not_comparable", NOT_COMPARABLE
    else:
        change_state, change_text = "absent", ""
    basis = as_text(part("_basis"))
    return KpiCell(
        kpi=kpi.name,
        state="value",
        value=value,
        value_text=format_percent(value),
        basis=BASIS_LABELS.get(basis, basis),
        reason="",
        change_state=change_state,
        change_text=change_text,
        change_reason=reason if change_state == "not_comparable" else "",
        rank_text=f"rank {rank} of {rank_of}" if rank is not None and rank_of is not None else "",
    )


def read_kpi_data(warehouse: Path) -> KpiData:
    """The scorecard rows, sorted by province, level, unit and period. Raises :class:`KpiPageError`."""
    if not warehouse.is_file():
        raise KpiPageError("warehouse file not found (run `cchc build` first)", source_file=str(warehouse))
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
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


def _axis_max(values: list[float]) -> float:
    """100 for rates, or the next multiple of the tick step above a larger (suspicious) value."""
    top = max([100.0, *values])
    return math.ceil(top / TICK_STEP) * TICK_STEP


def build_chart(metric: ChartMetric, data: KpiData) -> Chart:
    """Geometry of one horizontal bar chart: a row per scorecard row, a bar when it has a value."""
    names = {k.name for k in data.kpis}
    column = next((c for c in metric.columns if c in names), None)
    cells = [row.kpi(column) if column else None for row in data.rows]
    top = _axis_max([c.value for c in cells if c is not None and c.value is not None])
    plot_x = float(LABEL_WIDTH)
    plot_width = float(CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    bars = []
    for index, (row, cell) in enumerate(zip(data.rows, cells, strict=True)):
        value = cell.value if cell is not None else None
        width = 0.0 if value is None else max(0.0, min(value, top)) / top * plot_width
        bars.append(
            Bar(
                unit_code=row.unit_code,
                period_key=row.period_key,
                label=row.label,
                y=TOP_MARGIN + index * ROW_HEIGHT,
                value=value,
                width=round(width, 2),
                value_text=cell.value_text if cell is not None else NOT_REPORTED,
                state=cell.state if cell is not None else "not_reported",
                reason=cell.reason if cell is not None else f"{SCORECARD} has no {metric.key} column",
            )
        )
    axis_y = TOP_MARGIN + len(data.rows) * ROW_HEIGHT + 4
    ticks = tuple(
        Tick(x=round(plot_x + step * TICK_STEP / top * plot_width, 2), label=f"{step * TICK_STEP:g}")
        for step in range(int(top / TICK_STEP) + 1)
    )
    return Chart(
        key=metric.key,
        title=metric.title,
        description=metric.description,
        column=column,
        width=CHART_WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        plot_x=plot_x,
        plot_width=plot_width,
        axis_y=axis_y,
        ticks=ticks,
        bars=tuple(bars),
    )


# --------------------------------------------------------------------------- writing


def _environment() -> Environment:
    return page_environment()


def render_kpi_html(data: KpiData) -> str:
    """The whole page as one string (UTF-8, self-contained)."""
    cells = [c for r in data.rows for c in r.kpis]
    return (
        _environment()
        .get_template(TEMPLATE_NAME)
        .render(
            data=data,
            charts=tuple(build_chart(m, data) for m in CHART_METRICS),
            bar_height=BAR_HEIGHT,
            row_height=ROW_HEIGHT,
            not_reported_count=sum(1 for c in cells if c.state == "not_reported"),
            not_comparable_count=sum(1 for c in cells if c.change_state == "not_comparable"),
        )
    )


def write_kpi_page(warehouse: Path, out_path: Path) -> Path:
    """Write the KPI overview page (e.g. ``target/audit/kpi.html``); returns its path."""
    data = read_kpi_data(warehouse)
    html_text = render_kpi_html(data)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(out_path, html_text)
    except OSError as exc:
        raise KpiPageError(f"cannot write the KPI page: {exc}", source_file=str(out_path)) from exc
    return out_path
