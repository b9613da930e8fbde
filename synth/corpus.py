"""A synthetic national corpus: report files (or long-format rows) plus the ground truth.

``generate_corpus`` writes, under ``out_dir``:

* ``reports/<family>-<gso_code>-<period>.txt``: report text in each family (mode "text"),
  or ``rows/part-00000.parquet``...: raw long-format rows (mode "rows", bounded memory:
  one chunk of reports at a time, written by DuckDB since pyarrow is not installed);
* ``reports.csv``: one line per report (file, family, unit code and name, province, period);
* ``ground_truth.csv``: one line per injected inconsistency (file, report key, rule kind,
  rule id, indicator codes, source lines, what was done, other rules it also breaks).
"""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from outputs.files import csv_row_writer
from synth.catalogue import FAMILIES
from synth.inject import KINDS
from synth.report import Report, make_report, report_text, source_lines
from synth.units import Period, ReportUnit, draw_units, level_of
from synth.values import violations

GROUND_TRUTH_COLUMNS = (
    "file",
    "report_key",
    "family",
    "unit_gso_code",
    "period",
    "rule_kind",
    "rule_id",
    "indicator_codes",
    "source_lines",
    "detail",
    "also_violates",
)
REPORT_COLUMNS = (
    "file",
    "report_key",
    "family",
    "unit_gso_code",
    "unit_name",
    "province",
    "district",
    "period",
    "ordinal",
)


@dataclass
class CorpusSummary:
    out_dir: Path
    mode: str
    reports: int = 0
    reports_by_family: Counter[str] = field(default_factory=Counter)
    injected_by_kind: Counter[str] = field(default_factory=Counter)
    row_count: int = 0  # long-format rows (mode "rows")
    bytes_written: int = 0
    seconds: float = 0.0

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0


def plan(
    units: int, periods: Sequence[str], families: Sequence[str], seed: int
) -> Iterator[tuple[str, ReportUnit, Period, int]]:
    """(family, unit, period, ordinal) of every report, units drawn per family from the register;
    the ordinal counts the family's reports from 0."""
    parsed = [Period.parse(p) for p in periods]
    for family in families:
        if family not in FAMILIES:
            raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
        drawn = draw_units(units, level_of(family), random.Random(f"{seed}|units|{family}"))
        for ordinal, (unit, period) in enumerate(itertools.product(drawn, parsed)):
            yield family, unit, period, ordinal


def ground_truth_rows(report: Report) -> list[tuple[str, ...]]:
    if not report.injections:
        return []
    broken = violations(report.values, report.family)
    rows: list[tuple[str, ...]] = []
    for inj in report.injections:
        also = sorted(r.rule_id for r in broken if r.rule_id != inj.rule_id and set(r.codes) & set(inj.codes))
        lines = source_lines(report, inj.codes)
        rows.append(
            (
                report.file_name,
                report.key,
                report.family,
                report.unit.gso_code,
                report.period.key,
                inj.kind,
                inj.rule_id,
                "|".join(inj.codes),
                "|".join(str(n) for n in lines),
                inj.detail,
                "|".join(also),
            )
        )
    return rows


def report_row(report: Report) -> tuple[str, ...]:
    unit = report.unit
    return (
        report.file_name, report.key, report.family, unit.gso_code, unit.full_name,
        unit.province, unit.district or "", report.period.key, str(report.ordinal),
    )  # fmt: skip


def generate_corpus(
    out_dir: Path | str,
    units: int = 10,
    periods: Sequence[str] = ("2023-Q1",),
    families: Sequence[str] = FAMILIES,
    seed: int = 0,
    inject_rate: float = 0.0,
    mode: str = "text",
    chunk_reports: int = 2000,
) -> CorpusSummary:
    """Generate a corpus (see the module docstring); deterministic from the seed."""
    if mode not in ("text", "rows"):
        raise ValueError(f"mode must be 'text' or 'rows', not {mode!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = CorpusSummary(out, mode)
    start = time.perf_counter()
    with (
        (out / "ground_truth.csv").open("w", encoding="utf-8", newline="") as gt_handle,
        (out / "reports.csv").open("w", encoding="utf-8", newline="") as rep_handle,
    ):
        truth, listing = csv_row_writer(gt_handle), csv_row_writer(rep_handle)  # formula-safe cells
        truth(GROUND_TRUTH_COLUMNS)
        listing(REPORT_COLUMNS)
        reports = (
            make_report(f, u, p, seed, inject_rate, ordinal)
            for f, u, p, ordinal in plan(units, periods, families, seed)
        )
        sink = _TextSink(out / "reports") if mode == "text" else _RowSink(out / "rows", chunk_reports)
        for report in reports:
            sink.add(report, summary)
            listing(report_row(report))
            for row in ground_truth_rows(report):
                truth(row)
                summary.injected_by_kind[row[5]] += 1
            summary.reports += 1
            summary.reports_by_family[report.family] += 1
        sink.close(summary)
    summary.seconds = time.perf_counter() - start
    return summary


class _TextSink:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    def add(self, report: Report, summary: CorpusSummary) -> None:
        data = report_text(report).encode("utf-8")
        (self.folder / report.file_name).write_bytes(data)
        summary.bytes_written += len(data)

    def close(self, summary: CorpusSummary) -> None:
        return None


class _RowSink:
    def __init__(self, folder: Path, chunk_reports: int) -> None:
        from synth.rows import RowWriter

        self.writer = RowWriter(folder, chunk_reports)

    def add(self, report: Report, summary: CorpusSummary) -> None:
        summary.row_count += self.writer.add(report)

    def close(self, summary: CorpusSummary) -> None:
        summary.bytes_written += self.writer.close()


__all__ = ["KINDS", "CorpusSummary", "generate_corpus"]
