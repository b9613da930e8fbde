"""The build's floor: the fact table and the ordered-chain rule checks written by hand, in DuckDB SQL
and in pandas (``python -m bench.floor sql|pandas WAREHOUSE`` prints the rows it produced).

What the floor computes (a subset of the dbt project, the same grain): one fact per current, not
held-out report x indicator, from the statistic rows mapped through the family crosswalks (table
rows; the reported value first, then the first row in the file), and every ordered-chain rule of
seeds/dq_rules.csv evaluated on those facts (a missing link is stepped over; a violation is a
link greater than the one before it). It leaves out what dbt also does: note figures,
hand-entered values, percent_from_ratio transforms, the other rule kinds, the audit tables and the
tests. So build/floor overstates the overhead: it bounds it from above.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

from bench.measure import Measured
from bench.measure import measure as measure_command

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"

FLOOR_SQL = """
CREATE OR REPLACE TEMP TABLE crosswalk AS
SELECT template_row_id, indicator_code
FROM read_csv('{seeds}/crosswalk/crosswalk_*.csv', header = true, all_varchar = true)
WHERE indicator_code IS NOT NULL AND coalesce(note_keyword, '') = '';

CREATE OR REPLACE TEMP TABLE current_reports AS
SELECT report_id FROM (
    SELECT report_id, is_held_out, row_number() OVER (
        PARTITION BY coalesce(unit_code, source_file), period_year, period_type, period_number
        ORDER BY version_number DESC) AS newest
    FROM raw.reports)
WHERE newest = 1 AND NOT is_held_out;

CREATE OR REPLACE TEMP TABLE facts AS
SELECT report_id, indicator_code, value_number, line_start, line_end
FROM (
    SELECT s.report_id, c.indicator_code, s.value_number, s.line_start, s.line_end,
           row_number() OVER (PARTITION BY s.report_id, c.indicator_code
                              ORDER BY s.value_kind = 'empty', s.row_seq) AS pick
    FROM raw.statistic_rows s
    JOIN current_reports USING (report_id)
    JOIN crosswalk c USING (template_row_id))
WHERE pick = 1;

CREATE OR REPLACE TEMP TABLE chain_links AS
SELECT rule_id, link.code AS indicator_code, link.position
FROM read_csv('{seeds}/dq_rules.csv', header = true, all_varchar = true) r,
     unnest(string_split(r.indicator_codes, '|')) WITH ORDINALITY AS link(code, position)
WHERE rule_kind = 'ordered_chain';

SELECT count(*) FROM (
    SELECT report_id, rule_id, value_number,
           lag(value_number) OVER (PARTITION BY report_id, rule_id ORDER BY position) AS previous
    FROM chain_links JOIN facts USING (indicator_code)
    WHERE value_number IS NOT NULL)
WHERE value_number > previous;
"""


def floor_sql(warehouse: Path) -> int:
    """The floor in DuckDB SQL; the number of ordered-chain violations."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        *setup, last = FLOOR_SQL.format(seeds=SEEDS.as_posix()).strip().rstrip(";").split(";\n\n")
        for statement in setup:
            con.execute(statement)
        row = con.execute(last).fetchone()
    return int(row[0]) if row else 0


def _raw(warehouse: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reports = con.execute("SELECT * FROM raw.reports").df()
        rows = con.execute(
            "SELECT report_id, template_row_id, value_kind, row_seq,"
            " CAST(value_number AS DOUBLE) AS value_number, line_start, line_end FROM raw.statistic_rows"
        ).df()
    return reports, rows


def floor_pandas(warehouse: Path) -> int:
    """The same in pandas (what a team would write instead); the number of violations."""
    reports, rows = _raw(warehouse)
    crosswalk = pd.concat(
        [pd.read_csv(p, dtype=str) for p in sorted((SEEDS / "crosswalk").glob("crosswalk_*.csv"))]
    )
    crosswalk = crosswalk[crosswalk["indicator_code"].notna() & crosswalk["note_keyword"].isna()]
    reports["unit_key"] = reports["unit_code"].fillna(reports["source_file"])
    reports = reports.sort_values("version_number", ascending=False)
    key = ["unit_key", "period_year", "period_type", "period_number"]
    newest = reports.drop_duplicates(subset=key, keep="first")
    current = newest.loc[~newest["is_held_out"].astype(bool), ["report_id"]]
    facts = rows.merge(current, on="report_id").merge(crosswalk[["template_row_id", "indicator_code"]])
    facts["is_empty"] = facts["value_kind"] == "empty"
    facts = facts.sort_values(["report_id", "indicator_code", "is_empty", "row_seq"])
    facts = facts.drop_duplicates(subset=["report_id", "indicator_code"], keep="first")
    rules = pd.read_csv(SEEDS / "dq_rules.csv", dtype=str)
    chains = rules[rules["rule_kind"] == "ordered_chain"][["rule_id", "indicator_codes"]]
    links = chains.assign(indicator_code=chains["indicator_codes"].str.split("|")).explode("indicator_code")
    links["position"] = links.groupby("rule_id").cumcount()
    checked = links.merge(facts, on="indicator_code")
    checked = checked[checked["value_number"].notna()].sort_values(["report_id", "rule_id", "position"])
    checked["previous"] = checked.groupby(["report_id", "rule_id"])["value_number"].shift()
    return int((checked["value_number"] > checked["previous"]).sum())


def build_floor_sql(warehouse: Path) -> Measured:
    return measure_command([sys.executable, "-m", "bench.floor", "sql", str(warehouse)], cwd=REPO_ROOT)


def build_floor_pandas(warehouse: Path) -> Measured:
    return measure_command([sys.executable, "-m", "bench.floor", "pandas", str(warehouse)], cwd=REPO_ROOT)


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    violations = floor_sql(Path(argv[1])) if argv[0] == "sql" else floor_pandas(Path(argv[1]))
    print(f"{violations} ordered-chain violations in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
