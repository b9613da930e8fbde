"""Known inconsistencies injected into one report's values, one kind of rule at a time.

Every kind of seeds/dq_rules.csv has an injector that breaks one rule of that kind on
indicators the report states (and no indicator an earlier injection touched):

* ordered_chain: a lower link of a chain made larger than the link above it;
* rate_reconciliation: a rate 3..15 points away from numerator / denominator;
* parts_total: a total that no longer equals (or is exceeded by) its parts;
* domain: a yes/no answer written 2;
* same_figure: the second statement of a figure stated twice made different;
* completeness: a required value left empty;
* outlier: a dossier volume multiplied by 25..60 (its chain kept intact).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from synth.catalogue import Rule, rules
from synth.values import Values, kinds

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

    def usable(self, code: str) -> bool:
        return code in self.stated and code not in self.touched and self.values.get(code) is not None


def _rules_of(kind: str, family: str | None = None) -> list[Rule]:
    return [r for r in rules() if r.kind == kind and r.applies_to(family)]


def _chain(t: Target, rng: random.Random) -> Injection | None:
    options = []
    for rule in _rules_of("ordered_chain", t.family):
        present = [c for c in rule.codes if t.usable(c)]
        options += [(rule, a, b) for a, b in itertools.pairwise(present)]
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
    rate = rule.codes[0]
    correct = t.values[rate] or 0.0
    delta = rng.uniform(3.0, 15.0)
    t.values[rate] = round(correct - delta if correct + delta > 100 else correct + delta, 2)
    return Injection("rate_reconciliation", rule.rule_id, rule.codes, f"{rate} off by {delta:.2f} points")


def _parts(t: Target, rng: random.Random) -> Injection | None:
    options = [
        r
        for r in _rules_of("parts_total", t.family)
        if t.usable(r.codes[0]) and any(t.usable(c) for c in r.codes[1:]) and (t.values[r.codes[0]] or 0) > 1
    ]
    if not options:
        return None
    rule = rng.choice(options)
    total = rule.codes[0]
    parts_sum = sum(t.values.get(c) or 0.0 for c in rule.codes[1:] if t.values.get(c) is not None)
    if rule.param("mode") == "equal":
        t.values[total] = (t.values[total] or 0.0) + rng.randint(1, 9)
    else:
        t.values[total] = max(0.0, parts_sum - rng.randint(1, 9))
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
    if rule is None or not options:
        return None
    code = rng.choice(options)
    factor = rng.randint(25, 60)
    t.values[code] = (t.values[code] or 1.0) * factor + rng.randint(1000, 9000)
    return Injection("outlier", rule.rule_id, (code,), f"{code} x{factor}")


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
