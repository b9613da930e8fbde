"""Tests of the shared tab-separated table machinery, on small tables written the families' way."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.families.tabular import (
    CellRow,
    CodeKind,
    TableSpec,
    assemble_rows,
    classify_code,
    is_dash_label,
    is_stt_header,
    is_table_remnant,
    parse_table,
    resolve_hierarchy,
)
from ingest.records import LineClass, ValueKind

SPEC4 = TableSpec("test4", ("code", "label", "value", "note"), unit_in_value=True, fragments_align_right=True)
SPEC5 = TableSpec(
    "test5", ("code", "label", "unit", "value", "note"), unit_in_value=False, fragments_align_right=False
)


def _row(code: str, label: str, unit: str = "", value: str = "", note: str = "", line: int = 1) -> CellRow:
    return CellRow(line, line, code, label, unit, value, note)


def _paths(rows: list[CellRow]) -> list[tuple[str, str | None, int, bool]]:
    return [(p.row_path, p.parent_row_path, p.depth, p.is_group) for p in resolve_hierarchy(rows)]


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("I", CodeKind.SECTION),
        ("<b>VII</b>", CodeKind.SECTION),
        ("IV.", CodeKind.SECTION),
        ("12", CodeKind.NUMBER),
        ("3.", CodeKind.NUMBER),
        ("-", CodeKind.DASH),
        ("", CodeKind.NONE),
        (" ", CodeKind.NONE),
        ("1.2.3", CodeKind.INVALID),
        ("IIII", CodeKind.INVALID),
        ("Số TTHC", CodeKind.INVALID),
    ],
)
def test_classify_code(cell: str, kind: CodeKind) -> None:
    assert classify_code(cell) is kind


def test_small_helpers() -> None:
    assert is_table_remnant("--\t--\t---")
    assert is_table_remnant("--\t---\t---")
    assert not is_table_remnant("-\tSố TTHC\t1")
    assert not is_table_remnant("")
    assert is_dash_label("- <i>UBND cấp huyện</i>")
    assert is_dash_label("– Trong đơn vị SNCL")
    assert not is_dash_label("-5 độ")
    assert not is_dash_label("Số TTHC")
    assert is_stt_header(["STT", "Chỉ tiêu thống kê", "Kết quả thống kê", "Ghi chú"])
    assert is_stt_header(["THỨ TỰ", "TÊN CHỈ TIÊU", "ĐƠN VỊ TÍNH", "Số lượng", "Ghi chú"])
    assert not is_stt_header(["1", "Kế hoạch CCHC", "", ""])


def test_multiline_fragments_are_joined_and_right_aligned() -> None:
    lines = [
        "1\tKiểm tra\t\tKế hoạch số",
        "",
        "\t\t\t02/KH-UBND",  # a full-width fragment: note column
        "\tSố vấn đề phát hiện\t- Đối với cuộc\tGhi chú một",
        "",
        "\tthanh tra\tphần hai",  # a 3-cell fragment without the STT column: value and note
        "--\t--\t---",
        "",
        "\t\tcuối cùng\t",
        "\tSố khác\t3\t",
    ]
    rows, records = assemble_rows(
        lines, 0, SPEC4.columns, is_header=is_stt_header, fragments_align_right=True
    )
    assert [(r.line_start, r.line_end) for r in rows] == [(1, 3), (4, 9), (10, 10)]
    assert rows[0].note == "Kế hoạch số 02/KH-UBND"
    assert rows[1].value == "- Đối với cuộc thanh tra cuối cùng"
    assert rows[1].note == "Ghi chú một phần hai"
    assert rows[1].label == "Số vấn đề phát hiện"
    assert records == {}  # every line belongs to a row


def test_short_line_right_under_a_row_is_a_row_that_lost_its_trailing_tab() -> None:
    lines = ["\tSố TTHC\t57", "\tSố hồ sơ\t12", "", "\tthêm\tghi chú"]
    rows, _ = assemble_rows(lines, 0, SPEC4.columns, is_header=is_stt_header, fragments_align_right=True)
    # right under a row: a row; after a blank line: a right-aligned fragment (value, note) of the row above
    assert [(r.label, r.value, r.note, r.line_start, r.line_end) for r in rows] == [
        ("Số TTHC", "57", "", 1, 1),
        ("Số hồ sơ", "12 thêm", "ghi chú", 2, 4),
    ]


def test_remnants_and_blanks_outside_rows_keep_their_own_class() -> None:
    lines = ["1\tA\t2\t", "", "--\t--\t---", "\tB\t3\t", "Người lập biểu"]
    rows, records = assemble_rows(lines, 0, SPEC4.columns, is_header=is_stt_header)
    assert len(rows) == 2
    assert records[2].line_class is LineClass.BLANK
    assert records[3].line_class is LineClass.STRUCTURE
    assert records[3].reason == "markdown table remnant"
    assert records[5].line_class is LineClass.STRUCTURE
    assert records[5].reason == "text after the table"


def test_row_that_lost_its_leading_tab_is_shifted() -> None:
    lines = ["Số TTHC tích hợp\tTTHC\t12\t", "\tSố hồ sơ\tHồ sơ\t5\t\t"]
    rows, records = assemble_rows(lines, 0, SPEC5.columns, is_header=is_stt_header)
    assert records == {}
    assert (rows[0].code, rows[0].label, rows[0].unit, rows[0].value) == (
        "",
        "Số TTHC tích hợp",
        "TTHC",
        "12",
    )
    assert (rows[1].label, rows[1].unit, rows[1].value) == ("Số hồ sơ", "Hồ sơ", "5")


def test_broken_number_and_its_continuation_are_quarantined() -> None:
    lines = ["1.2.3\tSố TTHC\t5\tghi", "", "\t\t\tchú", "\tSố khác\t3\t", "Dòng\tkhông\thợp\tlệ\tthừa\tô"]
    rows, records = assemble_rows(
        lines, 0, SPEC4.columns, is_header=is_stt_header, fragments_align_right=True
    )
    assert [r.line_start for r in rows] == [4]
    assert records[1].line_class is LineClass.QUARANTINE
    assert "'1.2.3'" in records[1].reason
    assert records[2].line_class is LineClass.BLANK
    assert records[3].line_class is LineClass.QUARANTINE
    assert "line 1" in records[3].reason
    assert records[5].line_class is LineClass.QUARANTINE  # 6 non-empty cells in a 4-column table


def test_tabless_line_inside_the_table_is_quarantined() -> None:
    lines = ["1\tA\t2\t", "một dòng lạc", "\tB\t3\t"]
    _, records = assemble_rows(lines, 0, SPEC4.columns, is_header=is_stt_header)
    assert records[2].line_class is LineClass.QUARANTINE
    assert "no tab-separated cells" in records[2].reason


def test_hierarchy_groups_items_and_dash_subitems() -> None:
    rows = [
        _row("I", "Section"),
        _row("1", "Group", value="1"),
        _row("", "Item"),
        _row("", "Total:", value="405"),
        _row("", "- Part A", value="269"),
        _row("-", "Part B", value="136"),
        _row("2", "Lonely"),
        _row("", "Item of 2"),
    ]
    assert _paths(rows) == [
        ("I", None, 0, True),
        ("I/1", None, 1, True),
        ("I/1/#1", "I/1", 2, False),
        ("I/1/#2", "I/1", 2, True),
        ("I/1/#2/#1", "I/1/#2", 3, False),
        ("I/1/#2/#2", "I/1/#2", 3, False),
        ("I/2", None, 1, True),
        ("I/2/#1", "I/2", 2, False),
    ]


def test_hierarchy_repeated_numbers_and_items_before_any_group() -> None:
    rows = [
        _row("III", "Section"),
        _row("", "Direct item", value="1"),
        _row("6", "Six", value="1"),
        _row("7", "Seven"),
        _row("", "Item", value="2"),
        _row("6", "Six again", value="1"),
        _row("6", "Six third time", value="1"),
        _row("III", "Same section again"),
        _row("1", "One", value="1"),
    ]
    paths = [p for p, *_ in _paths(rows)]
    assert paths == ["III", "III/#1", "III/6", "III/7", "III/7/#1", "III/6~2", "III/6~3", "III~2", "III~2/1"]
    assert len(set(paths)) == len(paths)


def test_hierarchy_nested_numbered_subgroups() -> None:
    rows = [
        _row("VII", "Section"),
        _row("7", "BCCI"),
        _row("8", "UBND cấp huyện"),
        _row("9", "- Số TTHC", unit="TTHC", value="268"),
        _row("", "- Tổng số hồ sơ", unit="Hồ sơ"),
        _row("11", "UBND cấp xã"),
        _row("", "- Số TTHC", unit="TTHC"),
        _row("12", "ISO", note="Kế hoạch"),
        _row("", "Số đơn vị", value="1"),
    ]
    assert _paths(rows) == [
        ("VII", None, 0, True),
        ("VII/7", None, 1, True),
        ("VII/7/8", "VII/7", 2, True),
        ("VII/7/8/9", "VII/7/8", 3, False),
        ("VII/7/8/#2", "VII/7/8", 3, False),
        ("VII/7/11", "VII/7", 2, True),
        ("VII/7/11/#1", "VII/7/11", 3, False),
        ("VII/12", None, 1, True),
        ("VII/12/#1", "VII/12", 2, False),
    ]


def test_a_numbered_row_after_a_group_with_a_value_is_not_nested() -> None:
    rows = [_row("I", "S"), _row("4", "Has value", value="0"), _row("5", "Heading"), _row("", "x", value="1")]
    assert [p for p, *_ in _paths(rows)] == ["I", "I/4", "I/5", "I/5/#1"]


def test_rows_without_sections() -> None:
    rows = [_row("1", "Group"), _row("", "Item", value="3")]
    assert _paths(rows) == [("1", None, 1, True), ("1/#1", "1", 2, False)]


def test_parse_table_end_to_end_with_section_value(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "BÁO CÁO",
            "",
            "STT\tChỉ tiêu thống kê\tKết quả\tGhi chú",
            "I\tSection with a value\t3 Văn bản\t",
            "1\tGroup\t\t",
            "\tItem\t1.2.3\t",
            "\tOther⁶\t12/12\tđạt 99,95%",
            "II\tEmpty section\t\t",
            "Ghi chú cuối",
        ]
    )
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    result = parse_table(path.read_text(encoding="utf-8"), str(path), SPEC4)
    assert [r.row_path for r in result.rows] == ["I", "I/1", "I/1/#2"]
    section = result.rows[0]
    assert (section.depth, section.is_group, section.unit) == (0, True, "Văn bản")
    assert section.value.number == Decimal(3)
    other = result.rows[2]
    assert other.value.kind is ValueKind.RATIO
    assert other.footnote_marks == ("⁶",)
    assert other.label == "Other"
    assert [f.value.number for f in other.note_facts] == [Decimal("99.95")]
    classes = [r.line_class for r in result.lines]
    assert classes == [
        LineClass.STRUCTURE,
        LineClass.BLANK,
        LineClass.STRUCTURE,
        LineClass.STATISTIC,
        LineClass.STATISTIC,
        LineClass.QUARANTINE,  # "1.2.3" is not a value
        LineClass.STATISTIC,
        LineClass.STRUCTURE,
        LineClass.STRUCTURE,
    ]
    assert "unreadable value" in result.lines[5].reason


def test_parse_table_errors_name_file_and_line() -> None:
    with pytest.raises(ParseError) as no_header:
        parse_table("just\nsome text\n", "a.txt", SPEC4)
    assert str(no_header.value).startswith("a.txt: ")
    assert "column header" in str(no_header.value)
    with pytest.raises(ParseError) as wrong_width:
        parse_table("title\nSTT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú\n1\tA\t\t\t\n", "b.txt", SPEC4)
    assert str(wrong_width.value).startswith("b.txt:2: ")
    assert "5 columns" in str(wrong_width.value)
    with pytest.raises(ParseError) as no_rows:
        parse_table("STT\tChỉ tiêu\tKết quả\tGhi chú\n\n", "c.txt", SPEC4)
    assert str(no_rows.value).startswith("c.txt:1: ")
