"""Known inconsistencies injected into one report's values, one kind of rule at a time.

Every kind of seeds/dq_rules.csv has an injector that breaks one rule of that kind on
indicators the report states (and no indicator an earlier injection touched):

* ordered_chain: a lower link of a chain made larger than the link above it;
* rate_reconciliation: a rate 3..15 points away from numerator / denominator (for a rate an
  outlier rule watches, the numerator lowered instead: the stated rate stays among its peers);
* parts_total: a total that no longer equals (or is exceeded by) its parts;
* domain: a yes/no answer written 2;
* same_figure: the second statement of a figure stated twice made different;
* completeness: a required value left empty;
* outlier: a dossier volume raised past synth.watched.outlier_floor (its chain kept intact), in
  one report in OUTLIER_EVERY of a family (outliers are rare, or they are the norm).

An injection breaks its rule as the rule reads it (synth.values.violations, the rules' own missing
value and rounding semantics): a rule skipped for want of values is not chosen.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from synth.catalogue import Rule, rules
from synth.values import CHECKS, Values, kinds, skipped
from synth.watched import outlier_floor, watched_codes

KINDS = (
    "ordered_chain",
    "rate_reconciliation",
    "parts_total",
    "domain",
    "same_figure",
    "completeness",
    "outlier",
)
OUTLIER_CODES = ("procedures.district.dossiers_received", "procedures.commune.dossiers_received")


@dataclass(frozen=True)
class Injection:
    """One injected inconsistency: which rule, which indicators, what was done."""

    kind: str
    rule_id: str
    codes: tuple[str, ...]
    detail: str
    second_statement: bool = False  # same_figure: only the second slot of the code is changed


@dataclass
class Target:
    """What an injector may work on: the values and the codes that have slots."""

    values: Values
    stated: Mapping[str, int]  # indicator code -> number of slots stating it
    blankable: frozenset[str]  # codes whose cells may be left empty
    family: str
    touched: set[str]
    outlier_ok: bool = True  # this report may get an outlier (synth.watched.OUTLIER_EVERY)

    def usable(self, code: str) -> bool:
        return code in self.stated and code not in self.touched and self.values.get(code) is not None


def _rules_of(kind: str, family: str | None = None) -> list[Rule]:
    return [r for r in rules() if r.kind == kind and r.applies_to(family)]


def _breaks(t: Target, rule: Rule) -> bool:
    return CHECKS[rule.kind](t.values, rule, t.family)


def _chain(t: Target, rng: random.Random) -> Injection | None:
    options = []
    for rule in _rules_of("ordered_chain", t.family):
        if skipped(t.values, rule.codes, rule.missing):
            continue
        present = [c for c in rule.codes if t.values.get(c) is not None]
        options += [(rule, a, b) for a, b in itertools.pairwise(present) if t.usable(a) and t.usable(b)]
    if not options:
        return None
    rule, upper, lower = rng.choice(options)
    high = t.values[upper] or 0.0
    t.values[lower] = high + rng.randint(1, max(2, int(high * 0.2)))
    return Injection("ordered_chain", rule.rule_id, (upper, lower), f"{lower} > {upper}")


def _rate(t: Target, rng: random.Random) -> Injection | None:
    options = [
        r
        for r in _rules_of("rate_reconciliation", t.family)
        if len(r.codes) == 3 and all(t.usable(c) for c in r.codes) and (t.values[r.codes[2]] or 0) > 0
    ]
    if not options:
        return None
    rule = rng.choice(options)
    rate, numerator, denominator = rule.codes
    before = {c: t.values[c] for c in rule.codes}
    delta = rng.uniform(3.0, 15.0)
    if rate in watched_codes():
        # lowered by delta points of the denominator (rounded up to whole dossiers)
        lowered = min(
            t.values[numerator] or 0.0, float(math.ceil(delta * (t.values[denominator] or 0.0) / 100))
        )
        t.values[numerator] = (t.values[numerator] or 0.0) - lowered
        detail = f"{numerator} lowered by {lowered:.0f} ({delta:.2f} points of {denominator})"
    else:
        correct = t.values[rate] or 0.0
        t.values[rate] = round(correct - delta if correct + delta > 100 else correct + delta, 2)
        detail = f"{rate} off by {delta:.2f} points"
    if not _breaks(t, rule):  # e.g. a numerator of 0 cannot be lowered
        t.values.update(before)
        return None
    return Injection("rate_reconciliation", rule.rule_id, rule.codes, detail)


def _parts(t: Target, rng: random.Random) -> Injection | None:
    options = [
        r
        for r in _rules_of("parts_total", t.family)
        if t.usable(r.codes[0])
        and any(t.usable(c) for c in r.codes[1:])
        and not skipped(t.values, r.codes[1:], r.missing)
        and sum(t.values.get(c) or 0.0 for c in r.codes[1:]) >= 1
    ]
    if not options:
        return None
    rule = rng.choice(options)
    total, parts = rule.codes[0], rule.codes[1:]
    parts_sum = sum(t.values.get(c) or 0.0 for c in parts)
    every_part = all(t.values.get(c) is not None for c in parts)
    if rule.param("mode", "equal") == "equal" and every_part and rng.random() < 0.5:
        t.values[total] = (t.values[total] or 0.0) + rng.randint(1, 9)
    else:  # below its parts: the one break a rule can prove when a part is not reported
        t.values[total] = max(0.0, parts_sum - rng.randint(1, min(9, int(parts_sum))))
    return Injection("parts_total", rule.rule_id, rule.codes, f"{total} does not match its parts")


def _domain(t: Target, rng: random.Random) -> Injection | None:
    options = sorted(c for c in kinds().yes_no if t.usable(c))
    if not options:
        return None
    code = rng.choice(options)
    t.values[code] = 2.0
    return Injection("domain", "domain_yes_no", (code,), f"{code} answered 2")


def _same_figure(t: Target, rng: random.Random) -> Injection | None:
    rule = _rules_of("same_figure", t.family)
    options = sorted(c for c, n in t.stated.items() if n > 1 and t.usable(c))
    if not options or not rule:
        return None
    code = rng.choice(options)
    return Injection("same_figure", rule[0].rule_id, (code,), f"{code} stated twice differently", True)


def _completeness(t: Target, rng: random.Random) -> Injection | None:
    rule = next((r for r in _rules_of("completeness", t.family) if r.rule_id == f"complete_{t.family}"), None)
    if rule is None:
        return None
    options = [c for c in rule.codes if t.usable(c) and c in t.blankable]
    if not options:
        return None
    code = rng.choice(options)
    t.values[code] = None
    return Injection("completeness", rule.rule_id, (code,), f"{code} left empty")


def _outlier(t: Target, rng: random.Random) -> Injection | None:
    rule = next((r for r in _rules_of("outlier", t.family) if "dossiers_received" in "|".join(r.codes)), None)
    options = [c for c in OUTLIER_CODES if t.usable(c)]
    if rule is None or not options or not t.outlier_ok:
        return None
    code = rng.choice(options)
    floor = outlier_floor(code)
    t.values[code] = float(math.ceil(floor) + rng.randint(0, int(floor)))
    return Injection("outlier", rule.rule_id, (code,), f"{code} raised to {t.values[code]:.0f}")


INJECTORS: Mapping[str, Callable[[Target, random.Random], Injection | None]] = {
    "ordered_chain": _chain,
    "rate_reconciliation": _rate,
    "parts_total": _parts,
    "domain": _domain,
    "same_figure": _same_figure,
    "completeness": _completeness,
    "outlier": _outlier,
}


def inject(
    target: Target, rate: float, rng: random.Random, kinds_wanted: Sequence[str] = KINDS
) -> list[Injection]:
    """Each kind independently with probability ``rate``; the values are changed in place."""
    done: list[Injection] = []
    for kind in kinds_wanted:
        if rng.random() >= rate:
            continue
        injection = INJECTORS[kind](target, rng)
        if injection is not None:
            target.touched.update(injection.codes)
            done.append(injection)
    return done
