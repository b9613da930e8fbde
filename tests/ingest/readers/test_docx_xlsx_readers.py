"""DOCX and XLSX readers on small hand-built documents: merged cells, nested tables, tracked
changes, number formats, and the text reader's pass-through."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ingest.readers import DocumentFormat, DocumentText, SourceLocation, flatten_tables, read_document
from ingest.readers.xlsx import format_number

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _xml(fragment: str) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(fragment)


def _tracked_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("Số nhiệm vụ: ")
    paragraph._p.append(_xml(f'<w:ins {W} w:id="1" w:author="a"><w:r><w:t>25</w:t></w:r></w:ins>'))
    paragraph._p.append(
        _xml(f'<w:del {W} w:id="2" w:author="a"><w:r><w:delText>12</w:delText></w:r></w:del>')
    )
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Tỷ lệ"
    cell_p = table.cell(0, 1).paragraphs[0]._p
    cell_p.append(_xml(f'<w:del {W} w:id="3" w:author="a"><w:r><w:delText>50%</w:delText></w:r></w:del>'))
    cell_p.append(_xml(f'<w:ins {W} w:id="4" w:author="a"><w:r><w:t>66,67%</w:t></w:r></w:ins>'))
    document.save(str(path))


def test_docx_tracked_changes_read_as_accepted_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "tracked.docx"
    _tracked_docx(path)
    document = read_document(path)
    assert document.text.splitlines() == ["Số nhiệm vụ: 25", "Tỷ lệ\t66,67%"]
    assert any("tracked changes: 2 insertion(s) kept and 2 deletion(s) dropped" in n for n in document.notes)


def test_docx_merged_cells_give_their_text_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for col, text in enumerate(("STT", "Chỉ tiêu", "Kết quả", "Ghi chú")):
        table.cell(0, col).text = text
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Kết quả thống kê"  # gridSpan 2
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1"  # vMerge over two rows
    table.cell(1, 1).text = "Số phiếu"
    table.cell(1, 2).text = "17"
    table.cell(2, 1).text = "Số hộ"
    table.cell(2, 2).text = "5"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    read = read_document(path)
    assert read.text.splitlines() == [
        "STT\tChỉ tiêu\tKết quả thống kê\t",
        "1\tSố phiếu\t17\t",
        "\tSố hộ\t5\t",
    ]
    assert read.line_locations(1)[3] == SourceLocation(
        DocumentFormat.DOCX, table=1, row=1, cell=4, merged="gridSpan 2"
    )
    assert read.line_locations(2)[0].merged == "vMerge start"
    assert read.line_locations(3)[0].merged == "vMerge"
    assert read.field_location(3, 2) == SourceLocation(DocumentFormat.DOCX, table=1, row=3, cell=3)
    assert any(note.startswith("merged cells: 3") for note in read.notes)


def test_docx_nested_table_is_flattened_and_reported(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Biểu mẫu 1")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "1"
    inner = table.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Số hồ sơ"
    inner.cell(0, 1).text = "1.290"
    path = tmp_path / "nested.docx"
    document.save(str(path))
    read = read_document(path)
    assert read.text.splitlines() == ["Biểu mẫu 1", "1\tSố hồ sơ 1.290"]
    assert read.line_locations(1) == (SourceLocation(DocumentFormat.DOCX, paragraph=1),)
    assert any("nested tables flattened" in note and "table 1 row 1 cell 2" in note for note in read.notes)


@pytest.mark.parametrize(
    ("value", "percent", "text"),
    [
        (0.6667, True, "66,67%"),
        (1, True, "100%"),
        (0.135, True, "13,5%"),
        (5327, False, "5327"),
        (5327.0, False, "5327"),
        (13.5, False, "13,5"),
        (Decimal("0.10"), False, "0,1"),
    ],
)
def test_numbers_are_written_the_way_a_clerk_writes_them(value: float, percent: bool, text: str) -> None:
    assert format_number(value, percent=percent) == text


def test_xlsx_sheet_rows_formats_and_merged_ranges(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Biểu 1"
    ws["A1"] = "PHỤ LỤC"
    ws.append(["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"])
    ws.append([1, "Tỷ lệ hoàn thành", "%", 0.6667, None])
    ws["D3"].number_format = "0.00%"
    ws.append(["II", "Cải cách thể chế", None, None, None])
    ws.merge_cells("B4:E4")
    ws.append([None, "Ngày ban hành", None, dt.date(2022, 6, 1), "=1+1"])
    second = workbook.create_sheet("Biểu 2")
    second["B2"] = "Số hồ sơ"
    second["C2"] = 1290
    path = tmp_path / "bieu.xlsx"
    workbook.save(str(path))
    read = read_document(path)
    assert read.text.splitlines() == [
        "PHỤ LỤC",
        "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú",
        "1\tTỷ lệ hoàn thành\t%\t66,67%\t",
        "II\tCải cách thể chế\t\t\t",
        "\tNgày ban hành\t\t01/06/2022\t",  # a formula never computed by Excel has no cached value
        "Số hồ sơ\t1290",
    ]
    assert read.field_location(3, 3) == SourceLocation(DocumentFormat.XLSX, sheet="Biểu 1", address="D3")
    assert read.field_location(4, 2) == SourceLocation(
        DocumentFormat.XLSX, sheet="Biểu 1", address="C4", merged="B4:E4"
    )
    assert read.field_location(6, 1) == SourceLocation(DocumentFormat.XLSX, sheet="Biểu 2", address="C2")


def test_text_passes_through_with_line_locations(reports_dir: Path) -> None:
    path = reports_dir / "soctrang-vinhchau-2022-q3.txt"
    read = read_document(path)
    assert read.format is DocumentFormat.TEXT
    assert read.text.splitlines() == path.read_text(encoding="utf-8").splitlines()
    assert read.line_locations(12) == (SourceLocation(DocumentFormat.TEXT, line=12),)
    assert read.span_locations(12, 13) == (
        SourceLocation(DocumentFormat.TEXT, line=12),
        SourceLocation(DocumentFormat.TEXT, line=13),
    )


def test_flattened_form_keeps_the_locations_of_non_empty_cells() -> None:
    a, b, c = (SourceLocation(DocumentFormat.DOCX, table=1, row=1, cell=i) for i in (1, 2, 3))
    flat = flatten_tables(DocumentText("2.1\t\tSố nhiệm vụ\nTiêu đề\n", ((a, b, c), (a,))))
    assert flat.text.splitlines() == ["2.1 Số nhiệm vụ", "Tiêu đề"]
    assert flat.locations == ((a, c), (a,))


def test_document_text_needs_one_location_entry_per_line() -> None:
    with pytest.raises(ValueError, match="2 lines of text but 1 location"):
        DocumentText("a\nb\n", ((SourceLocation(DocumentFormat.TEXT, line=1),),))


@pytest.mark.parametrize(
    "name",
    [
        "soctrang-thanhtri-2021-year.txt",
        "soctrang-vinhchau-2022-q3.txt",
        "travinh-duyenhai-2023-q1.txt",
        "namdinh-catthanh-2024-q3.txt",
    ],
)
def test_text_samples_parse_the_same_through_the_readers(reports_dir: Path, name: str) -> None:
    from ingest.detect import detect_and_parse
    from ingest.readers import parse_document

    path = reports_dir / name
    parsed = parse_document(path, name)
    assert parsed.detection.result == detect_and_parse(path.read_text(encoding="utf-8"), name).result
    first = next(row for row in parsed.detection.result.rows if row.value.raw)
    location = parsed.value_location(first)
    assert location is not None and location.line is not None
    assert first.line_start <= location.line <= first.line_end
    assert first.value.raw in parsed.document.text.splitlines()[location.line - 1]


def test_location_columns_for_the_warehouse() -> None:
    location = SourceLocation(
        DocumentFormat.PDF, page=3, line=7, table=2, row=5, cell=4, bbox=(1.0, 2.0, 3.0, 4.0)
    )
    columns = location.as_columns()
    assert columns["source_page"] == 3 and columns["source_cell"] == 4
    assert (columns["bbox_x0"], columns["bbox_bottom"]) == (1.0, 4.0)
    assert columns["source_place"] == "pdf page 3 table 2 row 5 cell 4 line 7 bbox (1.0, 2.0, 3.0, 4.0)"
    xlsx = SourceLocation(DocumentFormat.XLSX, sheet="Biểu 1", address="D12").as_columns()
    assert xlsx["source_place"] == "xlsx 'Biểu 1'!D12" and xlsx["bbox_x0"] is None
