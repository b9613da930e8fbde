"""Running dbt on the repository's project, in its own process.

The dbt child dies with its parent: on Linux it is started with ``PR_SET_PDEATHSIG`` (SIGTERM
when the parent dies, even by SIGKILL), and a SIGTERM or SIGINT the parent receives while dbt
runs is passed on to dbt before the parent stops.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from ingest.paths import PROFILES_DIR, REPO_ROOT

PR_SET_PDEATHSIG = 1
FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def die_with_parent() -> None:
    """In the child, before exec: ask the kernel for SIGTERM when the parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


@contextlib.contextmanager
def forwarding_signals(child: subprocess.Popen[bytes]) -> Iterator[None]:
    """While in the block, SIGTERM/SIGINT to this process go to ``child`` and then stop us."""

    def forward(signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=30)
        raise SystemExit(128 + signum)

    if threading.current_thread() is not threading.main_thread():  # handlers: main thread only
        yield
        return
    previous = {s: signal.signal(s, forward) for s in FORWARDED_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def dbt_command(args: Sequence[str]) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [
        str(dbt) if dbt.exists() else "dbt",
        *args,
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(PROFILES_DIR),
    ]


def run_dbt(args: Sequence[str], warehouse: Path) -> bool:
    """Run a dbt command on the repository's project with profiles/; True when it succeeded.

    dbt runs in its own process: dbt-duckdb keeps its connection open for the life of the
    process, and the steps after the build open the same file (read-only for the reports).
    """
    env = {
        **os.environ,
        "CCHC_WAREHOUSE": str(warehouse.resolve()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": os.environ.get("DBT_SEND_ANONYMOUS_USAGE_STATS", "false"),
        "DO_NOT_TRACK": os.environ.get("DO_NOT_TRACK", "1"),
    }
    child = subprocess.Popen(dbt_command(args), env=env, preexec_fn=die_with_parent)
    with child, forwarding_signals(child):
        return child.wait() == 0
