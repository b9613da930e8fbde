"""Tests of ingest.header: what a document says about its unit and period.

Expected values were read by eye from data/reports/ (line numbers as ``cat -n`` shows them).
"""

from __future__ import annotations

import pytest

from ingest.header import detect_header
from ingest.records import HeaderInfo
from ingest.text import split_lines


def test_thanh_tri_markdown_title(sample_texts: dict[str, str]) -> None:
    # line 4: "NĂM 2021****TẠI UBND HUYỆN THẠNH TRỊ**"
    h = detect_header(split_lines(sample_texts["soctrang-thanhtri-2021-year.txt"]))
    assert h.unit_name == "huyện Thạnh Trị"
    assert h.unit_line == 4
    assert (h.period_type, h.period_year, h.period_number) == ("year", 2021, None)
    assert h.period_text == "NĂM 2021"
    assert h.period_line == 4


def test_vinh_chau_upper_case_title(sample_texts: dict[str, str]) -> None:
    # line 5: "QUÝ III NĂM 2022 CỦA THỊ XÃ VĨNH CHÂU"; line 7 has the date "ngày tháng 9 năm 2022"
    h = detect_header(split_lines(sample_texts["soctrang-vinhchau-2022-q3.txt"]))
    assert h.unit_name == "thị xã Vĩnh Châu"
    assert (h.unit_line, h.period_line) == (5, 5)
    assert (h.period_type, h.period_year, h.period_number) == ("quarter", 2022, 3)


def test_duyen_hai_title_and_time_line(sample_texts: dict[str, str]) -> None:
    # line 9: "thị xã Duyên Hải quý I năm 2023**"; line 214: "Thời gian: Quý I năm 2023"
    h = detect_header(split_lines(sample_texts["travinh-duyenhai-2023-q1.txt"]))
    assert h.unit_name == "thị xã Duyên Hải"
    assert h.unit_line == 9
    assert (h.period_type, h.period_year, h.period_number) == ("quarter", 2023, 1)
    assert h.period_line == 214
    assert h.period_text == "Quý I năm 2023"


def test_cat_thanh_wrapped_over_blank_lines(sample_texts: dict[str, str]) -> None:
    # lines 1-5: "... của UBND huyện Trực / Ninh ...; UBND thị trấn / Cát Thành báo cáo ... quý III năm 2024"
    # the parent district (huyện Trực Ninh, line 1) must not be taken for the reporting unit
    h = detect_header(split_lines(sample_texts["namdinh-catthanh-2024-q3.txt"]))
    assert h.unit_name == "thị trấn Cát Thành"
    assert h.unit_line == 3
    assert (h.period_type, h.period_year, h.period_number) == ("quarter", 2024, 3)
    assert h.period_line == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BÁO CÁO\nKết quả CCHC 6 tháng đầu năm 2023 của huyện Cầu Ngang", ("half", 2023, 1)),
        ("BÁO CÁO\nKết quả CCHC 6 tháng cuối năm 2022", ("half", 2022, 2)),
        ("BÁO CÁO\nKết quả CCHC 9 tháng năm 2024 của xã Tân Túc", ("nine_months", 2024, None)),
        ("Báo cáo CCHC quý 2 năm 2023", ("quarter", 2023, 2)),
        ("Báo cáo CCHC QUÝ IV/2021", ("quarter", 2021, 4)),
        ("Báo cáo định kỳ năm 2024; UBND xã A báo cáo quý III năm 2024", ("quarter", 2024, 3)),
    ],
)
def test_period_types(text: str, expected: tuple[str, int, int | None]) -> None:
    h = detect_header(split_lines(text))
    assert (h.period_type, h.period_year, h.period_number) == expected


def test_unit_kinds_names_and_case() -> None:
    h = detect_header(["BÁO CÁO CCHC QUÝ I NĂM 2023 CỦA UBND PHƯỜNG 3"])
    assert h.unit_name == "phường 3"
    h = detect_header(["Ủy ban nhân dân THÀNH PHỐ SÓC TRĂNG báo cáo kết quả CCHC năm 2022"])
    assert h.unit_name == "thành phố Sóc Trăng"
    assert (h.period_type, h.period_year) == ("year", 2022)
    h = detect_header(["", "UBND quận Bình Thạnh", "", "Báo cáo CCHC quý 1 năm 2023"])
    assert (h.unit_name, h.unit_line, h.period_line) == ("quận Bình Thạnh", 2, 4)


def test_diacritics_are_kept_and_nfc() -> None:
    decomposed = "Báo cáo CCHC năm 2021 của huye\u0323\u0302n Tha\u0323nh Trị"  # NFD marks
    h = detect_header([decomposed])
    assert h.unit_name == "huyện Thạnh Trị"


def test_no_unit_no_period_gives_none() -> None:
    assert detect_header(["Báo cáo kết quả công tác cải cách hành chính", "", "Nội dung"]) == HeaderInfo()
    assert detect_header([]) == HeaderInfo()


def test_dates_are_not_periods() -> None:
    h = detect_header(["Thị xã Duyên Hải, ngày 03 tháng 3 năm 2023", "BÁO CÁO kết quả CCHC"])
    assert h.period_type is None
    assert h.unit_name == "thị xã Duyên Hải"


@pytest.mark.parametrize(
    ("lines", "unit"),
    [
        (["BÁO CÁO QUÝ III NĂM 2022 CỦA THỊ XÃ NGÃ NĂM"], "thị xã Ngã Năm"),
        (["UBND THỊ XÃ NGÃ NĂM", "BÁO CÁO NĂM 2021"], "thị xã Ngã Năm"),
        (["THỊ XÃ NGÃ NĂM NĂM 2022"], "thị xã Ngã Năm"),
        (["THỊ XÃ VĨNH CHÂU NĂM 2022"], "thị xã Vĩnh Châu"),
        (["huyện Năm Căn quý I năm 2023"], "huyện Năm Căn"),
    ],
)
def test_nam_is_a_name_word_unless_a_year_follows(lines: list[str], unit: str) -> None:
    assert detect_header(lines).unit_name == unit
