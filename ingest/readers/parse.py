"""Parse an original document with the text families: read it, detect its family, keep the lineage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.detect import AUTO, Detection, detect_and_parse
from ingest.errors import TemplateDetectionError
from ingest.readers.base import DocumentText, SourceLocation, clean_inline
from ingest.readers.document import flatten_tables, read_document
from ingest.records import StatRow
from ingest.text import split_lines

_FIRST_VALUE_FIELD = 2  # fields 0 and 1 of a table row are its code and label in every family


@dataclass(frozen=True)
class DocumentParse:
    """A parsed original: the detection (family, parse result) and the text it parsed, with locations.

    ``document`` is the text that was parsed (its line numbers are the parse result's); ``tabbed``
    is the TAB-separated form of the same lines (the same object unless the table cells had to be
    joined by spaces for the family, see :func:`parse_text_form`).
    """

    detection: Detection
    document: DocumentText
    tabbed: DocumentText

    def row_locations(self, row: StatRow) -> tuple[SourceLocation, ...]:
        """Every place in the document a statistic row was read from (its whole line range)."""
        return self.document.span_locations(row.line_start, row.line_end)

    def value_location(self, row: StatRow) -> SourceLocation | None:
        """The cell (or PDF line) the row's value was read from: the first field of the row's lines
        whose text is the value as written, else the field or line holding it as a whole word (a text
        line "Văn bản 0"); None when the value is empty."""
        return find_field(self.tabbed, row.line_start, row.line_end, row.value.raw)


def find_field(document: DocumentText, line_start: int, line_end: int, raw: str) -> SourceLocation | None:
    """Location of the field in a line range whose text is ``raw``: fields after the code and label
    columns (index 2 on) first, leftmost first; then any field; then the last field holding it."""
    wanted = clean_inline(raw)
    if not wanted:
        return None
    lines = split_lines(document.text)
    matches = [
        (index < _FIRST_VALUE_FIELD, line_no, index)
        for line_no in range(line_start, line_end + 1)
        for index, text in enumerate(lines[line_no - 1].split("\t"))
        if clean_inline(text) == wanted
    ]
    if not matches:
        return _containing_field(lines, line_start, line_end, wanted, document)
    _, line_no, index = min(matches)
    return document.field_location(line_no, index)


def _containing_field(
    lines: list[str], line_start: int, line_end: int, wanted: str, document: DocumentText
) -> SourceLocation | None:
    """The last field of the range holding the value as a whole word (a text line "Văn bản 0")."""
    pattern = re.compile(rf"(?<!\S){re.escape(wanted)}(?!\S)")
    for line_no in range(line_end, line_start - 1, -1):
        fields = lines[line_no - 1].split("\t")
        for index in range(len(fields) - 1, -1, -1):
            if pattern.search(clean_inline(fields[index])):
                return document.field_location(line_no, index)
    return None


def parse_text_form(document: DocumentText, source_file: str, template: str = AUTO) -> DocumentParse:
    """Detect and parse a document's text form; when no family is sure of the TAB-separated form,
    try the form with table cells joined by spaces (families written for PDF text extractions)."""
    try:
        return DocumentParse(detect_and_parse(document.text, source_file, template), document, document)
    except TemplateDetectionError:
        if "\t" not in document.text:
            raise
        flat = flatten_tables(document)
        try:
            return DocumentParse(detect_and_parse(flat.text, source_file, template), flat, document)
        except TemplateDetectionError:
            pass
        raise


def parse_document(path: Path, source_file: str | None = None, template: str = AUTO) -> DocumentParse:
    """Read any report file (text, DOCX, XLSX, PDF, .doc, .xls) and parse it with its family."""
    source = source_file if source_file is not None else str(path)
    return parse_text_form(read_document(path, source), source, template)
