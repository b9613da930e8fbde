"""Consistent indicator values for one report, the rule checker, and how values are written.

Values are drawn per indicator by its kind (count, rate, yes/no, code, amount), then made
consistent with the rules of seeds/dq_rules.csv: ordered chains and "parts do not exceed"
raise the upper figures, "parts equal the total" sets the total, every rate is computed
from its numerator and denominator. :func:`violations` re-checks a set of values against
the same rules (the generator's own test oracle and the injector's ground truth).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from synth.catalogue import Rule, rules, value_types

Values = dict[str, float | None]
RATE_DECIMALS = 2  # rates are written with at most two decimals (``66,67``)


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


def count_band(code: str) -> tuple[int, int]:
    """The range a count is drawn from: dossiers of a district or commune, procedures, others."""
    if "dossiers" in code:
        return (40, 6000) if ".district." in code else (20, 1500)
    if "procedures" in code:
        return (20, 450)
    return (0, 40)


def _count(code: str, rng: random.Random) -> float:
    return _between(rng, *count_band(code))


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


def numerator_adds(rule: Rule, family: str | None) -> tuple[str, ...]:
    """The counts a rate rule adds to its numerator on a family's form (``numerator_adds``, limited
    to ``numerator_adds_families`` when given): early dossiers stated apart from on-time ones."""
    adds = tuple(c for c in rule.param("numerator_adds").split("|") if c)
    families = rule.param("numerator_adds_families")
    if not adds or (families and family not in families.split("|")):
        return ()
    return adds


def _numerator(values: Values, rule: Rule, numerator: str, family: str | None) -> float | None:
    """The rate's numerator as the rule computes it: an added count that is not stated adds 0."""
    num = values.get(numerator)
    if num is None:
        return None
    return num + sum(values.get(c) or 0.0 for c in numerator_adds(rule, family))


def _fix_round(values: Values, active: list[Rule], family: str | None) -> bool:
    changed = False
    for rule in active:
        if rule.kind == "ordered_chain":
            changed |= _raise_chain(values, rule.codes)
        elif rule.kind == "parts_total":
            changed |= _fix_parts(values, rule)
        elif (parts := _rate_parts(rule)) is not None:
            num, den = _numerator(values, rule, parts[1], family), values.get(parts[2])
            if num is not None and den is not None and den < num:
                values[parts[2]] = num
                changed = True
    return changed


def round_half_up(number: float, decimals: int) -> float:
    """Rounded as the rules round (half away from zero, rule_round_half_up), not to even."""
    scale = 10.0**decimals
    return math.floor(number * scale + 0.5 + 1e-9) / scale


def _set_rates(values: Values, active: list[Rule], family: str | None) -> None:
    for rule in active:
        parts = _rate_parts(rule)
        if parts is None or parts[0] not in values:
            continue
        rate, numerator, denominator = parts
        num, den = _numerator(values, rule, numerator, family), values.get(denominator)
        if num is None or den is None:
            continue
        values[rate] = round_half_up(100.0 * num / den, RATE_DECIMALS) if den > 0 else None


def active_rules(codes: Iterable[str], family: str | None = None) -> list[Rule]:
    """The rules that involve any of the codes (and apply to the family, when given)."""
    present = set(codes)
    return [r for r in rules() if r.applies_to(family) and any(c in present for c in r.codes)]


FIX_ROUNDS = 64  # raising counts converges; more rules (the template inventory's) need more rounds


def make_consistent(values: Values, active: list[Rule] | None = None, family: str | None = None) -> Values:
    """The values with every chain, part and rate rule satisfied (counts only ever raised); the
    family decides which rates add a count to their numerator (see :func:`numerator_adds`)."""
    out = dict(values)
    active = active_rules(out, family) if active is None else active
    for _ in range(FIX_ROUNDS):
        if not _fix_round(out, active, family):
            break
    _set_rates(out, [r for r in active if r.kind == "rate_reconciliation"], family)
    return out


def generate(codes: Iterable[str], rng: random.Random) -> Values:
    """Consistent values for the indicators a report states."""
    drawn: Values = {code: draw(code, rng) for code in sorted(set(codes))}
    return make_consistent(drawn)


# --- the checker: the rules' own semantics (macros/rules/<kind>/), on one report's values -------

EPSILON = 1e-9


def skipped(values: Values, codes: Iterable[str], missing: str) -> bool:
    """Whether a rule is not checked for want of values (rule_missing_skip): skip_if_any_missing ->
    any value is not reported; skip_if_all_missing -> none is; missing_as_zero -> never."""
    stated = [values.get(c) is not None for c in codes]
    if missing == "skip_if_any_missing":
        return not all(stated)
    if missing == "skip_if_all_missing":
        return not any(stated)
    return False


def _chain_broken(values: Values, rule: Rule, family: str | None) -> bool:
    """A later link above an earlier one, links not reported stepped over (rule_ordered_chain_*)."""
    if skipped(values, rule.codes, rule.missing):
        return False
    present = [values[c] or 0.0 for c in _present(values, rule.codes)]
    return any(b - a > rule.tolerance + EPSILON for a, b in itertools.pairwise(present))


def _parts_broken(values: Values, rule: Rule, family: str | None) -> bool:
    """rule_parts_total_violation: a part not reported is not 0, and "equal" then checks only <=."""
    total, *parts = rule.codes
    if values.get(total) is None or not _present(values, parts):
        return False
    if rule.missing == "skip_if_any_missing" and skipped(values, parts, rule.missing):
        return False
    summed = sum(values[p] or 0.0 for p in _present(values, parts))
    excess = summed - (values[total] or 0.0)
    if rule.param("mode", "equal") == "equal" and len(_present(values, parts)) == len(parts):
        return abs(excess) > rule.tolerance + EPSILON
    return excess > rule.tolerance + EPSILON


def written_decimals(rate: float) -> int:
    """The decimals a rate was written with (rule_infer_decimals)."""
    return next((d for d in range(4) if abs(rate * 10**d - math.floor(rate * 10**d + 0.5)) < 1e-6), 4)


def _rate_broken(values: Values, rule: Rule, family: str | None) -> bool:
    """rule_rate_reconciliation_violation: the computed rate rounded half up or truncated to the
    decimals the rate was written with differs from it (and by more than the tolerance)."""
    parts = _rate_parts(rule)
    if parts is None:
        return False
    rate, den = values.get(parts[0]), values.get(parts[2])
    num = _numerator(values, rule, parts[1], family)
    if rate is None or num is None or not den:
        return False
    computed = 100.0 * num / den
    decimals = written_decimals(rate)
    scale = 10.0**decimals
    candidates = (round_half_up(computed, decimals), math.floor(computed * scale + 1e-7) / scale)
    if any(abs(c - rate) < 1e-6 for c in candidates):
        return False
    return abs(computed - rate) > rule.tolerance + EPSILON


def _domain_broken(values: Values, rule: Rule, family: str | None) -> bool:
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
    return [
        r for r in rules() if r.applies_to(family) and r.kind in CHECKS and CHECKS[r.kind](values, r, family)
    ]
