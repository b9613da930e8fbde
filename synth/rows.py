"""Raw long-format rows of synthetic reports, for runs too large for text files.

One row per value cell of a report (the columns of the raw layer: report id, unit GSO
code, period, family, template row, the value as written, its number, its source line),
buffered for ``chunk_reports`` reports and written as one Parquet file per chunk, so
memory stays bounded whatever the corpus size. Parquet is written by DuckDB (pyarrow is
not a dependency of the project).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from synth.report import Report
from synth.skeleton import skeleton

ROW_COLUMNS = (
    "report_id",
    "unit_gso_code",
    "period",
    "template_family",
    "template_row_id",
    "raw_value",
    "number",
    "source_line",
)


def report_rows(report: Report) -> list[tuple[str, str, str, str, str, str, float | None, int]]:
    """The long-format rows of one report (one per value cell, notes included)."""
    return [
        (
            report.key,
            report.unit.gso_code,
            report.period.key,
            report.family,
            slot.template_row_id,
            report.slot_texts[slot.index],
            report.slot_numbers[slot.index],
            slot.line_no,
        )
        for slot in skeleton(report.family).slots
    ]


class RowWriter:
    """Buffers rows of up to ``chunk_reports`` reports, then writes one Parquet part."""

    def __init__(self, folder: Path, chunk_reports: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.chunk_reports = max(1, chunk_reports)
        self.buffer: list[tuple[str, str, str, str, str, str, float | None, int]] = []
        self.reports = 0
        self.parts = 0
        self.bytes = 0

    def add(self, report: Report) -> int:
        rows = report_rows(report)
        self.buffer.extend(rows)
        self.reports += 1
        if self.reports % self.chunk_reports == 0:
            self.flush()
        return len(rows)

    def flush(self) -> None:
        if not self.buffer:
            return
        frame = pd.DataFrame.from_records(self.buffer, columns=list(ROW_COLUMNS))
        frame["number"] = frame["number"].astype("float64")
        path = self.folder / f"part-{self.parts:05d}.parquet"
        with duckdb.connect() as con:
            con.register("chunk", frame)
            con.execute(f"COPY chunk TO '{path.as_posix()}' (FORMAT PARQUET)")
        self.bytes += path.stat().st_size
        self.parts += 1
        self.buffer = []

    def close(self) -> int:
        self.flush()
        return self.bytes
