"""Hand-entered values CSV: parsing and validation (ingest/hand_entered.py), loading
(ingest/hand_entered_load.py) into a real DuckDB file under tmp_path, and the `cchc ingest` path.

The shipped example data/hand_entered/values.csv holds figures of the Duyên Hải Q1 2023 report's
narrative; each one is checked below against the line of the document its source reference names.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from ingest.batch import collect_files, ingest_paths
from ingest.errors import HandEnteredValueError, LoadError
from ingest.hand_entered import HandEnteredFile, parse_hand_entered
from ingest.hand_entered_load import load_hand_entered
from ingest.paths import REPO_ROOT
from ingest.records import ValueKind
from ingest.reference import ReferenceData, load_reference_data

EXAMPLE = REPO_ROOT / "data" / "hand_entered" / "values.csv"
REPORTS_DIR = REPO_ROOT / "data" / "reports"
HEADER = "unit_code,period,indicator_code,value,unit,source_reference,note"


@pytest.fixture(scope="module")
def reference() -> ReferenceData:
    return load_reference_data()


def csv_text(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def parse(text: str, reference: ReferenceData, name: str = "bad.csv") -> HandEnteredFile:
    return parse_hand_entered(text, name, reference)


# ---------------------------------------------------------------------------------------------------
# The shipped example
# ---------------------------------------------------------------------------------------------------


def test_example_values_are_the_figures_the_cited_lines_state(reference: ReferenceData) -> None:
    parsed = parse(EXAMPLE.read_text(encoding="utf-8"), reference, "values.csv")
    assert parsed.rejected == ()
    got = {v.indicator_code: (v.line_start, v.value.raw, v.value.number) for v in parsed.values}
    assert got == {
        "procedures.district.dossiers_received": (2, "246", Decimal(246)),
        "procedures.district.dossiers_resolved_early": (3, "115", Decimal(115)),
        "procedures.commune.dossiers_received": (4, "2.401", Decimal(2401)),
        "procedures.commune.dossiers_resolved_early": (5, "1561", Decimal(1561)),
        "digital_government.edocs.district.outgoing_documents": (6, "982", Decimal(982)),
    }
    document = (REPORTS_DIR / "travinh-duyenhai-2023-q1.txt").read_text(encoding="utf-8").splitlines()
    for v in parsed.values:
        assert (v.unit_code, v.period_key, v.value.kind) == ("851", "2023-Q1", ValueKind.COUNT)
        m = re.fullmatch(r"(?P<file>[\w.-]+\.txt), line (?P<line>\d+)", v.source_reference)
        assert m is not None, v.source_reference
        assert m.group("file") == "travinh-duyenhai-2023-q1.txt"
        cited = document[int(m.group("line")) - 1]
        assert re.search(rf"(?<![\d.]){re.escape(v.value.raw)} (hồ sơ|văn bản)", cited), (v.value.raw, cited)


def test_example_indicators_units_and_periods_exist_in_the_seeds(reference: ReferenceData) -> None:
    parsed = parse(EXAMPLE.read_text(encoding="utf-8"), reference, "values.csv")
    for v in parsed.values:
        assert v.indicator_code in reference.indicators
        assert v.unit_code in reference.units
    assert parsed.values[0].unit_name == "thị xã Duyên Hải"
    assert parsed.values[0].province == "Trà Vinh"
    assert (parsed.values[0].period_type, parsed.values[0].period_number) == ("quarter", 1)


# ---------------------------------------------------------------------------------------------------
# Validation: every bad row is an error naming the file and the CSV line
# ---------------------------------------------------------------------------------------------------

GOOD = "tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_received,246,Hồ sơ,doc line 55,"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "tv-duyen-hai,2023-Q1,procedures.district.dossiers_received,246,,doc line 55,",
            "bad.csv:3: unknown reporting unit 'tv-duyen-hai': expected a GSO code of the unit register "
            "(e.g. 949, 2025:92 for a unit of the 2025 register) or an alias of seeds/unit_aliases.csv "
            "(did you mean 'tv-duyen-hai-tx'?)",
        ),
        (
            "tv-duyen-hai-tx,2023-Q5,procedures.district.dossiers_received,246,,doc line 55,",
            "bad.csv:3: unknown period '2023-Q5': the suffix must be one of H1, H2, M9, Q1, Q2, Q3, Q4, Y",
        ),
        (
            "tv-duyen-hai-tx,Quý I/2023,procedures.district.dossiers_received,246,,doc line 55,",
            "bad.csv:3: unreadable period 'Quý I/2023': expected YEAR-SUFFIX such as '2023-Q1', '2024-H1', "
            "'2023-M9', '2021-Y' (suffixes: H1, H2, M9, Q1, Q2, Q3, Q4, Y)",
        ),
        (
            "tv-duyen-hai-tx,2040-Y,procedures.district.dossiers_received,246,,doc line 55,",
            "bad.csv:3: period '2040-Y' is outside the years 2015-2035 of dim_period",
        ),
        (
            "tv-duyen-hai-tx,2023-Q1,procedures.district.dossier_received,246,,doc line 55,",
            "bad.csv:3: unknown indicator 'procedures.district.dossier_received': expected an indicator_code "
            "of seeds/indicators.csv (did you mean 'procedures.district.dossiers_received'?)",
        ),
        (
            "tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_received,1.2.3,,doc line 55,",
            "bad.csv:3: unreadable value: expected a number written with '.' thousands groups and ',' "
            "decimals (e.g. '5.327', '66,67'), got '1.2.3'",
        ),
        (
            "tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_received,,,doc line 55,",
            "bad.csv:3: empty required cell(s) value (a figure that is not known is left out, not entered "
            "empty)",
        ),
        (
            "tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_received,246,,,",
            "bad.csv:3: empty required cell(s) source_reference (a figure that is not known is left out, "
            "not entered empty)",
        ),
        (
            "tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_received,Hồ sơ,Hồ sơ,doc line 55,",
            "bad.csv:3: value 'Hồ sơ' carries no figure (only a unit or an empty mark); a figure that is not "
            "known is left out",
        ),
        (
            "nd-truc-ninh-cat-thanh,2025-Q4,procedures.commune.dossiers_received,10,,doc,",
            "bad.csv:3: reporting unit '14056' ended on 2025-06-30, before period '2025-Q4'",
        ),
        (
            "tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_received,246,Hồ sơ,doc,note,extra",
            "bad.csv:3: 8 cells but the header has 7 columns (a comma inside a value needs the cell in "
            "double quotes)",
        ),
    ],
)
def test_a_bad_row_is_rejected_with_file_line_and_reason(
    reference: ReferenceData, row: str, expected: str
) -> None:
    parsed = parse(csv_text(GOOD, row), reference)
    assert [v.line_start for v in parsed.values] == [2]  # the valid row of the same file still comes through
    assert len(parsed.rejected) == 1
    rejected = parsed.rejected[0]
    assert isinstance(rejected.error, HandEnteredValueError)
    assert (rejected.error.source_file, rejected.error.line) == ("bad.csv", 3)
    assert str(rejected.error) == expected
    assert rejected.raw_text == row
    assert (rejected.line_start, rejected.line_end) == (3, 3)


def test_the_same_unit_period_indicator_twice_rejects_the_later_row(reference: ReferenceData) -> None:
    parsed = parse(csv_text(GOOD, GOOD.replace(",246,", ",247,")), reference)
    assert [v.value.raw for v in parsed.values] == ["246"]
    assert str(parsed.rejected[0].error) == (
        "bad.csv:3: 851 2023-Q1 procedures.district.dossiers_received is already given on line 2"
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "unit_code,period,indicator_code,value,note",
            "bad.csv:1: bad header (missing column(s) source_reference): expected the columns unit_code, "
            "period, indicator_code, value, source_reference, unit, note (unit, note optional)",
        ),
        (
            "unit_code,period,indicator_code,value,source_reference,comment",
            "bad.csv:1: bad header (unknown column(s) comment): expected the columns unit_code, period, "
            "indicator_code, value, source_reference, unit, note (unit, note optional)",
        ),
    ],
)
def test_an_unusable_header_rejects_the_whole_file(
    reference: ReferenceData, header: str, message: str
) -> None:
    with pytest.raises(HandEnteredValueError) as info:
        parse(header + "\n" + GOOD + "\n", reference)
    assert str(info.value) == message
    with pytest.raises(HandEnteredValueError, match=r"^bad\.csv:1: empty file"):
        parse("", reference)


# ---------------------------------------------------------------------------------------------------
# Value forms, catalogue context, columns, NFC, line numbers
# ---------------------------------------------------------------------------------------------------


def test_value_forms_are_read_like_report_cells(reference: ReferenceData) -> None:
    parsed = parse(
        csv_text(
            # the Duyên Hải narrative, line 121: "1.250/2401 hồ sơ phát sinh trực tuyến"
            "tv-duyen-hai-tx,2023-Q1,online_services.total.dossiers_received_online,1.250/2401,Hồ sơ,l. 121,",
            # percent indicator, unit left empty: the catalogue's type makes "99,5" a percent
            'tv-duyen-hai-tx,2023-Q1,procedures.district.on_time_rate,"99,5",,l. 300,',
            # percent with a decimal point, only allowed in a percent context
            "tv-duyen-hai-tx,2023-Q1,public_finance.investment.disbursement_rate,13.5%,,l. 100,",
            # yes/no indicator written as a word
            "tv-duyen-hai-tx,2023-Q1,procedures.control.plan_issued,Có,,l. 47,",
            # a bound and words
            "st-thanh-tri,2021-Y,digital_government.edocs.district.fully_electronic_rate,Trên 90%,,x,",
            "st-thanh-tri,2021-Y,direction.inspection.departments_inspected,Chưa,,x,",
        ),
        reference,
    )
    assert parsed.rejected == ()
    ratio, rate, decimal_point, yes, bound, words = (v.value for v in parsed.values)
    assert (ratio.kind, ratio.numerator, ratio.denominator) == (ValueKind.RATIO, Decimal(1250), Decimal(2401))
    assert (rate.kind, rate.number, parsed.values[1].unit, parsed.values[1].raw_unit) == (
        ValueKind.PERCENT,
        Decimal("99.5"),
        "%",
        "",
    )
    assert (decimal_point.kind, decimal_point.number) == (ValueKind.PERCENT, Decimal("13.5"))
    assert (yes.kind, yes.number) == (ValueKind.CODE, Decimal(1))
    assert (bound.kind, bound.qualifier, bound.number) == (ValueKind.PERCENT, ">", Decimal(90))
    assert (words.kind, words.text) == (ValueKind.TEXT, "Chưa")


def test_columns_in_any_order_optional_columns_absent_bom_and_case(reference: ReferenceData) -> None:
    text = "\ufeffValue,Unit_Code,PERIOD,indicator_code,source_reference\n246,TV-Duyen-Hai-TX,2023-q1,"
    text += "procedures.district.dossiers_received,doc line 55\n"
    parsed = parse(text, reference)
    assert parsed.rejected == ()
    (v,) = parsed.values
    assert (v.unit_code, v.raw_unit_code, v.period_key, v.raw_period) == (
        "851",
        "TV-Duyen-Hai-TX",
        "2023-Q1",
        "2023-q1",
    )
    assert (v.note, v.raw_unit, v.value.number) == ("", "", Decimal(246))


def test_cells_are_normalized_to_nfc_and_keep_their_diacritics(reference: ReferenceData) -> None:
    nfd = unicodedata.normalize("NFD", "Chưa")
    note = unicodedata.normalize("NFD", "Số liệu từ báo Trà Vinh")
    assert nfd != "Chưa"
    parsed = parse(
        csv_text(f"tv-duyen-hai-tx,2023-Q1,direction.inspection.departments_inspected,{nfd},,x,{note}"),
        reference,
    )
    (v,) = parsed.values
    assert v.value.raw == "Chưa" and unicodedata.is_normalized("NFC", v.value.raw)
    assert v.value.text == "Chưa"
    assert v.note == "Số liệu từ báo Trà Vinh"


def test_line_numbers_count_blank_lines_crlf_and_multi_line_cells(reference: ReferenceData) -> None:
    text = (
        HEADER
        + "\r\n\r\n"
        + GOOD
        + "\r\n"
        + "tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_resolved_early,115,,doc line 55,"
        + '"two\r\nlines"\r\n'
        + "tv-duyen-hai-tx,2023-Q1,nope,1,,x,\r\n"
    )
    parsed = parse(text, reference)
    assert [(v.line_start, v.line_end) for v in parsed.values] == [(3, 3), (4, 5)]
    assert parsed.values[1].note == "two\r\nlines"
    assert parsed.rejected[0].error.line == 6
    assert parsed.line_count == 6
    assert parsed.row_count == 3


# ---------------------------------------------------------------------------------------------------
# Loading into a real DuckDB file
# ---------------------------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_rows_load_and_invalid_rows_are_quarantined(tmp_path: Path, reference: ReferenceData) -> None:
    csv_path = write(
        tmp_path / "mixed.csv",
        csv_text(GOOD, "tv-duyen-hai-tx,2023-Q1,no.such.indicator,5,,x,", "xx,2023-Q1,procedures.x,1,,x,"),
    )
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        result = load_hand_entered(con, csv_path, reference=reference)
        assert result.outcome.status == "loaded"
        assert result.outcome.counts == {"hand_entered_values": 1, "quarantine": 2}
        assert [e.line for e in result.rejected] == [3, 4]
        assert result.error_summary is not None
        assert result.error_summary.startswith("2 row(s) quarantined: mixed.csv:3: unknown indicator")
        values = con.execute(
            "select line_start, line_end, raw_value, value_number, indicator_code, unit_code, period_type, "
            "period_year, period_number, source_reference from raw.hand_entered_values"
        ).fetchall()
        assert values == [
            (
                2,
                2,
                "246",
                Decimal(246),
                "procedures.district.dossiers_received",
                "851",
                "quarter",
                2023,
                1,
                "doc line 55",
            )
        ]
        quarantined = con.execute(
            "select quarantine_id, report_id, source_file, line_start, line_end, raw_text, reason "
            "from raw.quarantine order by line_start"
        ).fetchall()
        file_id = result.outcome.report_id
        assert [q[:5] for q in quarantined] == [
            (f"{file_id}:3", None, "mixed.csv", 3, 3),
            (f"{file_id}:4", None, "mixed.csv", 4, 4),
        ]
        assert quarantined[0][5] == "tv-duyen-hai-tx,2023-Q1,no.such.indicator,5,,x,"
        assert quarantined[0][6].startswith("unknown indicator 'no.such.indicator'")
        assert quarantined[1][6].startswith("unknown reporting unit 'xx'")
        files = con.execute(
            "select source_file, line_count, row_count, value_count, rejected_count, version_number "
            "from raw.hand_entered_files"
        ).fetchall()
        assert files == [("mixed.csv", 4, 3, 1, 2, 1)]


def test_loading_the_same_bytes_again_is_a_no_op_and_a_changed_file_is_a_new_version(
    tmp_path: Path, reference: ReferenceData
) -> None:
    csv_path = write(tmp_path / "values.csv", csv_text(GOOD))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        first = load_hand_entered(con, csv_path, reference=reference)
        again = load_hand_entered(con, csv_path, reference=reference)
        assert (first.outcome.status, again.outcome.status) == ("loaded", "already loaded")
        assert again.outcome.report_id == first.outcome.report_id
        counts = (
            "select (select count(*) from raw.hand_entered_files), "
            "(select count(*) from raw.hand_entered_values)"
        )
        assert con.execute(counts).fetchone() == (1, 1)
        write(csv_path, csv_text(GOOD.replace(",246,", ",247,")))
        changed = load_hand_entered(con, csv_path, reference=reference)
        assert (changed.outcome.status, changed.outcome.version_number) == ("loaded", 2)
        assert changed.outcome.report_id != first.outcome.report_id
        assert con.execute(counts).fetchone() == (2, 2)
        assert con.execute(
            "select version_number, raw_value from raw.hand_entered_values join raw.hand_entered_files "
            "using (file_id) order by version_number"
        ).fetchall() == [(1, "246"), (2, "247")]


def test_an_unreadable_file_loads_nothing_and_is_quarantined(
    tmp_path: Path, reference: ReferenceData
) -> None:
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(
        (HEADER + "\n" + GOOD.replace("Hồ sơ", "Hồ") + "\n").encode("utf-8")[:-20] + b"\xe9\xe9\n"
    )
    bad_header = write(tmp_path / "header.csv", "unit,period\n" + GOOD + "\n")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        with pytest.raises(LoadError, match=r"^latin1\.csv:2: not UTF-8 text"):
            load_hand_entered(con, latin, reference=reference)
        with pytest.raises(LoadError, match=r"^header\.csv:1: bad header \(missing column\(s\) unit_code"):
            load_hand_entered(con, bad_header, reference=reference)
        assert con.execute("select count(*) from raw.hand_entered_values").fetchone() == (0,)
        assert con.execute("select count(*) from raw.hand_entered_files").fetchone() == (0,)
        entries = con.execute(
            "select source_file, quarantine_id like 'file:%', reason from raw.quarantine order by source_file"
        ).fetchall()
        assert [e[:2] for e in entries] == [("header.csv", True), ("latin1.csv", True)]
        assert entries[0][2].startswith("cannot read: bad header")


# ---------------------------------------------------------------------------------------------------
# `cchc ingest` and the pipeline
# ---------------------------------------------------------------------------------------------------


def test_folders_contribute_their_csv_files(tmp_path: Path) -> None:
    write(tmp_path / "b.csv", HEADER + "\n")
    write(tmp_path / "a.txt", "x\n")
    write(tmp_path / "c.json", "{}\n")
    assert [p.name for p in collect_files([tmp_path])] == ["a.txt", "b.csv"]


def test_ingest_paths_loads_csv_and_reports_quarantined_rows_as_a_failure(tmp_path: Path) -> None:
    csv_path = write(
        tmp_path / "typo.csv",
        csv_text(GOOD, "tv-duyen-hai-tx,2023-Q1,procedures.district.dossier_received,1,,x,"),
    )
    results = ingest_paths([EXAMPLE, csv_path], tmp_path / "w.duckdb", None)
    assert [r.status for r in results] == ["loaded", "quarantined"]
    assert results[1].outcome is not None and results[1].outcome.counts["hand_entered_values"] == 1
    assert results[1].error is not None and "typo.csv:3: unknown indicator" in results[1].error
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.hand_entered_values").fetchone() == (6,)


def test_cli_ingest_accepts_csv_paths_and_names_the_bad_row(tmp_path: Path) -> None:
    csv_path = write(
        tmp_path / "typo.csv",
        csv_text(GOOD, "tv-duyen-hai-tx,2023-Q9,procedures.district.dossiers_received,1,,x,"),
    )
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(csv_path), "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1, result.output
    assert "loaded as hand_entered v1 (1 values)" in result.output
    assert "typo.csv:3: unknown period '2023-Q9'" in result.output
    again = runner.invoke(app, ["ingest", str(EXAMPLE), "--warehouse", str(tmp_path / "w.duckdb")])
    assert again.exit_code == 0, again.output
    assert "loaded as hand_entered v1 (5 values)" in again.output


@pytest.mark.parametrize(
    ("cell", "code", "level"),
    [
        ("94", "94", "province"),  # a province by its GSO code: province-wide figures
        ("soc-trang", "94", "province"),  # ... or by its alias
        ("2025:92", "2025:92", "province"),  # a province of the 2025 register
        ("14056", "14056", "commune"),
        ("948", "948", "district"),  # thị xã Ngã Năm: any unit of the register, not only the samples'
    ],
)
def test_any_register_unit_by_gso_code_or_alias(
    reference: ReferenceData, cell: str, code: str, level: str
) -> None:
    period = "2025-Q4" if cell.startswith("2025:") else "2023-Q1"
    parsed = parse(csv_text(f"{cell},{period},procedures.district.dossiers_received,246,,x,"), reference)
    assert parsed.rejected == ()
    (v,) = parsed.values
    assert (v.unit_code, v.unit_level) == (code, level)
