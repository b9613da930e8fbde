"""Tests of ingest.validate: the Great Expectations suite on one file's frames."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from ingest.checks import check_batch
from ingest.detect import parse_report
from ingest.errors import SuiteFailedError, ValidationFailedError
from ingest.frames import ReportFrames, report_frames
from ingest.validate import gx_batch_check, suite_failure, validate_frames

NAME = "soctrang-vinhchau-2022-q3.txt"


@pytest.fixture(scope="module")
def frames(sample_texts: dict[str, str]) -> tuple[ReportFrames, int]:
    text = sample_texts[NAME]
    result = parse_report(text, NAME)
    built = report_frames(result, "abc", NAME, text.splitlines(), (), datetime(2024, 1, 1))
    return built, len(text.splitlines())


def test_sample_passes_every_expectation(frames: tuple[ReportFrames, int]) -> None:
    built, count = frames
    outcomes = validate_frames(built.statistic_rows, built.line_classes, count, NAME)
    assert all(o.success for o in outcomes)
    names = {(o.expectation, o.column_name) for o in outcomes}
    assert ("line_classes.expect_table_row_count_to_equal", "") in names
    assert ("statistic_rows.expect_column_values_to_not_be_null[conditional]", "value_number") in names
    assert len(names) == len(outcomes)  # unique keys of raw.validation_results


def _fail(rows: pd.DataFrame, lines: pd.DataFrame, count: int) -> SuiteFailedError:
    with pytest.raises(ValidationFailedError) as info:
        validate_frames(rows, lines, count, NAME)
    assert isinstance(info.value, SuiteFailedError)
    return info.value


def test_line_range_failure_names_expectation_and_lines(frames: tuple[ReportFrames, int]) -> None:
    built, count = frames
    rows = built.statistic_rows.copy()
    target = rows.index[rows["line_start"] == 14][0]  # "Số nhiệm vụ đã hoàn thành ... 18", line 14
    rows.loc[target, "line_end"] = 13
    error = _fail(rows, built.line_classes, count)
    message = str(error)
    assert message.startswith(f"{NAME}:14: validation failed: ")
    assert "statistic_rows.expect_column_pair_values_a_to_be_greater_than_b(line_end,line_start)" in message
    assert "rows at lines 14" in message
    assert [o.name for o in error.failed] == [
        "statistic_rows.expect_column_pair_values_a_to_be_greater_than_b(line_end,line_start)"
    ]


def test_value_kind_and_number_consistency(frames: tuple[ReportFrames, int]) -> None:
    built, count = frames
    rows = built.statistic_rows.copy()
    first = rows.index[rows["line_start"] == 13][0]  # "Số nhiệm vụ đề ra trong kế hoạch ... 27", line 13
    second = rows.index[rows["line_start"] == 14][0]  # "Số nhiệm vụ đã hoàn thành ... 18", line 14
    rows.loc[first, "value_kind"] = "number"
    rows.loc[second, "value_kind"] = "text"  # a number with a text kind
    error = _fail(rows, built.line_classes, count)
    failed = {o.name: o.lines for o in error.failed}
    assert failed["statistic_rows.expect_column_values_to_be_in_set(value_kind)"] == (13,)
    assert failed["statistic_rows.expect_column_values_to_be_null[conditional](value_number)"] == (14,)


def test_missing_number_for_numeric_kind_and_null_raw_value(frames: tuple[ReportFrames, int]) -> None:
    built, count = frames
    rows = built.statistic_rows.copy()
    target = rows.index[rows["line_start"] == 15][0]  # "Số văn bản chỉ đạo CCHC đã ban hành ... 45", line 15
    rows.loc[target, "value_number"] = None
    rows.loc[target, "raw_value"] = None
    failed = {o.name: o.lines for o in _fail(rows, built.line_classes, count).failed}
    assert failed["statistic_rows.expect_column_values_to_not_be_null[conditional](value_number)"] == (15,)
    assert failed["statistic_rows.expect_column_values_to_not_be_null(raw_value)"] == (15,)


def test_duplicate_row_seq_and_line_out_of_file(frames: tuple[ReportFrames, int]) -> None:
    built, count = frames
    rows = built.statistic_rows.copy()
    rows.loc[rows.index[1], "row_seq"] = rows.loc[rows.index[0], "row_seq"]
    rows.loc[rows.index[-1], "line_start"] = count + 5
    rows.loc[rows.index[-1], "line_end"] = count + 5
    failed = {o.name for o in _fail(rows, built.line_classes, count).failed}
    assert "statistic_rows.expect_column_values_to_be_unique(row_seq)" in failed
    assert "statistic_rows.expect_column_values_to_be_between(line_start)" in failed


def test_every_line_must_be_accounted(frames: tuple[ReportFrames, int]) -> None:
    built, count = frames
    lines = built.line_classes.drop(index=built.line_classes.index[9])  # line 10 missing
    failed = {o.name: o for o in _fail(built.statistic_rows, lines, count).failed}
    assert "line_classes.expect_table_row_count_to_equal" in failed
    doubled = pd.concat([built.line_classes, built.line_classes.iloc[[4]]], ignore_index=True)
    failed = {o.name: o for o in _fail(built.statistic_rows, doubled, count).failed}
    assert failed["line_classes.expect_column_values_to_be_unique(line_no)"].lines == (5,)


def test_missing_lineage_column(frames: tuple[ReportFrames, int]) -> None:
    built, count = frames
    rows = built.statistic_rows.drop(columns=["source_file"])
    failed = {o.name for o in _fail(rows, built.line_classes, count).failed}
    assert "statistic_rows.expect_column_to_exist(source_file)" in failed


# --- The batch path: the same expectations vectorised over a batch (ingest.checks) -----------------


def _breaks(rows: pd.DataFrame, lines: pd.DataFrame, case: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, lines = rows.copy(), lines.copy()
    if case == "rows":
        rows.loc[rows.index[3], "line_end"] = 0
        rows.loc[rows.index[4], "value_kind"] = "bogus"
        rows.loc[rows.index[5], "value_number"] = None
        rows.loc[rows.index[6], "row_seq"] = rows.loc[rows.index[7], "row_seq"]
        rows.loc[rows.index[8], "line_start"] = 999
    elif case == "lines":
        lines.loc[lines.index[2], "line_no"] = None
        lines.loc[lines.index[3], "line_class"] = "x"
        lines = lines.iloc[:-1]
    elif case == "missing column":
        rows = rows.drop(columns=["line_end"])
    elif case == "no rows":
        rows = rows.iloc[:0]
    return rows, lines


@pytest.mark.parametrize("case", ["clean", "rows", "lines", "missing column", "no rows"])
def test_vectorised_checks_give_the_outcomes_of_the_gx_suite(
    frames: tuple[ReportFrames, int], case: str
) -> None:
    built, count = frames
    rows, lines = _breaks(built.statistic_rows, built.line_classes, case)
    try:
        expected = validate_frames(rows, lines, count, NAME)
    except SuiteFailedError as exc:
        expected = exc.outcomes
    got = check_batch(rows, lines, {"abc": count})["abc"]
    assert {(o.expectation, o.column_name): o for o in got} == {
        (o.expectation, o.column_name): o for o in expected
    }
    if case != "missing column":  # (GX lists the expectations that raised first)
        assert [o.name for o in got] == [o.name for o in expected]  # the same order: the same messages
    assert (case in ("clean", "no rows")) == all(o.success for o in got)


def test_vectorised_checks_judge_each_file_of_a_batch_alone(frames: tuple[ReportFrames, int]) -> None:
    built, count = frames
    rows, lines = _breaks(built.statistic_rows, built.line_classes, "rows")
    other_rows = built.statistic_rows.assign(report_id="other")
    other_lines = built.line_classes.assign(report_id="other")
    batch = check_batch(
        pd.concat([rows, other_rows], ignore_index=True),
        pd.concat([lines, other_lines], ignore_index=True),
        {"abc": count, "other": count},
    )
    assert all(o.success for o in batch["other"])  # row_seq repeats across files: unique within each
    failure = suite_failure(batch["abc"], NAME)
    assert failure is not None
    with pytest.raises(SuiteFailedError) as info:
        validate_frames(rows, lines, count, NAME)
    assert str(failure) == str(info.value)


def test_gx_once_per_batch_finds_what_the_vectorised_checks_would(frames: tuple[ReportFrames, int]) -> None:
    built, _ = frames
    assert gx_batch_check(built.statistic_rows, built.line_classes) == ()
    rows = built.statistic_rows.copy()
    rows.loc[rows.index[4], "value_kind"] = "bogus"
    failed = gx_batch_check(rows, built.line_classes)
    assert [o.name for o in failed] == ["statistic_rows.expect_column_values_to_be_in_set(value_kind)"]
