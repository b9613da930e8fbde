"""Generic test unmapped_value (macros/rules/unmapped_value/test_unmapped_value.sql): rows with a
value that reach no indicator (coverage reasons of marts.mapping_coverage).

  u01 unrecognized_label, value      finding
  u02 not_in_crosswalk, value        finding
  u03 deliberately_unmapped, value   finding (listed, with the crosswalk's reason)
  u04 unrecognized_label, empty      no finding (nothing to lose)
  u05 duplicate_indicator, value     no finding (the value is taken from another row)
  u06 report_held_out, value         no finding (the report is held out as a whole)
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,coverage_reason,carries_value
u01,unrecognized_label,true
u02,not_in_crosswalk,true
u03,deliberately_unmapped,true
u04,unrecognized_label,false
u05,duplicate_indicator,true
u06,report_held_out,true
"""

SCHEMA = """\
version: 2
seeds:
  - name: coverage
    config:
      column_types: {case_id: varchar, coverage_reason: varchar, carries_value: boolean}
    columns:
      - name: coverage_reason
        data_tests:
          - unmapped_value:
              name: unmapped_rows_with_values
"""

EXPECTED = {"unmapped_rows_with_values": {"u01", "u02", "u03"}}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"coverage": SEED}, SCHEMA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_unmapped_value_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_no_test_errored(build: FixtureBuild) -> None:
    assert {o.status for o in build.outcomes.values()} <= {"pass", "fail"}, build.log
    assert set(build.outcomes) == set(EXPECTED)
