"""The processes of the kill campaign: one step of the pipeline each, started by the tests and killed.

``python driver.py serve`` is a fork server. It imports the pipeline and pays what every run would
pay first (Great Expectations' import and context) once, then reads one JSON request a line on
stdin and answers one line on stdout:

* ``["run", STEP, ARG...]``: forks a child in a new session (its own process group, so that the
  test kills it with ``os.killpg``, the dbt process it starts included) that runs the step and
  exits; answers ``pid N``. The child is not reaped until asked, so its pid cannot be reused
  before the test has killed it (or seen it finish: a zombie).
* ``["wait", N]``: reaps child N; answers ``exit CODE CPU`` or ``signal NUMBER CPU`` (CPU: the
  seconds the child and the processes it waited for used).
* ``["parse", WAREHOUSE, TARGET]``: parses the dbt project once (the warm runs below start from
  it); answers ``parsed``. It writes TARGET/partial_parse.msgpack, so a later ``dbt`` process on
  the same warehouse and target parses partially.

Forking after all that is what makes 50 kills cheap: each killed run does its real work from its
first instant, instead of spending seconds importing pandas, Great Expectations and dbt.

``python driver.py STEP ARG...`` runs one step in this process (prints ``ready`` after the
imports).

Steps:

* ``ingest WAREHOUSE FILE...``;
* ``dbt WAREHOUSE TARGET [MODEL...]``: what `cchc build` runs (:func:`pipeline.dbt_runner.run_dbt`,
  a dbt process, then the run recorded in the warehouse's history), of the given models only when
  there are some;
* ``dbt-warm WAREHOUSE TARGET MODEL...``: ``dbt build`` of the models in this process, on the
  project parsed by ``parse`` (no import, no parse: the run is the build), then the run recorded;
* ``audit WAREHOUSE TARGET``: the auditor's report and the KPI page;
* ``publish WAREHOUSE TARGET``: the published marts file and its exports.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from ingest.batch import ingest_paths  # noqa: E402
from ingest.paths import PROFILES_DIR  # noqa: E402
from ingest.prepare import prepare_report  # noqa: E402
from ingest.validate import gx_batch_check  # noqa: E402
from outputs.kpi_page import write_kpi_page  # noqa: E402
from outputs.run_history import record_run  # noqa: E402
from pipeline.build import OutputPaths, build_and_record, publish_marts, write_audit  # noqa: E402
from pipeline.dbt_runner import run_dbt  # noqa: E402

WARM_SAMPLE = REPO_ROOT / "data" / "reports" / "soctrang-vinhchau-2022-q3.txt"
_parsed: dict[str, Any] = {}  # the dbt manifest of the "parse" request


def _dbt_args(command: str, target: Path, *extra: str) -> list[str]:
    return [
        command,
        *extra,
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(PROFILES_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
    ]


def _parse(warehouse: Path, target: Path) -> None:
    from dbt.cli.main import dbtRunner

    os.environ["CCHC_WAREHOUSE"] = str(warehouse.resolve())  # the profile of every run after this
    result = dbtRunner().invoke(_dbt_args("parse", target))
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    _parsed["manifest"] = result.result


def _record(warehouse: Path, outputs: OutputPaths) -> None:
    if outputs.run_results.is_file():
        record_run(warehouse, outputs.run_results)


def _dbt(warehouse: Path, outputs: OutputPaths, models: list[str]) -> bool:
    if not models:
        return build_and_record(warehouse, outputs)[0]
    outputs.run_results.unlink(missing_ok=True)  # what build_and_record does, on a few models
    args = ["build", "--select", *models, "--target-path", str(outputs.target)]
    ok = run_dbt([*args, "--log-path", str(outputs.target / "logs")], warehouse)
    _record(warehouse, outputs)
    return ok


def _dbt_warm(warehouse: Path, outputs: OutputPaths, models: list[str]) -> bool:
    from dbt.cli.main import dbtRunner

    if os.environ.get("CCHC_WAREHOUSE") != str(warehouse.resolve()):
        raise RuntimeError("the project was parsed for another warehouse")
    outputs.run_results.unlink(missing_ok=True)
    result = dbtRunner(manifest=_parsed["manifest"]).invoke(
        _dbt_args("build", outputs.target, "--select", *models)
    )
    _close_dbt_duckdb()
    _record(warehouse, outputs)
    return bool(result.success)


def _close_dbt_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for its process, as a dbt process's exit does.

    The step ends with ``os._exit`` (a forked child must not run the server's exit handlers), which
    would skip it: the warehouse would keep a WAL that only the next open replays.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def run_step(step: str, args: list[str]) -> int:
    """Run one step; its exit code (0: done)."""
    warehouse = Path(args[0])
    if step == "ingest":
        results = ingest_paths([Path(p) for p in args[1:]], warehouse, None)
        return 0 if all(r.status != "failed" for r in results) else 1
    outputs = OutputPaths(target=Path(args[1]))
    if step == "publish":
        publish_marts(warehouse, outputs)
    elif step == "audit":
        write_audit(warehouse, outputs)
        write_kpi_page(warehouse, outputs.kpi_page)
    elif step == "dbt":
        return 0 if _dbt(warehouse, outputs, args[2:]) else 1
    elif step == "dbt-warm":
        return 0 if _dbt_warm(warehouse, outputs, args[2:]) else 1
    else:
        raise ValueError(f"unknown step {step!r}")
    return 0


def _silence() -> None:
    """Nobody reads the step's output: a full pipe must not block it (nor dbt, its child)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def _child(step: str, args: list[str]) -> None:
    os.setsid()
    _silence()
    code = 3
    try:
        code = run_step(step, args)
    finally:
        os._exit(code)


def _status(pid: int) -> str:
    """How child ``pid`` ended, and the CPU seconds it (and the dbt it waited for) used."""
    _, status, usage = os.wait4(pid, 0)
    cpu = f"{usage.ru_utime + usage.ru_stime:.2f}"
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)} {cpu}"
    return f"exit {os.waitstatus_to_exitcode(status)} {cpu}"


def _warm() -> None:
    """Pay before forking what the first ingest in a process pays: Great Expectations' import and context."""
    prepared = prepare_report(WARM_SAMPLE, WARM_SAMPLE.read_bytes(), now=datetime.now(UTC))
    gx_batch_check(prepared.frames.statistic_rows, prepared.frames.line_classes)


def _answer(request: list[Any]) -> str:
    if request[0] == "wait":
        return _status(int(request[1]))
    if request[0] == "parse":
        _parse(Path(request[1]), Path(request[2]))
        return "parsed"
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        _child(str(request[1]), [str(a) for a in request[2:]])
    return f"pid {pid}"


def serve() -> None:
    """Answer requests on the original stdout; anything else printed (dbt's log) goes to stderr."""
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    _warm()
    print("ready", file=channel)
    for line in sys.stdin:
        answer = _answer(json.loads(line))
        print(answer, file=channel)


def main(argv: list[str]) -> int:
    if argv[0] == "serve":
        serve()
        return 0
    print("ready", flush=True)
    _silence()
    return run_step(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
