"""Generic test value_type (macros/rules/value_type/test_value_type.sql): the written kind of a
value (staging value_kind) against the kinds its indicator's type takes.

  v01 count    in a count row          ok
  v02 percent  in a count row ("100%") finding
  v03 ratio    in a count row ("8/8")  finding
  v04 text     in a count row          finding
  v05 empty                            never a finding (not reported)
  v06 -        (no row)                never a finding
  v07 percent  in a rate row           ok
  v08 count    in a rate row           finding (rate test)
  v09 ratio    in a rate row           ok (rate test)
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,row_type,value_kind
v01,count,count
v02,count,percent
v03,count,ratio
v04,count,text
v05,count,empty
v06,count,
v07,rate,percent
v08,rate,count
v09,rate,ratio
"""

SCHEMA = """\
version: 2
seeds:
  - name: kinds
    config:
      column_types: {case_id: varchar, row_type: varchar, value_kind: varchar}
    columns:
      - name: value_kind
        data_tests:
          - value_type:
              name: value_type_count_rows
              arguments:
                accepted: count
              config:
                where: "row_type = 'count'"
          - value_type:
              name: value_type_rate_rows
              arguments:
                accepted: [percent, ratio]
              config:
                where: "row_type = 'rate'"
"""

EXPECTED = {
    "value_type_count_rows": {"v02", "v03", "v04"},
    "value_type_rate_rows": {"v08"},
}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"kinds": SEED}, SCHEMA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_value_type_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_no_test_errored(build: FixtureBuild) -> None:
    assert {o.status for o in build.outcomes.values()} <= {"pass", "fail"}, build.log
    assert set(build.outcomes) == set(EXPECTED)
