"""What cannot be read is refused with its reason: scans, legacy files without LibreOffice,
password-protected and corrupt files, unknown formats."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from ingest.errors import (
    CchcError,
    CorruptDocumentError,
    EncryptedDocumentError,
    LegacyFormatError,
    ScannedPdfError,
    UnsupportedFormatError,
)
from ingest.readers import DocumentFormat, read_document
from ingest.readers.sniff import OLE2_MAGIC, sniff_format


def _ole2(path: Path, *streams: str) -> Path:
    """A compound-file header followed by a directory naming ``streams`` (what the sniffer reads)."""
    header = OLE2_MAGIC + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + bytes(512 - 32)
    directory = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + bytes(64) for name in ("Root Entry", *streams)
    )
    path.write_bytes(header + directory)
    return path


def test_scanned_pdf_is_held_with_no_text_layer(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((50, 50), "BAO CAO CCHC QUY III", fill="black")
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF", resolution=100)
    with pytest.raises(ScannedPdfError) as caught:
        read_document(path)
    assert "scanned PDF: no text layer" in str(caught.value)
    assert caught.value.source_file == str(path)
    assert isinstance(caught.value, CchcError)


def test_legacy_doc_without_libreoffice_is_refused_with_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _ole2(tmp_path / "bao-cao.doc", "WordDocument", "1Table")
    assert sniff_format(path) is DocumentFormat.DOC
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(LegacyFormatError) as caught:
        read_document(path, "bao-cao.doc")
    assert caught.value.command == f"soffice --headless --convert-to docx --outdir {tmp_path} {path}"
    assert caught.value.command in str(caught.value)
    assert "legacy Word 97-2003 (.doc)" in str(caught.value)


def test_legacy_xls_without_libreoffice_names_xlsx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _ole2(tmp_path / "bieu.xls", "Workbook")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(LegacyFormatError, match="--convert-to xlsx"):
        read_document(path)


def test_password_protected_docx_is_refused(tmp_path: Path) -> None:
    # What Word writes for a password-protected .docx: an OLE2 container, not a zip.
    path = _ole2(tmp_path / "protected.docx", "EncryptionInfo", "EncryptedPackage")
    with pytest.raises(EncryptedDocumentError, match="password-protected"):
        read_document(path)


def test_corrupt_xlsx_is_refused(tmp_path: Path) -> None:
    import openpyxl

    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "STT"
    workbook.save(buffer)
    path = tmp_path / "bieu.xlsx"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])  # truncated: no zip directory
    with pytest.raises(CorruptDocumentError, match="corrupt XLSX"):
        read_document(path)


def test_docx_with_broken_xml_is_refused(tmp_path: Path) -> None:
    import docx

    source = tmp_path / "ok.docx"
    docx.Document().save(str(source))
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(CorruptDocumentError, match="corrupt DOCX"):
        read_document(path)


def test_zip_that_is_no_office_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(CorruptDocumentError, match="neither a DOCX"):
        read_document(path)


def test_binary_of_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(UnsupportedFormatError, match="unknown file format"):
        read_document(path)


def test_corrupt_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage")
    with pytest.raises((CorruptDocumentError, ScannedPdfError)):
        read_document(path)


def test_ingest_quarantines_each_unreadable_original_with_its_reason(tmp_path: Path) -> None:
    """`cchc ingest` on a folder of unreadable originals: each file fails (`cchc ingest` exits 1) and
    is quarantined whole, its error and its raw.quarantine row saying why; no report is loaded."""
    import duckdb
    import openpyxl
    from PIL import Image

    from ingest.batch import ingest_paths

    folder = tmp_path / "reports"
    folder.mkdir()
    Image.new("RGB", (300, 400), "white").save(folder / "scan.pdf", "PDF", resolution=100)
    _ole2(folder / "protected.docx", "EncryptionInfo", "EncryptedPackage")
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    (folder / "bieu.xlsx").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    expected = {
        "scan.pdf": "scanned PDF: no text layer",
        "protected.docx": "password-protected",
        "bieu.xlsx": "corrupt XLSX",
    }
    warehouse = tmp_path / "wh.duckdb"
    results = ingest_paths([folder], warehouse, None)
    assert sorted(r.path.name for r in results) == sorted(expected)
    for result in results:
        assert result.status == "failed", (result.path.name, result.status)
        assert result.error is not None and result.error.startswith(result.path.name)
        assert expected[result.path.name] in result.error
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reasons = dict(con.execute("select source_file, reason from raw.quarantine").fetchall())
        reports = con.execute("select count(*) from raw.reports").fetchone()
    assert set(reasons) == set(expected)
    assert all(expected[name] in reason for name, reason in reasons.items()), reasons
    assert reports == (0,)
