"""Tests of ingest/values.py: value cells, numbers, units, code lists and note facts.

Expected values are read by eye from the cells of the sample reports in data/reports/ (quoted in the
cases) and from the way values are written as described in docs/domain.md.
"""

from __future__ import annotations

import contextlib
import time
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.errors import CchcError, ValueParseError
from ingest.records import NoteFact, ParsedValue, ValueKind
from ingest.values import code_list, extract_note_facts, is_percent_unit, parse_number, parse_value

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
SOCTRANG_2021 = REPORTS / "soctrang-thanhtri-2021-year.txt"
SOCTRANG_2022 = REPORTS / "soctrang-vinhchau-2022-q3.txt"

D = Decimal


# ---------------------------------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "percent_context", "expected"),
    [
        ("5.327", False, D("5327")),
        ("66,67", False, D("66.67")),
        ("1.228", False, D("1228")),
        ("132.928", False, D("132928")),
        ("2.953", False, D("2953")),
        ("68.826", False, D("68826")),
        ("01", False, D("1")),
        ("04", False, D("4")),
        ("02", False, D("2")),
        ("2401", False, D("2401")),
        ("0", False, D("0")),
        ("1.228,5", False, D("1228.5")),
        ("2.220", False, D("2220")),
        ("13.5", True, D("13.5")),
        ("99.95", True, D("99.95")),
        ("10,71", True, D("10.71")),
        ("1.228", True, D("1228")),  # three digits after a single '.' are a thousands group, always
        (" 41,8 ", False, D("41.8")),
    ],
)
def test_parse_number(text: str, percent_context: bool, expected: Decimal) -> None:
    result = parse_number(text, percent_context=percent_context)
    assert isinstance(result, Decimal)
    assert result == expected


def test_parse_number_whole_numbers_are_exact() -> None:
    result = parse_number("2.953")
    assert result == Decimal("2953")
    assert result.as_tuple().exponent == 0


@pytest.mark.parametrize(
    ("text", "percent_context", "expected_in_message"),
    [
        ("13.5", False, "ambiguous"),
        ("1.2.3", False, "'1.2.3'"),
        ("1.2.3", True, "'1.2.3'"),
        ("12,,5", False, "'12,,5'"),
        ("1000.000", False, "'1000.000'"),
        ("", False, "empty"),
        ("abc", False, "'abc'"),
        ("12 345", False, "'12 345'"),
    ],
)
def test_parse_number_refuses(text: str, percent_context: bool, expected_in_message: str) -> None:
    with pytest.raises(ValueParseError) as info:
        parse_number(text, percent_context=percent_context)
    assert expected_in_message in str(info.value)


# ---------------------------------------------------------------------------------------------------
# units: percent and code lists
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("%", True),
        (" % ", True),
        ("(%)", True),
        ("Tỷ lệ %", True),
        ("phần trăm", True),
        ("Văn bản", False),
        ("Có = 1 Không = 0", False),
        ("", False),
    ],
)
def test_is_percent_unit(unit: str, expected: bool) -> None:
    assert is_percent_unit(unit) is expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("Có = 1 Không = 0", {1: "Có", 0: "Không"}),
        ("Không = 0; Có = 1", {0: "Không", 1: "Có"}),
        ("Có = 1; Không = 0", {1: "Có", 0: "Không"}),
        ("Tốt = 1 Có vi phạm = 0", {1: "Tốt", 0: "Có vi phạm"}),
        ("Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", {0: "Trực tuyến", 1: "Phát phiếu", 2: "Kết hợp"}),
        ("Đã thực hiện = 1 Chưa thực hiện = 0", {1: "Đã thực hiện", 0: "Chưa thực hiện"}),
        ("Chưa = 0 Hoàn thành = 1", {0: "Chưa", 1: "Hoàn thành"}),
        ("Chưa có = 0 2 cấp = 1 3 cấp = 2", {0: "Chưa có", 1: "2 cấp", 2: "3 cấp"}),
        ("Chưa = 0 Đang làm = 1 Hoàn thành = 2", {0: "Chưa", 1: "Đang làm", 2: "Hoàn thành"}),
        # split over lines as in the PDF text of the Nam Định report, extra spaces, commas
        ("Có = 1; \nKhông = 0", {1: "Có", 0: "Không"}),
        ("Trực tuyến = 0\nPhát phiếu = 1\nKết hợp = 2", {0: "Trực tuyến", 1: "Phát phiếu", 2: "Kết hợp"}),
        ("Có=1,   Không=0", {1: "Có", 0: "Không"}),
        ("<i>Có = 1 Không = 0</i>", {1: "Có", 0: "Không"}),
    ],
)
def test_code_list(unit: str, expected: dict[int, str]) -> None:
    assert code_list(unit) == expected


@pytest.mark.parametrize("unit", ["", "%", "Văn bản", "Cơ quan, đơn vị", "Số lượng", "Có/Không"])
def test_code_list_none_for_plain_units(unit: str) -> None:
    assert code_list(unit) is None


# ---------------------------------------------------------------------------------------------------
# parse_value
# ---------------------------------------------------------------------------------------------------

CaseFields = dict[str, object]


def _check(result: ParsedValue, raw_value: str, expected: CaseFields) -> None:
    assert result.raw == raw_value
    fields: CaseFields = {
        "kind": result.kind,
        "number": result.number,
        "qualifier": result.qualifier,
        "numerator": result.numerator,
        "denominator": result.denominator,
        "text": result.text,
        "unit_in_value": result.unit_in_value,
    }
    defaults: CaseFields = {
        "number": None,
        "qualifier": None,
        "numerator": None,
        "denominator": None,
        "text": None,
        "unit_in_value": None,
    }
    assert fields == {**defaults, **expected}


@pytest.mark.parametrize(
    ("raw_value", "raw_unit", "expected"),
    [
        # plain counts, Vietnamese separators
        ("5.327", "Hồ sơ", {"kind": ValueKind.COUNT, "number": D("5327")}),
        ("1.228", "Số lượng", {"kind": ValueKind.COUNT, "number": D("1228")}),
        ("132.928", "Triệu đồng", {"kind": ValueKind.COUNT, "number": D("132928")}),
        ("2401", "Hồ sơ", {"kind": ValueKind.COUNT, "number": D("2401")}),
        ("04", "Văn bản", {"kind": ValueKind.COUNT, "number": D("4")}),
        ("01", "Đơn vị", {"kind": ValueKind.COUNT, "number": D("1")}),
        ("0", "", {"kind": ValueKind.COUNT, "number": D("0")}),
        ("2.953", "", {"kind": ValueKind.COUNT, "number": D("2953")}),
        # percents: in the value, in the unit, or both
        ("100%", "", {"kind": ValueKind.PERCENT, "number": D("100")}),
        ("66,67", "%", {"kind": ValueKind.PERCENT, "number": D("66.67")}),
        ("20%", "%", {"kind": ValueKind.PERCENT, "number": D("20")}),
        ("13.5%", "%", {"kind": ValueKind.PERCENT, "number": D("13.5")}),
        ("13.5%", "", {"kind": ValueKind.PERCENT, "number": D("13.5")}),
        ("13.5", "%", {"kind": ValueKind.PERCENT, "number": D("13.5")}),
        ("99,5", "%", {"kind": ValueKind.PERCENT, "number": D("99.5")}),
        ("100", "%", {"kind": ValueKind.PERCENT, "number": D("100")}),
        ("10%", "", {"kind": ValueKind.PERCENT, "number": D("10")}),
        ("100 %", "", {"kind": ValueKind.PERCENT, "number": D("100")}),
        # a count written in a row whose unit is "%" (2022 report: "Số nhiệm vụ đề ra" | % | 27) stays
        # PERCENT; the canonical layer decides
        ("27", "%", {"kind": ValueKind.PERCENT, "number": D("27")}),
        # a percent written in a count row stays PERCENT
        ("100%", "Nhiệm vụ", {"kind": ValueKind.PERCENT, "number": D("100")}),
        ("Đạt 100%", "", {"kind": ValueKind.PERCENT, "number": D("100")}),
        # value and unit merged (Sóc Trăng 2021)
        (
            "25 Nhiệm vụ",
            "",
            {"kind": ValueKind.COUNT, "number": D("25"), "text": "Nhiệm vụ", "unit_in_value": "Nhiệm vụ"},
        ),
        (
            "11 Văn bản",
            "",
            {"kind": ValueKind.COUNT, "number": D("11"), "text": "Văn bản", "unit_in_value": "Văn bản"},
        ),
        (
            "02 Người",
            "",
            {"kind": ValueKind.COUNT, "number": D("2"), "text": "Người", "unit_in_value": "Người"},
        ),
        (
            "0 Văn bản",
            "",
            {"kind": ValueKind.COUNT, "number": D("0"), "text": "Văn bản", "unit_in_value": "Văn bản"},
        ),
        (
            "129 Người",
            "",
            {"kind": ValueKind.COUNT, "number": D("129"), "text": "Người", "unit_in_value": "Người"},
        ),
        (
            "<b>17 Văn bản</b>",
            "",
            {"kind": ValueKind.COUNT, "number": D("17"), "text": "Văn bản", "unit_in_value": "Văn bản"},
        ),
        (
            "3 đơn vị (phòng LĐTĐ-XH; trường Tiểu học Thạnh Trị 1; trường TH Lâm Tân 1)",
            "",
            {
                "kind": ValueKind.COUNT,
                "number": D("3"),
                "text": "đơn vị (phòng LĐTĐ-XH; trường Tiểu học Thạnh Trị 1; trường TH Lâm Tân 1)",
                "unit_in_value": "đơn vị",
            },
        ),
        # a unit alone in the value cell: not reported
        ("Văn bản", "", {"kind": ValueKind.EMPTY, "unit_in_value": "Văn bản"}),
        ("Vấn đề", "", {"kind": ValueKind.EMPTY, "unit_in_value": "Vấn đề"}),
        ("Cơ quan, đơn vị", "", {"kind": ValueKind.EMPTY, "unit_in_value": "Cơ quan, đơn vị"}),
        ("%", "", {"kind": ValueKind.EMPTY, "unit_in_value": "%"}),
        ("Tin, bài", "", {"kind": ValueKind.EMPTY, "unit_in_value": "Tin, bài"}),
        ("Người", "", {"kind": ValueKind.EMPTY, "unit_in_value": "Người"}),
        ("Nhiệm vụ", "", {"kind": ValueKind.EMPTY, "unit_in_value": "Nhiệm vụ"}),
        ("Ban", "Ban", {"kind": ValueKind.EMPTY, "unit_in_value": "Ban"}),  # equal to the unit column
        # fractions: number is the numerator, not a percent
        (
            "10/10 xã, thị trấn",
            "",
            {
                "kind": ValueKind.RATIO,
                "number": D("10"),
                "numerator": D("10"),
                "denominator": D("10"),
                "text": "xã, thị trấn",
            },
        ),
        (
            "12/12",
            "",
            {"kind": ValueKind.RATIO, "number": D("12"), "numerator": D("12"), "denominator": D("12")},
        ),
        (
            "20/20",
            "",
            {"kind": ValueKind.RATIO, "number": D("20"), "numerator": D("20"), "denominator": D("20")},
        ),
        ("8/8", "", {"kind": ValueKind.RATIO, "number": D("8"), "numerator": D("8"), "denominator": D("8")}),
        (
            "1228/1288",
            "",
            {"kind": ValueKind.RATIO, "number": D("1228"), "numerator": D("1228"), "denominator": D("1288")},
        ),
        (
            "7/2.220",
            "",
            {"kind": ValueKind.RATIO, "number": D("7"), "numerator": D("7"), "denominator": D("2220")},
        ),
        # bounds
        ("Trên 90%", "", {"kind": ValueKind.PERCENT, "number": D("90"), "qualifier": ">"}),
        ("Dưới 10%", "", {"kind": ValueKind.PERCENT, "number": D("10"), "qualifier": "<"}),
        ("Từ 90% trở lên", "", {"kind": ValueKind.PERCENT, "number": D("90"), "qualifier": ">="}),
        ("ít nhất 80%", "", {"kind": ValueKind.PERCENT, "number": D("80"), "qualifier": ">="}),
        ("Khoảng 50", "", {"kind": ValueKind.COUNT, "number": D("50"), "qualifier": "~"}),
        ("Tối đa 5", "", {"kind": ValueKind.COUNT, "number": D("5"), "qualifier": "<="}),
        ("Trên 90", "%", {"kind": ValueKind.PERCENT, "number": D("90"), "qualifier": ">"}),
        # words
        ("Chưa", "Cơ quan, đơn vị", {"kind": ValueKind.TEXT, "text": "Chưa"}),
        ("Không", "Vấn đề", {"kind": ValueKind.TEXT, "text": "Không"}),
        ("Không", "", {"kind": ValueKind.TEXT, "text": "Không"}),
        ("Có", "", {"kind": ValueKind.TEXT, "text": "Có"}),
        # coded answers
        ("Không", "Có = 1 Không = 0", {"kind": ValueKind.CODE, "number": D("0"), "text": "Không"}),
        ("Có", "Không = 0; Có = 1", {"kind": ValueKind.CODE, "number": D("1"), "text": "Có"}),
        ("1", "Có = 1; Không = 0", {"kind": ValueKind.CODE, "number": D("1")}),
        ("0", "Có = 1; Không = 0", {"kind": ValueKind.CODE, "number": D("0")}),
        (
            "6",
            "Không = 0; Có = 1",
            {"kind": ValueKind.CODE, "number": D("6")},
        ),  # out of list: the audit flags it
        ("1", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", {"kind": ValueKind.CODE, "number": D("1")}),
        (
            "Kết hợp",
            "Trực tuyến = 0\nPhát phiếu = 1\nKết hợp = 2",
            {"kind": ValueKind.CODE, "number": D("2"), "text": "Kết hợp"},
        ),
        (
            "2 cấp",
            "Chưa có = 0 2 cấp = 1 3 cấp = 2",
            {"kind": ValueKind.CODE, "number": D("1"), "text": "2 cấp"},
        ),
        (
            "Đang làm",
            "Chưa = 0 Đang làm = 1 Hoàn thành = 2",
            {"kind": ValueKind.CODE, "number": D("1"), "text": "Đang làm"},
        ),
        (
            "chưa thực hiện",
            "Đã thực hiện = 1 Chưa thực hiện = 0",
            {"kind": ValueKind.CODE, "number": D("0"), "text": "chưa thực hiện"},
        ),
        ("Tốt", "Tốt = 1 Có vi phạm = 0", {"kind": ValueKind.CODE, "number": D("1"), "text": "Tốt"}),
        # a word not in the code list stays TEXT
        ("Chưa", "Có = 1 Không = 0", {"kind": ValueKind.TEXT, "text": "Chưa"}),
        # empty: never zero
        ("", "", {"kind": ValueKind.EMPTY}),
        ("   ", "Văn bản", {"kind": ValueKind.EMPTY}),
        ("-", "", {"kind": ValueKind.EMPTY}),
        ("–", "", {"kind": ValueKind.EMPTY}),
        ("...", "", {"kind": ValueKind.EMPTY}),
        ("---", "", {"kind": ValueKind.EMPTY}),
        ("", "%", {"kind": ValueKind.EMPTY}),
        ("", "Có = 1 Không = 0", {"kind": ValueKind.EMPTY}),
        # free text
        ("UBND xã Tân Túc", "", {"kind": ValueKind.TEXT, "text": "UBND xã Tân Túc"}),
        ("12 tin và 12 bài chuyên mục", "", {"kind": ValueKind.TEXT, "text": "12 tin và 12 bài chuyên mục"}),
        (
            "- Đối với cuộc thanh tra quản lý và sử dụng",
            "",
            {"kind": ValueKind.TEXT, "text": "- Đối với cuộc thanh tra quản lý và sử dụng"},
        ),
        (
            "<p>- Đã thu hồi tổng số tiền <b>65.670.700đ</b>, đạt 100% tỷ lệ thu hồi</p>",
            "",
            {"kind": ValueKind.TEXT, "text": "- Đã thu hồi tổng số tiền 65.670.700đ, đạt 100% tỷ lệ thu hồi"},
        ),
        ("12/01/2021", "", {"kind": ValueKind.TEXT, "text": "12/01/2021"}),  # a date is text, not a number
        # markup and footnote marks are removed before reading; raw keeps them
        ("**100%**", "", {"kind": ValueKind.PERCENT, "number": D("100")}),
        ("12¹", "Văn bản", {"kind": ValueKind.COUNT, "number": D("12")}),
    ],
)
def test_parse_value(raw_value: str, raw_unit: str, expected: CaseFields) -> None:
    _check(parse_value(raw_value, raw_unit), raw_value, expected)


def test_parse_value_keeps_raw_text_nfc() -> None:
    decomposed = "25 Nhie\u0302\u0323m vu\u0323"  # "25 Nhiệm vụ" with combining marks
    result = parse_value(decomposed)
    assert result.raw == "25 Nhiệm vụ"
    assert result.unit_in_value == "Nhiệm vụ"
    assert result.number == Decimal("25")


@pytest.mark.parametrize(
    ("raw_value", "raw_unit", "expected_in_message"),
    [
        ("1.2.3", "", "'1.2.3'"),
        ("12,,5", "Hồ sơ", "'12,,5'"),
        ("13.5", "Hồ sơ", "ambiguous"),  # '.' + 2 digits outside a percent context
        ("1.2.3%", "", "'1.2.3'"),
        ("5.327/1.2.3", "", "'1.2.3'"),
        ("12 345", "", "'12 345'"),
    ],
)
def test_parse_value_errors_name_file_and_line(
    raw_value: str, raw_unit: str, expected_in_message: str
) -> None:
    with pytest.raises(ValueParseError) as info:
        parse_value(raw_value, raw_unit, source_file="reports/x.txt", line=42)
    error = info.value
    assert isinstance(error, CchcError)
    assert error.source_file == "reports/x.txt"
    assert error.line == 42
    message = str(error)
    assert message.startswith("reports/x.txt:42: ")
    assert expected_in_message in message
    assert "expected" in message


# ---------------------------------------------------------------------------------------------------
# Regression net over the real Sóc Trăng value cells
# ---------------------------------------------------------------------------------------------------


def _value_cells(path: Path, value_index: int, unit_index: int | None) -> list[tuple[int, str, str]]:
    cells = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split("\t")
        if len(parts) > value_index:
            unit = parts[unit_index] if unit_index is not None else ""
            cells.append((line_no, parts[value_index], unit))
    return cells


def _assert_no_floats(value: ParsedValue) -> None:
    for number in (value.number, value.numerator, value.denominator):
        assert number is None or isinstance(number, Decimal)
        assert not isinstance(number, float)


@pytest.mark.parametrize(
    ("path", "value_index", "unit_index"),
    [(SOCTRANG_2021, 2, None), (SOCTRANG_2022, 3, 2)],
    ids=["soctrang_2021", "soctrang_2022"],
)
def test_every_soctrang_value_cell_parses(path: Path, value_index: int, unit_index: int | None) -> None:
    cells = _value_cells(path, value_index, unit_index)
    assert len(cells) > 100  # the table really was read
    kinds: dict[ValueKind, int] = {}
    for line_no, raw_value, raw_unit in cells:
        value = parse_value(raw_value, raw_unit, source_file=path.name, line=line_no)
        _assert_no_floats(value)
        kinds[value.kind] = kinds.get(value.kind, 0) + 1
        if value.kind is ValueKind.EMPTY:
            assert value.number is None
        if value.kind in (ValueKind.COUNT, ValueKind.PERCENT, ValueKind.RATIO, ValueKind.CODE):
            assert value.number is not None
    assert kinds.get(ValueKind.COUNT, 0) > 20
    assert kinds.get(ValueKind.EMPTY, 0) > 20


def _cell(path: Path, label_part: str, value_index: int, unit_index: int | None) -> tuple[str, str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) > value_index and label_part in parts[1]:
            return parts[value_index], parts[unit_index] if unit_index is not None else ""
    raise AssertionError(f"no row with {label_part!r} in {path.name}")


@pytest.mark.parametrize(
    ("path", "label_part", "value_index", "unit_index", "kind", "number"),
    [
        # 2022: "Tỷ lệ hoàn thành Kế hoạch CCHC năm ... | % | 66,67"
        (SOCTRANG_2022, "Tỷ lệ hoàn thành Kế hoạch CCHC năm", 3, 2, ValueKind.PERCENT, D("66.67")),
        # 2022: "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn | Hồ sơ | 4.823"
        (SOCTRANG_2022, "cấp huyện tiếp nhận được giải quyết đúng hạn", 3, 2, ValueKind.COUNT, D("4823")),
        # 2022: "Hình thức khảo sát | Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2 | 1"
        (SOCTRANG_2022, "Hình thức khảo sát", 3, 2, ValueKind.CODE, D("1")),
        # 2022: "Thực hiện khen thưởng về kết quả CCHC | Không = 0; Có = 1 | 6"
        (SOCTRANG_2022, "Thực hiện khen thưởng về kết quả CCHC", 3, 2, ValueKind.CODE, D("6")),
        # 2021: "Số nhiệm vụ đề ra trong kế hoạch | 25 Nhiệm vụ"
        (SOCTRANG_2021, "Số nhiệm vụ đề ra trong kế hoạch", 2, None, ValueKind.COUNT, D("25")),
        # 2021: "Số UBND cấp xã đã kiểm tra | 10/10 xã, thị trấn"
        (SOCTRANG_2021, "Số UBND cấp xã đã kiểm tra", 2, None, ValueKind.RATIO, D("10")),
    ],
)
def test_soctrang_cells_read_by_eye(
    path: Path,
    label_part: str,
    value_index: int,
    unit_index: int | None,
    kind: ValueKind,
    number: Decimal,
) -> None:
    raw_value, raw_unit = _cell(path, label_part, value_index, unit_index)
    value = parse_value(raw_value, raw_unit)
    assert value.kind is kind
    assert value.number == number


# ---------------------------------------------------------------------------------------------------
# extract_note_facts
# ---------------------------------------------------------------------------------------------------

FactFields = dict[str, object]


def _fact_fields(fact: NoteFact) -> FactFields:
    fields: FactFields = {"raw": fact.raw, "kind": fact.value.kind, "number": fact.value.number}
    if fact.value.numerator is not None:
        fields["numerator"] = fact.value.numerator
        fields["denominator"] = fact.value.denominator
    if fact.keyword is not None:
        fields["keyword"] = fact.keyword
    if fact.value.qualifier is not None:
        fields["qualifier"] = fact.value.qualifier
    return fields


def _pct(raw: str, number: str, **extra: object) -> FactFields:
    return {"raw": raw, "kind": ValueKind.PERCENT, "number": D(number), **extra}


def _count(raw: str, number: str, keyword: str | None = None) -> FactFields:
    fields: FactFields = {"raw": raw, "kind": ValueKind.COUNT, "number": D(number)}
    if keyword is not None:
        fields["keyword"] = keyword
    return fields


def _ratio(raw: str, num: str, den: str, keyword: str | None = None) -> FactFields:
    fields: FactFields = {
        "raw": raw,
        "kind": ValueKind.RATIO,
        "number": D(num),
        "numerator": D(num),
        "denominator": D(den),
    }
    if keyword is not None:
        fields["keyword"] = keyword
    return fields


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("99,95%", [_pct("99,95%", "99.95")]),
        ("100%", [_pct("100%", "100")]),
        ("55,2%", [_pct("55,2%", "55.2")]),
        ("18%", [_pct("18%", "18")]),
        ("Trên 90%", [_pct("Trên 90%", "90", qualifier=">")]),
        ("Từ 90% trở lên", [_pct("Từ 90% trở lên", "90", qualifier=">=")]),
        # Nam Định PDF text: "909 trước" / "hạn" joined by the caller
        ("909 trước hạn", [_count("909 trước hạn", "909", "trước hạn")]),
        ("1228/1288", [_ratio("1228/1288", "1228", "1288")]),
        (
            "gồm: 02 ĐVSN trực thuộc UBND thị xã và 43 trường học",
            [_count("02 ĐVSN", "2", "ĐVSN"), _count("43 trường học", "43", "trường học")],
        ),
        ("phát thêm 6 tin ngắn liên quan đến hoạt động CCHC", [_count("6 tin ngắn", "6", "tin ngắn")]),
        (
            "1228/1288 (hồ sơ trực tuyến)",
            [_ratio("1228/1288 (hồ sơ trực tuyến)", "1228", "1288", "hồ sơ trực tuyến")],
        ),
        ("28 TTHC ngành dọc", [_count("28 TTHC ngành dọc", "28", "TTHC ngành dọc")]),
        ("12 TTHC ngành dọc", [_count("12 TTHC ngành dọc", "12", "TTHC ngành dọc")]),
        ("64/64", [_ratio("64/64", "64", "64")]),
        ("07/11 nội dung", [_ratio("07/11 nội dung", "7", "11", "nội dung")]),
        ("Đạt 03/03 phòng", [_ratio("03/03 phòng", "3", "3", "phòng")]),
        ("Đạt 06/06 xã, phường", [_ratio("06/06 xã, phường", "6", "6", "xã, phường")]),
        ("Đã tổ chức thực hiện được 18/27 phần việc", [_ratio("18/27 phần việc", "18", "27", "phần việc")]),
        ("Hợp đồng 68", [_count("Hợp đồng 68", "68", "Hợp đồng")]),
        ("2 nhóm", [_count("2 nhóm", "2", "nhóm")]),
        ("Đã gửi 01 tin bài về tỉnh", [_count("01 tin bài", "1", "tin bài")]),
        (
            "7/2.220 (tổng số hồ sơ được cung cấp mức độ 3, 4 có phát sinh là 2.220 hồ sơ; được tiếp nhận "
            "trực tuyến là 7 hồ sơ, được tiếp nhận trực tiếp là 2.213)",
            [
                _ratio("7/2.220", "7", "2220"),
                _count("2.220 hồ sơ", "2220", "hồ sơ"),
                _count("7 hồ sơ", "7", "hồ sơ"),
            ],
        ),
        (
            "Đối thoại trực tiếp nhân dân 26 cuộc, có 229 lượt doanh nghiệp và hộ dân dự",
            [_count("26 cuộc", "26", "cuộc"), _count("229 lượt doanh nghiệp", "229", "lượt doanh nghiệp")],
        ),
        (
            "09 lượt, gồm có về Đảng 05 người; chính quyền 04 người",
            [
                _count("09 lượt", "9", "lượt"),
                _count("05 người", "5", "người"),
                _count("04 người", "4", "người"),
            ],
        ),
        (
            "Khắc phục, hoàn thiện quy trình, thủ tục và đã ban hành 12/12 Quyết định chức năng, nhiệm vụ và "
            "cơ cấu tổ chức của 12 cơ quan chuyên môn.",
            [
                _ratio("12/12 Quyết định chức năng", "12", "12", "Quyết định chức năng"),
                _count("12 cơ quan chuyên môn", "12", "cơ quan chuyên môn"),
            ],
        ),
        # a long narrative note with markup: only the percent and the counted persons
        (
            "<p>- Đối với cuộc thanh tra kinh tế -xã hội: Đã thu hồi tổng số tiền <b>65.670.700đ</b>, "
            "đạt 100% tỷ lệ thu hồi, đã chấn chỉnh rút kinh nghiệm đối với 03 tập thể và 07 cá nhân;</p>",
            [
                _count("65.670.700đ", "65670700", "đ"),
                _pct("100%", "100"),
                _count("03 tập thể", "3", "tập thể"),
                _count("07 cá nhân", "7", "cá nhân"),
            ],
        ),
        # a note that is only a number
        ("1", [_count("1", "1")]),
    ],
)
def test_extract_note_facts(note: str, expected: list[FactFields]) -> None:
    facts = extract_note_facts(note, 12, 14)
    assert [_fact_fields(f) for f in facts] == expected
    for fact in facts:
        assert fact.line_start == 12
        assert fact.line_end == 14
        assert fact.raw in note
        assert fact.value.raw == fact.raw


@pytest.mark.parametrize(
    "note",
    [
        # document references and dates are not figures
        "Kế hoạch số 02/KH-UBND ngày 12/01/2021",
        "Quyết định số 01/2022/QĐ-UBND",
        "Công văn số 153/UBND-VX ngày 23/3/2021",
        "ngày 30/9/2022",
        "Thời gian báo cáo kết quả khắc phục chậm nhất là ngày 30/9/2022",
        "Nghị định số 42/2022/NĐ-CP",
        "Kế hoạch số 168 /KH-UBND ngày 28/12/2022",
        "Kế hoạch số 07/KH-UBND, 27/01/2022",
        "Kế hoạch số: 28/KH-UBND, ngày 2/3/2021",
        "Thực hiện theo công văn số 2230/SNV ngày 25/10/2021 của Sở Nội vụ tỉnh Sóc Trăng",
        "Chương trình số 12-CTr/TU ngày 26/3/2021 của Ban Thường vụ Tỉnh ủy",
        "kế hoạch số 03/KH-UBND ngày 10 tháng 01 năm 2024",
        "Phường 1: Quyết định số 69/QĐ-UBND ngày 02/3/2022; Phường 2: Quyết định số 135/QĐ-UBND",
        # URLs, years, months, year ranges, clock-like and range numbers
        '<a href="https://thanhtri.soctrang.gov.vn/">https://thanhtri.soctrang.gov.vn/</a> (Tin tháng 1)',
        "Tin tháng 10: Bộ Y Tế (Tin tháng 10/2021)",
        "Tin CCHC tháng 4/2021; Tin bài Tháng 07/2021; CCHC tháng 2-2021",
        "năm 2021",
        "Nhìn lại Công tác cải cách hành chính Huyện nhà trong năm 2020",
        "giai đoạn 2021 - 2025",
        "Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
        "thời lượng 4-5 phút",
        "dịch vụ công trực tuyến mức độ 3,4",
        # numbers without a counting word, labels with numbers in longer notes
        "Kỷ luật về Đảng 02; kỷ luật về chính quyền 01 cảnh cáo",
        "Trong đó: hồ sơ qua phần mềm 1 cửa điện tử: 2.833; hồ sơ BHYT: 2.488",
        "Số lượng TTHC đã giải quyết đúng hạn/Số lượng TTHC đã giải quyết.",
        "Cả năm",
        "Quý III",
        "Ghi rõ số lượng đơn vị đã triển khai/tổng số đơn vị",
        "",
    ],
)
def test_extract_note_facts_must_not_extract(note: str) -> None:
    assert extract_note_facts(note, 1, 1) == ()


def test_note_facts_of_real_soctrang_notes_are_conservative() -> None:
    """Over every note of the 2022 report: facts are exact substrings and never pieces of references."""
    lines = SOCTRANG_2022.read_text(encoding="utf-8").splitlines()
    total = 0
    for line_no, line in enumerate(lines, start=1):
        parts = line.split("\t")
        if len(parts) < 5 or not parts[4].strip():
            continue
        note = parts[4]
        for fact in extract_note_facts(note, line_no, line_no):
            total += 1
            at = note.index(fact.raw)
            after = note[at + len(fact.raw) : at + len(fact.raw) + 1]
            before = note[at - 1 : at] if at else ""
            assert after != "/", fact  # not the number of "02/KH-UBND"
            assert not before.isdigit() and before not in {"/", ".", ","}, fact
            assert fact.line_start == fact.line_end == line_no
            _assert_no_floats(fact.value)
    # read by eye in the note column: 18/27 phần việc, 03/03 phòng, 06/06 xã phường, 05 and 04 đơn vị,
    # 07/11 nội dung, 01 tin bài, 09 tập thể, 18 cá nhân, 64/64, 26 cuộc, 229 lượt, 99,95%, 100% ...
    assert total >= 30


# Long hostile cells: the note masks retried every position of a long digit run, word or "1/1/..."
# chain (quadratic: a 16 000-character "1/1/..." note took 31 s). Now each is read in well under a
# second; the bound leaves room for a loaded machine.
@pytest.mark.parametrize("piece", ["9", "1/", "1 / ", "a", "1-", "1:", "a@", "a-"])
def test_long_hostile_notes_are_read_in_linear_time(piece: str) -> None:
    note = piece * (16_000 // len(piece))
    started = time.perf_counter()
    extract_note_facts(note, 1, 1)
    with contextlib.suppress(ValueParseError):  # numeric-looking junk is refused, quickly
        parse_value(note)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("note", "masked_away"),
    [
        ("Kế hoạch số 02/KH-UBND", "02"),
        ("theo Quyết định 01/2022/QĐ-UBND", "2022"),
        ("Công văn 168 /KH-UBND", "168"),
        ("mẫu COVID-19 xong", "19"),
        ("tiếp nhận 12-CTr/TU", "12"),
    ],
)
def test_note_masks_still_hide_references(note: str, masked_away: str) -> None:
    facts = extract_note_facts(note, 1, 1)
    assert all(masked_away not in fact.raw for fact in facts)


def test_parse_value_memoized_errors_name_each_callers_file_and_line() -> None:
    """The cell cache never carries one caller's location to another: each error names its own."""
    for source_file, line in (("a.txt", 3), ("b.txt", 7), ("a.txt", 3)):
        with pytest.raises(ValueParseError) as caught:
            parse_value("1.2.3", source_file=source_file, line=line)
        assert caught.value.source_file == source_file
        assert caught.value.line == line
    first, again = parse_value("5.327"), parse_value("5.327")
    assert first == again and first.number == Decimal(5327)
