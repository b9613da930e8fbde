"""Which reader a file goes to, by its content (magic bytes), not only by its name.

The byte-level decision is :func:`ingest.sniff.sniff_format` (one place for magic numbers, zip
directories and OLE2 stream names); this module maps it to a :class:`DocumentFormat` and lets the
file name decide only where the bytes cannot (a damaged zip or an OLE2 file with no known stream).
"""

from __future__ import annotations

from pathlib import Path

from ingest.readers.base import DocumentFormat
from ingest.sniff import ole2_document_kind
from ingest.sniff import sniff_format as sniff_bytes

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

_BY_KIND = {
    "pdf": DocumentFormat.PDF,
    "docx": DocumentFormat.DOCX,
    "xlsx": DocumentFormat.XLSX,
    # text, and what the text decoder names itself with a precise message (UTF-16, RTF)
    "text": DocumentFormat.TEXT,
    "utf16": DocumentFormat.TEXT,
    "rtf": DocumentFormat.TEXT,
    "binary": DocumentFormat.UNKNOWN,
}
_OLE2_FORMATS = {
    "encrypted-ooxml": DocumentFormat.ENCRYPTED_OOXML,
    "doc": DocumentFormat.DOC,
    "xls": DocumentFormat.XLS,
}
_SUFFIX_FORMATS = {
    ".docx": DocumentFormat.DOCX,
    ".docm": DocumentFormat.DOCX,
    ".xlsx": DocumentFormat.XLSX,
    ".xlsm": DocumentFormat.XLSX,
    ".doc": DocumentFormat.DOC,
    ".xls": DocumentFormat.XLS,
}


def sniff_format(path: Path) -> DocumentFormat:
    """The format of the file at ``path`` from its bytes (its zip directory or OLE2 stream names)."""
    data = path.read_bytes()
    kind = sniff_bytes(data)
    if kind == "zip":  # a zip with no word/ or xl/ entry: damaged, or no Office document at all
        return _from_suffix(path, (".docx", ".docm", ".xlsx", ".xlsm"))
    if kind == "ole2":
        ole2 = ole2_document_kind(data)
        return _OLE2_FORMATS[ole2] if ole2 is not None else _from_suffix(path, (".doc", ".xls"))
    return _BY_KIND[kind]


def _from_suffix(path: Path, suffixes: tuple[str, ...]) -> DocumentFormat:
    """What the file was meant to be by its name (for the error message), among ``suffixes``."""
    suffix = path.suffix.lower()
    return _SUFFIX_FORMATS[suffix] if suffix in suffixes else DocumentFormat.UNKNOWN
