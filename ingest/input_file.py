"""An input file's bytes and what both input paths derive from them (identity, line count)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.errors import LoadError


def read_input(path: Path) -> bytes:
    """The bytes of an input file; LoadError naming the file when it cannot be read."""
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
