"""Shared helpers of the reader tests: the samples' text parses and what must match."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from ingest.detect import detect_and_parse
from ingest.records import ParseResult, StatRow

REPORTS = Path(__file__).resolve().parents[3] / "data" / "reports"
SAMPLES = (
    "soctrang-thanhtri-2021-year.txt",
    "soctrang-vinhchau-2022-q3.txt",
    "travinh-duyenhai-2023-q1.txt",
    "namdinh-catthanh-2024-q3.txt",
)

RowKey = tuple[str, str]  # (section code, row path): unique within a report


@dataclass(frozen=True)
class Sample:
    name: str
    text: str
    family: str
    result: ParseResult


@cache
def sample(name: str) -> Sample:
    text = (REPORTS / name).read_text(encoding="utf-8")
    detection = detect_and_parse(text, name)
    return Sample(name, text, detection.family, detection.result)


def key(row: StatRow) -> RowKey:
    return (row.section_code, row.row_path)


def numbers(result: ParseResult) -> dict[RowKey, tuple[str, Decimal]]:
    """Every statistic row that reads a number: (section, row path) -> (label, number)."""
    return {key(row): (row.label, row.value.number) for row in result.rows if row.value.number is not None}


def mismatches(expected: ParseResult, actual: ParseResult) -> list[str]:
    """What the document parse reads differently from the text parse (empty when all match)."""
    want, got = numbers(expected), numbers(actual)
    problems = [
        f"{k} {label!r}: text {number}, document {got.get(k)}"
        for k, (label, number) in want.items()
        if got.get(k, (None, None))[1] != number
    ]
    problems += [f"{k} {got[k][0]!r}: only in the document ({got[k][1]})" for k in got.keys() - want.keys()]
    return problems
