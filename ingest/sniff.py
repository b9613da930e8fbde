"""What a file passed as a text report really is, from its bytes or its text.

Pure functions, no I/O:

- :func:`sniff_format` names the format of a file's bytes from its magic numbers and byte statistics
  (``"pdf"``, ``"docx"``, ``"xlsx"``, ``"zip"``, ``"ole2"``, ``"rtf"``, ``"utf16"``, ``"binary"`` or
  ``"text"``), so that a caller can route it to the right reader or refuse it with what it is;
  :func:`format_problem` says in words why such a file is not a text report.
- :func:`legacy_font_encoding` recognises Vietnamese text typed with a legacy font encoding (TCVN3 /
  ABC, VNI-Windows) and read as Windows-1252, e.g. ``"Céng hoµ x· héi chñ nghÜa ViÖt Nam"`` (TCVN3)
  or ``"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"`` (VNI) for "Cộng hoà xã hội chủ nghĩa Việt Nam".
  It scores the text by the frequent Vietnamese words it contains once spelled in each encoding.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from functools import cache

__all__ = [
    "FORMATS",
    "LEGACY_ENCODINGS",
    "format_problem",
    "legacy_font_encoding",
    "legacy_font_problem",
    "ole2_document_kind",
    "sniff_format",
    "to_legacy_spelling",
]

FORMATS = ("pdf", "docx", "xlsx", "zip", "ole2", "rtf", "utf16", "binary", "text")

_SAMPLE = 8192  # bytes looked at for the byte statistics
_PDF_HEADER_WINDOW = 1024  # a PDF's "%PDF-" header may come after up to this many bytes of junk
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; the end record of an empty zip
_ZIP_END = b"PK\x05\x06"
_ZIP_ENTRY = b"PK\x01\x02"
# C0 control bytes that no text file has (tab, line feed, vertical tab, form feed, carriage return and
# escape excepted) and DEL.
_CONTROL_BYTES = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}) | {0x7F}
_BINARY_CONTROL_SHARE = 0.05  # more than this share of control bytes: binary ...
_BINARY_CONTROL_MIN = 4  # ... when there are at least this many
_UTF16_NUL_SHARE = 0.3  # NUL in this share of the even (or odd) bytes: UTF-16 without a BOM ...
_UTF16_OTHER_NUL_SHARE = 0.05  # ... when the other bytes are hardly ever NUL
_UTF16_LATIN_SHARE = 0.5  # after a UTF-16 byte-order mark, this share of Latin/Vietnamese characters


def _zip_entry_names(data: bytes) -> list[bytes]:
    """The entry names in a zip's central directory ([] when it cannot be found or is damaged)."""
    end = data.rfind(_ZIP_END, max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return []
    size, offset = struct.unpack_from("<II", data, end + 12)
    names: list[bytes] = []
    pos = offset
    while pos + 46 <= min(len(data), offset + size) and data[pos : pos + 4] == _ZIP_ENTRY:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        names.append(data[pos + 46 : pos + 46 + name_len])
        pos += 46 + name_len + extra_len + comment_len
    return names


def _zip_kind(data: bytes) -> str:
    """``docx``, ``xlsx`` or ``zip``: an Office document is a zip with a ``word/`` or ``xl/`` folder."""
    names = _zip_entry_names(data)
    if not names:  # no readable central directory (a truncated zip): the local headers name entries too
        names = re.findall(rb"PK\x03\x04.{26}([\x20-\x7e]{1,200})", data[:65_536], re.DOTALL)
    if any(name.startswith(b"word/") for name in names):
        return "docx"
    if any(name.startswith(b"xl/") for name in names):
        return "xlsx"
    return "zip"


def _looks_utf16(sample: bytes) -> bool:
    """Many NUL bytes at even (UTF-16 BE) or odd (UTF-16 LE) positions, hardly any at the others."""
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    shares = sorted((even.count(0) / len(even), odd.count(0) / len(odd)))
    return shares[1] >= _UTF16_NUL_SHARE and shares[0] <= _UTF16_OTHER_NUL_SHARE


def _latin_or_vietnamese(ch: str) -> bool:
    code = ord(ch)
    return ch.isspace() or code < 0x250 or 0x300 <= code < 0x370 or 0x1E00 <= code < 0x2070


def _utf16_with_bom(sample: bytes) -> bool:
    """A UTF-16 byte-order mark followed by text that reads as Latin/Vietnamese letters in UTF-16.

    ``b"\\xff\\xfe garbage"`` starts with the mark but reads as CJK ideographs: not taken for UTF-16.
    """
    if not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    codec = "utf-16-le" if sample.startswith(b"\xff\xfe") else "utf-16-be"
    body = sample[2 : 2 + (len(sample) - 2) // 2 * 2].decode(codec, errors="replace")
    return not body or sum(map(_latin_or_vietnamese, body)) >= _UTF16_LATIN_SHARE * len(body)


def sniff_format(data: bytes) -> str:
    """What the bytes of a file are: one of :data:`FORMATS`.

    ``"text"`` means "may be a text report": it says nothing about the encoding (UTF-8 is checked when
    decoding). ``"binary"`` is anything else with many control bytes (images, archives, executables).
    """
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:  # the PDF spec allows junk before the header
        return "pdf"
    if data.startswith(_ZIP_MAGICS):
        return _zip_kind(data)
    if data.startswith(_OLE2_MAGIC):
        return "ole2"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    sample = data[:_SAMPLE]
    if _utf16_with_bom(sample) or _looks_utf16(sample):
        return "utf16"
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if controls >= _BINARY_CONTROL_MIN and controls > _BINARY_CONTROL_SHARE * len(sample):
        return "binary"
    return "text"


_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))


def ole2_document_kind(data: bytes) -> str | None:
    """What an OLE2 compound file holds, from its stream names (UTF-16LE): ``"encrypted-ooxml"``
    (a password-protected DOCX/XLSX), ``"doc"``, ``"xls"``, or None when no known stream is named."""
    if _ENCRYPTED_STREAM in data:
        return "encrypted-ooxml"
    if _WORD_STREAM in data:
        return "doc"
    if any(stream in data for stream in _EXCEL_STREAMS):
        return "xls"
    return None


_OLE2_KIND_NAMES = {
    "encrypted-ooxml": "password-protected Office document",
    "doc": "legacy Word .doc document",
    "xls": "legacy Excel .xls workbook",
}


def _ole2_kind(data: bytes) -> str:
    """Which legacy Office document an OLE2 file is, in words."""
    kind = ole2_document_kind(data)
    return _OLE2_KIND_NAMES[kind] if kind is not None else "legacy Office (.doc/.xls) document"


def _utf16_kind(data: bytes) -> str:
    if data.startswith(b"\xff\xfe"):
        return "UTF-16 text (little-endian, with a byte-order mark)"
    if data.startswith(b"\xfe\xff"):
        return "UTF-16 text (big-endian, with a byte-order mark)"
    sample = data[:_SAMPLE]
    endian = "little-endian" if sample[1::2].count(0) >= sample[0::2].count(0) else "big-endian"
    return f"UTF-16 text ({endian}, no byte-order mark)"


_EXTRACT = "save or extract its text as a UTF-8 .txt file first"


def format_problem(fmt: str, data: bytes) -> str | None:
    """Why a file of format ``fmt`` (from :func:`sniff_format`) is not a text report; None for text."""
    if fmt == "pdf":
        return "PDF document: not a text report; extract its text first (e.g. pdftotext -layout) as UTF-8"
    if fmt in ("docx", "xlsx"):
        what = "Word .docx document" if fmt == "docx" else "Excel .xlsx workbook"
        return f"{what} (a zip archive): not a text report; {_EXTRACT}"
    if fmt == "zip":
        return "zip archive: not a text report; unpack it and pass the text reports inside"
    if fmt == "ole2":
        return f"OLE2 compound file ({_ole2_kind(data)}): not a text report; {_EXTRACT}"
    if fmt == "rtf":
        return f"RTF document: not a plain text report; {_EXTRACT}"
    if fmt == "utf16":
        return (
            f"{_utf16_kind(data)}: not a UTF-8 text report; re-save it as UTF-8 "
            "(e.g. iconv -f UTF-16 -t UTF-8)"
        )
    if fmt == "binary":
        return "binary data (many control bytes): not a text report"
    return None


# ---------------------------------------------------------------------------------------------------
# Legacy Vietnamese font encodings
# ---------------------------------------------------------------------------------------------------

# TCVN3 (TCVN 5712:1993, the "ABC" fonts .VnTime ...): one byte per lower-case letter with diacritics
# (upper-case text uses the same bytes with the capital fonts), read here as Windows-1252 characters.
_TCVN3_ROWS = {
    "àảãáạ": "\xb5\xb6\xb7\xb8\xb9",
    "ăằẳẵắặ": "\xa8\xbb\xbc\xbd\xbe\xc6",
    "âầẩẫấậ": "\xa9\xc7\xc8\xc9\xca\xcb",
    "èẻẽéẹ": "\xcc\xce\xcf\xd0\xd1",
    "êềểễếệ": "\xaa\xd2\xd3\xd4\xd5\xd6",
    "ìỉĩíị": "\xd7\xd8\xdc\xdd\xde",
    "òỏõóọ": "\xdf\xe1\xe2\xe3\xe4",
    "ôồổỗốộ": "\xab\xe5\xe6\xe7\xe8\xe9",
    "ơờởỡớợ": "\xac\xea\xeb\xec\xed\xee",
    "ùủũúụ": "\xef\xf1\xf2\xf3\xf4",
    "ưừửữứự": "\xad\xf5\xf6\xf7\xf8\xf9",
    "ỳỷỹýỵ": "\xfa\xfb\xfc\xfd\xfe",
    "đ": "\xae",
}

# VNI-Windows: a plain letter followed by a byte for the mark(s), read as Windows-1252 characters; the
# upper-case marks are the upper-case Windows-1252 letters of the lower-case ones ("oä" / "OÄ").
_VNI_TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}  # plain vowels
_VNI_HAT_TONES = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE_TONES = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VNI_BASES = {"ơ": "ô", "ư": "ö"}  # horned letters are one byte; tones follow as for plain vowels

# Frequent words of the reports (and of every Vietnamese administrative document).
_COMMON_TEXT = (
    "cộng hoà hòa xã hội chủ nghĩa việt độc lập tự hạnh phúc ủy uỷ ban nhân dân tỉnh huyện thị trấn "
    "phường báo cáo kết quả thực hiện công tác cải cách hành chính thủ tục hồ sơ được tiếp nhận giải "
    "quyết đúng hạn trước trễ quá số lượng tổng năm quý tháng đơn vị trực tuyến dịch vụ văn bản "
    "kiểm tra người đã của và các những trong theo về với có không là một này để cấp nội dung"
)


@cache
def _tcvn3_letters() -> dict[str, str]:
    letters: dict[str, str] = {}
    for unicode_row, legacy_row in _TCVN3_ROWS.items():
        letters.update(zip(unicode_row, legacy_row, strict=True))
    return letters


_VNI_MODIFIERS = ("\u0302", "\u0306", "\u031b")  # circumflex, breve, horn


def _vni_letter(ch: str) -> str:
    """One lower-case Vietnamese letter in VNI-Windows (read as Windows-1252)."""
    if ch == "đ":
        return "ñ"
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    modifier = next((m for m in marks if m in _VNI_MODIFIERS), "")
    tone = next((m for m in marks if m not in _VNI_MODIFIERS), "")
    if modifier == "\u031b":  # ơ ư are one byte, their tone another
        return _VNI_BASES[unicodedata.normalize("NFC", base + modifier)] + _VNI_TONES.get(tone, "")
    if modifier == "\u0302":
        return base + _VNI_HAT_TONES.get(tone, "â")
    if modifier == "\u0306":
        return base + _VNI_BREVE_TONES.get(tone, "ê")
    if base == "i" and tone:
        return _VNI_I.get(tone, base)
    if base == "y" and tone == "\u0323":
        return "î"
    return base + _VNI_TONES.get(tone, "")


def to_legacy_spelling(word: str, encoding: str) -> str:
    """A lower-case Vietnamese word as its legacy-font bytes read as Windows-1252 characters.

    ``encoding`` is ``"TCVN3"`` or ``"VNI"``: ``to_legacy_spelling("việt", "TCVN3") == "viÖt"``,
    ``to_legacy_spelling("việt", "VNI") == "vieät"``. Letters without diacritics are kept.
    """
    if encoding == "TCVN3":
        letters = _tcvn3_letters()
        return "".join(letters.get(ch, ch) for ch in word)
    return "".join(_vni_letter(ch) if not ch.isascii() else ch for ch in word)


LEGACY_ENCODINGS = {"TCVN3": "TCVN3 (ABC)", "VNI": "VNI-Windows"}
_WORD = re.compile(r"[^\s\d.,;:!?()\[\]{}<>\"'/\\|*=+_-]+")
_MIN_HITS = 3  # at least this many frequent words in the legacy spelling ...
_MIN_SHARE = 0.05  # ... making at least this share of the text's words with non-ASCII letters


@cache
def _legacy_vocabulary(encoding: str) -> frozenset[str]:
    """The frequent words that have diacritics, spelled in a legacy encoding.

    A spelling made only of Vietnamese letters is left out: it could be Unicode text (VNI writes "chính"
    as "chính", TCVN3 writes "phúc" as "phóc", a letter of Unicode Vietnamese).
    """
    vietnamese = set(_tcvn3_letters())
    spellings = (to_legacy_spelling(w, encoding) for w in _COMMON_TEXT.split() if not w.isascii())
    return frozenset(s for s in spellings if not all(c.isascii() or c in vietnamese for c in s))


def _key(word: str, encoding: str) -> str:
    # VNI's upper-case marks are Windows-1252 capitals: lower-case everything. TCVN3 bytes are the same
    # in capitals: lower-case only ASCII letters ("ViÖt" -> "viÖt", never "viöt").
    return word.lower() if encoding == "VNI" else "".join(c.lower() if c.isascii() else c for c in word)


def legacy_font_encoding(text: str) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` when the text is Vietnamese in that legacy font encoding, else None.

    Only words with non-ASCII letters count: a Unicode Vietnamese text never matches (its words are
    spelled with Vietnamese letters, which the legacy spellings never contain).
    """
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return None
    best: tuple[int, str] | None = None
    for encoding in LEGACY_ENCODINGS:
        vocabulary = _legacy_vocabulary(encoding)
        hits = sum(1 for w in words if _key(w, encoding) in vocabulary)
        if hits >= _MIN_HITS and hits >= _MIN_SHARE * len(words) and (best is None or hits > best[0]):
            best = (hits, encoding)
    return None if best is None else best[1]


def legacy_font_problem(encoding: str) -> str:
    """The message for a text in a legacy font encoding."""
    return (
        f"text looks like {LEGACY_ENCODINGS[encoding]} legacy font encoding, not Unicode; convert it to "
        "Unicode first (e.g. with UniKey's converter, source "
        f"{'TCVN3 (ABC)' if encoding == 'TCVN3' else 'VNI Windows'}, destination Unicode) and save as UTF-8"
    )
