"""The validation suite's per-file expectations, vectorised over the frames of a whole batch.

The same expectations as :mod:`ingest.validate` (the Great Expectations suite), evaluated with
pandas on the concatenated frames of many files at once and reported per file: for every file and
expectation the same name, column, verdict, unexpected count and source lines as the GX suite run
on that file alone. :mod:`ingest.validate` runs GX itself once per batch as a cross-check.

Semantics follow GX's: map expectations ignore null values (except the null checks themselves),
the line bounds are each file's own line count, uniqueness is within one file, conditional
expectations only look at the rows that meet their condition.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ingest.records import ExpectationOutcome, ValueKind

LINEAGE_COLUMNS = ("report_id", "source_file", "line_start", "line_end")
NUMERIC_KINDS = (ValueKind.COUNT.value, ValueKind.PERCENT.value, ValueKind.RATIO.value, ValueKind.CODE.value)
OTHER_KINDS = tuple(k.value for k in ValueKind if k.value not in NUMERIC_KINDS)
VALUE_KINDS = tuple(k.value for k in ValueKind)
LINE_CLASSES = ("statistic", "structure", "narrative", "blank", "quarantine")
PARTIAL_SHOWN = 20
KEY = "report_id"

Mask = Callable[[pd.DataFrame, pd.Series], pd.Series]  # (frame, each row's line count) -> unexpected


@dataclass(frozen=True)
class Check:
    """One expectation: its GX type, column(s), and the rows it finds unexpected."""

    table: str
    kind: str  # the GX expectation type, e.g. "expect_column_values_to_be_unique"
    columns: tuple[str, ...]  # the column(s) it reads; () for table-level
    unexpected: Mask | None  # None for expect_column_to_exist / the row count
    condition: tuple[str, tuple[str, ...]] | None = None  # (column, values) the rows must be in

    @property
    def expectation(self) -> str:
        return f"{self.table}.{self.kind}" + ("[conditional]" if self.condition else "")

    @property
    def column_name(self) -> str:
        return ",".join(self.columns)


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce")


def _not_null(column: str) -> Mask:
    return lambda df, _n: df[column].isna()


def _null(column: str) -> Mask:
    return lambda df, _n: df[column].notna()


def _in_set(column: str, allowed: Sequence[str]) -> Mask:
    return lambda df, _n: df[column].notna() & ~df[column].isin(list(allowed))


def _between_one_and_count(column: str) -> Mask:
    def mask(df: pd.DataFrame, line_count: pd.Series) -> pd.Series:
        values = _numbers(df[column])
        return values.notna() & ((values < 1) | (values > line_count))

    return mask


def _unique_in_file(column: str) -> Mask:
    return lambda df, _n: df[column].notna() & df.duplicated(subset=[KEY, column], keep=False)


def _pair_greater_or_equal(a: str, b: str) -> Mask:
    def mask(df: pd.DataFrame, _n: pd.Series) -> pd.Series:
        left, right = _numbers(df[a]), _numbers(df[b])
        both_missing = left.isna() & right.isna()
        return ~both_missing & ~(left >= right)

    return mask


def row_checks() -> tuple[Check, ...]:
    """The statistic_rows expectations, in the order of the GX suite."""
    table = "statistic_rows"
    checks = [Check(table, "expect_column_to_exist", (c,), None) for c in LINEAGE_COLUMNS]
    checks += [
        Check(table, "expect_column_values_to_not_be_null", (c,), _not_null(c)) for c in LINEAGE_COLUMNS
    ]
    checks += [
        Check(
            table,
            "expect_column_pair_values_a_to_be_greater_than_b",
            ("line_end", "line_start"),
            _pair_greater_or_equal("line_end", "line_start"),
        ),
        Check(
            table, "expect_column_values_to_be_between", ("line_start",), _between_one_and_count("line_start")
        ),
        Check(table, "expect_column_values_to_be_between", ("line_end",), _between_one_and_count("line_end")),
        Check(
            table, "expect_column_values_to_be_in_set", ("value_kind",), _in_set("value_kind", VALUE_KINDS)
        ),
        Check(table, "expect_column_values_to_be_unique", ("row_seq",), _unique_in_file("row_seq")),
        Check(table, "expect_column_values_to_not_be_null", ("raw_value",), _not_null("raw_value")),
        Check(
            table,
            "expect_column_values_to_not_be_null",
            ("value_number",),
            _not_null("value_number"),
            ("value_kind", NUMERIC_KINDS),
        ),
        Check(
            table,
            "expect_column_values_to_be_null",
            ("value_number",),
            _null("value_number"),
            ("value_kind", OTHER_KINDS),
        ),
    ]
    return tuple(checks)


def in_gx_order(checks: Sequence[Check]) -> tuple[Check, ...]:
    """The checks in the order GX reports them: grouped by column, columns in order of first use."""
    first: dict[str, int] = {}
    for check in checks:
        first.setdefault(check.column_name, len(first))
    return tuple(sorted(checks, key=lambda c: first[c.column_name]))


def line_checks() -> tuple[Check, ...]:
    """The line_classes expectations, in the order of the GX suite."""
    table = "line_classes"
    return (
        Check(table, "expect_table_row_count_to_equal", (), None),
        Check(table, "expect_column_values_to_not_be_null", ("line_no",), _not_null("line_no")),
        Check(table, "expect_column_values_to_be_unique", ("line_no",), _unique_in_file("line_no")),
        Check(table, "expect_column_values_to_be_between", ("line_no",), _between_one_and_count("line_no")),
        Check(
            table, "expect_column_values_to_be_in_set", ("line_class",), _in_set("line_class", LINE_CLASSES)
        ),
    )


@dataclass
class _Table:
    """One table's batch frame and each file's line count beside its rows."""

    name: str
    frame: pd.DataFrame
    line_count: pd.Series
    line_column: str | None

    @classmethod
    def of(cls, name: str, frame: pd.DataFrame, line_counts: Mapping[str, int]) -> _Table:
        frame = frame.reset_index(drop=True)
        counts = frame[KEY].map(dict(line_counts)) if KEY in frame.columns else pd.Series(dtype=float)
        column = next((c for c in ("line_start", "line_no") if c in frame.columns), None)
        return cls(name, frame, counts, column)


@dataclass(frozen=True)
class _Found:
    """What a check found in one file."""

    success: bool
    unexpected_count: int | None
    lines: tuple[int, ...]
    details: dict[str, Any]


def _lines(table: _Table, rows: pd.DataFrame) -> tuple[int, ...]:
    if table.line_column is None:
        return ()
    values = _numbers(rows[table.line_column]).dropna()
    return tuple(sorted({int(v) for v in values}))


def _partial(check: Check, rows: pd.DataFrame) -> list[str]:
    head = rows.head(PARTIAL_SHOWN)
    if len(check.columns) == 2:
        a, b = check.columns
        return [str((x, y)) for x, y in zip(head[a], head[b], strict=True)]
    return [str(v) for v in head[check.columns[0]]]


def _missing_column(check: Check, frame: pd.DataFrame) -> str | None:
    needed = list(check.columns) + ([check.condition[0]] if check.condition else [])
    return next((c for c in needed if c not in frame.columns), None)


def _per_file_map(check: Check, table: _Table, files: Sequence[str]) -> dict[str, _Found]:
    """A map expectation's finding in every file of the batch."""
    assert check.unexpected is not None
    frame = table.frame
    if _missing_column(check, frame) is not None:
        return dict.fromkeys(files, _Found(False, None, (), {}))  # as GX: failed, no count
    unexpected = check.unexpected(frame, table.line_count).fillna(False).astype(bool)
    if check.condition is not None:
        column, values = check.condition
        unexpected &= frame[column].isin(list(values))
    counts = unexpected.groupby(frame[KEY]).sum() if len(frame) else pd.Series(dtype=np.int64)
    details: dict[str, Any] = {"partial_unexpected": []}
    if check.condition is not None:
        details["row_condition"] = _condition_text(check.condition)
    result = dict.fromkeys(files, _Found(True, 0, (), details))
    for report_id, count in counts[counts > 0].items():
        rows = frame[unexpected & (frame[KEY] == report_id)]
        lines = _lines(table, rows)
        found_details = {**details, "partial_unexpected": _partial(check, rows)}
        if lines:
            found_details["lines"] = list(lines)
        result[str(report_id)] = _Found(False, int(count), lines, found_details)
    return result


def _condition_text(condition: tuple[str, tuple[str, ...]]) -> dict[str, Any]:
    """The row condition as GX reports it."""
    column, values = condition
    return {"column": {"name": column}, "operator": "IN", "parameter": list(values), "type": "comparison"}


def _per_file_exist(check: Check, table: _Table, files: Sequence[str]) -> dict[str, _Found]:
    ok = check.columns[0] in table.frame.columns
    return dict.fromkeys(files, _Found(ok, None, (), {}))


def _per_file_row_count(
    table: _Table, files: Sequence[str], line_counts: Mapping[str, int]
) -> dict[str, _Found]:
    sizes = table.frame.groupby(KEY).size() if len(table.frame) else pd.Series(dtype=np.int64)
    result: dict[str, _Found] = {}
    for report_id in files:
        observed = int(sizes.get(report_id, 0))
        result[report_id] = _Found(
            observed == line_counts[report_id], None, (), {"observed_value": str(observed)}
        )
    return result


def _findings(
    check: Check, table: _Table, files: Sequence[str], line_counts: Mapping[str, int]
) -> dict[str, _Found]:
    if check.kind == "expect_table_row_count_to_equal":
        return _per_file_row_count(table, files, line_counts)
    if check.unexpected is None:
        return _per_file_exist(check, table, files)
    return _per_file_map(check, table, files)


def _outcome(check: Check, found: _Found) -> ExpectationOutcome:
    return ExpectationOutcome(
        table=check.table,
        expectation=check.expectation,
        column_name=check.column_name,
        success=found.success,
        unexpected_count=found.unexpected_count,
        lines=found.lines,
        details=json.dumps(found.details, ensure_ascii=False, sort_keys=True, default=str),
    )


def check_batch(
    rows: pd.DataFrame, lines: pd.DataFrame, line_counts: Mapping[str, int]
) -> dict[str, tuple[ExpectationOutcome, ...]]:
    """Every file's expectation outcomes (file = report_id; ``line_counts`` names every file of the batch).

    ``rows`` and ``lines`` are the concatenated statistic_rows and line_classes frames of the batch.
    """
    files = list(line_counts)
    per_file: dict[str, list[ExpectationOutcome]] = {f: [] for f in files}
    for table, checks in (
        (_Table.of("statistic_rows", rows, line_counts), in_gx_order(row_checks())),
        (_Table.of("line_classes", lines, line_counts), in_gx_order(line_checks())),
    ):
        for check in checks:
            made: dict[int, ExpectationOutcome] = {}  # one outcome per distinct finding (most are shared)
            for report_id, found in _findings(check, table, files, line_counts).items():
                outcome = made.get(id(found)) or made.setdefault(id(found), _outcome(check, found))
                per_file[report_id].append(outcome)
    return {f: tuple(outcomes) for f, outcomes in per_file.items()}
