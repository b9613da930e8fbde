"""One entry point: any report file (text, DOCX, XLSX, PDF, .doc, .xls) -> :class:`DocumentText`."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import CorruptDocumentError, EncryptedDocumentError, UnsupportedFormatError
from ingest.readers.base import DocumentFormat, DocumentText, SourceLocation, TextBuilder
from ingest.readers.docx import read_docx
from ingest.readers.legacy import read_legacy
from ingest.readers.pdf import read_pdf
from ingest.readers.sniff import sniff_format
from ingest.readers.xlsx import read_xlsx
from ingest.text import split_lines


def read_document(path: Path, source_file: str | None = None) -> DocumentText:
    """Read any report file into its text form and per-line locations, by its content's format.

    Raises a :class:`~ingest.errors.DocumentReadError` subclass saying why a file cannot be read:
    ScannedPdfError, LegacyFormatError (no LibreOffice), EncryptedDocumentError,
    CorruptDocumentError, UnsupportedFormatError; text files that are not UTF-8 raise ParseError.
    """
    source = source_file if source_file is not None else str(path)
    fmt = sniff_format(path)
    if fmt is DocumentFormat.TEXT:
        return read_text(path, source)
    if fmt is DocumentFormat.DOCX:
        return read_docx(path, source)
    if fmt is DocumentFormat.XLSX:
        return read_xlsx(path, source)
    if fmt is DocumentFormat.PDF:
        return read_pdf(path, source)
    if fmt is DocumentFormat.DOC:
        return read_legacy(path, source, fmt, read_docx)
    if fmt is DocumentFormat.XLS:
        return read_legacy(path, source, fmt, read_xlsx)
    if fmt is DocumentFormat.ENCRYPTED_OOXML:
        raise EncryptedDocumentError(
            "password-protected Office document (an encrypted package): it cannot be read without its "
            "password; ask the unit for an unprotected copy, or open it, remove the password and save it",
            source_file=source,
        )
    return _unknown(path, source)


def _unknown(path: Path, source: str) -> DocumentText:
    head = path.read_bytes()[:4]
    if head.startswith(b"PK"):
        raise CorruptDocumentError(
            "a zip archive that is neither a DOCX (word/document.xml) nor an XLSX (xl/workbook.xml)",
            source_file=source,
        )
    raise UnsupportedFormatError(
        f"unknown file format (first bytes {head.hex()}): expected UTF-8 text, DOCX, XLSX, PDF, .doc or .xls",
        source_file=source,
    )


def read_text(path: Path, source_file: str) -> DocumentText:
    """A UTF-8 text report as is; each line located by its line number."""
    from ingest.detect import decode_report  # the text path's own decoding and its error

    text = decode_report(path.read_bytes(), source_file)
    builder = TextBuilder(DocumentFormat.TEXT)
    for line_no, line in enumerate(split_lines(text), start=1):
        builder.add(line, (SourceLocation(DocumentFormat.TEXT, line=line_no),))
    return builder.build()


def flatten_tables(document: DocumentText) -> DocumentText:
    """The same document with table rows' fields joined by spaces, as a PDF text extraction has them.

    For families that read text without column separators (national_commune_2024). Empty fields
    are dropped; a line keeps the locations of its non-empty fields.
    """
    builder = TextBuilder(document.format)
    for line, locations in zip(split_lines(document.text), document.locations, strict=True):
        fields = line.split("\t")
        if len(fields) == 1:
            builder.add(line, locations)
            continue
        kept = [(text, loc) for text, loc in zip(fields, locations, strict=False) if text.strip()]
        builder.add(" ".join(text for text, _ in kept), tuple(loc for _, loc in kept) or locations[:1])
    for note in document.notes:
        builder.note(note)
    builder.note("table cells joined by spaces (no column separators)")
    return builder.build()
