"""Generic test rate_reconciliation (macros/rules/rate_reconciliation/test_rate_reconciliation.sql).

Each case: reported rate, numerator, denominator; computed = numerator / denominator * 100 by hand.
A rate agrees when the computed rate rounded half up OR truncated to the decimals the rate was
written with equals it, or when |rate - computed| <= tolerance.
  r01 99.5  219/220      = 99.545  -> rounded 99.5: ok (Duyên Hải 2023 line 300-302)
  r02 41.8  103/246      = 41.870  -> rounded 41.9, truncated 41.8: ok (Duyên Hải line 415-417)
  r03 20    7/36         = 19.444  -> 19 either way: finding (Duyên Hải line 225-227);
                                      |20 - 19.444| = 0.556: ok at tolerance 0.6, not at 0.5
  r04 100   4823/4825    = 99.959  -> rounded to 0 decimals 100: ok; at 2 fixed decimals 99.96: finding
  r05 99.95 4823/4825    = 99.959  -> truncated 99.95: ok (Vĩnh Châu 2022 line 90 note)
  r06 66.67 18/27        = 66.667  -> ok (Vĩnh Châu line 12)
  r07 63.64 7/11         = 63.636  -> ok
  r08 100   378/1290     = 29.302  -> finding (Cát Thành 2024 line 537-541)
  r09 13.5  17991/132928 = 13.534  -> ok (Duyên Hải line 364-366)
  r10 18    502/2870     = 17.491  -> 17 either way: finding; |18 - 17.491| = 0.509 ok at tolerance 0.6
  r11 19.4  7/36         = 19.444  -> ok
  r12 19.45 7/36         = 19.444  -> rounded 19.44, truncated 19.44: finding; ok at tolerance 0.01
  r13 50    1/0                    -> denominator 0: skipped under every strategy
  r14 50    -/10                   -> any/all: skipped; zero: 0/10 = 0 vs 50: finding
  r15 -     5/10         = 50      -> any/all: skipped; zero: rate 0 vs 50: finding
  r16 -     -/-                    -> skipped (zero: denominator 0)
  r17 0.5   1/200        = 0.5     -> ok
  r18 99.96 4823/4825    = 99.959  -> rounded 99.96: ok (also at 2 fixed decimals)
  r19 13    1/8          = 12.5    -> rounded half up 13: ok (rounding edge)
  r20 12    1/8          = 12.5    -> truncated 12: ok
  r21 66.6  2/3          = 66.667  -> truncated 66.6: ok
  r22 12.6  1/8          = 12.5    -> neither: finding
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,rate,num,den
r01,99.5,219,220
r02,41.8,103,246
r03,20,7,36
r04,100,4823,4825
r05,99.95,4823,4825
r06,66.67,18,27
r07,63.64,7,11
r08,100,378,1290
r09,13.5,17991,132928
r10,18,502,2870
r11,19.4,7,36
r12,19.45,7,36
r13,50,1,0
r14,50,,10
r15,,5,10
r16,,,
r17,0.5,1,200
r18,99.96,4823,4825
r19,13,1,8
r20,12,1,8
r21,66.6,2,3
r22,12.6,1,8
"""

SCHEMA = """\
version: 2
seeds:
  - name: rates
    config:
      column_types: {rate: double, num: double, den: double}
    data_tests:
      - rate_reconciliation:
          name: rate_any
          arguments:
            rate: rate
            numerator: num
            denominator: den
      - rate_reconciliation:
          name: rate_all
          arguments:
            rate: rate
            numerator: num
            denominator: den
            missing: skip_if_all_missing
      - rate_reconciliation:
          name: rate_zero
          arguments:
            rate: rate
            numerator: num
            denominator: den
            missing: missing_as_zero
      - rate_reconciliation:
          name: rate_tolerance_06
          arguments:
            rate: rate
            numerator: num
            denominator: den
            tolerance: 0.6
      - rate_reconciliation:
          name: rate_tolerance_05
          arguments:
            rate: rate
            numerator: num
            denominator: den
            tolerance: 0.5
      - rate_reconciliation:
          name: rate_fixed_two_decimals
          arguments:
            rate: rate
            numerator: num
            denominator: den
            decimals: 2
          config:
            where: "case_id in ('r04', 'r05', 'r18')"
      - rate_reconciliation:
          name: rate_decimals_column
          arguments:
            rate: rate
            numerator: num
            denominator: den
            decimals: "case when case_id = 'r04' then 2 else 0 end"
          config:
            where: "case_id in ('r04', 'r19', 'r20')"
      - rate_reconciliation:
          name: rate_consistent_samples
          arguments:
            rate: rate
            numerator: num
            denominator: den
          config:
            where: "case_id in ('r01', 'r02', 'r04', 'r05', 'r06', 'r07', 'r09')"
"""

EXPECTED = {
    "rate_any": {"r03", "r08", "r10", "r12", "r22"},
    "rate_all": {"r03", "r08", "r10", "r12", "r22"},
    "rate_zero": {"r03", "r08", "r10", "r12", "r14", "r15", "r22"},
    "rate_tolerance_06": {"r08"},
    "rate_tolerance_05": {"r03", "r08", "r10"},
    "rate_fixed_two_decimals": {"r04"},
    # r04 at 2 decimals: 99.96/99.95 vs 100 -> finding; r19, r20 at 0 decimals: ok
    "rate_decimals_column": {"r04"},
    "rate_consistent_samples": set(),
}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"rates": SEED}, SCHEMA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rate_reconciliation_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_no_test_errored(build: FixtureBuild) -> None:
    assert {o.status for o in build.outcomes.values()} <= {"pass", "fail"}, build.log
    assert set(build.outcomes) == set(EXPECTED)
