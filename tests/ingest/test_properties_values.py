"""Property-based tests of the value parser (ingest.values): random and mutated value cells.

``parse_value`` raises nothing but :class:`ValueParseError` (documented: a numeric-looking cell that is
no number), and what it returns keeps the raw text (NFC) and holds together: a percent, a count or a
code has a number, a ratio has its numerator and denominator, an empty value has none.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from hostile_text import apply_edits, edits, hostile_string
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.errors import ValueParseError
from ingest.records import ParsedValue, ValueKind
from ingest.values import extract_note_facts, parse_value

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)

REAL_VALUES = (
    "5.327",
    "66,67",
    "13.5%",
    "100%",
    "Trên 90%",
    "Dưới 5%",
    "Khoảng 20",
    "Từ 80% trở lên",
    "10/10 xã",
    "10/10 xã, thị trấn",
    "7/2.220",
    "25 Nhiệm vụ",
    "3 đơn vị (phòng Nội vụ)",
    "Chưa",
    "Không",
    "Có",
    "-",
    "...",
    "",
    "<b>12</b>",
    "1.228¹",
    "15/12/2022",
    "12 tin và 12 bài",
    "Đạt 100%",
)
REAL_UNITS = ("", "%", "Tỷ lệ %", "Văn bản", "Nhiệm vụ", "Hồ sơ", "Có = 1 Không = 0", "Trực tuyến = 0")
QUALIFIERS = {None, ">", "<", ">=", "<=", "~"}
NUMBERED = {ValueKind.COUNT, ValueKind.PERCENT, ValueKind.RATIO, ValueKind.CODE}

mutated_value = st.builds(
    lambda base, changes: apply_edits(base, changes).replace("\n", " "),
    st.sampled_from(REAL_VALUES),
    edits,
)
value_cell = st.one_of(mutated_value, hostile_string, st.text(max_size=20))
unit_cell = st.one_of(st.sampled_from(REAL_UNITS), hostile_string)


def check_value(value: ParsedValue, raw_value: str) -> None:
    """The invariants of a parsed value."""
    assert value.raw == unicodedata.normalize("NFC", raw_value)
    assert value.kind in ValueKind
    assert value.qualifier in QUALIFIERS
    if value.kind in NUMBERED:
        assert isinstance(value.number, Decimal)
        assert value.number.is_finite()
    if value.kind is ValueKind.EMPTY:
        assert value.number is None and value.numerator is None and value.denominator is None
    if value.kind is ValueKind.RATIO:
        assert value.numerator is not None and value.denominator is not None
        assert value.number == value.numerator
    if value.kind is ValueKind.TEXT:
        assert value.text and value.number is None
    for words in (value.text, value.unit_in_value):
        assert words is None or words == words.strip()


@SETTINGS
@given(raw=value_cell, unit=unit_cell)
@example(raw="1.2.3", unit="")
@example(raw="12,,5", unit="%")
@example(raw="Trên\x1b90%", unit="")
@example(raw="1e999999", unit="")
@example(raw="10/0", unit="")
def test_parse_value_never_crashes_and_holds_together(raw: str, unit: str) -> None:
    try:
        value = parse_value(raw, unit, source_file="f.txt", line=7)
    except ValueParseError as exc:
        assert exc.source_file == "f.txt" and exc.line == 7
        assert str(exc).startswith("f.txt:7: ")
        return
    check_value(value, raw)
    # the raw text read again gives the same value (raw is NFC: parsing is NFC-invariant)
    assert parse_value(value.raw, unit) == value


@SETTINGS
@given(raw=value_cell, unit=unit_cell)
def test_parse_value_is_normalization_invariant(raw: str, unit: str) -> None:
    nfd = unicodedata.normalize("NFD", raw)
    try:
        expected = parse_value(raw, unit)
    except ValueParseError as exc:
        try:
            parse_value(nfd, unit)
        except ValueParseError as again:
            assert again.message == exc.message
        else:
            raise AssertionError("the NFD form parsed but the NFC form did not") from exc
        return
    assert parse_value(nfd, unit) == expected


@SETTINGS
@given(note=st.one_of(mutated_value, hostile_string, st.text(max_size=40)), start=st.integers(1, 500))
@example(note="909 trước hạn, 99,95%", start=3)
def test_note_facts_never_crash_and_stay_on_the_rows_lines(note: str, start: int) -> None:
    facts = extract_note_facts(note, start, start + 2)
    for fact in facts:
        assert fact.raw
        assert fact.raw in unicodedata.normalize("NFC", note)
        assert start <= fact.line_start <= fact.line_end <= start + 2
        assert fact.value.kind in NUMBERED
        assert fact.value.number is not None
