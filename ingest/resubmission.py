"""Which version of a unit x period report is current, and which are held for review (pure).

Every file version stays in raw.reports; this decides, from what is stored about each version
(row counts, family, size, batch, people's decisions), which one the marts use. A version
becomes current only when it is a plausible replacement of the current one; otherwise it is held
for review with the reason, until someone runs ``cchc accept`` (it becomes current) or
``cchc reject`` (it stays held). The rules, in :func:`implausible_reasons` and
:func:`batch_conflicts`:

* far fewer statistic rows, or recognised rows, than the version it would replace
  (fewer than :data:`MIN_ROW_SHARE` of them: a truncated or partial copy);
* a different template family than the version it would replace;
* duplicate row codes: rows repeating a recognised row of the same file (same section, row code
  and label: repeated tables);
* a file many times the template's size: more than :data:`MAX_TEMPLATE_MULTIPLE` times the
  family's template rows, or more than :data:`MAX_LINE_MULTIPLE` times the lines of the version it
  would replace;
* two or more new files for the same unit and period in one batch: neither wins silently.

A corrected re-submission (same family, about as many rows, changed values) passes every rule and
replaces the current version, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

MIN_ROW_SHARE = 0.8
MAX_TEMPLATE_MULTIPLE = 2.0
MAX_LINE_MULTIPLE = 5.0

CURRENT = "current"
SUPERSEDED = "superseded"
HELD_FOR_REVIEW = "held for review"
REJECTED = "rejected"
HELD_OUT = "held out"  # unit or period not resolved: not a re-submission question

ACCEPT = "accept"
REJECT = "reject"


@dataclass(frozen=True)
class Decision:
    """A person's decision on a report version (raw.report_decisions)."""

    report_id: str
    decision: str  # accept | reject
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class VersionFacts:
    """What the review of one file version needs, all stored in the warehouse."""

    report_id: str
    source_file: str
    group: tuple[object, ...] | None  # (unit_code, period_type, period_year, period_number); None: unresolved
    family: str
    line_count: int
    statistic_rows: int
    recognised_rows: int
    duplicate_template_rows: int
    load_order: tuple[object, ...]  # (loaded_at, source_path, report_id): file order within a batch
    batch_id: str | None
    resolution_held: bool
    decision: Decision | None = None


@dataclass(frozen=True)
class Review:
    report_id: str
    status: str  # current | superseded | held for review | rejected | held out
    reason: str | None
    version_number: int


def _share(new: int, old: int) -> float:
    return new / old if old else 1.0


def intrinsic_reasons(version: VersionFacts, template_rows: Mapping[str, int]) -> list[str]:
    """What is wrong with a version by itself: repeated rows, many times the template's size."""
    reasons: list[str] = []
    if version.duplicate_template_rows > 0:
        reasons.append(
            f"duplicate row codes: {version.duplicate_template_rows} row(s) repeat recognised rows of the "
            f"{version.family} template (same section, code and label: repeated tables?)"
        )
    size = template_rows.get(version.family)
    if size and version.statistic_rows > MAX_TEMPLATE_MULTIPLE * size:
        reasons.append(
            f"{version.statistic_rows} statistic rows, more than {MAX_TEMPLATE_MULTIPLE:g} times the "
            f"{size} rows of the {version.family} template"
        )
    return reasons


def implausible_reasons(version: VersionFacts, current: VersionFacts, current_version: int) -> list[str]:
    """Why a version is not a plausible replacement of the current one ([] when it is)."""
    against = f"version {current_version} ({current.source_file})"
    reasons: list[str] = []
    if version.family != current.family:
        reasons.append(f"template family {version.family} differs from {current.family} of {against}")
    for what, new, old in (
        ("statistic rows", version.statistic_rows, current.statistic_rows),
        ("recognised rows", version.recognised_rows, current.recognised_rows),
    ):
        if _share(new, old) < MIN_ROW_SHARE:
            reasons.append(f"far fewer {what}: {new} against {old} of {against}")
    if _share(version.line_count, current.line_count) > MAX_LINE_MULTIPLE:
        reasons.append(
            f"{version.line_count} lines, more than {MAX_LINE_MULTIPLE:g} times the "
            f"{current.line_count} of {against}"
        )
    return reasons


def batch_conflicts(versions: Sequence[VersionFacts]) -> dict[str, str]:
    """report_id -> reason, for new versions of one unit x period loaded in the same batch."""
    by_batch: dict[str, list[VersionFacts]] = {}
    for v in versions:
        if v.batch_id is not None:
            by_batch.setdefault(v.batch_id, []).append(v)
    conflicts: dict[str, str] = {}
    for same in by_batch.values():
        if len(same) < 2:
            continue
        names = ", ".join(sorted(v.source_file for v in same))
        for v in same:
            conflicts[v.report_id] = (
                f"{len(same)} files for the same unit and period in one batch ({names}): "
                "accept the one to use (cchc accept FILE)"
            )
    return conflicts


def _decided(version: VersionFacts, reasons: list[str]) -> tuple[str, str | None]:
    decision = version.decision
    if decision is not None and decision.decision == REJECT:
        return REJECTED, f"rejected by {decision.decided_by} at {decision.decided_at:%Y-%m-%d %H:%M}"
    if reasons and (decision is None or decision.decision != ACCEPT):
        return HELD_FOR_REVIEW, "held for review: " + "; ".join(reasons)
    return CURRENT, None


def review_group(versions: Sequence[VersionFacts], template_rows: Mapping[str, int]) -> list[Review]:
    """Reviews of the versions of one unit x period, numbered 1, 2, ... in load order."""
    ordered = sorted(versions, key=lambda v: v.load_order)
    conflicts = batch_conflicts([v for v in ordered if not v.resolution_held])
    reviews: dict[str, Review] = {}
    current: tuple[VersionFacts, int] | None = None
    for number, version in enumerate(ordered, start=1):
        if version.resolution_held:
            reviews[version.report_id] = Review(version.report_id, HELD_OUT, None, number)
            continue
        reasons = intrinsic_reasons(version, template_rows)
        if current is not None:
            reasons.extend(implausible_reasons(version, current[0], current[1]))
        if version.report_id in conflicts:
            reasons.append(conflicts[version.report_id])
        status, reason = _decided(version, reasons)
        if status == CURRENT:
            if current is not None:
                reviews[current[0].report_id] = Review(current[0].report_id, SUPERSEDED, None, current[1])
            current = (version, number)
        reviews[version.report_id] = Review(version.report_id, status, reason, number)
    return [reviews[v.report_id] for v in ordered]


def review_all(versions: Iterable[VersionFacts], template_rows: Mapping[str, int]) -> dict[str, Review]:
    """Reviews of every version; unresolved versions are grouped by file name (held out)."""
    groups: dict[tuple[object, ...], list[VersionFacts]] = {}
    for v in versions:
        key = v.group if v.group is not None else ("file", v.source_file)
        groups.setdefault(key, []).append(v)
    return {r.report_id: r for group in groups.values() for r in review_group(group, template_rows)}
