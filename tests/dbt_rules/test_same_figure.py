"""Generic test same_figure (macros/rules/same_figure/test_same_figure.sql): a figure stated twice agrees.

s01 99.95 vs 99.9585  differ by 0.0085: finding at tolerance 0; with rounding, 99.9585 truncated
                      to the 2 decimals of 99.95 is 99.95: ok (Vĩnh Châu 2022 line 90 note)
s02 1290 vs 1290      ok
s03 1287 vs 1290      finding; ok at tolerance 3 (Cát Thành 2024: 378 + 909 vs 1.290)
s04 -    vs 5         any: skipped | zero: 0 vs 5 finding
s05 100  vs 99.9585   with rounding, 99.9585 rounded to 0 decimals is 100: ok
s06 18   vs 17.49     with rounding 17 either way: finding; |0.51| > 0.5: finding at tolerance 0.5
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,a,b
s01,99.95,99.9585
s02,1290,1290
s03,1287,1290
s04,,5
s05,100,99.9585
s06,18,17.49
"""

SCHEMA = """\
version: 2
seeds:
  - name: figures
    config:
      column_types: {a: double, b: double}
    data_tests:
      - same_figure:
          name: same_any
          arguments:
            first: a
            second: b
      - same_figure:
          name: same_zero
          arguments:
            first: a
            second: b
            missing: missing_as_zero
      - same_figure:
          name: same_rounding
          arguments:
            first: a
            second: b
            rounding: true
      - same_figure:
          name: same_rounding_tolerance_half
          arguments:
            first: a
            second: b
            rounding: true
            tolerance: 0.5
      - same_figure:
          name: same_tolerance_3
          arguments:
            first: a
            second: b
            tolerance: 3
"""

EXPECTED = {
    "same_any": {"s01", "s03", "s05", "s06"},
    "same_zero": {"s01", "s03", "s04", "s05", "s06"},
    "same_rounding": {"s03", "s06"},
    "same_rounding_tolerance_half": {"s03", "s06"},
    "same_tolerance_3": set(),  # s05 differs by 0.04, s06 by 0.51, s03 by exactly 3
}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"figures": SEED}, SCHEMA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_same_figure_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_no_test_errored(build: FixtureBuild) -> None:
    assert {o.status for o in build.outcomes.values()} <= {"pass", "fail"}, build.log
    assert set(build.outcomes) == set(EXPECTED)
