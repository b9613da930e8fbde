"""Synth's long-format rows (``cchc synth --rows``) straight into the warehouse's ``raw`` schema.

For national-volume benchmarks (226,000 reports, ~30 M values) the text path (parse, recognise,
validate every file) is the cost being measured elsewhere; here the rows skip it and land in the
same tables and columns ``ingest/writer.py`` writes, lineage included, as a real load of the same
reports would leave them:

* per family, once: one report is rendered to text and run through the real ingest path
  (:func:`ingest.prepare.prepare_report`, the batch expectations of ``ingest/checks.py``): its
  frames are the family's *template* (every statistic row, note figure, line class, narrative
  block, quarantined line and validation outcome);
* per report: the template's rows with the report's own ``report_id`` and ``source_file``, every
  value cell replaced by the row's ``raw_value`` read by the real value parser
  (:func:`ingest.values.parse_value`, cached per distinct cell) and every note that carries a
  figure re-read (:func:`ingest.values.extract_note_facts`); the lines that hold a value or a name
  (unit, province, period) rebuilt from the report's text (rendered from its skeleton, as
  ``cchc synth`` writes it), the header read from that text (:func:`ingest.header.detect_header`);
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
from dataclasses import dataclass
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
from synth.report import make_report
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


def _names(unit: ReportUnit, period: Period) -> dict[str, str]:
    """The names a report's text fills in (synth.report.names_of, from the unit and period)."""
    return {
        "unit": unit.full_name,
        "unit_bare": unit.name,
        "unit_type": unit.unit_type,
        "province_bare": unit.province,
        "district_bare": unit.district or "",
        "period": period.text,
        "year": str(period.year),
    }


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
    text = render(sk, report.slot_texts, _names(unit, report.period))  # no label typos
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
    names = _names(unit, report.period)
    return Template(family, prepared, validation, names, tuple(value_rows), notes, _dynamic_lines(sk))


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


@dataclass
class _Part:
    """The rows of one Parquet part being assembled, table by table."""

    reports: list[dict[str, Any]]
    frames: dict[str, list[pd.DataFrame]]


def _with_ids(frame: pd.DataFrame, report_id: str, source_file: str) -> pd.DataFrame:
    out = frame.copy()
    out["report_id"] = report_id
    out["source_file"] = source_file
    return out


def _statistic_rows(
    t: Template, texts: Sequence[str], names: dict[str, str], report_id: str, source_file: str
) -> pd.DataFrame:
    template_rows = t.prepared.frames.statistic_rows
    columns = {c: template_rows[c].to_numpy(copy=True) for c in template_rows.columns}
    columns["report_id"][:] = report_id
    columns["source_file"][:] = source_file
    position = {int(seq): i for i, seq in enumerate(template_rows["row_seq"])}
    for pos, row_seq in enumerate(t.value_rows):
        if row_seq is None:
            continue
        i = position[row_seq]
        raw = texts[pos].strip()
        columns["raw_value"][i] = raw
        for column, value in zip(_VALUE_COLUMNS, _read_value(raw, columns["raw_unit"][i]), strict=True):
            columns[column][i] = value
        if t.family in UNIT_IN_VALUE:
            columns["unit"][i] = columns["unit_in_value"][i] or ""
    for pos, slot in t.note_slots.items():
        i = position[slot.row_seq]
        figure = texts[pos].strip()
        columns["raw_note"][i] = figure.join(slot.raw_parts)
        columns["note"][i] = figure.join(slot.note_parts)
    found = _renamer(t, names)
    if found is not None:
        pattern, swap = found
        for column in ("raw_note", "note"):
            columns[column] = [pattern.sub(lambda m: swap[m.group(0)], str(v)) for v in columns[column]]
    return pd.DataFrame(columns, dtype=object)


def _note_values(t: Template, rows: pd.DataFrame, report_id: str, source_file: str) -> pd.DataFrame:
    notes = _with_ids(t.prepared.frames.note_values, report_id, source_file)
    changed = sorted({s.row_seq for s in t.note_slots.values()})
    if not changed:
        return notes
    kept = notes[~notes["row_seq"].isin(changed)]
    source = NOTE_SOURCE[t.family]
    fresh: list[dict[str, Any]] = []
    for row_seq in changed:
        row = rows[rows["row_seq"] == row_seq].iloc[0]
        for fact in _read_note(str(row[source]), int(row["line_start"]), int(row["line_end"])):
            fresh.append({"report_id": report_id, "source_file": source_file, "row_seq": row_seq,
                          **dict(zip(_NOTE_FACT_COLUMNS, fact, strict=True))})  # fmt: skip
    added = pd.DataFrame.from_records(fresh, columns=list(notes.columns)).astype(object)
    return pd.concat([kept, added], ignore_index=True).sort_values(["row_seq", "fact_seq"], ignore_index=True)


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


def _narrative_blocks(t: Template, names: dict[str, str], report_id: str, source_file: str) -> pd.DataFrame:
    """The template's blocks with the report's unit, province and period names in their text."""
    out = _with_ids(t.prepared.frames.narrative_blocks, report_id, source_file)
    found = _renamer(t, names)
    if found is not None:
        pattern, swap = found
        for column in ("heading", "text"):
            out[column] = [pattern.sub(lambda m: swap[m.group(0)], str(v)) for v in out[column]]
    return out


def _line_classes(t: Template, lines: Sequence[str], report_id: str, source_file: str) -> pd.DataFrame:
    out = _with_ids(t.prepared.frames.line_classes, report_id, source_file)
    text = out["line_text"].to_numpy(copy=True)
    for n in t.dynamic_lines:
        text[n - 1] = lines[n - 1]
    out["line_text"] = text
    return out


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


def _add_report(
    part: _Part, listed: _Listed, texts: Sequence[str], where: Path, batch_id: str, now: datetime
) -> None:
    t = template(listed.family)
    sk = skeleton(listed.family)
    if len(texts) != len(sk.slots):
        raise RowsLoadError(
            f"{where}: {listed.report_key} has {len(texts)} cells, its family {len(sk.slots)}"
        )
    slot_texts = {slot.index: texts[pos] for pos, slot in enumerate(sk.slots)}
    names = _names(_unit(listed.gso_code), Period.parse(listed.period))
    text = render(sk, slot_texts, names)
    record, lines = _report_record(t, listed, text, where, batch_id, now)
    report_id, source_file = record["report_id"], record["source_file"]
    rows = _statistic_rows(t, texts, names, report_id, source_file)
    frames = t.prepared.frames
    part.reports.append(record)
    for table, frame in (
        ("statistic_rows", rows),
        ("note_values", _note_values(t, rows, report_id, source_file)),
        ("narrative_blocks", _narrative_blocks(t, names, report_id, source_file)),
        ("line_classes", _line_classes(t, lines, report_id, source_file)),
        ("quarantine", _quarantine(frames.quarantine, report_id, source_file, now)),
        ("validation_results", _validation(t.validation, report_id, source_file, now)),
    ):
        part.frames.setdefault(table, []).append(frame)


def _quarantine(frame: pd.DataFrame, report_id: str, source_file: str, now: datetime) -> pd.DataFrame:
    out = _with_ids(frame, report_id, source_file)
    out["quarantine_id"] = [f"{report_id}:{n}" for n in out["line_start"]]
    out["quarantined_at"] = now
    return out


def _validation(frame: pd.DataFrame, report_id: str, source_file: str, now: datetime) -> pd.DataFrame:
    out = _with_ids(frame, report_id, source_file)
    out["validated_at"] = now
    return out


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


def _write_part(con: duckdb.DuckDBPyConnection, part: _Part) -> None:
    """One part's reports and rows in one transaction (through ingest/writer.py)."""
    con.begin()
    try:
        insert_frame(con, "reports", pd.DataFrame.from_records(part.reports).astype(object))
        for table, frames in part.frames.items():
            insert_frame(con, table, pd.concat(frames, ignore_index=True))
        con.commit()
    except Exception:
        rollback_quietly(con)
        raise


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
    loaded: list[str] = []
    stat_rows = 0
    for path in parts:
        part = _Part([], {})
        for key, texts in _reports_of(path):
            if key not in listing:
                raise RowsLoadError(f"{path}: report {key} is not in {folder / 'reports.csv'}")
            _add_report(part, listing[key], texts, path, batch_id, now)
            if with_context:
                unit = _unit(listing[key].gso_code)
                part.reports[-1].update(context_province=unit.province, context_district=unit.district)
        _write_part(con, part)
        loaded.extend(r["report_id"] for r in part.reports)
        stat_rows += sum(len(f) for f in part.frames.get("statistic_rows", []))
    redecide(con, None, context, BatchTouch(batch_id, loaded=loaded, seen=loaded))
    return RowsLoaded(len(loaded), stat_rows, len(parts))


__all__ = ["RowsLoadError", "RowsLoaded", "load_rows", "template"]
