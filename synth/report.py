"""One synthetic report: its values, its cells as written, its label quirks, its injections.

Everything is drawn from ``random.Random`` seeded by the corpus seed and the report's key, and
from the report's ordinal among its family's reports (synth.watched): a report is the same in
whatever order it is made, and in any corpus where it has the same ordinal.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from synth.calibrate import FORMS
from synth.catalogue import Rule, rules
from synth.inject import Injection, Target, inject
from synth.render import render
from synth.skeleton import Skeleton, Slot, skeleton
from synth.units import Period, ReportUnit
from synth.values import Values, active_rules, draw, kinds, make_consistent
from synth.watched import OUTLIER_EVERY, Spread, spread_values
from synth.written import write_value

BLANK_RATE = 0.04  # share of optional figures left empty (not reported)
QUIRK_RATE = 0.3  # share of reports with typos in their labels
WORD_RATE = 0.25  # share of yes/no answers and high rates written as words ("Có", "Trên 90%")
# Real typo patterns between copies of the same template (domain.md).
TYPOS = (
    ("Thống kê", "Thông kê"),
    ("họp trực tuyến", "hợp trực tuyến"),
    ("hành chính", "hành chánh"),
    ("thủ tục", "thủ tuc"),
    ("giải quyết", "giải quyêt"),
    ("Số lượng", "Số lương"),
    ("trực tuyến", "trực tuyên"),
    ("văn bản", "văn bàn"),
)


@dataclass(frozen=True)
class Report:
    family: str
    unit: ReportUnit
    period: Period
    values: Values  # indicator code -> value as stated (after injections)
    slot_texts: dict[int, str]
    slot_numbers: dict[int, float | None]  # the figure each cell states (what a parser reads back)
    label_edits: dict[int, str]
    injections: tuple[Injection, ...]
    ordinal: int | None = None

    @property
    def key(self) -> str:
        return f"{self.family}/{self.unit.gso_code}/{self.period.key}"

    @property
    def file_name(self) -> str:
        return f"{self.family}-{self.unit.gso_code}-{self.period.key}.txt"


# Rates no reconciliation checks (a bound "Trên 90%" says less than the figure).
_BOUND_OK = frozenset(
    c for r in rules() if r.kind == "domain" and r.param("domain_type") == "rate" for c in r.codes
) - {c for r in rules() if r.kind in ("rate_reconciliation", "outlier", "same_figure") for c in r.codes}


@dataclass(frozen=True)
class _FamilyPlan:
    """What every report of a family needs, computed once."""

    codes: tuple[tuple[str, str, bool], ...]  # (indicator code, kind, required)
    active: list[Rule]
    slot_kinds: tuple[tuple[Slot, str], ...]
    stated: Counter[str]
    blankable: frozenset[str]


@lru_cache(maxsize=8)
def _family_plan(family: str) -> _FamilyPlan:
    sk = skeleton(family)
    required = {c for r in rules() if r.rule_id == f"complete_{family}" for c in r.codes}
    required |= {s.indicator_code for s in sk.slots if s.indicator_code and not s.blankable}
    codes = sorted({s.indicator_code for s in sk.slots if s.indicator_code})
    return _FamilyPlan(
        tuple((c, kinds().kind(c), c in required) for c in codes),
        active_rules(codes, family),
        tuple((s, kinds().kind(s.indicator_code) if s.indicator_code else "count") for s in sk.slots),
        Counter(s.indicator_code for s in sk.slots if s.indicator_code),
        frozenset(codes) - {s.indicator_code or "" for s in sk.slots if not s.blankable},
    )


def _values(plan: _FamilyPlan, family: str, spread: Spread, rng: random.Random) -> Values:
    drawn: Values = {}
    for code, kind, required in plan.codes:
        value = draw(code, rng, kind)
        drawn[code] = None if not required and rng.random() < BLANK_RATE else value
    # the figures an outlier rule watches, evenly spread over the corpus (synth.watched)
    for code, value in spread_values(family, spread, drawn).items():
        if drawn.get(code) is not None:
            drawn[code] = value
    return make_consistent(drawn, plan.active, family)


def _strip_one_word(label: str, rng: random.Random) -> str:
    words = label.split(" ")
    marked = [i for i, w in enumerate(words) if w != _plain(w) and len(w) > 2]
    if not marked:
        return label
    i = rng.choice(marked)
    words[i] = _plain(words[i])
    return " ".join(words)


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@lru_cache(maxsize=8)
def _label_pieces(family: str) -> tuple[int, ...]:
    return tuple(i for i, p in enumerate(skeleton(family).pieces) if p.kind == "label" and len(p.text) > 12)


def _label_edits(sk: Skeleton, rng: random.Random) -> dict[int, str]:
    if rng.random() >= QUIRK_RATE:
        return {}
    edits: dict[int, str] = {}
    for i in rng.sample(_label_pieces(sk.family), k=min(2, len(_label_pieces(sk.family)))):
        label = sk.pieces[i].text
        typo = next(((a, b) for a, b in TYPOS if a in label), None)
        edits[i] = label.replace(typo[0], typo[1], 1) if typo else _strip_one_word(label, rng)
    return edits


def _word_form(slot: Slot, value: float | None, kind: str, rng: random.Random) -> str | None:
    """Now and then a word instead of a figure: "Có"/"Không"/"Chưa", "Trên 90%" (domain.md)."""
    if value is None or not slot.forms or rng.random() >= WORD_RATE:
        return None
    if kind == "yes_no" and value in (0.0, 1.0):
        wanted = "yes" if value == 1.0 else rng.choice(("no", "no", "not_yet") if slot.blankable else ("no",))
        return wanted if wanted in slot.forms else None
    if kind == "rate" and value > 90.0 and slot.indicator_code in _BOUND_OK and "over_90" in slot.forms:
        return "over_90"
    return None


def _stated(value: float | None, kind: str) -> float | None:
    if value is None:
        return None
    return round(value, 2) if kind == "rate" else float(round(value))


def _slot_texts(
    plan: _FamilyPlan, values: Values, injections: tuple[Injection, ...], rng: random.Random
) -> tuple[dict[int, str], dict[int, float | None]]:
    second = {c for inj in injections if inj.second_statement for c in inj.codes}
    seen: set[str] = set()
    texts: dict[int, str] = {}
    numbers: dict[int, float | None] = {}
    for slot, kind in plan.slot_kinds:
        code = slot.indicator_code
        value = values.get(code) if code else float(int(rng.random() * 31))
        if code in second and code in seen and value is not None:
            value += rng.randint(1, 9)
        if value is None and not slot.blankable:
            value = 0.0  # a cell that cannot be left empty in this layout (a rate over zero)
        if code:
            seen.add(code)
        form = _word_form(slot, value, kind, rng)
        if form is not None:
            texts[slot.index], numbers[slot.index] = FORMS[form]
            continue
        texts[slot.index] = write_value(value, kind, slot.style, rng)
        numbers[slot.index] = _stated(value, kind)
    return texts, numbers


def make_report(
    family: str,
    unit: ReportUnit,
    period: Period,
    seed: int,
    inject_rate: float = 0.0,
    ordinal: int | None = None,
) -> Report:
    """One report of a family for a unit and period, deterministic from the seed and its ordinal
    (its place among the family's reports of the corpus: the figures an outlier rule watches are
    spread evenly over the ordinals, and one ordinal in OUTLIER_EVERY may get an outlier; without
    an ordinal they are drawn at random and any report may)."""
    plan = _family_plan(family)
    rng = random.Random(f"{seed}|{family}|{unit.gso_code}|{period.key}")
    spread_rng = random.Random(f"{seed}|spread|{family}|{unit.gso_code}|{period.key}")
    values = _values(plan, family, Spread(seed, family, ordinal, spread_rng), rng)
    injections: tuple[Injection, ...] = ()
    if inject_rate > 0:
        outlier_ok = ordinal is None or ordinal % OUTLIER_EVERY == 0
        target = Target(values, plan.stated, plan.blankable, family, set(), outlier_ok)
        inject_rng = random.Random(f"{seed}|inject|{family}|{unit.gso_code}|{period.key}")
        injections = tuple(inject(target, inject_rate, inject_rng))
    texts, numbers = _slot_texts(plan, values, injections, rng)
    return Report(
        family, unit, period, values, texts, numbers, _label_edits(skeleton(family), rng), injections, ordinal
    )


def names_for(unit: ReportUnit, period: Period) -> dict[str, str]:
    """The names a report's text fills in, from its unit and period."""
    return {
        "unit": unit.full_name,
        "unit_bare": unit.name,
        "unit_type": unit.unit_type,
        "province_bare": unit.province,
        "district_bare": unit.district or "",
        "period": period.text,
        "year": str(period.year),
    }


def names_of(report: Report) -> dict[str, str]:
    return names_for(report.unit, report.period)


def report_text(report: Report) -> str:
    return render(skeleton(report.family), report.slot_texts, names_of(report), report.label_edits)


def source_lines(report: Report, codes: tuple[str, ...]) -> tuple[int, ...]:
    """The lines of the slots that state the given codes."""
    wanted = set(codes)
    return tuple(sorted({s.line_no for s in skeleton(report.family).slots if s.indicator_code in wanted}))
