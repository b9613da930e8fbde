"""A template family's layout, taken from its sample report and calibrated against its parser.

The sample report of a family is parsed once by the family's own parser and recognized
against seeds/template_rows; every recognized statistic row gets a value slot (the span
of its value cell in its line; an empty cell becomes a slot at the value column, or after
the unit word in PDF text) and, where the crosswalk reads a figure from the note
(``909 trước hạn``, ``99,95%``), a note slot. The text is cut into pieces: literal text,
labels (where typos go), slots, and the names of the unit, province, district and period
(replaced per report). Calibration then writes a distinct number into every slot, parses
the result with the real parser and keeps only the slots that read back as written, so
that a generated report states exactly the values the generator meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ingest.detect import detect_and_parse
from ingest.recognize import load_template_rows, recognize_rows
from ingest.records import NoteFact, ParseResult, StatRow
from synth.catalogue import crosswalk, sample_path

# Tab column of the value cell in the tab-separated families (0-based).
VALUE_COLUMN = {"soctrang_2021": 2, "soctrang_2022": 3, "national_2023": 3}
_NUMBER = re.compile(r"\d[\d.,]*")
_WORDS_AFTER = re.compile(r"^\s*[\d.,/%]+\s*(\D*)$")


@dataclass(frozen=True)
class Style:
    """How the sample wrote a cell, so that generated values are written alike."""

    percent_sign: bool = False
    tail: str = ""  # words after the figure: "Văn bản" of "11 Văn bản", "xã" of "10/10 xã"
    ratio: bool = False
    zero_pad: bool = False
    prefix: str = ""  # " " when the slot is inserted after a unit word (PDF text)


@dataclass(frozen=True)
class Slot:
    index: int
    template_row_id: str
    indicator_code: str | None
    note: bool  # True: a figure in the note column; False: the value cell
    line_no: int  # 1-based line of the slot in the generated text
    style: Style
    blankable: bool = True  # an empty cell reads back as "not reported" (not another cell's figure)
    forms: frozenset[str] = frozenset()  # word forms ("yes", "no", "not_yet", "over_90") read back right


@dataclass(frozen=True)
class Piece:
    kind: str  # "text" | "label" | "slot" | "name"
    text: str  # literal text; the label; the name key ("unit", "period", ...)
    slot: int = -1
    upper: bool = False  # for names: written in capitals in the sample
    title: bool = False  # for names: first letter capital in the sample


@dataclass(frozen=True)
class Skeleton:
    family: str
    pieces: tuple[Piece, ...]
    slots: tuple[Slot, ...]
    template_row_ids: tuple[str, ...]  # every recognized row of the sample, in order
    line_count: int
    dropped_slots: tuple[str, ...]  # template rows whose slot did not read back


@dataclass(frozen=True)
class _Span:
    line: int  # 0-based
    start: int
    end: int
    slot: Slot


def _tab_field(line: str, column: int) -> tuple[int, int] | None:
    fields = line.split("\t")
    if len(fields) <= column:
        return None
    start = sum(len(f) + 1 for f in fields[:column])
    return start, start + len(fields[column])


def _value_column(family: str, row: StatRow, line: str) -> int:
    """The tab column of the value cell; one less on a row that lost its leading tab (the parser
    shifts a row whose label sits in the STT column back, ingest.families.tabular)."""
    column = VALUE_COLUMN[family]
    first = line.split("\t", 1)[0].strip()
    return column - 1 if first and not row.row_code.strip() else column


def _style(raw: str) -> Style:
    stripped = raw.strip()
    tail_match = _WORDS_AFTER.match(stripped)
    tail = tail_match.group(1).strip() if tail_match else ""
    return Style(
        percent_sign="%" in stripped,
        tail="" if tail in ("%", "") else tail,
        ratio="/" in stripped,
        zero_pad=bool(re.match(r"^0\d", stripped)),
    )


def _value_span(family: str, row: StatRow, lines: Sequence[str]) -> tuple[int, int, int, Style] | None:
    raw = row.value.raw.strip()
    for i in range(row.line_start - 1, row.line_end):
        line = lines[i]
        if not raw:
            break
        if family in VALUE_COLUMN:
            span = _tab_field(line, _value_column(family, row, line))
            if span and line[span[0] : span[1]].strip() == raw:
                return i, span[0], span[1], _style(raw)
        elif (pos := line.rfind(raw)) >= 0:
            return i, pos, pos + len(raw), _style(raw)
    if raw:
        return None
    return _empty_span(family, row, lines)


def _empty_span(family: str, row: StatRow, lines: Sequence[str]) -> tuple[int, int, int, Style] | None:
    i = row.line_start - 1
    line = lines[i]
    if family in VALUE_COLUMN:
        span = _tab_field(line, _value_column(family, row, line))
        return (i, span[0], span[1], Style()) if span else None
    unit = row.raw_unit.strip()
    if not unit or (pos := line.rfind(unit)) < 0:
        return None
    end = pos + len(unit)
    return i, end, end, Style(prefix=" ")


def _note_fact(row: StatRow, keyword: str) -> NoteFact | None:
    for fact in row.note_facts:
        if keyword == "%" and "%" in fact.raw:
            return fact
        if keyword == "#" or (fact.keyword and keyword.casefold() in fact.keyword.casefold()):
            return fact
    return None


def _note_span(row: StatRow, keyword: str, lines: Sequence[str]) -> tuple[int, int, int, Style] | None:
    fact = _note_fact(row, keyword)
    if fact is None:
        return None
    i = fact.line_start - 1
    number = _NUMBER.search(fact.raw)
    if number is None:
        return None
    # the fact's text up to its figure: a note broken over lines ("909 trước" / "hạn") has its
    # figure on its first line
    pos = lines[i].find(fact.raw[: number.end()])
    if pos < 0:
        return None
    return i, pos + number.start(), pos + number.end(), Style(percent_sign=keyword == "%")


def _spans(family: str, parsed: ParseResult, lines: Sequence[str]) -> tuple[list[_Span], list[str]]:
    matches = recognize_rows(parsed.rows, load_template_rows(family) or ())
    by_row: dict[str, list[tuple[str, str]]] = {}
    for m in crosswalk(family):
        by_row.setdefault(m.template_row_id, []).append((m.indicator_code, m.note_keyword))
    spans: list[_Span] = []
    ids: list[str] = []
    for row, match in zip(parsed.rows, matches, strict=True):
        if match.template_row_id is None:
            continue
        ids.append(match.template_row_id)
        mapped = by_row.get(match.template_row_id, [])
        value_code = next((code for code, kw in mapped if not kw), None)
        found = _value_span(family, row, lines)
        if found and (value_code is not None or row.value.raw.strip()):  # headings stay empty
            spans.append(_make_span(len(spans), match.template_row_id, value_code, False, found))
        for code, keyword in mapped:
            note = _note_span(row, keyword, lines) if keyword else None
            if note:
                spans.append(_make_span(len(spans), match.template_row_id, code, True, note))
    return spans, ids


def _make_span(
    index: int, row_id: str, code: str | None, note: bool, found: tuple[int, int, int, Style]
) -> _Span:
    line, start, end, style = found
    return _Span(line, start, end, Slot(index, row_id, code, note, line + 1, style))


def _label_pieces(text: str, labels: Sequence[str]) -> list[Piece]:
    if not labels:
        return [Piece("text", text)]
    pattern = re.compile("|".join(re.escape(lab) for lab in sorted(labels, key=len, reverse=True)))
    out: list[Piece] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(Piece("text", text[pos : m.start()]))
        out.append(Piece("label", m.group(0)))
        pos = m.end()
    out.append(Piece("text", text[pos:]))
    return out


def _name_pieces(piece: Piece, names: re.Pattern[str], keys: dict[str, str]) -> list[Piece]:
    if piece.kind != "text":
        return [piece]
    out: list[Piece] = []
    pos = 0
    for m in names.finditer(piece.text):
        out.append(Piece("text", piece.text[pos : m.start()]))
        found = m.group(0)
        out.append(Piece("name", keys[found.casefold()], upper=found.isupper(), title=found[:1].isupper()))
        pos = m.end()
    out.append(Piece("text", piece.text[pos:]))
    return out


def _cut(lines: Sequence[str], spans: Sequence[_Span], labels: dict[int, list[str]]) -> list[Piece]:
    """The text as pieces: slots at their spans, labels on their lines, text between."""
    by_line: dict[int, list[_Span]] = {}
    for span in spans:
        by_line.setdefault(span.line, []).append(span)
    pieces: list[Piece] = []
    for i, line in enumerate(lines):
        pos = 0
        for span in sorted(by_line.get(i, []), key=lambda s: s.start):
            pieces.extend(_label_pieces(line[pos : span.start], labels.get(i, [])))
            pieces.append(Piece("slot", "", slot=span.slot.index))
            pos = span.end
        pieces.extend(_label_pieces(line[pos:], labels.get(i, [])))
        pieces.append(Piece("text", "\n"))
    return [p for p in pieces if p.kind != "text" or p.text]


def _drop_overlaps(spans: list[_Span]) -> list[_Span]:
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.line, s.start)):
        if kept and kept[-1].line == span.line and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def name_pattern(names: dict[str, str]) -> re.Pattern[str]:
    variants = sorted(names, key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in variants), re.IGNORECASE)


def _raw_skeleton(family: str, names: dict[str, str]) -> Skeleton:
    text = sample_path(family).read_text(encoding="utf-8")
    parsed = detect_and_parse(text, sample_path(family).name, template=family).result
    lines = text.split("\n")
    spans, ids = _spans(family, parsed, lines)
    spans = _drop_overlaps(spans)
    labels: dict[int, list[str]] = {}
    for row in parsed.rows:
        if row.raw_label.strip() and "\n" not in row.raw_label:
            labels.setdefault(row.line_start - 1, []).append(row.raw_label.strip())
    pattern = name_pattern(names)
    keys = {k.casefold(): v for k, v in names.items()}
    pieces = [q for p in _cut(lines, spans, labels) for q in _name_pieces(p, pattern, keys)]
    slots = tuple(s.slot for s in spans)
    return Skeleton(family, tuple(pieces), slots, tuple(ids), len(lines), ())


def sample_names(family: str) -> dict[str, str]:
    """The sample's unit, province, district and period as written -> the key replaced per report."""
    from synth.units import sample_unit

    unit = sample_unit(family)
    names = {unit.full_name: "unit", unit.name: "unit_bare", unit.province: "province_bare"}
    if unit.district:
        names[unit.district] = "district_bare"
        # the commune sample writes "UBND thị trấn" alone and breaks "thị trấn / Cát Thành" over lines
        names[unit.full_name.removesuffix(unit.name).strip()] = "unit_type"
    names[unit.period_text] = "period"
    names[str(unit.year)] = "year"
    return names


def with_slots(
    skeleton: Skeleton, keep: set[int], blankable: set[int], forms: dict[int, frozenset[str]] | None = None
) -> Skeleton:
    """The skeleton with only the kept slots; a dropped slot's cell keeps the sample's text."""
    raw = _raw_skeleton(skeleton.family, sample_names(skeleton.family))
    text_of = _slot_texts(raw.family)
    pieces = tuple(
        p if p.kind != "slot" or p.slot in keep else Piece("text", text_of.get(p.slot, ""))
        for p in raw.pieces
    )
    found = forms or {}
    slots = tuple(
        replace(s, blankable=s.index in blankable, forms=found.get(s.index, frozenset()))
        for s in raw.slots
        if s.index in keep
    )
    dropped = tuple(s.template_row_id for s in raw.slots if s.index not in keep)
    return replace(raw, pieces=pieces, slots=slots, dropped_slots=dropped)


def _slot_texts(family: str) -> dict[int, str]:
    """The sample's own text of every slot (kept where calibration drops a slot)."""
    text = sample_path(family).read_text(encoding="utf-8")
    parsed = detect_and_parse(text, sample_path(family).name, template=family).result
    lines = text.split("\n")
    spans, _ = _spans(family, parsed, lines)
    return {s.slot.index: lines[s.line][s.start : s.end] for s in _drop_overlaps(spans)}


@lru_cache(maxsize=8)
def skeleton(family: str) -> Skeleton:
    """The calibrated skeleton of a family (see the module docstring)."""
    from synth.calibrate import calibrate

    raw = _raw_skeleton(family, sample_names(family))
    from synth.calibrate import form_slots

    keep, blankable = calibrate(raw)
    return with_slots(raw, keep, blankable, form_slots(raw))
