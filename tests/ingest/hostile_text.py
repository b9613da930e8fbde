"""Hypothesis strategies for hostile text: random text and mutated copies of real inputs.

Plain module next to the property tests (imported as ``hostile_text``; pytest puts this folder on
sys.path, as it does for ``family_test_helpers``). Every strategy draws a list of small edits and
applies them to a real text, so that a failing example shrinks to the few edits that matter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORTS_DIR = REPO_ROOT / "data" / "reports"
SAMPLE_NAMES = tuple(sorted(p.name for p in REPORTS_DIR.glob("*.txt")))

# Characters that break parsers: separators, line-break look-alikes, controls, markup, digits,
# Vietnamese letters (NFC and a combining mark), bidi override, BOM, NBSP, a replacement character.
HOSTILE_CHARS = (
    "\t",
    "\n",
    "\r",
    "\f",
    "\v",
    "\x00",
    "\x1b",
    "\x1c",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\u202e",
    "\ufeff",
    "\xa0",
    "\ufffd",
    "\u0301",
    " ",
    "0",
    "1",
    "9",
    ".",
    ",",
    "%",
    "/",
    "-",
    "–",
    "…",
    "(",
    ")",
    '"',
    ";",
    "<",
    ">",
    "*",
    "¹",
    "⁶",
    "I",
    "V",
    "đ",
    "ộ",
    "Ư",
)
hostile_char = st.sampled_from(HOSTILE_CHARS)
hostile_string = st.text(st.one_of(hostile_char, st.characters()), max_size=12)


@dataclass(frozen=True)
class Edit:
    """One edit of a list of lines; positions are taken modulo the current size."""

    kind: str
    a: int
    b: int
    text: str

    def apply(self, lines: list[str]) -> list[str]:
        if not lines:
            return [self.text] if self.kind == "insert_line" else lines
        i = self.a % len(lines)
        j = self.b % len(lines)
        line = lines[i]
        out = list(lines)
        if self.kind == "delete":
            del out[i]
        elif self.kind == "duplicate":
            out.insert(i, line)
        elif self.kind == "swap":
            out[i], out[j] = out[j], out[i]
        elif self.kind == "insert_line":
            out.insert(i, self.text)
        elif self.kind == "insert_chars":
            pos = self.b % (len(line) + 1)
            out[i] = line[:pos] + self.text + line[pos:]
        elif self.kind == "digit":
            out[i] = _change_digit(line, self.b, self.text)
        elif self.kind == "empty_cell":
            cells = line.split("\t")
            cells[self.b % len(cells)] = ""
            out[i] = "\t".join(cells)
        elif self.kind == "truncate_line":
            out[i] = line[: self.b % (len(line) + 1)]
        return out


def _change_digit(line: str, k: int, text: str) -> str:
    positions = [n for n, ch in enumerate(line) if ch.isdigit()]
    if not positions:
        return line
    pos = positions[k % len(positions)]
    replacement = text[:1] if text[:1].isdigit() else str(k % 10)
    return line[:pos] + replacement + line[pos + 1 :]


EDIT_KINDS = (
    "delete",
    "duplicate",
    "swap",
    "insert_line",
    "insert_chars",
    "digit",
    "empty_cell",
    "truncate_line",
)
edits = st.lists(
    st.builds(
        Edit,
        kind=st.sampled_from(EDIT_KINDS),
        a=st.integers(min_value=0, max_value=10_000),
        b=st.integers(min_value=0, max_value=10_000),
        text=hostile_string,
    ),
    max_size=8,
)


def apply_edits(text: str, changes: Sequence[Edit], *, cut: int | None = None) -> str:
    """The text (split on ``\\n`` only) with the edits applied, cut to ``cut`` lines if given."""
    lines = text.split("\n")
    for change in changes:
        lines = change.apply(lines)
    if cut is not None:
        lines = lines[: cut % (len(lines) + 1)]
    return "\n".join(lines)


def read_sample(name: str) -> str:
    return (REPORTS_DIR / name).read_text(encoding="utf-8")


@st.composite
def mutated_text(draw: st.DrawFn, base: str) -> str:
    """A real text with a few edits, sometimes cut short (mid-table)."""
    changes = draw(edits)
    cut = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)))
    return apply_edits(base, changes, cut=cut)


# Random text made of the lines that structure reports: tab-separated cells, row codes, roman numerals.
table_like_line = st.lists(
    st.one_of(
        st.sampled_from(["I", "II", "1", "1.1", "3.2.", "-", "+", "a)", "STT", "Chỉ tiêu", "Đơn vị tính"]),
        hostile_string,
        st.from_regex(r"[0-9]{1,4}([.,][0-9]{1,3})?%?", fullmatch=True),
    ),
    max_size=6,
).map("\t".join)
random_report_text = st.lists(st.one_of(table_like_line, hostile_string), max_size=30).map("\n".join)
SAMPLES_TEXT = "\n".join(read_sample(name) for name in SAMPLE_NAMES)
