"""Generic test parts_total (macros/rules/parts_total/test_parts_total.sql): p1 + p2 + p3 vs total.

t01 10 = 5+3+2        ok
t02 10 vs 5+3+1 = 9   equal: finding | not_exceed: ok
t03 10 vs 5+5+1 = 11  finding in both modes
t04 10 vs 5+5+-       any: skipped | all: 10 = 10 ok | zero: ok
t05 10 vs -+-+-       any/all: skipped (no part) | zero: 0 vs 10 finding (equal), ok (not_exceed)
t06 -  vs 5+5+1       any/all: skipped (no total) | zero: 11 vs 0 finding in both modes
t07 10 vs 5+4+-       any: skipped | all: p3 not reported, only 9 <= 10 checked: ok | zero: finding
t08 10.4 vs 5+5+0     |10 - 10.4| = 0.4: finding at tolerance 0, ok at 0.5
t09 10 vs 6+5+-       any: skipped | all: p3 not reported, 11 > 10 still proven: finding | zero: finding
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,total,p1,p2,p3
t01,10,5,3,2
t02,10,5,3,1
t03,10,5,5,1
t04,10,5,5,
t05,10,,,
t06,,5,5,1
t07,10,5,4,
t08,10.4,5,5,0
t09,10,6,5,
"""


def _test(name: str, arguments: str = "", config: str = "") -> str:
    return f"""\
      - parts_total:
          name: {name}
          arguments:
            total: total
            parts: [p1, p2, p3]
{arguments}{config}"""


SCHEMA = (
    """\
version: 2
seeds:
  - name: parts
    config:
      column_types: {total: double, p1: double, p2: double, p3: double}
    data_tests:
"""
    + _test("parts_equal_any")
    + _test("parts_equal_all", "            missing: skip_if_all_missing\n")
    + _test("parts_equal_zero", "            missing: missing_as_zero\n")
    + _test("parts_not_exceed_any", "            mode: not_exceed\n")
    + _test("parts_not_exceed_zero", "            mode: not_exceed\n            missing: missing_as_zero\n")
    + _test("parts_equal_tolerance", "            tolerance: 0.5\n")
    + _test(
        "parts_consistent_rows",
        "            missing: skip_if_all_missing\n",
        "          config:\n            where: \"case_id in ('t01', 't04', 't05', 't06')\"\n",
    )
)

EXPECTED = {
    "parts_equal_any": {"t02", "t03", "t08"},
    # an empty part is "not reported", never 0: t07 (9 of 10 with p3 empty) is not a finding
    "parts_equal_all": {"t02", "t03", "t08", "t09"},
    "parts_equal_zero": {"t02", "t03", "t05", "t06", "t07", "t08", "t09"},
    "parts_not_exceed_any": {"t03"},
    "parts_not_exceed_zero": {"t03", "t06", "t09"},
    "parts_equal_tolerance": {"t02", "t03"},
    "parts_consistent_rows": set(),
}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"parts": SEED}, SCHEMA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parts_total_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_no_test_errored(build: FixtureBuild) -> None:
    assert {o.status for o in build.outcomes.values()} <= {"pass", "fail"}, build.log
    assert set(build.outcomes) == set(EXPECTED)
