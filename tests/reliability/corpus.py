"""The bad-input corpus: every case a file (or a manifest) built from the sample inputs, generated here.

Each :class:`Case` names the files it writes (name -> bytes), an optional manifest text and the
exact outcome expected from ``cchc ingest`` on them (exit code, text the one-line message must
contain, whether the report ends up loaded with every line classified).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORTS = REPO_ROOT / "data" / "reports"
GOOD = "soctrang-vinhchau-2022-q3.txt"
OTHER = "namdinh-catthanh-2024-q3.txt"
CSV_HEADER = "unit_code,period,indicator_code,value,unit,source_reference,note"
CSV_ROW = 'tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_received,246,Hồ sơ,"r.txt, line 55",n'
SMALL_LIMIT = 200_000  # CCHC_MAX_REPORT_BYTES for the corpus: the samples pass, "huge" does not


def sample(name: str = GOOD) -> bytes:
    return (REPORTS / name).read_bytes()


def _text() -> str:
    return sample().decode("utf-8")


def _zip(entries: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return buf.getvalue()


def _csv(*rows: str, header: str = CSV_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _cut_mid_utf8(data: bytes) -> bytes:
    """The bytes cut inside a multi-byte UTF-8 sequence, half-way through the file."""
    i = len(data) // 2
    while data[i] < 0xC0:  # find a lead byte of a multi-byte sequence
        i += 1
    return data[: i + 1]


def _tcvn3(text: str) -> bytes:
    # a few TCVN3 (ABC) code points for Vietnamese letters, as legacy fonts typed them
    table = str.maketrans({"ư": "\xad", "ơ": "\xac", "ă": "\xa8", "â": "\xa9", "đ": "\xae", "ê": "\xaa"})
    return text.translate(table).encode("latin-1", "replace")


def _vni(text: str) -> bytes:
    table = str.maketrans({"ư": "öù", "ơ": "ôù", "đ": "ñ", "ă": "aê", "â": "aâ", "ê": "eâ"})
    return text.translate(table).encode("cp1252", "replace")


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, bytes]
    exit_code: int
    message: str  # what the output must contain ("" when nothing in particular)
    loaded: bool = False  # the (first) file ends up in raw.reports with every line classified
    line: int | None = None  # the line the message names (file:line:)
    manifest: str | None = None
    args: tuple[str, ...] = ()
    twice: bool = False  # ingest the same files a second time (expect "already loaded")
    extra: dict[str, str] = field(default_factory=dict)


def _report_cases() -> list[Case]:
    good, text = sample(), _text()
    lines = text.splitlines(keepends=True)
    return [
        Case("empty", {"empty.txt": b""}, 1, "empty"),
        Case("whitespace only", {"blank.txt": b"  \n\t\n   \n"}, 1, "empty.txt".replace("empty", "blank")),
        Case("binary", {"bin.txt": bytes(range(256)) * 8}, 1, "bin.txt"),
        Case(
            "truncated mid-table", {"cut.txt": "".join(lines[: len(lines) // 2]).encode()}, 0, "", loaded=True
        ),
        Case("truncated mid-UTF-8", {"cututf8.txt": _cut_mid_utf8(good)}, 1, "cututf8.txt"),
        Case("no template family", {"letter.txt": "Kính gửi Ủy ban.\nXin chào.\n".encode()}, 1, "letter.txt"),
        Case("BOM", {"bom.txt": b"\xef\xbb\xbf" + good}, 0, "", loaded=True),
        Case("CRLF", {"crlf.txt": good.replace(b"\n", b"\r\n")}, 0, "", loaded=True),
        Case("NFD text", {"nfd.txt": unicodedata.normalize("NFD", text).encode()}, 0, "", loaded=True),
        Case("huge", {"huge.txt": good * (SMALL_LIMIT // len(good) + 1)}, 1, "file too large"),
        Case("PDF as text", {"doc.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"}, 1, "PDF"),
        Case(
            "DOCX as text",
            {"docx.txt": _zip({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"})},
            1,
            "docx.txt",
        ),
        Case("ZIP as text", {"zip.txt": _zip({"a.txt": "hello"})}, 1, "zip.txt"),
        Case("UTF-16 as text", {"u16.txt": text.encode("utf-16")}, 1, "UTF-16"),
        Case("TCVN3 text", {"tcvn3.txt": _tcvn3(text)}, 1, "tcvn3.txt"),
        Case("VNI text", {"vni.txt": _vni(text)}, 1, "vni.txt"),
        Case(
            "control characters in cells",
            {"ctrl.txt": text.replace("\t", "\t\x07\x1b", 5).encode()},
            0,
            "",
            loaded=True,
        ),
        Case("the same file twice", {"twice.txt": good}, 0, "already loaded", loaded=True, twice=True),
        Case(
            "unknown unit",
            {"unit.txt": text.replace("Vĩnh Châu", "Xứ Sở Thần Tiên").encode()},
            0,
            "",
            loaded=True,
        ),
        Case("NUL bytes", {"nul.txt": good.replace(b"\n", b"\x00\n", 3)}, 0, "", loaded=True),
        *_hostile_text_cases(text),
    ]


def _page_breaks(text: str, line_numbers: tuple[int, ...]) -> bytes:
    """``\f`` at the start of the given lines, as pdftotext marks a new page."""
    lines = text.split("\n")
    for n in line_numbers:
        lines[n - 1] = "\f" + lines[n - 1]
    return "\n".join(lines).encode()


def _hostile_text_cases(text: str) -> list[Case]:
    """Characters that other tools take for line breaks, and markup, SQL and formulas in cells.

    Each loads with every line classified: lines are what ``wc -l`` counts, whatever else the
    text holds (a count that drifted would not match the file's line count).
    """

    def edited(old: str, new: str) -> bytes:
        assert old in text
        return text.replace(old, new, 1).encode()

    return [
        Case("form feed page breaks", {"ff.txt": _page_breaks(text, (12, 20, 40))}, 0, "", loaded=True),
        Case(
            "U+2028 in a label",
            {"ls.txt": edited("Số nhiệm vụ đề ra", "Số nhiệm vụ\u2028đề ra")},
            0,
            "",
            loaded=True,
        ),
        Case(
            "U+0085 in a label",
            {"nel.txt": edited("Số văn bản chỉ đạo", "Số văn bản\u0085chỉ đạo")},
            0,
            "",
            loaded=True,
        ),
        Case(
            "file separators in a note",
            {"fs.txt": edited("Đạt 03/03 phòng", "Đạt\x1c03/03\x1d phòng\x1e")},
            0,
            "",
            loaded=True,
        ),
        Case(
            "formula in a label",
            {
                "formula.txt": edited(
                    "Số phòng ban đã kiểm tra", '=HYPERLINK("http://x")Số phòng ban đã kiểm tra'
                )
            },
            0,
            "",
            loaded=True,
        ),
        Case(
            "SQL in a label",
            {"sql.txt": edited("Số UBND cấp xã đã kiểm tra", "Số UBND'); drop table raw.reports; -- cấp xã")},
            0,
            "",
            loaded=True,
        ),
        Case(
            "script in a note",
            {"script.txt": edited("07/11 nội dung", "<script>alert(1)</script>")},
            0,
            "",
            loaded=True,
        ),
    ]


def _entry(file: str, period_type: str = "quarter") -> str:
    return (
        f"reports:\n  - file: {file}\n    unit_code: st-vinh-chau\n    unit_name: thị xã Vĩnh Châu\n"
        "    unit_level: district\n    province: Sóc Trăng\n    parent_district: null\n"
        f"    period: {{year: 2022, type: {period_type}, number: 3}}\n    template_family: soctrang_2022\n"
    )


def _manifest_cases() -> list[Case]:
    good = sample()
    return [
        Case(
            "manifest path traversal", {"a.txt": good}, 2, "etc/passwd", manifest=_entry("../../etc/passwd")
        ),
        Case("manifest YAML error", {"b.txt": good}, 2, "manifest", manifest="reports: [\n  - file: {\n"),
        Case("manifest not a mapping", {"c.txt": good}, 2, "manifest", manifest="- just\n- a list\n"),
        Case("manifest tab indent", {"d.txt": good}, 2, "manifest", manifest="reports:\n\t- file: a.txt\n"),
        Case(
            "manifest missing", {"e.txt": good}, 2, "manifest file not found", args=("--manifest", "nope.yml")
        ),
        Case("manifest unknown period", {GOOD: good}, 2, "fortnight", manifest=_entry(GOOD, "fortnight")),
    ]


def _csv_cases() -> list[Case]:
    row = CSV_ROW.split(",")

    def with_cell(i: int, value: str) -> str:
        cells = list(row)
        cells[i] = value
        return ",".join(cells)

    return [
        Case("csv good", {"good.csv": _csv(CSV_ROW)}, 0, ""),
        Case(
            "csv unknown unit",
            {"u.csv": _csv(with_cell(0, "no-such-unit"))},
            1,
            "unknown reporting unit",
            line=2,
        ),
        Case("csv unknown period", {"p.csv": _csv(with_cell(1, "2023-Q9"))}, 1, "period", line=2),
        Case(
            "csv unknown indicator",
            {"i.csv": _csv(with_cell(2, "no.such.indicator"))},
            1,
            "indicator",
            line=2,
        ),
        Case("csv empty value", {"v.csv": _csv(with_cell(3, ""))}, 1, "empty required cell(s) value", line=2),
        Case(
            "csv missing source reference",
            {"s.csv": _csv(CSV_ROW.replace('"r.txt, line 55"', ""))},
            1,
            "source_reference",
            line=2,
        ),
        Case("csv duplicate", {"d.csv": _csv(CSV_ROW, CSV_ROW)}, 1, "already given on line 2", line=3),
        Case(
            "csv unterminated quote",
            {"q.csv": _csv(CSV_ROW, CSV_ROW.replace('line 55"', "line 55"))},
            1,
            "unterminated quote",
            line=3,
        ),
        Case(
            "csv semicolons",
            {"semi.csv": _csv(CSV_ROW.replace(",", ";"), header=CSV_HEADER.replace(",", ";"))},
            1,
            "separated by semicolons",
            line=1,
        ),
        Case(
            "csv wrong header",
            {"h.csv": _csv(CSV_ROW, header=CSV_HEADER.replace("indicator_code", "indicator"))},
            1,
            "bad header",
            line=1,
        ),
        Case(
            "csv too many cells",
            {"m.csv": _csv(CSV_ROW + ",extra,more")},
            1,
            "cells but the header has",
            line=2,
        ),
        Case("csv empty", {"e.csv": b""}, 1, "empty file", line=1),
        Case(
            "csv unterminated quote, later rows",
            {"q2.csv": _csv(CSV_ROW.replace('line 55"', "line 55"), CSV_ROW)},
            1,
            "opened on line 2 is never closed",
            line=2,
        ),
        Case(
            "csv tab-separated",
            {"tab.csv": _csv(header=CSV_HEADER.replace(",", "\t"))},
            1,
            "separated by tabs",
            line=1,
        ),
        Case("csv binary", {"b.csv": bytes(range(256))}, 1, "b.csv"),
        Case("csv BOM", {"bom.csv": b"\xef\xbb\xbf" + _csv(CSV_ROW)}, 0, ""),
        Case("csv CRLF", {"crlf.csv": _csv(CSV_ROW).replace(b"\n", b"\r\n")}, 0, ""),
    ]


def all_cases() -> list[Case]:
    return [*_report_cases(), *_manifest_cases(), *_csv_cases()]
