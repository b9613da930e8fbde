"""Shared fixtures: paths of the repository, the sample reports and the manifest."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# This conftest puts tests/ on sys.path (pytest's rootdir insertion), where tests/ingest would shadow
# the real ``ingest`` package as a namespace package; the repository root makes the real one win.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
REPORTS_DIR = REPO_ROOT / "data" / "reports"
MANIFEST_PATH = REPO_ROOT / "data" / "manifest.yml"

THANH_TRI = "soctrang-thanhtri-2021-year.txt"
VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"
DUYEN_HAI = "travinh-duyenhai-2023-q1.txt"
CAT_THANH = "namdinh-catthanh-2024-q3.txt"
SAMPLES = (THANH_TRI, VINH_CHAU, DUYEN_HAI, CAT_THANH)


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
