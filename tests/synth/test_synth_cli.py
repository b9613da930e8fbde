"""``cchc synth`` as a sub-app of a parent CLI (the way the lead registers it)."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
from typer.testing import CliRunner

from synth.cli import app


def test_sub_app_generates_a_corpus(tmp_path: Path) -> None:
    parent = typer.Typer()

    @parent.command()
    def other() -> None:
        """A sibling command, as the real CLI has."""

    parent.add_typer(app, name="synth")
    out = tmp_path / "corpus"
    args = ["synth", "--out", str(out), "--units", "1", "--period", "2023-Q1", "--family", "soctrang_2022"]
    result = CliRunner().invoke(parent, [*args, "--seed", "3", "--inject-rate", "1"])
    assert result.exit_code == 0, result.output
    assert "1 reports (soctrang_2022 1)" in result.output
    assert len(list((out / "reports").glob("*.txt"))) == 1
    with (out / "ground_truth.csv").open(encoding="utf-8") as handle:
        kinds = {row["rule_kind"] for row in csv.DictReader(handle)}
    assert {"ordered_chain", "rate_reconciliation", "parts_total", "completeness"} <= kinds
