"""Build the original documents a unit's clerk would send, from a sample's text parse.

The sample's statistics table (as the text parser read it) is laid out as document blocks:
paragraphs (titles, narrative) and tables (header rows, section rows, one row per statistic row
with code, label, unit, value and note in their own cells). Writers turn the blocks into a DOCX
(python-docx, merged header and group cells) and an XLSX (openpyxl, numbers typed as numbers,
percent cells formatted as percent, merged ranges). Each statistic row remembers the cell its
value was written to, so tests can check the readers' locations.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ingest.records import LineClass, ParseResult, StatRow, ValueKind

SKIPPED_STRUCTURE = frozenset({"repeated page header", "repeated table header"})
HEADER_REASONS = frozenset({"table header", "column header", "column header (continued)"})
SECTION_REASONS = frozenset({"section row", "section title"})
# The national form's two header rows, for samples whose header is not TAB-separated (PDF text).
NATIONAL_HEADER = (
    (
        "STT",
        "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)",
        "Kết quả thống kê",
        "",
        "Ghi chú",
    ),
    ("", "", "Đơn vị tính", "Số liệu", ""),
)

COLUMNS = {
    "soctrang_2021": ("code", "label", "value", "note"),
    "soctrang_2022": ("code", "label", "unit", "value", "note"),
    "national_2023": ("code", "label", "unit", "value", "note"),
    "national_commune_2024": ("code", "label", "unit", "value", "note"),
}


@dataclass
class Row:
    cells: list[str]
    kind: str  # "header" | "section" | "stat" | "other"
    stat: StatRow | None = None


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max(len(row.cells) for row in self.rows)


@dataclass(frozen=True)
class Paragraph:
    text: str


Block = Paragraph | Table


@dataclass(frozen=True)
class CellRef:
    """Where a statistic row's value was written: DOCX table/row/cell or XLSX address (1-based)."""

    table: int
    row: int
    cell: int
    address: str = ""


def _stat_cells(row: StatRow, columns: tuple[str, ...]) -> list[str]:
    values = {
        "code": row.row_code,
        "label": row.raw_label,
        "unit": row.raw_unit,
        "value": row.value.raw,
        "note": row.raw_note,
    }
    return [values[name] for name in columns]


def _section_cells(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    code, _, label = line.strip().partition(" ")
    return [code, label.strip()]


class _Layout:
    """Walks the sample's lines and groups them into blocks."""

    def __init__(self, result: ParseResult, lines: list[str]) -> None:
        self.columns = COLUMNS[result.family]
        self.lines = lines
        self.starts = {row.line_start: row for row in result.rows}
        self.records = {record.line_no: record for record in result.lines}
        self.blocks: list[Block] = []
        self.synthetic_header_done = False

    def table(self) -> Table:
        if not self.blocks or not isinstance(self.blocks[-1], Table):
            self.blocks.append(Table())
            self.synthetic_header_done = False
        block = self.blocks[-1]
        assert isinstance(block, Table)
        return block

    def in_table(self) -> bool:
        return bool(self.blocks) and isinstance(self.blocks[-1], Table)

    def run(self) -> list[Block]:
        line_no = 1
        while line_no <= len(self.lines):
            stat = self.starts.get(line_no)
            if stat is not None:
                self.table().rows.append(Row(_stat_cells(stat, self.columns), "stat", stat))
                line_no = stat.line_end + 1
                continue
            self.place(line_no)
            line_no += 1
        return self.blocks

    def place(self, line_no: int) -> None:
        line = self.lines[line_no - 1]
        record = self.records[line_no]
        if record.line_class is LineClass.BLANK or record.reason in SKIPPED_STRUCTURE:
            if not self.in_table() and record.line_class is LineClass.BLANK:
                self.blocks.append(Paragraph(""))
            return
        if record.reason in HEADER_REASONS:
            self.header(line)
        elif record.reason in SECTION_REASONS:
            self.table().rows.append(Row(_section_cells(line), "section"))
        elif "\t" in line:
            self.table().rows.append(Row(line.split("\t"), "other"))
        else:
            self.blocks.append(Paragraph(line.strip()))

    def header(self, line: str) -> None:
        if "\t" in line:
            self.table().rows.append(Row(line.split("\t"), "header"))
            return
        table = self.table()
        if not self.synthetic_header_done:
            table.rows.extend(Row(list(cells), "header") for cells in NATIONAL_HEADER)
            self.synthetic_header_done = True


def sample_blocks(result: ParseResult, text: str) -> list[Block]:
    """The sample laid out as paragraphs and tables (see module doc)."""
    blocks = _Layout(result, text.splitlines()).run()
    for block in blocks:
        if isinstance(block, Table):
            width = block.width
            for row in block.rows:
                row.cells.extend([""] * (width - len(row.cells)))
    return blocks


def _is_group_row(row: Row) -> bool:
    """A row with code and label only: the clerk merges the label across the empty cells."""
    return row.kind in {"section", "stat", "other"} and bool(row.cells[1]) and not any(row.cells[2:])


# ------------------------------------------------------------------------------------------------
# DOCX
# ------------------------------------------------------------------------------------------------


def write_docx(
    blocks: list[Block], path: Path, value_column: int, *, vertical_merges: bool = True
) -> dict[int, CellRef]:
    """Write the blocks as a DOCX; returns stat row seq -> the cell of its value.

    ``vertical_merges=False`` keeps the two header rows unmerged vertically: LibreOffice draws the
    text of a vertically merged cell of a header row repeated on a new page over the next row, so
    the DOCX made for PDF conversion leaves them apart (header rows repeat on every page).
    """
    import docx

    document = docx.Document()
    refs: dict[int, CellRef] = {}
    table_no = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text)
            continue
        table_no += 1
        table = document.add_table(rows=len(block.rows), cols=block.width)
        table.style = "Table Grid"
        _fill_docx_table(table, block)
        _merge_docx_table(table, block, vertical_merges)
        for index, row in enumerate(block.rows, start=1):
            if row.stat is not None:
                refs[row.stat.seq] = CellRef(table_no, index, value_column + 1)
    document.save(str(path))
    return refs


def _fill_docx_table(table: Any, block: Table) -> None:
    from docx.oxml import OxmlElement

    for row, spec in zip(table.rows, block.rows, strict=True):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if spec.kind == "header":
            properties.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
        for cell, text in zip(row.cells, spec.cells, strict=True):
            cell.text = text


def _merge_docx_table(table: Any, block: Table, vertical_merges: bool) -> None:
    """Group rows: label merged across the empty cells; header: empty cells merged with the one above."""
    headers = [i for i, row in enumerate(block.rows) if row.kind == "header"]
    for i, row in enumerate(block.rows):
        if _is_group_row(row):
            table.cell(i, 1).merge(table.cell(i, block.width - 1))
            table.cell(i, 1).text = row.cells[1]
    if len(headers) == 2 and headers[1] == headers[0] + 1:
        top, bottom = headers
        for col in range(block.width if vertical_merges else 0):
            above, below = block.rows[top].cells[col], block.rows[bottom].cells[col]
            if above and not below:
                table.cell(top, col).merge(table.cell(bottom, col))
                table.cell(top, col).text = above
        _merge_header_span(table, block, top)


def _merge_header_span(table: Any, block: Table, top: int) -> None:
    """The "Kết quả thống kê" header cell spans the unit and value columns (merged to its right)."""
    cells = block.rows[top].cells
    for col in range(block.width - 1):
        if cells[col].startswith("Kết quả") and not cells[col + 1] and block.rows[top + 1].cells[col + 1]:
            table.cell(top, col).merge(table.cell(top, col + 1))
            table.cell(top, col).text = cells[col]


# ------------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+|[1-9]\d*|0|\d+,\d+|\d+\.\d+")


def typed_value(row: StatRow) -> tuple[Any, str | None]:
    """The value as a clerk types it in Excel: a number (percent as a fraction) and its format."""
    raw, value = row.value.raw.strip(), row.value
    if value.number is None or value.kind not in {ValueKind.COUNT, ValueKind.PERCENT}:
        return raw, None
    body = raw.removesuffix("%").strip()
    if not _NUMBER.fullmatch(body):
        return raw, None
    number: Decimal = value.number
    if raw.endswith("%"):
        places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
        return float(number / 100), "0%" if places == 0 else "0." + "0" * places + "%"
    if number == number.to_integral_value():
        return int(number), "#,##0"
    return float(number), "0.00"


def write_xlsx(blocks: list[Block], path: Path, value_column: int, sheet: str = "Biểu") -> dict[int, CellRef]:
    """Write the blocks on one sheet (paragraphs in column A); returns stat row seq -> value cell."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    refs: dict[int, CellRef] = {}
    r = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            r += 1
            ws.cell(row=r, column=1, value=block.text or None)
            continue
        for row in block.rows:
            r += 1
            _write_xlsx_row(ws, r, row, value_column)
            if row.stat is not None:
                address = f"{get_column_letter(value_column + 1)}{r}"
                refs[row.stat.seq] = CellRef(0, r, value_column + 1, address)
    workbook.save(str(path))
    return refs


def _write_xlsx_row(ws: Any, r: int, row: Row, value_column: int) -> None:
    for col, text in enumerate(row.cells, start=1):
        value: Any = text or None
        number_format = None
        if row.stat is not None and col == value_column + 1 and text:
            value, number_format = typed_value(row.stat)
        cell = ws.cell(row=r, column=col, value=value)
        if number_format:
            cell.number_format = number_format
    if _is_group_row(row):
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(row.cells))


def find_soffice() -> str:
    """LibreOffice's ``soffice``; the test fails (never skips) without it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is missing: run `make system-deps` as root")
    return soffice


def convert(soffice: str, sources: list[Path], target: str, outdir: Path) -> None:
    """Convert ``sources`` to ``target`` (``pdf``, ``odt``, ``doc``...) with LibreOffice headless into
    ``outdir`` (its own LibreOffice profile there, so parallel runs do not share one)."""
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{outdir / 'profile'}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
