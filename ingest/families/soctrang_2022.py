"""Sóc Trăng 2022 template family: a 5-column tab-separated table.

Columns: THỨ TỰ | TÊN CHỈ TIÊU | ĐƠN VỊ TÍNH | Số lượng/ Tỷ lệ | Ghi chú. Sections are roman numerals,
groups are numbered (numbers repeat or restart inside a section), items are unnumbered and ``- ``
items are sub-items; a few groups hold numbered sub-groups ("8 UBND cấp huyện" under "7 Dịch vụ bưu
chính công ích"). Some rows lose their leading tab (label in the first column): they are shifted back.

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

FAMILY = "soctrang_2022"

MARKERS = ("tabbed THỨ TỰ | TÊN CHỈ TIÊU | ĐƠN VỊ TÍNH | Số lượng/ Tỷ lệ | Ghi chú",)

SPEC = TableSpec(
    family=FAMILY,
    columns=("code", "label", "unit", "value", "note"),
    unit_in_value=False,
    fragments_align_right=False,
)

_NUMERIC = re.compile(r"[\d.,%/ ]*\d[\d.,%/ ]*")
_DOTTED_CODE = re.compile(r"\d+\.\d+\.?")


def score(text: str) -> float:
    """How sure we are that ``text`` is a Sóc Trăng 2022 report (0..1), from its table's shape.

    The table must have a one-line 5-column header whose third column is the unit ("ĐƠN VỊ TÍNH");
    then roman-numeral sections, a numeric fourth column and the absence of national "Biểu mẫu" forms
    and dotted row codes add confidence.
    """
    lines = split_lines(text)
    index = find_header(lines, is_stt_header)
    if index is None:
        return 0.0
    header = header_cells(lines[index])
    keys = [label_key(cell) for cell in header]
    if len(header) != len(SPEC.columns):
        return 0.05
    result = 0.25
    if len(keys) > 2 and keys[2] == "đơn vị tính":
        result += 0.2
    if roman_section_count(lines) >= 2:
        result += 0.2
    rows = [split_cells(line) for line in lines[index + 1 :] if "\t" in line]
    values = [clean_cell(cells[3]) for cells in rows if len(cells) == 5 and clean_cell(cells[3])]
    if values and sum(1 for v in values if _NUMERIC.fullmatch(v)) / len(values) >= 0.8:
        result += 0.15
    if "biểu mẫu" not in text.lower():
        result += 0.15
    if sum(1 for cells in rows if _DOTTED_CODE.fullmatch(clean_cell(cells[0]))) >= 3:
        result -= 0.4
    return max(0.0, min(1.0, result))


def parse(text: str, source_file: str) -> ParseResult:
    """Parse a Sóc Trăng 2022 report (pure). See :func:`ingest.families.tabular.parse_table`."""
    return parse_table(text, source_file, SPEC)


TEMPLATE: TemplateFamily = FamilyParser(FAMILY, MARKERS, score, parse)
