"""Reading value cells and note figures of CCHC statistics tables.

Pure functions: text in, :class:`~ingest.records.ParsedValue` / :class:`~ingest.records.NoteFact` out.
The raw text is kept (NFC) beside every parsed value; no float is ever produced.

How numbers are written (Vietnamese convention, Babel locale ``vi``): ``.`` groups thousands and ``,``
is the decimal mark, so ``5.327`` is 5327 and ``66,67`` is 66.67. Leading zeros are plain (``01`` is 1).
One exception is handled by context: a single ``.`` followed by one or two digits (``13.5``) is a
decimal point when the number is a percent (``13.5%`` or unit ``%``); outside a percent context it is
ambiguous and refused. A single ``.`` followed by exactly three digits is always a thousands separator
(``1.228`` is 1228, ``7/2.220`` has denominator 2220).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import NumberFormatError, parse_decimal

from ingest.errors import ValueParseError
from ingest.records import NoteFact, ParsedValue, ValueKind
from ingest.text import FOOTNOTE_MARKS, clean_cell, collapse_whitespace, label_key, nfc

__all__ = [
    "code_list",
    "extract_note_facts",
    "is_percent_unit",
    "parse_number",
    "parse_value",
]

# ---------------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------------

# A number token as written in the reports: digits with "." thousands groups and/or a "," decimal part,
# or a single "." decimal point (decided by context in parse_number).
_NUMBER = r"\d+(?:[.,]\d+)*"
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_PLAIN = re.compile(r"[+-]?\d+(?:,\d+)?")
_DOT_DECIMAL = re.compile(r"[+-]?\d+\.\d{1,2}")
# Pure functions of their text are memoized per process: cells and notes repeat across the reports of
# a batch (the same labels, units, "100%", "0"); the cache never changes what is returned.
CACHE_SIZE = 1 << 16


@lru_cache(maxsize=CACHE_SIZE)
def parse_number(text: str, *, percent_context: bool = False) -> Decimal:
    """Read one number written the Vietnamese way into an exact :class:`Decimal`.

    Accepted forms:

    * plain digits, leading zeros allowed: ``2401`` -> 2401, ``04`` -> 4;
    * ``.`` thousands groups of exactly three digits, optional ``,`` decimals: ``5.327`` -> 5327,
      ``132.928`` -> 132928, ``1.228,5`` -> 1228.5;
    * ``,`` decimal mark: ``66,67`` -> 66.67;
    * a single ``.`` followed by one or two digits is a decimal point only when ``percent_context``
      is true (``13.5`` in ``13.5%``) -> 13.5. Outside a percent context it is ambiguous and refused.

    The parsing itself is Babel's ``parse_decimal(locale="vi", strict=True)``.

    Raises:
        ValueParseError: the text is not one number in one of these forms.
    """
    s = nfc(text).strip()
    if not s:
        raise ValueParseError(f"expected a number, got an empty text {text!r}")
    if _DOT_DECIMAL.fullmatch(s) and not _GROUPED.fullmatch(s):
        if not percent_context:
            raise ValueParseError(
                f"ambiguous number {text!r}: '.' followed by 1-2 digits is a decimal point only in a "
                "percent context; expected '.' thousands groups of 3 digits or ',' as decimal mark"
            )
        s = s.replace(".", ",")
    if not (_GROUPED.fullmatch(s) or _PLAIN.fullmatch(s)):
        raise ValueParseError(
            f"expected a number written with '.' thousands groups and ',' decimals (e.g. '5.327', "
            f"'66,67'), got {text!r}"
        )
    try:
        return Decimal(parse_decimal(s, locale="vi", strict=True))
    except NumberFormatError as exc:  # pragma: no cover - the regexes above pre-validate
        raise ValueParseError(f"expected a number, got {text!r}: {exc}") from exc


# ---------------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------------

_CODE_PAIR = re.compile(r"([^=;]+?)\s*=\s*(\d+)(?=$|[\s;,.)])")
_CODE_SEPARATORS = " \t\n;,.()"


def is_percent_unit(raw_unit: str) -> bool:
    """True when the unit column says the value is a percent ("%", "(%)", "Tỷ lệ %", "phần trăm")."""
    unit = clean_cell(raw_unit).lower()
    return "%" in unit or "phần trăm" in unit


def code_list(raw_unit: str) -> dict[int, str] | None:
    """The code list written in a unit cell, or None when the unit is not a code list.

    ``"Có = 1 Không = 0"`` -> ``{1: "Có", 0: "Không"}``. Pairs may be separated by spaces, ``;``,
    ``,`` or line breaks, and labels may contain digits (``"Chưa có = 0 2 cấp = 1 3 cấp = 2"``).
    When a code appears twice the first label is kept.
    """
    unit = clean_cell(raw_unit)
    if "=" not in unit:
        return None
    codes: dict[int, str] = {}
    pos = 0
    while pos < len(unit):
        while pos < len(unit) and unit[pos] in _CODE_SEPARATORS:
            pos += 1
        m = _CODE_PAIR.match(unit, pos)
        if m is None:
            break
        label = m.group(1).strip(_CODE_SEPARATORS)
        code = int(m.group(2))
        if label and code not in codes:
            codes[code] = label
        pos = m.end()
    return codes or None


# Words that are units of measure when they stand alone in a value cell (compared lower-case).
_UNIT_WORDS = frozenset(
    {
        "%",
        "văn bản",
        "vấn đề",
        "cơ quan",
        "đơn vị",
        "tin",
        "bài",
        "tin bài",
        "người",
        "nhiệm vụ",
        "hồ sơ",
        "tthc",
        "thủ tục",
        "cuộc",
        "lượt",
        "lần",
        "phiếu",
        "số lượng",
        "triệu đồng",
        "đồng",
        "tỷ đồng",
        "nghìn đồng",
        "xã",
        "phường",
        "thị trấn",
        "cán bộ",
        "công chức",
        "viên chức",
        "biên chế",
        "dịch vụ",
        "phòng",
        "tổ chức",
        "cá nhân",
        "sáng kiến",
        "mô hình",
        "buổi",
        "đợt",
        "kiến nghị",
        "phản ánh",
        "quyết định",
        "đề án",
        "kế hoạch",
        "cơ sở",
        "trường hợp",
        "doanh nghiệp",
        "hộ",
        "máy",
        "chỉ tiêu",
        "nội dung",
        "thủ tục hành chính",
        "tập thể",
        "đơn",
        "vụ",
        "hội nghị",
        "lớp",
        "phần việc",
        "mục",
        "chuyên mục",
    }
)


def _is_unit_text(text: str, unit: str) -> bool:
    """True when ``text`` is only a unit of measure (the unit column's, or a known unit word)."""
    key = label_key(text)
    if not key:
        return False
    if unit and key == label_key(unit):
        return True
    parts = [p.strip() for p in re.split(r"[,;/]| và ", key)]
    return all(p in _UNIT_WORDS for p in parts if p) and any(parts)


# ---------------------------------------------------------------------------------------------------
# Value cells
# ---------------------------------------------------------------------------------------------------

_EMPTY_MARKS = frozenset({"", "-", "–", "—", "...", "…", ".", "..", "--", "---", "_"})

_QUALIFIERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:từ|đạt từ)\s+(?P<rest>.+?)\s+trở\s+lên$", re.IGNORECASE), ">="),
    (re.compile(r"^(?P<rest>.+?)\s+trở\s+lên$", re.IGNORECASE), ">="),
    (re.compile(r"^(?:ít\s+nhất|tối\s+thiểu|không\s+dưới|không\s+ít\s+hơn)\s+(?P<rest>.+)$", re.I), ">="),
    (re.compile(r"^(?:tối\s+đa|không\s+quá|không\s+vượt\s+quá)\s+(?P<rest>.+)$", re.IGNORECASE), "<="),
    (re.compile(r"^(?:trên|hơn|lớn\s+hơn|cao\s+hơn)\s+(?P<rest>.+)$", re.IGNORECASE), ">"),
    (re.compile(r"^(?:dưới|chưa\s+đến|chưa\s+tới|nhỏ\s+hơn|ít\s+hơn|thấp\s+hơn)\s+(?P<rest>.+)$", re.I), "<"),
    (re.compile(r"^(?:khoảng|gần|xấp\s+xỉ|ước|ước\s+tính|~)\s*(?P<rest>.+)$", re.IGNORECASE), "~"),
    (re.compile(r"^>=\s*(?P<rest>.+)$"), ">="),
    (re.compile(r"^≥\s*(?P<rest>.+)$"), ">="),
    (re.compile(r"^<=\s*(?P<rest>.+)$"), "<="),
    (re.compile(r"^≤\s*(?P<rest>.+)$"), "<="),
    (re.compile(r"^>\s*(?P<rest>.+)$"), ">"),
    (re.compile(r"^<\s*(?P<rest>.+)$"), "<"),
)

# "Đạt 100%" (achieved 100%): the word adds nothing to the figure.
_ACHIEVED = re.compile(r"^đạt\s+(?=\S*\d)", re.IGNORECASE)
_NUM_PERCENT = re.compile(rf"(?P<num>[+-]?{_NUMBER})\s*(?P<pct>%)?")
_RATIO = re.compile(rf"(?P<num>{_NUMBER})\s*/\s*(?P<den>{_NUMBER})(?:\s+(?P<text>\D.*))?")
# "25 Nhiệm vụ", "3 đơn vị (phòng LĐTB-XH; ...)": a number, a few unit words without digits, and an
# optional parenthesis at the end.
_NUM_UNIT = re.compile(
    rf"(?P<num>{_NUMBER})\s*(?P<pct>%)?\s+(?P<unit>[^\W\d_][^\d()]{{0,40}}?)\s*(?P<paren>\(.*\))?"
)
# A date written in a value cell ("12/01/2021", "30.9.2022") is text, not a malformed number.
_DATE = re.compile(r"\d{1,2}(?P<sep>[/.\-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})")
# Only digits, separators, "%" and "/": it must read as a number.
_NUMERIC_LOOKING = re.compile(r"[+-]?[\d.,\s%/]*\d[\d.,\s%/]*")


def _err(message: str, source_file: str | None, line: int | None) -> ValueParseError:
    return ValueParseError(message, source_file=source_file, line=line)


def parse_value(
    raw_value: str, raw_unit: str = "", *, source_file: str | None = None, line: int | None = None
) -> ParsedValue:
    """Read one value cell (with the unit cell of its row, if any) into a :class:`ParsedValue`.

    Rules, after HTML/markdown/footnote marks are removed (``raw`` keeps the text as written):

    * empty, ``-``, ``–``, ``...`` -> EMPTY (not reported, never zero); a unit alone in the cell
      (``"Văn bản"``, ``"%"``) -> EMPTY with ``unit_in_value`` set.
    * a bound word before the figure sets ``qualifier``: ``Trên`` ">", ``Dưới`` "<",
      ``Từ ... trở lên`` / ``ít nhất`` ">=", ``Tối đa`` / ``không quá`` "<=", ``Khoảng`` "~".
    * ``100%``, or a number with a percent unit (``%``) -> PERCENT.
    * ``10/10 xã, thị trấn`` -> RATIO with ``numerator``/``denominator``; ``number`` is the numerator
      (the count the row asks for), NOT the ratio in percent; trailing words go to ``text``.
    * a code list in the unit column (``Có = 1 Không = 0``): a number -> CODE with that number (even
      when the code is not in the list: the audit flags it); a word that is one of the list's labels
      -> CODE with its code.
    * a number -> COUNT. A number followed by a few unit words (no digits) and an optional final
      parenthesis -> COUNT with ``unit_in_value`` (the words) and ``text`` (everything after the number):
      ``25 Nhiệm vụ``, ``3 đơn vị (phòng ...)``.
    * anything else made of words (``Chưa``, ``Không``, ``12 tin và 12 bài``) -> TEXT with the cleaned
      text.

    Raises:
        ValueParseError: the cell looks numeric (digits and separators only) but is not a number in any
            accepted form (``1.2.3``, ``12,,5``); the message names the file and line.
    """
    try:
        return _parse_cell(raw_value, raw_unit)
    except ValueParseError as exc:
        raise _err(exc.message, source_file, line) from exc


@lru_cache(maxsize=CACHE_SIZE)
def _parse_cell(raw_value: str, raw_unit: str) -> ParsedValue:
    """The value cell read (pure, memoized: identical cells repeat); errors carry no location."""
    raw = nfc(raw_value)
    cleaned = clean_cell(raw_value)
    unit = clean_cell(raw_unit)
    if cleaned in _EMPTY_MARKS or not cleaned.strip(" .…-–—_"):
        return ParsedValue(raw=raw, kind=ValueKind.EMPTY)
    cell = _Cell(raw, cleaned, is_percent_unit(unit), code_list(unit))
    coded = _code_word(cell)
    if coded is not None:
        return coded
    body, qualifier = _strip_qualifier(cleaned)
    for reader in (_plain_number, _ratio, _number_with_unit):
        value = reader(cell, body, qualifier)
        if value is not None:
            return value
    return _words(cell, unit)


@dataclass(frozen=True)
class _Cell:
    """A value cell being read by :func:`parse_value`, with what its unit cell says."""

    raw: str
    cleaned: str
    percent_unit: bool
    codes: dict[int, str] | None

    def number(self, text: str, percent: bool) -> Decimal:
        return parse_number(text, percent_context=percent)


def _code_word(cell: _Cell) -> ParsedValue | None:
    """A coded answer written as a word of the code list of the unit cell."""
    if cell.codes is None:
        return None
    by_label = {label_key(label): code for code, label in cell.codes.items()}
    code = by_label.get(label_key(cell.cleaned))
    if code is None:
        return None
    return ParsedValue(raw=cell.raw, kind=ValueKind.CODE, number=Decimal(code), text=cell.cleaned)


def _strip_qualifier(cleaned: str) -> tuple[str, str | None]:
    """The cell without "Đạt" and without a bound word before its figure, and the bound's symbol."""
    body = _ACHIEVED.sub("", cleaned, count=1) if _ACHIEVED.match(cleaned) else cleaned
    for pattern, symbol in _QUALIFIERS:
        m = pattern.match(body)
        if m is not None and re.search(r"\d", m.group("rest")):
            return m.group("rest").strip(), symbol
    return body, None


def _plain_number(cell: _Cell, body: str, qualifier: str | None) -> ParsedValue | None:
    """A plain number, possibly with "%"."""
    m = _NUM_PERCENT.fullmatch(body)
    if m is None:
        return None
    percent = m.group("pct") is not None or cell.percent_unit
    number = cell.number(m.group("num"), percent)
    if percent:
        kind = ValueKind.PERCENT
    elif cell.codes is not None:
        kind = ValueKind.CODE
    else:
        kind = ValueKind.COUNT
    return ParsedValue(raw=cell.raw, kind=kind, number=number, qualifier=qualifier)


def _ratio(cell: _Cell, body: str, qualifier: str | None) -> ParsedValue | None:
    """A fraction "12/12", "10/10 xã, thị trấn", "7/2.220"."""
    m = _RATIO.fullmatch(body)
    if m is None:
        return None
    numerator = cell.number(m.group("num"), False)
    denominator = cell.number(m.group("den"), False)
    text = m.group("text")
    return ParsedValue(
        raw=cell.raw,
        kind=ValueKind.RATIO,
        number=numerator,
        qualifier=qualifier,
        numerator=numerator,
        denominator=denominator,
        text=text.strip() if text else None,
    )


def _number_with_unit(cell: _Cell, body: str, qualifier: str | None) -> ParsedValue | None:
    """A number merged with its unit: "25 Nhiệm vụ", "3 đơn vị (phòng ...)"."""
    m = _NUM_UNIT.fullmatch(body)
    if m is None:
        return None
    percent = m.group("pct") is not None or cell.percent_unit
    return ParsedValue(
        raw=cell.raw,
        kind=ValueKind.PERCENT if percent else ValueKind.COUNT,
        number=cell.number(m.group("num"), percent),
        qualifier=qualifier,
        text=body[m.start("unit") :].strip(),
        unit_in_value=m.group("unit").strip(" ,;:"),
    )


def _words(cell: _Cell, unit: str) -> ParsedValue:
    """A cell that is not a figure: a date, a unit alone, or words; numeric-looking junk is an error."""
    cleaned = cell.cleaned
    if _DATE.fullmatch(cleaned):
        return ParsedValue(raw=cell.raw, kind=ValueKind.TEXT, text=cleaned)
    if _NUMERIC_LOOKING.fullmatch(cleaned):
        raise _err(
            f"value {cleaned!r} looks numeric but is not a number, a percent or a fraction "
            "(expected e.g. '5.327', '66,67', '100%', '10/10')",
            None,
            None,
        )
    if _is_unit_text(cleaned, unit):
        return ParsedValue(raw=cell.raw, kind=ValueKind.EMPTY, unit_in_value=cleaned)
    return ParsedValue(raw=cell.raw, kind=ValueKind.TEXT, text=cleaned)


# ---------------------------------------------------------------------------------------------------
# Note facts
# ---------------------------------------------------------------------------------------------------

# Counting nouns: a number in a note is a fact only when one of these follows it (lower-case, longest
# first when matched). Time words (phút, giờ, ngày, tháng, năm) are deliberately absent.
_COUNTING_NOUNS: tuple[str, ...] = tuple(
    sorted(
        {
            "hồ sơ",
            "hs",
            "tthc",
            "thủ tục",
            "thủ tục hành chính",
            "văn bản",
            "nhiệm vụ",
            "nội dung",
            "phần việc",
            "phòng",
            "xã",
            "phường",
            "thị trấn",
            "đơn vị",
            "cơ quan",
            "người",
            "cán bộ",
            "công chức",
            "viên chức",
            "tin",
            "bài",
            "tin bài",
            "phiếu",
            "cuộc",
            "lượt",
            "tập thể",
            "cá nhân",
            "trường hợp",
            "kiến nghị",
            "phản ánh",
            "pakn",
            "dịch vụ",
            "dvc",
            "sáng kiến",
            "mô hình",
            "quyết định",
            "kế hoạch",
            "báo cáo",
            "công văn",
            "thông báo",
            "tờ trình",
            "vbqppl",
            "chỉ tiêu",
            "nhóm",
            "lĩnh vực",
            "đvsn",
            "trường",
            "trường học",
            "doanh nghiệp",
            "hộ",
            "hộ dân",
            "lớp",
            "buổi",
            "đợt",
            "vấn đề",
            "biên chế",
            "hợp đồng",
            "chủ tịch",
            "phó chủ tịch",
            "đồng",
            "triệu đồng",
            "tỷ đồng",
            "nghìn đồng",
            "đ",
            "trước hạn",
            "đúng hạn",
            "trễ hạn",
            "quá hạn",
        },
        key=len,
        reverse=True,
    )
)
# Words that end a keyword: function words and verbs that start a new clause.
_STOP_WORDS = frozenset(
    {
        "và",
        "của",
        "trong",
        "trên",
        "cho",
        "được",
        "đã",
        "theo",
        "tại",
        "với",
        "về",
        "cả",
        "là",
        "có",
        "gồm",
        "từ",
        "đến",
        "thì",
        "mà",
        "nhưng",
        "chưa",
        "không",
        "này",
        "đó",
        "để",
        "do",
        "bị",
        "đạt",
        "chiếm",
        "bằng",
        "còn",
        "so",
        "hoặc",
        "hay",
        "nên",
        "vì",
        "khi",
        "sau",
        "trước",
        "ngày",
        "tháng",
        "năm",
        "các",
        "những",
        "ra",
        "vào",
        "lại",
        "đang",
        "sẽ",
        "thuộc",
        "nhằm",
        "như",
    }
)
# A number right after one of these words names a thing ("Phường 1", "mức độ 3", "lần 2"), it is not a
# count.
_NAMING_WORDS = frozenset(
    {
        "số",
        "phường",
        "ấp",
        "khóm",
        "thôn",
        "xóm",
        "tổ",
        "tdp",
        "khu",
        "độ",
        "điều",
        "khoản",
        "điểm",
        "chương",
        "mục",
        "lần",
        "đợt",
        "kỳ",
        "tuần",
        "thứ",
        "quý",
        "ngày",
        "tháng",
        "năm",
        "khóa",
        "khoá",
        "lớp",
        "giai đoạn",
        "covid",
        "iso",
        "tcvn",
        "version",
        "phiên bản",
    }
)
# Two-word phrases that end a keyword although their first word may continue one ("trực tuyến").
_STOP_PHRASES = ("trực thuộc", "liên quan")
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
_SPACES = re.compile(r"\s*")
_COMMA = re.compile(r",\s+")
_MAX_KEYWORD_WORDS = 4
_SHORT_NOTE_WORDS = 8

# Pieces of a note that are never figures: markup, links, document references, dates, year ranges.
# A pattern that opens with ``\d+`` (or ``\S+``) starts only where a digit run (a word) starts, and the
# references pattern only where a chain "12/34/..." starts, its "/34" repeats possessive: the same
# matches, without retrying every position of a long run (quadratic on a cell of thousands of digits).
_NOT_FIGURES: tuple[re.Pattern[str], ...] = (
    re.compile(r"<[^>]*>"),
    re.compile(r"\*\*|__"),
    re.compile(f"[{FOOTNOTE_MARKS}]+"),
    re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE),
    re.compile(r"(?<!\S)\S+@\S+\.\w+"),
    # "02/KH-UBND", "01/2022/QĐ-UBND", "153/UBND-VX", "2230/SNV", "168 /KH-UBND", "42/2022/NĐ-CP"
    re.compile(r"(?<!\d)(?<!\d/)(?<!\d /)(?<!\d/ )(?<!\d / )\d+(?:\s*/\s*\d+)*+\s*/\s*[^\W\d_][\w.\-–/]*"),
    # "12-CTr/TU", "COVID-19" style codes
    re.compile(r"(?<!\d)\d+-[^\W\d_][\w\-/]*"),
    re.compile(r"(?<![^\W\d_])[^\W\d_]+-\d+"),
    # dates: "12/01/2021", "1-9-2021", "01.6.2022" (the same separator twice: "7/2.220" is no date)
    re.compile(r"\d{1,2}\s*(?P<sep>[/.\-])\s*\d{1,2}\s*(?P=sep)\s*(?:\d{4}|\d{2})(?!\d)"),
    # month/year "1/2021", "2-2021", "07/2021"
    re.compile(r"(?<![\d.,])\d{1,2}\s*[/\-]\s*(?:19|20)\d{2}(?!\d)"),
    # year ranges "2021 - 2025", "2021-2025"
    re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}"),
    # "ngày 12/4", "ngày 10", "tháng 01", "năm 2024", "quý 3/2023"
    re.compile(r"\b(?:ngày|tháng|năm|quý)\s+\d{1,4}(?:\s*[/\-]\s*\d{1,4})?", re.IGNORECASE),
    # clock times, "ISO 9001:2015"
    re.compile(r"(?<!\d)\d+\s*:\s*\d+"),
    # ranges "4-5 phút", "1-2"
    re.compile(r"(?<!\d)\d+\s*[-–]\s*\d+(?!\s*%)"),
)

_FIGURE = re.compile(rf"(?<![\w/.,\-–%])(?P<a>{_NUMBER})(?:\s*/\s*(?P<b>{_NUMBER}))?(?P<pct>\s*%)?(?![\d/])")
_WORD = re.compile(r"[^\W\d_]+")
_NOTE_QUALIFIERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\w)(?:ít\s+nhất|tối\s+thiểu|không\s+dưới)\s*$", re.IGNORECASE), ">="),
    (re.compile(r"(?<!\w)(?:tối\s+đa|không\s+quá)\s*$", re.IGNORECASE), "<="),
    (re.compile(r"(?<!\w)(?:trên|hơn)\s*$", re.IGNORECASE), ">"),
    (re.compile(r"(?<!\w)(?:dưới|chưa\s+đến|chưa\s+tới)\s*$", re.IGNORECASE), "<"),
    (re.compile(r"(?<!\w)(?:khoảng|gần|xấp\s+xỉ)\s*$", re.IGNORECASE), "~"),
)
_LABEL_NUMBER = re.compile(rf"(?P<label>[^\W\d_]+(?:\s+[^\W\d_]+){{0,3}})\s+(?P<num>{_NUMBER})")
_MASK = "\x00"
_YEAR = re.compile(r"(?:19|20)\d{2}")


def _mask_non_figures(note: str) -> str:
    """The note with markup, links, references and dates replaced by a filler of the same length."""
    chars = list(note)
    for pattern in _NOT_FIGURES:
        for m in pattern.finditer("".join(chars)):
            chars[m.start() : m.end()] = _MASK * (m.end() - m.start())
    return "".join(chars)


def _noun_end(text: str, pos: int) -> int | None:
    """End offset of the counting noun starting exactly at ``pos`` (case-insensitive), or None."""
    for noun in _COUNTING_NOUNS:
        end = pos + len(noun)
        if text[pos:end].lower() == noun and (end >= len(text) or not text[end].isalnum()):
            return end
    return None


def _counting_keyword(masked: str, pos: int) -> int | None:
    """End offset of the keyword starting at ``pos`` (after optional spaces), or None.

    The keyword starts with a counting noun and continues over ordinary words (at most
    ``_MAX_KEYWORD_WORDS`` words) until a stop word, a digit, punctuation or a masked piece; a comma
    continues it only when another counting noun follows ("xã, phường").
    """
    spaces = _SPACES.match(masked, pos)
    start = spaces.end() if spaces is not None else pos
    end = _noun_end(masked, start)
    if end is None:
        return None
    words = len(masked[start:end].split())
    while words < _MAX_KEYWORD_WORDS:
        comma = _COMMA.match(masked, end)
        if comma is not None:
            nxt = _noun_end(masked, comma.end())
            if nxt is None:
                break
            words += len(masked[comma.end() : nxt].split())
            end = nxt
            continue
        w = _NEXT_WORD.match(masked, end)
        if w is None:
            break
        word = w.group(1).lower()
        if word in _STOP_WORDS or masked[w.start(1) :].lower().startswith(_STOP_PHRASES):
            break
        end = w.end()
        words += 1
    return end


def _keyword_span(masked: str, end: int) -> tuple[int, int, int] | None:
    """Where the keyword after a figure ending at ``end`` is: (start, end, end of the raw text).

    Either right after the figure (``07/11 nội dung``) or alone in a parenthesis right after it
    (``1228/1288 (hồ sơ trực tuyến)``).
    """
    kw_end = _counting_keyword(masked, end)
    if kw_end is not None:
        start = end + len(masked[end:]) - len(masked[end:].lstrip())
        return start, kw_end, kw_end
    paren = re.compile(r"\s*\(\s*").match(masked, end)
    if paren is None:
        return None
    kw_end = _counting_keyword(masked, paren.end())
    close = re.compile(r"\s*\)").match(masked, kw_end) if kw_end is not None else None
    if kw_end is None or close is None:
        return None
    return paren.end(), kw_end, close.end()


def _preceding_word(masked: str, pos: int) -> str:
    """The (lower-case) one or two words right before ``pos``, for naming-word checks."""
    before = masked[:pos].rstrip(" \t:")
    words = _WORD.findall(before[-30:].lower())
    if not words or not before or not before[-1].isalpha():
        return ""
    if len(words) >= 2 and f"{words[-2]} {words[-1]}" in _NAMING_WORDS:
        return f"{words[-2]} {words[-1]}"
    return str(words[-1])


def _note_qualifier(masked: str, start: int, end: int) -> tuple[str | None, int]:
    """The bound written around a figure (``trên 90%``, ``từ 90% trở lên``) and where it starts."""
    before = masked[max(0, start - 20) : start]
    offset = start - len(before)
    m_from = re.search(r"(?<!\w)từ\s*$", before, re.IGNORECASE)
    if m_from is not None and re.match(r"\s*trở\s+lên", masked[end:], re.IGNORECASE):
        return ">=", offset + m_from.start()
    for pattern, symbol in _NOTE_QUALIFIERS:
        m = pattern.search(before)
        if m is not None:
            return symbol, offset + m.start()
    return None, start


def extract_note_facts(raw_note: str, line_start: int, line_end: int) -> tuple[NoteFact, ...]:
    """Figures stated in a note cell, conservatively (a false fact is worse than a missed one).

    ``raw_note`` is the note text of one row (a note broken over lines joined with a space by the
    caller). Before anything is read, HTML tags, markdown, footnote marks, URLs, document references
    (``Kế hoạch số 02/KH-UBND``, ``Quyết định số 01/2022/QĐ-UBND``), dates (``12/01/2021``,
    ``ngày 30/9``, ``tháng 01 năm 2024``), month/year pairs, year ranges, clock times and ranges
    (``4-5 phút``) are masked out. Then:

    * ``99,95%`` -> PERCENT (any number followed by ``%``); a bound word before it (``trên``,
      ``dưới``, ``từ ... trở lên``, ``tối đa``, ``khoảng``) sets the qualifier.
    * ``1228/1288``, ``07/11 nội dung`` -> RATIO (number = numerator), kept when a counting word follows,
      when it opens the note, or when the note is short (at most 8 words).
    * ``909 trước hạn``, ``28 TTHC ngành dọc`` -> COUNT, only when a counting noun follows the number
      (hồ sơ, TTHC, văn bản, người, trước hạn ...); not after a naming word (``Phường 1``, ``mức độ 3``).
    * a short note that is only ``<words> <number>`` (``Hợp đồng 68``) -> COUNT with the words as
      keyword; a note that is only a number -> COUNT without keyword.

    ``keyword`` is the counting noun with up to three following words (``TTHC ngành dọc``), stopping at
    function words and punctuation; ``raw`` is the exact NFC substring the figure was read from.
    """
    return tuple(
        NoteFact(raw=value.raw, value=value, keyword=keyword, line_start=line_start, line_end=line_end)
        for value, keyword in _note_values(raw_note)
    )


@lru_cache(maxsize=CACHE_SIZE)
def _note_values(raw_note: str) -> tuple[tuple[ParsedValue, str | None], ...]:
    """The figures of a note and their keywords (pure, memoized: notes repeat across reports)."""
    note = nfc(raw_note)
    masked = _mask_non_figures(note)
    plain = collapse_whitespace(masked.replace(_MASK, " "))
    short = len(plain.split()) <= _SHORT_NOTE_WORDS
    values: list[tuple[ParsedValue, str | None]] = []

    label_fact = _label_number_fact(note, masked, plain) if short else None
    if label_fact is not None:
        values.append(label_fact)
    else:
        for m in _FIGURE.finditer(masked):
            try:
                found = _figure_fact(note, masked, plain, m, short)
            except ValueParseError:
                continue  # an unreadable figure in a note is not a fact
            if found is not None:
                values.append(found)
    return tuple(values)


def _label_number_fact(note: str, masked: str, plain: str) -> tuple[ParsedValue, str | None] | None:
    """``Hợp đồng 68``: a short note that is only a few words and a number."""
    whole = _LABEL_NUMBER.fullmatch(plain)
    if whole is None or _preceding_word(plain, whole.start("num")) in _NAMING_WORDS:
        return None
    if _YEAR.fullmatch(whole.group("num")):
        return None
    try:
        number = parse_number(whole.group("num"))
    except ValueParseError:
        return None
    m_label = _WORD.search(masked)
    m_num = _FIGURE.search(masked)
    if m_label is None or m_num is None:  # pragma: no cover - plain was built from masked
        return None
    raw = note[m_label.start() : m_num.end()].strip()
    return ParsedValue(raw=raw, kind=ValueKind.COUNT, number=number), whole.group("label")


def _figure_fact(
    note: str, masked: str, plain: str, m: re.Match[str], short: bool
) -> tuple[ParsedValue, str | None] | None:
    """The fact read from one number token of a note, or None when it is not clearly a figure."""
    a, b, pct = m.group("a"), m.group("b"), m.group("pct")
    start, end = m.start(), m.end()
    if b is not None:
        if pct:
            return None
        numerator, denominator = parse_number(a), parse_number(b)
        span = _keyword_span(masked, end)
        opens_note = plain.startswith(collapse_whitespace(masked[start:end]))
        if span is None and not (short or opens_note):
            return None
        keyword = collapse_whitespace(note[span[0] : span[1]]) if span is not None else None
        raw = note[start : span[2] if span is not None else end]
        value = ParsedValue(
            raw=raw,
            kind=ValueKind.RATIO,
            number=numerator,
            numerator=numerator,
            denominator=denominator,
            unit_in_value=keyword,
        )
        return value, keyword
    qualifier, q_start = _note_qualifier(masked, start, end)
    if pct:
        number = parse_number(a, percent_context=True)
        raw_end = end
        if qualifier == ">=" and (tail := re.compile(r"\s*trở\s+lên", re.IGNORECASE).match(masked, end)):
            raw_end = tail.end()
        value = ParsedValue(
            raw=note[q_start:raw_end], kind=ValueKind.PERCENT, number=number, qualifier=qualifier
        )
        return value, None
    if _preceding_word(masked, start) in _NAMING_WORDS:
        return None
    span = _keyword_span(masked, end)
    if span is None:
        if plain == a and not _YEAR.fullmatch(a):  # the note is only a number
            return ParsedValue(raw=note[start:end], kind=ValueKind.COUNT, number=parse_number(a)), None
        return None
    keyword = collapse_whitespace(note[span[0] : span[1]])
    value = ParsedValue(
        raw=note[q_start : span[2]],
        kind=ValueKind.COUNT,
        number=parse_number(a),
        qualifier=qualifier,
        unit_in_value=keyword,
    )
    return value, keyword
