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


@lru_cache(maxsize=CACHED_TEXTS)
def clean_cell(text: str) -> str:
    """A cell as a person reads it: NFC, no markup, no footnote marks, single spaces."""
    return collapse_whitespace(strip_footnotes(strip_markup(nfc(text))))


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
