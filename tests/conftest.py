"""Shared fixtures: paths of the repository, the sample reports and the manifest; the sample build."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# This conftest puts tests/ on sys.path (pytest's rootdir insertion), where tests/ingest would shadow
# the real ``ingest`` package as a namespace package; the repository root makes the real one win.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from dbt_project_runner import (  # noqa: E402  (needs the repository root on sys.path)
    MANIFEST_PATH,
    REPORTS_DIR,
    SAMPLES,
    SamplesBuild,
)

from ingest.batch import default_inputs, read_manifest  # noqa: E402
from pipeline.build import OutputPaths, build  # noqa: E402


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    return REPORTS_DIR


@pytest.fixture(scope="session")
def manifest_path() -> Path:
    return MANIFEST_PATH


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    """The text of each sample report, by file name."""
    return {name: (REPORTS_DIR / name).read_text(encoding="utf-8") for name in SAMPLES}


@pytest.fixture(scope="session")
def samples_build(tmp_path_factory: pytest.TempPathFactory) -> SamplesBuild:
    """`cchc build` once per session: the shipped inputs (the four samples and data/hand_entered)
    ingested into a tmp warehouse, a full `dbt build`, then every output under a tmp target folder.

    For the modules that read the ordinary build and nothing else (pipeline, publishing, KPI page);
    modules that load other, extra or edited files build their own warehouse (the audit tests of
    tests/dbt_rules/test_audit_samples.py count exactly the four sample reports, without the
    hand-entered one).
    """
    root = tmp_path_factory.mktemp("samples_build")
    warehouse = root / "cchc.duckdb"
    outputs = OutputPaths(target=root / "target")
    inputs = [REPO_ROOT / p for p in default_inputs()]
    result = build(inputs, warehouse, read_manifest(None), outputs=outputs)
    return SamplesBuild(result, warehouse, outputs)
