"""Tests of the batch path (ingest.pool -> ingest.batch_load -> ingest.writer.write_batch): the same
warehouse as one file at a time, one transaction per batch, failures quarantined without touching the
other files, huge files refused."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingest.batch import Throughput, ingest_paths, ingest_paths_per_file
from ingest.batch_load import BatchSettings, batches, load_batch
from ingest.errors import CchcError
from ingest.load import default_context
from ingest.manifest import Manifest, load_manifest
from ingest.pool import PrepareSettings, Refused, Skipped, prepare_files, prepare_one
from ingest.writer import ensure_schema

TABLES = (
    "reports",
    "statistic_rows",
    "note_values",
    "narrative_blocks",
    "line_classes",
    "quarantine",
    "validation_results",
)
TIMESTAMPS = {
    "reports": "loaded_at, batch_id",
    "quarantine": "quarantined_at",
    "validation_results": "validated_at",
}
VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"
NOW = datetime(2024, 10, 1, 12, 0)


def snapshot(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every raw table without its load timestamp (and batch id), sorted."""
    with duckdb.connect(str(warehouse)) as con:
        return {
            t: sorted(
                con.execute(
                    f"SELECT * EXCLUDE ({TIMESTAMPS[t]}) FROM raw.{t}"
                    if t in TIMESTAMPS
                    else f"SELECT * FROM raw.{t}"
                ).fetchall(),
                key=repr,
            )
            for t in TABLES
        }


@pytest.fixture(scope="module")
def manifest(manifest_path: Path) -> Manifest:
    return load_manifest(manifest_path)


def _fast(**kwargs: Any) -> Throughput:
    return Throughput(**{"workers": 2, "chunk_files": 1, "batch_files": 3, **kwargs})


def test_batch_path_writes_the_same_warehouse_as_file_by_file(
    tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    per_file = ingest_paths_per_file([reports_dir], tmp_path / "a.duckdb", manifest)
    batched = ingest_paths([reports_dir], tmp_path / "b.duckdb", manifest, throughput=_fast())
    assert [(r.path.name, r.status) for r in batched] == [(r.path.name, r.status) for r in per_file]
    assert [r.outcome for r in batched] == [r.outcome for r in per_file]  # versions, counts, holds
    assert snapshot(tmp_path / "b.duckdb") == snapshot(tmp_path / "a.duckdb")


def test_again_is_already_loaded_and_writes_nothing(
    tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    warehouse = tmp_path / "w.duckdb"
    ingest_paths([reports_dir], warehouse, manifest, throughput=_fast())
    before = snapshot(warehouse)
    again = ingest_paths([reports_dir], warehouse, manifest, throughput=_fast())
    assert {r.status for r in again} == {"already loaded"}
    assert snapshot(warehouse) == before


def _bad_files(folder: Path, reports_dir: Path) -> dict[str, Path]:
    data = (reports_dir / VINH_CHAU).read_bytes()
    files = {
        "utf8": folder / "a-broken.txt",
        "recipe": folder / "b-recipe.txt",
        "huge": folder / "c-huge.txt",
    }
    files["utf8"].write_bytes(data.replace("Vĩnh Châu".encode(), b"V\xecnh Ch\xe2u", 1))
    files["recipe"].write_text("Công thức nấu phở\n\nXương bò, bánh phở.\n", encoding="utf-8")
    files["huge"].write_bytes(data * 5)
    return files


def test_failing_files_are_quarantined_and_the_others_load(
    tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for sample in sorted(reports_dir.glob("*.txt")):
        shutil.copy(sample, folder / sample.name)
    bad = _bad_files(folder, reports_dir)
    limit = 2 * max(p.stat().st_size for p in reports_dir.glob("*.txt"))
    results = ingest_paths([folder], tmp_path / "w.duckdb", manifest, throughput=_fast(max_file_bytes=limit))
    status = {r.path.name: r for r in results}
    assert [r.path.name for r in results] == sorted(p.name for p in folder.iterdir())
    assert {n for n, r in status.items() if r.status == "failed"} == {p.name for p in bad.values()}
    assert str(status["a-broken.txt"].error).startswith("a-broken.txt:8: cannot parse: not UTF-8 text")
    huge = str(status["c-huge.txt"].error)
    size = bad["huge"].stat().st_size
    assert str(bad["huge"]) in huge and f"{size:,} bytes" in huge and f"limit of {limit:,} bytes" in huge
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert con.execute("SELECT count(*) FROM raw.reports").fetchone() == (4,)
        entries = con.execute(
            "SELECT source_file, line_start, line_end FROM raw.quarantine ORDER BY 1"
        ).fetchall()
    utf8_lines = len(bad["utf8"].read_bytes().splitlines())
    huge_lines = len(bad["huge"].read_bytes().splitlines())
    assert huge_lines > utf8_lines  # the whole oversized file, counted without reading it at once
    assert entries == [("a-broken.txt", 1, utf8_lines), ("b-recipe.txt", 1, 3), ("c-huge.txt", 1, huge_lines)]


def test_refused_before_reading(tmp_path: Path, reports_dir: Path) -> None:
    item = prepare_one(reports_dir / VINH_CHAU, PrepareSettings(max_bytes=100, now=NOW), frozenset())
    assert isinstance(item, Refused)
    data = (reports_dir / VINH_CHAU).read_bytes()
    assert item.report_id == hashlib.sha256(data).hexdigest()[:16]
    assert item.line_count == len(data.splitlines()) and item.size == len(data)
    assert "file too large" in item.reason and "not read" in item.reason


def test_known_bytes_are_skipped_without_parsing(reports_dir: Path) -> None:
    first = prepare_one(reports_dir / VINH_CHAU, PrepareSettings(max_bytes=10**7, now=NOW), frozenset())
    assert not isinstance(first, Skipped | Refused)
    again = prepare_one(
        reports_dir / VINH_CHAU, PrepareSettings(max_bytes=10**7, now=NOW), frozenset({first.report_id})
    )
    assert again == Skipped(reports_dir / VINH_CHAU, first.report_id)


def _prepared(paths: list[Path]) -> list[Any]:
    return list(prepare_files(paths, PrepareSettings(max_bytes=10**7, now=NOW), workers=1))


def test_a_file_failing_validation_is_quarantined_alone(
    tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    paths = sorted(reports_dir.glob("*.txt"))
    items = _prepared(paths)
    broken = next(i for i in items if i.source_file == VINH_CHAU)
    rows = broken.frames.statistic_rows
    rows.loc[rows.index[rows["line_start"] == 13][0], "line_end"] = 12  # a row ending before it starts
    settings = BatchSettings(manifest, default_context(), NOW)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_schema(con)
        results = load_batch(con, items, settings, set())
        failed = con.execute(
            "SELECT expectation FROM raw.validation_results WHERE report_id = ? AND NOT success",
            [broken.report_id],
        ).fetchall()
        loaded = con.execute("SELECT source_file FROM raw.reports ORDER BY 1").fetchall()
        lines = con.execute(
            "SELECT count(*) FROM raw.line_classes WHERE report_id = ?", [broken.report_id]
        ).fetchone()
    by_name = {r.path.name: r for r in results}
    error = str(by_name[VINH_CHAU].error)
    assert error.startswith(f"{VINH_CHAU}:13: validation failed: ")
    assert (
        "expect_column_pair_values_a_to_be_greater_than_b(line_end,line_start) failed for rows at lines 13"
        in error
    )
    assert failed == [("statistic_rows.expect_column_pair_values_a_to_be_greater_than_b",)]
    assert loaded == [(p.name,) for p in paths if p.name != VINH_CHAU]
    assert lines == (0,)  # nothing of the failed file


def test_a_batch_that_cannot_be_written_falls_back_to_one_transaction_per_file(
    tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    items = _prepared(sorted(reports_dir.glob("*.txt")))
    broken = next(i for i in items if i.source_file == VINH_CHAU)
    broken.frames.note_values.loc[0, "value_number"] = "not a number"  # fails the DECIMAL cast on insert
    settings = BatchSettings(manifest, default_context(), NOW)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_schema(con)
        results = load_batch(con, items, settings, set())
        counts = {
            t: con.execute(f"SELECT count(*) FROM raw.{t} WHERE report_id = ?", [broken.report_id]).fetchone()
            for t in ("reports", "statistic_rows", "line_classes", "validation_results")
        }
        loaded = con.execute("SELECT count(*) FROM raw.reports").fetchone()
    assert [r.error is None for r in results] == [i.source_file != VINH_CHAU for i in items]
    assert "writing to the warehouse failed" in str(next(r.error for r in results if r.error))
    assert set(counts.values()) == {(0,)}  # never half-loaded
    assert loaded == (3,)


def test_changed_file_in_the_same_run_is_the_next_version(
    tmp_path: Path, reports_dir: Path, manifest: Manifest
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = (reports_dir / VINH_CHAU).read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text.replace("\t66,67\t", "\t70,37\t", 1), encoding="utf-8")
    (folder / "c.txt").write_text(text, encoding="utf-8")  # the same bytes as a.txt
    results = ingest_paths([folder], tmp_path / "w.duckdb", manifest, throughput=Throughput(workers=1))
    expected = ingest_paths_per_file([folder], tmp_path / "p.duckdb", manifest)
    # c.txt is a.txt's bytes: already loaded; a and b, two new files for one unit and period in one
    # batch, are both held for review (neither wins silently), on both paths
    assert results[2].outcome is not None and results[2].outcome.status == "already loaded"
    assert [r.status for r in results] == [r.status for r in expected] == ["held", "held", "held"]
    assert [r.outcome for r in results] == [r.outcome for r in expected]
    assert snapshot(tmp_path / "w.duckdb") == snapshot(tmp_path / "p.duckdb")


def test_batches_are_bounded_by_count_and_by_bytes(tmp_path: Path) -> None:
    sizes = [10, 10, 10, 50, 5, 5, 5]
    items = [Refused.of(tmp_path / f"{i}.txt", CchcError("x"), None, 0, s) for i, s in enumerate(sizes)]
    grouped = [
        [item.size for item in batch if isinstance(item, Refused)]
        for batch in batches(items, max_files=3, max_bytes=25)
    ]
    assert grouped == [[10, 10], [10], [50], [5, 5, 5]]
