"""Property-based tests of the text layer: sniffing, decoding, line splitting, cell cleaning, printing.

Arbitrary bytes are sniffed and decoded without any error but a :class:`CchcError`; UTF-8 text is
accepted as it is; ``printable`` never lets a control character through and ``clean_cell`` never
keeps one; Unicode Vietnamese text is never taken for a legacy font encoding.
"""

from __future__ import annotations

import unicodedata

from hostile_text import SAMPLES_TEXT, hostile_string
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.detect import decode_report
from ingest.errors import CchcError
from ingest.sniff import FORMATS, legacy_font_encoding, sniff_format
from ingest.text import clean_cell, printable, split_lines

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)
MAGICS = (b"%PDF-", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0", b"{\\rtf", b"\xff\xfe", b"\xfe\xff")
# Text a report may hold: anything but the controls that are not whitespace (C0 but \t\n\v\f\r, DEL).
report_char = st.characters(
    exclude_categories=["Cs"],
    exclude_characters="".join(chr(c) for c in [*range(0x09), *range(0x0E, 0x1C), 0x7F]),
)
VIETNAMESE_WORDS = sorted({w for w in SAMPLES_TEXT.split() if not w.isascii()})


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


@SETTINGS
@given(data=st.binary(max_size=300))
@example(data=b"%PDF-")
@example(data=b"PK\x05\x06" + bytes(3))
@example(data=b"PK\x03\x04" + b"\xff" * 40)
@example(data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
@example(data=b"\xff\xfe\x00")
@example(data="Cộng".encode()[:-1])
def test_any_bytes_are_sniffed_and_decoded_or_refused(data: bytes) -> None:
    fmt = sniff_format(data)
    assert fmt in FORMATS
    try:
        text = decode_report(data, "any.bin")
    except CchcError as exc:
        assert str(exc).startswith("any.bin")
        return
    assert fmt == "text"
    assert text == unicodedata.normalize("NFC", data.decode("utf-8").removeprefix("\ufeff"))


@SETTINGS
@given(text=st.text(report_char, max_size=200))
def test_utf8_report_text_is_accepted_as_it_is(text: str) -> None:
    data = text.encode("utf-8")
    if data.startswith(MAGICS) or "\x00" in text:
        return
    assert sniff_format(data) == "text"
    assert decode_report(data, "t.txt") == unicodedata.normalize("NFC", text.removeprefix("\ufeff"))


@SETTINGS
@given(text=st.one_of(st.text(), hostile_string))
@example(text="a\x1b[2J\x1b]0;x\x07\x9b\u202e")
def test_printable_lets_no_control_through(text: str) -> None:
    shown = printable(text)
    assert not any(_is_control(ch) for ch in shown if ch not in "\t\n")
    assert not any(ch in shown for ch in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert printable(shown) == shown  # already safe text is left alone
    if not any(_is_control(ch) or ch in "\u2028\u2029" or "\u202a" <= ch <= "\u202e" for ch in text):
        assert shown == text or any("\u2066" <= ch <= "\u2069" for ch in text)


@SETTINGS
@given(text=st.one_of(st.text(), hostile_string))
def test_clean_cell_keeps_no_control_and_is_idempotent(text: str) -> None:
    cleaned = clean_cell(text)
    assert not any(_is_control(ch) for ch in cleaned)
    assert cleaned == cleaned.strip()
    assert clean_cell(cleaned) == cleaned


@SETTINGS
@given(text=st.one_of(st.text(), hostile_string))
def test_split_lines_counts_line_feeds_like_wc(text: str) -> None:
    lines = split_lines(text)
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    assert len(lines) == normalized.count("\n") + (0 if normalized.endswith("\n") or not normalized else 1)
    assert "\n".join(lines) == normalized.removesuffix("\n")


@SETTINGS
@given(words=st.lists(st.sampled_from(VIETNAMESE_WORDS), min_size=1, max_size=60))
@example(words=["chính", "chính", "chính"])  # VNI spells "chính" with Unicode letters: found by this test
@example(words=["phúc", "chính", "nghĩa", "hộ", "hồ"])
def test_unicode_vietnamese_is_never_taken_for_a_legacy_encoding(words: list[str]) -> None:
    text = " ".join(words)
    assert legacy_font_encoding(text) is None
    assert legacy_font_encoding(unicodedata.normalize("NFD", text)) is None
    assert legacy_font_encoding(text.upper()) is None
