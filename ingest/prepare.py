"""One report file's bytes -> the frames about to be written (pure apart from reading the template rows).

Decode, detect the template family, parse, recognize the rows against the family's template rows
and build the frames of every raw table. Nothing here touches the warehouse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.detect import AUTO, Detection, decode_report, detect_and_parse
from ingest.errors import CchcError, UnparseableFileError
from ingest.frames import ReportFrames, report_frames
from ingest.input_file import count_lines
from ingest.recognize import load_template_rows, recognize_rows
from ingest.records import HeaderInfo
from ingest.text import split_lines


@dataclass(frozen=True)
class PreparedReport:
    """A parsed file with the rows about to be written (nothing validated or written yet)."""

    path: Path
    source_file: str
    file_sha256: str
    report_id: str
    line_count: int
    detection: Detection
    frames: ReportFrames

    @property
    def header(self) -> HeaderInfo:
        return self.detection.result.header


def _decode_and_parse(data: bytes, source_file: str, template: str, report_id: str) -> tuple[str, Detection]:
    """The text and its detection; any failure becomes UnparseableFileError (with the line it is at)."""
    line_count = count_lines(data)
    try:
        text = decode_report(data, source_file)
        line_count = len(split_lines(text))
        return text, detect_and_parse(text, source_file, template)
    except CchcError as exc:
        message, line = f"cannot parse: {exc.message}", exc.line
        cause: Exception = exc
    except Exception as exc:  # a parser bug must not stop the other files
        message, line = f"parser failed: {type(exc).__name__}: {exc}", None
        cause = exc
    raise UnparseableFileError(
        message, source_file=source_file, line=line, report_id=report_id, line_count=line_count
    ) from cause


def prepare_report(
    path: Path,
    data: bytes,
    *,
    template: str = AUTO,
    template_dir: Path | None = None,
    now: datetime,
) -> PreparedReport:
    """Decode, detect, parse and recognize one file and build its frames (pure apart from reading seeds).

    Raises:
        UnparseableFileError: not UTF-8, no template family fits, or the parser failed.
    """
    source_file = path.name
    file_sha = hashlib.sha256(data).hexdigest()
    report_id = file_sha[:16]
    text, detection = _decode_and_parse(data, source_file, template, report_id)
    result = detection.result
    template_rows = load_template_rows(detection.family, template_dir)
    matches = recognize_rows(result.rows, template_rows) if template_rows is not None else ()
    lines = split_lines(text)
    frames = report_frames(result, report_id, source_file, lines, matches, now)
    line_count = len(lines)
    return PreparedReport(path, source_file, file_sha, report_id, line_count, detection, frames)
