"""Line numbers are what an editor and `wc -l` count, for every family (issue 12, item 1).

A copy of each sample report gets form feeds (pdftotext page breaks) at line starts, and U+2028,
U+2029, U+0085, \\v and \\x1c-\\x1e inside and at the end of lines throughout the file. Its parse
must keep the line count, every line's class and every statistic row's lines, path, label and value.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from family_test_helpers import REPORTS_DIR, read_text, write_copy

from ingest.detect import parse_report
from ingest.families import FAMILIES
from ingest.records import ParseResult, StatRow
from ingest.text import split_lines

SAMPLES = {
    "soctrang_2021": "soctrang-thanhtri-2021-year.txt",
    "soctrang_2022": "soctrang-vinhchau-2022-q3.txt",
    "national_2023": "travinh-duyenhai-2023-q1.txt",
    "national_commune_2024": "namdinh-catthanh-2024-q3.txt",
}
INSIDE = ("\u2028", "\x1e", "\u2029", "\v")  # replace a space inside a line
AT_END = ("\x85", "\x1c", "\x1d")  # appended to a line


def _replace_a_space(line: str, char: str) -> str:
    body = line.lstrip()
    space = body.find(" ", 1)
    if space < 0:
        return line
    at = len(line) - len(body) + space
    return line[:at] + char + line[at + 1 :]


def with_break_characters(text: str) -> list[str]:
    """The lines of ``text``, one in three carrying a character that str.splitlines() breaks on."""
    out: list[str] = []
    for index, line in enumerate(split_lines(text)):
        step, kind = divmod(index, 3)
        if kind == 0:
            out.append("\f" + line)
        elif kind == 1:
            out.append(_replace_a_space(line, INSIDE[step % len(INSIDE)]))
        else:
            out.append(line + AT_END[step % len(AT_END)])
    return out


def _row_key(row: StatRow) -> tuple[object, ...]:
    return (
        row.line_start,
        row.line_end,
        row.section_code,
        row.row_path,
        row.parent_row_path,
        row.depth,
        row.is_group,
        row.label,
        row.unit,
        row.value.kind,
        row.value.number,
        row.value.qualifier,
        row.value.numerator,
        row.value.denominator,
        tuple((fact.value.number, fact.keyword, fact.line_start, fact.line_end) for fact in row.note_facts),
    )


def _parse(text: str, name: str, family: str) -> ParseResult:
    result = parse_report(text, name)
    assert result.family == family
    return result


@pytest.mark.parametrize("family", sorted(SAMPLES))
def test_break_characters_keep_every_line_number(tmp_path: Path, family: str) -> None:
    assert family in FAMILIES
    name = SAMPLES[family]
    original_text = read_text(REPORTS_DIR / name)
    lines = with_break_characters(original_text)
    copy = write_copy(tmp_path, lines, name, final_newline=True)
    assert len(copy.splitlines()) > len(lines)  # str.splitlines() would see more lines
    original = _parse(original_text, name, family)
    modified = _parse(copy, name, family)

    assert modified.line_count == original.line_count == len(lines) == copy.count("\n")
    assert [r.line_class for r in modified.lines] == [r.line_class for r in original.lines]
    assert [_row_key(r) for r in modified.rows] == [_row_key(r) for r in original.rows]
    assert [(b.line_start, b.line_end) for b in modified.narrative] == [
        (b.line_start, b.line_end) for b in original.narrative
    ]
    assert modified.header == original.header
    # The characters really sit inside statistic rows (not only in blank lines or titles).
    touched = [
        r
        for r in modified.rows
        if any(c in r.raw_label + r.raw_note + r.raw_unit for c in (*INSIDE, *AT_END, "\f"))
    ]
    assert len(touched) >= max(5, len(modified.rows) // 8)
