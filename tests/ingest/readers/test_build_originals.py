"""A whole `cchc build` on a folder of originals: the four samples as a Word document, an Excel sheet, a
PDF printed by LibreOffice and a text file build the same marts and findings as the text build
(``samples_build``), each value keeps its place in the document down to marts.fct_indicator_values
and audit.dq_findings, and the auditor's page quotes the source of a finding from the DOCX and the
PDF (the row quoted, the figure marked, the place shown), checked in headless Chromium.

One build (plus one LibreOffice conversion) for the whole module.
"""

from __future__ import annotations

import re
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt_project_runner import HAND_ENTERED_DIR, MANIFEST_PATH, SamplesBuild
from office_builders import COLUMNS, convert, find_soffice, sample_blocks, write_docx, write_xlsx
from sample_originals import REPORTS, sample
from sibling_modules import sibling

from ingest.manifest import load_manifest
from outputs.audit.report import page_name
from pipeline.build import BuildResult, OutputPaths, build

_browser = sibling(str(Path(__file__).parents[2] / "outputs" / "audit" / "here.py"), "test_audit_browser")
run_chromium = _browser.run_chromium

# sample -> the format its unit's clerk sent it in
FORMATS = {
    "soctrang-thanhtri-2021-year.txt": "xlsx",
    "soctrang-vinhchau-2022-q3.txt": "docx",
    "travinh-duyenhai-2023-q1.txt": "pdf",
    "namdinh-catthanh-2024-q3.txt": "txt",
}
PLACE_PREFIX = {"docx": "docx table ", "xlsx": "xlsx '", "pdf": "pdf page "}
FactKey = tuple[str, str, str]  # unit_code, period_key, indicator_code


@dataclass(frozen=True)
class MixedBuild:
    result: BuildResult
    warehouse: Path
    outputs: OutputPaths
    formats: dict[str, str]  # report source_file -> format


def _write_original(name: str, fmt: str, folder: Path, scratch: Path) -> Path:
    s = sample(name)
    stem, value_column = Path(name).stem, COLUMNS[s.family].index("value")
    blocks = sample_blocks(s.result, s.text)
    if fmt == "txt":
        return Path(shutil.copyfile(REPORTS / name, folder / name))
    if fmt == "xlsx":
        write_xlsx(blocks, folder / f"{stem}.xlsx", value_column)
        return folder / f"{stem}.xlsx"
    if fmt == "docx":
        write_docx(blocks, folder / f"{stem}.docx", value_column)
        return folder / f"{stem}.docx"
    # pdf: the DOCX (header rows not merged vertically) printed by LibreOffice
    write_docx(blocks, scratch / f"{stem}.docx", value_column, vertical_merges=False)
    convert(find_soffice(), [scratch / f"{stem}.docx"], "pdf", folder)
    shutil.rmtree(folder / "profile", ignore_errors=True)
    return folder / f"{stem}.pdf"


def _manifest(path: Path, names: dict[str, str]) -> Path:
    """The repository's manifest with each sample's entry naming its original instead of its text."""
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    for txt, original in names.items():
        text = text.replace(f"file: {txt}", f"file: {original}")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory: pytest.TempPathFactory) -> MixedBuild:
    root = tmp_path_factory.mktemp("mixed_build")
    folder, scratch = root / "reports", root / "scratch"
    folder.mkdir()
    scratch.mkdir()
    files = {name: _write_original(name, fmt, folder, scratch) for name, fmt in FORMATS.items()}
    manifest = load_manifest(_manifest(root / "manifest.yml", {n: p.name for n, p in files.items()}))
    warehouse, outputs = root / "cchc.duckdb", OutputPaths(target=root / "target")
    result = build([folder, HAND_ENTERED_DIR], warehouse, manifest, outputs=outputs)
    assert result.dbt_success, [f.error for f in result.files]
    assert [f.status for f in result.files] == ["loaded"] * (len(FORMATS) + 1), [
        f.error for f in result.files
    ]
    return MixedBuild(result, warehouse, outputs, {p.name: FORMATS[n] for n, p in files.items()})


def _query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


# raw_value is left out: an XLSX number cell holds 2953 where the text has "2.953" (same number)
FACTS_SQL = """
select unit_code, period_key, indicator_code, value_kind, value_number, value_text, qualifier,
       numerator, denominator, is_reported, is_cumulative, value_source, template_row_id
from marts.fct_indicator_values"""
FINDINGS_SQL = """
select unit_code, period_key, coalesce(indicator_codes, ''), rule_id, severity, observed, expected
from audit.dq_findings"""


def _facts(warehouse: Path) -> dict[FactKey, tuple[Any, ...]]:
    rows = _query(warehouse, FACTS_SQL)
    facts = {(r[0], r[1], r[2]): r[3:] for r in rows}
    assert len(facts) == len(rows)  # one fact per unit x period x indicator
    return facts


def _findings(warehouse: Path) -> list[tuple[Any, ...]]:
    # unmapped-value findings name a row by its seq (row:<n>), the same in every format; sorted
    return sorted(_query(warehouse, FINDINGS_SQL), key=repr)


def test_mixed_formats_build_the_marts_of_the_text_build(
    mixed_build: MixedBuild, samples_build: SamplesBuild
) -> None:
    text_facts, mixed_facts = _facts(samples_build.warehouse), _facts(mixed_build.warehouse)
    assert len(text_facts) > 400
    assert {k for k in text_facts if k not in mixed_facts} == set()
    assert {k for k in mixed_facts if k not in text_facts} == set()
    assert {k: v for k, v in mixed_facts.items() if v != text_facts[k]} == {}
    text_findings, mixed_findings = _findings(samples_build.warehouse), _findings(mixed_build.warehouse)
    assert text_findings and mixed_findings == text_findings


def test_every_value_of_an_original_keeps_its_cell_in_the_marts(mixed_build: MixedBuild) -> None:
    rows = _query(
        mixed_build.warehouse,
        "select source_file, value_source, value_place from marts.fct_indicator_values where is_reported",
    )
    by_format: dict[tuple[str, str], list[str | None]] = {}
    for source_file, source, place in rows:
        fmt = mixed_build.formats.get(source_file, "hand_entered")
        by_format.setdefault((fmt, source), []).append(place)
    formats = {fmt for fmt, _ in by_format}
    assert formats == {"docx", "xlsx", "pdf", "txt", "hand_entered"}
    for fmt, prefix in PLACE_PREFIX.items():
        places = by_format[(fmt, "table_row")] + by_format.get((fmt, "note"), [])
        assert all(p is not None and p.startswith(prefix) for p in places), (fmt, places[:5])
    assert {p for (fmt, _), ps in by_format.items() if fmt in ("txt", "hand_entered") for p in ps} == {None}
    # a table row's value: its cell; a figure of a note: the note's row
    assert all(re.search(r" cell [0-9]+$", p or "") for p in by_format[("docx", "table_row")])
    assert all(re.fullmatch(r"xlsx '[^']+'![A-Z]+[0-9]+", p or "") for p in by_format[("xlsx", "table_row")])
    assert all(
        re.search(r" cell [0-9]+ line [0-9]+ bbox \(", p or "") for p in by_format[("pdf", "table_row")]
    )
    assert all(re.fullmatch(r"docx table [0-9]+ row [0-9]+", p or "") for p in by_format[("docx", "note")])


def test_a_known_value_points_at_its_cell(mixed_build: MixedBuild) -> None:
    """Vĩnh Châu's completion rate (66,67 %) is the DOCX's table 1, row 3, cell 4 and Thạnh Trị's first
    task count (25) the XLSX's C13 (both counted by hand in test_office_samples.CHOSEN)."""
    rows = _query(
        mixed_build.warehouse,
        "select unit_code, value_number, value_place from marts.fct_indicator_values "
        "where value_place in ('docx table 1 row 3 cell 4', 'xlsx ''Biểu''!C13') order by unit_code",
    )
    assert rows == [("949", 25.0, "xlsx 'Biểu'!C13"), ("950", 66.67, "docx table 1 row 3 cell 4")]


def test_findings_of_an_original_name_the_places_of_their_values(mixed_build: MixedBuild) -> None:
    rows = _query(mixed_build.warehouse, "select source_file, rule_id, value_places from audit.dq_findings")
    for fmt in ("docx", "pdf"):
        mine = [(rule, places) for file, rule, places in rows if mixed_build.formats[file] == fmt]
        assert mine, f"no finding in the {fmt} report"
        placed = [places for _, places in mine if places]
        assert placed and all(
            part.startswith(PLACE_PREFIX[fmt]) for places in placed for part in places.split("; ")
        )
    assert all(places is None for file, _, places in rows if mixed_build.formats[file] == "txt")


def _findings_page(mixed_build: MixedBuild, fmt: str) -> Path:
    """The Vietnamese findings page of the province x period of the report sent as ``fmt``."""
    (source_file,) = [f for f, kind in mixed_build.formats.items() if kind == fmt]
    (province, period_key), *_ = _query(
        mixed_build.warehouse,
        "select coalesce(province_name, ''), period_key from marts.dim_report "
        f"where source_file = '{source_file}'",
    )
    return mixed_build.outputs.target / "audit" / page_name(province, period_key, "vi")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_audit_page_quotes_the_original_in_chromium(
    mixed_build: MixedBuild, fmt: str, tmp_path: Path
) -> None:
    page = _findings_page(mixed_build, fmt)
    dom = run_chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    quotes = re.findall(r'<div class="quote">(.*?)</div></td>', dom, flags=re.S)
    assert quotes, "no quoted source on the page"
    # an involved row quoted with its place in the document under it and a figure marked in it
    involved = re.findall(
        r'<div class="ln involved"[^>]*><span class="no">[0-9]+</span><span class="tx">(.*?)'
        r'<span class="place">([^<]+)</span></span></div>',
        "".join(quotes),
        flags=re.S,
    )
    assert involved, "no involved line shows its place"
    assert all(place.startswith(PLACE_PREFIX[fmt]) for _, place in involved), involved[:3]
    assert any('<mark class="obs">' in text for text, _ in involved)
    # under the quote, the cells of the finding's values
    cells = re.findall(r'<div class="cells">[^<]*((?:<span class="place">[^<]+</span>)+)</div>', dom)
    assert cells and any(re.search(r" cell [0-9]+", c) for c in cells)
    assert all(place.startswith(PLACE_PREFIX[fmt]) for c in cells for place in re.findall(r">([^<]+)<", c))
    shot = tmp_path / f"{fmt}.png"
    run_chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 2000)
    assert len(data) > 20_000  # a rendered page, not a blank image
    shutil.copyfile(shot, page.with_name(f"{page.stem}.{fmt}.png"))  # beside the page, for a person
