"""SIGKILL at random (seeded) points of ingest, publish and ``dbt build``; nothing is left broken.

Each run starts tests/reliability/driver.py in a new session and kills its process group
(``os.killpg``) after a random delay once it is past its imports. After each kill: the warehouse
opens, each report is there whole or not at all, the published file is the last good one and
opens read-only; after the next completed run no temporary file is left and the run succeeds.
One ``dbt build`` run is killed by its parent only: the dbt child must go with it (PDEATHSIG).

Scale: ``CCHC_KILL_CAMPAIGN=N`` kills (default 12: 4 ingest, 7 publish, 1 dbt), split
40% ingest, 50% publish, 10% dbt build; when it is set, the killed ``dbt build`` is also re-run
to completion afterwards (minutes: left out of the default run).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from corpus import REPORTS
from dbt_project_runner import SamplesBuild

from ingest.input_file import count_lines, file_id_of
from ingest.warehouse import connect_warehouse
from pipeline.build import OutputPaths

DRIVER = Path(__file__).with_name("driver.py")
SEED = 20261201
SCALED = "CCHC_KILL_CAMPAIGN" in os.environ
KILLS = int(os.environ.get("CCHC_KILL_CAMPAIGN", "12"))
INGEST_KILLS = max(1, KILLS * 4 // 10)
DBT_KILLS = max(1, KILLS // 10)
PUBLISH_KILLS = max(1, KILLS - INGEST_KILLS - DBT_KILLS)
WAIT = 600  # seconds a run may take before the test gives up on it (not an assertion on speed)


def _start(*args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _kill_after(proc: subprocess.Popen[str], delay: float) -> bool:
    """Kill the process group after ``delay`` s; True when it was killed (False: it had finished)."""
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return True
    return False


def _finish(*args: str) -> None:
    proc = _start(*args)
    assert proc.wait(timeout=WAIT) == 0


def _temp_files(target: Path) -> list[Path]:
    return [p for p in target.rglob(".*") if ".tmp" in p.name]


def _mart_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {n: int(con.execute(f'select count(*) from marts."{n}"').fetchone()[0]) for n in names}  # type: ignore[index]


@pytest.fixture(scope="module")
def rng() -> random.Random:
    return random.Random(SEED)


@pytest.fixture()
def built(tmp_path: Path, samples_build: SamplesBuild) -> Iterator[tuple[Path, OutputPaths]]:
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(samples_build.warehouse, warehouse)
    outputs = OutputPaths(target=tmp_path / "target")
    shutil.copytree(samples_build.outputs.published.parent, outputs.published.parent)
    yield warehouse, outputs


def _check_reports(warehouse: Path, files: list[Path]) -> int:
    """Each report whole (all lines classified) or absent; returns how many are loaded."""
    loaded = 0
    with connect_warehouse(warehouse, read_only=True) as con:
        raw = con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = 'raw' and table_name = 'reports'"
        ).fetchone()
        if not raw or not raw[0]:
            return 0  # killed before the schema was committed: nothing is there, which is whole too
        for f in files:
            data = f.read_bytes()
            rid = file_id_of(data)
            row = con.execute("select count(*) from raw.reports where report_id = ?", [rid]).fetchone()
            if row and row[0]:
                lines = con.execute(
                    "select count(*) from raw.line_classes where report_id = ?", [rid]
                ).fetchone()
                assert lines is not None and lines[0] == count_lines(data)
                loaded += 1
    return loaded


def test_kills_during_ingest(tmp_path: Path, rng: random.Random) -> None:
    files = sorted(REPORTS.glob("*.txt"))
    warehouse = tmp_path / "cchc.duckdb"
    killed = 0
    for _ in range(INGEST_KILLS):
        proc = _start("ingest", str(warehouse), *map(str, files))
        killed += _kill_after(proc, rng.uniform(0.0, 6.0))
        if warehouse.exists():
            _check_reports(warehouse, files)
    _finish("ingest", str(warehouse), *map(str, files))
    assert _check_reports(warehouse, files) == len(files)
    print(f"ingest: {INGEST_KILLS} runs, {killed} killed mid-run")


def test_kills_during_publish(built: tuple[Path, OutputPaths], rng: random.Random) -> None:
    warehouse, outputs = built
    published = outputs.published
    good = _mart_counts(published)
    killed = 0
    for _ in range(PUBLISH_KILLS):
        proc = _start("publish", str(warehouse), str(outputs.target))
        killed += _kill_after(proc, rng.uniform(0.0, 4.0))
        connect_warehouse(warehouse, read_only=True).close()
        assert _mart_counts(published) == good
    _finish("publish", str(warehouse), str(outputs.target))
    assert _temp_files(outputs.target) == []
    assert _mart_counts(published) == good
    print(f"publish: {PUBLISH_KILLS} runs, {killed} killed mid-run")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(x) for x in text.split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_parent_during_dbt_build_takes_dbt_along(built: tuple[Path, OutputPaths]) -> None:
    warehouse, outputs = built
    for _ in range(DBT_KILLS):
        proc = _start("dbt", str(warehouse), str(outputs.target))
        children: list[int] = []
        while not children and proc.poll() is None:
            children = _children(proc.pid)
        assert children, "dbt was not started"
        os.kill(proc.pid, signal.SIGKILL)  # the parent only: its dbt child must follow
        proc.wait()
        survivors = _wait_gone(children)
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)  # leave nothing behind, even when the test fails
        assert survivors == []
        connect_warehouse(warehouse, wait_seconds=30).close()
    if SCALED:  # a full dbt build takes minutes: the re-run is part of the scaled campaign only
        _finish("dbt", str(warehouse), str(outputs.target))
    print(f"dbt build: {DBT_KILLS} parent kills, dbt child gone each time")


def _wait_gone(pids: list[int]) -> list[int]:
    """Poll until the processes are gone (or WAIT seconds passed); those still alive."""
    for _ in range(WAIT * 10):
        if not any(_alive(p) for p in pids):
            return []
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
