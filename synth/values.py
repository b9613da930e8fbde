"""Consistent indicator values for one report, the rule checker, and how values are written.

Values are drawn per indicator by its kind (count, rate, yes/no, code, amount), then made
consistent with the rules of seeds/dq_rules.csv: ordered chains and "parts do not exceed"
raise the upper figures, "parts equal the total" sets the total, every rate is computed
from its numerator and denominator. :func:`violations` re-checks a set of values against
the same rules (the generator's own test oracle and the injector's ground truth).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from synth.catalogue import Rule, rules, value_types

Values = dict[str, float | None]
RATE_TOLERANCE = 0.011  # a rate written with two decimals is within 0.005 of the exact one


@dataclass(frozen=True)
class Kinds:
    """What each indicator is, from the domain rules (and the catalogue's value_type)."""

    yes_no: frozenset[str]
    codes: Mapping[str, tuple[int, ...]]
    rates: frozenset[str]
    amounts: frozenset[str]

    def kind(self, code: str) -> str:
        if code in self.yes_no:
            return "yes_no"
        if code in self.codes:
            return "code"
        if code in self.rates or value_types().get(code) == "percent":
            return "rate"
        if code in self.amounts:
            return "amount"
        return "count"


@lru_cache(maxsize=1)
def kinds() -> Kinds:
    yes_no: set[str] = set()
    codes: dict[str, tuple[int, ...]] = {}
    rates: set[str] = set()
    amounts: set[str] = set()
    for rule in rules():
        if rule.kind != "domain":
            continue
        domain = rule.param("domain_type")
        if domain == "yes_no":
            yes_no.update(rule.codes)
        elif domain == "code_list":
            listed = tuple(int(c) for c in rule.param("codes").split("|"))
            codes.update({c: listed for c in rule.codes})
        elif domain == "rate":
            rates.update(rule.codes)
        elif domain == "range":
            amounts.update(rule.codes)
    return Kinds(frozenset(yes_no), codes, frozenset(rates), frozenset(amounts))


def _between(rng: random.Random, low: int, high: int) -> float:
    """A whole number in low..high (random() is several times faster than randint)."""
    return float(low + int(rng.random() * (high - low + 1)))


def _count(code: str, rng: random.Random) -> float:
    if "dossiers" in code:
        return _between(rng, 40, 6000) if ".district." in code else _between(rng, 20, 1500)
    if "procedures" in code:
        return _between(rng, 20, 450)
    return _between(rng, 0, 40)


def draw(code: str, rng: random.Random, kind: str | None = None) -> float:
    """A plausible value of one indicator before the rules are applied."""
    kind = kinds().kind(code) if kind is None else kind
    if kind == "yes_no":
        return float(rng.random() < 0.85)
    if kind == "code":
        return float(rng.choice(kinds().codes[code]))
    if kind == "rate":
        return round(55.0 + 45.0 * rng.random(), 2)
    if kind == "amount":
        return _between(rng, 500, 90_000)
    return _count(code, rng)


def _present(values: Values, codes: Iterable[str]) -> list[str]:
    return [c for c in codes if values.get(c) is not None]


def _raise_chain(values: Values, codes: tuple[str, ...]) -> bool:
    present = _present(values, codes)
    changed = False
    for upper, lower in reversed(list(itertools.pairwise(present))):
        low = values[lower]
        high = values[upper]
        if low is not None and high is not None and high < low:
            values[upper] = low
            changed = True
    return changed


def _fix_parts(values: Values, rule: Rule) -> bool:
    total, *parts = rule.codes
    present = _present(values, parts)
    if values.get(total) is None or not present:
        return False
    summed = sum(values[p] or 0.0 for p in present)
    current = values[total] or 0.0
    if rule.param("mode") == "equal" and current > summed:
        # counts are only ever raised: the last part takes up the difference (a total raised by
        # another rule, e.g. a chain, stays raised)
        values[present[-1]] = (values[present[-1]] or 0.0) + (current - summed)
        return True
    wanted = max(current, summed)
    values[total] = wanted
    return wanted != current


def _rate_parts(rule: Rule) -> tuple[str, str, str] | None:
    if len(rule.codes) != 3:
        return None
    rate, numerator, denominator = rule.codes
    return rate, numerator, denominator


def _fix_round(values: Values, active: list[Rule]) -> bool:
    changed = False
    for rule in active:
        if rule.kind == "ordered_chain":
            changed |= _raise_chain(values, rule.codes)
        elif rule.kind == "parts_total":
            changed |= _fix_parts(values, rule)
        elif (parts := _rate_parts(rule)) is not None:
            changed |= _raise_chain(values, (parts[2], parts[1]))
    return changed


def _set_rates(values: Values, active: list[Rule]) -> None:
    for rule in active:
        parts = _rate_parts(rule)
        if parts is None or parts[0] not in values:
            continue
        rate, numerator, denominator = parts
        num, den = values.get(numerator), values.get(denominator)
        if num is None or den is None:
            continue
        values[rate] = round(100.0 * num / den, 2) if den > 0 else None


def active_rules(codes: Iterable[str], family: str | None = None) -> list[Rule]:
    """The rules that involve any of the codes (and apply to the family, when given)."""
    present = set(codes)
    return [r for r in rules() if r.applies_to(family) and any(c in present for c in r.codes)]


FIX_ROUNDS = 64  # raising counts converges; more rules (the template inventory's) need more rounds


def make_consistent(values: Values, active: list[Rule] | None = None) -> Values:
    """The values with every chain, part and rate rule satisfied (counts only ever raised)."""
    out = dict(values)
    active = active_rules(out) if active is None else active
    for _ in range(FIX_ROUNDS):
        if not _fix_round(out, active):
            break
    _set_rates(out, [r for r in active if r.kind == "rate_reconciliation"])
    return out


def generate(codes: Iterable[str], rng: random.Random) -> Values:
    """Consistent values for the indicators a report states."""
    drawn: Values = {code: draw(code, rng) for code in sorted(set(codes))}
    return make_consistent(drawn)


# --- the checker -------------------------------------------------------------------------------


def _chain_broken(values: Values, rule: Rule) -> bool:
    present = [values[c] for c in _present(values, rule.codes)]
    return any(a is not None and b is not None and a < b for a, b in itertools.pairwise(present))


def _parts_broken(values: Values, rule: Rule) -> bool:
    total, *parts = rule.codes
    present = _present(values, parts)
    if values.get(total) is None or not present:
        return False
    summed = sum(values[p] or 0.0 for p in present)
    total_value = values[total] or 0.0
    if rule.param("mode") == "equal":
        return abs(summed - total_value) > 1e-9
    return summed > total_value + 1e-9


def _rate_broken(values: Values, rule: Rule) -> bool:
    parts = _rate_parts(rule)
    if parts is None:
        return False
    rate, num, den = (values.get(c) for c in parts)
    if rate is None or num is None or not den:
        return False
    return abs(rate - 100.0 * num / den) > RATE_TOLERANCE


def _domain_broken(values: Values, rule: Rule) -> bool:
    domain = rule.param("domain_type")
    present = [values[c] for c in _present(values, rule.codes)]
    if domain == "yes_no":
        return any(v not in (0.0, 1.0) for v in present)
    if domain == "code_list":
        allowed = {float(c) for c in rule.param("codes").split("|")}
        return any(v not in allowed for v in present)
    if domain == "rate":
        return any(v is not None and not 0.0 <= v <= 100.0 for v in present)
    return any(v is not None and v < 0 for v in present)


CHECKS = {
    "ordered_chain": _chain_broken,
    "parts_total": _parts_broken,
    "rate_reconciliation": _rate_broken,
    "domain": _domain_broken,
}


def violations(values: Values, family: str | None = None) -> list[Rule]:
    """The rules (of the kinds checkable on one report's values, applying to the family when given)
    that the values break."""
    return [r for r in rules() if r.applies_to(family) and r.kind in CHECKS and CHECKS[r.kind](values, r)]
