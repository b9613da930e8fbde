"""Running dbt on the repository's project, in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ingest.paths import PROFILES_DIR, REPO_ROOT


def run_dbt(args: Sequence[str], warehouse: Path) -> bool:
    """Run a dbt command on the repository's project with profiles/; True when it succeeded.

    dbt runs in its own process: dbt-duckdb keeps its connection open for the life of the
    process, and the steps after the build open the same file (read-only for the reports).
    """
    dbt = Path(sys.executable).with_name("dbt")
    env = {
        **os.environ,
        "CCHC_WAREHOUSE": str(warehouse.resolve()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": os.environ.get("DBT_SEND_ANONYMOUS_USAGE_STATS", "false"),
        "DO_NOT_TRACK": os.environ.get("DO_NOT_TRACK", "1"),
    }
    command = [
        str(dbt) if dbt.exists() else "dbt",
        *args,
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(PROFILES_DIR),
    ]
    return subprocess.run(command, env=env, check=False).returncode == 0
