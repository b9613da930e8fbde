"""Tests of ingest.detect: family detection, parse_report, decoding."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingest.detect import MIN_SCORE, decode_report, detect_family, parse_report
from ingest.errors import ParseError, TemplateDetectionError
from ingest.families import FAMILIES
from ingest.text import split_lines

EXPECTED = {
    "soctrang-thanhtri-2021-year.txt": "soctrang_2021",
    "soctrang-vinhchau-2022-q3.txt": "soctrang_2022",
    "travinh-duyenhai-2023-q1.txt": "national_2023",
    "namdinh-catthanh-2024-q3.txt": "national_commune_2024",
}


@pytest.mark.parametrize(("name", "family"), sorted(EXPECTED.items()))
def test_each_sample_is_its_family(sample_texts: dict[str, str], name: str, family: str) -> None:
    found, score = detect_family(sample_texts[name], name)
    assert found == family
    assert score >= MIN_SCORE


def test_text_of_no_family_is_refused_with_scores_and_markers() -> None:
    text = "Công thức nấu phở bò\n\nNguyên liệu: xương bò, bánh phở, hành, gừng.\n"
    with pytest.raises(TemplateDetectionError) as info:
        detect_family(text, "pho.txt")
    message = str(info.value)
    assert message.startswith("pho.txt: cannot tell the template family")
    assert "scores:" in message
    assert "Expected markers" in message
    for family in FAMILIES:
        assert family in message


def test_narrative_without_statistics_table_is_refused(sample_texts: dict[str, str]) -> None:
    # the first 3000 characters of the Duyên Hải report: prose only, no "Biểu mẫu" table
    with pytest.raises(TemplateDetectionError):
        detect_family(sample_texts["travinh-duyenhai-2023-q1.txt"][:3000], "head.txt")


@pytest.mark.parametrize("text", ["", "   \n\n \t\n"])
def test_empty_file_is_refused(text: str) -> None:
    with pytest.raises(TemplateDetectionError, match=r"^empty\.txt: empty file"):
        detect_family(text, "empty.txt")


def test_parse_report_fills_header(sample_texts: dict[str, str]) -> None:
    name = "soctrang-vinhchau-2022-q3.txt"
    result = parse_report(sample_texts[name], name)
    assert result.family == "soctrang_2022"
    assert result.header.unit_name == "thị xã Vĩnh Châu"
    assert (result.header.period_type, result.header.period_number, result.header.period_year) == (
        "quarter",
        3,
        2022,
    )
    assert result.line_count == len(split_lines(sample_texts[name]))


def test_parse_report_with_named_template(sample_texts: dict[str, str]) -> None:
    name = "travinh-duyenhai-2023-q1.txt"
    result = parse_report(sample_texts[name], name, template="national_2023")
    assert result.family == "national_2023"
    assert result.rows


def test_unknown_template_lists_known_ones(sample_texts: dict[str, str]) -> None:
    with pytest.raises(TemplateDetectionError) as info:
        parse_report(sample_texts["travinh-duyenhai-2023-q1.txt"], "x.txt", template="national_2099")
    message = str(info.value)
    assert "unknown template 'national_2099'" in message
    for family in FAMILIES:
        assert family in message


def test_nfd_text_is_normalized_before_parsing(sample_texts: dict[str, str]) -> None:
    name = "soctrang-vinhchau-2022-q3.txt"
    nfc_result = parse_report(sample_texts[name], name)
    nfd_result = parse_report(unicodedata.normalize("NFD", sample_texts[name]), name)
    assert nfd_result.rows == nfc_result.rows
    assert nfd_result.header == nfc_result.header


def test_decode_report_refuses_non_utf8_naming_the_line(reports_dir: Path) -> None:
    data = (reports_dir / "soctrang-vinhchau-2022-q3.txt").read_bytes()
    broken = data.replace("Vĩnh Châu".encode(), "Vĩnh Châu".encode("cp1258", errors="replace"), 1)
    assert broken != data
    with pytest.raises(ParseError) as info:
        decode_report(broken, "vinhchau.txt")
    assert (
        info.value.line == 8
    )  # the first "Vĩnh Châu" in mixed case: "của Ủy ban nhân dân thị xã Vĩnh Châu)"
    assert "not UTF-8" in str(info.value)


def test_decode_report_strips_bom_and_normalizes() -> None:
    text = decode_report("\ufeffhuye\u0323\u0302n".encode(), "bom.txt")
    assert text == "huyện"
