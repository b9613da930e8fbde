"""Property-based tests of the hand-entered values CSV reader: hostile CSV never crashes it.

Random CSV and mutated copies of the shipped example (lines deleted / duplicated / swapped, quotes,
commas, semicolons, controls and line-break look-alikes inserted, cells emptied, the file cut short)
are read into values and rejected rows, or refused as a whole with a :class:`CchcError`. Accounting
holds: every CSV record after the header that has a non-blank cell is exactly one value or one
rejected row, in file order, and every row's lines lie within the file.
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata

from hostile_text import REPO_ROOT, apply_edits, edits, hostile_string
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.errors import CchcError
from ingest.hand_entered import parse_hand_entered
from ingest.records import ValueKind
from ingest.reference import ReferenceData, load_reference_data
from ingest.text import split_lines

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
EXAMPLE = (REPO_ROOT / "data" / "hand_entered" / "values.csv").read_text(encoding="utf-8")
HEADER = EXAMPLE.split("\n", 1)[0]
REFERENCE: ReferenceData = load_reference_data()

csv_cell = st.one_of(
    hostile_string,
    st.sampled_from(["tv-duyen-hai-tx", "2023-Q1", "2023-q5", "246", "2.401", "66,67%", '"', '""', ";", ","]),
)
csv_row = st.lists(csv_cell, max_size=9).map(",".join)
random_csv = st.builds(
    lambda header, rows: "\n".join([header, *rows]),
    st.one_of(st.just(HEADER), csv_row, st.just(HEADER.replace(",", ";"))),
    st.lists(csv_row, max_size=12),
)
csv_edits = edits.map(
    lambda changes: [type(c)(c.kind, c.a, c.b, c.text + ('"', ",", ";", "")[c.a % 4]) for c in changes]
)
mutated_csv = st.builds(
    lambda changes, cut: apply_edits(EXAMPLE, changes, cut=cut),
    csv_edits,
    st.one_of(st.none(), st.integers(min_value=0, max_value=50)),
)


def data_records(text: str) -> int:
    """How many CSV records after the header have a non-blank cell (the rows the reader must account)."""
    rows = list(
        csv.reader(io.StringIO(unicodedata.normalize("NFC", text.removeprefix("\ufeff")), newline=""))
    )
    return sum(1 for cells in rows[1:] if any(c.strip() for c in cells))


def check_csv(text: str) -> None:
    try:
        parsed = parse_hand_entered(text, "hostile.csv", REFERENCE)
    except CchcError as exc:
        assert str(exc).startswith("hostile.csv")
        return
    rows = sorted(
        [(v.line_start, v.line_end) for v in parsed.values]
        + [(r.line_start, r.line_end) for r in parsed.rejected]
    )
    assert parsed.row_count == len(rows) == data_records(text)
    for start, end in rows:
        assert 2 <= start <= end, (start, end)
    for (_, end), (following, _) in itertools.pairwise(rows):
        assert end < following, rows
    assert all(end <= parsed.line_count for _, end in rows)
    for rejected in parsed.rejected:
        assert rejected.error.source_file == "hostile.csv"
        assert rejected.error.line == rejected.line_start
        assert rejected.reason
    for value in parsed.values:  # a value carries a figure or words ("Chưa"), never nothing
        assert value.value.kind is not ValueKind.EMPTY
        assert value.value.raw == value.value.raw.strip()


@SETTINGS
@given(text=mutated_csv)
@example(text=EXAMPLE)
@example(text=EXAMPLE.replace(",", ";"))
@example(text=HEADER + '\ntv-duyen-hai-tx,2023-Q1,"unterminated,246')
@example(text=EXAMPLE.replace(",1561,", ",;1561,"))  # accepted as the words ";1561" (TEXT)
def test_mutated_example_csv_is_accounted_for(text: str) -> None:
    check_csv(text)


@SETTINGS
@given(text=random_csv)
@example(text="")
@example(text="\ufeff")
@example(text=HEADER + "\n\x00,\x1b,\f")
def test_random_csv_is_accounted_for(text: str) -> None:
    check_csv(text)


def test_a_form_feed_inside_a_cell_keeps_the_csv_lines() -> None:
    lines = EXAMPLE.rstrip("\n").split("\n")
    lines[1] = lines[1].replace("Narrative:", "Narrative:\f", 1)
    lines[2] = lines[2].replace("tv-duyen-hai-tx", "no-such-unit", 1)
    text = "\n".join(lines) + "\n"
    parsed = parse_hand_entered(text, "ff.csv", REFERENCE)
    assert parsed.line_count == len(split_lines(text)) == len(lines)
    assert [r.raw_text for r in parsed.rejected] == [lines[2]]
