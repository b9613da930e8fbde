"""Tests of the national 2023 form family parser on the real Trà Vinh (Duyên Hải, Q1 2023) report.

Every expected value below was read by hand from data/reports/travinh-duyenhai-2023-q1.txt
(``cat -n`` line numbers, which agree with ``text.splitlines()``). Note: the file has no final
newline, so ``wc -l`` says 422 but it has 423 lines; line 423 is the row "6.8.2." of Biểu mẫu 7.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from family_test_helpers import (
    REPORTS_DIR,
    TEMPLATE_ROWS_DIR,
    assert_blank_lines_are_blank,
    assert_every_line_numbered,
    assert_score_picks_its_sample,
    read_template_rows_seed,
    row_at,
    sample_fixtures,
    write_copy,
)

from ingest.families import national_2023
from ingest.records import LineClass, ParseResult, StatRow, ValueKind

SAMPLE = REPORTS_DIR / "travinh-duyenhai-2023-q1.txt"
SEED = TEMPLATE_ROWS_DIR / "template_rows_national_2023.csv"
NAME = SAMPLE.name


text, result = sample_fixtures(SAMPLE, national_2023.parse)


def _parse_modified(tmp_path: Path, lines: list[str], name: str = "modified.txt") -> ParseResult:
    """Write a modified copy of the sample under tmp_path, read it back and parse it."""
    return national_2023.parse(write_copy(tmp_path, lines, name, final_newline=False), name)


# ---------------------------------------------------------------------------------------------------
# Values: (line, section, row_path, kind, number or text), read by hand from the document
# ---------------------------------------------------------------------------------------------------

B1, B2, B3, B4, B5, B6, B7 = (f"Biểu mẫu {n}" for n in range(1, 8))
COUNT, PERCENT, CODE, TEXT, EMPTY = (
    ValueKind.COUNT,
    ValueKind.PERCENT,
    ValueKind.CODE,
    ValueKind.TEXT,
    ValueKind.EMPTY,
)

HAND_CHECKED: list[tuple[int, str, str, ValueKind, str | None]] = [
    (224, B1, "1.", COUNT, "4"),  # "04": leading zero
    (225, B1, "2.", PERCENT, "20"),  # "20%" with unit "%"
    (226, B1, "2.1.", COUNT, "36"),
    (227, B1, "2.2.", COUNT, "7"),  # "07"
    (228, B1, "3.", EMPTY, None),  # group row without value
    (229, B1, "3.1.", TEXT, "Chưa"),  # a word
    (231, B1, "3.3.", TEXT, "Không"),  # a word in a percent row
    (232, B1, "3.3.1.", TEXT, "Không"),
    (238, B1, "4.1.", EMPTY, None),  # first row after the repeated page header
    (241, B1, "5.1.", COUNT, "17"),
    (243, B1, "5.3.", COUNT, "0"),  # a real zero, not empty
    (245, B1, "6.", CODE, "0"),  # unit "Có = 1; Không = 0"
    (246, B1, "6.1.", EMPTY, None),
    (248, B1, "7.", CODE, "1"),  # unit "Không = 0 Có = 1"
    (255, B2, "1.", COUNT, "12"),  # label with footnote mark "VBQPPL⁶"
    (256, B2, "1.1.", EMPTY, None),
    (258, B2, "1.3.", COUNT, "0"),
    (259, B2, "2.", COUNT, "0"),  # value on a group row
    (262, B2, "2.2./1.", EMPTY, None),  # restarted numbering under 2.2.
    (263, B2, "2.2./2.", EMPTY, None),
    (265, B2, "3.1.", COUNT, "12"),
    (266, B2, "3.2.", PERCENT, "100"),  # "100" with unit "%"
    (267, B2, "3.2./1.", COUNT, "10"),
    (268, B2, "3.2./2.", COUNT, "10"),  # note continued at line 274
    (287, B3, "1.4./2.", COUNT, "301"),  # italic label and unit, restarted under 1.4.
    (288, B3, "1.4./3.", COUNT, "156"),
    (300, B3, "3.2.", PERCENT, "99.5"),  # "99,5": decimal comma
    (301, B3, "3.2./1.", COUNT, "220"),
    (302, B3, "3.2./2.", COUNT, "219"),
    (303, B3, "3.3.", PERCENT, "100"),
    (304, B3, "3.3./1.", COUNT, "2401"),  # "2401" without thousands separator
    (305, B3, "3.3./2.", COUNT, "2401"),
    (306, B3, "3.4.", PERCENT, "0"),
    (317, B4, "1.2.", PERCENT, "100"),
    (323, B4, "1.5.3.", COUNT, "25"),  # italic
    (324, B4, "1.5.4.", PERCENT, "10.71"),  # "10,71"
    (327, B4, "2.2.", COUNT, "74"),
    (328, B4, "2.3.", COUNT, "5"),  # "05"
    (333, B4, "3.2.", COUNT, "588"),
    (343, B5, "1.1.", COUNT, "12"),
    (344, B5, "1.2.", COUNT, "24"),
    (352, B5, "3.", COUNT, "3"),  # "03"
    (353, B5, "4.", COUNT, "2"),  # "02" on a group row without unit
    (364, B6, "1.", PERCENT, "13.5"),  # "13.5%": decimal point
    (365, B6, "1.1.", COUNT, "132928"),  # "132.928": thousands separator
    (366, B6, "1.2.", COUNT, "17991"),  # "17.991"
    (368, B6, "2.1.", COUNT, "26"),
    (370, B6, "2.3.", COUNT, "1"),  # "01"
    (375, B6, "2.5.", COUNT, "25"),
    (383, B7, "1.", EMPTY, None),  # code-list unit, no answer
    (384, B7, "2.", EMPTY, None),  # "Chưa có = 0 2 cấp = 1 3 cấp = 2"
    (390, B7, "5.1.2.", PERCENT, "100"),
    (392, B7, "5.2.", PERCENT, "100"),
    (399, B7, "5.3.", EMPTY, None),  # first row after a repeated page header
    (405, B7, "6.4.1.", COUNT, "160"),
    (407, B7, "6.4.3.", COUNT, "23"),
    (411, B7, "6.5.3.", COUNT, "12"),
    (415, B7, "6.7.", PERCENT, "41.8"),  # "41,8"
    (416, B7, "6.7.1.", COUNT, "246"),
    (417, B7, "6.7.2.", COUNT, "103"),
    (423, B7, "6.8.2.", EMPTY, None),  # last line of the file (no final newline)
]


def test_hand_checked_values(result: ParseResult) -> None:
    assert len(HAND_CHECKED) >= 35
    for line, section, path, kind, expected in HAND_CHECKED:
        row = row_at(result, line)
        where = f"line {line}"
        assert row.section_code == section, where
        assert row.row_path == path, where
        assert row.value.kind is kind, where
        if kind is TEXT:
            assert row.value.text == expected, where
            assert row.value.number is None, where
        elif expected is None:
            assert row.value.number is None, where
        else:
            assert row.value.number == Decimal(expected), where


def test_raw_value_text_is_kept(result: ParseResult) -> None:
    assert row_at(result, 224).value.raw == "04"
    assert row_at(result, 300).value.raw == "99,5"
    assert row_at(result, 364).value.raw == "13.5%"
    assert row_at(result, 365).value.raw == "132.928"


# ---------------------------------------------------------------------------------------------------
# Rows: count, hierarchy, labels, units, notes
# ---------------------------------------------------------------------------------------------------


def test_statistic_row_count(result: ParseResult) -> None:
    # Counted by hand: every tab-separated line of the appendix whose first cell is a row number.
    # Biểu mẫu 1: lines 224-234 (11) + 238-248 (11) = 22
    # Biểu mẫu 2: lines 255-268 = 14 (line 274 only continues the note of line 268)
    # Biểu mẫu 3: lines 281-296 (16) + 300-308 (9) = 25
    # Biểu mẫu 4: lines 315-335 = 21
    # Biểu mẫu 5: lines 342-357 = 16
    # Biểu mẫu 6: lines 364-376 = 13
    # Biểu mẫu 7: lines 383-395 (13) + 399-417 (19) + 421-423 (3) = 35
    # Total 146.
    per_section = {B1: 22, B2: 14, B3: 25, B4: 21, B5: 16, B6: 13, B7: 35}
    assert len(result.rows) == 146
    for section, count in per_section.items():
        assert sum(1 for r in result.rows if r.section_code == section) == count, section
    assert [r.seq for r in result.rows] == list(range(1, 147))


def test_restarted_numbering_is_resolved(result: ParseResult) -> None:
    group = row_at(result, 300)
    assert (group.row_code, group.row_path, group.parent_row_path, group.depth) == ("3.2.", "3.2.", "3.", 2)
    assert group.is_group
    child = row_at(result, 301)
    assert (child.row_code, child.row_path, child.parent_row_path, child.depth) == (
        "1.",
        "3.2./1.",
        "3.2.",
        3,
    )
    assert not child.is_group
    # "1.4." then "1.", "2.", "3." are its children, and the following "2." is top-level again.
    assert [row_at(result, n).row_path for n in (285, 286, 287, 288, 289, 290)] == [
        "1.4.",
        "1.4./1.",
        "1.4./2.",
        "1.4./3.",
        "2.",
        "2.1.",
    ]
    # Biểu mẫu 2: "2.2." then "1.", "2.", then "3." (top-level, followed by "3.1.").
    assert [row_at(result, n).row_path for n in (261, 262, 263, 264, 265)] == [
        "2.2.",
        "2.2./1.",
        "2.2./2.",
        "3.",
        "3.1.",
    ]
    assert row_at(result, 264).parent_row_path is None
    assert row_at(result, 264).depth == 1


def test_dotted_codes_give_parents_and_groups(result: ParseResult) -> None:
    row = row_at(result, 232)  # 3.3.1.
    assert (row.parent_row_path, row.depth) == ("3.3.", 3)
    assert row_at(result, 231).is_group  # 3.3. has 3.3.1., 3.3.2.
    assert row_at(result, 224).parent_row_path is None  # 1. directly under the table
    assert not row_at(result, 224).is_group
    assert row_at(result, 234).is_group  # 4. has children after the page header (4.1., 4.2.)
    assert row_at(result, 238).parent_row_path == "4."
    assert row_at(result, 404).parent_row_path == "6."  # 6.4. follows 6. directly (6.1-6.3 absent)


def test_row_paths_unique_and_parents_exist(result: ParseResult) -> None:
    for section in {r.section_code for r in result.rows}:
        paths = [r.row_path for r in result.rows if r.section_code == section]
        assert len(paths) == len(set(paths)), section
        for row in (r for r in result.rows if r.section_code == section and r.parent_row_path):
            assert row.parent_row_path in paths, (section, row.row_path)


def test_section_labels(result: ParseResult) -> None:
    labels = {r.section_code: r.section_label for r in result.rows}
    assert labels == {
        B1: "Công tác chỉ đạo điều hành CCHC",
        B2: "Cải cách thể chế",
        B3: "Cải cách thủ tục hành chính",
        B4: "Cải cách tổ chức bộ máy",
        B5: "Cải cách chế độ công vụ",
        B6: "Cải cách tài chính công",
        B7: "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    }


def test_labels_units_and_footnote_marks(result: ParseResult) -> None:
    row = row_at(result, 255)
    assert row.raw_label == "Tổng số VBQPPL⁶ do địa phương ban hành"
    assert row.label == "Tổng số VBQPPL do địa phương ban hành"
    assert row.footnote_marks == ("⁶",)
    italic = row_at(result, 286)
    assert italic.raw_label == "<i>Số TTHC cấp tỉnh (Bao gồm cả TTHC của cơ quan ngành dọc)</i>"
    assert italic.label == "Số TTHC cấp tỉnh (Bao gồm cả TTHC của cơ quan ngành dọc)"
    assert (italic.raw_unit, italic.unit) == ("<i>Thủ tục</i>", "Thủ tục")
    assert row_at(result, 224).label == (
        "Số văn bản chỉ đạo CCHC đã ban hành (Kết luận, chỉ thị, công văn chỉ đạo, quán triệt)"
    )
    assert row_at(result, 384).unit == "Chưa có = 0 2 cấp = 1 3 cấp = 2"
    assert row_at(result, 245).unit == "Có = 1; Không = 0"
    assert row_at(result, 228).unit == ""
    # Typos of the copy are kept as written (they are fixed only in the template seed).
    assert row_at(result, 281).label == "Thông kê TTHC"


def test_note_continued_after_page_header(result: ParseResult) -> None:
    row = row_at(result, 268)
    assert (row.line_start, row.line_end) == (268, 274)
    assert row.raw_note == (
        "Khắc phục, hoàn thiện quy trình, thủ tục và đã ban hành 12/12 Quyết định chức năng, nhiệm vụ "
        "và cơ cấu tổ chức của 12 cơ quan chuyên môn."
    )
    assert row.note.endswith("cơ cấu tổ chức của 12 cơ quan chuyên môn.")
    assert row_at(result, 265).note == "Rà soát quy trình, thủ tục ban hành"
    assert row_at(result, 301).note == ""


def test_note_facts(result: ParseResult) -> None:
    facts = row_at(result, 287).note_facts
    assert any(f.value.number == Decimal(28) and "TTHC ngành dọc" in f.raw for f in facts)
    assert all((f.line_start, f.line_end) == (287, 287) for f in facts)
    assert row_at(result, 301).note_facts == ()


# ---------------------------------------------------------------------------------------------------
# Line accounting
# ---------------------------------------------------------------------------------------------------


def test_every_line_exactly_one_class(text: str, result: ParseResult) -> None:
    assert_every_line_numbered(result, text, 423)
    assert_blank_lines_are_blank(result, text)
    assert result.quarantined == ()


def test_hand_picked_line_classes(result: ParseResult) -> None:
    cls = {r.line_no: r for r in result.lines}
    assert cls[55].line_class is LineClass.NARRATIVE  # prose with figures
    assert cls[71].line_class is LineClass.NARRATIVE  # footnote ¹ in the middle of the prose
    assert cls[270].line_class is LineClass.NARRATIVE  # footnote ⁶ inside the tables
    for n in (3, 5, 7, 8, 9, 15, 33, 35, 161, 193, 195, 204, 208, 210, 212, 214, 216, 218, 220, 222):
        assert cls[n].line_class is LineClass.STRUCTURE, n
    for n in (236, 237, 272, 273, 298, 299, 397, 398, 419, 420):
        assert (cls[n].line_class, cls[n].reason) == (LineClass.STRUCTURE, "repeated table header"), n
    assert cls[222].reason == cls[223].reason == "table header"
    assert cls[218].reason == cls[251].reason == "table title"
    for n in (224, 268, 274, 301, 423):
        assert cls[n].line_class is LineClass.STATISTIC, n
    for n in (1, 2, 4, 235, 269, 271, 418):
        assert cls[n].line_class is LineClass.BLANK, n


def test_statistic_lines_are_the_rows_lines(result: ParseResult) -> None:
    statistic = {r.line_no for r in result.lines if r.line_class is LineClass.STATISTIC}
    from_rows = {r.line_start for r in result.rows} | {274}  # 274: note continuation of row 268
    assert statistic == from_rows
    assert len(statistic) == 147


# ---------------------------------------------------------------------------------------------------
# Narrative blocks
# ---------------------------------------------------------------------------------------------------


def test_narrative_block_with_figures(result: ParseResult) -> None:
    block = next(b for b in result.narrative if b.line_start == 55)
    assert block.line_end == 55
    assert block.heading == "2. Cải cách thủ tục hành chính"
    assert "Tổng tiếp nhận 246 hồ sơ¹" in block.text
    assert "đã giải quyết 220 hồ sơ" in block.text
    assert "Trước hạn 115 hồ sơ" in block.text


def test_footnotes_are_own_blocks(result: ParseResult) -> None:
    footnotes = {b.line_start: b for b in result.narrative if b.heading == "footnote"}
    assert sorted(footnotes) == [71, 73, 75, 129, 131, 270]
    assert footnotes[270].text == "⁶ Văn bản quy phạm pháp luật."
    assert footnotes[75].text == "³ Bảo hiểm xã hội: 2110 hồ sơ; Công an: 263 hồ sơ."
    # The paragraph broken by the page bottom continues at line 77 as its own block, same heading.
    after = next(b for b in result.narrative if b.line_start == 77)
    assert after.heading == "3. Cải cách tổ chức bộ máy"
    assert after.text.startswith("nhân dân huyện, quận, thị xã")


def test_narrative_headings_and_coverage(result: ParseResult) -> None:
    headings = {b.line_start: b.heading for b in result.narrative}
    assert headings[17] == "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"
    assert headings[37] == "1. Cải cách thể chế"
    assert headings[163] == "Nguyên nhân:"  # "*** Nguyên nhân:**"
    assert headings[171] == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2023"
    assert headings[191] == headings[171]
    assert [b.seq for b in result.narrative] == list(range(1, len(result.narrative) + 1))
    narrative_lines = {r.line_no for r in result.lines if r.line_class is LineClass.NARRATIVE}
    covered = {n for b in result.narrative for n in range(b.line_start, b.line_end + 1)}
    assert narrative_lines == covered
    assert max(narrative_lines - {270}) == 191  # nothing after "Trên đây là báo cáo ..." but footnote ⁶


# ---------------------------------------------------------------------------------------------------
# score()
# ---------------------------------------------------------------------------------------------------


def test_score_discriminates_the_four_samples() -> None:
    assert_score_picks_its_sample(national_2023.score, NAME, 0.9)


@pytest.mark.parametrize(
    "arbitrary",
    [
        "",
        "Hello world.\nThis is a plain text file.\n",
        "id\tname\tvalue\n1\tfoo\t2\n2\tbar\t3\n",
        "1. Mở đầu\n2. Nội dung\n2.1. Chi tiết\n",
        "Biểu mẫu 1\nMột bảng không có dòng nào.\n",
    ],
)
def test_score_low_for_arbitrary_text(arbitrary: str) -> None:
    assert national_2023.score(arbitrary) < 0.3


# ---------------------------------------------------------------------------------------------------
# Design for the family: modified copies of the sample
# ---------------------------------------------------------------------------------------------------


def test_extra_rows(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    # An extra native row after 2.2. of Biểu mẫu 1 (after line 227) and an extra restarted child
    # "3." under 3.2. of Biểu mẫu 3 (after line 302).
    lines.insert(302, "3.\tSố hồ sơ TTHC giải quyết quá hạn\tHồ sơ\t1\t")
    lines.insert(227, "2.3.\tSố nhiệm vụ bổ sung\tNhiệm vụ\t5\tThêm")
    result = _parse_modified(tmp_path, lines)
    assert len(result.rows) == 148
    extra = row_at(result, 228)
    assert (extra.row_path, extra.parent_row_path, extra.value.number, extra.note) == (
        "2.3.",
        "2.",
        Decimal(5),
        "Thêm",
    )
    assert row_at(result, 229).row_path == "3."  # still the top-level 3.
    restarted = row_at(result, 304)
    assert (restarted.row_path, restarted.parent_row_path, restarted.value.number) == (
        "3.2./3.",
        "3.2.",
        Decimal(1),
    )
    assert row_at(result, 305).row_path == "3.3."
    assert result.quarantined == ()


def test_typo_in_label(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    assert lines[300].startswith("1.\tTổng số hồ sơ TTHC đã giải quyết xong\t")
    lines[300] = "1.\tTông sô hồ sơ TTHC đa giai quyêt xong\tHồ sơ\t220\t"
    lines[221] = lines[221].replace("Chỉ tiêu thống kê", "Chỉ tiêu thông kê")  # typo in a header too
    result = _parse_modified(tmp_path, lines)
    row = row_at(result, 301)
    assert (row.row_path, row.label, row.value.number) == (
        "3.2./1.",
        "Tông sô hồ sơ TTHC đa giai quyêt xong",
        Decimal(220),
    )
    assert len(result.rows) == 146
    assert {r.line_no for r in result.lines if r.reason == "table header"} >= {222, 223}


def test_empty_value_is_not_zero(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    lines[300] = "1.\tTổng số hồ sơ TTHC đã giải quyết xong\tHồ sơ\t\t"
    result = _parse_modified(tmp_path, lines)
    row = row_at(result, 301)
    assert row.value.kind is ValueKind.EMPTY
    assert row.value.number is None
    assert row.row_path == "3.2./1."
    assert len(result.rows) == 146


def test_missing_page_header(tmp_path: Path, text: str, result: ParseResult) -> None:
    lines = text.splitlines()
    del lines[296:299]  # the blank line and the two repeated header lines 297-299 of Biểu mẫu 3
    modified = _parse_modified(tmp_path, lines)

    def essence(rows: tuple[StatRow, ...]) -> list[tuple[str, str, str, str, Decimal | None]]:
        return [(r.section_code, r.row_path, r.label, r.value.raw, r.value.number) for r in rows]

    assert essence(modified.rows) == essence(result.rows)
    row = row_at(modified, 298)  # was line 301
    assert (row.row_path, row.value.number) == ("3.2./1.", Decimal(220))
    assert modified.quarantined == ()


def test_missing_first_header_uses_template_columns(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    del lines[312:314]  # the two header lines 313-314 of Biểu mẫu 4
    result = _parse_modified(tmp_path, lines)
    row = row_at(result, 325)  # was line 327: "2.2." Người 74
    assert (row.section_code, row.row_path, row.unit, row.value.number) == (B4, "2.2.", "Người", Decimal(74))
    assert len(result.rows) == 146


def test_broken_value_is_quarantined_with_its_line(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    lines[300] = "1.\tTổng số hồ sơ TTHC đã giải quyết xong\tHồ sơ\t1.2.3\t"
    result = _parse_modified(tmp_path, lines, name="broken.txt")
    quarantined = {r.line_no: r.reason for r in result.quarantined}
    assert list(quarantined) == [301]
    assert "broken.txt:301" in quarantined[301]
    assert "1.2.3" in quarantined[301]
    assert all(r.line_start != 301 for r in result.rows)
    assert len(result.rows) == 145
    # The hierarchy around the broken row is intact.
    assert row_at(result, 302).row_path == "3.2./2."
    assert row_at(result, 303).row_path == "3.3."


def test_unplaceable_table_lines_are_quarantined(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    lines.insert(248, "Người lập biểu: Nguyễn Văn A")  # a text line inside Biểu mẫu 1 (new line 249)
    lines.insert(229, "3.1.\t\tCơ quan, đơn vị\t5\t")  # a row number without a label (new line 230)
    result = _parse_modified(tmp_path, lines)
    quarantined = {r.line_no: r.reason for r in result.quarantined}
    assert set(quarantined) == {230, 250}
    assert "without a label" in quarantined[230]
    assert "text line inside a table" in quarantined[250]
    assert len(result.rows) == 146


def test_unnumbered_row_goes_under_the_last_numbered_row(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    lines.insert(227, "\tTrong đó: nhiệm vụ trọng tâm\tNhiệm vụ\t3\t")  # after 2.2. (new line 228)
    result = _parse_modified(tmp_path, lines)
    row = row_at(result, 228)
    assert (row.row_code, row.row_path, row.parent_row_path, row.value.number) == (
        "",
        "2.2./#1",
        "2.2.",
        Decimal(3),
    )
    assert row_at(result, 227).is_group


# ---------------------------------------------------------------------------------------------------
# Template rows seed
# ---------------------------------------------------------------------------------------------------


def _template_id(section_code: str, row_path: str) -> str:
    number = section_code.split()[-1]
    return f"n23.b{number}." + ".".join(part.strip(".") for part in row_path.split("/"))


def test_template_rows_seed_matches_the_form(result: ParseResult) -> None:
    seed = read_template_rows_seed(SEED)
    ids = [r["template_row_id"] for r in seed]
    assert len(ids) == len(set(ids)) == 146
    assert all(i.isascii() for i in ids)
    assert all(r["parent_template_row_id"] in ids for r in seed if r["parent_template_row_id"])
    by_id = {r["template_row_id"]: r for r in seed}
    for row in result.rows:
        template = by_id[_template_id(row.section_code, row.row_path)]
        assert template["row_code"] == row.row_code
        assert template["section_code"] == row.section_code
        assert template["unit_vi"] == row.unit
        parent = _template_id(row.section_code, row.parent_row_path) if row.parent_row_path else ""
        assert template["parent_template_row_id"] == parent
    assert by_id["n23.b3.3.2.1"]["label_vi"] == "Tổng số hồ sơ TTHC đã giải quyết xong"
    # Obvious typos of the sample are fixed in the seed.
    assert by_id["n23.b3.1"]["label_vi"] == "Thống kê TTHC"
    assert by_id["n23.b1.5"]["label_vi"] == "Thực hiện nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao"
    assert "Hệ thống họp trực tuyến" in by_id["n23.b7.2"]["label_vi"]
