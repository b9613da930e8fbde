"""Which slots of a raw skeleton read back through the family's real parser as written."""

from __future__ import annotations

import random
from collections.abc import Mapping

from ingest.detect import detect_and_parse
from ingest.recognize import load_template_rows, recognize_rows
from ingest.records import StatRow
from synth.render import render
from synth.skeleton import Skeleton, sample_names
from synth.written import write_value


def sample_name_values(family: str) -> dict[str, str]:
    """The names of the sample itself (a neutral rendering for calibration)."""
    return {key: text for text, key in sample_names(family).items()}


def parsed_rows(skeleton: Skeleton, text: str) -> dict[str, StatRow]:
    """template_row_id -> parsed row of a generated text."""
    result = detect_and_parse(text, f"calibration-{skeleton.family}.txt", template=skeleton.family).result
    matches = recognize_rows(result.rows, load_template_rows(skeleton.family) or ())
    return {m.template_row_id: r for r, m in zip(result.rows, matches, strict=True) if m.template_row_id}


def _reads_back(row: StatRow | None, expected: float, note: bool) -> bool:
    if row is None:
        return False
    if note:
        return any(f.value.number is not None and float(f.value.number) == expected for f in row.note_facts)
    return row.value.number is not None and float(row.value.number) == expected


def check_slots(skeleton: Skeleton, values: Mapping[int, float]) -> set[int]:
    """The slots whose value (written as a count in the slot's style) parses back equal."""
    rng = random.Random(0)
    texts = {s.index: write_value(values[s.index], "count", s.style, rng) for s in skeleton.slots}
    rows = parsed_rows(skeleton, render(skeleton, texts, sample_name_values(skeleton.family)))
    return {
        s.index for s in skeleton.slots if _reads_back(rows.get(s.template_row_id), values[s.index], s.note)
    }


def blank_slots(skeleton: Skeleton) -> set[int]:
    """The slots that read back as not reported when every slot is left empty."""
    rows = parsed_rows(skeleton, render(skeleton, {}, sample_name_values(skeleton.family)))
    return {
        s.index for s in skeleton.slots if _reads_back_empty(rows.get(s.template_row_id), s.note, s.line_no)
    }


def _reads_back_empty(row: StatRow | None, note: bool, line: int) -> bool:
    if row is None:
        return False
    if note:
        return not any(
            f.line_start <= line <= f.line_end and f.value.number is not None for f in row.note_facts
        )
    return row.value.number is None


# Word forms of domain.md a slot may be written in, with the number they read back as.
FORMS: dict[str, tuple[str, float | None]] = {
    "yes": ("Có", 1.0),
    "no": ("Không", 0.0),
    "not_yet": ("Chưa", None),
    "over_90": ("Trên 90%", 90.0),
}


def form_slots(skeleton: Skeleton) -> dict[int, frozenset[str]]:
    """For every slot, the word forms that read back as their number when written in it."""
    ok: dict[int, set[str]] = {s.index: set() for s in skeleton.slots}
    for form, (text, number) in FORMS.items():
        rows = parsed_rows(
            skeleton, render(skeleton, dict.fromkeys(ok, text), sample_name_values(skeleton.family))
        )
        for s in skeleton.slots:
            row = rows.get(s.template_row_id)
            good = (
                _reads_back_empty(row, s.note, s.line_no)
                if number is None
                else _reads_back(row, number, s.note)
            )
            if good:
                ok[s.index].add(form)
    return {k: frozenset(v) for k, v in ok.items()}


def calibrate(skeleton: Skeleton) -> tuple[set[int], set[int]]:
    """Slots that read back in two rounds of distinct values (small, then thousands), and
    those of them that may be left empty."""
    small = {s.index: float(2 + 3 * s.index) for s in skeleton.slots}
    large = {s.index: float(1001 + 7 * s.index) for s in skeleton.slots}
    return check_slots(skeleton, small) & check_slots(skeleton, large), blank_slots(skeleton)
