"""Recognizing parsed statistic rows as rows of their family's template.

Each family has a template row list (seeds/template_rows/template_rows_<family>.csv).
A report's rows are aligned to it section by section with an ORDER-PRESERVING
alignment: dynamic programming that maximizes the total label similarity
(rapidfuzz on :func:`ingest.text.label_key`), each template row used at most once.
Order is what tells repeated labels apart ("Số VBQPPL có kiến nghị xử lý đã được xử
lý xong" under 2.2 and again under 3.2); the similarity of the parents and an equal
row code break ties. Copies of a template add, drop and misspell rows: added rows stay
unrecognized (with the best candidate and its score in the note), dropped template
rows are simply not used, misspelled labels still score high.

Labels typed without diacritics ("Tong so ho so tiep nhan") get a second chance: rows left
unrecognized are compared again on labels folded to plain letters
(:func:`ingest.text.fold_diacritics`), only with the template rows that the first pass left free
between its neighbours' matches (so order still holds). Such a match keeps its (folded) score and
says so: ``RowMatch.folded`` is True and its note is :data:`FOLDED_NOTE`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from ingest.errors import TemplateRowsError
from ingest.paths import SEEDS_DIR
from ingest.records import StatRow
from ingest.text import fold_diacritics, label_key

THRESHOLD = 80.0  # label similarity (0..100) below which a row is not recognized
PARENT_WEIGHT = 0.1  # share of the parents' similarity added to a pair's weight
CODE_BONUS = 2.0  # added to a pair's weight when the printed row codes agree
TEMPLATE_COLUMNS = (
    "template_row_id",
    "section_code",
    "parent_template_row_id",
    "row_code",
    "label_vi",
    "unit_vi",
)
FOLDED_NOTE = "recognized on the labels without diacritics"
TEMPLATE_DIR = SEEDS_DIR / "template_rows"

_PARENS = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class TemplateRow:
    template_row_id: str
    section_code: str
    parent_template_row_id: str | None
    row_code: str
    label_vi: str
    unit_vi: str


@dataclass(frozen=True)
class RowMatch:
    """The template row a parsed row was recognized as (or why it was not)."""

    row_seq: int
    template_row_id: str | None
    score: float | None  # label similarity 0..100 of the chosen template row; None when not recognized
    note: str  # "" when recognized cleanly; otherwise the best candidate and its score
    folded: bool = False  # True when recognized only on the labels without diacritics (second chance)


def template_rows_path(family: str, template_dir: Path | None = None) -> Path:
    return (template_dir or TEMPLATE_DIR) / f"template_rows_{family}.csv"


def parse_template_rows(text: str, source_file: str) -> tuple[TemplateRow, ...]:
    """Read a template row list from CSV text (pure)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = [c for c in TEMPLATE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise TemplateRowsError(
            f"template row list lacks column(s) {missing}", source_file=source_file, line=1
        )
    rows: list[TemplateRow] = []
    seen: set[str] = set()
    for record in reader:
        line = reader.line_num
        row_id = (record.get("template_row_id") or "").strip()
        if not row_id:
            raise TemplateRowsError("empty template_row_id", source_file=source_file, line=line)
        if row_id in seen:
            raise TemplateRowsError(
                f"template_row_id {row_id!r} repeated", source_file=source_file, line=line
            )
        seen.add(row_id)
        rows.append(
            TemplateRow(
                template_row_id=row_id,
                section_code=(record.get("section_code") or "").strip(),
                parent_template_row_id=(record.get("parent_template_row_id") or "").strip() or None,
                row_code=(record.get("row_code") or "").strip(),
                label_vi=(record.get("label_vi") or "").strip(),
                unit_vi=(record.get("unit_vi") or "").strip(),
            )
        )
    return tuple(rows)


def load_template_rows(family: str, template_dir: Path | None = None) -> tuple[TemplateRow, ...] | None:
    """The template rows of a family, or None when the family has no template row list yet.

    Read once per process while the file is unchanged (same size and modification time).
    """
    path = template_rows_path(family, template_dir)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return _template_rows_of(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _template_rows_of(path: Path, size: int, mtime_ns: int) -> tuple[TemplateRow, ...]:
    """The rows of the template row list at ``path`` as it was at (``size``, ``mtime_ns``)."""
    del size, mtime_ns  # part of the cache key only
    return parse_template_rows(path.read_text(encoding="utf-8"), str(path))


def _section_key(code: str) -> str:
    return re.sub(r"[\s.]+", " ", code).strip().casefold()


def _code_key(code: str) -> str:
    return code.strip().rstrip(".").strip()


@lru_cache(maxsize=1 << 16)
def _variants(key: str) -> str:
    """The label key without parenthesized remarks ("(Lũy kế đến thời điểm báo cáo)")."""
    stripped = " ".join(_PARENS.sub(" ", key).split())
    return stripped or key


def _similarity_rows(queries: Sequence[str], choices: Sequence[str]) -> NDArray[np.float64]:
    """Similarity of every query (rows of the result) to every choice: rapidfuzz's cdist, computed."""
    q_stripped = [_variants(q) for q in queries]
    c_stripped = [_variants(c) for c in choices]
    matrices = [
        process.cdist(queries, choices, scorer=fuzz.ratio),
        process.cdist(queries, choices, scorer=fuzz.token_sort_ratio),
        process.cdist(q_stripped, c_stripped, scorer=fuzz.ratio),
    ]
    result: NDArray[np.float64] = np.maximum.reduce([np.asarray(m, dtype=np.float64) for m in matrices])
    return result


class _SimilarityCache:
    """Rows of similarity already computed, per list of choices (a section's template labels).

    Reports of one template repeat its labels: a row's similarities to the same choices are computed
    once per process. Bounded: a list of choices forgets its rows past ``limit`` of them.
    """

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.rows: dict[tuple[str, ...], dict[str, NDArray[np.float64]]] = {}

    def matrix(self, queries: Sequence[str], choices: Sequence[str]) -> NDArray[np.float64]:
        known = self.rows.setdefault(tuple(choices), {})
        missing = list(dict.fromkeys(q for q in queries if q not in known))
        if missing:
            if len(known) + len(missing) > self.limit:
                known.clear()
            known.update(zip(missing, _similarity_rows(missing, choices), strict=True))
        return np.array([known[q] for q in queries], dtype=np.float64)


_SIMILARITIES = _SimilarityCache()


def similarity_matrix(queries: Sequence[str], choices: Sequence[str]) -> NDArray[np.float64]:
    """Similarity 0..100 of every query key to every choice key.

    The best of plain ratio and token-sort ratio, on the keys as written and on the keys
    without parenthesized remarks (copies add or drop those remarks). Rows already computed for
    the same choices are reused (:class:`_SimilarityCache`).
    """
    if not queries or not choices:
        return np.zeros((len(queries), len(choices)), dtype=np.float64)
    return _SIMILARITIES.matrix(queries, choices)


def _close(a: float, b: float) -> bool:
    """``np.isclose(a, b)`` for two finite floats (its default tolerances), without the array machinery."""
    return abs(a - b) <= 1e-08 + 1e-05 * abs(b)


def _alignment_table(weights: NDArray[np.float64], allowed: NDArray[np.bool_]) -> NDArray[np.float64]:
    """best[i, j]: the best total weight aligning the first i rows with the first j candidates.

    Row by row: best[i, j] = max(best[i-1, j], best[i, j-1], best[i-1, j-1] + w[i-1, j-1] if allowed),
    the dependency on best[i, j-1] being a running maximum along the row (weights are >= 0).
    """
    n, m = weights.shape
    best = np.zeros((n + 1, m + 1), dtype=np.float64)
    for i in range(1, n + 1):
        diagonal = np.where(allowed[i - 1], best[i - 1, :-1] + weights[i - 1], -np.inf)
        best[i, 1:] = np.maximum.accumulate(np.maximum(best[i - 1, 1:], diagonal))
    return best


def _align(weights: NDArray[np.float64], allowed: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Order-preserving alignment maximizing the total weight of allowed pairs."""
    n, m = weights.shape
    best = _alignment_table(weights, allowed).tolist()
    w, ok = weights.tolist(), allowed.tolist()
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        if ok[i - 1][j - 1] and _close(best[i][j], best[i - 1][j - 1] + w[i - 1][j - 1]):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif _close(best[i][j], best[i - 1][j]):
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


def recognize_rows(
    rows: Sequence[StatRow], template: Sequence[TemplateRow], threshold: float = THRESHOLD
) -> tuple[RowMatch, ...]:
    """Match every parsed row to a template row of the same section, preserving order.

    Rows left unrecognized get a second chance on labels without diacritics (see the module doc).
    """
    by_section: dict[str, list[TemplateRow]] = {}
    for t in template:
        by_section.setdefault(_section_key(t.section_code), []).append(t)
    rows_by_section: dict[str, list[StatRow]] = {}
    for r in rows:
        rows_by_section.setdefault(_section_key(r.section_code), []).append(r)
    parents = _Parents({r.row_path: r.label for r in rows}, {t.template_row_id: t.label_vi for t in template})
    matches: dict[int, RowMatch] = {}
    for section, section_rows in rows_by_section.items():
        candidates = by_section.get(section, [])
        if not candidates:
            for r in section_rows:
                matches[r.seq] = RowMatch(
                    r.seq, None, None, f"section {r.section_code!r} is not in the template"
                )
            continue
        for match in _recognize_section(section_rows, candidates, parents, threshold):
            matches[match.row_seq] = match
    return tuple(matches[r.seq] for r in rows)


@dataclass(frozen=True)
class _Parents:
    """The labels of the parents: parsed rows by row path, template rows by id."""

    row_labels: dict[str, str]
    template_labels: dict[str, str]


def _keys(labels: Sequence[str], folded: bool) -> list[str]:
    keys = [label_key(label) for label in labels]
    return [fold_diacritics(key) for key in keys] if folded else keys


def _pair_weights(
    rows: Sequence[StatRow], candidates: Sequence[TemplateRow], parents: _Parents, folded: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The label similarities of rows x candidates and the alignment weights built on them."""
    sims = similarity_matrix(
        _keys([r.label for r in rows], folded), _keys([t.label_vi for t in candidates], folded)
    )
    parent_sims = similarity_matrix(
        _keys([parents.row_labels.get(r.parent_row_path or "", "") for r in rows], folded),
        _keys([parents.template_labels.get(t.parent_template_row_id or "", "") for t in candidates], folded),
    )
    row_codes = np.array([_code_key(r.row_code) for r in rows], dtype=object)
    candidate_codes = np.array([_code_key(t.row_code) for t in candidates], dtype=object)
    codes = (row_codes[:, None] == candidate_codes[None, :]) & (row_codes != "")[:, None]
    return sims, sims + PARENT_WEIGHT * parent_sims + CODE_BONUS * codes


def _free_between(chosen: dict[int, int], n_rows: int, n_candidates: int) -> NDArray[np.bool_]:
    """For each row without a match, the candidates strictly between its matched neighbours' ones."""
    free = np.zeros((n_rows, n_candidates), dtype=bool)
    for i in range(n_rows):
        if i in chosen:
            continue
        low = max((j for k, j in chosen.items() if k < i), default=-1)
        high = min((j for k, j in chosen.items() if k > i), default=n_candidates)
        free[i, low + 1 : high] = True
    return free


_SectionKey = tuple[tuple[tuple[int, str, str, str], ...], tuple[TemplateRow, ...], tuple[str, ...], float]


class _SectionCache:
    """The matches of a section already recognized, keyed on everything they depend on.

    Reports of one family repeat their sections row for row (same sequence numbers, labels, parent
    labels and codes against the same template rows): the alignment is computed once per process.
    Bounded: forgets everything past ``limit`` sections.
    """

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.known: dict[_SectionKey, tuple[RowMatch, ...]] = {}

    def matches(
        self, rows: Sequence[StatRow], candidates: Sequence[TemplateRow], parents: _Parents, threshold: float
    ) -> tuple[RowMatch, ...]:
        row_parents = parents.row_labels
        key: _SectionKey = (
            tuple((r.seq, r.label, row_parents.get(r.parent_row_path or "", ""), r.row_code) for r in rows),
            tuple(candidates),
            tuple(parents.template_labels.get(t.parent_template_row_id or "", "") for t in candidates),
            threshold,
        )
        found = self.known.get(key)
        if found is None:
            if len(self.known) >= self.limit:
                self.known.clear()
            found = self.known[key] = tuple(_align_section(rows, candidates, parents, threshold))
        return found


_SECTIONS = _SectionCache()


def _recognize_section(
    rows: Sequence[StatRow], candidates: Sequence[TemplateRow], parents: _Parents, threshold: float
) -> tuple[RowMatch, ...]:
    return _SECTIONS.matches(rows, candidates, parents, threshold)


def _align_section(
    rows: Sequence[StatRow], candidates: Sequence[TemplateRow], parents: _Parents, threshold: float
) -> list[RowMatch]:
    sims, weights = _pair_weights(rows, candidates, parents, folded=False)
    chosen = dict(_align(weights, sims >= threshold))
    folded_sims, folded_weights = _pair_weights(rows, candidates, parents, folded=True)
    second = (folded_sims >= threshold) & _free_between(chosen, len(rows), len(candidates))
    folded = dict(_align(folded_weights, second)) if second.any() else {}
    taken_by = {j: rows[i].seq for i, j in chosen.items()}
    taken_by.update({j: rows[i].seq for i, j in folded.items()})
    matches: list[RowMatch] = []
    for i, r in enumerate(rows):
        if i in chosen:
            j = chosen[i]
            matches.append(RowMatch(r.seq, candidates[j].template_row_id, round(float(sims[i, j]), 2), ""))
        elif i in folded:
            j = folded[i]
            score = round(float(folded_sims[i, j]), 2)
            matches.append(RowMatch(r.seq, candidates[j].template_row_id, score, FOLDED_NOTE, folded=True))
        else:
            matches.append(_unrecognized(r, candidates, sims[i], taken_by, threshold))
    return matches


def _unrecognized(
    row: StatRow,
    candidates: Sequence[TemplateRow],
    sims: NDArray[np.float64],
    taken_by: dict[int, int],
    threshold: float,
) -> RowMatch:
    j = int(np.argmax(sims))
    best = candidates[j]
    score = float(sims[j])
    if score < threshold:
        why = f"below threshold {threshold:g}"
    elif j in taken_by:
        why = f"that template row is matched to row {taken_by[j]}"
    else:
        why = "out of template order"
    return RowMatch(
        row.seq,
        None,
        None,
        f"not recognized: best candidate {best.template_row_id} {best.label_vi!r} scores {score:.1f} ({why})",
    )
