"""Generic test domain (macros/rules/domain/test_domain.sql).

Cases (yn = yes/no answer, code = coded answer 0|1|2, rate = percent, cnt = count):
  d01 yn 1,   code 0, rate 99.5,  cnt 5    all in domain (code 0 outside the list 1|2)
  d02 yn 0,   code 2, rate 100,   cnt 0    all in domain
  d03 yn 6,   code 3, rate 100.5, cnt -1   all out of domain (Vĩnh Châu 2022 line 35: yes/no "6")
  d04 all missing                          never a finding; under missing_as_zero checked as 0
  d05 yn 1,   code 1, rate -0.1,  cnt 2.5  rate below 0, count not whole
  d06 yn 0.5, code 1, rate 0,     cnt 7    yes/no 0.5 not in {0, 1}
"""

from __future__ import annotations

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, assert_outcome

SEED = """\
case_id,yn,code,rate,cnt
d01,1,0,99.5,5
d02,0,2,100,0
d03,6,3,100.5,-1
d04,,,,
d05,1,1,-0.1,2.5
d06,0.5,1,0,7
"""

SCHEMA = """\
version: 2
seeds:
  - name: answers
    config:
      column_types: {yn: double, code: double, rate: double, cnt: double}
    columns:
      - name: yn
        data_tests:
          - domain:
              name: domain_yes_no
              arguments:
                domain_type: yes_no
          - domain:
              name: domain_yes_no_zero
              arguments:
                domain_type: yes_no
                missing: missing_as_zero
          - domain:
              name: domain_yes_no_valid_rows
              arguments:
                domain_type: yes_no
              config:
                where: "case_id in ('d01', 'd02', 'd04', 'd05')"
      - name: code
        data_tests:
          - domain:
              name: domain_code_list
              arguments:
                domain_type: code_list
                codes: "0|1|2"
          - domain:
              name: domain_code_list_no_zero_as_zero
              arguments:
                domain_type: code_list
                codes: [1, 2]
                missing: missing_as_zero
          - domain:
              name: domain_code_range
              arguments:
                domain_type: range
                min_value: 1
                max_value: 2
      - name: rate
        data_tests:
          - domain:
              name: domain_rate
              arguments:
                domain_type: rate
      - name: cnt
        data_tests:
          - domain:
              name: domain_count
              arguments:
                domain_type: count
    data_tests:
      - domain:
          name: domain_count_two_columns
          arguments:
            domain_type: count
            columns: [cnt, code]
"""

EXPECTED = {
    "domain_yes_no": {"d03", "d06"},
    "domain_yes_no_zero": {"d03", "d06"},
    "domain_yes_no_valid_rows": set(),
    "domain_code_list": {"d03"},
    "domain_code_list_no_zero_as_zero": {"d01", "d03", "d04"},
    "domain_code_range": {"d01", "d03"},
    "domain_rate": {"d03", "d05"},
    "domain_count": {"d03", "d05"},
    "domain_count_two_columns": {"d03", "d05"},
}


@pytest.fixture(scope="module")
def build(fixture_builder: BuildFactory) -> FixtureBuild:
    return fixture_builder({"answers": SEED}, SCHEMA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_domain_outcome(build: FixtureBuild, name: str) -> None:
    assert_outcome(build, name, EXPECTED[name])


def test_no_test_errored(build: FixtureBuild) -> None:
    assert {o.status for o in build.outcomes.values()} <= {"pass", "fail"}, build.log
    assert set(build.outcomes) == set(EXPECTED)
