"""The four samples as the originals a clerk sends (DOCX, XLSX, and PDF made by LibreOffice)
read back to the same numbers as their text extractions, with lineage to the right cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from office_builders import COLUMNS, CellRef, convert, find_soffice, sample_blocks, write_docx, write_xlsx
from sample_originals import SAMPLES, mismatches, sample

from ingest.readers import DocumentFormat, DocumentParse, SourceLocation, parse_document
from ingest.readers.base import clean_inline
from ingest.records import StatRow

# Hand-read from the sample texts: label (start) -> number. Independent of the parsers.
KNOWN_VALUES: dict[str, dict[str, Decimal]] = {
    "soctrang-thanhtri-2021-year.txt": {
        "Số nhiệm vụ đề ra trong kế hoạch": Decimal("25"),
        "Tỷ lệ thực hiện nhiệm vụ tuyên truyền theo kế hoạch": Decimal("100"),
    },
    "soctrang-vinhchau-2022-q3.txt": {
        "Tỷ lệ hoàn thành Kế hoạch CCHC năm": Decimal("66.67"),
        "Số nhiệm vụ đã hoàn thành": Decimal("18"),
    },
    "travinh-duyenhai-2023-q1.txt": {
        "Số văn bản chỉ đạo CCHC đã ban hành": Decimal("4"),
        "Tỷ lệ hoàn thành Kế hoạch CCHC năm": Decimal("20"),
        "Số nhiệm vụ đề ra trong kế hoạch": Decimal("36"),
    },
    "namdinh-catthanh-2024-q3.txt": {
        "Số nhiệm vụ đề ra trong kế hoạch": Decimal("36"),
        "Số lượng phiếu khảo sát": Decimal("1228"),
        "Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp và trực tuyến)": Decimal("1290"),
    },
}

# A chosen statistic row per sample (its seq) and where the builders wrote its value, counted by hand:
# DOCX (table, row, cell) and XLSX address.
CHOSEN: dict[str, tuple[int, tuple[int, int, int], str]] = {
    "soctrang-thanhtri-2021-year.txt": (2, (1, 5, 3), "C13"),
    "soctrang-vinhchau-2022-q3.txt": (1, (1, 3, 4), "D12"),
    "travinh-duyenhai-2023-q1.txt": (143, (7, 34, 4), "D396"),
    "namdinh-catthanh-2024-q3.txt": (40, (1, 45, 4), "D443"),
}


Originals = dict[tuple[str, str], tuple[Path, dict[int, CellRef]]]


def _value_column(name: str) -> int:
    return COLUMNS[sample(name).family].index("value")


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Originals:
    """(sample, format) -> the generated original and where each statistic row's value went."""
    tmp = tmp_path_factory.mktemp("originals")
    made: Originals = {}
    for name in SAMPLES:
        s = sample(name)
        blocks = sample_blocks(s.result, s.text)
        for fmt, writer in (("docx", write_docx), ("xlsx", write_xlsx)):
            path = tmp / f"{Path(name).stem}.{fmt}"
            made[(name, fmt)] = (path, writer(blocks, path, _value_column(name)))
    return made


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each sample's DOCX (header rows repeated on every page) printed to PDF by LibreOffice."""
    soffice = find_soffice()
    tmp = tmp_path_factory.mktemp("pdf")
    sources = []
    for name in SAMPLES:
        s = sample(name)
        path = tmp / f"{Path(name).stem}.docx"
        write_docx(sample_blocks(s.result, s.text), path, _value_column(name), vertical_merges=False)
        sources.append(path)
    convert(soffice, sources, "pdf", tmp)
    return {name: tmp / f"{Path(name).stem}.pdf" for name in SAMPLES}


def _assert_same_values(name: str, parsed: DocumentParse) -> None:
    expected = sample(name).result
    actual = parsed.detection.result
    assert parsed.detection.family == sample(name).family
    assert mismatches(expected, actual) == []
    assert len(actual.rows) == len(expected.rows)
    for label, number in KNOWN_VALUES[name].items():
        row = next(r for r in actual.rows if r.label.startswith(label))
        assert row.value.number == number, (label, row.value.raw)


def _row(parsed: DocumentParse, seq: int) -> StatRow:
    return next(r for r in parsed.detection.result.rows if r.seq == seq)


@pytest.mark.parametrize("name", SAMPLES)
def test_docx_reads_every_value_of_the_text(name: str, originals: Originals) -> None:
    path, refs = originals[(name, "docx")]
    parsed = parse_document(path)
    assert parsed.document.format is DocumentFormat.DOCX
    _assert_same_values(name, parsed)
    seq, (table, row, cell), _ = CHOSEN[name]
    assert refs[seq] == CellRef(table, row, cell)
    located = {(loc.table, loc.row, loc.cell) for loc in parsed.row_locations(_row(parsed, seq))}
    assert (table, row, cell) in located
    for stat in parsed.detection.result.rows:  # every value's cell is in its row's lineage
        if stat.value.number is not None:
            ref = refs[stat.seq]
            where = {(loc.table, loc.row, loc.cell) for loc in parsed.row_locations(stat)}
            assert (ref.table, ref.row, ref.cell) in where, stat.label
            value_at = parsed.value_location(stat)
            assert value_at is not None and (value_at.table, value_at.row, value_at.cell) == (
                ref.table,
                ref.row,
                ref.cell,
            ), stat.label


@pytest.mark.parametrize("name", SAMPLES)
def test_xlsx_reads_every_value_of_the_text(name: str, originals: Originals) -> None:
    path, refs = originals[(name, "xlsx")]
    parsed = parse_document(path)
    assert parsed.document.format is DocumentFormat.XLSX
    _assert_same_values(name, parsed)
    seq, _, address = CHOSEN[name]
    assert refs[seq].address == address
    assert address in {loc.address for loc in parsed.row_locations(_row(parsed, seq))}
    for stat in parsed.detection.result.rows:
        if stat.value.number is not None:
            assert refs[stat.seq].address in {loc.address for loc in parsed.row_locations(stat)}, stat.label
            value_at = parsed.value_location(stat)
            assert value_at is not None and value_at.address == refs[stat.seq].address, stat.label


def test_tab_form_value_field_maps_to_its_exact_cell(originals: Originals) -> None:
    """In the TAB-separated form, field k of a row's line is located at column k of the table row."""
    name = "soctrang-vinhchau-2022-q3.txt"
    path, _ = originals[(name, "docx")]
    parsed = parse_document(path)
    row = _row(parsed, 1)
    location = parsed.document.field_location(row.line_start, _value_column(name))
    assert location == SourceLocation(DocumentFormat.DOCX, table=1, row=3, cell=4)
    assert parsed.document.text.splitlines()[row.line_start - 1].split("\t")[3] == "66,67"
    xlsx = parse_document(originals[(name, "xlsx")][0])
    assert xlsx.document.field_location(_row(xlsx, 1).line_start, 3) == SourceLocation(
        DocumentFormat.XLSX, sheet="Biểu", address="D12"
    )


@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_from_libreoffice_reads_every_value_of_the_text(name: str, pdfs: dict[str, Path]) -> None:
    import pdfplumber

    parsed = parse_document(pdfs[name])
    assert parsed.document.format is DocumentFormat.PDF
    _assert_same_values(name, parsed)
    seq = CHOSEN[name][0]
    row = _row(parsed, seq)
    value_cells = [
        loc
        for loc in parsed.row_locations(row)
        if loc.table is not None and loc.cell == _value_column(name) + 1
    ]
    assert len(value_cells) == 1
    location = value_cells[0]
    assert parsed.value_location(row) == location
    assert location.page is not None and location.bbox is not None and location.line is not None
    with pdfplumber.open(pdfs[name]) as pdf:  # the box really holds the figure
        text = _text_in_box(pdf.pages[location.page - 1], location.bbox)
    assert text == row.value.raw


def _text_in_box(page: Any, box: tuple[float, float, float, float]) -> str:
    """Text of the characters whose middle is inside a box (how pdfplumber assigns chars to cells)."""
    x0, top, x1, bottom = box

    def inside(obj: dict[str, Any]) -> bool:
        h_mid, v_mid = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return obj.get("object_type") == "char" and x0 <= h_mid < x1 and top <= v_mid < bottom

    return clean_inline(page.filter(inside).extract_text())


def test_legacy_doc_is_converted_by_libreoffice_and_read(originals: Originals, tmp_path: Path) -> None:
    soffice = find_soffice()
    name = "soctrang-vinhchau-2022-q3.txt"
    # Through ODT: LibreOffice's direct DOCX -> DOC export of python-docx tables loses the table.
    convert(soffice, [originals[(name, "docx")][0]], "odt", tmp_path)
    convert(soffice, [tmp_path / f"{Path(name).stem}.odt"], "doc", tmp_path)
    doc = tmp_path / f"{Path(name).stem}.doc"
    assert doc.read_bytes()[:4] == bytes.fromhex("D0CF11E0")
    parsed = parse_document(doc)
    assert any("converted from legacy Word" in note for note in parsed.document.notes)
    _assert_same_values(name, parsed)
