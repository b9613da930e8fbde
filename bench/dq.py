"""Recall and precision of the audit's findings against the injected ground truth, per rule kind.

A finding is (source file, rule); it is true when the ground truth injected that rule into that file,
or lists it among the rules an injection also breaks (``also_violates``). An injection is found when
its (file, rule) has a finding.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class KindScore:
    kind: str
    injected: int
    found: int
    findings: int
    true_findings: int

    @property
    def recall(self) -> float | None:
        return self.found / self.injected if self.injected else None

    @property
    def precision(self) -> float | None:
        return self.true_findings / self.findings if self.findings else None

    def row(self) -> str:
        def pct(value: float | None) -> str:
            return "n/a" if value is None else f"{100 * value:.1f} %"

        return (
            f"| {self.kind} | {self.injected} | {self.found} | {pct(self.recall)} | {self.findings} "
            f"| {self.true_findings} | {pct(self.precision)} |"
        )


def _truth(path: Path) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]]]:
    """(file, kind, rule) injected, and (file, rule) that are true findings."""
    injected: set[tuple[str, str, str]] = set()
    allowed: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            injected.add((row["file"], row["rule_kind"], row["rule_id"]))
            allowed.add((row["file"], row["rule_id"]))
            allowed.update((row["file"], rule) for rule in row["also_violates"].split("|") if rule)
    return injected, allowed


def _findings(warehouse: Path) -> set[tuple[str, str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            rows = con.execute(
                "SELECT DISTINCT source_file, rule_kind, rule_id FROM audit.dq_findings"
            ).fetchall()
        except duckdb.CatalogException:
            return set()
    return {(str(f), str(k), str(r)) for f, k, r in rows}


def dq_scores(warehouse: Path, ground_truth: Path, kinds: Sequence[str]) -> list[KindScore]:
    injected, allowed = _truth(ground_truth)
    findings = _findings(warehouse)
    found_pairs = {(f, r) for f, _, r in findings}
    every_kind = list(kinds) + sorted({k for _, k, _ in injected | findings} - set(kinds))
    scores: list[KindScore] = []
    for kind in every_kind:
        mine = [i for i in injected if i[1] == kind]
        flagged = [f for f in findings if f[1] == kind]
        scores.append(
            KindScore(
                kind,
                injected=len(mine),
                found=sum(1 for f, _, r in mine if (f, r) in found_pairs),
                findings=len(flagged),
                true_findings=sum(1 for f, _, r in flagged if (f, r) in allowed),
            )
        )
    return scores
