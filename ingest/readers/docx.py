"""DOCX reader (python-docx): body paragraphs and tables in document order, as text lines.

- A paragraph is one line (its line breaks and tabs become spaces); location: ``paragraph``.
- A table row is one line, one TAB-separated field per grid column; location per field: ``table``,
  ``row``, ``cell`` (the 1-based grid column).
- Merged cells: a cell spanning several grid columns (``gridSpan``) gives its text once, in its
  first column, and empty fields for the others; a vertically merged cell (``vMerge``) gives its
  text in its first row and empty fields below. Both keep ``merged`` in their locations. A row that
  is one cell spanning the whole table (a title inside the table) is a line without TABs.
- A nested table is flattened into its cell's text (rows and cells joined by spaces) and reported.
- Tracked changes: the accepted text is read (insertions kept, deletions dropped) and reported.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import CorruptDocumentError
from ingest.readers.base import DocumentFormat, DocumentText, SourceLocation, TextBuilder, clean_inline

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("sdt"), _w("sdtContent")
T, TAB, BR, CR = _w("t"), _w("tab"), _w("br"), _w("cr")
DEL, MOVE_FROM, INS = _w("del"), _w("moveFrom"), _w("ins")
_TEXT_TAGS = (T, TAB, BR, CR)
_DROPPED = frozenset({DEL, MOVE_FROM})


@dataclass
class _Counters:
    paragraph: int = 0
    table: int = 0
    merged: list[str] = field(default_factory=list)
    nested: list[str] = field(default_factory=list)


def read_docx(path: Path, source_file: str) -> DocumentText:
    """Read a DOCX file into its text form with a location per line (see module doc)."""
    body = _open_body(path, source_file)
    builder = TextBuilder(DocumentFormat.DOCX)
    counters = _Counters()
    for block in _blocks(body):
        if block.tag == P:
            counters.paragraph += 1
            location = SourceLocation(DocumentFormat.DOCX, paragraph=counters.paragraph)
            builder.add(paragraph_text(block), (location,))
        else:
            counters.table += 1
            _add_table(block, counters, builder)
    _report(body, counters, builder)
    return builder.build()


def _open_body(path: Path, source_file: str) -> Any:
    import docx  # imported late: only DOCX reading needs python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise CorruptDocumentError(
            f"corrupt DOCX: cannot be opened as a Word document ({type(exc).__name__}: {exc})",
            source_file=source_file,
        ) from exc
    except Exception as exc:  # lxml XMLSyntaxError and friends: broken XML inside the package
        raise CorruptDocumentError(
            f"corrupt DOCX: its XML cannot be read ({type(exc).__name__}: {exc})", source_file=source_file
        ) from exc
    return document.element.body


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body (or cell) in order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (P, TBL):
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _dropped(element: Any, stop: Any) -> bool:
    """Inside a tracked deletion (or the source of a tracked move) below ``stop``."""
    node = element.getparent()
    while node is not None and node is not stop:
        if node.tag in _DROPPED:
            return True
        node = node.getparent()
    return False


def paragraph_text(paragraph: Any) -> str:
    """The accepted text of a ``w:p``: insertions kept, deletions dropped, breaks and tabs as spaces."""
    pieces: list[str] = []
    for element in paragraph.iter(*_TEXT_TAGS):
        if _dropped(element, paragraph):
            continue
        pieces.append((element.text or "") if element.tag == T else " ")
    return clean_inline("".join(pieces))


def _cell_text(tc: Any, where: str, counters: _Counters) -> str:
    """Text of a ``w:tc``: its paragraphs, and any nested table flattened, joined by spaces."""
    parts: list[str] = []
    for block in _blocks(tc):
        if block.tag == P:
            parts.append(paragraph_text(block))
        else:
            counters.nested.append(where)
            parts.append(_flatten_table(block))
    return clean_inline(" ".join(part for part in parts if part))


def _flatten_table(tbl: Any) -> str:
    texts = [paragraph_text(p) for p in tbl.iter(P)]
    return " ".join(text for text in texts if text)


def _grid_span(tc: Any) -> int:
    span = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
    return int(span.get(_w("val"), "1")) if span is not None else 1


def _vmerge(tc: Any) -> str | None:
    """The vertical merge state: "restart" (its first cell), "continue" (a cell below) or None."""
    vmerge = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
    return None if vmerge is None else str(vmerge.get(_w("val"), "continue"))


def _merge_label(span: int, vmerge: str | None) -> str | None:
    labels = []
    if vmerge == "continue":
        return "vMerge"
    if vmerge == "restart":
        labels.append("vMerge start")
    if span > 1:
        labels.append(f"gridSpan {span}")
    return ", ".join(labels) or None


def _grid_before(tr: Any) -> int:
    before = tr.find(f"{_w('trPr')}/{_w('gridBefore')}")
    return int(before.get(_w("val"), "0")) if before is not None else 0


def _row_cells(tr: Any) -> Iterator[Any]:
    for child in tr.iterchildren():
        if child.tag == TC:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from (c for c in content.iterchildren() if c.tag == TC)


def _table_rows(tbl: Any) -> Iterator[Any]:
    for child in tbl.iterchildren():
        if child.tag == TR:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from (r for r in content.iterchildren() if r.tag == TR)


def _row_fields(
    tr: Any, table_no: int, row_no: int, counters: _Counters
) -> tuple[list[str], list[SourceLocation], int]:
    """Fields (one per grid column) of a row, their locations, and how many ``w:tc`` it has."""
    texts: list[str] = []
    locations: list[SourceLocation] = []
    for _ in range(_grid_before(tr)):
        texts.append("")
        locations.append(SourceLocation(DocumentFormat.DOCX, table=table_no, row=row_no, cell=len(texts)))
    cell_count = 0
    for tc in _row_cells(tr):
        cell_count += 1
        column = len(texts) + 1
        span = _grid_span(tc)
        continued = _vmerge(tc) == "continue"
        merged = _merge_label(span, _vmerge(tc))
        where = f"table {table_no} row {row_no} cell {column}"
        texts.append("" if continued else _cell_text(tc, where, counters))
        for extra in range(span):
            if extra:
                texts.append("")
            locations.append(
                SourceLocation(
                    DocumentFormat.DOCX, table=table_no, row=row_no, cell=column + extra, merged=merged
                )
            )
        if merged:
            counters.merged.append(f"{where} ({merged})")
    return texts, locations, cell_count


def _add_table(tbl: Any, counters: _Counters, builder: TextBuilder) -> None:
    table_no = counters.table
    for row_no, tr in enumerate(_table_rows(tbl), start=1):
        texts, locations, cell_count = _row_fields(tr, table_no, row_no, counters)
        if cell_count == 1 and len(texts) > 1 and not any(texts[1:]):
            builder.add(texts[0], (locations[0],))  # one cell across the table: a title line
        elif not any(texts):
            builder.add("", (SourceLocation(DocumentFormat.DOCX, table=table_no, row=row_no),))
        else:
            builder.add("\t".join(texts), tuple(locations))


def _report(body: Any, counters: _Counters, builder: TextBuilder) -> None:
    inserted = sum(1 for _ in body.iter(INS))
    deleted = sum(1 for _ in body.iter(DEL, MOVE_FROM))
    if inserted or deleted:
        builder.note(
            f"tracked changes: {inserted} insertion(s) kept and {deleted} deletion(s) dropped "
            "(the text read is the text with all changes accepted)"
        )
    if counters.merged:
        builder.note(
            f"merged cells: {len(counters.merged)} (text kept once, in the first grid column / row): "
            + "; ".join(counters.merged[:20])
        )
    if counters.nested:
        builder.note("nested tables flattened into their cell's text: " + "; ".join(counters.nested))
