"""Which format a file is, by its content (magic bytes), not only by its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.readers.base import DocumentFormat

PDF_MAGIC = b"%PDF"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_HEAD = 8


def sniff_format(path: Path) -> DocumentFormat:
    """The format of the file at ``path`` from its first bytes (and its zip or OLE2 directory)."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if head.startswith(PDF_MAGIC):
        return DocumentFormat.PDF
    if head.startswith(ZIP_MAGIC):
        return _zip_format(path)
    if head.startswith(OLE2_MAGIC):
        return _ole2_format(path)
    if _looks_like_pdf_later(path):
        return DocumentFormat.PDF
    return DocumentFormat.TEXT if _is_text(path) else DocumentFormat.UNKNOWN


def _zip_format(path: Path) -> DocumentFormat:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return _format_from_suffix(path, DocumentFormat.UNKNOWN)
    if "word/document.xml" in names:
        return DocumentFormat.DOCX
    if "xl/workbook.xml" in names:
        return DocumentFormat.XLSX
    return DocumentFormat.UNKNOWN


def _format_from_suffix(path: Path, default: DocumentFormat) -> DocumentFormat:
    """A zip that cannot be opened: the name says what it was meant to be (for the error message)."""
    suffix = path.suffix.lower()
    if suffix in {".docx", ".docm"}:
        return DocumentFormat.DOCX
    if suffix in {".xlsx", ".xlsm"}:
        return DocumentFormat.XLSX
    return default


def _ole2_format(path: Path) -> DocumentFormat:
    """OLE2 compound file: encrypted OOXML, legacy Word or legacy Excel, by its stream names."""
    data = path.read_bytes()
    if _ENCRYPTED_STREAM in data:
        return DocumentFormat.ENCRYPTED_OOXML
    if _WORD_STREAM in data:
        return DocumentFormat.DOC
    if any(stream in data for stream in _EXCEL_STREAMS):
        return DocumentFormat.XLS
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return DocumentFormat.XLS
    return DocumentFormat.DOC if suffix == ".doc" else DocumentFormat.UNKNOWN


def _looks_like_pdf_later(path: Path) -> bool:
    """Some PDFs carry junk before ``%PDF`` (the spec allows it within the first 1024 bytes)."""
    with path.open("rb") as handle:
        return PDF_MAGIC in handle.read(1024)


def _is_text(path: Path) -> bool:
    """UTF-8 text without NUL bytes (the text parsers report any other encoding themselves)."""
    with path.open("rb") as handle:
        sample = handle.read(65536)
    return b"\x00" not in sample
