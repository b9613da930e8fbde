"""Publishing: the read-only BI copy of the marts, Parquet exports and the SDMX-CSV export.

:func:`publish` is called after a successful build (``cchc publish``, ``cchc build``). It

1. copies every table (and view, as a table) of the warehouse's ``marts`` schema, plus the
   ``reference`` seeds BI tools need (:data:`REFERENCE_TABLES`), with their table and column
   comments, into a NEW DuckDB file in the directory of ``published`` (a temporary name), in
   the storage format :data:`STORAGE_VERSION` that DuckDB 1.x reads;
2. verifies that copy (:func:`verify_published`: every table present, same columns and types,
   row counts equal to the warehouse's);
3. exports every mart to ``export_dir/<table>.parquet`` and the indicator facts to
   ``export_dir/sdmx/cchc_indicators.csv`` (SDMX-CSV 1.0, see :func:`sdmx_rows`), each written
   to a temporary name first;
4. only then moves the exports and, last, the published file into place with ``os.replace``:
   a reader never sees a half-written file, and any failure before step 4 leaves the previous
   published file (and the previous exports) untouched;
5. removes ``*.parquet`` files of ``export_dir`` that are no longer marts (a dropped model), so
   that the export folder lists exactly the published marts.

SDMX-CSV choices (documented here because the format leaves them to the producer):

* Columns: ``DATAFLOW`` (``VN_CCHC:DF_CCHC_INDICATORS(1.0)``), the dimensions ``REF_AREA``
  (unit code), ``INDICATOR`` (canonical indicator code), ``TIME_PERIOD``, the measure
  ``OBS_VALUE``, then the attributes ``UNIT_MEASURE``, ``TEMPLATE_FAMILY``, ``QUALIFIER``,
  ``VALUE_SOURCE``, ``COMMENT``. SDMX puts the time dimension last among the dimensions.
* ``TIME_PERIOD`` uses the SDMX 2.1 time formats: a year is ``2021`` (gregorian year), a quarter
  ``2022-Q3``, a half-year ``2024-S1`` (reporting semester), and a cumulative n-month period
  (``2023-M9``, nine months from January) the SDMX 2.1 *time range* ``2023-01-01/P9M``
  (ISO 8601 start/duration, SDMX 2.1 Technical Notes 4.2.7 "Distinct Range"). ``2023-M09``
  would be wrong: in SDMX it means the month of September alone. Periods are the calendar
  periods of the report; the Decree 09/2019 data windows (15 Dec - 14 Mar for Q1 ...) are in
  ``marts.dim_period``.
* Only reported numeric values are observations: rows whose cell was empty (``is_reported``
  false) and text values without a number are left out (counted in
  :attr:`SdmxExport.left_out`); the words of a value that has a number go to ``COMMENT``.
* ``UNIT_MEASURE`` is the catalogue unit of the indicator (``dossier``, ``task`` ...), except
  ``percent`` when the value itself was written as a percent. ``QUALIFIER`` carries the bound
  of the value (``>`` for "Trên 90%", ``<``, ``>=``, ``<=``, ``~``), empty when exact.
* ``COMMENT`` joins the words of the value, a fraction as written (``12/12``), "cumulative
  (year to date)" and the comparability note of the fact, separated by `` | ``.
* Indicator codes keep their dots (``procedures.district.dossiers_resolved``) so that they match
  the marts; a strict SDMX registry would need them mapped to IDs without dots.
* UTF-8 without BOM, comma separated, CRLF line ends (RFC 4180), numbers with a ``.`` decimal
  point and no thousands separator. A text cell a spreadsheet would run as a formula (starting
  with ``=``, ``+``, ``-``, ``@``, tab or CR) gets a leading ``'`` (:func:`outputs.files.csv_safe`);
  numbers such as a negative ``OBS_VALUE`` are kept as they are.
"""

from __future__ import annotations

import math
import os
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ingest.text import nfc
from ingest.warehouse import open_error
from outputs.errors import PublishError
from outputs.files import process_alive, write_csv_rows
from outputs.warehouse_query import query_rows

MART_SCHEMA = "marts"
# Seeds that BI tools need beside the marts (catalogue with names in both languages, units, periods).
REFERENCE_TABLES: tuple[tuple[str, str], ...] = (
    ("reference", "indicators"),
    ("reference", "unit_aliases"),  # the units themselves: marts.dim_reporting_unit (the register)
    ("reference", "period_types"),
)
FACT_TABLE = ("marts", "fct_indicator_values")
INDICATOR_CATALOGUE = ("reference", "indicators")

# Storage format of the published file. DuckDB 2.0 writes v2.0.0 by default, which no DuckDB 1.x
# reads ("version number 69 ... can only read 64 to 68"), and BI drivers bundle DuckDB 1.x
# (Superset's duckdb extra pins duckdb<2). 'v1.0.0' (storage number 64, the same as 'v0.10.0')
# is read by every DuckDB from 0.10 on; the marts use only types that format has (VARCHAR,
# BIGINT, INTEGER, DOUBLE, BOOLEAN, DATE, TIMESTAMP), so nothing is lost.
STORAGE_VERSION = "v1.0.0"
PUBLISHED_ALIAS = "published"

DEFAULT_PUBLISHED = Path("target/published/cchc_marts.duckdb")
DEFAULT_EXPORT_DIR = Path("target/export")
SDMX_DIR = "sdmx"
SDMX_FILE = "cchc_indicators.csv"
SDMX_DATAFLOW = "VN_CCHC:DF_CCHC_INDICATORS(1.0)"
SDMX_COLUMNS: tuple[str, ...] = (
    "DATAFLOW",
    "REF_AREA",
    "INDICATOR",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "TEMPLATE_FAMILY",
    "QUALIFIER",
    "VALUE_SOURCE",
    "COMMENT",
)
COMMENT_SEPARATOR = " | "
LEFT_OUT_NOT_REPORTED = "not reported (empty cell)"
LEFT_OUT_NO_NUMBER = "text value without a number"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    data_type: str
    comment: str | None


@dataclass(frozen=True)
class TableSpec:
    """One table to publish, as found in the warehouse (with its row count there)."""

    schema: str
    name: str
    comment: str | None
    columns: tuple[ColumnSpec, ...]
    row_count: int

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def sql_name(self) -> str:
        return f"{quote_ident(self.schema)}.{quote_ident(self.name)}"


@dataclass(frozen=True)
class SdmxExport:
    """The SDMX-CSV rows and what was left out of them (reason -> count)."""

    rows: tuple[tuple[str, ...], ...]
    left_out: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishSummary:
    """What :func:`publish` wrote."""

    published: Path
    export_dir: Path
    tables: tuple[TableSpec, ...]
    parquet_files: tuple[Path, ...]
    sdmx_csv: Path
    sdmx_rows: int
    sdmx_left_out: dict[str, int]
    removed_stale: tuple[Path, ...] = ()

    @property
    def row_counts(self) -> dict[str, int]:
        return {t.qualified: t.row_count for t in self.tables}

    @property
    def marts(self) -> tuple[TableSpec, ...]:
        return tuple(t for t in self.tables if t.schema == MART_SCHEMA)


Verifier = Callable[[Path, Sequence[TableSpec]], None]


# --------------------------------------------------------------------------- helpers


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _count(con: duckdb.DuckDBPyConnection, sql_name: str) -> int:
    row = con.execute(f"select count(*) from {sql_name}").fetchone()
    return int(row[0]) if row else 0


@contextmanager
def _connect(path: Path, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise PublishError(f"cannot open the database: {exc}", source_file=str(path)) from exc
    try:
        yield con
    finally:
        con.close()


def _temp_sibling(path: Path, suffix: str) -> Path:
    """A fresh name in the directory of ``path`` (same file system, so os.replace is atomic).

    The name carries the writer's PID, so that a later publish can tell a leftover of a killed
    publish (its writer gone) from the file of a publish still running: ``.NAME.PID-HEX SUFFIX``.
    """
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}{suffix}")


_TEMP_NAME = re.compile(
    r"^\.(?P<final>.+)\.(?:(?P<pid>\d+)-)?[0-9a-f]{12}\.(?:duckdb|parquet|csv)\.tmp(?:\.wal)?$"
)


def stale_temp_files(directory: Path) -> list[Path]:
    """Temporary files of earlier publishes in ``directory`` whose writer process is gone."""
    if not directory.is_dir():
        return []
    stale = []
    for p in sorted(directory.iterdir()):
        found = _TEMP_NAME.match(p.name)
        if found and not (found["pid"] and process_alive(int(found["pid"]))):
            stale.append(p)
    return stale


def remove_stale_temp_files(*directories: Path) -> list[Path]:
    """Remove the leftovers of killed publishes (see :func:`stale_temp_files`); returns them."""
    stale = [p for d in directories for p in stale_temp_files(d)]
    _remove_quietly(*stale)
    return stale


def _remove_quietly(*paths: Path) -> None:
    for p in paths:
        with suppress(OSError):
            p.unlink(missing_ok=True)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


# --------------------------------------------------------------------------- reading the warehouse


def _table_specs(con: duckdb.DuckDBPyConnection, database: str) -> tuple[TableSpec, ...]:
    """Specs of the tables to publish, read through ``con`` (``database`` = attached alias or '')."""
    db_filter = "database_name = current_database()" if not database else "database_name = ?"
    params = [database] if database else []
    relations = query_rows(
        con,
        f"""
        select schema_name, table_name as name, comment from duckdb_tables() where {db_filter}
        union all
        select schema_name, view_name as name, comment from duckdb_views() where {db_filter} and not internal
        """,
        params * 2,
    )
    found = {(r["schema_name"], r["name"]): r["comment"] for r in relations}
    marts = sorted(k for k in found if k[0] == MART_SCHEMA)
    if not marts:
        raise PublishError(f"the warehouse has no tables in schema {MART_SCHEMA!r} (run `dbt build` first)")
    missing = [f"{s}.{n}" for s, n in (FACT_TABLE, *REFERENCE_TABLES) if (s, n) not in found]
    if missing:
        raise PublishError(f"the warehouse lacks the tables {', '.join(missing)} (run `dbt build` first)")
    prefix = f"{quote_ident(database)}." if database else ""
    specs = []
    for schema, name in (*marts, *REFERENCE_TABLES):
        columns = query_rows(
            con,
            f"""
            select column_name, data_type, comment from duckdb_columns()
            where {db_filter} and schema_name = ? and table_name = ? order by column_index
            """,
            [*params, schema, name],
        )
        sql_name = f"{prefix}{quote_ident(schema)}.{quote_ident(name)}"
        specs.append(
            TableSpec(
                schema=schema,
                name=name,
                comment=found[(schema, name)],
                columns=tuple(ColumnSpec(c["column_name"], c["data_type"], c["comment"]) for c in columns),
                row_count=_count(con, sql_name),
            )
        )
    return tuple(specs)


# --------------------------------------------------------------------------- the published copy


def copy_tables(warehouse: Path, target: Path) -> tuple[TableSpec, ...]:
    """Write a new DuckDB file ``target`` with the tables to publish; returns their warehouse specs.

    ``target`` is attached with :data:`STORAGE_VERSION`, so DuckDB 1.x (bundled by BI drivers)
    opens it as well as the current DuckDB. The warehouse is attached read-only; the row counts
    are taken in the same connection as the copy, so the verification compares the copy with
    what was copied.
    """
    if target.exists():
        raise PublishError("temporary file already exists", source_file=str(target))
    with _connect(Path(":memory:"), read_only=False) as con:
        try:
            con.execute(f"attach {quote_literal(str(warehouse.resolve()))} as src (read_only)")
        except duckdb.Error as exc:
            raise open_error(warehouse, exc) from exc
        con.execute(
            f"attach {quote_literal(str(target))} as {PUBLISHED_ALIAS} "
            f"(storage_version {quote_literal(STORAGE_VERSION)})"
        )
        specs = _table_specs(con, "src")
        for schema in sorted({s.schema for s in specs}):
            con.execute(f"create schema if not exists {PUBLISHED_ALIAS}.{quote_ident(schema)}")
        for spec in specs:
            _copy_table(con, spec)
        con.execute("detach src")
        con.execute(f"checkpoint {PUBLISHED_ALIAS}")
        con.execute(f"detach {PUBLISHED_ALIAS}")
    if _wal(target).exists():
        raise PublishError("the new database left a write-ahead log after closing", source_file=str(target))
    return specs


def _copy_table(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> None:
    """One table from ``src`` into the published database, with its table and column comments."""
    name = f"{PUBLISHED_ALIAS}.{spec.sql_name}"
    con.execute(f"create table {name} as select * from src.{spec.sql_name}")
    if spec.comment:
        con.execute(f"comment on table {name} is {quote_literal(spec.comment)}")
    for col in spec.columns:
        if col.comment:
            con.execute(f"comment on column {name}.{quote_ident(col.name)} is {quote_literal(col.comment)}")


def storage_version(path: Path) -> str:
    """The storage format a DuckDB file was written in, as DuckDB names it ('v1.0.0+')."""
    with _connect(path, read_only=True) as con:
        row = con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    return str(row[0]) if row and row[0] is not None else ""


def verify_published(path: Path, expected: Sequence[TableSpec]) -> None:
    """Check the copy at ``path`` (opened read-only): every table, column and row count as expected."""
    with _connect(path, read_only=True) as con:
        problems: list[str] = []
        actual = {
            (r["schema_name"], r["table_name"]) for r in query_rows(con, "select * from duckdb_tables()")
        }
        for spec in expected:
            if (spec.schema, spec.name) not in actual:
                problems.append(f"{spec.qualified} is missing")
                continue
            columns = query_rows(
                con,
                "select column_name, data_type from duckdb_columns() "
                "where schema_name = ? and table_name = ? order by column_index",
                [spec.schema, spec.name],
            )
            got = [(c["column_name"], c["data_type"]) for c in columns]
            want = [(c.name, c.data_type) for c in spec.columns]
            if got != want:
                problems.append(f"{spec.qualified} has columns {got}, expected {want}")
            count = _count(con, spec.sql_name)
            if count != spec.row_count:
                problems.append(f"{spec.qualified} has {count} rows, the warehouse {spec.row_count}")
        extra = sorted(f"{s}.{n}" for s, n in actual - {(t.schema, t.name) for t in expected})
        if extra:
            problems.append(f"unexpected tables {', '.join(extra)}")
    if problems:
        raise PublishError("verification of the published copy failed: " + "; ".join(problems))


# --------------------------------------------------------------------------- SDMX-CSV


def sdmx_time_period(period_key: str) -> str:
    """SDMX 2.1 time period of a period key: 2021-Y -> 2021, 2022-Q3, 2024-H1 -> 2024-S1,
    2023-M9 -> 2023-01-01/P9M (n months from January, a time range)."""
    year, sep, suffix = period_key.partition("-")
    if not (sep and len(year) == 4 and year.isdigit()):
        raise PublishError(f"period key {period_key!r} is not YEAR-SUFFIX (e.g. 2022-Q3)")
    if suffix == "Y":
        return year
    if suffix in ("Q1", "Q2", "Q3", "Q4"):
        return f"{year}-{suffix}"
    if suffix in ("H1", "H2"):
        return f"{year}-S{suffix[1]}"
    months = suffix[1:]
    if suffix.startswith("M") and months.isdigit() and 1 <= int(months) <= 12:
        return f"{year}-01-01/P{int(months)}M"
    raise PublishError(f"period key {period_key!r}: unknown period {suffix!r} (Y, Q1-Q4, H1-H2, M1-M12)")


def format_number(value: float) -> str:
    """A number as SDMX-CSV writes it: 220, 99.545, -3 (shortest exact form, '.' decimal point)."""
    if not math.isfinite(value):
        raise PublishError(f"not a finite number: {value!r}")
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _comment(row: dict[str, Any]) -> str:
    parts: list[str] = []
    if row["value_text"]:
        parts.append(nfc(str(row["value_text"])))
    if row["value_kind"] == "ratio" and row["numerator"] is not None and row["denominator"] is not None:
        parts.append(f"fraction {format_number(row['numerator'])}/{format_number(row['denominator'])}")
    if row["is_cumulative"]:
        parts.append("cumulative (year to date)")
    if row["comparability_note"]:
        parts.append(nfc(str(row["comparability_note"])))
    return COMMENT_SEPARATOR.join(parts)


def sdmx_rows(con: duckdb.DuckDBPyConnection) -> SdmxExport:
    """The SDMX-CSV observations of ``marts.fct_indicator_values`` (see the module notes)."""
    fact = f"{quote_ident(FACT_TABLE[0])}.{quote_ident(FACT_TABLE[1])}"
    catalogue = f"{quote_ident(INDICATOR_CATALOGUE[0])}.{quote_ident(INDICATOR_CATALOGUE[1])}"
    facts = query_rows(
        con,
        f"""
        select f.report_id, f.unit_code, f.period_key, f.indicator_code, f.template_family, f.value_kind,
               f.value_number, f.value_text, f.qualifier, f.numerator, f.denominator, f.is_reported,
               f.is_cumulative, f.value_source, f.comparability_note, c.unit as catalogue_unit
        from {fact} as f
        left join {catalogue} as c on c.indicator_code = f.indicator_code
        order by f.unit_code, f.indicator_code, f.period_key, f.report_id
        """,
    )
    left_out: Counter[str] = Counter()
    rows: list[tuple[str, ...]] = []
    keys: dict[tuple[str, str, str], str] = {}
    for f in facts:
        if not f["is_reported"]:
            left_out[LEFT_OUT_NOT_REPORTED] += 1
            continue
        if f["value_number"] is None:
            left_out[LEFT_OUT_NO_NUMBER] += 1
            continue
        time_period = sdmx_time_period(str(f["period_key"]))
        key = (str(f["unit_code"]), str(f["indicator_code"]), time_period)
        if key in keys:
            raise PublishError(
                f"two facts for REF_AREA={key[0]} INDICATOR={key[1]} TIME_PERIOD={key[2]}: reports "
                f"{keys[key]} and {f['report_id']} (an SDMX series has one observation per period)"
            )
        keys[key] = str(f["report_id"])
        unit = "percent" if f["value_kind"] == "percent" else (f["catalogue_unit"] or "")
        rows.append(
            (
                SDMX_DATAFLOW,
                key[0],
                key[1],
                time_period,
                format_number(float(f["value_number"])),
                str(unit),
                str(f["template_family"] or ""),
                str(f["qualifier"] or ""),
                str(f["value_source"] or ""),
                _comment(f),
            )
        )
    return SdmxExport(rows=tuple(rows), left_out=dict(sorted(left_out.items())))


def write_sdmx_csv(export: SdmxExport, path: Path) -> None:
    """Header + one row per observation; UTF-8 (no BOM), RFC 4180 quoting and CRLF line ends."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_csv_rows(fh, SDMX_COLUMNS, export.rows)


# --------------------------------------------------------------------------- publish


def _prepare_dir(path: Path, what: str) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"cannot create the {what} directory: {exc}", source_file=str(path)) from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise PublishError(f"the {what} directory is not writable", source_file=str(path))


def publish(
    warehouse: Path, published: Path, export_dir: Path, *, verify: Verifier = verify_published
) -> PublishSummary:
    """Publish the marts to ``published`` and export them to ``export_dir`` (see the module notes).

    ``verify`` checks the new copy before anything is swapped in (default :func:`verify_published`).
    Raises :class:`PublishError`; on any failure the previous published file and exports stay as
    they were and the temporary files are removed.
    """
    if not warehouse.is_file():
        raise PublishError("warehouse file not found (run `cchc build` first)", source_file=str(warehouse))
    if published.resolve() == warehouse.resolve():
        raise PublishError("the published file must not be the warehouse itself", source_file=str(published))
    _prepare_dir(published.parent, "published")
    sdmx_dir = export_dir / SDMX_DIR
    remove_stale_temp_files(published.parent, export_dir, sdmx_dir)
    temp_db = _temp_sibling(published, ".duckdb.tmp")
    staged: list[tuple[Path, Path]] = []  # (temporary file, final path)
    try:
        specs = copy_tables(warehouse, temp_db)
        verify(temp_db, specs)
        _prepare_dir(export_dir, "export")
        _prepare_dir(sdmx_dir, "SDMX export")
        with _connect(temp_db, read_only=True) as con:
            for spec in specs:
                if spec.schema != MART_SCHEMA:
                    continue
                final = export_dir / f"{spec.name}.parquet"
                temp = _temp_sibling(final, ".parquet.tmp")
                staged.append((temp, final))
                try:
                    con.execute(f"copy {spec.sql_name} to {quote_literal(str(temp))} (format parquet)")
                except duckdb.Error as exc:
                    raise PublishError(
                        f"cannot export {spec.qualified}: {exc}", source_file=str(final)
                    ) from exc
            try:
                sdmx = sdmx_rows(con)
            except duckdb.Error as exc:
                raise PublishError(f"cannot read the indicator facts for SDMX-CSV: {exc}") from exc
        sdmx_final = sdmx_dir / SDMX_FILE
        sdmx_temp = _temp_sibling(sdmx_final, ".csv.tmp")
        staged.append((sdmx_temp, sdmx_final))
        try:
            write_sdmx_csv(sdmx, sdmx_temp)
        except OSError as exc:
            raise PublishError(
                f"cannot write the SDMX-CSV export: {exc}", source_file=str(sdmx_final)
            ) from exc
        for temp, final in staged:
            os.replace(temp, final)
        os.replace(temp_db, published)
    except BaseException:
        _remove_quietly(temp_db, _wal(temp_db), *(t for t, _ in staged))
        raise
    parquet = tuple(final for _, final in staged if final.suffix == ".parquet")
    stale = tuple(
        p for p in sorted(export_dir.glob("*.parquet")) if p not in parquet and not p.name.startswith(".")
    )
    _remove_quietly(*stale)
    return PublishSummary(
        published=published,
        export_dir=export_dir,
        tables=specs,
        parquet_files=parquet,
        sdmx_csv=sdmx_dir / SDMX_FILE,
        sdmx_rows=len(sdmx.rows),
        sdmx_left_out=sdmx.left_out,
        removed_stale=stale,
    )
