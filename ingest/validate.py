"""Great Expectations checks of one file's rows before they are committed.

The suite runs on the DataFrames that are about to be written (statistic rows and
line classes of ONE file) through an ephemeral GX context with a pandas data source.
Any failed expectation raises :class:`~ingest.errors.ValidationFailedError` naming the
expectation and the source lines of the offending rows; the loader then commits
nothing of that file. The outcome of every expectation is returned so that it can be
written to raw.validation_results.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
from functools import lru_cache
from typing import Any

import pandas as pd

from ingest.errors import SuiteFailedError
from ingest.records import ExpectationOutcome, ValueKind

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TQDM_DISABLE", "1")

LINEAGE_COLUMNS = ("report_id", "source_file", "line_start", "line_end")
NUMERIC_KINDS = (ValueKind.COUNT.value, ValueKind.PERCENT.value, ValueKind.RATIO.value, ValueKind.CODE.value)
OTHER_KINDS = tuple(k.value for k in ValueKind if k.value not in NUMERIC_KINDS)
LINE_CLASSES = ("statistic", "structure", "narrative", "blank", "quarantine")
MAX_LINES_SHOWN = 10


def _expectations() -> Any:
    """The GX expectation classes (module typed as Any: GX does not declare its exports)."""
    return importlib.import_module("great_expectations.expectations")


@lru_cache(maxsize=1)
def _context() -> Any:
    import great_expectations as gx

    for name in ("great_expectations", "great_expectations.core"):
        logging.getLogger(name).setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    except (ImportError, AttributeError):  # older/newer GX without the setting: TQDM_DISABLE covers it
        pass
    return context


_asset_counter = 0


def _batch(df: pd.DataFrame, table: str) -> Any:
    global _asset_counter
    _asset_counter += 1
    context = _context()
    source = context.data_sources.add_or_update_pandas(name="cchc_ingest")
    asset = source.add_dataframe_asset(name=f"{table}_{_asset_counter}")
    definition = asset.add_batch_definition_whole_dataframe("whole")
    return definition.get_batch(batch_parameters={"dataframe": df})


def _row_expectations(line_count: int) -> list[Any]:
    gxe = _expectations()

    conditions: Any = importlib.import_module("great_expectations.expectations.row_conditions")
    expectations: list[Any] = [gxe.ExpectColumnToExist(column=c) for c in LINEAGE_COLUMNS]
    expectations += [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in LINEAGE_COLUMNS]
    expectations += [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="line_end", column_B="line_start", or_equal=True
        ),
        gxe.ExpectColumnValuesToBeBetween(column="line_start", min_value=1, max_value=line_count),
        gxe.ExpectColumnValuesToBeBetween(column="line_end", min_value=1, max_value=line_count),
        gxe.ExpectColumnValuesToBeInSet(column="value_kind", value_set=[k.value for k in ValueKind]),
        gxe.ExpectColumnValuesToBeUnique(column="row_seq"),
        gxe.ExpectColumnValuesToNotBeNull(column="raw_value"),
        gxe.ExpectColumnValuesToNotBeNull(
            column="value_number", row_condition=conditions.Column("value_kind").is_in(NUMERIC_KINDS)
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="value_number", row_condition=conditions.Column("value_kind").is_in(OTHER_KINDS)
        ),
    ]
    return expectations


def _line_expectations(line_count: int) -> list[Any]:
    gxe = _expectations()

    return [
        gxe.ExpectTableRowCountToEqual(value=line_count),
        gxe.ExpectColumnValuesToNotBeNull(column="line_no"),
        gxe.ExpectColumnValuesToBeUnique(column="line_no"),
        gxe.ExpectColumnValuesToBeBetween(column="line_no", min_value=1, max_value=line_count),
        gxe.ExpectColumnValuesToBeInSet(column="line_class", value_set=list(LINE_CLASSES)),
    ]


def _lines_of(df: pd.DataFrame, indexes: list[Any]) -> tuple[int, ...]:
    column = "line_start" if "line_start" in df.columns else "line_no" if "line_no" in df.columns else None
    if column is None:
        return ()
    lines: list[int] = []
    for index in indexes:
        if index in df.index:
            value = df.at[index, column]
            if pd.notna(value):
                lines.append(int(value))
    return tuple(sorted(set(lines)))


def _column_of(kwargs: dict[str, Any]) -> str:
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    return ""


def _run(df: pd.DataFrame, table: str, expectations: list[Any]) -> list[ExpectationOutcome]:
    import great_expectations as gx

    _context()  # a suite needs an active context
    suite = gx.ExpectationSuite(name=f"cchc_{table}")
    for expectation in expectations:
        suite.add_expectation(expectation)
    results = _batch(df, table).validate(suite, result_format="COMPLETE")
    outcomes: list[ExpectationOutcome] = []
    for item in results.results:
        config = item.expectation_config
        kwargs = dict(config.kwargs)
        result = dict(item.result or {})
        details: dict[str, Any] = {}
        if kwargs.get("row_condition"):
            details["row_condition"] = kwargs["row_condition"]
        if "partial_unexpected_list" in result:
            details["partial_unexpected"] = [str(v) for v in result["partial_unexpected_list"][:20]]
        if "observed_value" in result:
            details["observed_value"] = str(result["observed_value"])
        exception = item.exception_info or {}
        if exception.get("raised_exception"):
            details["exception"] = str(exception.get("exception_message", ""))
        lines = _lines_of(df, list(result.get("unexpected_index_list") or []))
        if lines:
            details["lines"] = list(lines)
        count = result.get("unexpected_count")
        outcomes.append(
            ExpectationOutcome(
                table=table,
                expectation=f"{table}.{config.type}"
                + ("[conditional]" if kwargs.get("row_condition") else ""),
                column_name=_column_of(kwargs),
                success=bool(item.success),
                unexpected_count=int(count) if count is not None else None,
                lines=lines,
                details=json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
            )
        )
    return outcomes


def _describe(outcome: ExpectationOutcome) -> str:
    text = outcome.name
    if outcome.lines:
        shown = ", ".join(str(n) for n in outcome.lines[:MAX_LINES_SHOWN])
        more = (
            f" and {len(outcome.lines) - MAX_LINES_SHOWN} more"
            if len(outcome.lines) > MAX_LINES_SHOWN
            else ""
        )
        text += f" failed for rows at lines {shown}{more}"
    elif outcome.unexpected_count:
        text += f" failed for {outcome.unexpected_count} row(s)"
    else:
        text += f" failed: {outcome.details}"
    return text


def validate_frames(
    rows: pd.DataFrame, lines: pd.DataFrame, line_count: int, source_file: str
) -> tuple[ExpectationOutcome, ...]:
    """Run the suite on one file's statistic rows and line classes.

    Returns every outcome when all pass; raises ValidationFailedError (with ``outcomes``
    attached) naming each failed expectation and the source lines of its rows.
    """
    outcomes = tuple(
        _run(rows, "statistic_rows", _row_expectations(line_count))
        + _run(lines, "line_classes", _line_expectations(line_count))
    )
    failed = [o for o in outcomes if not o.success]
    if failed:
        first_line = next((o.lines[0] for o in failed if o.lines), None)
        raise SuiteFailedError(
            "validation failed: " + "; ".join(_describe(o) for o in failed),
            outcomes,
            source_file=source_file,
            line=first_line,
        )
    return outcomes


# --- The batch path: vectorised per-file checks, Great Expectations once per batch -----------------


def suite_failure(outcomes: tuple[ExpectationOutcome, ...], source_file: str) -> SuiteFailedError | None:
    """The error naming every failed expectation of one file's outcomes (None when all passed)."""
    failed = [o for o in outcomes if not o.success]
    if not failed:
        return None
    first_line = next((o.lines[0] for o in failed if o.lines), None)
    return SuiteFailedError(
        "validation failed: " + "; ".join(_describe(o) for o in failed),
        outcomes,
        source_file=source_file,
        line=first_line,
    )


def _batch_row_expectations(max_lines: int) -> list[Any]:
    """The statistic_rows expectations that hold for a batch when they hold for each of its files."""
    line_bounds = ("expect_column_values_to_be_between", "expect_column_values_to_be_unique")
    return [e for e in _row_expectations(max_lines) if e.expectation_type not in line_bounds]


def _batch_line_expectations(max_lines: int) -> list[Any]:
    kept = ("expect_column_values_to_not_be_null", "expect_column_values_to_be_in_set")
    return [e for e in _line_expectations(max_lines) if e.expectation_type in kept]


# The columns the batch expectations read (GX then works on a narrow frame: a missing one still fails)
BATCH_ROW_COLUMNS = (*LINEAGE_COLUMNS, "value_kind", "raw_value", "value_number")
BATCH_LINE_COLUMNS = (*LINEAGE_COLUMNS[:2], "line_no", "line_class")


def _only(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return df[[c for c in columns if c in df.columns]]


def gx_batch_check(rows: pd.DataFrame, lines: pd.DataFrame) -> tuple[ExpectationOutcome, ...]:
    """Great Expectations once on a batch's rows (files that passed the vectorised checks): the failures.

    The file-independent expectations of the suite (lineage present and not null, line ranges
    ordered, value kinds and line classes known, numbers present exactly for numeric kinds) must
    hold for the whole batch when the vectorised checks passed every file; a failure here means the
    two disagree and the caller falls back to the per-file GX suite.
    """
    max_lines = max(int(pd.to_numeric(lines["line_no"]).max()) if len(lines) else 1, 1)
    outcomes = _run(_only(rows, BATCH_ROW_COLUMNS), "statistic_rows", _batch_row_expectations(max_lines))
    outcomes += _run(_only(lines, BATCH_LINE_COLUMNS), "line_classes", _batch_line_expectations(max_lines))
    return tuple(o for o in outcomes if not o.success)
