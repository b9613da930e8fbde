"""frames.frame builds its columns itself: the values must be those pandas' from_records gives."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ingest.frames import frame

COLUMNS: dict[str, list[Any]] = {
    "text": ["a", "b", "c"],
    "text_with_gap": ["a", None, "c"],
    "ints": [1, 2, 3],
    "ints_with_gap": [1, None, 3],
    "ints_and_floats": [1, 2.5, 3],
    "bools_with_gap": [True, None, False],
    "decimals_with_gap": [Decimal("1.5"), None, Decimal(2)],
    "dates": [datetime(2026, 1, 1), None, datetime(2026, 1, 2)],
    "mixed": ["a", 1, None],
    "nothing": [None, None, None],
}


def _cells(df: pd.DataFrame) -> list[list[tuple[str, Any]]]:
    def cell(v: Any) -> tuple[str, Any]:
        if isinstance(v, float) and math.isnan(v):
            return ("nan", None)
        return (type(v).__name__, None if v is pd.NaT else v)

    return [[cell(v) for v in df[c]] for c in df.columns]


@pytest.mark.parametrize("rows", [0, 1, 3])
def test_frame_equals_from_records_as_object(rows: int) -> None:
    records = [{c: values[i] for c, values in COLUMNS.items()} for i in range(rows)]
    expected = pd.DataFrame.from_records(records, columns=list(COLUMNS)).astype(object)
    built = frame(records, list(COLUMNS))
    assert list(built.columns) == list(expected.columns)
    assert built.shape == expected.shape
    assert all(dtype == np.dtype(object) for dtype in built.dtypes)
    assert _cells(built) == _cells(expected)


def test_frame_fills_missing_keys_and_keeps_no_columns() -> None:
    built = frame([{"a": "x"}, {"b": 2}], ["a", "b"])
    assert _cells(built) == _cells(
        pd.DataFrame.from_records([{"a": "x"}, {"b": 2}], columns=["a", "b"]).astype(object)
    )
    assert frame([{"a": 1}], []).shape == (0, 0)
