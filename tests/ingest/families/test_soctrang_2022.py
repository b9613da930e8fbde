"""Sóc Trăng 2022 family parser, on the real sample (thị xã Vĩnh Châu, Q3 2022) and altered copies.

Every expected value below was read by eye from data/reports/soctrang-vinhchau-2022-q3.txt.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from family_test_helpers import (
    REPORTS_DIR,
    TEMPLATE_ROWS_DIR,
    assert_every_line_numbered,
    assert_score_picks_its_sample,
    edited_copy,
    line_class_counts,
    read_template_rows_seed,
    rows_by_line,
    sample_fixtures,
)
from rapidfuzz import fuzz

from ingest.errors import ParseError
from ingest.families import soctrang_2021, soctrang_2022
from ingest.records import LineClass, ParseResult, ValueKind
from ingest.text import label_key

SAMPLE = REPORTS_DIR / "soctrang-vinhchau-2022-q3.txt"
SEED = TEMPLATE_ROWS_DIR / "template_rows_soctrang_2022.csv"

C, P, R, K, E = ValueKind.COUNT, ValueKind.PERCENT, ValueKind.RATIO, ValueKind.CODE, ValueKind.EMPTY


text, result = sample_fixtures(SAMPLE, soctrang_2022.parse)


# (line, kind, number, unit as written in the unit column) read from the document.
HAND_CHECKED: list[tuple[int, ValueKind, str | None, str]] = [
    (12, P, "66.67", "%"),  # "66,67" with unit "%": decimal comma, value on a group row
    (13, P, "27", "%"),  # the sample writes "%" as the unit of a count: kept as written
    (14, C, "18", "Nhiệm vụ"),
    (15, C, "45", "Văn bản"),
    (17, C, "3", "Cơ quan, đơn vị"),
    (18, E, None, "Cơ quan, đơn vị"),  # empty value: not reported
    (20, C, "6", "Cơ quan, đơn vị"),
    (21, C, "21", "Vấn đề"),
    (24, P, "63.64", "%"),
    (25, E, None, "Tin, bài"),
    (27, C, "105", "Tin, bài"),
    (28, K, "1", "Có = 1 Không = 0"),
    (30, C, "0", ""),  # value on the group row "4 Thực hiện nhiệm vụ UBND tỉnh giao"
    (34, K, "1", "Không = 0; Có = 1"),
    (35, K, "6", "Không = 0; Có = 1"),  # 6 is not in the code list: kept, the audit flags it
    (37, C, "17", "Số lượng"),
    (39, K, "1", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2"),
    (40, P, "100", "%"),
    (41, K, "1", "Có = 1 Không = 0"),  # second "6"
    (42, K, "1", "Tốt = 1 Có vi phạm = 0"),  # second "7"
    (43, E, None, ""),  # "8 Kết quả thực hiện nhiệm vụ khác": nothing at all
    (57, C, "1", ""),  # no unit written
    (76, C, "413", "Thủ tục"),
    (77, C, "274", "Thủ tục"),
    (78, C, "139", "Thủ tục"),
    (88, C, "5327", "Hồ sơ"),  # "5.327"
    (89, C, "4825", ""),
    (90, C, "4823", "Hồ sơ"),  # note "99,95%"
    (91, C, "24744", "Hồ sơ"),  # "24.744"
    (110, C, "1820", "Người"),  # "1.820"
    (145, E, None, "Đã thực hiện = 1 Chưa thực hiện = 0"),
    (156, C, "5", ""),  # value on the group row "6 Số liệu về xử lý kỷ luật ..."
    (170, C, "47", ""),  # value on the group row "3 Số lượng đơn vị sự nghiệp công lập ..."
    (178, E, None, "Người"),  # value empty, "1" written in the note column
    (187, C, "2870", "Văn bản"),  # "2.870"
    (192, C, "1272", "Văn bản"),  # note "55,2%"
    (207, E, None, "TTHC"),  # row that lost its leading tab
    (212, K, "1", "Có = 1; Không = 0"),
    (213, C, "23", "Người"),
    (215, C, "4", "Người"),
    (222, C, "268", "TTHC"),  # "9 - Số lượng TTHC đã công bố ..."
    (238, C, "2", "Cơ quan, đơn vị"),
    (240, E, None, "Cơ quan, đơn vị"),  # last line of the file
]


def test_hand_checked_values(result: ParseResult) -> None:
    rows = rows_by_line(result)
    assert len(HAND_CHECKED) >= 30
    for line, kind, number, unit in HAND_CHECKED:
        row = rows[line]
        where = f"line {line}: {row.label}"
        assert (row.line_start, row.line_end) == (line, line), where  # no multi-line cells in 2022
        assert row.value.kind is kind, where
        assert row.value.number == (Decimal(number) if number is not None else None), where
        assert row.unit == unit, where
        assert row.raw_unit == unit, where
        assert row.value.unit_in_value is None, where


def test_note_facts(result: ParseResult) -> None:
    rows = rows_by_line(result)

    def percents(line: int) -> list[Decimal | None]:
        return [f.value.number for f in rows[line].note_facts if f.value.kind is ValueKind.PERCENT]

    assert rows[90].raw_note == "99,95%"
    assert percents(90) == [Decimal("99.95")]
    assert percents(93) == [Decimal(100)]
    assert percents(188) == [Decimal(100)]
    assert percents(189) == [Decimal(18)]
    assert percents(192) == [Decimal("55.2")]
    assert all((f.line_start, f.line_end) == (192, 192) for f in rows[192].note_facts)
    assert rows[178].note == "1"
    assert rows[40].note == "64/64"
    assert rows[24].note == "07/11 nội dung"


def test_row_count(result: ParseResult) -> None:
    # Counted by hand from the document: 240 lines; 23 blank (1, 2, 6, 9, 19, 29, 38, 50, 62, 68, 84,
    # 97, 112, 124, 136, 147, 161, 172, 182, 194, 206, 216, 230); 5 title lines (3, 4, 5, 7, 8), the
    # column header (10) and 7 section titles without a value (11, 44, 64, 94, 133, 167, 176). Every
    # other line is one row (no multi-line cells): 240 - 23 - 13 = 204 rows.
    # Per section: I 29 (12-43), II 17 (45-63), III 27 (65-93), IV 35 (95-132), V 30 (134-166),
    # VI 7 (168-175), VII 59 (177-240).
    assert len(result.rows) == 204
    per_section: dict[str, int] = {}
    for row in result.rows:
        per_section[row.section_code] = per_section.get(row.section_code, 0) + 1
    assert per_section == {"I": 29, "II": 17, "III": 27, "IV": 35, "V": 30, "VI": 7, "VII": 59}


def test_line_accounting(text: str, result: ParseResult) -> None:
    assert_every_line_numbered(result, text, 240)
    cls = {rec.line_no: rec.line_class for rec in result.lines}
    expected = {
        2: LineClass.BLANK,
        3: LineClass.STRUCTURE,  # "PHỤ LỤC"
        5: LineClass.STRUCTURE,  # "QUÝ III NĂM 2022 CỦA THỊ XÃ VĨNH CHÂU"
        10: LineClass.STRUCTURE,  # column header
        11: LineClass.STRUCTURE,  # section I
        64: LineClass.STRUCTURE,  # section III
        12: LineClass.STATISTIC,
        19: LineClass.BLANK,
        207: LineClass.STATISTIC,  # lost its leading tab
        216: LineClass.BLANK,
        221: LineClass.STATISTIC,  # "8 UBND cấp huyện": group row without value
        240: LineClass.STATISTIC,
    }
    assert {line: cls[line] for line in expected} == expected
    assert result.quarantined == ()
    counts = line_class_counts(result)
    assert counts == {
        LineClass.STATISTIC: 204,
        LineClass.STRUCTURE: 13,
        LineClass.BLANK: 23,
        LineClass.NARRATIVE: 0,
        LineClass.QUARANTINE: 0,
    }
    assert result.narrative == ()
    assert result.family == "soctrang_2022"


def test_repeated_and_restarted_numbering(result: ParseResult) -> None:
    rows = rows_by_line(result)
    paths = [row.row_path for row in result.rows]
    assert len(set(paths)) == len(paths)
    known = set(paths)
    assert all(row.parent_row_path is None or row.parent_row_path in known for row in result.rows)
    # "6", "7" twice in section I: the second ones are disambiguated
    assert [(rows[n].row_code, rows[n].row_path) for n in (35, 36, 41, 42, 43)] == [
        ("6", "I/6"),
        ("7", "I/7"),
        ("6", "I/6~2"),
        ("7", "I/7~2"),
        ("8", "I/8"),
    ]
    assert rows[40].parent_row_path == "I/7"
    # section III: two items before group 1, then 1, 2, 4, 5, 6
    assert [rows[n].row_path for n in (65, 66, 67, 73, 79)] == ["III/#1", "III/#2", "III/1", "III/2", "III/4"]
    assert rows[65].parent_row_path is None and rows[65].depth == 1
    # "7 Dịch vụ bưu chính công ích" holds the sub-groups "8 UBND cấp huyện" and "11 UBND cấp xã";
    # "9" and "10" are items of 8; "12 Áp dụng ISO" is a group of section VII again.
    expected = {
        220: ("7", "VII/7", None, 1, True),
        221: ("8", "VII/7/8", "VII/7", 2, True),
        222: ("9", "VII/7/8/9", "VII/7/8", 3, False),
        223: ("", "VII/7/8/#2", "VII/7/8", 3, False),
        226: ("10", "VII/7/8/10", "VII/7/8", 3, False),
        227: ("11", "VII/7/11", "VII/7", 2, True),
        233: ("", "VII/7/11/#5", "VII/7/11", 3, False),
        234: ("12", "VII/12", None, 1, True),
        235: ("", "VII/12/#1", "VII/12", 2, False),
    }
    got = {
        n: (rows[n].row_code, rows[n].row_path, rows[n].parent_row_path, rows[n].depth, rows[n].is_group)
        for n in expected
    }
    assert got == expected


def test_hierarchy_items_and_subitems(result: ParseResult) -> None:
    rows = rows_by_line(result)
    # values on group rows
    assert (rows[30].row_path, rows[30].is_group, rows[30].value.number) == ("I/4", True, Decimal(0))
    assert (rows[156].row_path, rows[156].is_group) == ("V/6", True)
    # "- " rows are sub-items of the row above them
    assert (rows[187].row_path, rows[187].is_group) == ("VII/4/#2", True)
    assert rows[188].parent_row_path == "VII/4/#2" and rows[188].depth == 3
    assert rows[199].parent_row_path == "VII/6/#1"
    # rows that lost their leading tab are plain items of the open group
    assert [rows[n].row_path for n in (207, 215, 217)] == ["VII/6/#3", "VII/6/#11", "VII/6/#12"]
    assert rows[207].label.startswith("Số TTHC cung cấp trực tuyến mức độ 3 và mức độ 4 đã tích hợp")
    assert rows[207].row_code == ""
    assert rows[207].section_label == "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"
    # a group without a value is a row with an EMPTY value
    assert rows[36].value.kind is ValueKind.EMPTY and rows[36].is_group


def test_score_discriminates(text: str) -> None:
    assert_score_picks_its_sample(soctrang_2022.score, SAMPLE.name, 0.8)
    assert soctrang_2022.score(text) > soctrang_2021.score(text)
    assert soctrang_2022.score("") == 0.0
    assert soctrang_2022.score("Một báo cáo\nkhông có bảng\n") == 0.0


# ---------------------------------------------------------------------------------------------------
# Altered copies (design for the family, not the sample)
# ---------------------------------------------------------------------------------------------------


def test_broken_row_number_is_quarantined(tmp_path: Path, text: str) -> None:
    broken = edited_copy(
        tmp_path, text, {17: "1.2.3\tSố phòng ban đã kiểm tra\tCơ quan, đơn vị\t3\tĐạt 03/03 phòng"}
    )
    result = soctrang_2022.parse(broken, "copy.txt")
    assert [rec.line_no for rec in result.quarantined] == [17]
    assert "'1.2.3'" in result.quarantined[0].reason
    assert len(result.rows) == 203
    assert rows_by_line(result)[18].row_path == "I/2/#1"  # the next item still sits in group 2


def test_unreadable_value_is_quarantined(tmp_path: Path, text: str) -> None:
    broken = edited_copy(tmp_path, text, {14: "\tSố nhiệm vụ đã hoàn thành\tNhiệm vụ\t1.2.3\t"})
    result = soctrang_2022.parse(broken, "copy.txt")
    assert [rec.line_no for rec in result.quarantined] == [14]
    assert "unreadable value" in result.quarantined[0].reason
    assert "1.2.3" in result.quarantined[0].reason


def test_missing_header_is_a_clean_error(tmp_path: Path, text: str) -> None:
    broken = edited_copy(tmp_path, text, {10: None})
    with pytest.raises(ParseError) as error:
        soctrang_2022.parse(broken, "copy.txt")
    assert str(error.value).startswith("copy.txt: ")
    assert "header" in str(error.value)


def test_extra_row_typo_and_empty_value_still_parse(tmp_path: Path, text: str) -> None:
    altered = edited_copy(
        tmp_path,
        text,
        {
            14: "\tSo nhiem vu da hoan thanh\tNhiệm vụ\t20\t",  # typo'd label, other value
            88: "\tSố hồ sơ TTHC do UBND cấp huyện tiếp nhận\tHồ sơ\t\t",  # empty value
            208: "\tTổng số hồ sơ TTHC đã tiếp nhận\tTTHC\t12\t",  # this copy kept its leading tab
        },
        insert={15: "\tSố văn bản khác\tVăn bản\t1.234\t"},  # extra item in group 1
    )
    result = soctrang_2022.parse(altered, "copy.txt")
    assert result.quarantined == ()
    assert len(result.rows) == 205
    rows = rows_by_line(result)
    assert (rows[14].label, rows[14].value.number, rows[14].row_path) == (
        "So nhiem vu da hoan thanh",
        Decimal(20),
        "I/1/#2",
    )
    assert (rows[16].row_path, rows[16].value.number) == ("I/1/#4", Decimal(1234))
    assert rows[17].row_path == "I/2"
    assert rows[89].value.kind is ValueKind.EMPTY  # not reported, not zero
    assert (rows[209].row_path, rows[209].value.number) == ("VII/6/#4", Decimal(12))


# ---------------------------------------------------------------------------------------------------
# Template rows seed
# ---------------------------------------------------------------------------------------------------


def test_template_rows_seed_matches_the_sample(result: ParseResult) -> None:
    seed = read_template_rows_seed(SEED)
    ids = [r["template_row_id"] for r in seed]
    assert len(ids) == len(set(ids)) == len(result.rows)
    assert all(i.isascii() and i.startswith("st22.") for i in ids)
    by_id = {r["template_row_id"]: r for r in seed}
    for row, entry in zip(result.rows, seed, strict=True):
        assert entry["section_code"] == row.section_code
        assert entry["row_code"] == row.row_code
        assert entry["unit_vi"] == row.unit
        assert fuzz.ratio(label_key(entry["label_vi"]), label_key(row.label)) >= 90, entry
        parent = entry["parent_template_row_id"]
        assert (parent == "") == (row.parent_row_path is None)
        if parent:
            assert parent in by_id
            assert entry["template_row_id"].startswith(parent + ".")
    assert by_id["st22.I.6_2"]["label_vi"].startswith("Tổ chức đối thoại")
    assert by_id["st22.VII.7.8"]["parent_template_row_id"] == "st22.VII.7"
    assert by_id["st22.VII.7.8.05"]["row_code"] == "10"
    assert by_id["st22.III.0.01"]["label_vi"] == "Kiểm soát TTHC"
    assert (
        by_id["st22.II.2.06"]["label_vi"] == "Số văn bản QPPL phát hiện trái pháp luật đã được xử lý"
    )  # "BQPPL"
