"""Files that are not UTF-8 text reports are refused saying what they are (issue 12, item 6).

Every case is built by the test from the sample reports or from a few bytes (no binary fixtures):
the exact outcome is an error class with a message naming the file and what the file is, or a
successful parse with the right line count.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from ingest.detect import decode_report, detect_and_parse
from ingest.errors import (
    CchcError,
    LegacyEncodingError,
    NotATextReportError,
    ParseError,
    TemplateDetectionError,
)
from ingest.sniff import (
    FORMATS,
    format_problem,
    legacy_font_encoding,
    sniff_format,
    to_legacy_spelling,
)
from ingest.text import clean_cell, printable, split_lines

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
VINHCHAU = REPORTS / "soctrang-vinhchau-2022-q3.txt"
SAMPLES = sorted(REPORTS.glob("*.txt"))


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def _ole2(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le") + bytes(64)


VIETNAMESE = "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"

# (case id, bytes, sniffed format, message substring after "<file>: ")
REFUSED = [
    (
        "pdf",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
        "pdf",
        "PDF document: not a text report",
    ),
    (
        "docx",
        _zip("[Content_Types].xml", "_rels/.rels", "word/document.xml"),
        "docx",
        "Word .docx document (a zip archive): not a text report",
    ),
    (
        "xlsx",
        _zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"),
        "xlsx",
        "Excel .xlsx workbook (a zip archive): not a text report",
    ),
    ("zip", _zip("report.txt", "notes.txt"), "zip", "zip archive: not a text report"),
    ("empty-zip", _zip(), "zip", "zip archive: not a text report"),
    (
        "docx-truncated",
        _zip("word/document.xml", "word/styles.xml")[:60],
        "docx",
        "Word .docx document (a zip archive)",
    ),
    (
        "doc",
        _ole2("WordDocument"),
        "ole2",
        "OLE2 compound file (legacy Word .doc document): not a text report",
    ),
    ("xls", _ole2("Workbook"), "ole2", "OLE2 compound file (legacy Excel .xls workbook): not a text report"),
    ("ole2", _ole2("Other"), "ole2", "OLE2 compound file (legacy Office (.doc/.xls) document)"),
    ("rtf", b"{\\rtf1\\ansi C\\'f4ng}", "rtf", "RTF document: not a plain text report"),
    (
        "utf16-le-bom",
        VIETNAMESE.encode("utf-16"),  # Python writes a little-endian BOM
        "utf16",
        "UTF-16 text (little-endian, with a byte-order mark): not a UTF-8 text report",
    ),
    (
        "utf16-be-bom",
        b"\xfe\xff" + VIETNAMESE.encode("utf-16-be"),
        "utf16",
        "UTF-16 text (big-endian, with a byte-order mark): not a UTF-8 text report",
    ),
    (
        "utf16-le-no-bom",
        VIETNAMESE.encode("utf-16-le"),
        "utf16",
        "UTF-16 text (little-endian, no byte-order mark): not a UTF-8 text report",
    ),
    (
        "utf16-be-no-bom",
        VIETNAMESE.encode("utf-16-be"),
        "utf16",
        "UTF-16 text (big-endian, no byte-order mark)",
    ),
    ("binary", bytes(range(256)) * 8, "binary", "binary data (many control bytes): not a text report"),
    ("png", b"\x89PNG\r\n\x1a\n" + bytes((i * 97 + 13) % 256 for i in range(2048)), "binary", "binary data"),
]


@pytest.mark.parametrize(("data", "fmt", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_not_a_text_report_is_refused_saying_what_it_is(data: bytes, fmt: str, message: str) -> None:
    assert sniff_format(data) == fmt
    with pytest.raises(NotATextReportError) as info:
        decode_report(data, "in/report.txt")
    assert isinstance(info.value, ParseError)  # callers that handle ParseError keep working
    assert info.value.source_file == "in/report.txt"
    assert str(info.value).startswith(f"in/report.txt: {message}")
    assert "not UTF-8, byte" not in str(info.value)
    assert format_problem(fmt, data) == info.value.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "text"),
        (b"   \n\t\n", "text"),
        (b"\xef\xbb\xbfPH\xe1\xbb\xa4 L\xe1\xbb\xa4C\r\n", "text"),
        ("café".encode("latin-1"), "text"),  # not UTF-8, but text: decoding says which byte
        (b"a\x00b", "text"),  # a stray NUL in a text stays text (the cell cleaning drops it)
        (b"\xff\xfe garbage", "text"),  # a UTF-16 mark, but CJK ideographs in UTF-16
        (b"\x00\x00\x00\x00", "binary"),
        ("TỔNG SỐ\t12\n".encode() + b"\x1b[31m" * 2, "text"),
    ],
)
def test_sniff_format_of_texts(data: bytes, expected: str) -> None:
    assert sniff_format(data) == expected
    assert expected in FORMATS


def test_sniffs_every_sample_as_text() -> None:
    for sample in SAMPLES:
        assert sniff_format(sample.read_bytes()) == "text", sample.name


def test_empty_file_decodes_and_is_refused_as_empty() -> None:
    assert decode_report(b"", "empty.txt") == ""
    with pytest.raises(TemplateDetectionError, match=r"^empty\.txt: empty file: no text to detect"):
        detect_and_parse(decode_report(b"", "empty.txt"), "empty.txt")


def test_whitespace_only_file_is_refused_as_empty() -> None:
    text = decode_report(b"  \n\t\r\n \n", "blank.txt")
    with pytest.raises(TemplateDetectionError, match=r"^blank\.txt: empty file: no text to detect"):
        detect_and_parse(text, "blank.txt")


def test_truncated_mid_utf8_sequence_says_the_file_looks_truncated() -> None:
    data = VINHCHAU.read_bytes()
    cut = data.index("Vĩnh".encode()) + 2  # inside the two bytes of "ĩ"
    with pytest.raises(ParseError) as info:
        decode_report(data[:cut], "cut.txt")
    assert not isinstance(info.value, NotATextReportError)
    line = data[:cut].count(b"\n") + 1
    assert str(info.value).startswith(
        f"cut.txt:{line}: not UTF-8 text: the file ends inside a UTF-8 sequence (byte 0xc4); "
        "it looks truncated"
    )


def test_a_utf16_mark_before_no_utf16_text_is_not_utf8() -> None:
    with pytest.raises(ParseError, match=r"^g\.txt:1: not UTF-8 text: byte 0xff cannot be decoded") as info:
        decode_report(b"\xff\xfe garbage", "g.txt")
    assert not isinstance(info.value, NotATextReportError)


def test_a_bad_byte_inside_the_file_is_still_named_with_its_line() -> None:
    data = VINHCHAU.read_bytes()
    broken = data.replace("Vĩnh".encode(), b"V\xe9nh", 1)
    line = broken[: broken.index(b"\xe9")].count(b"\n") + 1
    with pytest.raises(ParseError, match=rf"^bad\.txt:{line}: not UTF-8 text: byte 0xe9 cannot be decoded"):
        decode_report(broken, "bad.txt")


def test_truncated_mid_table_still_parses_every_line() -> None:
    data = VINHCHAU.read_bytes()
    cut = data[: len(data) // 2]
    cut = cut[: cut.rindex(b"\t") + 1]  # inside a table row, after a tab
    text = decode_report(cut, "half.txt")
    result = detect_and_parse(text, "half.txt").result
    assert result.line_count == len(split_lines(text))
    assert [r.line_no for r in result.lines] == list(range(1, result.line_count + 1))


def test_bom_and_crlf_text_parses_with_the_same_lines() -> None:
    text = VINHCHAU.read_text(encoding="utf-8")
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    decoded = decode_report(data, "crlf.txt")
    result = detect_and_parse(decoded, "crlf.txt").result
    expected = detect_and_parse(text, "vinhchau.txt").result
    assert result.line_count == len(split_lines(text)) == 240
    assert [(r.line_start, r.label) for r in result.rows] == [(r.line_start, r.label) for r in expected.rows]


def test_nfd_text_parses_like_nfc_text() -> None:
    text = VINHCHAU.read_text(encoding="utf-8")
    data = unicodedata.normalize("NFD", text).encode()
    decoded = decode_report(data, "nfd.txt")
    assert decoded == unicodedata.normalize("NFC", text)
    result = detect_and_parse(decoded, "nfd.txt").result
    assert result.line_count == 240
    assert len(result.rows) == len(detect_and_parse(text, "x.txt").result.rows)


# ---------------------------------------------------------------------------------------------------
# Legacy font encodings
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C¤ng hoµ x· héi chñ nghÜa ViÖt Nam", "TCVN3"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc", "TCVN3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "VNI"),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "VNI"),
        ("Cộng hoà xã hội chủ nghĩa Việt Nam", None),
        ("Cong hoa xa hoi chu nghia Viet Nam", None),
        ("Straße, café, naïve, Zürich, déjà vu", None),
        ("", None),
    ],
)
def test_legacy_font_encoding(text: str, expected: str | None) -> None:
    assert legacy_font_encoding(text) == expected


def test_legacy_spellings() -> None:
    assert (
        to_legacy_spelling("cộng hoà xã hội chủ nghĩa việt nam", "TCVN3")
        == "céng hoµ x· héi chñ nghÜa viÖt nam"
    )
    assert (
        to_legacy_spelling("cộng hòa xã hội chủ nghĩa việt nam", "VNI")
        == "coäng hoøa xaõ hoäi chuû nghóa vieät nam"
    )
    assert to_legacy_spelling("độc lập tự do hạnh phúc", "TCVN3") == "®éc lËp tù do h¹nh phóc"
    assert to_legacy_spelling("được", "VNI") == "ñöôïc"


def test_every_sample_is_unicode_not_legacy() -> None:
    for sample in SAMPLES:
        assert legacy_font_encoding(sample.read_text(encoding="utf-8")) is None, sample.name


LEGACY_SAMPLES = [s for s in SAMPLES if not s.name.startswith("travinh")]  # see the test below


@pytest.mark.parametrize(("encoding", "name"), [("TCVN3", "TCVN3 (ABC)"), ("VNI", "VNI-Windows")])
@pytest.mark.parametrize("sample", LEGACY_SAMPLES, ids=[s.stem for s in LEGACY_SAMPLES])
def test_legacy_font_text_is_named_not_no_template_family(sample: Path, encoding: str, name: str) -> None:
    legacy = to_legacy_spelling(sample.read_text(encoding="utf-8").lower(), encoding)
    # as UTF-8 mojibake (the legacy bytes were read as Windows-1252 and saved as UTF-8) ...
    with pytest.raises(LegacyEncodingError) as info:
        detect_and_parse(decode_report(legacy.encode(), sample.name), sample.name)
    assert isinstance(info.value, TemplateDetectionError)
    assert str(info.value).startswith(
        f"{sample.name}: no template family: text looks like {name} legacy font encoding, not Unicode; "
        "convert it to Unicode first (e.g. with UniKey's converter"
    )
    # ... and as the legacy bytes themselves
    with pytest.raises(NotATextReportError) as raw:
        decode_report(legacy.encode("cp1252", errors="replace"), sample.name)
    assert str(raw.value).startswith(f"{sample.name}: text looks like {name} legacy font encoding")


def test_legacy_check_only_runs_when_no_family_is_detected() -> None:
    # The national 2023 markers survive the legacy spelling: the family is detected and parses it.
    travinh = REPORTS / "travinh-duyenhai-2023-q1.txt"
    legacy = to_legacy_spelling(travinh.read_text(encoding="utf-8").lower(), "TCVN3")
    detection = detect_and_parse(legacy, travinh.name)
    assert detection.family == "national_2023"


# ---------------------------------------------------------------------------------------------------
# Control characters inside cells
# ---------------------------------------------------------------------------------------------------


def test_control_characters_in_a_cell_are_kept_raw_and_cleaned_in_the_label() -> None:
    text = VINHCHAU.read_text(encoding="utf-8")
    hostile = text.replace("Số nhiệm vụ đã hoàn thành", "Số nhiệm vụ\x1b[31m đã\x00 hoàn\x7f thành\x9b2J", 1)
    result = detect_and_parse(decode_report(hostile.encode(), "ctl.txt"), "ctl.txt").result
    expected = detect_and_parse(text, "x.txt").result
    assert result.line_count == expected.line_count == 240
    row = next(r for r in result.rows if "\x1b" in r.raw_label)
    twin = next(r for r in expected.rows if r.line_start == row.line_start)
    assert row.raw_label == "Số nhiệm vụ\x1b[31m đã\x00 hoàn\x7f thành\x9b2J"
    assert row.label == "Số nhiệm vụ đã hoàn thành2J"
    assert row.value == twin.value
    assert [r.line_class for r in result.lines] == [r.line_class for r in expected.lines]
    assert printable(row.raw_label) == "Số nhiệm vụ␛[31m đã␀ hoàn␡ thành\\x9b2J"


@pytest.mark.parametrize(
    ("raw", "cleaned", "shown"),
    [
        ("a\x1b[31mred\x1b[0m b", "ared b", "a␛[31mred␛[0m b"),
        ("x\x00y", "xy", "x␀y"),
        ("t\x1b]0;title\x07u", "tu", "t␛]0;title␇u"),
        ("tab\tand\fff", "tab and ff", "tab\tand␌ff"),
        ("a\rb", "a b", "a␍b"),
        ("p\u202eq\u2028r", "p\u202eq r", "p\\u202eq\\u2028r"),
        ("c1\x85\x9b", "c1", "c1\\x85\\x9b"),
        ("Tổng số hồ sơ", "Tổng số hồ sơ", "Tổng số hồ sơ"),
    ],
)
def test_clean_cell_and_printable(raw: str, cleaned: str, shown: str) -> None:
    assert clean_cell(raw) == cleaned
    assert printable(raw) == shown


def test_every_error_here_is_a_cchc_error() -> None:
    for _case, data, _fmt, _message in REFUSED:
        with pytest.raises(CchcError):
            decode_report(data, "x")
