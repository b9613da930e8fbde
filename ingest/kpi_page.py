"""The KPI overview page: ``target/audit/kpi.html``, written beside the auditor's report.

One self-contained HTML file (inline CSS, no scripts, no external resources): the headline
KPIs of ``marts.kpi_scorecard`` (one row per reporting unit x period) as horizontal bar charts
drawn in inline SVG (:data:`CHART_METRICS`: on-time rate and online share, a bar per unit and
period, with axis, tick labels and value labels), then the whole scorecard as a table.

A KPI that is null is shown as "not comparable" with the reason when the scorecard gives one
(a ``<kpi>_not_comparable_reason`` or ``<kpi>_reason`` column), else as "not reported". Unit
and period names come from ``marts.dim_reporting_unit`` and ``marts.dim_period`` when present.
Every text is escaped by Jinja2's autoescape; the SVG geometry is computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ingest.audit_report import _existing_tables, _rows, _text
from ingest.errors import CchcError

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "kpi_overview.html.j2"
SCORECARD = "marts.kpi_scorecard"
UNITS = "marts.dim_reporting_unit"
PERIODS = "marts.dim_period"
KEY_COLUMNS = ("unit_code", "period_key")
REASON_SUFFIXES = ("_not_comparable_reason", "_reason")
NOT_REPORTED = "not reported"
NOT_COMPARABLE = "not comparable"

# Chart geometry (SVG user units = CSS pixels).
CHART_WIDTH = 900
LABEL_WIDTH = 300
VALUE_WIDTH = 70
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP_MARGIN = 10
AXIS_HEIGHT = 44
TICK_STEP = 20.0


class KpiPageError(CchcError):
    """The scorecard cannot be read or the page cannot be written."""


@dataclass(frozen=True)
class ChartMetric:
    """A headline KPI drawn as a chart: the first of ``columns`` that the scorecard has."""

    key: str
    title: str
    columns: tuple[str, ...]
    description: str


CHART_METRICS: tuple[ChartMetric, ...] = (
    ChartMetric(
        key="on_time_rate",
        title="On-time rate of dossiers resolved (%)",
        columns=("on_time_rate", "procedures_on_time_rate"),
        description="Dossiers resolved on time (early included) / dossiers resolved, computed from counts.",
    ),
    ChartMetric(
        key="online_share",
        title="Online share of dossiers received (%)",
        columns=("online_share", "online_dossier_share", "online_services_online_share"),
        description="Dossiers received online / dossiers received, computed from counts.",
    ),
)


@dataclass(frozen=True)
class Column:
    """A scorecard column shown in the table (reason columns are folded into their KPI)."""

    name: str
    data_type: str
    reason_column: str | None

    @property
    def is_numeric(self) -> bool:
        t = self.data_type.upper()
        return t.startswith(("DOUBLE", "FLOAT", "DECIMAL", "REAL", "NUMERIC")) or t in {
            "INTEGER",
            "BIGINT",
            "SMALLINT",
            "TINYINT",
            "HUGEINT",
            "UBIGINT",
            "UINTEGER",
        }

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


@dataclass(frozen=True)
class Cell:
    column: str
    state: str  # value | not_comparable | not_reported
    text: str
    reason: str


@dataclass(frozen=True)
class ScorecardRow:
    unit_code: str
    unit_name: str
    unit_level: str
    province: str
    period_key: str
    period_name: str
    sort_key: tuple[Any, ...]
    values: dict[str, Any]
    cells: tuple[Cell, ...]

    @property
    def label(self) -> str:
        return f"{self.unit_name} · {self.period_key}"


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
    columns: tuple[Column, ...]
    rows: tuple[ScorecardRow, ...]


# --------------------------------------------------------------------------- formatting


def format_value(column: str, value: Any) -> str:
    """A scorecard value as the page shows it: rates with a % sign, changes of rates in points."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        text = f"{value:,.2f}".replace(",", " ").rstrip("0").rstrip(".")
        name = column.lower()
        if "rate" in name or "share" in name:
            if "change" in name or "delta" in name or "diff" in name:
                return f"{'+' if value > 0 else ''}{text} pp"
            if "rank" not in name:
                return f"{text} %"
        return text
    return _text(value)


def _reason_column(name: str, names: set[str]) -> str | None:
    for suffix in REASON_SUFFIXES:
        if f"{name}{suffix}" in names:
            return f"{name}{suffix}"
    return None


def _is_reason(name: str, names: set[str]) -> bool:
    return any(name.endswith(s) and name[: -len(s)] in names for s in REASON_SUFFIXES)


def _cell(column: Column, values: dict[str, Any]) -> Cell:
    value = values.get(column.name)
    reason = _text(values.get(column.reason_column)) if column.reason_column else ""
    if value is not None:
        return Cell(column.name, "value", format_value(column.name, value), reason)
    if reason:
        return Cell(column.name, "not_comparable", NOT_COMPARABLE, reason)
    return Cell(column.name, "not_reported", NOT_REPORTED, "")


# --------------------------------------------------------------------------- reading


def _columns(con: duckdb.DuckDBPyConnection) -> tuple[Column, ...]:
    info = _rows(
        con,
        "select column_name, data_type from duckdb_columns() "
        "where schema_name = 'marts' and table_name = 'kpi_scorecard' order by column_index",
    )
    names = {r["column_name"] for r in info}
    missing = [k for k in KEY_COLUMNS if k not in names]
    if missing:
        raise KpiPageError(f"{SCORECARD} lacks the key columns {', '.join(missing)}")
    return tuple(
        Column(r["column_name"], r["data_type"], _reason_column(r["column_name"], names))
        for r in info
        if r["column_name"] not in KEY_COLUMNS and not _is_reason(r["column_name"], names)
    )


def _dimension(con: duckdb.DuckDBPyConnection, table: str, key: str, tables: set[str]) -> dict[str, Any]:
    if table not in tables:
        return {}
    return {r[key]: r for r in _rows(con, f"select * from {table}")}


def read_kpi_data(warehouse: Path) -> KpiData:
    """The scorecard rows with unit and period names. Raises :class:`KpiPageError`."""
    if not warehouse.is_file():
        raise KpiPageError("warehouse file not found (run `cchc build` first)", source_file=str(warehouse))
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise KpiPageError(f"cannot open the warehouse: {exc}", source_file=str(warehouse)) from exc
    try:
        tables = _existing_tables(con)
        if SCORECARD not in tables:
            raise KpiPageError(
                f"missing table {SCORECARD} (build the KPI marts with `dbt build` first)",
                source_file=str(warehouse),
            )
        columns = _columns(con)
        units = _dimension(con, UNITS, "unit_code", tables)
        periods = _dimension(con, PERIODS, "period_key", tables)
        rows = []
        for values in _rows(con, f"select * from {SCORECARD}"):
            unit_code = _text(values["unit_code"])
            period_key = _text(values["period_key"])
            unit = units.get(unit_code, {})
            period = periods.get(period_key, {})
            unit_name = _text(unit.get("unit_full_name_vi") or unit.get("unit_name_vi")) or unit_code
            rows.append(
                ScorecardRow(
                    unit_code=unit_code,
                    unit_name=unit_name,
                    unit_level=_text(unit.get("unit_level")),
                    province=_text(unit.get("province_name_at_report")),
                    period_key=period_key,
                    period_name=_text(period.get("period_type_name_en")),
                    sort_key=(
                        _text(unit.get("province_name_at_report")),
                        _text(unit.get("unit_level")),
                        unit_name,
                        period.get("period_year") or 0,
                        _text(period.get("calendar_start_date")),
                        period.get("months_covered") or 0,
                        period_key,
                    ),
                    values=values,
                    cells=tuple(_cell(c, values) for c in columns),
                )
            )
    finally:
        con.close()
    return KpiData(
        warehouse=warehouse,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        columns=columns,
        rows=tuple(sorted(rows, key=lambda r: r.sort_key)),
    )


# --------------------------------------------------------------------------- charts


def _axis_max(values: list[float]) -> float:
    """100 for rates, or the next multiple of the tick step above a larger (suspicious) value."""
    top = max([100.0, *values])
    return math.ceil(top / TICK_STEP) * TICK_STEP


def build_chart(metric: ChartMetric, data: KpiData) -> Chart:
    """Geometry of one horizontal bar chart: a row per scorecard row, a bar when it has a value."""
    names = {c.name: c for c in data.columns}
    column = next((names[c] for c in metric.columns if c in names), None)
    plot_x = float(LABEL_WIDTH)
    plot_width = float(CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    values: list[float | None] = []
    for row in data.rows:
        raw = row.values.get(column.name) if column else None
        numeric = isinstance(raw, int | float | Decimal) and not isinstance(raw, bool)
        values.append(float(raw) if numeric else None)
    top = _axis_max([v for v in values if v is not None and math.isfinite(v)])
    bars = []
    for index, (row, value) in enumerate(zip(data.rows, values, strict=True)):
        y = TOP_MARGIN + index * ROW_HEIGHT
        if column is None:
            cell = Cell(metric.key, "not_reported", NOT_REPORTED, f"{SCORECARD} has no {metric.key} column")
        else:
            cell = next(c for c in row.cells if c.column == column.name)
        width = 0.0 if value is None else max(0.0, min(value, top)) / top * plot_width
        bars.append(
            Bar(
                unit_code=row.unit_code,
                period_key=row.period_key,
                label=row.label,
                y=y,
                value=value,
                width=round(width, 2),
                value_text=cell.text,
                state=cell.state,
                reason=cell.reason,
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
        column=column.name if column else None,
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
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_kpi_html(data: KpiData) -> str:
    """The whole page as one string (UTF-8, self-contained)."""
    charts = tuple(build_chart(m, data) for m in CHART_METRICS)
    return (
        _environment()
        .get_template(TEMPLATE_NAME)
        .render(
            data=data,
            charts=charts,
            bar_height=BAR_HEIGHT,
            row_height=ROW_HEIGHT,
            not_comparable_count=sum(1 for r in data.rows for c in r.cells if c.state == "not_comparable"),
        )
    )


def write_kpi_page(warehouse: Path, out_path: Path) -> Path:
    """Write the KPI overview page (e.g. ``target/audit/kpi.html``); returns its path."""
    data = read_kpi_data(warehouse)
    html_text = render_kpi_html(data)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(html_text, encoding="utf-8")
    except OSError as exc:
        raise KpiPageError(f"cannot write the KPI page: {exc}", source_file=str(out_path)) from exc
    return out_path
