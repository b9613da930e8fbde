"""Recall and precision of the rules on a synthetic corpus with every rule kind injected.

`synth.generate_corpus` writes report files of the four template families, reports.csv (unit and
period per file) and ground_truth.csv (one line per injected inconsistency: file, rule kind, rule,
and the other rules the injection also breaks). The corpus is ingested with a manifest written
from reports.csv, the audit models are built, and audit.dq_findings is scored per rule kind:

* recall: injected (file, rule) pairs that have a finding;
* precision: findings of the injected kinds that are an injected (file, rule) pair or a rule the
  ground truth says the injection also breaks.

Every injected kind is asserted at THRESHOLD (0.99) at this small scale; `python -m bench --dq N`
measures the same at a larger one (bench/RESULTS.md). synth's ground truth reads the rules as the
rules do (missing values, rounding or truncation to the written decimals, early dossiers joining
the on-time count where the commune 2024 form states them apart), the outlier rules' figures are
evenly spread over the corpus and an injected outlier (one report in ten of a family) clears the
threshold by construction (synth/watched.py).

The kinds synth does not inject (value_type, unmapped_value) are not scored here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from dbt_project_runner import query, run_dbt

from ingest.batch import ingest_paths, read_manifest
from synth.corpus import generate_corpus

UNITS_PER_FAMILY = 6  # 24 reports: 18 district reports (outlier groups of 11-18), 6 commune reports
THRESHOLD = 0.99
KINDS = (
    "completeness",
    "domain",
    "ordered_chain",
    "outlier",
    "parts_total",
    "rate_reconciliation",
    "same_figure",
)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _manifest(out: Path) -> Path:
    """data/manifest.yml's format, one entry per line of reports.csv: the unit by its GSO code of the
    register (synth draws real units), the period, the family."""
    with (out / "reports.csv").open(encoding="utf-8", newline="") as handle:
        reports = list(csv.DictReader(handle))
    types = {"Y": "year", "Q": "quarter", "H": "half", "M": "month"}
    lines = ["reports:"]
    for r in reports:
        year, part = r["period"].split("-")
        number = "null" if part == "Y" else part[1:]
        lines += [
            f"  - file: {r['file']}",
            f'    unit_code: "{r["unit_gso_code"]}"',
            f"    period: {{year: {year}, type: {types[part[0]]}, number: {number}}}",
            f"    template_family: {r['family']}",
            "",
        ]
    path = out / "manifest.yml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def score(
    truth: list[dict[str, str]], findings: list[tuple[str, str, str]]
) -> dict[str, tuple[float, float]]:
    """(recall, precision) per rule kind; findings are (source_file, rule_id, rule_kind)."""
    kind_of = {t["rule_id"]: t["rule_kind"] for t in truth}
    injected = {(t["file"], t["rule_id"]) for t in truth}
    also = {(t["file"], a) for t in truth for a in t["also_violates"].split("|") if a}
    found = {(f, r) for f, r, _ in findings}
    kind_of.update({r: k for _, r, k in findings})
    tp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    for pair in injected:
        (tp if pair in found else fn)[kind_of[pair[1]]] += 1
    injected_kinds = {t["rule_kind"] for t in truth}
    for pair in found - injected - also:
        if kind_of[pair[1]] in injected_kinds:
            fp[kind_of[pair[1]]] += 1
    return {
        kind: (
            tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 1.0,
            tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 1.0,
        )
        for kind in sorted(injected_kinds)
    }


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[float, float]]:
    out = tmp_path_factory.mktemp("synth_recall")
    summary = generate_corpus(out, units=UNITS_PER_FAMILY, periods=("2023-Q1",), seed=7, inject_rate=1.0)
    assert set(summary.injected_by_kind) == set(KINDS)
    warehouse = out / "cchc.duckdb"
    loaded = ingest_paths([out / "reports"], warehouse, read_manifest(_manifest(out)))
    assert [f.status for f in loaded] == ["loaded"] * summary.reports, [f.error for f in loaded]
    # seed + run, not build: the marts' tests on units outside the register would skip the audit models
    seeded = run_dbt(["seed"], warehouse, out / "target")
    assert seeded.success, seeded.output[-3000:]
    run = run_dbt(["run", "--select", "+dq_findings"], warehouse, out / "target")
    assert run.success, run.output[-3000:]
    with (out / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = list(csv.DictReader(handle))
    findings = [
        (str(f), str(r), str(k))
        for f, r, k in query(warehouse, "select source_file, rule_id, rule_kind from audit.dq_findings")
    ]
    result = score(truth, findings)
    print(
        "recall / precision per rule kind:", {k: (round(r, 3), round(p, 3)) for k, (r, p) in result.items()}
    )
    return result


@pytest.mark.parametrize("kind", KINDS)
def test_recall_per_kind(scores: dict[str, tuple[float, float]], kind: str) -> None:
    assert scores[kind][0] >= THRESHOLD, (kind, scores[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_precision_per_kind(scores: dict[str, tuple[float, float]], kind: str) -> None:
    assert scores[kind][1] >= THRESHOLD, (kind, scores[kind])


def test_every_injected_kind_is_measured(scores: dict[str, tuple[float, float]]) -> None:
    assert set(scores) == set(KINDS)


def test_the_scorer() -> None:
    truth = [
        {"file": "a", "rule_id": "r1", "rule_kind": "k", "also_violates": "r2"},
        {"file": "b", "rule_id": "r1", "rule_kind": "k", "also_violates": ""},
    ]
    findings = [("a", "r1", "k"), ("a", "r2", "k"), ("c", "r1", "k")]
    # b/r1 missed; a/r2 is broken by the injection too; c/r1 is a false flag
    assert score(truth, findings) == {"k": (0.5, 0.5)}
