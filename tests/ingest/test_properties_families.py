"""Property-based tests of every template parser and of detection: hostile text never crashes them.

Random text, and the sample reports with lines deleted / duplicated / swapped, characters inserted
(``\\f``, U+2028, controls, markup ...), digits changed, cells emptied and the text cut mid-table, are
either parsed or refused with a :class:`CchcError`; when parsed, line accounting holds: every line
1..N of ``split_lines(text)`` has exactly one LineRecord and every record's lines lie within 1..N.
The bytes of a mutated sample cut anywhere (mid-UTF-8 sequence included) go through ``decode_report``
first, as the loader reads them.
"""

from __future__ import annotations

from hostile_text import SAMPLE_NAMES, mutated_text, random_report_text, read_sample
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.detect import decode_report, detect_and_parse
from ingest.errors import CchcError
from ingest.families import FAMILIES
from ingest.records import ParseResult
from ingest.text import split_lines

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SAMPLES = {name: read_sample(name) for name in SAMPLE_NAMES}
FAMILY_NAMES = sorted(FAMILIES)
# The sample of each family (the one it was built from), mutated for that family's parser.
OWN_SAMPLE = {
    "soctrang_2021": "soctrang-thanhtri-2021-year.txt",
    "soctrang_2022": "soctrang-vinhchau-2022-q3.txt",
    "national_2023": "travinh-duyenhai-2023-q1.txt",
    "national_commune_2024": "namdinh-catthanh-2024-q3.txt",
}


def check_accounting(result: ParseResult, text: str, source_file: str) -> None:
    """Every line 1..N has exactly one record, in order; every row and block lies within 1..N."""
    n = len(split_lines(text))
    assert result.source_file == source_file
    assert result.line_count == n
    assert [r.line_no for r in result.lines] == list(range(1, n + 1))
    for row in result.rows:
        assert 1 <= row.line_start <= row.line_end <= n, (row.line_start, row.line_end, n)
        for fact in row.note_facts:
            assert row.line_start <= fact.line_start <= fact.line_end <= row.line_end
    assert [row.seq for row in result.rows] == list(range(1, len(result.rows) + 1))
    for block in result.narrative:
        assert 1 <= block.line_start <= block.line_end <= n
    for line in (result.header.unit_line, result.header.period_line):
        assert line is None or 1 <= line <= n


def parse_or_refuse(family: str, text: str) -> None:
    try:
        result = FAMILIES[family].parse(text, "hostile.txt")
    except CchcError as exc:
        assert str(exc).startswith("hostile.txt")
        return
    assert result.family == family
    check_accounting(result, text, "hostile.txt")


def detect_or_refuse(text: str) -> None:
    try:
        detection = detect_and_parse(text, "hostile.txt")
    except CchcError as exc:
        assert str(exc).startswith("hostile.txt")
        return
    check_accounting(detection.result, text, "hostile.txt")


# One test per family, each on its own sample (the parser's deepest paths) ----------------------------


def _own_sample_test(family: str):  # type: ignore[no-untyped-def]
    @SETTINGS
    @given(text=mutated_text(SAMPLES[OWN_SAMPLE[family]]))
    def test(text: str) -> None:
        parse_or_refuse(family, text)

    test.__name__ = f"test_{family}_parses_its_mutated_sample_or_refuses_it"
    return test


test_soctrang_2021_mutated = _own_sample_test("soctrang_2021")
test_soctrang_2022_mutated = _own_sample_test("soctrang_2022")
test_national_2023_mutated = _own_sample_test("national_2023")
test_national_commune_2024_mutated = _own_sample_test("national_commune_2024")


@SETTINGS
@given(family=st.sampled_from(FAMILY_NAMES), sample=st.sampled_from(SAMPLE_NAMES), data=st.data())
def test_every_family_on_every_mutated_sample(family: str, sample: str, data: st.DataObject) -> None:
    parse_or_refuse(family, data.draw(mutated_text(SAMPLES[sample])))


@settings(SETTINGS, max_examples=60)
@given(family=st.sampled_from(FAMILY_NAMES), text=random_report_text)
@example(family="soctrang_2022", text="")
@example(family="national_2023", text="\f\n\u2028\n\x1b")
def test_every_family_on_random_text(family: str, text: str) -> None:
    parse_or_refuse(family, text)


@settings(SETTINGS, max_examples=60)
@given(text=random_report_text)
def test_detection_on_random_text(text: str) -> None:
    detect_or_refuse(text)


@SETTINGS
@given(sample=st.sampled_from(SAMPLE_NAMES), data=st.data())
def test_detection_on_mutated_samples(sample: str, data: st.DataObject) -> None:
    detect_or_refuse(data.draw(mutated_text(SAMPLES[sample])))


@SETTINGS
@given(sample=st.sampled_from(SAMPLE_NAMES), data=st.data(), cut=st.integers(min_value=0))
def test_bytes_cut_anywhere_are_decoded_or_refused(sample: str, data: st.DataObject, cut: int) -> None:
    raw = data.draw(mutated_text(SAMPLES[sample])).encode("utf-8")
    raw = raw[: cut % (len(raw) + 1)]
    try:
        text = decode_report(raw, "hostile.txt")
    except CchcError as exc:
        assert str(exc).startswith("hostile.txt")
        return
    detect_or_refuse(text)
