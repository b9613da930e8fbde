"""Synth's long-format rows (``cchc synth --rows``) straight into the warehouse's ``raw`` schema.

For national-volume benchmarks (226,000 reports, ~30 M values) the text path (parse, recognise,
validate every file) is the cost being measured elsewhere; here the rows skip it and land in the
same tables and columns ``ingest/writer.py`` writes, lineage included, as a real load of the same
reports would leave them:

* per family, once: one report is rendered to text and run through the real ingest path
  (:func:`ingest.prepare.prepare_report`, the batch expectations of ``ingest/checks.py``): its
  frames are the family's *template* (every statistic row, note figure, line class, narrative
  block, quarantined line and validation outcome), kept in temp tables;
* per report: the template's rows with the report's own ``report_id`` and ``source_file``, every
  value cell replaced by the row's ``raw_value`` read by the real value parser
  (:func:`ingest.values.parse_value`, cached per distinct cell) and every note that carries a
  figure re-read (:func:`ingest.values.extract_note_facts`); the lines that hold a value or a name
  (unit, province, period) rebuilt from the report's text (rendered from its skeleton, as
  ``cchc synth`` writes it), the header read from that text (:func:`ingest.header.detect_header`);
* per Parquet part, one transaction: the reports' rows through ``ingest/writer.py`` and every
  other table as one ``INSERT ... SELECT`` of the templates joined to the part's reports, with
  only what differs per report (cells, notes, lines, blocks) joined in from Python columns;
* the reports' units and periods are then resolved by the real intake (:func:`ingest.intake.redecide`
  on the official register), exactly as after ``cchc ingest``.

What differs from loading the text files: label typos (``cchc synth`` text mode puts some in 30 %
of the reports) are not in the rows, so labels and recognition scores are the template's; the
report id is the sha256 of the rendered text (what the file of that text would get) and the
source path names the Parquet part. Memory is bounded by one Parquet part at a time.
"""

from __future__ import annotations

import csv
import hashlib
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ingest import __version__
from ingest.checks import check_batch
from ingest.errors import CchcError
from ingest.families.soctrang_2021 import SPEC as SOCTRANG_2021_SPEC
from ingest.frames import dec, validation_frame
from ingest.header import detect_header
from ingest.intake import BatchTouch, redecide
from ingest.load import default_context
from ingest.prepare import PreparedReport, prepare_report
from ingest.register_load import sync_register
from ingest.text import split_lines
from ingest.values import extract_note_facts, parse_value
from ingest.writer import ensure_schema, insert_frame, rollback_quietly
from synth.render import render
from synth.report import make_report, names_for
from synth.skeleton import Skeleton, skeleton
from synth.units import Period, ReportUnit, _report_unit, candidate_units, level_of

# What each family's parser reads note figures from (ingest/families/*: tabular reads the cleaned
# note, the national forms the note as written).
NOTE_SOURCE = {
    "soctrang_2021": "note",
    "soctrang_2022": "note",
    "national_2023": "raw_note",
    "national_commune_2024": "raw_note",
}
# The names swapped in narrative and note text (a year is too common a word to swap).
RENAMED = ("unit", "unit_bare", "unit_type", "province_bare", "district_bare", "period")
# Families whose unit is written in the value cell ("25 Nhiệm vụ"): the row's unit is the value's.
UNIT_IN_VALUE = frozenset({"soctrang_2021"} if SOCTRANG_2021_SPEC.unit_in_value else ())
_VALUE_COLUMNS = (
    "value_kind", "value_number", "qualifier", "numerator", "denominator", "value_text", "unit_in_value",
)  # fmt: skip
_NOTE_FACT_COLUMNS = (
    "fact_seq", "line_start", "line_end", "raw_text", "keyword", "value_kind",
    "value_number", "qualifier", "numerator", "denominator",
)  # fmt: skip


class RowsLoadError(CchcError):
    """The rows do not fit their family's template (a part written by another synth version)."""


@dataclass(frozen=True)
class NoteSlot:
    """A figure in a row's note: the note around it, as the template wrote it."""

    row_seq: int
    line_start: int
    line_end: int
    raw_parts: tuple[str, str]  # raw_note before / after the figure
    note_parts: tuple[str, str]  # note before / after the figure


@dataclass(frozen=True)
class Template:
    """One family's rows as the real ingest path reads its rendered report."""

    family: str
    prepared: PreparedReport
    validation: pd.DataFrame
    names: dict[str, str]  # the names the template's text was rendered with
    value_rows: tuple[int | None, ...]  # per slot position: the statistic row_seq of a value cell
    note_slots: dict[int, NoteSlot]  # slot position -> its note
    dynamic_lines: tuple[int, ...]  # 1-based lines holding a value or a name (rebuilt per report)
    # (row_seq, raw_note, note, line_start, line_end) of the rows whose note holds a figure or a name
    note_rows: tuple[tuple[int, str, str, int, int], ...]
    named_blocks: tuple[tuple[int, str, str], ...]  # (block_seq, heading, text) of blocks naming the unit
    raw_units: dict[int, str]  # row_seq -> the unit cell as written


def _dynamic_lines(sk: Skeleton) -> tuple[int, ...]:
    """The lines of the family's text holding a slot or a name (the others are the same in every report)."""
    line, found = 1, set()
    for piece in sk.pieces:
        if piece.kind in ("slot", "name"):
            found.add(line)
        line += piece.text.count("\n") if piece.kind in ("text", "label") else 0
    return tuple(sorted(found))


def _value_row(rows: pd.DataFrame, template_row_id: str, line_no: int) -> int:
    hit = rows[
        (rows["template_row_id"] == template_row_id)
        & (rows["line_start"] <= line_no)
        & (rows["line_end"] >= line_no)
    ]
    if len(hit) != 1:
        raise RowsLoadError(f"template row {template_row_id} at line {line_no}: {len(hit)} statistic rows")
    return int(hit["row_seq"].iloc[0])


def _split(text: str, figure: str, what: str) -> tuple[str, str]:
    if not figure or text.count(figure) != 1:
        raise RowsLoadError(f"{what}: the figure {figure!r} is not once in {text!r}")
    before, _, after = text.partition(figure)
    return before, after


def _note_slot(rows: pd.DataFrame, row_seq: int, figure: str) -> NoteSlot:
    row = rows[rows["row_seq"] == row_seq].iloc[0]
    what = f"note of row {row_seq}"
    return NoteSlot(
        row_seq,
        int(row["line_start"]),
        int(row["line_end"]),
        _split(str(row["raw_note"]), figure, what),
        _split(str(row["note"]), figure, what),
    )


@lru_cache(maxsize=8)
def template(family: str) -> Template:
    """The family's template: one report rendered and read by the real ingest path (see module doc)."""
    sk = skeleton(family)
    unit = candidate_units(level_of(family))[0]
    report = make_report(family, unit, Period.parse("2023-Q1"), seed=0)
    text = render(sk, report.slot_texts, names_for(unit, report.period))  # no label typos
    now = datetime.now(UTC).replace(tzinfo=None)
    prepared = prepare_report(Path(report.file_name), text.encode("utf-8"), template=family, now=now)
    frames = prepared.frames
    outcomes = check_batch(
        frames.statistic_rows, frames.line_classes, {prepared.report_id: prepared.line_count}
    )[prepared.report_id]
    rows = frames.statistic_rows
    if list(frames.line_classes["line_no"]) != list(range(1, prepared.line_count + 1)):
        raise RowsLoadError(f"{family}: the template's line classes are not one per line in order")
    value_rows: list[int | None] = []
    notes: dict[int, NoteSlot] = {}
    for pos, slot in enumerate(sk.slots):
        row_seq = _value_row(rows, slot.template_row_id, slot.line_no)
        value_rows.append(None if slot.note else row_seq)
        if slot.note:
            notes[pos] = _note_slot(rows, row_seq, report.slot_texts[slot.index].strip())
    validation = validation_frame(outcomes, prepared.report_id, prepared.source_file, now)
    names = names_for(unit, report.period)
    named = [v for k, v in names.items() if k in RENAMED and v]
    # a note's figures are located on the note's own lines (the commune form's note may start on a
    # later line than its row), as the template's parse located them
    facts = frames.note_values
    note_lines = {
        int(seq): (int(start), int(end))
        for seq, start, end in zip(facts["row_seq"], facts["line_start"], facts["line_end"], strict=True)
    }
    note_rows = tuple(
        (
            int(r.row_seq),
            str(r.raw_note),
            str(r.note),
            *note_lines.get(int(r.row_seq), (int(r.line_start), int(r.line_end))),
        )
        for r in rows.itertuples()
        if int(r.row_seq) in {s.row_seq for s in notes.values()}
        or any(n.casefold() in f"{r.raw_note} {r.note}".casefold() for n in named)
    )
    blocks = frames.narrative_blocks
    named_blocks = tuple(
        (int(b.block_seq), str(b.heading), str(b.text))
        for b in blocks.itertuples()
        if any(n.casefold() in f"{b.heading} {b.text}".casefold() for n in named)
    )
    raw_units = {int(r): str(u) for r, u in zip(rows["row_seq"], rows["raw_unit"], strict=True)}
    return Template(
        family, prepared, validation, names, tuple(value_rows), notes, _dynamic_lines(sk), note_rows,
        named_blocks, raw_units,
    )  # fmt: skip


@lru_cache(maxsize=200_000)
def _read_value(raw_value: str, raw_unit: str) -> tuple[Any, ...]:
    v = parse_value(raw_value, raw_unit)
    return (
        str(v.kind),
        dec(v.number),
        v.qualifier,
        dec(v.numerator),
        dec(v.denominator),
        v.text,
        v.unit_in_value,
    )


@lru_cache(maxsize=50_000)
def _read_note(source: str, line_start: int, line_end: int) -> tuple[tuple[Any, ...], ...]:
    facts = extract_note_facts(source, line_start, line_end)
    return tuple(
        (
            k,
            f.line_start or line_start,
            f.line_end or line_end,
            f.raw,
            f.keyword,
            str(f.value.kind),
            dec(f.value.number),
            f.value.qualifier,
            dec(f.value.numerator),
            dec(f.value.denominator),
        )
        for k, f in enumerate(facts, start=1)
    )


@dataclass(frozen=True)
class _Listed:
    """One line of synth's reports.csv."""

    file: str
    report_key: str
    family: str
    gso_code: str
    period: str


def _listing(folder: Path) -> dict[str, _Listed]:
    with (folder / "reports.csv").open(encoding="utf-8", newline="") as handle:
        return {
            r["report_key"]: _Listed(r["file"], r["report_key"], r["family"], r["unit_gso_code"], r["period"])
            for r in csv.DictReader(handle)
        }


@lru_cache(maxsize=20_000)
def _unit(gso_code: str) -> ReportUnit:
    from ingest.register import load_register

    return _report_unit(load_register().unit(gso_code))


_CELL_COLUMNS = ("report_id", "row_seq", "raw_value", *_VALUE_COLUMNS, "unit")
_NOTE_COLUMNS = ("report_id", "row_seq", "raw_note", "note")
_FACT_COLUMNS = ("report_id", "row_seq", *_NOTE_FACT_COLUMNS)
_LINE_COLUMNS = ("report_id", "line_no", "line_text")
_BLOCK_COLUMNS = ("report_id", "block_seq", "heading", "text")


@dataclass
class _Part:
    """One Parquet part being assembled: the reports and, per report, only what differs from the
    template (value cells, notes, lines and narrative naming the unit), as columns."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    cells: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in _CELL_COLUMNS})
    notes: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in _NOTE_COLUMNS})
    facts: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in _FACT_COLUMNS})
    lines: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in _LINE_COLUMNS})
    blocks: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in _BLOCK_COLUMNS})

    def add(self, into: dict[str, list[Any]], *values: Any) -> None:
        for column, value in zip(into, values, strict=True):
            into[column].append(value)


def _case_variants(text: str) -> tuple[str, ...]:
    return (text, text.upper(), text[:1].upper() + text[1:])


def _renamer(t: Template, names: dict[str, str]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """Template names (as written, upper case, capitalised) -> the report's, longest first."""
    swap: dict[str, str] = {}
    for key, old in t.names.items():
        if key not in RENAMED:
            continue
        if old and old != names[key]:
            for variant, new in zip(_case_variants(old), _case_variants(names[key]), strict=True):
                swap.setdefault(variant, new)
    if not swap:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(swap, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), swap


def _report_record(
    t: Template, listed: _Listed, text: str, part: Path, batch_id: str, now: datetime
) -> tuple[dict[str, Any], list[str]]:
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    lines = split_lines(text)
    if len(lines) != t.prepared.line_count:
        raise RowsLoadError(
            f"{listed.report_key}: {len(lines)} lines, the template has {t.prepared.line_count}"
        )
    header = detect_header(lines)
    detection = t.prepared.detection
    record = {
        "report_id": sha[:16], "source_file": listed.file, "source_path": part.as_posix(),
        "source_format": "text", "file_sha256": sha, "line_count": len(lines),
        "template_family": t.family, "family_detection_score": detection.score,
        "manifest_entry_found": False, "manifest_sha256_matches": None,
        "doc_unit_name": header.unit_name, "doc_unit_line": header.unit_line,
        "doc_period_text": header.period_text, "doc_period_type": header.period_type,
        "doc_period_year": header.period_year, "doc_period_number": header.period_number,
        "doc_period_line": header.period_line, "is_held_out": True, "hold_reason": "not yet resolved",
        "version_number": 1, "loaded_at": now, "parser_version": __version__, "batch_id": batch_id,
    }  # fmt: skip
    return record, lines


def _reports_of(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(report key, its cell texts in slot order) of every report of one Parquet part, in file order."""
    with duckdb.connect() as con:
        frame = con.execute(
            "SELECT report_id, raw_value FROM read_parquet(?, file_row_number = true)"
            " ORDER BY file_row_number",
            [path.as_posix()],
        ).df()
    for key, group in frame.groupby("report_id", sort=False):
        yield str(key), [str(v) for v in group["raw_value"]]


def _rename(found: tuple[re.Pattern[str], dict[str, str]] | None, text: str) -> str:
    if found is None:
        return text
    pattern, swap = found
    return pattern.sub(lambda m: swap[m.group(0)], text)


def _add_cells(part: _Part, t: Template, texts: Sequence[str], report_id: str) -> None:
    unit_of = t.raw_units
    for pos, row_seq in enumerate(t.value_rows):
        if row_seq is None:
            continue
        raw = texts[pos].strip()
        read = _read_value(raw, str(unit_of[row_seq]))
        unit = (read[-1] or "") if t.family in UNIT_IN_VALUE else None
        part.add(part.cells, report_id, row_seq, raw, *read, unit)


def _add_notes(
    part: _Part, t: Template, texts: Sequence[str], found: tuple[re.Pattern[str], dict[str, str]] | None,
    report_id: str,
) -> None:  # fmt: skip
    """The notes that differ from the template's: a figure written in them, or a name."""
    figures = {slot.row_seq: (texts[pos].strip(), slot) for pos, slot in t.note_slots.items()}
    for row_seq, raw_note, note, line_start, line_end in t.note_rows:
        if row_seq in figures:
            figure, slot = figures[row_seq]
            raw_note, note = figure.join(slot.raw_parts), figure.join(slot.note_parts)
        raw_note, note = _rename(found, raw_note), _rename(found, note)
        part.add(part.notes, report_id, row_seq, raw_note, note)
        if row_seq in figures:
            source = note if NOTE_SOURCE[t.family] == "note" else raw_note
            for fact in _read_note(source, line_start, line_end):
                part.add(part.facts, report_id, row_seq, *fact)


def _add_report(
    part: _Part, listed: _Listed, texts: Sequence[str], where: Path, batch_id: str, now: datetime
) -> None:
    t = template(listed.family)
    sk = skeleton(listed.family)
    if len(texts) != len(sk.slots):
        wanted = len(sk.slots)
        raise RowsLoadError(f"{where}: {listed.report_key} has {len(texts)} cells, its family {wanted}")
    slot_texts = {slot.index: texts[pos] for pos, slot in enumerate(sk.slots)}
    names = names_for(_unit(listed.gso_code), Period.parse(listed.period))
    text = render(sk, slot_texts, names)
    record, lines = _report_record(t, listed, text, where, batch_id, now)
    report_id = record["report_id"]
    part.reports.append(record)
    _add_cells(part, t, texts, report_id)
    found = _renamer(t, names)
    _add_notes(part, t, texts, found, report_id)
    for n in t.dynamic_lines:
        part.add(part.lines, report_id, n, lines[n - 1])
    if found is not None:
        for seq, heading, body in t.named_blocks:
            new_heading, new_body = _rename(found, str(heading)), _rename(found, str(body))
            if (new_heading, new_body) != (heading, body):
                part.add(part.blocks, report_id, seq, new_heading, new_body)


def _frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=object)


_DECIMALS = ("value_number", "numerator", "denominator")


def _templates_sql(table: str, columns: Sequence[str]) -> str:
    cast = ", ".join(f"CAST({c} AS DECIMAL(20, 6)) AS {c}" if c in _DECIMALS else f'"{c}"' for c in columns)
    return f"SELECT {cast} FROM _cchc_tpl_frame"


def _load_templates(con: duckdb.DuckDBPyConnection, families: Sequence[str]) -> None:
    """Temp tables tpl_<table>: every family's template rows, typed as in raw (decimals cast)."""
    for table in _TEMPLATE_TABLES:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE tpl_{table} AS SELECT '' AS family, * FROM raw.{table} LIMIT 0"
        )
    for family in families:
        t = template(family)
        frames = {
            "statistic_rows": t.prepared.frames.statistic_rows,
            "note_values": t.prepared.frames.note_values,
            "narrative_blocks": t.prepared.frames.narrative_blocks,
            "line_classes": t.prepared.frames.line_classes,
            "quarantine": t.prepared.frames.quarantine,
            "validation_results": t.validation,
        }
        for table, frame in frames.items():
            if frame.empty:
                continue
            con.register("_cchc_tpl_frame", frame)
            try:
                select = _templates_sql(table, list(frame.columns))
                con.execute(f"INSERT INTO tpl_{table} BY NAME SELECT '{family}' AS family, * FROM ({select})")
            finally:
                con.unregister("_cchc_tpl_frame")


_TEMPLATE_TABLES = (
    "statistic_rows", "note_values", "narrative_blocks", "line_classes", "quarantine", "validation_results",
)  # fmt: skip


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = ?"
        " ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [str(r[0]) for r in rows]


def _part_sql(con: duckdb.DuckDBPyConnection, now: datetime) -> dict[str, str]:
    """INSERT ... SELECT of every table: the template rows of each report of the part, its own
    cells, notes, lines and blocks put in."""
    stat = []
    for c in _columns(con, "statistic_rows"):
        if c in ("report_id", "source_file"):
            stat.append(f"i.{c}")
        elif c in ("raw_value", *_VALUE_COLUMNS):
            cast = "CAST(c.{0} AS DECIMAL(20, 6))" if c in _DECIMALS else "c.{0}"
            stat.append(f"CASE WHEN c.row_seq IS NULL THEN t.{c} ELSE {cast.format(c)} END AS {c}")
        elif c == "unit":
            stat.append("coalesce(c.unit, t.unit) AS unit")
        elif c in ("raw_note", "note"):
            stat.append(f"coalesce(n.{c}, t.{c}) AS {c}")
        else:
            stat.append(f"t.{c}")
    fact_cols = ", ".join(
        f"CAST(f.{c} AS DECIMAL(20, 6)) AS {c}" if c in _DECIMALS else f"f.{c}" for c in _FACT_COLUMNS[1:]
    )
    stamp = f"TIMESTAMP '{now.isoformat(sep=' ')}'"
    join = "FROM _cchc_ids i JOIN tpl_{0} t ON t.family = i.family"
    return {
        "statistic_rows": f"SELECT {', '.join(stat)} {join.format('statistic_rows')}"
        " LEFT JOIN _cchc_cells c ON c.report_id = i.report_id AND c.row_seq = t.row_seq"
        " LEFT JOIN _cchc_notes n ON n.report_id = i.report_id AND n.row_seq = t.row_seq",
        "note_values": f"SELECT t.* EXCLUDE (family, report_id, source_file), i.report_id, i.source_file"
        f" {join.format('note_values')} WHERE t.row_seq NOT IN (SELECT DISTINCT row_seq FROM _cchc_fact_rows"
        " WHERE family = i.family)"
        f" UNION ALL BY NAME SELECT i.report_id, i.source_file, {fact_cols}"
        " FROM _cchc_facts f JOIN _cchc_ids i ON i.report_id = f.report_id",
        "narrative_blocks": "SELECT t.* EXCLUDE (family, report_id, source_file, heading, text), i.report_id,"
        " i.source_file, coalesce(b.heading, t.heading) AS heading, coalesce(b.text, t.text) AS text"
        f" {join.format('narrative_blocks')}"
        " LEFT JOIN _cchc_blocks b ON b.report_id = i.report_id AND b.block_seq = t.block_seq",
        "line_classes": "SELECT t.* EXCLUDE (family, report_id, source_file, line_text), i.report_id,"
        " i.source_file, coalesce(l.line_text, t.line_text) AS line_text"
        f" {join.format('line_classes')}"
        " LEFT JOIN _cchc_lines l ON l.report_id = i.report_id AND l.line_no = t.line_no",
        "quarantine": "SELECT t.* EXCLUDE (family, report_id, source_file, quarantine_id, quarantined_at),"
        " i.report_id, i.source_file, i.report_id || ':' || t.line_start AS quarantine_id,"
        f" {stamp} AS quarantined_at {join.format('quarantine')}",
        "validation_results": "SELECT t.* EXCLUDE (family, report_id, source_file, validated_at),"
        f" i.report_id, i.source_file, {stamp} AS validated_at {join.format('validation_results')}",
    }


def _write_part(con: duckdb.DuckDBPyConnection, part: _Part, now: datetime) -> int:
    """One part's reports and rows in one transaction; the statistic rows written."""
    ids = pd.DataFrame(
        {
            "report_id": [r["report_id"] for r in part.reports],
            "source_file": [r["source_file"] for r in part.reports],
            "family": [r["template_family"] for r in part.reports],
        }
    )
    fact_rows = pd.DataFrame(
        [(f, s.row_seq) for f in ids["family"].unique() for s in template(str(f)).note_slots.values()],
        columns=["family", "row_seq"],
    )
    views = {
        "_cchc_ids": ids, "_cchc_cells": _frame(part.cells), "_cchc_notes": _frame(part.notes),
        "_cchc_facts": _frame(part.facts), "_cchc_fact_rows": fact_rows, "_cchc_lines": _frame(part.lines),
        "_cchc_blocks": _frame(part.blocks),
    }  # fmt: skip
    for name, frame in views.items():
        con.register(name, frame)
    con.begin()
    try:
        insert_frame(con, "reports", pd.DataFrame.from_records(part.reports).astype(object))
        for table, select in _part_sql(con, now).items():
            con.execute(f"INSERT INTO raw.{table} BY NAME {select}")
        con.commit()
    except Exception:
        rollback_quietly(con)
        raise
    finally:
        for name in views:
            con.unregister(name)
    return sum(len(template(str(f)).prepared.frames.statistic_rows) for f in ids["family"])


@dataclass(frozen=True)
class RowsLoaded:
    reports: int
    statistic_rows: int
    parts: int


def load_rows(con: duckdb.DuckDBPyConnection, folder: Path, *, with_context: bool = True) -> RowsLoaded:
    """Load every Parquet part of ``folder``/rows (with ``folder``/reports.csv) into raw; see module doc.

    ``with_context``: each report is stored as ingested with ``cchc ingest --province P`` (and
    ``--district D`` for communes) of its own unit, as a team loading province folders would; a
    name found in several provinces (``huyện Châu Thành``) is then resolved. Without it, such
    reports are held out, as ``cchc ingest FOLDER`` of the text files holds them.

    Raises:
        RowsLoadError: a part's rows do not fit their family (cells per report, lines), or a report
            of the part is not in reports.csv.
    """
    ensure_schema(con)
    context = default_context()
    sync_register(con, context.register)
    listing = _listing(folder)
    batch_id = uuid.uuid4().hex[:12]
    now = datetime.now(UTC).replace(tzinfo=None)
    parts = sorted((folder / "rows").glob("part-*.parquet"))
    _load_templates(con, sorted({r.family for r in listing.values()}))
    loaded: list[str] = []
    stat_rows = 0
    for path in parts:
        part = _Part()
        for key, texts in _reports_of(path):
            if key not in listing:
                raise RowsLoadError(f"{path}: report {key} is not in {folder / 'reports.csv'}")
            _add_report(part, listing[key], texts, path, batch_id, now)
            if with_context:
                unit = _unit(listing[key].gso_code)
                part.reports[-1].update(context_province=unit.province, context_district=unit.district)
        stat_rows += _write_part(con, part, now)
        loaded.extend(r["report_id"] for r in part.reports)
    redecide(con, None, context, BatchTouch(batch_id, loaded=loaded, seen=loaded))
    return RowsLoaded(len(loaded), stat_rows, len(parts))


__all__ = ["RowsLoadError", "RowsLoaded", "load_rows", "template"]
