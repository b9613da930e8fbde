"""Tests of the commune national form family parser on the real Nam Định (Cát Thành, Q3 2024) report.

Every expected value below was read by hand from data/reports/namdinh-catthanh-2024-q3.txt
(``cat -n`` line numbers, which agree with ``text.splitlines()``). The file ends with a line
holding one space and no newline, so ``wc -l`` says 648 but ``splitlines()`` gives 649 lines.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from family_test_helpers import (
    REPORTS_DIR,
    TEMPLATE_ROWS_DIR,
    assert_blank_lines_are_blank,
    assert_every_line_numbered,
    assert_score_picks_its_sample,
    line_class_counts,
    read_template_rows_seed,
    replaced_lines,
    row_at,
    sample_fixtures,
    write_copy,
)

from ingest.errors import CchcError, ParseError
from ingest.families import national_commune_2024 as family
from ingest.records import LineClass, ParseResult, ValueKind

SAMPLE = REPORTS_DIR / "namdinh-catthanh-2024-q3.txt"
SEED = TEMPLATE_ROWS_DIR / "template_rows_national_commune_2024.csv"
NAME = SAMPLE.name

C, P, K, E = ValueKind.COUNT, ValueKind.PERCENT, ValueKind.CODE, ValueKind.EMPTY
PAGE_HEADER = (
    " STT \n"
    "Chỉ tiêu thống kê \n"
    "\n"
    "(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm) \n"
    "Kết quả thống kê \n"
    "\n"
    "Ghi chú \n"
    "Đơn vị tính Số liệu "
)


text, result = sample_fixtures(SAMPLE, family.parse)


def _modified(tmp_path: Path, text: str, edits: dict[int, list[str]]) -> ParseResult:
    """Write a copy of the sample with lines replaced (line number -> new lines) and parse it."""
    return family.parse(write_copy(tmp_path, replaced_lines(text, edits), final_newline=False), "copy.txt")


# --------------------------------------------------------------------------------------------
# Hand-checked table: (line_start, line_end, row_code, unit, raw value, kind, number, note)
# read from the document. Covers merged-line rows, a code alone on its line (410), labels over
# several lines (411-413, 530-532, 564-568 ...), multi-line code-list units (444-448, 465-473,
# 475-479), a row broken by a page header (450-463), the note "909 trước hạn" over 542-544,
# "1.228"/"1.290" thousands, "01", empty values, "%" rows, dash rows and the uncoded row at 572.
# --------------------------------------------------------------------------------------------
EXPECTED: list[tuple[int, int, str, str, str, ValueKind, int | None, str]] = [
    (410, 414, "1", "Văn bản", "0", C, 0, ""),
    (416, 416, "2", "%", "", E, None, ""),
    (418, 418, "2.1", "Nhiệm vụ", "36", C, 36, "Cả năm"),
    (420, 420, "2.2", "Nhiệm vụ", "28", C, 28, ""),
    (422, 422, "3", "", "", E, None, ""),
    (424, 424, "3.1", "Cơ quan, đơn vị", "01", C, 1, ""),
    (426, 426, "3.2", "Cơ quan, đơn vị", "01", C, 1, ""),
    (428, 428, "3.3", "%", "", E, None, ""),
    (430, 430, "3.3.1", "Vấn đề", "4", C, 4, ""),
    (432, 432, "3.3.2", "Vấn đề", "4", C, 4, ""),
    (434, 434, "4", "", "", E, None, ""),
    (436, 436, "4.1", "Nhiệm vụ", "", E, None, ""),
    (442, 442, "4.4", "Nhiệm vụ", "", E, None, ""),
    (444, 448, "5", "Có = 1; Không = 0", "1", K, 1, ""),
    (450, 463, "5.1", "Số lượng", "1.228", C, 1228, "1228/1288 (hồ sơ trực tuyến)"),
    (465, 473, "5.2", "Trực tuyến = 0; Phát phiếu = 1; Kết hợp = 2", "0", K, 0, ""),
    (475, 479, "6", "Không = 0; Có = 1", "0", K, 0, "Quý III"),
    (483, 483, "1", "Văn bản", "", E, None, ""),
    (485, 485, "1.1.", "Văn bản", "0", C, 0, ""),
    (487, 487, "2.", "", "", E, None, ""),
    (489, 489, "2.1", "Văn bản", "0", C, 0, ""),
    (491, 491, "2.2", "%", "", E, None, ""),
    (499, 499, "3.1", "Văn bản", "0", C, 0, ""),
    (509, 509, "1", "Thủ tục", "", E, None, ""),
    (511, 511, "1.1", "Thủ tục", "", E, None, ""),
    (521, 521, "1.2", "Thủ tục", "107", C, 107, ""),
    (527, 527, "2.2", "Thủ tục", "02", C, 2, "2 nhóm"),
    (529, 533, "2.3", "Thủ tục", "", E, None, ""),
    (537, 537, "3.1", "%", "100", P, 100, ""),
    (539, 539, "3.1.1", "Hồ sơ", "1.290", C, 1290, ""),
    (541, 544, "3.1.2", "Hồ sơ", "378", C, 378, "909 trước hạn"),
    (546, 546, "3.2", "%", "", E, None, ""),
    (548, 548, "3.3.1", "PAKN", "0", C, 0, ""),
    (550, 550, "3.3.2", "PAKN", "0", C, 0, ""),
    (554, 554, "-", "Người", "0", C, 0, ""),
    (556, 556, "-", "Người", "0", C, 0, ""),
    (558, 558, "-", "Người", "0", C, 0, ""),
    (562, 568, "1", "", "", E, None, ""),
    (572, 572, "", "%", "100", P, 100, ""),
    (582, 582, "2", "", "", E, None, ""),
    (584, 584, "2.1", "%", "100", P, 100, ""),
    (586, 586, "2.1.1", "Thủ tục", "88", C, 88, ""),
    (590, 594, "2.1.3", "Thủ tục", "9", C, 9, ""),
    (602, 606, "2.2.3", "Thủ tục", "7", C, 7, ""),
    (608, 612, "2.3", "%", "100", P, 100, ""),
    (614, 618, "2.3.1", "Thủ tục", "107", C, 107, ""),
    (620, 624, "2.3.2", "Thủ tục", "107", C, 107, ""),
    (626, 630, "2.4", "%", "100", P, 100, ""),
    (632, 632, "2.4.1", "Hồ sơ", "1.290", C, 1290, ""),
    (634, 634, "2.4.2", "Hồ sơ", "1.288", C, 1288, ""),
    (638, 642, "2.5.1", "Thủ tục", "22", C, 22, ""),
    (644, 648, "2.5.2", "Thủ tục", "13", C, 13, ""),
]


@pytest.mark.parametrize("case", EXPECTED, ids=lambda case: f"line{case[0]}")
def test_hand_checked_rows(result: ParseResult, case: tuple[Any, ...]) -> None:
    line_start, line_end, code, unit, raw_value, kind, number, note = case
    row = row_at(result, line_start)
    assert (row.line_start, row.line_end) == (line_start, line_end)
    assert row.row_code == code
    assert row.unit == unit
    assert row.value.raw == raw_value
    assert row.value.kind is kind
    assert row.value.number == (Decimal(number) if number is not None else None)
    assert row.note == note


def test_hand_checked_table_is_large_enough() -> None:
    assert len(EXPECTED) >= 35


def test_statistic_row_count(result: ParseResult) -> None:
    # Counted by hand in the table (lines 408-648), group rows included, section rows not:
    # I: 1, 2, 2.1, 2.2, 3, 3.1, 3.2, 3.3, 3.3.1, 3.3.2, 4, 4.1-4.4, 5, 5.1, 5.2, 6   = 19
    # II: 1, 1.1., 2., 2.1, 2.2, 2.2.1, 2.2.2, 3, 3.1, 3.2, 3.2.1, 3.2.2             = 12
    # III: 1, 1.1, 1.2, 2, 2.1, 2.2, 2.3, 3, 3.1, 3.1.1, 3.1.2, 3.2, 3.3.1, 3.3.2    = 14
    # IV: three "-" rows                                                             = 3
    # V: 1, the uncoded row at 572, 2, 2.1, 2.1.1-2.1.3, 2.2, 2.2.1-2.2.3, 2.3, 2.3.1,
    #    2.3.2, 2.4, 2.4.1, 2.4.2, 2.5, 2.5.1, 2.5.2                                 = 20
    assert len(result.rows) == 19 + 12 + 14 + 3 + 20 == 68
    by_section: dict[str, int] = {}
    for row in result.rows:
        by_section[row.section_code] = by_section.get(row.section_code, 0) + 1
    assert by_section == {"I": 19, "II": 12, "III": 14, "IV": 3, "V": 20}
    assert [r.seq for r in result.rows] == list(range(1, 69))


def test_labels_and_raw_text(result: ParseResult) -> None:
    first = row_at(result, 410)
    assert first.raw_label == (
        "Số văn bản chỉ đạo CCHC đã ban hành (Kết luận, chỉ thị, công văn chỉ đạo, quán triệt)"
    )
    assert first.raw_unit == "Văn bản"
    wide = row_at(result, 416)
    assert "thời         điểm" in wide.raw_label  # raw keeps the spaces as extracted
    assert wide.label == "Tỷ lệ hoàn thành Kế hoạch CCHC năm (Lũy kế đến thời điểm báo cáo)"
    typo = row_at(result, 556)
    assert typo.raw_label == "Số cán bộcấp xã bị kỷ luật."  # as written: the typo is kept
    survey_form = row_at(result, 465)
    assert survey_form.label == "Hình thức khảo sát"
    assert survey_form.raw_unit == "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2"
    assert row_at(result, 475).raw_note == "Quý III"
    assert row_at(result, 608).label == (
        "Tỷ lệ TTHC cung cấp trực tuyến mức một phần và toàn trình đã tích hợp, công khai "
        "trên Cổng DVC quốc gia"
    )


def test_sections(result: ParseResult) -> None:
    sections = {(r.section_code, r.section_label) for r in result.rows}
    assert sections == {
        ("I", "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH"),
        ("II", "CẢI CÁCH THỂ CHẾ"),
        ("III", "CẢI CÁCH TTHC"),
        ("IV", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ"),
        ("V", "XD VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ"),
    }


def test_hierarchy(result: ParseResult) -> None:
    paths = [r.row_path for r in result.rows]
    assert len(paths) == len(set(paths))
    # "3.3.1" and "3.3.2" printed under "3.2" (no "3.3" in section III): attached to 3.2.
    pakn = row_at(result, 548)
    assert (pakn.row_path, pakn.parent_row_path, pakn.depth) == ("III/3/3.2/3.3.1", "III/3/3.2", 3)
    assert row_at(result, 546).is_group
    # Section I has a real 3.3, so its 3.3.1 hangs under it.
    assert row_at(result, 430).parent_row_path == "I/3/3.3"
    # Trailing dots kept as printed.
    assert row_at(result, 485).row_path == "II/1/1.1."
    assert row_at(result, 489).row_path == "II/2./2.1"
    # Dash rows and the uncoded row get "#n".
    assert [row_at(result, n).row_path for n in (554, 556, 558)] == ["IV/#1", "IV/#2", "IV/#3"]
    assert all(row_at(result, n).parent_row_path is None for n in (554, 556, 558))
    uncoded = row_at(result, 572)
    assert (uncoded.row_path, uncoded.parent_row_path, uncoded.depth) == ("V/1/#1", "V/1", 2)
    v1 = row_at(result, 562)
    assert v1.is_group and v1.value.kind is ValueKind.EMPTY and v1.unit == ""
    # A group with its own value (code list) and children 5.1, 5.2.
    survey = row_at(result, 444)
    assert survey.is_group and survey.depth == 1
    assert row_at(result, 450).parent_row_path == "I/5"
    assert not row_at(result, 475).is_group
    # Every parent path is a row of the report.
    assert {r.parent_row_path for r in result.rows} - {None} <= set(paths)


def test_note_facts(result: ParseResult) -> None:
    on_time = row_at(result, 541)
    assert on_time.raw_note == "909 trước hạn"
    facts = [f for f in on_time.note_facts if f.value.number == Decimal(909)]
    assert len(facts) == 1
    fact = facts[0]
    assert fact.value.kind is ValueKind.COUNT
    assert fact.keyword == "trước hạn"
    assert (fact.line_start, fact.line_end) == (542, 544)

    survey = row_at(result, 450)
    ratios = [f for f in survey.note_facts if f.value.kind is ValueKind.RATIO]
    assert len(ratios) == 1
    assert (ratios[0].value.numerator, ratios[0].value.denominator) == (Decimal(1228), Decimal(1288))
    assert (ratios[0].line_start, ratios[0].line_end) == (451, 463)


def test_line_accounting(result: ParseResult, text: str) -> None:
    assert_every_line_numbered(result, text, 649)
    assert_blank_lines_are_blank(result, text)
    cls = {r.line_no: r for r in result.lines}
    # Page header inside row 5.1: structure, the row continues at 463.
    for no in (454, 455, 457, 458, 460, 461):
        assert cls[no].line_class is LineClass.STRUCTURE
        assert cls[no].reason == "repeated page header"
    assert cls[456].line_class is LineClass.BLANK and cls[459].line_class is LineClass.BLANK
    assert cls[463].line_class is LineClass.STATISTIC
    assert cls[195].line_class is LineClass.NARRATIVE
    assert cls[2].line_class is LineClass.BLANK
    assert cls[649].line_class is LineClass.BLANK
    for no in (365, 368, 369, 383, 385, 398):  # closing, recipients, signature
        assert cls[no].line_class is LineClass.STRUCTURE
    for no in (8, 10, 12, 193, 361):  # headings
        assert cls[no].line_class is LineClass.STRUCTURE
    for no in (399, 400, 402, 403, 405, 406, 408, 481, 507, 552, 560):  # header, sections
        assert cls[no].line_class is LineClass.STRUCTURE
    assert result.quarantined == ()
    # Every statistic line is inside a row; every row starts and ends on a statistic line.
    spans = [(r.line_start, r.line_end) for r in result.rows]
    for rec in result.lines:
        if rec.line_class is LineClass.STATISTIC:
            assert any(a <= rec.line_no <= b for a, b in spans), rec
    for a, b in spans:
        assert cls[a].line_class is LineClass.STATISTIC and cls[b].line_class is LineClass.STATISTIC
    counts = line_class_counts(result)
    assert counts[LineClass.STATISTIC] == 116
    assert sum(counts.values()) == 649


def test_narrative_blocks(result: ParseResult) -> None:
    blocks = [b for b in result.narrative if b.line_start <= 195 <= b.line_end]
    assert len(blocks) == 1
    block = blocks[0]
    assert (block.line_start, block.line_end) == (195, 217)
    assert "1.290 hồ sơ" in block.text
    assert block.text.startswith("- Trong Quý III, Bộ phận một cửa UBND thị trấn tiếp nhận")
    assert block.heading == "2.2. Về giải quyết TTHC"
    wrapped_heading = next(b for b in result.narrative if b.line_start == 14)
    assert wrapped_heading.heading == "1. Công tác tổ chức thực hiện"
    assert result.narrative[0].line_start == 1 and result.narrative[0].heading == ""
    last = result.narrative[-1]
    assert (last.line_start, last.line_end, last.text) == (362, 362, "Không.")
    assert last.heading == "IV. ĐỀ XUẤT KIẾN NGHỊ"
    # Blocks do not overlap and hold only narrative lines.
    cls = {r.line_no: r.line_class for r in result.lines}
    for b in result.narrative:
        assert cls[b.line_start] is LineClass.NARRATIVE and cls[b.line_end] is LineClass.NARRATIVE
    ends = [(b.line_start, b.line_end) for b in result.narrative]
    assert all(e1[1] < e2[0] for e1, e2 in itertools.pairwise(ends))


def test_header_left_default(result: ParseResult) -> None:
    assert result.header.unit_name is None and result.header.period_year is None
    assert result.family == "national_commune_2024" and result.source_file == NAME


def test_score_over_samples() -> None:
    assert_score_picks_its_sample(family.score, NAME, 0.8)
    assert family.score("Lorem ipsum dolor sit amet.\nMột dòng văn bản bất kỳ.\n") < 0.3
    assert family.score("") == 0.0


def test_errors() -> None:
    with pytest.raises(ParseError) as info:
        family.parse("Một báo cáo không có bảng số liệu.\n\nChỉ có lời văn.\n", "x.txt")
    assert "no statistics table" in str(info.value) and info.value.source_file == "x.txt"
    with pytest.raises(CchcError):
        family.parse(" \n\n", "empty.txt")


def test_split_row_text_from_the_right() -> None:
    split = family.split_row_text("Số hồ sơ TTHC giải quyết đúng hạn Hồ sơ 378 909 trước hạn")
    assert split is not None
    assert (split.unit, split.raw_value) == ("Hồ sơ", "378")
    # A unit word inside the label does not fool the split; the longer unit wins at the same end.
    split = family.split_row_text("Số cơ quan đã kiểm tra Cơ quan, đơn vị 01")
    assert split is not None and split.unit == "Cơ quan, đơn vị" and split.raw_value == "01"
    assert family.split_row_text("Kiểm tra CCHC") is None


# --------------------------------------------------------------------------------------------
# Design for the family: modified copies of the sample in tmp_path.
# --------------------------------------------------------------------------------------------


def test_copy_with_different_value(tmp_path: Path, text: str) -> None:
    res = _modified(tmp_path, text, {420: ["2.2 Số nhiệm vụ đã hoàn thành Nhiệm vụ 31  "]})
    row = row_at(res, 420)
    assert row.value.number == Decimal(31) and row.unit == "Nhiệm vụ"
    assert len(res.rows) == 68


def test_copy_with_empty_value(tmp_path: Path, text: str) -> None:
    res = _modified(tmp_path, text, {539: ["3.1.1 Tổng số hồ sơ TTHC đã giải quyết xong Hồ sơ   "]})
    row = row_at(res, 539)
    assert row.value.kind is ValueKind.EMPTY and row.value.number is None and row.unit == "Hồ sơ"
    assert len(res.rows) == 68 and res.quarantined == ()


def test_copy_with_label_typos(tmp_path: Path, text: str) -> None:
    res = _modified(
        tmp_path,
        text,
        {
            418: ["2.1 Sô nhiêm vu đề ra trong kê hoach Nhiệm vụ 36 Cả năm "],
            426: ["3.2 Số UBND cấp xã đã kiểm tra cơ quan, đơn vị 01  "],  # unit in lower case
        },
    )
    row = row_at(res, 418)
    assert row.raw_label == "Sô nhiêm vu đề ra trong kê hoach"
    assert (row.unit, row.value.number, row.note) == ("Nhiệm vụ", Decimal(36), "Cả năm")
    lower = row_at(res, 426)
    assert lower.label == "Số UBND cấp xã đã kiểm tra" and lower.value.number == Decimal(1)


def test_copy_with_extra_row(tmp_path: Path, text: str) -> None:
    res = _modified(
        tmp_path, text, {420: [text.splitlines()[419], "", "2.3 Số nhiệm vụ chuyển sang năm sau Nhiệm vụ 8 "]}
    )
    assert len(res.rows) == 69
    extra = row_at(res, 422)
    assert (extra.row_path, extra.value.number, extra.unit) == ("I/2/2.3", Decimal(8), "Nhiệm vụ")
    # Later rows shift by two lines and keep their values.
    assert row_at(res, 543).value.number == Decimal(378)
    assert res.quarantined == ()


def test_copy_with_page_header_elsewhere(tmp_path: Path, text: str) -> None:
    header = ["", *PAGE_HEADER.split("\n"), ""]
    # Inside the label of 2.1.3 (after line 591) and inside the note of 3.1.2 (after line 542).
    lines = text.splitlines()
    res = _modified(tmp_path, text, {591: [lines[590], *header], 542: [lines[541], *header]})
    shift = len(header)
    note_row = row_at(res, 541)
    assert (note_row.value.number, note_row.note) == (Decimal(378), "909 trước hạn")
    assert note_row.line_end == 544 + shift
    assert note_row.note_facts[0].line_end == 544 + shift
    row = row_at(res, 590 + shift)
    assert row.label == "Số TTHC đang cung cấp trực tuyến toàn trình có phát sinh hồ sơ nộp trực tuyến"
    assert (row.unit, row.value.number) == ("Thủ tục", Decimal(9))
    assert (row.line_start, row.line_end) == (590 + shift, 594 + 2 * shift)
    cls = {r.line_no: r for r in res.lines}
    stt = [no for no in range(543, 543 + shift) if cls[no].line_class is LineClass.STRUCTURE]
    assert len(stt) == 6 and all(cls[no].reason == "repeated page header" for no in stt)
    assert len(res.rows) == 68 and res.quarantined == ()


def test_copy_with_unplaceable_lines(tmp_path: Path, text: str) -> None:
    res = _modified(
        tmp_path,
        text,
        {
            # A stray line right after a section row: no row to belong to.
            481: ["II CẢI CÁCH THỂ CHẾ    ", "", "(số liệu tạm tính ???)"],
            # A numbered row without unit nor value, and no rows under it.
            442: [text.splitlines()[441], "", "4.5 Số nhiệm vụ khác đã giao"],
        },
    )
    quarantined = {r.line_no: r.reason for r in res.quarantined}
    assert set(quarantined) == {444, 485}
    assert "4.5" in quarantined[444] and "no unit and value" in quarantined[444]
    assert "no unit and value" in quarantined[485]
    assert len(res.rows) == 68  # nothing was invented, nothing else dropped
    assert row_at(res, 446).row_code == "5"  # row 5 still read after the quarantined line


def test_copy_with_other_ways_of_writing_values(tmp_path: Path, text: str) -> None:
    res = _modified(
        tmp_path,
        text,
        {
            416: ["2 Tỷ lệ hoàn thành Kế hoạch CCHC năm (Lũy kế đến thời điểm báo cáo) % Trên 90% "],
            436: ["4.1 Tổng số nhiệm vụ được giao Nhiệm vụ   ", "12"],  # value on its own line
            438: ["4.2 Số nhiệm vụ đã hoàn thành đúng hạn Nhiệm vụ Chưa "],
        },
    )
    rate = row_at(res, 416)
    assert rate.value.kind is ValueKind.PERCENT and rate.value.qualifier == ">"
    assert rate.value.number == Decimal(90)
    given = row_at(res, 436)
    assert (given.value.number, given.line_end) == (Decimal(12), 437)
    assert row_at(res, 439).value.kind is ValueKind.TEXT
    assert len(res.rows) == 68 and res.quarantined == ()


def test_copy_with_title_block(tmp_path: Path, text: str) -> None:
    title = [
        "ỦY BAN NHÂN DÂN",
        "THỊ TRẤN CÁT THÀNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 120/BC-UBND",
        "Cát Thành, ngày 20 tháng 9 năm 2024",
        "BÁO CÁO",
        "Kết quả công tác cải cách hành chính quý III năm 2024",
        "",
    ]
    res = _modified(tmp_path, text, {1: [*title, text.splitlines()[0]]})
    cls = {r.line_no: r for r in res.lines}
    assert all(cls[no].line_class is LineClass.STRUCTURE for no in range(1, 9))
    first = res.narrative[0]
    assert (first.line_start, first.line_end) == (10, 14)
    assert first.text.startswith("Thực hiện công văn số 135/UBND-NV")
    assert len(res.rows) == 68


# --------------------------------------------------------------------------------------------
# Template rows seed
# --------------------------------------------------------------------------------------------


def test_template_rows_seed(result: ParseResult) -> None:
    seed = read_template_rows_seed(SEED)
    ids = [r["template_row_id"] for r in seed]
    assert len(ids) == len(set(ids)) == len(result.rows)
    assert all(i.isascii() and i.startswith("nc24.") for i in ids)
    assert {r["parent_template_row_id"] for r in seed} - {""} <= set(ids)
    by_id = {r["template_row_id"]: r for r in seed}
    assert by_id["nc24.III.3.1.2"]["label_vi"] == "Số hồ sơ TTHC giải quyết đúng hạn"
    assert by_id["nc24.III.3.3.1"]["parent_template_row_id"] == "nc24.III.3.2"
    assert by_id["nc24.IV.r2"]["label_vi"] == "Số cán bộ cấp xã bị kỷ luật."  # typo fixed
    assert by_id["nc24.V.1.r1"]["parent_template_row_id"] == "nc24.V.1"
    # Same order, codes and units as the parsed sample.
    for s, row in zip(seed, result.rows, strict=True):
        assert (s["section_code"], s["row_code"], s["unit_vi"]) == (row.section_code, row.row_code, row.unit)
