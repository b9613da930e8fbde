"""The benchmark runs end to end at a tiny scale, so that the script cannot rot. No time is asserted:
only that every table is written, with the numbers it promises, and that the parts agree."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest

from bench.dq import dq_scores
from bench.floor import floor_pandas, floor_sql
from bench.run import main

NUMBER = r"[0-9][0-9,.]*"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    work = tmp_path_factory.mktemp("bench")
    path = work / "RESULTS.md"
    path.write_text("# earlier results\n", encoding="utf-8")
    argv = [
        "--ingest",
        "8",
        "--per-file",
        "2",
        "--build",
        "8",
        "--dq",
        "8",
        "--outputs",
        "3",
        "--work",
        str(work),
    ]
    assert main([*argv, "--results", str(path), "--note", "tiny smoke run"]) == 0
    return path.read_text(encoding="utf-8"), work


def test_results_are_appended_with_date_and_machine(results: tuple[str, Path]) -> None:
    text, _ = results
    assert text.startswith("# earlier results\n")
    assert re.search(r"^## \d{4}-\d\d-\d\d \d\d:\d\d UTC: \d+ cores .* GiB RAM, ", text, re.MULTILINE)
    assert "tiny smoke run" in text


def test_ingest_table_has_each_path_beside_its_baseline(results: tuple[str, Path]) -> None:
    text, _ = results
    rows = {
        m.group(1): m for m in re.finditer(rf"^\| (per_file|floor|batch) \| ({NUMBER}) \|(.*)$", text, re.M)
    }
    assert set(rows) == {"per_file", "floor", "batch"}
    assert rows["per_file"].group(2) == "2"
    assert rows["batch"].group(2) == rows["floor"].group(2) != "2"
    assert rows["batch"].group(3).split("|")[4].strip() == "0"  # failed files
    assert rows["batch"].group(3).split("|")[5].strip().endswith("x")  # beside the per-file baseline
    cpu_seconds, cpu_per_report = (c.strip() for c in rows["batch"].group(3).split("|")[6:8])
    assert re.fullmatch(NUMBER, cpu_seconds) and float(cpu_seconds) > 0  # the CPU of the process tree
    assert re.fullmatch(NUMBER, cpu_per_report) and float(cpu_per_report) > 0


def test_build_table_has_dbt_floor_and_pandas(results: tuple[str, Path]) -> None:
    text, _ = results
    row = re.search(r"^\| 8 \| (.*) \|$", text, re.M)
    assert row is not None
    cells = [c.strip() for c in row.group(1).split("|")]
    assert cells[2] == "True"  # dbt build succeeded
    assert all(re.fullmatch(NUMBER, c) for c in cells[:2] + cells[3:])


def test_dq_table_scores_every_injected_kind(results: tuple[str, Path]) -> None:
    text, work = results
    truth = work / "text-8-dq0.2" / "ground_truth.csv"
    with truth.open(encoding="utf-8") as handle:
        kinds = {row["rule_kind"] for row in csv.DictReader(handle)}
    assert kinds
    for kind in kinds:
        assert re.search(rf"^\| {kind} \| [1-9][0-9]* \| {NUMBER} \| {NUMBER} %", text, re.M), kind


def test_floor_in_sql_and_in_pandas_agree(results: tuple[str, Path]) -> None:
    _, work = results
    warehouse = work / "build-8.duckdb"
    assert floor_sql(warehouse) == floor_pandas(warehouse)


def test_dq_scores_count_found_and_true_findings(tmp_path: Path) -> None:
    truth = tmp_path / "ground_truth.csv"
    truth.write_text(
        "file,rule_kind,rule_id,also_violates\n"
        "a.txt,ordered_chain,chain_x,total_y\n"
        "b.txt,ordered_chain,chain_x,\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA audit")
        con.execute(
            "CREATE TABLE audit.dq_findings (source_file VARCHAR, rule_kind VARCHAR, rule_id VARCHAR)"
        )
        con.execute(
            "INSERT INTO audit.dq_findings VALUES ('a.txt', 'ordered_chain', 'chain_x'),"
            " ('a.txt', 'parts_total', 'total_y'), ('c.txt', 'ordered_chain', 'chain_x')"
        )
    scores = {s.kind: s for s in dq_scores(warehouse, truth, ("ordered_chain", "parts_total"))}
    chain, parts = scores["ordered_chain"], scores["parts_total"]
    assert (chain.injected, chain.found, chain.findings, chain.true_findings) == (2, 1, 2, 1)
    assert (chain.recall, chain.precision) == (0.5, 0.5)
    assert (parts.injected, parts.findings, parts.true_findings, parts.recall) == (0, 1, 1, None)


def test_outputs_table_has_the_pages_beside_the_earlier_writer(results: tuple[str, Path]) -> None:
    text, work = results
    row = re.search(r"^\| 60 \| 300 \| (.*) \|$", text, re.M)  # 3 units x 20 quarters, 5 findings each
    assert row is not None, text
    cells = [c.strip() for c in row.group(1).split("|")]
    assert all(re.fullmatch(NUMBER, c) for c in cells[:4] + cells[5:]), cells
    assert cells[4].endswith("x")  # baseline / new
    for writer in ("new", "old"):  # both writers wrote a page per province x period with findings
        assert (work / f"audit-{writer}-3" / "findings" / "tinh-so-1_2021-q1.html").is_file()
    assert (work / "audit-new-3" / "findings" / "data" / "tinh-so-1_2021-q1.0.js").is_file()
    assert (work / "audit-new-3" / "kpi.html").is_file() and (work / "audit-old-3" / "kpi.html").is_file()
