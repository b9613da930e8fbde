"""Generic test completeness (macros/rules/completeness/test_completeness.sql): required columns present.

  k01 a 1, b 'x'     complete
  k02 a -, b 'x'     a missing
  k03 a 1, b -       b missing
  k04 a 1, b '  '    b blank: missing only with blank_is_missing
(k04's blank text comes from a model: CSV seeds do not keep whitespace-only cells.)
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,a,b
k01,1,x
k02,,x
k03,1,
"""

MODEL = """\
select case_id, a, b from {{ ref('required') }}
union all
select 'k04', 1, '  '
"""

SCHEMA = """\
version: 2
seeds:
  - name: required
    config:
      column_types: {a: double, b: varchar}
models:
  - name: required_with_blank
    data_tests:
      - completeness:
          name: complete_a_b
          arguments:
            columns: [a, b]
      - completeness:
          name: complete_a_b_blank
          arguments:
            columns: [a, b]
            blank_is_missing: true
      - completeness:
          name: complete_a
          arguments:
            columns: [a]
      - completeness:
          name: complete_complete_rows
          arguments:
            columns: [a, b]
            blank_is_missing: true
          config:
            where: "case_id = 'k01'"
"""

EXPECTED = {
    "complete_a_b": {"k02", "k03"},
    "complete_a_b_blank": {"k02", "k03", "k04"},
    "complete_a": {"k02"},
    "complete_complete_rows": set(),
}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"required": SEED}, SCHEMA, {"required_with_blank": MODEL})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_completeness_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_no_test_errored(build: FixtureBuild) -> None:
    assert {o.status for o in build.outcomes.values()} <= {"pass", "fail"}, build.log
    assert set(build.outcomes) == set(EXPECTED)
