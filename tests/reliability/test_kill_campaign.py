"""SIGKILL at 52 random (seeded) points of ingest, ``dbt build``, audit and publish; nothing left broken.

One campaign in the order of `cchc build`, on a copy of the sample build (warehouse, target/ and
its published file). Each run is forked by tests/reliability/driver.py (a fork server that has
already imported the pipeline, so a run does its real work from its first instant) in a process
group of its own, and killed with ``os.killpg(pid, SIGKILL)`` after a random delay within the
length of a complete run of the same step. The kills are chained: each run is the "next run" of
the kill before it, and each phase ends with a complete run. After every run:

* the warehouse opens; after an ingest run, each report given to ingest so far is there whole
  (every line classified) or not at all (nothing else writes raw);
* the published file opens read-only and is the last good one: outside the publish phase it is
  untouched; in the publish phase the publishes alternate between two warehouses of different
  content, so the published file holds the content of the last completed publish, or of the
  killed one when that got past its final swap, and nothing else;
* temporary files: only killed runs leave any, and once a run has written a temporary file in a
  directory, the leftovers of earlier kills there are gone; after a complete run there are none
  (nor a WAL beside the warehouse it wrote).

Phases: ingest (one new version of a sample report per run; the first kills on a new warehouse
file), dbt (``dbt build`` of a staging view and two mart tables, on the project parsed once by
the fork server; one run on the path of `cchc build`, a dbt process, has its parent killed alone
and its dbt child must go with it; the phase ends with that path completing), audit (the
auditor's report and the KPI page), publish.

Replay: the seed is printed and named in any failure; ``CCHC_KILL_SEED=S`` replays its delays
(where a delay lands still depends on the machine's speed). Scale: ``CCHC_KILL_CAMPAIGN=N`` kills
(default 52); when it is set, the dbt phase also ends with a full ``dbt build``.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from corpus import REPORTS
from dbt_project_runner import SamplesBuild

from ingest.input_file import count_lines, file_id_of
from ingest.warehouse import connect_warehouse
from pipeline.build import OutputPaths

DRIVER = Path(__file__).with_name("driver.py")
SEED = int(os.environ.get("CCHC_KILL_SEED", "20261201"))
SCALED = "CCHC_KILL_CAMPAIGN" in os.environ
KILLS = int(os.environ.get("CCHC_KILL_CAMPAIGN", "52"))
SHARES = {"ingest": 0.30, "dbt": 0.12, "audit": 0.20}  # publish: the rest
FRESH_KILLS = 2  # ingest kills on a warehouse file that does not exist yet
DBT_MODELS = ("stg_raw__reports", "dim_reporting_unit", "dim_report")
WAIT = 600  # seconds a run may take before the test gives up on it (not an assertion on speed)
DBT_OWN = {"compiled", "run", "logs"}  # folders of target/ that only dbt writes, file by file
TEMP_PID = re.compile(r"\.(\d+)-[0-9a-f]{12}\.")


def _quota(phase: str) -> int:
    if phase == "publish":
        return KILLS - sum(_quota(p) for p in SHARES)
    return max(1, round(KILLS * SHARES[phase]))


# --------------------------------------------------------------------------- the fork server


@dataclass(frozen=True)
class Run:
    step: str
    pid: int
    outcome: str  # "exit 0" | "signal 9" | ...
    cpu: float  # seconds of CPU the run used (dbt's process included)
    seconds: float

    @property
    def killed(self) -> bool:
        return self.outcome == f"signal {int(signal.SIGKILL)}"


class Server:
    """tests/reliability/driver.py serve: forks the runs, reaps them when asked."""

    def __init__(self, log: Path) -> None:
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
        self.log = log
        with log.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(DRIVER), "serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env=env,
            )
        assert self._read() == "ready"
        self.running: set[int] = set()

    def _read(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def ask(self, *request: object) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps([str(r) for r in request]) + "\n")
        self.proc.stdin.flush()
        answer = self._read()
        assert answer, f"the fork server stopped; its log: {self.log}"
        return answer

    def start(self, step: str, *args: object) -> int:
        pid = int(self.ask("run", step, *args).split()[1])
        self.running.add(pid)
        return pid

    def reap(self, pid: int) -> tuple[str, float]:
        outcome, _, cpu = self.ask("wait", pid).rpartition(" ")
        self.running.discard(pid)
        return outcome, float(cpu)

    def cpu(self) -> float:
        """CPU seconds of the server itself (imports, warming, the dbt parse), not of its runs."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        for pid in self.running:  # a failed check left a run going: leave nothing behind
            _killpg(pid)
            self.reap(pid)
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _killpg(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _finished(pid: int) -> bool:
    """True once ``pid`` (a child of the server, not yet reaped) has ended: a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def _wait_until(pid: int, seconds: float) -> bool:
    """Poll until ``pid`` has finished or ``seconds`` passed; True when it finished."""
    deadline = time.monotonic() + seconds
    while not _finished(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def execute(server: Server, step: str, args: Sequence[object], delay: float | None) -> Run:
    """One run of ``step``: its process group killed after ``delay`` s (None: let it finish)."""
    began = time.monotonic()
    pid = server.start(step, *args)
    if not _wait_until(pid, WAIT if delay is None else delay):
        _killpg(pid)
    outcome, cpu = server.reap(pid)
    run = Run(step, pid, outcome, cpu, time.monotonic() - began)
    assert delay is not None or run.outcome == "exit 0", f"{step} did not complete: {run}"
    return run


# --------------------------------------------------------------------------- the campaign


@dataclass
class Campaign:
    root: Path
    warehouse: Path
    outputs: OutputPaths
    server: Server
    rng: random.Random
    good: dict[str, int] = field(default_factory=dict)  # mart row counts of the published file
    published_stat: tuple[int, int] = (0, 0)  # inode and mtime of the published file
    ingested: dict[Path, list[Path]] = field(default_factory=dict)  # warehouse -> files given
    killed_pids: set[int] = field(default_factory=set)
    kills: Counter[str] = field(default_factory=Counter)
    runs: Counter[str] = field(default_factory=Counter)
    cpu: dict[str, float] = field(default_factory=dict)
    wall: dict[str, float] = field(default_factory=dict)
    cleaned: int = 0  # kills whose temporary files a later run removed

    @property
    def published(self) -> Path:
        return self.outputs.published

    def note(self, phase: str, run: Run) -> None:
        self.runs[phase] += 1
        self.cpu[phase] = self.cpu.get(phase, 0.0) + run.cpu
        self.wall[phase] = self.wall.get(phase, 0.0) + run.seconds
        if run.killed:
            self.kills[phase] += 1
            self.killed_pids.add(run.pid)

    def remember_published(self) -> None:
        stat = self.published.stat()
        self.published_stat = (stat.st_ino, stat.st_mtime_ns)
        self.good = mart_counts(self.published)


def mart_counts(path: Path) -> dict[str, int]:
    """Row counts of the marts of a DuckDB file, opened read-only."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {n: int(con.execute(f'select count(*) from marts."{n}"').fetchone()[0]) for n in names}  # type: ignore[index]


def check_reports(warehouse: Path, files: list[Path]) -> int:
    """Each report whole (all lines classified) or absent; returns how many are loaded."""
    loaded = 0
    with connect_warehouse(warehouse, read_only=True, wait_seconds=30) as con:
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
                assert lines is not None and lines[0] == count_lines(data), f.name
                loaded += 1
    return loaded


def temp_files(c: Campaign) -> dict[Path, set[Path]]:
    """Temporary files (hidden, ``.tmp`` in the name) where the runs write, by directory.

    The folders of the warehouses and every folder under target/ but dbt's own (compiled SQL, logs).
    """
    found: dict[Path, set[Path]] = {}
    folders = [p for p in c.root.iterdir() if p.is_dir() and p != c.outputs.target]
    for top, dirs, _ in os.walk(c.outputs.target):
        dirs[:] = [d for d in dirs if d not in DBT_OWN]  # not into dbt's own trees
        folders.append(Path(top))
    for folder in folders:
        for p in folder.glob(".*"):
            if ".tmp" in p.name:
                found.setdefault(folder, set()).add(p)
    return found


def _pid_of(temp: Path) -> int:
    match = TEMP_PID.search(temp.name)
    assert match, f"a temporary file that names no writer: {temp}"
    return int(match[1])


def check_after(c: Campaign, run: Run, before: dict[Path, set[Path]], warehouse: Path) -> None:
    """The checks after every run (see the module notes).

    ``before``: the temporary files before the run; ``warehouse``: the one the run wrote.
    """
    if run.step == "ingest":  # nothing else writes raw
        for written, files in c.ingested.items():
            if written.exists():
                check_reports(written, files)
    connect_warehouse(c.warehouse, read_only=True, wait_seconds=30).close()
    assert not c.published.with_name(c.published.name + ".wal").exists()
    after = temp_files(c)
    if not run.killed:
        assert after == {}, f"a complete {run.step} run left {after}"
        assert not warehouse.with_name(warehouse.name + ".wal").exists()
        assert not warehouse.with_name(warehouse.name + ".tmp").exists()
    for temps in after.values():
        assert {_pid_of(t) for t in temps} <= c.killed_pids, temps
        if any(_pid_of(t) == run.pid for t in temps):  # it got that far: the older ones are gone
            assert {_pid_of(t) for t in temps} == {run.pid}, temps
    c.cleaned += len(_writers(before) - _writers(after))


def _writers(temps: dict[Path, set[Path]]) -> set[int]:
    return {_pid_of(t) for ts in temps.values() for t in ts}


def check_published_untouched(c: Campaign) -> None:
    stat = c.published.stat()
    assert (stat.st_ino, stat.st_mtime_ns) == c.published_stat
    assert mart_counts(c.published) == c.good


def complete(
    c: Campaign, phase: str, step: str, args: Sequence[object], warehouse: Path | None = None
) -> Run:
    """A run let finish; checked as one."""
    before = temp_files(c)
    run = execute(c.server, step, args, None)
    c.note(phase, run)
    check_after(c, run, before, warehouse or c.warehouse)
    return run


def kill_runs(
    c: Campaign, phase: str, step: str, scale: float, quota: int, args_of: Callable[[], Sequence[object]]
) -> Iterator[tuple[Run, Sequence[object]]]:
    """Runs of ``step`` killed at uniform(0, scale) s, until ``quota`` of them died by the kill."""
    attempts = 0
    while c.kills[phase] < quota:
        attempts += 1
        assert attempts <= 3 * quota, f"{phase}: {c.kills[phase]} kills in {attempts - 1} runs"
        args = args_of()
        before = temp_files(c)
        run = execute(c.server, step, args, c.rng.uniform(0.0, scale))
        c.note(phase, run)
        assert run.killed or run.outcome == "exit 0", f"{step} failed: {run}"
        check_after(c, run, before, Path(str(args[0])))
        yield run, args


# --------------------------------------------------------------------------- phases


def ingest_phase(c: Campaign) -> None:
    files = sorted(REPORTS.glob("*.txt"))
    inbox = c.root / "inbox"
    inbox.mkdir()
    made = 0

    def new_version() -> Sequence[object]:  # one new version of a sample report per run
        nonlocal made
        made += 1
        source = c.rng.choice(files)
        path = inbox / f"v{made:03d}-{source.name}"
        path.write_bytes(source.read_bytes() + b"\n" * made)
        return [path]

    fresh = c.root / "fresh" / "cchc.duckdb"
    fresh.parent.mkdir()
    for w in (c.warehouse, fresh):
        c.ingested[w] = []
    first = new_version()
    c.ingested[c.warehouse] += [Path(str(p)) for p in first]
    scale = complete(c, "ingest", "ingest", [c.warehouse, *first]).seconds

    def args() -> Sequence[object]:
        target = fresh if c.kills["ingest"] < FRESH_KILLS else c.warehouse
        batch = new_version()
        c.ingested[target] += [Path(str(p)) for p in batch]
        return [target, *batch]

    for _ in kill_runs(c, "ingest", "ingest", scale, _quota("ingest"), args):
        check_published_untouched(c)
    for w, given in c.ingested.items():  # the re-runs: every file given to a warehouse, complete
        complete(c, "ingest", "ingest", [w, *given], w)
        assert check_reports(w, given) == len(given)


def dbt_phase(c: Campaign) -> None:
    assert c.server.ask("parse", c.warehouse, c.outputs.target) == "parsed"
    warm = [c.warehouse, c.outputs.target, *DBT_MODELS]
    scale = complete(c, "dbt", "dbt-warm", warm).seconds
    for _ in kill_runs(c, "dbt", "dbt-warm", scale, _quota("dbt") - 1, lambda: warm):
        check_published_untouched(c)
    kill_parent_of_dbt(c, [c.warehouse, c.outputs.target, *DBT_MODELS])
    check_published_untouched(c)
    complete(c, "dbt", "dbt", [c.warehouse, c.outputs.target, *DBT_MODELS])  # the path of `cchc build`
    if SCALED:  # a full build: minutes
        complete(c, "dbt", "dbt", [c.warehouse, c.outputs.target])


def kill_parent_of_dbt(c: Campaign, args: Sequence[object]) -> None:
    """Kill the run's process alone (not its group) once dbt runs: the dbt child must go with it."""
    before = temp_files(c)
    began = time.monotonic()
    pid = c.server.start("dbt", *args)
    children: list[int] = []
    while not children and not _finished(pid):
        children = _children(pid)
        time.sleep(0.01)
    assert children, "dbt was not started"
    time.sleep(c.rng.uniform(0.0, 2.0))
    os.kill(pid, signal.SIGKILL)  # the parent only: its dbt child must follow
    outcome, cpu = c.server.reap(pid)
    survivors = _wait_gone(children)
    if survivors:
        _killpg(pid)  # leave nothing behind, even when the test fails
    assert survivors == []
    run = Run("dbt", pid, outcome, cpu, time.monotonic() - began)
    assert run.killed
    c.note("dbt", run)
    connect_warehouse(c.warehouse, wait_seconds=30).close()
    check_after(c, run, before, c.warehouse)


def audit_phase(c: Campaign) -> None:
    args: Sequence[object] = [c.warehouse, c.outputs.target]
    scale = complete(c, "audit", "audit", args).seconds
    for _ in kill_runs(c, "audit", "audit", scale, _quota("audit"), lambda: args):
        check_published_untouched(c)
    complete(c, "audit", "audit", args)
    check_published_untouched(c)


def publish_phase(c: Campaign) -> None:
    """Publishes alternate between the warehouse and a copy with rows removed from two marts."""
    other = c.root / "other" / "cchc.duckdb"
    other.parent.mkdir()
    shutil.copyfile(c.warehouse, other)
    with duckdb.connect(str(other)) as con:
        con.execute("delete from marts.dim_report where rowid % 2 = 0")
        con.execute("delete from marts.dim_indicator where rowid % 3 = 0")
    content = {c.warehouse: mart_counts(c.warehouse), other: mart_counts(other)}
    assert content[c.warehouse] != content[other]
    scale = complete(c, "publish", "publish", [c.warehouse, c.outputs.target]).seconds
    c.remember_published()
    assert c.good == content[c.warehouse]
    swapped = 0

    def args() -> Sequence[object]:
        source = other if c.good == content[c.warehouse] else c.warehouse  # always the other content
        return [source, c.outputs.target]

    for run, given in kill_runs(c, "publish", "publish", scale, _quota("publish"), args):
        now = mart_counts(c.published)
        assert now in (c.good, content[Path(str(given[0]))])
        swapped += now != c.good
        assert run.killed or now == content[Path(str(given[0]))]
        c.good = now
    final = [other if c.good == content[c.warehouse] else c.warehouse, c.outputs.target]
    complete(c, "publish", "publish", final)
    assert mart_counts(c.published) == content[Path(str(final[0]))]
    print(f"publish: {swapped} runs swapped the published file before the end (killed or not)")


# --------------------------------------------------------------------------- the test


@pytest.fixture()
def campaign(tmp_path: Path, samples_build: SamplesBuild) -> Iterator[Campaign]:
    root = tmp_path / "campaign"
    (root / "warehouse").mkdir(parents=True)
    warehouse = root / "warehouse" / "cchc.duckdb"
    shutil.copyfile(samples_build.warehouse, warehouse)
    outputs = OutputPaths(target=root / "target")
    shutil.copytree(samples_build.outputs.published.parent, outputs.published.parent)
    shutil.copytree(samples_build.outputs.audit_dir, outputs.audit_dir)
    server = Server(tmp_path / "driver.log")
    c = Campaign(root, warehouse, outputs, server, random.Random(SEED))
    c.remember_published()
    try:
        yield c
    finally:
        server.close()


def test_kill_campaign(campaign: Campaign) -> None:
    c = campaign
    began = time.process_time()
    print(f"kill campaign: seed {SEED} (replay with CCHC_KILL_SEED={SEED}), {KILLS} kills")
    try:
        for run_phase in (ingest_phase, dbt_phase, audit_phase, publish_phase):
            run_phase(c)
    except AssertionError as exc:
        raise AssertionError(f"kill campaign, seed {SEED} (CCHC_KILL_SEED={SEED}): {exc}") from exc
    for phase in ("ingest", "dbt", "audit", "publish"):
        print(
            f"{phase}: {c.runs[phase]} runs, {c.kills[phase]} killed,"
            f" {c.cpu[phase]:.1f} s CPU, {c.wall[phase]:.1f} s running"
        )
    print(f"temporary files of {c.cleaned} killed runs removed by a later run")
    checks, server = time.process_time() - began, c.server.cpu()
    print(f"CPU: runs {sum(c.cpu.values()):.1f} s, fork server {server:.1f} s, checks {checks:.1f} s")
    assert sum(c.kills.values()) >= KILLS
    assert all(c.kills[p] >= _quota(p) for p in ("ingest", "dbt", "audit", "publish"))


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


def _wait_gone(pids: list[int]) -> list[int]:
    """Poll until the processes are gone (or WAIT seconds passed); those still alive."""
    for _ in range(WAIT * 10):
        if not any(_alive(p) for p in pids):
            return []
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]
