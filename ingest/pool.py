"""Preparing report files in a process pool: chunks of files in, prepared files (or why not) out.

Workers run only pure code (:func:`ingest.prepare.prepare_report`): they read a file's bytes,
refuse one over the size limit before reading it, skip bytes the warehouse already has, and send
back the file's frames with what the main process needs to resolve and write it. Nothing here
touches the warehouse. At most ``2 x workers`` chunks are in flight, so the memory held is bounded
by the chunk size whatever the number of files.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ingest.detect import AUTO, Detection
from ingest.errors import CchcError, UnparseableFileError
from ingest.input_file import MAX_REPORT_BYTES, oversize_message, read_input, streamed_identity
from ingest.prepare import PreparedReport, prepare_report
from ingest.records import ParseResult


@dataclass(frozen=True)
class PrepareSettings:
    """What every worker prepares files with."""

    template: str = AUTO
    template_dir: Path | None = None
    max_bytes: int = MAX_REPORT_BYTES
    now: datetime = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Skipped:
    """A file whose bytes the warehouse already has."""

    path: Path
    report_id: str


@dataclass(frozen=True)
class Refused:
    """A file that cannot be prepared: the error, and the quarantine entry's report id and line count.

    A file over the size limit is hashed and its lines counted chunk by chunk (never held in memory),
    so it is quarantined whole under its real id. ``report_id`` is None only when the file could not
    be read at all: nothing is quarantined under its bytes then, but the error names the file.
    """

    path: Path
    reason: str  # the error's message, for the quarantine entry
    error: str  # "file:line: message"
    report_id: str | None
    line_count: int
    size: int

    @classmethod
    def of(cls, path: Path, error: CchcError, report_id: str | None, line_count: int, size: int) -> Refused:
        """From the error (kept as text: exceptions with keyword-only arguments do not unpickle)."""
        return cls(path, error.message, str(error), report_id, line_count, size)


Prepared = PreparedReport | Skipped | Refused


def slim(prepared: PreparedReport) -> PreparedReport:
    """The prepared file without its parse objects (the frames carry everything written)."""
    result = prepared.detection.result
    light = ParseResult(result.family, result.source_file, result.line_count, (), (), (), result.header)
    detection = Detection(prepared.detection.family, prepared.detection.score, {}, light)
    return replace(prepared, detection=detection)


def too_large(path: Path, size: int, limit: int) -> CchcError:
    return CchcError(f"{oversize_message(size, limit)}; not read", source_file=str(path))


def prepare_one(path: Path, settings: PrepareSettings, known: frozenset[str]) -> Prepared:
    """Read and prepare one file (pure apart from reading it); never raises for a bad file."""
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:  # quarantined as a whole file, read chunk by chunk, never at once
            report_id, line_count = streamed_identity(path)
            error = too_large(path, size, settings.max_bytes)
            return Refused.of(path, error, report_id, max(line_count, 1), size)
        data = read_input(path)
    except OSError as exc:
        return Refused.of(
            path, CchcError(f"cannot read file: {exc.strerror}", source_file=str(path)), None, 0, 0
        )
    except CchcError as exc:
        return Refused.of(path, exc, None, 0, 0)
    report_id = hashlib.sha256(data).hexdigest()[:16]
    if report_id in known:
        return Skipped(path, report_id)
    try:
        prepared = prepare_report(
            path, data, template=settings.template, template_dir=settings.template_dir, now=settings.now
        )
    except UnparseableFileError as exc:
        return Refused.of(path, exc, exc.report_id, exc.line_count, len(data))
    return slim(prepared)


def prepare_chunk(paths: Sequence[Path], settings: PrepareSettings, known: frozenset[str]) -> list[Prepared]:
    """Prepare a chunk of files (the unit of work of a pool worker)."""
    return [prepare_one(path, settings, known) for path in paths]


_KNOWN: frozenset[str] = frozenset()


def _init_worker(known: frozenset[str]) -> None:
    global _KNOWN
    _KNOWN = known


def _prepare_chunk_in_worker(paths: Sequence[Path], settings: PrepareSettings) -> list[Prepared]:
    return prepare_chunk(paths, settings, _KNOWN)


def chunks(paths: Sequence[Path], size: int) -> Iterator[list[Path]]:
    for start in range(0, len(paths), size):
        yield list(paths[start : start + size])


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def prepare_files(
    paths: Sequence[Path],
    settings: PrepareSettings,
    known: Iterable[str] = (),
    *,
    workers: int | None = None,
    chunk_files: int = 32,
) -> Iterator[Prepared]:
    """Every file prepared, in input order; ``workers`` processes (1: in this process, no pool)."""
    known_ids = frozenset(known)
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(paths) <= chunk_files:
        for chunk in chunks(paths, chunk_files):
            yield from prepare_chunk(chunk, settings, known_ids)
        return
    # spawned, not forked: a forked child inherits the parent's DuckDB threads and locks
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, context, initializer=_init_worker, initargs=(known_ids,)) as pool:
        pending: deque[Future[list[Prepared]]] = deque()
        for chunk in chunks(paths, chunk_files):
            pending.append(pool.submit(_prepare_chunk_in_worker, chunk, settings))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
