"""The values an outlier rule watches, drawn so that a clean corpus holds no outlier.

An outlier rule (seeds/dq_rules.csv, kind ``outlier``) compares a report's value with those of
the other reports of the same indicator, unit level and period type (modified z-score, median and
MAD). Drawn independently at random, a small group of ordinary values has an extreme one often
enough (one group of six uniform values in eight) that the rule's findings on a clean corpus
would be neither injected nor wrong. So the watched figures are drawn evenly spread instead:

* a volume that heads the watched figures (dossiers received, tasks planned) lies in its band,
  at a point of a low-discrepancy sequence over the report's ordinal in its family;
* a figure below it (resolved under received, on time under resolved, online under all, done
  under planned: the links of ordered chains and rates that reach a watched figure) is a share of
  its upper one in ``SHARE`` (a rate's added count, early dossiers, is split off the numerator);
* a watched rate whose inputs the form does not state (or the report leaves empty) lies in
  ``RATE_BAND``.

Every clean watched value then lies within its band, so a value injected past
:func:`outlier_floor` has a modified z-score over the threshold whatever the group, as long as
outliers stay fewer than half of it (``OUTLIER_EVERY``).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from synth.catalogue import Rule, rules
from synth.values import count_band, kinds, numerator_adds

SHARE = (0.85, 1.0)  # a lower figure as a share of its upper one
RATE_BAND = (80.0, 100.0)  # a watched rate stated without its inputs
EARLY_SHARE = (0.2, 0.8)  # early dossiers in the on-time-or-early count (numerator_adds)
RAISE_MARGIN = 1.2  # an ordered_chain injection raises a lower figure by up to 20 % of its upper one
OUTLIER_EVERY = 10  # one report in ten (ordinal 0, 10, 20 ... of its family) may get an outlier
_GOLDEN = (math.sqrt(5) - 1) / 2


def watched_codes() -> frozenset[str]:
    return frozenset(c for r in rules() if r.kind == "outlier" for c in r.codes)


def outlier_floor(code: str) -> float:
    """The least injected outlier of a watched volume: with every clean value of the group in
    [low, high * RAISE_MARGIN] and fewer than half the group outliers, the median lies in that
    range and the MAD is at most its width, so a value past high + 6 widths has a modified z-score
    of at least 0.6745 * 6 > 4 (the rules' threshold is 3.5)."""
    low, high = count_band(code)
    ceiling = high * RAISE_MARGIN
    return ceiling + 6 * (ceiling - low)


@dataclass(frozen=True)
class Links:
    """How a family's watched figures hang together."""

    upper: Mapping[str, str]  # lower figure -> the figure it is a share of
    adds: Mapping[str, tuple[str, ...]]  # numerator -> counts split off it (numerator_adds)
    rates: tuple[str, ...]  # watched rates, in RATE_BAND unless computed from their stated inputs


def _pairs(rule: Rule, family: str, codes: frozenset[str]) -> list[tuple[str, str]]:
    """(upper, lower) figures a rule orders, of those the family states."""
    if rule.kind == "ordered_chain":
        present = [c for c in rule.codes if c in codes]
        return list(itertools.pairwise(present))
    if rule.kind == "rate_reconciliation" and len(rule.codes) == 3:
        _, numerator, denominator = rule.codes
        if numerator in codes and denominator in codes:
            return [(denominator, numerator)]
    return []


def _reaches(rule: Rule, high: str, low: str, reach: set[str]) -> bool:
    """Whether an (upper, lower) pair of a rule touches the watched figures: one of the two is
    reached already, or the rule's rate is watched (its inputs then make the rate)."""
    return high in reach or low in reach or (rule.kind == "rate_reconciliation" and rule.codes[0] in reach)


@lru_cache(maxsize=8)
def links(family: str, codes: frozenset[str]) -> Links:
    """The watched figures of a family stating ``codes`` and the figures they are shares of."""
    watched = watched_codes() & codes
    family_rules = [r for r in rules() if r.applies_to(family)]
    upper: dict[str, str] = {}
    reach = set(watched)
    changed = True
    while changed:  # the chains and rates that reach a watched figure, up and down
        changed = False
        for rule in family_rules:
            for high, low in _pairs(rule, family, codes):
                if _reaches(rule, high, low, reach) and low not in upper and high != low:
                    upper[low] = high
                    changed |= not {high, low} <= reach
                    reach |= {high, low}
    adds: dict[str, tuple[str, ...]] = {}
    for rule in family_rules:
        if rule.kind == "rate_reconciliation" and len(rule.codes) == 3:
            _, numerator, denominator = rule.codes
            if numerator in codes and denominator in codes and numerator in upper:
                adds[numerator] = tuple(c for c in numerator_adds(rule, family) if c in codes)
    # every watched rate: synth.values recomputes it from its inputs when both are reported, so
    # the band holds where the form does not state them or a report leaves one empty
    rates = tuple(sorted(c for c in watched if kinds().kind(c) == "rate"))
    return Links(upper, adds, rates)


def _depth(code: str, upper: Mapping[str, str]) -> int:
    depth = 0
    while code in upper and depth < len(upper):
        code = upper[code]
        depth += 1
    return depth


class Spread:
    """Evenly spread points in [0, 1): the report's ordinal on a golden-ratio sequence, shifted
    per family and figure (a random draw when the report has no ordinal)."""

    def __init__(self, seed: int, family: str, ordinal: int | None, rng: random.Random) -> None:
        self.seed, self.family, self.ordinal, self.rng = seed, family, ordinal, rng

    def point(self, code: str) -> float:
        if self.ordinal is None:
            return self.rng.random()
        shift = random.Random(f"{self.seed}|spread|{self.family}|{code}").random()
        return (shift + self.ordinal * _GOLDEN) % 1.0


def _within(low: float, high: float, u: float) -> float:
    return low + (high - low) * u


def spread_values(family: str, spread: Spread, codes: Iterable[str]) -> dict[str, float]:
    """The watched figures of a report stating ``codes`` (and those they hang on)."""
    found = links(family, frozenset(codes))
    order = sorted(set(found.upper) | set(found.upper.values()), key=lambda c: _depth(c, found.upper))
    values: dict[str, float] = {}
    for code in order:
        if code not in found.upper:
            low, high = count_band(code)
            values[code] = float(round(_within(max(low, 10), high, spread.point(code))))
            continue
        values[code] = float(round(values[found.upper[code]] * _within(*SHARE, spread.point(code))))
        split = found.adds.get(code, ())
        if split:
            early = float(round(values[code] * _within(*EARLY_SHARE, spread.rng.random())))
            values[code] -= early
            values.update(dict.fromkeys(split, 0.0))
            values[split[0]] = early
    for rate in found.rates:
        values[rate] = round(_within(*RATE_BAND, spread.point(rate)), 2)
    return values
