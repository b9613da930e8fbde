"""Writing output files: atomically (temp file + ``os.replace``), CSV cells safe from formula injection.

Every file under ``target/`` that people open (the audit page, findings.json/csv, the KPI page)
is written to a temporary file in the same directory and moved into place with
:func:`os.replace`, so a reader sees the old file or the new one, never half of one. The
temporary name carries the writer's PID (``.NAME.PID-HEX.tmp``): a killed writer leaves its
file behind, and the next atomic write in that directory removes it (its writer is gone), while
the file of a writer still running is left alone. Every CSV the project writes goes through
:func:`write_csv_rows`, whose cells pass :func:`csv_safe`.
"""

from __future__ import annotations

import csv
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import duckdb

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
OUTPUT_MODE = 0o644  # temporary files are created 0600; outputs are for every reader of target/
_TEMP_NAME = re.compile(r"^\.(?P<final>.+)\.(?P<pid>\d+)-[0-9a-f]{12}\.tmp$")


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote (``'``), as OWASP advises. Choice made here: a cell that is a plain number as a
    whole (``-5``, ``+3.25``, ``-1e3``; or an int/float/Decimal value) is kept as it is, so that
    numeric columns (an SDMX OBS_VALUE, a negative change) stay numeric: a spreadsheet reads such
    a cell as a number, never as a formula. Anything else after the sign (``-1+2``, ``-A1``) is
    escaped. Non-text values are returned unchanged.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_row_writer(handle: TextIO, *, lineterminator: str = "\r\n") -> Callable[[Sequence[Any]], None]:
    """A function writing one CSV row on ``handle`` (opened with ``newline=""``), cells through csv_safe.

    For files written a row at a time (the synthetic corpus's listings).
    """
    writer = csv.writer(handle, lineterminator=lineterminator)

    def write(row: Sequence[Any]) -> None:
        writer.writerow([csv_safe(c) for c in row])

    return write


def write_csv_rows(
    handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n"
) -> None:
    """A header and rows as CSV on ``handle`` (opened with ``newline=""``), every cell through csv_safe."""
    writer = csv.writer(handle, lineterminator=lineterminator)
    writer.writerow([csv_safe(c) for c in header])
    writer.writerows([csv_safe(c) for c in row] for row in rows)


def process_alive(pid: int) -> bool:
    """True when process ``pid`` exists (a zombie not yet reaped counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_temp_files(directory: Path) -> list[Path]:
    """The temporary files of atomic writes in ``directory`` whose writer process is gone."""
    if not directory.is_dir():
        return []
    return [
        p
        for p in sorted(directory.iterdir())
        if (found := _TEMP_NAME.match(p.name)) and not process_alive(int(found["pid"]))
    ]


def remove_stale_temp_files(directory: Path) -> list[Path]:
    """Remove what killed writers left in ``directory`` (see :func:`stale_temp_files`); returns it."""
    stale = stale_temp_files(directory)
    for p in stale:
        with suppress(FileNotFoundError):  # another writer removed it first
            p.unlink()
    return stale


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A new, empty temporary file beside ``path`` (named with this PID), moved onto ``path`` when the
    block succeeds; for writers that write a path themselves (DuckDB's COPY).

    On any error the temporary file is removed and ``path`` is left as it was. The leftovers of
    killed writers in the directory are removed first.
    """
    remove_stale_temp_files(path.parent)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp")
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield temp
        temp.chmod(OUTPUT_MODE)
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise


@contextmanager
def atomic_output(path: Path, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """A text handle on a temporary file beside ``path``, moved onto ``path`` when the block succeeds
    (see :func:`atomic_path`)."""
    with atomic_path(path) as temp, temp.open("w", encoding=encoding, newline=newline) as handle:
        yield handle


def write_text_atomically(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``."""
    with atomic_output(path, encoding=encoding) as handle:
        handle.write(text)


def write_csv_atomically(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8",
    lineterminator: str = "\r\n",
) -> None:
    """Write a CSV (cells made safe by :func:`csv_safe`) to ``path`` atomically."""
    with atomic_output(path, encoding=encoding, newline="") as handle:
        write_csv_rows(handle, header, rows, lineterminator=lineterminator)


_FORMULA_START_SQL = r"^[=+\-@\t\r]"  # FORMULA_PREFIXES as a regular expression
_PLAIN_NUMBER_SQL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"


def csv_safe_sql(expression: str) -> str:
    """SQL of :func:`csv_safe` for a DuckDB query: a text starting like a formula gets a leading quote."""
    value = f"coalesce(({expression})::varchar, '')"
    return (
        f"case when regexp_matches({value}, '{_FORMULA_START_SQL}') "
        f"and not regexp_full_match({value}, '{_PLAIN_NUMBER_SQL}') then '''' || {value} else {value} end"
    )


def copy_query_to_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    """DuckDB writes ``query``'s rows as CSV to ``path`` (no header of its own), atomically.

    For CSVs too large to pass through Python: every column of ``query`` goes through
    :func:`csv_safe_sql`; a header, if any, is the query's first row.
    """
    with atomic_path(path) as temp:
        target = "'" + str(temp).replace("'", "''") + "'"
        con.execute(f"copy ({query}) to {target} (format csv, header false)")
