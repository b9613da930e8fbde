"""Fixtures of the reliability tests: a warehouse with one good report loaded, copied per test."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from corpus import OTHER, REPORTS  # noqa: E402

from ingest.batch import ingest_paths  # noqa: E402


@pytest.fixture(scope="session")
def baseline_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding one good report (namdinh), loaded before any bad input."""
    path = tmp_path_factory.mktemp("baseline") / "cchc.duckdb"
    results = ingest_paths([REPORTS / OTHER], path, None)
    assert [r.status for r in results] == ["loaded"]
    return path


@pytest.fixture()
def warehouse(tmp_path: Path, baseline_warehouse: Path) -> Path:
    target = tmp_path / "cchc.duckdb"
    shutil.copyfile(baseline_warehouse, target)
    return target
