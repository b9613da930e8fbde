"""What every reader returns: the text the family parsers read, and where each line came from.

A reader turns an original document into the plain text form of the template families (table
rows as cells joined by TAB, paragraphs as lines) and keeps, for every line of that text, the
places in the document it was read from (:class:`SourceLocation`). Indices in locations are
1-based, as a person counts them: table 1, row 1, cell 1, paragraph 1, page 1, line 1.

Invariant of :class:`DocumentText`: ``len(locations) == len(split_lines(text))`` and, for a line
rendered from a table row, ``locations[i]`` holds one location per TAB-separated field, in order,
so the k-th field of the line (the value cell, the unit cell) maps to ``locations[i][k]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ingest.text import split_lines


class DocumentFormat(StrEnum):
    """The formats the readers tell apart by content."""

    TEXT = "text"
    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"
    DOC = "doc"  # legacy Word (OLE2)
    XLS = "xls"  # legacy Excel (OLE2)
    ENCRYPTED_OOXML = "encrypted-ooxml"  # a password-protected DOCX/XLSX (OLE2 + EncryptedPackage)
    UNKNOWN = "unknown"


BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points from the page's top-left


@dataclass(frozen=True)
class SourceLocation:
    """One place in an original document, as precise as its format allows (1-based indices).

    - text: ``line`` (line of the file)
    - docx: ``paragraph`` (body paragraph) or ``table``/``row``/``cell`` (cell = grid column);
      ``merged`` when the cell spans several grid columns or continues a vertical merge
    - xlsx: ``sheet`` and ``address`` ("B12"); ``merged`` holds the merged range ("A5:A7") if any
    - pdf: ``page``, ``line`` (line on the page) and ``bbox``; ``table``/``row``/``cell`` when the
      line is a row of a ruled table found on the page
    """

    format: DocumentFormat
    line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    sheet: str | None = None
    address: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    merged: str | None = None

    def as_columns(self) -> dict[str, str | int | float | None]:
        """Flat lineage columns for a table row (the bbox split in four; absent parts are None)."""
        x0, top, x1, bottom = self.bbox if self.bbox is not None else (None, None, None, None)
        return {
            "source_format": self.format.value,
            "source_line": self.line,
            "source_paragraph": self.paragraph,
            "source_table": self.table,
            "source_row": self.row,
            "source_cell": self.cell,
            "source_sheet": self.sheet,
            "source_address": self.address,
            "source_page": self.page,
            "bbox_x0": x0,
            "bbox_top": top,
            "bbox_x1": x1,
            "bbox_bottom": bottom,
            "source_merged": self.merged,
            "source_place": self.describe(),
        }

    def describe(self) -> str:
        """A short human form: "docx table 2 row 5 cell 4", "xlsx 'Biểu 1'!D12", "pdf page 3 line 7"."""
        if self.format is DocumentFormat.XLSX:
            return f"xlsx '{self.sheet}'!{self.address}"
        parts = [self.format.value]
        for name in ("page", "table", "row", "cell", "paragraph", "line"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name} {value}")
        if self.bbox is not None:
            parts.append("bbox (" + ", ".join(f"{v:.1f}" for v in self.bbox) + ")")
        return " ".join(parts)


@dataclass(frozen=True)
class DocumentText:
    """The text form of a document and the locations of each of its lines (see module doc)."""

    text: str
    locations: tuple[tuple[SourceLocation, ...], ...]
    format: DocumentFormat = DocumentFormat.TEXT
    notes: tuple[str, ...] = field(default=())  # what the reader did: merged cells, tracked changes...

    def __post_init__(self) -> None:
        count = len(split_lines(self.text))
        if count != len(self.locations):
            raise ValueError(f"{count} lines of text but {len(self.locations)} location entries")

    def line_locations(self, line_no: int) -> tuple[SourceLocation, ...]:
        """Locations of one 1-based line of :attr:`text`."""
        return self.locations[line_no - 1]

    def span_locations(self, line_start: int, line_end: int) -> tuple[SourceLocation, ...]:
        """Locations of the 1-based inclusive line range of a parsed record, in order, without repeats."""
        seen: dict[SourceLocation, None] = {}
        for line in range(line_start, line_end + 1):
            for location in self.locations[line - 1]:
                seen.setdefault(location, None)
        return tuple(seen)

    def line_place(self, line_no: int) -> str:
        """Where one line of :attr:`text` stands in the document, for a person: the table row of a
        table line ("docx table 1 row 3", "xlsx 'Biểu'!A12:E12"), else the place of its first part."""
        return describe_span(self.line_locations(line_no))

    def field_location(self, line_no: int, field_index: int) -> SourceLocation | None:
        """Location of the 0-based TAB-separated field of a line (a table cell), if the line has it."""
        locations = self.line_locations(line_no)
        if len(locations) <= 1:
            return locations[0] if locations else None
        return locations[field_index] if field_index < len(locations) else None


def describe_span(locations: tuple[SourceLocation, ...]) -> str:
    """One short description of several locations: a table row's cells become the row, an XLSX row
    its address range; anything else is described by its first location ("" when there is none)."""
    if not locations:
        return ""
    first = locations[0]
    if len(locations) == 1:
        return first.describe()
    if first.format is DocumentFormat.XLSX:
        return f"xlsx '{first.sheet}'!{first.address}:{locations[-1].address}"
    if first.table is not None and all((x.table, x.row) == (first.table, first.row) for x in locations):
        return " ".join(
            f"{name} {value}"
            for name, value in (("page", first.page), ("table", first.table), ("row", first.row))
            if value is not None
        ).join((f"{first.format.value} ", ""))
    return first.describe()


class TextBuilder:
    """Accumulates lines and their locations, keeping the one-entry-per-line invariant."""

    def __init__(self, fmt: DocumentFormat) -> None:
        self.format = fmt
        self._lines: list[str] = []
        self._locations: list[tuple[SourceLocation, ...]] = []
        self.notes: list[str] = []

    def add(self, line: str, locations: tuple[SourceLocation, ...]) -> None:
        """One line of text (no line breaks inside) and where it came from."""
        self._lines.append(" ".join(split_lines(line)))
        self._locations.append(locations)

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def build(self) -> DocumentText:
        text = "\n".join(self._lines) + ("\n" if self._lines else "")
        return DocumentText(text, tuple(self._locations), self.format, tuple(self.notes))


def clean_inline(text: str) -> str:
    """Cell or paragraph text on one line: line breaks and tabs become spaces, ends trimmed."""
    return " ".join(text.split())
