"""The synthetic corpus: real parsers read it, values read back, injections show, seeds repeat."""

from __future__ import annotations

import csv
import math
import random
import statistics
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from ingest.detect import detect_and_parse
from ingest.recognize import load_template_rows, recognize_rows
from ingest.records import StatRow
from ingest.register import load_register
from synth import report as report_module
from synth.catalogue import FAMILIES
from synth.corpus import generate_corpus, plan
from synth.inject import INJECTORS, KINDS, Target
from synth.report import Report, _family_plan, make_report, report_text
from synth.skeleton import skeleton
from synth.units import Period, ReportUnit, draw_units, level_of
from synth.values import Values, count_band, violations
from synth.watched import outlier_floor, watched_codes

PERIOD = Period("quarter", 2023, 2)


def _units(family: str, count: int, seed: int = 5) -> list[ReportUnit]:
    return draw_units(count, level_of(family), random.Random(seed))


def _parse(report: Report) -> tuple[str, dict[str, StatRow], int]:
    """Detected family, template row id -> parsed row, and the number of unrecognized rows."""
    detection = detect_and_parse(report_text(report), report.file_name)
    result = detection.result
    matches = recognize_rows(result.rows, load_template_rows(detection.family) or ())
    rows = {m.template_row_id: r for r, m in zip(result.rows, matches, strict=True) if m.template_row_id}
    return detection.family, rows, sum(m.template_row_id is None for m in matches)


def _read_number(row: StatRow | None, note: bool, line: int) -> float | None:
    assert row is not None
    if not note:
        assert row.line_start <= line <= row.line_end
        return None if row.value.number is None else float(row.value.number)
    facts = [f for f in row.note_facts if f.line_start <= line <= f.line_end and f.value.number is not None]
    return float(facts[0].value.number) if facts and facts[0].value.number is not None else None


def _parsed_values(report: Report, rows: dict[str, StatRow]) -> tuple[Values, dict[int, float | None]]:
    """Indicator values and slot numbers as the real parser reads them from the text."""
    values: Values = {}
    by_slot: dict[int, float | None] = {}
    for slot in skeleton(report.family).slots:
        number = _read_number(rows.get(slot.template_row_id), slot.note, slot.line_no)
        by_slot[slot.index] = number
        if slot.indicator_code and slot.indicator_code not in values:
            values[slot.indicator_code] = number
    return values, by_slot


@pytest.mark.parametrize("family", FAMILIES)
def test_real_parser_detects_and_recognizes_every_row(family: str) -> None:
    expected = skeleton(family).template_row_ids
    for unit in _units(family, 6):
        report = make_report(family, unit, PERIOD, seed=11, inject_rate=0.3)
        detected, rows, unrecognized = _parse(report)
        assert detected == family
        assert unrecognized == 0
        assert sorted(rows) == sorted(set(expected))


@pytest.mark.parametrize("family", FAMILIES)
def test_values_read_back_as_generated(family: str) -> None:
    for unit in _units(family, 4, seed=9):
        report = make_report(family, unit, PERIOD, seed=3)
        _, rows = _parse(report)[:2]
        values, by_slot = _parsed_values(report, rows)
        for slot in skeleton(family).slots:
            written = report.slot_numbers[slot.index]
            assert (
                by_slot[slot.index] == pytest.approx(written)
                if written is not None
                else by_slot[slot.index] is None
            ), (
                slot,
                report.slot_texts[slot.index],
            )
        assert violations(values, family) == [], [r.rule_id for r in violations(values, family)]


def test_clean_values_break_no_rule() -> None:
    for family in FAMILIES:
        for unit in _units(family, 30, seed=2):
            report = make_report(family, unit, PERIOD, seed=1)
            assert violations(report.values, family) == [], (
                report.key,
                [r.rule_id for r in violations(report.values, family)],
            )


def test_units_come_from_the_register_and_head_the_report() -> None:
    register = load_register()
    named = 0
    units = _units("national_2023", 20) + _units("national_commune_2024", 20)
    for unit in units:
        family = (
            "national_commune_2024" if register.unit(unit.gso_code).level == "commune" else "national_2023"
        )
        assert register.unit(unit.gso_code).name == unit.name
        header = detect_and_parse(
            report_text(make_report(family, unit, PERIOD, seed=4)), "x.txt"
        ).result.header
        named += (header.unit_name or "").casefold() == unit.full_name.casefold()
        assert (header.period_type, header.period_year, header.period_number) == ("quarter", 2023, 2)
    assert named >= 0.8 * len(units)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    kwargs = {"units": 2, "periods": ["2022-Q3", "2023"], "inject_rate": 0.3}
    generate_corpus(tmp_path / "a", seed=7, **kwargs)  # type: ignore[arg-type]
    generate_corpus(tmp_path / "b", seed=7, **kwargs)  # type: ignore[arg-type]
    generate_corpus(tmp_path / "c", seed=8, **kwargs)  # type: ignore[arg-type]
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 2 * 2 * len(FAMILIES) + 2
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    differing = [
        n
        for n in files
        if (tmp_path / "c" / n).exists()
        and (tmp_path / "a" / n).read_bytes() != (tmp_path / "c" / n).read_bytes()
    ]
    assert differing


def _check_injection(report: Report, truth: dict[str, str], clean: Report) -> None:
    _, rows, _ = _parse(report)
    values, by_slot = _parsed_values(report, rows)
    codes = truth["indicator_codes"].split("|")
    slots = [s for s in skeleton(report.family).slots if s.indicator_code in codes]
    assert {str(s.line_no) for s in slots} == set(truth["source_lines"].split("|"))
    kind = truth["rule_kind"]
    if kind in ("ordered_chain", "rate_reconciliation", "parts_total", "domain"):
        assert truth["rule_id"] in {r.rule_id for r in violations(values, report.family)}
    elif kind == "completeness":
        assert all(by_slot[s.index] is None for s in slots)
        assert all(clean.slot_numbers[s.index] is not None for s in slots)
    elif kind == "outlier":
        (code,) = codes
        assert (values[code] or 0) >= outlier_floor(code) > 0
        assert (clean.values[code] or 0) <= count_band(code)[1]
    elif kind == "same_figure":
        assert len({by_slot[s.index] for s in slots}) == 2


def test_injections_are_in_the_text_where_the_ground_truth_says(tmp_path: Path) -> None:
    summary = generate_corpus(tmp_path, units=6, periods=["2023-Q1", "2023-Q2"], seed=21, inject_rate=0.4)
    truth = _read_csv(tmp_path / "ground_truth.csv")
    assert len(truth) == sum(summary.injected_by_kind.values()) > 0
    assert set(summary.injected_by_kind) == set(KINDS)
    listing = {r["file"]: r for r in _read_csv(tmp_path / "reports.csv")}
    for row in truth:
        meta = listing[row["file"]]
        report = _regenerate(meta, seed=21, rate=0.4)
        assert report_text(report) == (tmp_path / "reports" / row["file"]).read_text(encoding="utf-8")
        _check_injection(report, row, _regenerate(meta, seed=21, rate=0.0))


def _regenerate(meta: dict[str, str], seed: int, rate: float) -> Report:
    register = load_register()
    admin = register.unit(meta["unit_gso_code"])
    unit = ReportUnit(admin.gso_code, admin.unit_type, admin.name, meta["province"], meta["district"] or None)
    return make_report(meta["family"], unit, Period.parse(meta["period"]), seed, rate, int(meta["ordinal"]))


def _eligible(report: Report, kind: str) -> bool:
    plan = _family_plan(report.family)
    target = Target(dict(report.values), plan.stated, plan.blankable, report.family, set())
    return INJECTORS[kind](target, random.Random(0)) is not None


def test_injected_counts_follow_the_rate() -> None:
    rate = 0.2
    injected: Counter[str] = Counter()
    eligible: Counter[str] = Counter()
    for family in FAMILIES:
        for unit in _units(family, 150, seed=8):
            clean = make_report(family, unit, PERIOD, seed=5)
            eligible.update(k for k in KINDS if _eligible(clean, k))
            injected.update(
                i.kind for i in make_report(family, unit, PERIOD, seed=5, inject_rate=rate).injections
            )
    for kind in KINDS:
        n = eligible[kind]
        assert n > 0, kind
        sigma = math.sqrt(n * rate * (1 - rate))
        assert abs(injected[kind] - rate * n) <= 4 * sigma + 2, (kind, injected[kind], n)


def test_long_format_rows_match_the_text(tmp_path: Path) -> None:
    summary = generate_corpus(
        tmp_path,
        units=3,
        periods=["2023-Q1", "2023-Q2"],
        seed=4,
        inject_rate=0.2,
        mode="rows",
        chunk_reports=5,
    )
    parts = sorted((tmp_path / "rows").glob("*.parquet"))
    assert len(parts) == math.ceil(summary.reports / 5)
    with duckdb.connect() as con:
        frame = con.execute(f"SELECT * FROM read_parquet('{(tmp_path / 'rows').as_posix()}/*.parquet')").df()
    assert len(frame) == summary.row_count
    meta = _read_csv(tmp_path / "reports.csv")[0]
    report = _regenerate(meta, seed=4, rate=0.2)
    mine = frame[frame.report_id == report.key].sort_values("source_line")
    expected = sorted(report.slot_texts[s.index] for s in skeleton(report.family).slots)
    assert sorted(mine.raw_value.fillna("")) == expected


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("period", ["2023-Q4", "2022-H1", "2021"])
def test_header_states_the_generated_period(family: str, period: str) -> None:
    unit = _units(family, 1, seed=3)[0]
    wanted = Period.parse(period)
    header = detect_and_parse(report_text(make_report(family, unit, wanted, seed=1)), "x.txt").result.header
    assert (header.period_type, header.period_year, header.period_number) == (
        wanted.type,
        wanted.year,
        wanted.number,
    )


def _modified_z(values: list[float]) -> list[float]:
    """The outlier rules' score (macros/rules/outlier/rule_outlier_scored.sql) of each value."""
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    mean_ad = statistics.fmean(abs(v - median) for v in values)
    if mad > 0:
        return [0.6745 * (v - median) / mad for v in values]
    return [(v - median) / (1.253314 * mean_ad) if mean_ad else 0.0 for v in values]


def test_only_injected_outliers_stand_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per indicator and unit level, the watched figures of a corpus have no modified z-score over
    the rules' 3.5 except the injected outliers, which all have one (synth.watched); also with many
    figures left empty (a rate whose input is empty is not computed from it)."""
    monkeypatch.setattr(report_module, "BLANK_RATE", 0.3)
    groups: dict[tuple[str, str], list[tuple[float, bool]]] = {}
    injected = 0
    for family, unit, period, ordinal in plan(8, ("2023-Q1", "2023-Q2"), FAMILIES, seed=3):
        report = make_report(family, unit, period, 3, inject_rate=1.0, ordinal=ordinal)
        outliers = {c for i in report.injections if i.kind == "outlier" for c in i.codes}
        injected += len(outliers)
        for code in watched_codes():
            if report.values.get(code) is not None:
                groups.setdefault((code, level_of(family)), []).append(
                    (report.values[code] or 0.0, code in outliers)
                )
    assert injected >= 4
    for key, members in groups.items():
        scores = _modified_z([v for v, _ in members])
        assert all((abs(z) > 3.5) == outlier for z, (_, outlier) in zip(scores, members, strict=True)), key
