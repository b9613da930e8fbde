"""The build at a share of the national five-year volume, full and with one new quarter.

``python -m bench --scale 1 10`` builds, for each percentage of the national volume (226,000
reports: 705 districts and ~10,600 communes, 20 quarters 2021-2025), a warehouse from synth's rows
(``synth/load_rows.py``, no text parsing) with the first 19 quarters, then:

- ``dbt build`` of those 19 quarters (wall time, peak RSS), beside the floor and pandas
  (bench/floor.py) on the same warehouse;
- the 20th quarter loaded and ``dbt build`` again (incremental: only the new reports' harmonization
  and facts are computed);
- a copy of that warehouse rebuilt with ``dbt build --full-refresh``, and every table of the
  intermediate, marts and audit schemas compared between the two (``compare_warehouses``).

Units are drawn per family (the four template families, so a quarter has 4 x units reports).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench.floor import build_floor_pandas, build_floor_sql
from bench.measure import Measured
from bench.measure import measure as measure_command

REPO_ROOT = Path(__file__).resolve().parents[1]
NATIONAL_REPORTS = 226_000
QUARTERS = tuple(f"{year}-Q{q}" for year in range(2021, 2026) for q in (1, 2, 3, 4))
FAMILIES = 4
SEED = 7
INJECT_RATE = 0.02
# Columns that say when or under which fingerprint a row was computed, not what it holds.
BOOKKEEPING = {"ranked_at", "harmonization_fingerprint"}
# Tables that record builds (appended to by every build), not results.
NOT_RESULTS = {"dq_findings_history"}
COMPARED_SCHEMAS = ("intermediate", "marts", "audit")


def units_for(percent: float) -> int:
    """Units per family so that 4 families x 20 quarters ~ ``percent`` % of the national reports."""
    return max(1, round(NATIONAL_REPORTS * percent / 100 / (FAMILIES * len(QUARTERS))))


def rows_corpus(folder: Path, units: int, periods: tuple[str, ...]) -> Path:
    """synth's rows for ``units`` units per family and these quarters (kept and reused)."""
    done = folder / "complete"  # reports.csv is opened first: a stopped run leaves it half written
    if not done.exists():
        from synth.corpus import generate_corpus

        shutil.rmtree(folder, ignore_errors=True)
        generate_corpus(folder, units=units, periods=periods, seed=SEED, inject_rate=INJECT_RATE, mode="rows")
        done.write_text("", encoding="utf-8")
    return folder


def _env(warehouse: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CCHC_WAREHOUSE": str(warehouse.resolve()),
        "DBT_PROFILES_DIR": str(REPO_ROOT / "profiles"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }


def dbt(warehouse: Path, target: Path, *args: str, command: str = "build") -> Measured:
    """``dbt <command>`` on ``warehouse`` in its own measured process."""
    exe = str(Path(sys.executable).with_name("dbt"))
    argv = [exe, command, "--project-dir", str(REPO_ROOT), "--target-path", str(target), "--quiet", *args]
    return measure_command(argv, env=_env(warehouse), cwd=REPO_ROOT)


def load(folder: Path, warehouse: Path) -> Measured:
    """synth's rows of ``folder`` into ``warehouse`` (``python -m bench.scale load``), measured."""
    argv = [sys.executable, "-m", "bench.scale", "load", str(folder), str(warehouse)]
    return measure_command(argv, cwd=REPO_ROOT)


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT table_schema || '.' || table_name, column_name FROM information_schema.columns"
        " WHERE table_catalog = ? AND table_schema IN ('intermediate', 'marts', 'audit')"
        " AND table_name IN (SELECT table_name FROM information_schema.tables"
        "   WHERE table_catalog = ? AND table_type = 'BASE TABLE')"
        " ORDER BY table_schema, table_name, ordinal_position",
        [catalog, catalog],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        if table.split(".")[1] not in NOT_RESULTS and column not in BOOKKEEPING:
            tables.setdefault(table, []).append(column)
    return tables


def compare_warehouses(left: Path, right: Path) -> dict[str, int]:
    """Every result table of the intermediate, marts and audit schemas of two warehouses: the rows
    each has that the other has not (a multiset difference both ways), by table. Equal: all 0."""
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{left.as_posix()}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{right.as_posix()}' AS b (READ_ONLY)")
        tables_a, tables_b = _tables(con, "a"), _tables(con, "b")
        differ: dict[str, int] = {}
        for table in sorted(set(tables_a) | set(tables_b)):
            if tables_a.get(table) != tables_b.get(table):
                differ[table] = -1  # not in both, or not the same columns
                continue
            cols = ", ".join(f'"{c}"' for c in tables_a[table])
            a, b = (f"SELECT {cols} FROM {db}.{table}" for db in ("a", "b"))
            one_way = "(SELECT count(*) FROM ({} EXCEPT ALL {}))"
            row = con.execute(f"SELECT {one_way.format(a, b)} + {one_way.format(b, a)}").fetchone()
            differ[table] = int(row[0]) if row else 0
    return differ


@dataclass(frozen=True)
class ScaleRun:
    percent: float
    base_reports: int
    new_reports: int
    values: int  # statistic rows in raw after the new quarter
    load: Measured
    full: Measured
    floor: Measured
    pandas: Measured
    incremental: Measured
    rebuild: Measured
    differing: dict[str, int]

    @property
    def identical(self) -> bool:
        return not any(self.differing.values())


def _count(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def scale_run(work: Path, percent: float) -> ScaleRun:
    """The measurements of one size (see the module doc)."""
    units = units_for(percent)
    base = rows_corpus(work / f"rows-{units}u-base", units, QUARTERS[:-1])
    new = rows_corpus(work / f"rows-{units}u-new", units, QUARTERS[-1:])
    warehouse = work / f"scale-{percent:g}.duckdb"
    warehouse.unlink(missing_ok=True)
    loaded = load(base, warehouse)
    base_reports = _count(warehouse, "SELECT count(*) FROM raw.reports")
    full = dbt(warehouse, work / "target-scale")
    floor, pandas = build_floor_sql(warehouse), build_floor_pandas(warehouse)
    load(new, warehouse)
    incremental = dbt(warehouse, work / "target-scale")
    copy = work / f"scale-{percent:g}-rebuilt.duckdb"
    shutil.copyfile(warehouse, copy)
    rebuild = dbt(copy, work / "target-scale", "--full-refresh")
    reports = _count(warehouse, "SELECT count(*) FROM raw.reports")
    values = _count(warehouse, "SELECT count(*) FROM raw.statistic_rows")
    differing = compare_warehouses(warehouse, copy)
    return ScaleRun(
        percent, base_reports, reports - base_reports, values, loaded, full, floor, pandas,
        incremental, rebuild, differing,
    )  # fmt: skip


def main(argv: list[str]) -> int:
    if argv[:1] != ["load"] or len(argv) != 3:
        print("usage: python -m bench.scale load ROWS_FOLDER WAREHOUSE", file=sys.stderr)
        return 2
    from synth.load_rows import load_rows

    with duckdb.connect(argv[2]) as con:
        print(load_rows(con, Path(argv[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
