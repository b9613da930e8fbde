"""Sóc Trăng 2021 family parser, on the real sample (huyện Thạnh Trị, year 2021) and altered copies.

Every expected value below was read by eye from data/reports/soctrang-thanhtri-2021-year.txt.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

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

from ingest.families import soctrang_2021, soctrang_2022
from ingest.records import LineClass, ParseResult, ValueKind
from ingest.text import label_key

SAMPLE = REPORTS_DIR / "soctrang-thanhtri-2021-year.txt"
SEED = TEMPLATE_ROWS_DIR / "template_rows_soctrang_2021.csv"

C, P, R, T, E = ValueKind.COUNT, ValueKind.PERCENT, ValueKind.RATIO, ValueKind.TEXT, ValueKind.EMPTY


text, result = sample_fixtures(SAMPLE, soctrang_2021.parse)


# (first line, kind, number, unit, qualifier, numerator, denominator) read from the document.
HAND_CHECKED: list[tuple[int, ValueKind, str | None, str, str | None, str | None, str | None]] = [
    (13, C, "25", "Nhiệm vụ", None, None, None),  # "25 Nhiệm vụ": value and unit merged
    (14, C, "25", "Nhiệm vụ", None, None, None),
    (15, E, None, "Văn bản", None, None, None),  # unit alone = not reported (multi-line note 15-17)
    (19, E, None, "Cơ quan, đơn vị", None, None, None),
    (20, E, None, "", None, None, None),  # nothing written
    (21, R, "10", "", None, "10", "10"),  # "10/10 xã, thị trấn"
    (22, E, None, "Vấn đề", None, None, None),
    (25, P, "100", "", None, None, None),  # "100%"
    (26, E, None, "Tin, bài", None, None, None),
    (27, C, "11", "", None, None, None),  # multi-line note 27-32
    (33, T, None, "", None, None, None),  # "12 tin và 12 bài chuyên mục"
    (34, C, "1", "", None, None, None),
    (36, E, None, "Nhiệm vụ", None, None, None),  # multi-line note 36-38
    (39, P, "100", "", None, None, None),
    (40, C, "0", "", None, None, None),
    (42, C, "175", "", None, None, None),
    (44, C, "1", "", None, None, None),
    (47, T, None, "", None, None, None),  # "Không"
    (50, C, "11", "Văn bản", None, None, None),  # value on the group row "1 Số VBQPPL đã ban hành"
    (55, C, "0", "Văn bản", None, None, None),
    (64, C, "1", "Văn bản", None, None, None),  # "01 Văn bản"
    (67, C, "1", "", None, None, None),
    (68, C, "1", "", None, None, None),  # value on the group row "2 Thông kê TTHC"
    (71, C, "405", "", None, None, None),
    (72, C, "269", "", None, None, None),
    (73, C, "136", "", None, None, None),
    (84, E, None, "%", None, None, None),  # "%" alone
    (86, C, "2953", "", None, None, None),  # "2.953"
    (87, C, "2968", "", None, None, None),
    (91, C, "68826", "", None, None, None),  # "68.826"
    (105, R, "12", "", None, "12", "12"),  # "12/12"
    (118, C, "1209", "", None, None, None),  # "1.209"
    (129, C, "6", "Người", None, None, None),  # "6 Người"
    (136, C, "3", "đơn vị", None, None, None),  # "3 đơn vị (phòng LĐTĐ-XH; ...)"
    (137, T, None, "", None, None, None),  # "UBND xã Tân Túc"
    (138, T, None, "", None, None, None),  # multi-line value 138-143
    (144, T, None, "", None, None, None),  # HTML <p> cell
    (153, C, "2", "Người", None, None, None),  # "02 Người"
    (178, R, "20", "", None, "20", "20"),
    (179, R, "8", "", None, "8", "8"),
    (194, P, "90", "", ">", None, None),  # "Trên 90%"
    (195, P, "10", "", None, None, None),
    (203, E, None, "%", None, None, None),
    (220, C, "10", "", None, None, None),  # last line of the file
]


def test_hand_checked_values(result: ParseResult) -> None:
    rows = rows_by_line(result)
    assert len(HAND_CHECKED) >= 30
    for line, kind, number, unit, qualifier, numerator, denominator in HAND_CHECKED:
        row = rows[line]
        where = f"line {line}: {row.label}"
        assert row.value.kind is kind, where
        assert row.value.number == (Decimal(number) if number is not None else None), where
        assert row.unit == unit, where
        assert row.raw_unit == "", where  # 2021: the unit lives in the value cell
        assert row.value.qualifier == qualifier, where
        assert row.value.numerator == (Decimal(numerator) if numerator else None), where
        assert row.value.denominator == (Decimal(denominator) if denominator else None), where


def test_text_values_and_html_cells(result: ParseResult) -> None:
    rows = rows_by_line(result)
    assert rows[21].value.text == "xã, thị trấn"
    assert rows[33].value.text == "12 tin và 12 bài chuyên mục"
    assert rows[47].value.text == "Không"
    assert rows[137].value.text == "UBND xã Tân Túc"
    # line 144: the value cell is HTML; raw keeps the tags, the text does not.
    assert rows[144].value.raw.startswith("<p>- Đối với cuộc thanh tra kinh tế -xã hội")
    assert rows[144].value.text is not None
    assert "<" not in rows[144].value.text
    assert "65.670.700đ" in rows[144].value.text
    # line 26: a link inside the label is reduced to its text
    assert "<a" in rows[26].raw_label
    assert rows[26].label.endswith("Chuyên trang CCHC tỉnh ( https://cchc.soctrang.gov.vn/ )")
    # line 194: italics around a "- " sub-item label
    assert rows[194].raw_label.startswith("- <i>Tỷ lệ văn bản")
    assert rows[194].label.startswith("- Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử")


def test_multiline_cells(result: ParseResult) -> None:
    rows = rows_by_line(result)
    spans = {line: (rows[line].line_start, rows[line].line_end) for line in (15, 27, 36, 138)}
    assert spans == {15: (15, 17), 27: (27, 32), 36: (36, 38), 138: (138, 143)}
    # 15-17: the note continues on line 17 ("công văn số" / "293/UBND-VP ...")
    assert "công văn số 293/UBND-VP ngày 19/5/2021" in rows[15].note
    # 27-32: a <ul> list on line 29, a markdown remnant on line 30, the tail on line 32
    assert "Tin tháng 2: Huyện tiếp tục đẩy mạnh" in rows[27].note
    assert rows[27].note.endswith(
        "Xã Vĩnh Thành đạt nhiều hiệu quả trong công tác Cải cách hành chính (Tin CCHC tháng 11/2021)"
    )
    assert "<ul" in rows[27].raw_note
    assert rows[27].value.number == Decimal(11)
    # 36-38: the note's second part is a <p> paragraph on line 38
    assert rows[36].note.endswith("Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2021")
    # 138-143: both the value and the note continue (3-cell fragment on line 140, value tail on 143)
    assert rows[138].value.text is not None
    assert rows[138].value.text.startswith("- Đối với cuộc thanh tra quản lý và sử dụng tài chính, ngân sách")
    assert rows[138].value.text.endswith(
        "bồi dưỡng cho công chức tiếp công dân, xử lý đơn,...vv theo quy định."
    )
    assert "cơ sở pháp lý, thiếu chứng từ gốc" in rows[138].note
    # the next row starts right after the span
    assert rows[144].line_start == 144


def test_note_facts(result: ParseResult) -> None:
    rows = rows_by_line(result)
    percents = [f for f in rows[144].note_facts if f.value.kind is ValueKind.PERCENT]
    assert [f.value.number for f in percents] == [Decimal(100), Decimal(100)]  # "đạt 100%" twice
    assert all((f.line_start, f.line_end) == (144, 144) for f in rows[144].note_facts)
    assert rows[88].note.startswith("Số lượng TTHC đã giải quyết đúng hạn/Số lượng TTHC")


def test_row_count(result: ParseResult) -> None:
    # Counted by hand from the document: every tabbed line below the two header lines (9-10) is a row,
    # except the 7 section titles (11, 49, 66, 103, 145, 176, 185, no value), the continuation lines of
    # multi-line cells (17, 29, 32, 38, 140, 143) and the 2 markdown remnants (30, 141).
    # Per section: I 27 (lines 12-48), II 15 (50-65), III 32 (67-102), IV 35 (104-144),
    # V 28 (146-175), VI 7 (177-184), VII 31 (186-220): 175 rows.
    assert len(result.rows) == 175
    per_section: dict[str, int] = {}
    for row in result.rows:
        per_section[row.section_code] = per_section.get(row.section_code, 0) + 1
    assert per_section == {"I": 27, "II": 15, "III": 32, "IV": 35, "V": 28, "VI": 7, "VII": 31}
    assert [row.seq for row in result.rows] == list(range(1, 176))


def test_line_accounting(text: str, result: ParseResult) -> None:
    assert_every_line_numbered(result, text, 220)
    cls = {rec.line_no: rec.line_class for rec in result.lines}
    expected = {
        1: LineClass.BLANK,
        3: LineClass.STRUCTURE,  # title
        6: LineClass.STRUCTURE,  # "(Kèm theo Báo cáo số ...)"
        9: LineClass.STRUCTURE,  # column header
        10: LineClass.STRUCTURE,  # column header, second line ("Đơn vị tính")
        11: LineClass.STRUCTURE,  # section I title
        185: LineClass.STRUCTURE,  # section VII title
        12: LineClass.STATISTIC,
        16: LineClass.STATISTIC,  # blank line inside the multi-line note 15-17
        30: LineClass.STATISTIC,  # markdown remnant inside 27-32
        141: LineClass.STATISTIC,  # markdown remnant inside 138-143
        43: LineClass.BLANK,  # blank between two rows
        97: LineClass.BLANK,
        217: LineClass.BLANK,
        220: LineClass.STATISTIC,
    }
    assert {line: cls[line] for line in expected} == expected
    assert result.quarantined == ()
    counts = line_class_counts(result)
    # 175 rows on 175 lines + 14 extra lines of the 4 multi-line rows; 4 title + 2 header + 7 sections
    assert counts == {
        LineClass.STATISTIC: 189,
        LineClass.STRUCTURE: 13,
        LineClass.BLANK: 18,
        LineClass.NARRATIVE: 0,
        LineClass.QUARANTINE: 0,
    }
    for row in result.rows:
        assert all(cls[n] is LineClass.STATISTIC for n in range(row.line_start, row.line_end + 1))
    assert result.narrative == ()
    assert result.family == "soctrang_2021"


def test_hierarchy(result: ParseResult) -> None:
    rows = rows_by_line(result)
    paths = [row.row_path for row in result.rows]
    assert len(set(paths)) == len(paths)
    known = set(paths)
    for row in result.rows:
        assert row.parent_row_path is None or row.parent_row_path in known
        assert row.section_label
    # group "2 Thông kê TTHC" carries a value and has items; "- " rows are sub-items of line 71
    assert (rows[68].row_path, rows[68].is_group, rows[68].depth) == ("III/2", True, 1)
    assert (rows[71].row_path, rows[71].is_group) == ("III/2/#3", True)
    assert (rows[72].row_path, rows[72].parent_row_path, rows[72].depth) == ("III/2/#3/#1", "III/2/#3", 3)
    assert (rows[73].row_path, rows[73].depth) == ("III/2/#3/#2", 3)
    # numbered rows without items are not groups
    assert (rows[67].row_path, rows[67].is_group) == ("III/1", False)
    assert (rows[47].row_path, rows[47].is_group, rows[47].parent_row_path) == ("I/7", False, None)
    # a group without a value is a row with an EMPTY value
    assert rows[35].value.kind is ValueKind.EMPTY and rows[35].is_group
    assert rows[36].parent_row_path == "I/4"
    assert rows[12].section_code == "I"
    assert rows[12].section_label == "Công tác chỉ đạo điều hành CCHC"
    assert rows[186].section_label == "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"
    assert rows[191].row_path == "VII/2/#1/#1"


def test_score_discriminates(text: str) -> None:
    assert_score_picks_its_sample(soctrang_2021.score, SAMPLE.name, 0.8)
    assert soctrang_2021.score(text) > soctrang_2022.score(text)
    assert soctrang_2021.score("") == 0.0
    assert soctrang_2021.score("Lorem ipsum\tdolor\nSTT\tsit amet\n") < 0.3


# ---------------------------------------------------------------------------------------------------
# Altered copies (design for the family, not the sample)
# ---------------------------------------------------------------------------------------------------


def test_broken_row_number_is_quarantined_with_its_continuation(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    broken = edited_copy(tmp_path, text, {15: "1.2.3" + lines[14]})
    result = soctrang_2021.parse(broken, "copy.txt")
    quarantined = {rec.line_no: rec.reason for rec in result.quarantined}
    assert set(quarantined) == {15, 17}
    assert "'1.2.3'" in quarantined[15]
    assert "line 15" in quarantined[17]
    assert len(result.rows) == 174
    assert 15 not in rows_by_line(result)


def test_unreadable_value_is_quarantined(tmp_path: Path, text: str) -> None:
    broken = edited_copy(tmp_path, text, {42: "\tSố lượng phiếu khảo sát\t1.75.5\t"})
    result = soctrang_2021.parse(broken, "copy.txt")
    assert [(rec.line_no, rec.line_class) for rec in result.quarantined] == [(42, LineClass.QUARANTINE)]
    assert "1.75.5" in result.quarantined[0].reason
    assert len(result.rows) == 174


def test_extra_row_typo_empty_value_and_lost_tab_still_parse(tmp_path: Path, text: str) -> None:
    altered = edited_copy(
        tmp_path,
        text,
        {
            14: "\tSo nhiem vu da hoan thanh\t30 nhiệm vụ\t",  # typo'd label, other value
            42: "\tSố lượng phiếu khảo sát\t\t",  # empty value
            69: "Số TTHC được công bố mới\t57\t",  # lost its leading tab (3 cells)
        },
        insert={14: "\tSố nhiệm vụ bổ sung\t3 Nhiệm vụ\t"},  # an extra item after line 14
    )
    result = soctrang_2021.parse(altered, "copy.txt")
    assert result.quarantined == ()
    assert len(result.rows) == 176
    rows = rows_by_line(result)
    assert rows[14].label == "So nhiem vu da hoan thanh"
    assert (rows[14].value.number, rows[14].unit, rows[14].row_path) == (Decimal(30), "nhiệm vụ", "I/1/#2")
    assert (rows[15].label, rows[15].row_path, rows[15].value.number) == (
        "Số nhiệm vụ bổ sung",
        "I/1/#3",
        Decimal(3),
    )
    assert rows[16].row_path == "I/1/#4"  # the multi-line row moved one line down and one ordinal on
    assert (rows[16].line_start, rows[16].line_end) == (16, 18)
    assert rows[43].value.kind is ValueKind.EMPTY  # not reported, not zero
    assert (rows[70].label, rows[70].value.number, rows[70].row_path) == (
        "Số TTHC được công bố mới",
        Decimal(57),
        "III/2/#1",
    )


def test_crlf_and_trailing_signature(tmp_path: Path, text: str) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes((text + "\nNgười lập biểu\n\nNguyễn Văn A\n").replace("\n", "\r\n").encode("utf-8"))
    copy = path.read_bytes().decode("utf-8")
    result = soctrang_2021.parse(copy, "crlf.txt")
    assert len(result.rows) == 175
    assert result.line_count == 223  # 220 + "Người lập biểu", "", "Nguyễn Văn A"
    assert [rec.line_class for rec in result.lines[-4:]] == [
        LineClass.STATISTIC,
        LineClass.STRUCTURE,
        LineClass.BLANK,
        LineClass.STRUCTURE,
    ]
    assert result.lines[-1].reason == "text after the table"


# ---------------------------------------------------------------------------------------------------
# Template rows seed
# ---------------------------------------------------------------------------------------------------


def test_template_rows_seed_matches_the_sample(result: ParseResult) -> None:
    seed = read_template_rows_seed(SEED)
    ids = [r["template_row_id"] for r in seed]
    assert len(ids) == len(set(ids)) == len(result.rows)
    assert all(i.isascii() and i.startswith("st21.") for i in ids)
    assert all(r["parent_template_row_id"] in set(ids) for r in seed if r["parent_template_row_id"])
    by_id = {r["template_row_id"]: r for r in seed}
    for row, entry in zip(result.rows, seed, strict=True):
        assert entry["section_code"] == row.section_code
        assert entry["row_code"] == row.row_code
        assert fuzz.ratio(label_key(entry["label_vi"]), label_key(row.label)) >= 90, entry
        parent = entry["parent_template_row_id"]
        assert (parent == "") == (row.parent_row_path is None)
        if parent:
            assert entry["template_row_id"].startswith(by_id[parent]["template_row_id"] + ".")
    assert by_id["st21.III.2"]["label_vi"] == "Thống kê TTHC"  # typo "Thông kê" fixed
    assert by_id["st21.VII.1"]["label_vi"] == "Tham gia Hệ thống họp trực tuyến của tỉnh"
    assert by_id["st21.III.2.03.01"]["parent_template_row_id"] == "st21.III.2.03"
    assert by_id["st21.I.1.01"]["unit_vi"] == "Nhiệm vụ"
