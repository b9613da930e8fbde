"""Parse an original document with the text families: read it, detect its family, keep the lineage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.detect import AUTO, Detection, detect_and_parse
from ingest.errors import TemplateDetectionError
from ingest.readers.base import DocumentText, SourceLocation
from ingest.readers.document import flatten_tables, read_document
from ingest.records import StatRow


@dataclass(frozen=True)
class DocumentParse:
    """A parsed original: the detection (family, parse result) and the text it parsed, with locations."""

    detection: Detection
    document: DocumentText

    def row_locations(self, row: StatRow) -> tuple[SourceLocation, ...]:
        """Every place in the document a statistic row was read from (its whole line range)."""
        return self.document.span_locations(row.line_start, row.line_end)


def parse_text_form(document: DocumentText, source_file: str, template: str = AUTO) -> DocumentParse:
    """Detect and parse a document's text form; when no family is sure of the TAB-separated form,
    try the form with table cells joined by spaces (families written for PDF text extractions)."""
    try:
        return DocumentParse(detect_and_parse(document.text, source_file, template), document)
    except TemplateDetectionError:
        if "\t" not in document.text:
            raise
        flat = flatten_tables(document)
        try:
            return DocumentParse(detect_and_parse(flat.text, source_file, template), flat)
        except TemplateDetectionError:
            pass
        raise


def parse_document(path: Path, source_file: str | None = None, template: str = AUTO) -> DocumentParse:
    """Read any report file (text, DOCX, XLSX, PDF, .doc, .xls) and parse it with its family."""
    source = source_file if source_file is not None else str(path)
    return parse_text_form(read_document(path, source), source, template)
