"""Helpers shared by the family-parser tests (imported as ``family_test_helpers``).

Loading a sample report and parsing it once per module, finding rows by their first line,
counting line classes, writing modified copies of a sample under tmp_path (written and read
back, as the loader would read another unit's copy) and reading a template-rows seed.
Plain module next to the tests: pytest puts this folder on sys.path (rootdir insertion), as it
puts tests/dbt_rules/ there for dbt_rules_harness.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from ingest.records import LineClass, ParseResult, StatRow
from ingest.text import split_lines

REPO_ROOT = Path(__file__).resolve().parents[3]
REPORTS_DIR = REPO_ROOT / "data" / "reports"
TEMPLATE_ROWS_DIR = REPO_ROOT / "seeds" / "template_rows"
SEED_COLUMNS = [
    "template_row_id",
    "section_code",
    "parent_template_row_id",
    "row_code",
    "label_vi",
    "unit_vi",
]


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def sample_fixtures(sample: Path, parse: Callable[[str, str], ParseResult]) -> tuple[Any, Any]:
    """The module fixtures ``text`` (the sample's text) and ``result`` (its parse), as a pair.

    Use as ``text, result = sample_fixtures(SAMPLE, family.parse)`` at module level.
    """

    @pytest.fixture(scope="module")
    def text() -> str:
        return read_text(sample)

    @pytest.fixture(scope="module")
    def result(text: str) -> ParseResult:
        return parse(text, sample.name)

    return text, result


def assert_score_picks_its_sample(score: Callable[[str], float], sample_name: str, minimum: float) -> None:
    """Of the four sample reports, the family's `score` rates its own sample at least `minimum`
    and each of the other three below 0.3."""
    scores = {p.name: score(read_text(p)) for p in sorted(REPORTS_DIR.glob("*.txt"))}
    assert len(scores) == 4
    assert scores[sample_name] >= minimum
    for name, value in scores.items():
        if name != sample_name:
            assert value < 0.3, (name, value)


# --------------------------------------------------------------------------- rows and lines


def rows_by_line(result: ParseResult) -> dict[int, StatRow]:
    """The rows by their first line."""
    return {row.line_start: row for row in result.rows}


def row_at(result: ParseResult, line: int) -> StatRow:
    """The one row that starts at `line`."""
    found = [r for r in result.rows if r.line_start == line]
    assert len(found) == 1, f"expected one row starting at line {line}, got {len(found)}"
    return found[0]


def line_class_counts(result: ParseResult) -> dict[LineClass, int]:
    """How many lines of the file are of each class (every class present, 0 when none)."""
    return {c: sum(1 for rec in result.lines if rec.line_class is c) for c in LineClass}


def assert_every_line_numbered(result: ParseResult, text: str, expected_lines: int) -> None:
    """The file has `expected_lines` lines and the parse classifies each once, in order."""
    n = len(split_lines(text))
    assert result.line_count == n == expected_lines
    assert [rec.line_no for rec in result.lines] == list(range(1, n + 1))


def assert_blank_lines_are_blank(result: ParseResult, text: str) -> None:
    """A line is classified BLANK exactly when it holds nothing but white space."""
    source_lines = split_lines(text)
    for record, line in zip(result.lines, source_lines, strict=True):
        assert (record.line_class is LineClass.BLANK) == (line.strip() == ""), record


# --------------------------------------------------------------------------- modified copies


def write_copy(tmp_path: Path, lines: Sequence[str], name: str = "copy.txt", *, final_newline: bool) -> str:
    """Write `lines` as a file under tmp_path and read it back."""
    path = tmp_path / name
    path.write_text("\n".join(lines) + ("\n" if final_newline else ""), encoding="utf-8")
    return read_text(path)


def replaced_lines(text: str, edits: Mapping[int, Sequence[str]]) -> list[str]:
    """The lines of `text` with some replaced (line number -> new lines; [] deletes the line)."""
    out: list[str] = []
    for number, line in enumerate(split_lines(text), start=1):
        out.extend(edits.get(number, [line]))
    return out


def edited_copy(
    tmp_path: Path, text: str, edit: Mapping[int, str | None], insert: Mapping[int, str] | None = None
) -> str:
    """A copy of the sample with lines replaced (None deletes) / inserted after, written and read back."""
    out: list[str] = []
    for number, line in enumerate(split_lines(text), start=1):
        replaced = edit.get(number, line)
        if replaced is not None:
            out.append(replaced)
        if insert and number in insert:
            out.append(insert[number])
    return write_copy(tmp_path, out, final_newline=True)


# --------------------------------------------------------------------------- template rows seed


def read_template_rows_seed(path: Path) -> list[dict[str, str]]:
    """The rows of a seeds/template_rows CSV, whose header must be the seed's columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == SEED_COLUMNS
        return list(reader)
