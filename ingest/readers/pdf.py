"""PDF reader (pdfplumber): text PDFs page by page, line by line, with bounding boxes.

On each page, ruled tables found by pdfplumber become one line per table row, one TAB-separated
field per table column (a cell covered by a merged cell is an empty field), located by page, table,
row, cell and the cell's bounding box. Text outside tables becomes one line per text line, located
by page, line on the page and bounding box. Lines are ordered top to bottom within a page.

A PDF without any text layer (a scan) is refused with :class:`ScannedPdfError` ("scanned PDF: no
text layer"); a page of a text PDF without text is reported in the notes. A table row broken over
a page break gives two rows (one per page); the text parsers treat the second as a continuation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import CorruptDocumentError, EncryptedDocumentError, ScannedPdfError
from ingest.readers.base import BBox, DocumentFormat, DocumentText, SourceLocation, TextBuilder, clean_inline

SCANNED_MESSAGE = "scanned PDF: no text layer"


@dataclass(frozen=True)
class _Item:
    """A line to emit on a page: its top (for ordering), its fields and their boxes."""

    top: float
    fields: tuple[str, ...]
    boxes: tuple[BBox | None, ...]
    table: int | None = None
    row: int | None = None


def read_pdf(path: Path, source_file: str) -> DocumentText:
    """Read a text PDF into its text form with page/line/bbox locations (see module doc)."""
    pdf = _open(path, source_file)
    builder = TextBuilder(DocumentFormat.PDF)
    try:
        pages = list(pdf.pages)
        if not any(page.chars for page in pages):
            raise ScannedPdfError(
                f"{SCANNED_MESSAGE} ({len(pages)} page(s) of images only); "
                "it must be typed or read by OCR before it can be loaded",
                source_file=source_file,
                location="page 1",
            )
        table_count = 0
        for page_no, page in enumerate(pages, start=1):
            table_count = _add_page(page, page_no, table_count, builder)
    finally:
        pdf.close()
    return builder.build()


def _open(path: Path, source_file: str) -> Any:
    import pdfplumber  # imported late: only PDF reading needs pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # parse the page tree now, so broken files fail here
    except Exception as exc:
        cause = exc.__cause__ or exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in str(exc).lower():
            raise EncryptedDocumentError(
                "password-protected PDF: cannot be read without its password; ask the unit for an "
                "unprotected copy",
                source_file=source_file,
            ) from exc
        raise CorruptDocumentError(
            f"corrupt PDF: cannot be opened ({type(exc).__name__}: {exc})", source_file=source_file
        ) from exc
    return pdf


def _add_page(page: Any, page_no: int, table_count: int, builder: TextBuilder) -> int:
    """Emit a page's lines; returns the number of tables seen so far in the document."""
    if not page.chars:
        builder.note(f"page {page_no} has no text layer (a scanned page): nothing read from it")
        return table_count
    tables = page.find_tables()
    items: list[_Item] = []
    for table in tables:
        table_count += 1
        items.extend(_table_items(table, table_count))
    boxes = [table.bbox for table in tables]
    items.extend(_text_items(page.filter(lambda obj: not _in_any(obj, boxes)) if boxes else page))
    items.sort(key=lambda item: item.top)
    for line_no, item in enumerate(items, start=1):
        builder.add(*_render(item, page_no, line_no))
    return table_count


def _table_items(table: Any, table_no: int) -> list[_Item]:
    items: list[_Item] = []
    texts = table.extract()
    for row_no, (row, row_texts) in enumerate(zip(table.rows, texts, strict=True), start=1):
        fields = tuple(clean_inline(text or "") for text in row_texts)
        boxes = tuple(tuple(cell) if cell is not None else None for cell in row.cells)
        items.append(_Item(row.bbox[1], fields, boxes, table=table_no, row=row_no))
    return items


def _in_any(obj: dict[str, Any], boxes: list[BBox]) -> bool:
    """A character belongs to a table when its middle is inside the table (pdfplumber's own rule
    for table cells), so a line touching a table's border is still read as text."""
    if obj.get("object_type") != "char":
        return False
    h_mid = (obj["x0"] + obj["x1"]) / 2
    v_mid = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= h_mid < x1 and top <= v_mid < bottom for x0, top, x1, bottom in boxes)


def _text_items(page: Any) -> list[_Item]:
    items: list[_Item] = []
    for line in page.extract_text_lines(return_chars=False):
        box: BBox = (float(line["x0"]), float(line["top"]), float(line["x1"]), float(line["bottom"]))
        items.append(_Item(box[1], (clean_inline(line["text"]),), (box,)))
    return items


def _render(item: _Item, page_no: int, line_no: int) -> tuple[str, tuple[SourceLocation, ...]]:
    if item.table is None:
        location = SourceLocation(DocumentFormat.PDF, page=page_no, line=line_no, bbox=item.boxes[0])
        return item.fields[0], (location,)
    locations = tuple(
        SourceLocation(
            DocumentFormat.PDF,
            page=page_no,
            line=line_no,
            table=item.table,
            row=item.row,
            cell=index,
            bbox=_rounded(box),
            merged=None if box is not None else "covered by a merged cell",
        )
        for index, box in enumerate(item.boxes, start=1)
    )
    fields = list(item.fields)
    if len(fields) > 1 and fields[0] and not any(fields[1:]):
        return fields[0], (locations[0],)  # one cell across the table: a title line
    if not any(fields):
        return "", (locations[0],)
    return "\t".join(fields), locations


def _rounded(box: BBox | None) -> BBox | None:
    if box is None:
        return None
    x0, top, x1, bottom = box
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
