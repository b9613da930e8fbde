"""Readers of original documents (DOCX, XLSX, PDF, legacy .doc/.xls, text) into the text form
the template families parse, with the location of every line in the original."""

from ingest.readers.base import DocumentFormat, DocumentText, SourceLocation
from ingest.readers.document import flatten_tables, read_document
from ingest.readers.parse import DocumentParse, parse_document, parse_text_form

__all__ = [
    "DocumentFormat",
    "DocumentParse",
    "DocumentText",
    "SourceLocation",
    "flatten_tables",
    "parse_document",
    "parse_text_form",
    "read_document",
]
