"""Opening the warehouse: DuckDB's errors as one-line :class:`CchcError` messages.

A lock held by another process becomes :class:`WarehouseLockedError` naming what holds it
(``dbt build``, ``cchc build``, ``python ...``, read from ``/proc/<pid>/cmdline``), after an
optional wait for the lock to be released; a file that is not a DuckDB database (or a damaged
one) becomes :class:`WarehouseCorruptError`.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from ingest.errors import CchcError, WarehouseCorruptError, WarehouseLockedError

_LOCK = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")
_CORRUPT_MARKERS = ("not a valid DuckDB database", "Corrupt", "corrupt", "checksum", "Serialization")
POLL_SECONDS = 0.2


def holder_of(pid: int, exe: str = "") -> str:
    """What process ``pid`` is, in words: "dbt build", "cchc build", "python x.py" or the program."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return exe or "another process"
    args = [a for a in raw.decode("utf-8", "replace").split("\0") if a]
    return describe_command(args) or exe or "another process"


def describe_command(args: list[str]) -> str:
    """A short description of a command line: the tool (dbt, cchc) and its sub-command."""
    names = [Path(a).name for a in args]
    for tool in ("dbt", "cchc"):
        if tool in names:
            i = names.index(tool)
            sub = next((a for a in args[i + 1 :] if not a.startswith("-")), "")
            return f"{tool} {sub}".strip()
    if names and names[0].startswith("python"):
        return " ".join(["python", *args[1:3]])
    return " ".join(names[:2])


def open_error(path: Path, exc: duckdb.Error) -> CchcError:
    """The one-line error for DuckDB's failure to open (or attach) the warehouse ``path``."""
    text = str(exc)
    found = _LOCK.search(text)
    if found:
        pid = int(found["pid"])
        holder = holder_of(pid, found["exe"])
        return WarehouseLockedError(
            f"the warehouse is in use by {holder} (PID {pid}); wait for it to finish or stop it",
            source_file=str(path),
        )
    reason = text.removeprefix("IO Error: ").strip()
    if any(m in text for m in _CORRUPT_MARKERS):
        return WarehouseCorruptError(f"not a DuckDB warehouse (or damaged): {reason}", source_file=str(path))
    return CchcError(f"cannot open the warehouse: {reason}", source_file=str(path))


def connect_warehouse(
    path: Path | str, *, read_only: bool = False, wait_seconds: float = 0.0
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; waits up to ``wait_seconds`` for another process's lock to go.

    Raises :class:`WarehouseLockedError`, :class:`WarehouseCorruptError` or :class:`CchcError`.
    """
    target = Path(path)
    deadline = time.monotonic() + max(wait_seconds, 0.0)
    while True:
        try:
            return duckdb.connect(str(target), read_only=read_only)
        except duckdb.Error as exc:
            error = open_error(target, exc)
            if not isinstance(error, WarehouseLockedError) or time.monotonic() >= deadline:
                raise error from exc
        time.sleep(POLL_SECONDS)
