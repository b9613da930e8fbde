"""Text clean-up shared by every family parser.

Pure functions. They never drop diacritics: text is normalized to NFC and only
markup left over from the DOCX/PDF conversion is removed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"<a\s[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(r"</?(p|li|ul|ol|br)\b[^>]*>", re.IGNORECASE)
_MARKDOWN_BOLD = re.compile(r"\*\*|__")
_MARKDOWN_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_WHITESPACE = re.compile(r"\s+")
_MARKUP_SIGNS = ("<", "*", "__", "&")  # what tags, links, bold and entities all start with
CACHED_TEXTS = 1 << 16  # distinct cells/labels remembered by the cached cleaners (bounded memory)
# Superscript digits used as footnote marks ("hồ sơ¹", "VBQPPL⁶").
FOOTNOTE_MARKS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE = re.compile(f"[{FOOTNOTE_MARKS}]+")


def split_lines(text: str) -> list[str]:
    """The lines of a text as an editor and ``wc -l`` count them.

    ``\r\n`` and a lone ``\r`` are line ends like ``\n``; nothing else is: form feeds (every
    pdftotext page break), ``\v``, U+0085, U+2028, U+2029 and ``\x1c``-``\x1e`` stay in the line as
    text (:func:`clean_cell` treats them as whitespace). A final line end does not start another
    line, so ``"a\nb\n"`` and ``"a\nb"`` both have two lines and ``""`` has none.
    """
    if not text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def nfc(text: str) -> str:
    """Normalize to Unicode NFC (composed diacritics)."""
    return unicodedata.normalize("NFC", text)


def strip_markup(text: str) -> str:
    """Remove HTML tags, markdown bold and autolink brackets; unescape entities.

    Block tags (<p>, <li>, <br>) become spaces so that words do not run together;
    a link keeps its text.
    """
    if not any(mark in text for mark in _MARKUP_SIGNS):  # nothing any pattern below could change
        return text
    text = _MARKDOWN_AUTOLINK.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _BLOCK_TAG.sub(" ", text)
    text = _TAG.sub("", text)
    text = _MARKDOWN_BOLD.sub("", text)
    return html.unescape(text)


def footnote_marks(text: str) -> tuple[str, ...]:
    """The footnote marks that appear in a text, in order."""
    return tuple(_FOOTNOTE.findall(text))


def strip_footnotes(text: str) -> str:
    return _FOOTNOTE.sub("", text)


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


# Terminal escape sequences (CSI "\x1b[31m", OSC "\x1b]0;title\x07", two-character "\x1bc") and the
# control characters that are not whitespace: C0 but \t \n \v \f \r \x1c-\x1f, DEL, C1 but U+0085.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def strip_controls(text: str) -> str:
    """The text without terminal escape sequences and control characters that are not whitespace.

    Whitespace controls (tab, form feed, ``\x1c``-``\x1f``, U+0085 ...) are kept: :func:`collapse_whitespace`
    turns them into spaces.
    """
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


@lru_cache(maxsize=CACHED_TEXTS)
def clean_cell(text: str) -> str:
    """A cell as a person reads it: NFC, no markup, no footnote marks, no control characters, single
    spaces. The raw text of a cell keeps what was written; only the cleaned text drops controls."""
    return collapse_whitespace(strip_footnotes(strip_markup(strip_controls(nfc(text)))))


# What printable() escapes: every control character but tab and line feed, the line/paragraph separators
# and the bidirectional overrides and isolates (they reorder what a terminal shows).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: "\x1b" -> "␛"
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """The text safe to print on a terminal: control characters shown, never sent.

    C0 controls (tab and line feed excepted) and DEL become their visible Control Pictures symbols
    (``"\x1b[31m"`` -> ``"␛[31m"``, ``"\x00"`` -> ``"␀"``, ``"\r"`` -> ``"␍"``); C1 controls, U+2028/U+2029
    and the bidirectional overrides become escapes (``\x9b``, ``\u2028``, ``\u202e``). Everything else,
    Vietnamese letters included, is kept as is. For display only: never for storing text.
    """
    return _UNPRINTABLE.sub(_visible, text)


@lru_cache(maxsize=CACHED_TEXTS)
def fold_diacritics(text: str) -> str:
    """The text in plain letters: diacritics removed and ``đ``/``Đ`` written ``d``/``D``.

    "Tổng số hồ sơ được tiếp nhận" -> "Tong so ho so duoc tiep nhan". Works on NFC and NFD text alike
    (the text is decomposed, combining marks are dropped, the rest is recomposed). Only for comparing
    labels typed without diacritics: never for storing text.
    """
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", plain.replace("đ", "d").replace("Đ", "D"))


@lru_cache(maxsize=CACHED_TEXTS)
def label_key(text: str) -> str:
    """A comparison key for labels: cleaned, lower-cased, without trailing punctuation.

    Diacritics are kept (they carry meaning: "mức độ" vs "mục đó").
    """
    key = clean_cell(text).lower()
    key = key.strip(" .:;,-–")
    return collapse_whitespace(key)
