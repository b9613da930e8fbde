"""An input file's bytes and what both input paths derive from them (identity, line count).

Size limit: a report larger than :data:`MAX_REPORT_BYTES` (5 MiB; ``CCHC_MAX_REPORT_BYTES``
overrides it) is refused before it is read whole. The largest report of data/reports is about
52 KB, so the limit leaves room for a report a hundred times longer, while a file dropped by
mistake (a database dump, a video, a multi-GB log) never reaches the parser, which holds several
copies of a file's text (bytes, decoded text, lines, rows) in memory.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import LoadError, ReportTooLargeError

if TYPE_CHECKING:
    import duckdb

MAX_REPORT_BYTES = 5 * 1024 * 1024
MAX_REPORT_BYTES_ENV = "CCHC_MAX_REPORT_BYTES"
_CHUNK = 1 << 20


def max_report_bytes() -> int:
    """The size limit in force: ``CCHC_MAX_REPORT_BYTES`` when set to a positive integer."""
    raw = os.environ.get(MAX_REPORT_BYTES_ENV, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else MAX_REPORT_BYTES


def oversize_message(size: int, limit: int) -> str | None:
    """Why a file of ``size`` bytes is refused under ``limit``; None when it is within it."""
    if size <= limit:
        return None
    return (
        f"file too large: {size:,} bytes, over the limit of {limit:,} bytes "
        f"(set {MAX_REPORT_BYTES_ENV} to raise it)"
    )


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror}", source_file=str(path)) from exc


def check_size(path: Path) -> None:
    """ReportTooLargeError naming the file, its size and the limit when it is over the limit."""
    message = oversize_message(_size_of(path), max_report_bytes())
    if message is not None:
        raise ReportTooLargeError(message, source_file=path.name)


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def streamed_identity(path: Path) -> tuple[str, int]:
    """(file id, line count) of a file read chunk by chunk, as file_id_of/count_lines give them."""
    digest = hashlib.sha256()
    lines, last = 0, b""
    for chunk in _chunks(path):
        digest.update(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    return digest.hexdigest()[:16], lines + (0 if last in (b"\n", b"") else 1)


def quarantine_if_oversized(con: duckdb.DuckDBPyConnection, path: Path, now: datetime) -> None:
    """Refuse a file over the limit: its lines quarantined as a file, then ReportTooLargeError."""
    try:
        check_size(path)
    except ReportTooLargeError as exc:
        from ingest.frames import file_quarantine_frame
        from ingest.writer import ensure_schema, write_file_quarantine

        report_id, line_count = streamed_identity(path)
        ensure_schema(con)
        entry = file_quarantine_frame(report_id, path.name, max(line_count, 1), exc.message, now)
        write_file_quarantine(con, entry)
        raise


def read_input(path: Path) -> bytes:
    """The bytes of an input file; LoadError naming the file when it cannot be read or is too large."""
    check_size(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror}", source_file=str(path)) from exc


def file_id_of(data: bytes) -> str:
    """The first 16 hex digits of the file's sha256: the same bytes are the same file."""
    return hashlib.sha256(data).hexdigest()[:16]


def count_lines(data: bytes) -> int:
    """Lines of a file's bytes, a last line without a newline included."""
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
