"""Sóc Trăng 2021 template family: a 4-column table with value and unit merged in one cell.

Columns: STT | Chỉ tiêu thống kê | Kết quả thống kê (Đơn vị tính) | Ghi chú. The value cell holds the
figure and its unit together ("25 Nhiệm vụ", "10/10 xã, thị trấn"), or the unit alone when nothing was
reported ("Văn bản"). Sections are roman numerals (often in ``<b>`` tags), groups are numbered, items
are unnumbered and ``- `` items are sub-items. Long cells continue on later lines that start with tabs,
with blank lines and markdown table remnants in between; those continuation fragments are written as
3-column sub-tables without the STT column, so short fragments are aligned to the right.

The structure and hierarchy rules are those of :mod:`ingest.families.tabular`.
"""

from __future__ import annotations

import re

from ingest.families.contract import FamilyParser, TemplateFamily
from ingest.families.tabular import (
    TableSpec,
    find_header,
    header_cells,
    is_stt_header,
    parse_table,
    roman_section_count,
    split_cells,
)
from ingest.records import ParseResult
from ingest.text import clean_cell, label_key, split_lines

FAMILY = "soctrang_2021"

MARKERS = ("tabbed STT | Chỉ tiêu thống kê | Kết quả thống kê | Ghi chú", "cells like '25 Nhiệm vụ'")

SPEC = TableSpec(
    family=FAMILY,
    columns=("code", "label", "value", "note"),
    unit_in_value=True,
    fragments_align_right=True,
)

# A figure followed by unit words in one cell: "25 Nhiệm vụ", "11 Văn bản", "02 Người".
_MERGED = re.compile(r"\d[\d.,/]*\s+[^\W\d_]")
_DOTTED_CODE = re.compile(r"\d+\.\d+\.?")


def score(text: str) -> float:
    """How sure we are that ``text`` is a Sóc Trăng 2021 report (0..1), from its table's shape.

    The table must have a 4-column header (STT, Chỉ tiêu thống kê, Kết quả thống kê, Ghi chú; the
    unit is not a column of its own); then roman-numeral sections, value cells with a unit merged in
    and the absence of national "Biểu mẫu" forms and dotted row codes add confidence.
    """
    lines = split_lines(text)
    index = find_header(lines, is_stt_header)
    if index is None:
        return 0.0
    header = header_cells(lines[index])
    keys = [label_key(cell) for cell in header]
    if len(header) != len(SPEC.columns) or "đơn vị tính" in keys:
        return 0.05
    result = 0.4
    if any(key.startswith("kết quả") for key in keys):
        result += 0.05
    if roman_section_count(lines) >= 2:
        result += 0.2
    rows = [split_cells(line) for line in lines[index + 1 :] if "\t" in line]
    if any(len(cells) == 4 and _MERGED.match(clean_cell(cells[2])) for cells in rows):
        result += 0.15
    if "biểu mẫu" not in text.lower():
        result += 0.1
    if not any(len([c for c in cells if c.strip()]) >= 5 for cells in rows):
        result += 0.05
    if sum(1 for cells in rows if _DOTTED_CODE.fullmatch(clean_cell(cells[0]))) >= 3:
        result -= 0.4
    return max(0.0, min(1.0, result))


def parse(text: str, source_file: str) -> ParseResult:
    """Parse a Sóc Trăng 2021 report (pure). See :func:`ingest.families.tabular.parse_table`."""
    return parse_table(text, source_file, SPEC)


TEMPLATE: TemplateFamily = FamilyParser(FAMILY, MARKERS, score, parse)
