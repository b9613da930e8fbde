"""Fixtures of the rule-macro tests (see dbt_rules_harness.py)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from dbt_rules_harness import BuildFactory, FixtureBuild, build_fixture_project


@pytest.fixture(scope="module")
def fixture_builder(tmp_path_factory: pytest.TempPathFactory) -> BuildFactory:
    """Factory: build a throwaway dbt project in a fresh module-scoped tmp directory."""

    def build(
        seeds: Mapping[str, str], schema_yml: str, models: Mapping[str, str] | None = None
    ) -> FixtureBuild:
        return build_fixture_project(tmp_path_factory.mktemp("dbt_rules"), seeds, schema_yml, models)

    return build
