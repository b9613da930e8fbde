"""Ingest throughput: the batch path vs the per-file path vs a hand-written floor.

Each variant runs in its own Python process (``python -m bench.ingest_bench VARIANT FOLDER
WAREHOUSE [LIMIT] [WORKERS]``) so that its peak memory (its own and its workers') is its own; it
prints one JSON line: files, bytes, seconds, peak RSS.

- ``batch``: :func:`ingest.batch.ingest_paths` (process pool, vectorised checks, GX once per batch,
  one transaction per batch).
- ``per_file``: :func:`ingest.batch.ingest_paths_per_file` (GX and a transaction per file).
- ``floor``: read + detect/parse + one DuckDB insert of every statistic row (no recognition,
  no validation, no lineage tables): what a minimal loader costs on the same pool.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

VARIANTS = ("batch", "per_file", "floor")


@dataclass(frozen=True)
class IngestRun:
    variant: str
    files: int
    bytes: int
    seconds: float
    peak_rss_mb: float
    failed: int
    cpu_seconds: float = 0.0  # user + system CPU of the variant's process and its workers

    @property
    def cpu_ms_per_report(self) -> float:
        """CPU per report: the steadier measure on a shared machine (wall time waits for other jobs)."""
        return 1000 * self.cpu_seconds / self.files if self.files else 0.0

    @property
    def reports_per_s(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0


def _floor_rows(paths: list[Path]) -> list[tuple[Any, ...]]:
    from ingest.detect import decode_report, detect_and_parse

    rows: list[tuple[Any, ...]] = []
    for path in paths:
        text = decode_report(path.read_bytes(), path.name)
        result = detect_and_parse(text, path.name).result
        for row in result.rows:
            number = None if row.value.number is None else str(row.value.number)
            rows.append((path.name, row.seq, row.line_start, row.line_end, row.label, row.value.raw, number))
    return rows


def floor_load(paths: list[Path], warehouse: Path, workers: int) -> int:
    """Read, parse and insert every statistic row once: the floor of a loader on this pool."""
    chunks = [paths[i : i + 32] for i in range(0, len(paths), 32)]
    rows: list[tuple[Any, ...]] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_floor_rows, chunks):
            rows.extend(part)
    columns = ["source_file", "row_seq", "line_start", "line_end", "label", "raw_value", "value_number"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table rows (source_file varchar, row_seq integer, line_start integer, line_end integer,"
            " label varchar, raw_value varchar, value_number decimal(20, 6))"
        )
        con.register("parsed_rows", frame)
        con.execute("insert into rows by name select * from parsed_rows")
    return 0


def _run_variant(variant: str, paths: list[Path], warehouse: Path, workers: int) -> int:
    from ingest.batch import Throughput, ingest_paths, ingest_paths_per_file

    if variant == "floor":
        return floor_load(paths, warehouse, workers)
    if variant == "per_file":
        results = ingest_paths_per_file(paths, warehouse, None)
    else:
        results = ingest_paths(paths, warehouse, None, throughput=Throughput(workers=workers))
    return sum(1 for r in results if r.status == "failed")


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # KiB on Linux


def main(argv: list[str]) -> int:
    variant, folder, warehouse = argv[0], Path(argv[1]), Path(argv[2])
    limit = int(argv[3]) if len(argv) > 3 else 0
    workers = int(argv[4]) if len(argv) > 4 else 2
    paths = sorted(folder.glob("*.txt"))
    paths = paths[:limit] if limit else paths
    size = sum(p.stat().st_size for p in paths)
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    failed = _run_variant(variant, paths, warehouse, workers)
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    print(json.dumps({"files": len(paths), "bytes": size, "seconds": seconds, "peak_rss_mb": _peak_rss_mb(),
                      "failed": failed, "cpu_seconds": cpu}))  # fmt: skip
    return 0


def measure(variant: str, folder: Path, warehouse: Path, *, limit: int = 0, workers: int = 2) -> IngestRun:
    """One variant in its own process on the reports of ``folder`` (the first ``limit``, 0: all)."""
    warehouse.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.ingest_bench", variant, str(folder), str(warehouse), str(limit),
               str(workers)]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return IngestRun(
        variant,
        data["files"],
        data["bytes"],
        data["seconds"],
        data["peak_rss_mb"],
        data["failed"],
        data["cpu_seconds"],
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
