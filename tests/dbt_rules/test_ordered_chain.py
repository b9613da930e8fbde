"""Generic test ordered_chain (macros/rules/ordered_chain/test_ordered_chain.sql): a >= b >= c.

Cases (case_id: a, b, c) and the verdict under each missing-value strategy, worked by hand:
  c01 10, 5, 3      consistent everywhere
  c02  5,10, 3      b > a: violation everywhere
  c03 10, 5, -      any: skipped | all: 10>=5 ok   | zero: 5>=0 ok
  c04  3, 5, -      any: skipped | all: 5>3 fails  | zero: fails
  c05  -, 5, 3      any: skipped | all: 5>=3 ok    | zero: 0<5 fails
  c06 10, -,12      any: skipped | all: 12>10 fails (b stepped over) | zero: 0<12 fails
  c07  -, -, -      any/all: skipped | zero: 0>=0>=0 ok
  c08 100,101,50    b exceeds a by 1: fails at tolerance 0 and 0.5, ok at tolerance 1
  c09 10,10,10      equal values are ordered
  c10  -, -, 7      any: skipped | all: one value, nothing to compare | zero: 0<7 fails
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,a,b,c
c01,10,5,3
c02,5,10,3
c03,10,5,
c04,3,5,
c05,,5,3
c06,10,,12
c07,,,
c08,100,101,50
c09,10,10,10
c10,,,7
"""

SCHEMA = """\
version: 2
seeds:
  - name: chain
    config:
      column_types: {a: double, b: double, c: double}
    data_tests:
      - ordered_chain:
          name: chain_any
          arguments:
            columns: [a, b, c]
      - ordered_chain:
          name: chain_all
          arguments:
            columns: [a, b, c]
            missing: skip_if_all_missing
      - ordered_chain:
          name: chain_zero
          arguments:
            columns: [a, b, c]
            missing: missing_as_zero
      - ordered_chain:
          name: chain_tolerance_1
          arguments:
            columns: [a, b, c]
            tolerance: 1
      - ordered_chain:
          name: chain_tolerance_half
          arguments:
            columns: [a, b, c]
            tolerance: 0.5
      - ordered_chain:
          name: chain_two_columns
          arguments:
            columns: [b, c]
            missing: skip_if_all_missing
      - ordered_chain:
          name: chain_consistent_rows
          arguments:
            columns: [a, b, c]
            missing: skip_if_all_missing
          config:
            where: "case_id in ('c01', 'c03', 'c05', 'c07', 'c09', 'c10')"
"""

EXPECTED = {
    "chain_any": {"c02", "c08"},
    "chain_all": {"c02", "c04", "c06", "c08"},
    "chain_zero": {"c02", "c04", "c05", "c06", "c08", "c10"},
    "chain_tolerance_1": {"c02"},
    "chain_tolerance_half": {"c02", "c08"},
    # b >= c only: c06 has b missing and c present (one value), c04 has c missing
    "chain_two_columns": set(),
    "chain_consistent_rows": set(),
}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"chain": SEED}, SCHEMA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ordered_chain_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_no_test_errored(build: FixtureBuild) -> None:
    assert {o.status for o in build.outcomes.values()} <= {"pass", "fail"}, build.log
    assert set(build.outcomes) == set(EXPECTED)
