"""One report file's bytes -> the frames about to be written (pure apart from reading the template rows).

Decode (a text report) or read (an original: DOCX, XLSX, PDF, legacy .doc/.xls through
:mod:`ingest.readers`), detect the template family, parse, recognize the rows against the family's
template rows and build the frames of every raw table. Nothing here touches the warehouse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.detect import AUTO, Detection, decode_report, detect_and_parse
from ingest.errors import CchcError, UnparseableFileError
from ingest.frames import DocumentPlaces, ReportFrames, report_frames
from ingest.input_file import count_lines
from ingest.readers.parse import DocumentParse, parse_document
from ingest.recognize import load_template_rows, recognize_rows
from ingest.records import HeaderInfo
from ingest.sniff import sniff_format
from ingest.text import split_lines

ORIGINAL_FORMATS = ("pdf", "docx", "xlsx", "ole2")  # read by ingest.readers, not decoded as text


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
    source_format: str = "text"  # text | docx | xlsx | pdf | doc | xls

    @property
    def header(self) -> HeaderInfo:
        return self.detection.result.header


@dataclass(frozen=True)
class ReadReport:
    """A file's text (as parsed), its detection and, for an original document, where its parts stand."""

    text: str
    detection: Detection
    source_format: str = "text"
    places: DocumentPlaces | None = None


def _places(parsed: DocumentParse) -> DocumentPlaces:
    document = parsed.document
    lines = [document.line_place(n) for n in range(1, len(document.locations) + 1)]
    values = {}
    for row in parsed.detection.result.rows:
        location = parsed.value_location(row)
        if location is not None:
            values[row.seq] = location.describe()
    return DocumentPlaces(lines, values)


def read_report(path: Path, data: bytes, source_file: str, template: str = AUTO) -> ReadReport:
    """Decode and parse a text report, or read and parse an original document."""
    if sniff_format(data) in ORIGINAL_FORMATS:
        parsed = parse_document(path, source_file, template)
        fmt = parsed.document.format.value
        return ReadReport(parsed.document.text, parsed.detection, fmt, _places(parsed))
    text = decode_report(data, source_file)
    return ReadReport(text, detect_and_parse(text, source_file, template))


def _decode_and_parse(path: Path, data: bytes, template: str, report_id: str) -> ReadReport:
    """The file read and detected; any failure becomes UnparseableFileError (with the line it is at)."""
    source_file = path.name
    line_count = count_lines(data)
    try:
        return read_report(path, data, source_file, template)
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
    read = _decode_and_parse(path, data, template, report_id)
    detection = read.detection
    result = detection.result
    template_rows = load_template_rows(detection.family, template_dir)
    matches = recognize_rows(result.rows, template_rows) if template_rows is not None else ()
    lines = split_lines(read.text)
    frames = report_frames(result, report_id, source_file, lines, matches, now, read.places)
    return PreparedReport(
        path, source_file, file_sha, report_id, len(lines), detection, frames, read.source_format
    )
