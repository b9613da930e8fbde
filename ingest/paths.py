"""The one definition of where things are: the repository's folders and the package data.

The repository root holds the dbt project (``seeds/``, ``profiles/``, ``target/``) that the Python
code reads reference data from and runs; files shipped inside the packages (``ingest/schema.sql``,
``outputs/templates/``) are found through :mod:`importlib.resources`, wherever the package lives.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "seeds"
PROFILES_DIR = REPO_ROOT / "profiles"
TARGET_DIR = REPO_ROOT / "target"  # dbt's target-path (dbt_project.yml) and the outputs

# Inputs and warehouse of `cchc` commands, relative to the working directory.
DEFAULT_REPORTS = Path("data/reports")
DEFAULT_HAND_ENTERED = Path("data/hand_entered")
DEFAULT_MANIFEST = Path("data/manifest.yml")
DEFAULT_WAREHOUSE = Path("warehouse/cchc.duckdb")


def package_file(package: str, name: str) -> Traversable:
    """A data file shipped inside ``package`` (e.g. ``package_file("ingest", "schema.sql")``)."""
    return files(package).joinpath(name)


def schema_sql() -> str:
    """The DDL of the ``raw`` schema (ingest/schema.sql)."""
    return package_file("ingest", "schema.sql").read_text(encoding="utf-8")
