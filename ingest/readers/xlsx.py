"""XLSX reader (openpyxl, ``data_only=True``: the cached values of formulas).

Each sheet's used range, row by row: a row is one line of TAB-separated fields (one per column
of the used range), located per field by sheet and cell address ("D12"). A row whose only
non-empty cell is in the first column (a title typed in column A) is a line without TABs; an
empty row is a blank line. Sheets follow each other in workbook order.

Numbers are written back the way a clerk writes them: a percent-formatted cell 0.6667 is
``66,67%``, an integer is plain (``5327``), a decimal uses ``,`` (``13,5``); dates are
``dd/mm/yyyy``. Merged ranges keep their value in the top-left cell only (openpyxl gives the
other cells no value); their locations carry the range ("A5:A7").

The workbook is opened in normal (not read-only) mode because openpyxl's read-only sheets do not
expose merged ranges; the files units send are small.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from ingest.errors import CorruptDocumentError
from ingest.readers.base import DocumentFormat, DocumentText, SourceLocation, TextBuilder, clean_inline

_PERCENT_PLACES = Decimal("1e-10")


def read_xlsx(path: Path, source_file: str) -> DocumentText:
    """Read an XLSX workbook into its text form with a sheet/cell location per field."""
    workbook = _open(path, source_file)
    builder = TextBuilder(DocumentFormat.XLSX)
    for sheet in workbook.worksheets:
        _add_sheet(sheet, builder)
    return builder.build()


def _open(path: Path, source_file: str) -> Any:
    import openpyxl  # imported late: only XLSX reading needs openpyxl

    try:
        return openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise CorruptDocumentError(
            f"corrupt XLSX: cannot be opened as an Excel workbook ({type(exc).__name__}: {exc})",
            source_file=source_file,
        ) from exc
    except Exception as exc:  # broken XML inside the package
        raise CorruptDocumentError(
            f"corrupt XLSX: its XML cannot be read ({type(exc).__name__}: {exc})", source_file=source_file
        ) from exc


def _merged_ranges(sheet: Any) -> dict[str, str]:
    """Every cell address inside a merged range -> the range ("A5:A7")."""
    ranges: dict[str, str] = {}
    for merged in sheet.merged_cells.ranges:
        for row in sheet.iter_rows(
            min_row=merged.min_row, max_row=merged.max_row, min_col=merged.min_col, max_col=merged.max_col
        ):
            for cell in row:
                ranges[cell.coordinate] = merged.coord
    return ranges


def _add_sheet(sheet: Any, builder: TextBuilder) -> None:
    merged = _merged_ranges(sheet)
    if merged:
        builder.note(f"sheet '{sheet.title}': merged ranges kept once, in their top-left cell")
    for row in sheet.iter_rows(
        min_row=sheet.min_row, max_row=sheet.max_row, min_col=sheet.min_column, max_col=sheet.max_column
    ):
        texts = [format_cell(cell) for cell in row]
        locations = [
            SourceLocation(
                DocumentFormat.XLSX, sheet=sheet.title, address=c.coordinate, merged=merged.get(c.coordinate)
            )
            for c in row
        ]
        _add_row(texts, locations, builder)


def _add_row(texts: list[str], locations: list[SourceLocation], builder: TextBuilder) -> None:
    if not any(texts):
        builder.add("", (locations[0],))
    elif texts[0] and not any(texts[1:]):
        builder.add(texts[0], (locations[0],))
    else:
        builder.add("\t".join(texts), tuple(locations))


def format_cell(cell: Any) -> str:
    """A cell's value as a clerk would write it (see module doc); "" for an empty cell."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return format_number(value, percent="%" in str(cell.number_format))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_inline(str(value))


def format_number(value: int | float | Decimal, *, percent: bool = False) -> str:
    """``0.6667`` (percent) -> ``66,67%``; ``5327.0`` -> ``5327``; ``13.5`` -> ``13,5``."""
    number = Decimal(str(value))
    if percent:
        number = (number * 100).quantize(_PERCENT_PLACES)
    text = _plain(number)
    return f"{text}%" if percent else text


def _plain(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    text = format(number.normalize(), "f")
    return text.replace(".", ",")
