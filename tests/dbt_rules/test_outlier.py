"""Generic test outlier (macros/rules/outlier/test_outlier.sql): modified z-score within a partition.

Group A: 10, 11, 12, 10, 11, 50 -> median 11; |x - 11| = 1,0,1,1,0,39 -> MAD 1;
         z(50) = 0.6745 * 39 / 1 = 26.3 (outlier); z(12) = 0.67 (not).
Group B: 1, 2, 3, 100           -> 4 values, below min_count 5: never flagged.
Group C: 5, 5, 5, 5, 5, 9       -> MAD 0; mean |x - 5| = 4/6; z(9) = 4 / (1.253314 * 0.6667) = 4.79.
Group D: 7, 7, 7, 7, 7          -> MAD and mean deviation 0: no score, no outlier.
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,grp,x
a1,A,10
a2,A,11
a3,A,12
a4,A,10
a5,A,11
a6,A,50
a7,A,
b1,B,1
b2,B,2
b3,B,3
b4,B,100
c1,C,5
c2,C,5
c3,C,5
c4,C,5
c5,C,5
c6,C,9
d1,D,7
d2,D,7
d3,D,7
d4,D,7
d5,D,7
"""

SCHEMA = """\
version: 2
seeds:
  - name: series
    config:
      column_types: {x: double}
    columns:
      - name: x
        data_tests:
          - outlier:
              name: outlier_by_group
              arguments:
                partition_by: [grp]
              config:
                severity: warn
          - outlier:
              name: outlier_by_group_threshold_20
              arguments:
                partition_by: [grp]
                threshold: 20
          - outlier:
              name: outlier_by_group_min_count_7
              arguments:
                partition_by: [grp]
                min_count: 7
"""

EXPECTED = {
    "outlier_by_group": {"a6", "c6"},
    "outlier_by_group_threshold_20": {"a6"},
    "outlier_by_group_min_count_7": set(),
}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"series": SEED}, SCHEMA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outlier_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_outlier_is_a_warning(build: FixtureBuild) -> None:
    assert build.outcomes["outlier_by_group"].status == "warn"
    assert build.outcomes["outlier_by_group_threshold_20"].status == "fail"


def test_scores_by_hand(build: FixtureBuild) -> None:
    rows = build.query('select case_id, __outlier_z from failures."outlier_by_group" order by case_id')
    scores = {str(case): float(z) for case, z in rows}  # type: ignore[arg-type]
    assert scores["a6"] == pytest.approx(0.6745 * 39, rel=1e-6)
    assert scores["c6"] == pytest.approx(4 / (1.253314 * 4 / 6), rel=1e-6)
