"""The auditor's report (outputs/audit/: data.py reads, html.py renders, report.py writes).

The audit tables are built by dbt models (models/audit/) that other sessions write; these
tests create the contract tables in a DuckDB file under tmp_path, filled with rows about the
real sample reports: every line of data/reports/*.txt goes into raw.line_classes, and the
findings point at real, hand-checked places of those documents:

- Thạnh Trị 2021, lines 86-87: district dossiers received 2.953 < resolved 2.968 (chain broken).
- Cát Thành 2024, lines 636/642/648: online-payment rate 100 % but 13 of 22 procedures (59,09 %).
- Thạnh Trị 2021, line 91: commune dossiers received 68.826, an outlier against the other units.
- A copy of the Vĩnh Châu 2022 template (another unit's copy, as the family will see) whose
  on-time count at line 90 is "-3" and whose note holds "<script>" and "<b>" remnants.

Consistent groups appear as passed evaluations (Duyên Hải 99,5 % = 219/220 and 41,8 % =
103/246; Vĩnh Châu 413 = 274 + 139) and one skipped evaluation (Duyên Hải line 285, the
total number of procedures, is empty).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from markupsafe import escape

from ingest.paths import REPO_ROOT
from outputs.audit.data import FINDING_FIELDS
from outputs.audit.report import EXIT_FINDINGS, EXIT_OK, AuditSummary, exit_code_for, write_audit_report
from outputs.errors import AuditReportError

REPORTS = REPO_ROOT / "data" / "reports"
SCHEMA_SQL = REPO_ROOT / "ingest" / "schema.sql"

THANHTRI = "soctrang-thanhtri-2021-year.txt"
VINHCHAU = "soctrang-vinhchau-2022-q3.txt"
DUYENHAI = "travinh-duyenhai-2023-q1.txt"
CATTHANH = "namdinh-catthanh-2024-q3.txt"
COPY = "soctrang-copy-2022-q3.txt"  # another unit's copy of the Vĩnh Châu template

XSS = "<script>alert(1)</script>"
COPY_BAD_LINE = 90

AUDIT_DDL = """
create schema if not exists audit;
create table audit.dq_rules (
    rule_id varchar primary key, rule_kind varchar, indicator_codes varchar, severity varchar,
    missing_strategy varchar, tolerance double, description_en varchar, description_vi varchar);
create table audit.dq_evaluations (
    evaluation_id varchar primary key, report_id varchar, unit_code varchar, period_key varchar,
    rule_id varchar, rule_kind varchar, severity varchar, status varchar, skip_reason varchar,
    indicator_codes varchar, observed varchar, message varchar);
create table audit.dq_findings (
    finding_id varchar primary key, rule_id varchar, rule_kind varchar, severity varchar,
    report_id varchar, unit_code varchar, period_key varchar, indicator_codes varchar,
    observed varchar, expected varchar, message varchar, source_file varchar,
    line_start integer, line_end integer, source_lines varchar);
"""


def sample_lines(name: str) -> list[str]:
    return (REPORTS / name).read_text(encoding="utf-8").splitlines()


def copy_lines() -> list[str]:
    """The Vĩnh Châu template as another unit filled it in: a negative count and markup in a note."""
    lines = sample_lines(VINHCHAU)
    assert "giải quyết đúng hạn\tHồ sơ\t4.823\t99,95%" in lines[COPY_BAD_LINE - 1]
    # Written in NFD on purpose (as some converters do): the page must show it in NFC.
    label = unicodedata.normalize("NFD", "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn")
    lines[COPY_BAD_LINE - 1] = f"\t{label}\tHồ sơ\t-3\t{XSS} <b>Ghi chú</b>"
    return lines


def report_id(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def all_lines() -> dict[str, list[str]]:
    lines = {name: sample_lines(name) for name in (THANHTRI, VINHCHAU, DUYENHAI, CATTHANH)}
    lines[COPY] = copy_lines()
    return lines


def sample_ids() -> dict[str, str]:
    return {name: report_id(text) for name, text in all_lines().items()}


@dataclass
class Fixture:
    warehouse: Path
    ids: dict[str, str]  # source_file -> report_id
    run_results: Path
    lines: dict[str, list[str]] = field(default_factory=dict)


REPORT_META = {
    # source_file: unit_code, unit_name, level, province, year, period_type, number, family
    THANHTRI: (
        "ST.THANHTRI",
        "huyện Thạnh Trị",
        "district",
        "Sóc Trăng",
        2021,
        "year",
        None,
        "soctrang_2021",
    ),
    VINHCHAU: (
        "ST.VINHCHAU",
        "thị xã Vĩnh Châu",
        "district",
        "Sóc Trăng",
        2022,
        "quarter",
        3,
        "soctrang_2022",
    ),
    DUYENHAI: (
        "TV.DUYENHAI",
        "thị xã Duyên Hải",
        "district",
        "Trà Vinh",
        2023,
        "quarter",
        1,
        "national_2023",
    ),
    CATTHANH: (
        "ND.CATTHANH",
        "thị trấn Cát Thành",
        "commune",
        "Nam Định",
        2024,
        "quarter",
        3,
        "national_commune_2024",
    ),
    COPY: ("ST.COPY", "thị xã Mỹ Xuyên", "district", "Sóc Trăng", 2022, "quarter", 3, "soctrang_2022"),
}
PERIOD_KEYS = {
    THANHTRI: "2021",
    VINHCHAU: "2022-Q3",
    DUYENHAI: "2023-Q1",
    CATTHANH: "2024-Q3",
    COPY: "2022-Q3",
}


def line_class(text: str) -> str:
    if not text.strip():
        return "blank"
    return "statistic" if "\t" in text else "narrative"


RULES = [
    (
        "chain_dossiers_district",
        "ordered_chain",
        "dossiers_received_district,dossiers_resolved_district,dossiers_on_time_district",
        "warning",
        "Received >= resolved >= resolved on time (district level).",
        "Số hồ sơ tiếp nhận ≥ đã giải quyết ≥ giải quyết đúng hạn (cấp huyện).",
    ),
    (
        "rate_online_payment",
        "rate_reconciliation",
        "online_payment_tthc_rate,tthc_with_fees,online_payment_tthc",
        "warning",
        "Online-payment rate = integrated procedures / procedures with fees.",
        "Tỷ lệ TTHC thanh toán trực tuyến = số TTHC đã tích hợp / số TTHC có phí, lệ phí.",
    ),
    (
        "rate_on_time_district",
        "rate_reconciliation",
        "on_time_rate_district,dossiers_resolved_district,dossiers_on_time_district",
        "warning",
        "On-time rate = on time / resolved (district level).",
        "Tỷ lệ đúng hạn = số hồ sơ đúng hạn / số hồ sơ đã giải quyết (cấp huyện).",
    ),
    (
        "rate_online_dossiers",
        "rate_reconciliation",
        "online_dossier_rate,dossiers_received_total,dossiers_received_online",
        "warning",
        "Online dossier rate = online / all received.",
        "Tỷ lệ hồ sơ trực tuyến = số hồ sơ trực tuyến / tổng số hồ sơ tiếp nhận.",
    ),
    (
        "parts_tthc_levels",
        "parts_total",
        "tthc_total,tthc_district,tthc_commune",
        "warning",
        "District + commune procedures = total procedures.",
        "Số TTHC cấp huyện + cấp xã = tổng số TTHC.",
    ),
    (
        "domain_count_nonnegative",
        "domain",
        "*",
        "error",
        "Counts are whole and non-negative.",
        "Số đếm là số nguyên không âm.",
    ),
    (
        "outlier_dossiers_received_commune",
        "outlier",
        "dossiers_received_commune",
        "info",
        "Commune dossiers received: modified z-score across units and periods.",
        "Số hồ sơ cấp xã tiếp nhận: điểm z hiệu chỉnh giữa các đơn vị, kỳ báo cáo.",
    ),
]


def findings_rows(ids: dict[str, str]) -> list[tuple[Any, ...]]:
    """(finding_id, rule_id, kind, severity, source_file, codes, observed, expected, message, lines)."""
    return [
        (
            f"{ids[THANHTRI]}:chain_dossiers_district:1",
            "chain_dossiers_district",
            "ordered_chain",
            "warning",
            THANHTRI,
            "dossiers_received_district,dossiers_resolved_district",
            {"dossiers_received_district": 2953, "dossiers_resolved_district": 2968},
            "dossiers_received_district >= 2968",
            "Dossiers received (Số hồ sơ TTHC do UBND cấp huyện tiếp nhận) 2953 < resolved 2968",
            [86, 87],
        ),
        (
            f"{ids[CATTHANH]}:rate_online_payment:1",
            "rate_online_payment",
            "rate_reconciliation",
            "warning",
            CATTHANH,
            "online_payment_tthc_rate,tthc_with_fees,online_payment_tthc",
            {"online_payment_tthc_rate": 100, "tthc_with_fees": 22, "online_payment_tthc": 13},
            "59.09 ± 0.5",
            "Reported rate 100 does not match 13 / 22 = 59.09",
            [636, 642, 648],
        ),
        (
            f"{ids[THANHTRI]}:outlier_dossiers_received_commune:1",
            "outlier_dossiers_received_commune",
            "outlier",
            "info",
            THANHTRI,
            "dossiers_received_commune",
            {"dossiers_received_commune": 68826},
            "modified z-score <= 3.5 (median 24744)",
            "68826 is an outlier among 3 units (modified z-score 4.1)",
            [91],
        ),
        (
            f"{ids[COPY]}:domain_count_nonnegative:1",
            "domain_count_nonnegative",
            "domain",
            "error",
            COPY,
            "dossiers_on_time_district",
            {"dossiers_on_time_district": -3},
            ">= 0, whole",
            "Count dossiers_on_time_district is negative: -3 <b>",
            [COPY_BAD_LINE],
        ),
    ]


def evaluation_rows(ids: dict[str, str]) -> list[tuple[Any, ...]]:
    """(source_file, rule_id, kind, severity, status, skip_reason, codes, observed, message)."""
    return [
        (
            DUYENHAI,
            "rate_on_time_district",
            "rate_reconciliation",
            "warning",
            "passed",
            None,
            "on_time_rate_district,dossiers_resolved_district,dossiers_on_time_district",
            {
                "on_time_rate_district": 99.5,
                "dossiers_resolved_district": 220,
                "dossiers_on_time_district": 219,
            },
            "219 / 220 = 99.545, rounded to 1 decimal 99.5",
        ),
        (
            DUYENHAI,
            "rate_online_dossiers",
            "rate_reconciliation",
            "warning",
            "passed",
            None,
            "online_dossier_rate,dossiers_received_total,dossiers_received_online",
            {"online_dossier_rate": 41.8, "dossiers_received_total": 246, "dossiers_received_online": 103},
            "103 / 246 = 41.87, truncated to 1 decimal 41.8",
        ),
        (
            VINHCHAU,
            "parts_tthc_levels",
            "parts_total",
            "warning",
            "passed",
            None,
            "tthc_total,tthc_district,tthc_commune",
            {"tthc_total": 413, "tthc_district": 274, "tthc_commune": 139},
            "274 + 139 = 413",
        ),
        (
            VINHCHAU,
            "chain_dossiers_district",
            "ordered_chain",
            "warning",
            "passed",
            None,
            "dossiers_received_district,dossiers_resolved_district,dossiers_on_time_district",
            {
                "dossiers_received_district": 5327,
                "dossiers_resolved_district": 4825,
                "dossiers_on_time_district": 4823,
            },
            "5327 >= 4825 >= 4823",
        ),
        (
            DUYENHAI,
            "parts_tthc_levels",
            "parts_total",
            "warning",
            "skipped",
            "tthc_total is missing (skip when any is missing)",
            "tthc_total,tthc_district,tthc_commune",
            {"tthc_total": None, "tthc_district": 301, "tthc_commune": 156},
            None,
        ),
        (
            THANHTRI,
            "chain_dossiers_district",
            "ordered_chain",
            "warning",
            "failed",
            None,
            "dossiers_received_district,dossiers_resolved_district,dossiers_on_time_district",
            {"dossiers_received_district": 2953, "dossiers_resolved_district": 2968},
            "received < resolved",
        ),
        (
            CATTHANH,
            "rate_online_payment",
            "rate_reconciliation",
            "warning",
            "failed",
            None,
            "online_payment_tthc_rate,tthc_with_fees,online_payment_tthc",
            {"online_payment_tthc_rate": 100, "tthc_with_fees": 22, "online_payment_tthc": 13},
            "100 vs 59.09",
        ),
        (
            THANHTRI,
            "outlier_dossiers_received_commune",
            "outlier",
            "info",
            "failed",
            None,
            "dossiers_received_commune",
            {"dossiers_received_commune": 68826},
            "outlier",
        ),
        (
            COPY,
            "domain_count_nonnegative",
            "domain",
            "error",
            "failed",
            None,
            "dossiers_on_time_district",
            {"dossiers_on_time_district": -3},
            "negative count",
        ),
    ]


def build_warehouse(
    directory: Path,
    *,
    with_findings: bool = True,
    extra_findings: list[tuple[Any, ...]] | None = None,
) -> Fixture:
    """A warehouse file with the raw schema (ingest/schema.sql) and the audit contract tables."""
    lines = all_lines()
    ids = {name: report_id(text) for name, text in lines.items()}
    warehouse = directory / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(AUDIT_DDL)
    for version, (name, text) in enumerate(lines.items(), start=1):
        code, unit, level, province, year, ptype, number, family = REPORT_META[name]
        con.execute(
            "insert into raw.reports (report_id, source_file, source_path, file_sha256, line_count, "
            "template_family, family_detection_score, manifest_entry_found, unit_code, unit_name, "
            "unit_level, "
            "province, period_year, period_type, period_number, is_held_out, version_number, loaded_at, "
            "parser_version) values (?, ?, ?, ?, ?, ?, 0.9, true, ?, ?, ?, ?, ?, ?, ?, false, ?, "
            "timestamp '2025-01-10 09:00:00', '0.1.0')",
            [
                *(ids[name], name, f"data/reports/{name}", ids[name] * 4, len(text), family),
                *(code, unit, level, province, year, ptype, number, version),
            ],
        )
        frame = pd.DataFrame(
            [(ids[name], name, n, line_class(t), "", t) for n, t in enumerate(text, start=1)],
            columns=["report_id", "source_file", "line_no", "line_class", "reason", "line_text"],
        )
        con.register("frame", frame)
        con.execute("insert into raw.line_classes by name select * from frame")
        con.unregister("frame")
        con.execute(
            "insert into raw.validation_results values (?, ?, 'expect_column_values_to_not_be_null', "
            "'line_start', true, 0, null, timestamp '2025-01-10 09:00:00')",
            [ids[name], name],
        )
    con.execute(
        "insert into raw.validation_results values (?, ?, 'expect_column_values_to_match_regex', "
        "'raw_note', false, 1, ?, timestamp '2025-01-10 09:00:00')",
        [
            ids[COPY],
            COPY,
            json.dumps({"partial_unexpected_list": [f"{XSS} <b>Ghi chú</b>"]}, ensure_ascii=False),
        ],
    )
    con.executemany(
        "insert into audit.dq_rules values (?, ?, ?, ?, 'skip_if_any_missing', 0.5, ?, ?)",
        [list(r) for r in RULES],
    )
    for name, rule, kind, sev, status, skip, codes, observed, message in evaluation_rows(ids):
        con.execute(
            "insert into audit.dq_evaluations values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                *(f"{ids[name]}:{rule}", ids[name], REPORT_META[name][0], PERIOD_KEYS[name], rule, kind),
                *(sev, status, skip, codes, json.dumps(observed), message),
            ],
        )
    rows = (findings_rows(ids) if with_findings else []) + (extra_findings or [])
    for fid, rule, kind, sev, name, codes, observed, expected, message, src in rows:
        con.execute(
            "insert into audit.dq_findings values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                *(fid, rule, kind, sev, ids[name], REPORT_META[name][0], PERIOD_KEYS[name], codes),
                observed if isinstance(observed, str) else json.dumps(observed, ensure_ascii=False),
                *(expected, message, name, min(src), max(src), json.dumps(src)),
            ],
        )
    con.close()
    run_results = directory / "run_results.json"
    run_results.write_text(json.dumps(RUN_RESULTS, ensure_ascii=False), encoding="utf-8")
    return Fixture(warehouse=warehouse, ids=ids, run_results=run_results, lines=lines)


RUN_RESULTS: dict[str, Any] = {
    "metadata": {"dbt_version": "1.11.0", "generated_at": "2025-01-10T09:05:00.000000Z"},
    "results": [
        {
            "unique_id": "model.cchc.fct_indicator_values",
            "status": "success",
            "failures": None,
            "message": "OK",
        },
        {
            "unique_id": "test.cchc.unique_fct_indicator_values_value_id.1a2b3c",
            "status": "pass",
            "failures": 0,
            "message": None,
        },
        {
            "unique_id": "test.cchc.ordered_chain_int_canonical_dossiers.4d5e6f",
            "status": "warn",
            "failures": 1,
            "message": "Got 1 result, configured to warn if != 0 <b>",
        },
        {
            "unique_id": "test.cchc.not_null_stg_reports_report_id.7a8b9c",
            "status": "fail",
            "failures": 2,
            "message": "Got 2 results, configured to fail if != 0",
        },
    ],
}


# --------------------------------------------------------------------------- HTML helpers


class PageParser(HTMLParser):
    """Collects tags, table rows, marks and quoted lines per finding row (``tr.finding``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.article: str | None = None
        self.marks: dict[str, list[str]] = {}
        self.quoted: dict[str, list[tuple[int, bool]]] = {}
        self.texts: dict[str, list[str]] = {}
        self.in_mark = False
        self.table: str | None = None
        self.table_rows: dict[str, list[dict[str, str]]] = {}
        self.in_tbody = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "tr" and "finding" in a.get("class", "").split():
            self.article = a["data-finding-id"]
            self.marks[self.article] = []
            self.quoted[self.article] = []
            self.texts[self.article] = []
        elif tag == "mark":
            self.in_mark = True
            if self.article is not None:
                self.marks[self.article].append("")
        elif tag == "div" and self.article is not None and "data-line-no" in a:
            self.quoted[self.article].append((int(a["data-line-no"]), "involved" in a["class"].split()))
        elif tag == "table" and "id" in a:
            self.table = a["id"]
            self.table_rows[self.table] = []
        elif tag == "tbody":
            self.in_tbody = True
        if tag == "tr" and self.in_tbody and self.table is not None:
            self.table_rows[self.table].append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.article = None
        elif tag == "mark":
            self.in_mark = False
        elif tag == "tbody":
            self.in_tbody = False
        elif tag == "table":
            self.table = None

    def handle_data(self, data: str) -> None:
        if self.article is None:
            return
        self.texts[self.article].append(data)
        if self.in_mark:
            self.marks[self.article][-1] += data


def parse_page(html_text: str) -> PageParser:
    parser = PageParser()
    parser.feed(html_text)
    parser.close()
    return parser


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Fixture, AuditSummary, Path]]:
    directory = tmp_path_factory.mktemp("audit")
    fixture = build_warehouse(directory)
    out_dir = directory / "target" / "audit"
    summary = write_audit_report(fixture.warehouse, out_dir, fixture.run_results)
    yield fixture, summary, out_dir


@pytest.fixture(scope="module")
def page(built: tuple[Fixture, AuditSummary, Path]) -> str:
    return (built[2] / "index.html").read_text(encoding="utf-8")


def findings_pages(out_dir: Path, lang: str = "vi") -> dict[str, str]:
    """The findings pages of one language: name -> HTML."""
    pages = sorted((out_dir / "findings").glob("*.html"))
    chosen = [p for p in pages if p.name.endswith(".en.html") == (lang == "en")]
    return {p.name: p.read_text(encoding="utf-8") for p in chosen}


@pytest.fixture(scope="module")
def pages(built: tuple[Fixture, AuditSummary, Path]) -> str:
    """Every Vietnamese findings page (the HTML shells), one after the other."""
    return "".join(findings_pages(built[2]).values())


FINDING_COLUMNS = (
    "finding_id", "finding_key", "status", "rule_id", "rule_kind", "severity", "line_start", "line_end",
    "involved", "indicators", "observed", "expected", "message", "message_vi", "value_places",
)  # fmt: skip
REPORT_COLUMNS = ("report_index", "report_id", "source_file", "unit_code", "unit_name", "period_key")
DATA_CALL = "cchcAudit.addPart("


def page_parts(out_dir: Path, page: str) -> list[dict[str, Any]]:
    """The data files of a findings page (``findings/data/<page>.<k>.js``), parsed."""
    parts = []
    for path in sorted((out_dir / "findings" / "data").glob(f"{page}.*.js")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(DATA_CALL) and text.endswith(");\n"), path
        parts.append(json.loads(text[len(DATA_CALL) : -3]))
    return parts


def page_findings(out_dir: Path, page: str) -> list[dict[str, Any]]:
    """Every finding row of a page's data, with its report's fields and the lines its part quotes."""
    rows = []
    for part in page_parts(out_dir, page):
        assert part["page"] == page
        assert len({r[0] for r in part["reports"]}) == len(part["reports"])  # each report once a part
        for *fields, lines, findings in part["reports"]:
            report = dict(zip(REPORT_COLUMNS, fields, strict=True))
            line_texts = {line_no: text for line_no, text, _place in lines}
            assert sorted(line_texts) == [n for n, _, _ in lines]  # each line once, in order
            for values in findings:
                rows.append(dict(zip(FINDING_COLUMNS, values, strict=True)) | report | {"lines": line_texts})
    return rows


def all_page_findings(out_dir: Path) -> dict[str, dict[str, Any]]:
    """finding_id -> its row, over every page."""
    names = [
        p.name.removesuffix(".html")
        for p in sorted((out_dir / "findings").glob("*.html"))
        if not p.name.endswith(".en.html")
    ]
    return {row["finding_id"]: row | {"page": name} for name in names for row in page_findings(out_dir, name)}


def test_fixture_points_at_the_real_document_lines() -> None:
    """The hand-checked places the fixture's findings name, read back from the documents."""
    thanhtri = sample_lines(THANHTRI)
    assert thanhtri[85].startswith("\tSố hồ sơ TTHC do UBND cấp huyện tiếp nhận\t2.953")
    assert thanhtri[86].startswith("\tSố hồ sơ TTHC do UBND cấp huyện giải quyết và trả kết quả\t2.968")
    assert thanhtri[90].startswith("\tSố hồ sơ TTHC do UBND cấp xã tiếp nhận\t68.826")
    catthanh = sample_lines(CATTHANH)
    assert catthanh[635].startswith("2.5 Tỷ lệ TTHC được tích hợp, triển khai thanh toán trực tuyến % 100")
    assert catthanh[641].strip() == "Thủ tục 22"
    assert catthanh[647].strip() == "Thủ tục 13"


# --------------------------------------------------------------------------- findings.json / csv


def test_findings_json_lists_every_finding_with_lineage(built: tuple[Fixture, AuditSummary, Path]) -> None:
    fixture, summary, out_dir = built
    assert summary.findings_json == out_dir / "findings.json"
    findings = json.loads(summary.findings_json.read_text(encoding="utf-8"))
    assert isinstance(findings, list)
    assert len(findings) == 4
    for item in findings:
        assert set(FINDING_FIELDS) <= set(item)
    # errors first, then warnings (by source file and line), then info
    assert [(f["severity"], f["rule_id"]) for f in findings] == [
        ("error", "domain_count_nonnegative"),
        ("warning", "rate_online_payment"),
        ("warning", "chain_dossiers_district"),
        ("info", "outlier_dossiers_received_commune"),
    ]
    chain = findings[2]
    assert chain["report_id"] == fixture.ids[THANHTRI]
    assert chain["source_file"] == THANHTRI
    assert (chain["line_start"], chain["line_end"]) == (86, 87)
    assert chain["source_lines"] == [86, 87]
    assert chain["indicators"] == ["dossiers_received_district", "dossiers_resolved_district"]
    assert chain["observed"] == {"dossiers_received_district": 2953, "dossiers_resolved_district": 2968}
    assert chain["expected"] == "dossiers_received_district >= 2968"
    assert chain["unit_code"] == "ST.THANHTRI"
    assert chain["period_key"] == "2021"
    assert chain["rule_kind"] == "ordered_chain"
    assert chain["finding_id"] == f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"
    assert "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận" in chain["message"]
    rate = findings[1]
    assert (rate["line_start"], rate["line_end"], rate["source_lines"]) == (636, 648, [636, 642, 648])
    assert rate["expected"] == "59.09 ± 0.5"


def test_findings_csv_is_utf8_with_bom_and_flat(built: tuple[Fixture, AuditSummary, Path]) -> None:
    _, summary, _ = built
    raw = summary.findings_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert list(rows[0]) == list(FINDING_FIELDS)
    chain = next(r for r in rows if r["rule_id"] == "chain_dossiers_district")
    assert chain["source_lines"] == "86;87"
    assert chain["indicators"] == "dossiers_received_district,dossiers_resolved_district"
    assert json.loads(chain["observed"]) == {
        "dossiers_received_district": 2953,
        "dossiers_resolved_district": 2968,
    }
    assert "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận" in chain["message"]
    rate = next(r for r in rows if r["rule_id"] == "rate_online_payment")
    assert (rate["line_start"], rate["line_end"], rate["expected"]) == ("636", "648", "59.09 ± 0.5")


# --------------------------------------------------------------------------- index.html and pages


def test_pages_are_self_contained_and_links_resolve(built: tuple[Fixture, AuditSummary, Path]) -> None:
    """No external resource; every relative link of every page (both languages) names a file written."""
    _, summary, out_dir = built
    all_pages = [
        out_dir / "index.html",
        out_dir / "index.en.html",
        *sorted((out_dir / "findings").glob("*.html")),
    ]
    assert set(summary.pages) | {out_dir / "index.html"} <= set(all_pages)
    for path in all_pages:
        text = path.read_text(encoding="utf-8")
        parsed = parse_page(text)
        names = {tag for tag, _ in parsed.tags}
        assert '<meta charset="utf-8">' in text
        assert not names & {"link", "img", "iframe", "object", "embed", "base"}
        # the only resources are the page's own data files, relative, beside it
        sources = [attrs["src"] for _, attrs in parsed.tags if "src" in attrs]
        assert all(tag == "script" for tag, attrs in parsed.tags if "src" in attrs)
        assert all(src.startswith("data/") and (path.parent / src).is_file() for src in sources), sources
        assert (
            "@import" not in text and "url(" not in text and "http://" not in text and "https://" not in text
        )
        for href in (attrs["href"] for tag, attrs in parsed.tags if tag == "a"):
            target = href.split("#")[0]
            assert not target or (path.parent / target).is_file(), (path.name, href)


def test_index_links_to_one_page_per_province_and_period(
    built: tuple[Fixture, AuditSummary, Path], page: str
) -> None:
    _, _, out_dir = built
    rows = parse_page(page).table_rows["pages-table"]
    assert [(r["data-province"], r["data-period"]) for r in rows] == [
        ("Nam Định", "2024-Q3"),
        ("Sóc Trăng", "2021"),
        ("Sóc Trăng", "2022-Q3"),
    ]
    assert sorted(findings_pages(out_dir)) == [
        "nam-dinh_2024-q3.html",
        "soc-trang_2021.html",
        "soc-trang_2022-q3.html",
    ]
    assert sorted(findings_pages(out_dir, "en")) == [
        "nam-dinh_2024-q3.en.html",
        "soc-trang_2021.en.html",
        "soc-trang_2022-q3.en.html",
    ]
    assert sorted(r["rule_id"] for r in page_findings(out_dir, "soc-trang_2021")) == [
        "chain_dossiers_district",
        "outlier_dossiers_received_commune",
    ]
    thanhtri = findings_pages(out_dir)["soc-trang_2021.html"]
    assert '<script src="data/soc-trang_2021.0.js" data-part="0"></script>' in thanhtri
    assert '<script src="data/dict.js"></script>' in thanhtri
    # the rule index links to the page with the rule's filter in the hash
    assert 'href="findings/soc-trang_2021.html#rule=chain_dossiers_district"' in page


def test_document_text_is_escaped(built: tuple[Fixture, AuditSummary, Path], page: str, pages: str) -> None:
    _, _, out_dir = built
    everything = page + pages + "".join(findings_pages(out_dir, "en").values())
    names = {tag for tag, _ in parse_page(everything).tags}
    assert XSS not in everything
    assert "b" not in names  # "<b>" remnants of the documents are text, not tags
    assert "configured to warn if != 0 &lt;b&gt;" in page  # and in dbt messages
    # findings pages hold no document text: it is in their data files, as JSON strings, which the
    # page's script puts in as text (tested in Chromium: test_audit_browser.py)
    own_scripts = [tag for tag, _ in parse_page(pages).tags].count("script")
    assert own_scripts == 4 * len(findings_pages(out_dir))  # setup, dict.js, one part, the page's script
    copy = page_findings(out_dir, "soc-trang_2022-q3")
    (domain,) = [r for r in copy if r["rule_id"] == "domain_count_nonnegative"]
    assert domain["lines"][COPY_BAD_LINE].endswith(f"-3\t{XSS} <b>Ghi chú</b>")
    assert domain["message"] == "Count dossiers_on_time_district is negative: -3 <b>"
    data_text = (out_dir / "findings" / "data" / "soc-trang_2022-q3.0.js").read_text(encoding="utf-8")
    assert data_text.count("cchcAudit.addPart(") == 1  # one call; the rest is JSON


def test_page_is_nfc_with_diacritics(built: tuple[Fixture, AuditSummary, Path], page: str) -> None:
    _, _, out_dir = built
    data = "".join(p.read_text(encoding="utf-8") for p in (out_dir / "findings" / "data").glob("*.js"))
    assert unicodedata.is_normalized("NFC", page + data)
    # the NFD label of the copy's line 90 is quoted in NFC
    assert "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn" in data
    assert "thị trấn Cát Thành" in data


def test_findings_rows(built: tuple[Fixture, AuditSummary, Path]) -> None:
    fixture, _, out_dir = built
    rows = all_page_findings(out_dir)
    assert {(r["page"], r["severity"], r["rule_id"], r["report_id"], r["status"]) for r in rows.values()} == {
        ("nam-dinh_2024-q3", "warning", "rate_online_payment", fixture.ids[CATTHANH], "new"),
        ("soc-trang_2021", "warning", "chain_dossiers_district", fixture.ids[THANHTRI], "new"),
        ("soc-trang_2021", "info", "outlier_dossiers_received_commune", fixture.ids[THANHTRI], "new"),
        ("soc-trang_2022-q3", "error", "domain_count_nonnegative", fixture.ids[COPY], "new"),
    }
    lines = {r["rule_id"]: (r["line_start"], r["line_end"], r["involved"]) for r in rows.values()}
    assert lines == {
        "rate_online_payment": (636, 648, [636, 642, 648]),
        "chain_dossiers_district": (86, 87, [86, 87]),
        "outlier_dossiers_received_commune": (91, 91, [91]),
        "domain_count_nonnegative": (90, 90, [90]),
    }
    copy = rows[f"{fixture.ids[COPY]}:domain_count_nonnegative:1"]
    assert (copy["unit_code"], copy["unit_name"], copy["period_key"]) == (
        "ST.COPY",
        "thị xã Mỹ Xuyên",
        "2022-Q3",
    )
    rate = rows[f"{fixture.ids[CATTHANH]}:rate_online_payment:1"]
    assert rate["observed"] == {
        "online_payment_tthc_rate": 100,
        "tthc_with_fees": 22,
        "online_payment_tthc": 13,
    }
    assert rate["indicators"] == ["online_payment_tthc_rate", "tthc_with_fees", "online_payment_tthc"]
    assert rate["expected"] == "59.09 ± 0.5"


def test_source_lines_are_shipped_with_context(built: tuple[Fixture, AuditSummary, Path]) -> None:
    """Each part carries every involved line and two lines around it, once; the page quotes them."""
    fixture, _, out_dir = built
    rows = all_page_findings(out_dir)
    chain = rows[f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"]
    thanhtri = sample_lines(THANHTRI)
    # the part holds the lines of both Thạnh Trị findings (86-87 and 91, two around each)
    assert sorted(chain["lines"]) == [84, 85, 86, 87, 88, 89, 90, 91, 92, 93]
    assert all(chain["lines"][n] == thanhtri[n - 1] for n in chain["lines"])
    assert "Kết quả giải quyết TTHC" in chain["lines"][85]  # line 85, context above
    rate = rows[f"{fixture.ids[CATTHANH]}:rate_online_payment:1"]
    # two lines around each involved line; the document ends at line 649
    assert sorted(rate["lines"]) == [*range(634, 639), *range(640, 645), *range(646, 650)]


def test_summary_by_rule_and_by_unit(built: tuple[Fixture, AuditSummary, Path], page: str) -> None:
    _, summary, _ = built
    parsed = parse_page(page)
    assert summary.report_count == 5
    assert summary.findings_by_severity == {"error": 1, "warning": 2, "info": 1}
    assert summary.findings_by_status == {"new": 4, "open": 0, "resolved": 0}
    assert summary.evaluations_by_status == {"passed": 4, "failed": 4, "skipped": 1}
    assert summary.validation_failures == 1
    assert summary.dbt_tests_by_status == {"fail": 1, "pass": 1, "warn": 1}
    assert {r["data-rule-id"] for r in parsed.table_rows["rules-table"]} == {r[0] for r in RULES}
    # parts_tthc_levels: passed for Vĩnh Châu, skipped for Duyên Hải (cells: findings, new,
    # resolved, passed, failed, skipped)
    row = page.split('<tr data-rule-id="parts_tthc_levels">')[1].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('<td class="num">')[1:]]
    assert cells == ["0", "0", "0", "1", "0", "1"]
    units = parsed.table_rows["units-table"]
    # the units with most findings first
    assert [r["data-unit-code"] for r in units] == ["ST.THANHTRI", "ND.CATTHANH", "ST.COPY"]
    assert [r["data-key"] for r in parsed.table_rows["provinces-table"]] == ["Nam Định", "Sóc Trăng"]
    assert [r["data-key"] for r in parsed.table_rows["periods-table"]] == ["2021", "2022-Q3", "2024-Q3"]
    row = page.split('<tr data-key="Sóc Trăng">')[1].split("</tr>")[0]
    # units, error, warning, info, new, open, resolved
    assert [c.split("<")[0] for c in row.split('<td class="num">')[1:]] == ["2", "1", "1", "1", "3", "0", "0"]


def test_validation_and_dbt_results_are_shown(page: str) -> None:
    parsed = parse_page(page)
    assert len(parsed.table_rows["validation-table"]) == 1  # the failed expectation only
    assert "expect_column_values_to_match_regex" in page
    dbt = parsed.table_rows["dbt-table"]
    assert [(r["data-status"], r["data-unique-id"]) for r in dbt] == [
        ("fail", "test.cchc.not_null_stg_reports_report_id.7a8b9c"),
        ("warn", "test.cchc.ordered_chain_int_canonical_dossiers.4d5e6f"),
    ]
    assert "model.cchc.fct_indicator_values" not in page


def test_both_languages(built: tuple[Fixture, AuditSummary, Path], page: str) -> None:
    _, _, out_dir = built
    english = (out_dir / "index.en.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in page and '<html lang="en">' in english
    assert "Kiểm tra chất lượng dữ liệu CCHC" in page and "CCHC data-quality audit" not in page
    assert "CCHC data-quality audit" in english and "Kiểm tra chất lượng dữ liệu CCHC" not in english
    assert 'href="index.en.html"' in page and 'href="index.html"' in english
    vi_page = findings_pages(out_dir)["soc-trang_2021.html"]
    en_page = findings_pages(out_dir, "en")["soc-trang_2021.en.html"]
    assert "Phát hiện" in vi_page and ">mới<" in vi_page
    assert "Findings" in en_page and ">new<" in en_page
    assert 'href="soc-trang_2021.en.html"' in vi_page and 'href="soc-trang_2021.html"' in en_page


# --------------------------------------------------------------------------- exit codes


def test_exit_codes(built: tuple[Fixture, AuditSummary, Path]) -> None:
    _, summary, _ = built
    assert exit_code_for(summary, None) == EXIT_OK == 0
    assert exit_code_for(summary, "error") == EXIT_FINDINGS != 0
    assert exit_code_for(summary, "warning") == EXIT_FINDINGS
    with pytest.raises(AuditReportError, match="--fail-on must be one of error, warning"):
        exit_code_for(summary, "info")


def test_exit_codes_by_severity_present(tmp_path: Path) -> None:
    only_warning = build_warehouse(
        tmp_path, with_findings=False, extra_findings=[findings_rows(sample_ids())[0]]
    )
    summary = write_audit_report(only_warning.warehouse, tmp_path / "out", None)
    assert summary.findings_by_severity == {"error": 0, "warning": 1, "info": 0}
    assert exit_code_for(summary, "error") == 0
    assert exit_code_for(summary, "warning") == 1


def test_only_info_findings_never_fail(tmp_path: Path) -> None:
    fixture = build_warehouse(tmp_path, with_findings=False, extra_findings=[findings_rows(sample_ids())[2]])
    summary = write_audit_report(fixture.warehouse, tmp_path / "out", None)
    assert summary.findings_by_severity == {"error": 0, "warning": 0, "info": 1}
    assert exit_code_for(summary, "error") == 0
    assert exit_code_for(summary, "warning") == 0


# --------------------------------------------------------------------------- edge cases


def test_no_findings_and_no_run_results(tmp_path: Path) -> None:
    fixture = build_warehouse(tmp_path, with_findings=False)
    out_dir = tmp_path / "target" / "audit"
    summary = write_audit_report(fixture.warehouse, out_dir, tmp_path / "missing" / "run_results.json")
    assert json.loads((out_dir / "findings.json").read_text(encoding="utf-8")) == []
    csv_rows = (out_dir / "findings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_rows == [",".join(FINDING_FIELDS)]
    html_text = (out_dir / "index.html").read_text(encoding="utf-8")
    parsed = parse_page(html_text)
    assert parsed.table_rows["pages-table"] == []
    assert not list((out_dir / "findings").glob("*.html"))
    assert 'id="no-findings"' in html_text
    assert 'id="no-dbt-results"' in html_text and "missing/run_results.json" in html_text
    assert "dbt-table" not in parsed.table_rows
    assert exit_code_for(summary, "warning") == 0


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(AuditReportError, match="warehouse file not found") as info:
        write_audit_report(missing, tmp_path / "out", None)
    assert info.value.source_file == str(missing)
    assert not missing.exists()  # reading never creates a warehouse


def test_missing_audit_tables_are_named(tmp_path: Path) -> None:
    warehouse = tmp_path / "raw_only.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.close()
    with pytest.raises(AuditReportError, match=r"missing tables audit\.dq_rules, audit\.dq_evaluations"):
        write_audit_report(warehouse, tmp_path / "out", None)
    assert not (tmp_path / "out").exists()


def test_invalid_observed_json_names_the_finding(tmp_path: Path) -> None:
    bad = list(findings_rows(sample_ids())[0])
    bad[0] = "bad-finding"
    bad[6] = "{'not': json}"
    fixture = build_warehouse(tmp_path, with_findings=False, extra_findings=[tuple(bad)])
    with pytest.raises(AuditReportError, match=r"'bad-finding': observed is not valid JSON"):
        write_audit_report(fixture.warehouse, tmp_path / "out", None)


def test_unknown_severity_is_rejected(tmp_path: Path) -> None:
    bad = list(findings_rows(sample_ids())[0])
    bad[3] = "warn"  # a dbt severity, not a finding severity
    fixture = build_warehouse(tmp_path, with_findings=False, extra_findings=[tuple(bad)])
    with pytest.raises(AuditReportError, match="severity 'warn' is not one of error, warning, info"):
        write_audit_report(fixture.warehouse, tmp_path / "out", None)


def test_malformed_run_results_is_a_clear_error(tmp_path: Path) -> None:
    fixture = build_warehouse(tmp_path, with_findings=False)
    fixture.run_results.write_text('{"results": "nope"}', encoding="utf-8")
    with pytest.raises(AuditReportError, match=r"not a dbt run_results\.json") as info:
        write_audit_report(fixture.warehouse, tmp_path / "out", fixture.run_results)
    assert info.value.source_file == str(fixture.run_results)


def test_line_range_without_source_lines_and_lines_not_loaded(tmp_path: Path) -> None:
    fixture = build_warehouse(tmp_path)
    chain_id = f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"
    outlier_id = f"{fixture.ids[THANHTRI]}:outlier_dossiers_received_commune:1"
    con = duckdb.connect(str(fixture.warehouse))
    con.execute(
        "update audit.dq_findings set source_lines = '[86, 87, 9999]' where finding_id = ?", [chain_id]
    )
    con.execute(
        "update audit.dq_findings set source_lines = null, line_end = 92 where finding_id = ?", [outlier_id]
    )
    con.close()
    out_dir = tmp_path / "out"
    write_audit_report(fixture.warehouse, out_dir, None)
    rows = all_page_findings(out_dir)
    # no source_lines: the whole range line_start..line_end is involved (lines 91, 92 both say 68.826)
    assert rows[outlier_id]["involved"] == [91, 92]
    # a line the raw load does not have is shipped as involved but has no text: the page says so
    # (test_audit_browser.py::test_lines_not_loaded_are_reported)
    assert rows[chain_id]["involved"] == [86, 87, 9999]
    assert 9999 not in rows[chain_id]["lines"] and 86 in rows[chain_id]["lines"]
    findings = json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))
    outlier = next(f for f in findings if f["finding_id"] == outlier_id)
    assert (outlier["line_start"], outlier["line_end"], outlier["source_lines"]) == (91, 92, [])


# --------------------------------------------------------------------------- history, names, other sections

UNRECOGNISED_LINE = 93  # a Thạnh Trị line whose label the (fixture's) crosswalk does not know
QUARANTINED_LINE = 12


def add_extras(fixture: Fixture) -> None:
    """What a dbt build adds beside the audit tables: indicator names, mapping coverage, the findings
    history of two builds; and what ingest adds: a quarantined line and a held-out report."""
    ids = fixture.ids
    chain = f"{ids[THANHTRI]}:chain_dossiers_district:1"
    current = [f[0] for f in findings_rows(ids)]
    con = duckdb.connect(str(fixture.warehouse))
    con.execute("create schema if not exists marts")
    con.execute("create table marts.dim_indicator (indicator_code varchar, name_vi varchar, name_en varchar)")
    con.execute(
        "insert into marts.dim_indicator values "
        "('dossiers_received_district', 'Số hồ sơ cấp huyện tiếp nhận', ?), "
        "('dossiers_resolved_district', 'Số hồ sơ cấp huyện đã giải quyết', 'Dossiers resolved (district)')",
        [f"Dossiers received {XSS}"],
    )
    con.execute(
        "create table marts.mapping_coverage (statistic_row_id varchar, report_id varchar, "
        "source_file varchar, "
        "source_line_start integer, source_line_end integer, raw_label varchar, raw_value varchar, "
        "coverage_reason varchar, reason_detail varchar, is_accepted boolean)"
    )
    con.execute(
        "insert into marts.mapping_coverage values (?, ?, ?, ?, ?, 'Tỷ lệ lạ', '100%', 'unrecognized_label', "
        "'label not recognized', false), ('ok-row', ?, ?, 5, 5, 'x', '', 'unrecognized_label', '', true)",
        [
            f"{ids[THANHTRI]}:r93",
            ids[THANHTRI],
            THANHTRI,
            UNRECOGNISED_LINE,
            UNRECOGNISED_LINE,
            ids[THANHTRI],
            THANHTRI,
        ],
    )
    # the row's value is used by no rule: a finding of its own in audit.dq_findings (rule unmapped_value)
    con.execute(
        "insert into audit.dq_findings values (?, 'unmapped_value', 'unmapped_value', 'warning', ?, ?, "
        "'2021-Y', '*', ?, '', 'value not used by any rule: row not recognised', ?, ?, ?, ?)",
        [
            f"unrecognised:{ids[THANHTRI]}:r93",
            ids[THANHTRI],
            REPORT_META[THANHTRI][0],
            json.dumps({"Tỷ lệ lạ": "100%"}, ensure_ascii=False),
            THANHTRI,
            UNRECOGNISED_LINE,
            UNRECOGNISED_LINE,
            json.dumps([UNRECOGNISED_LINE]),
        ],
    )
    con.execute(
        "insert into raw.quarantine values (?, ?, ?, ?, ?, ?, 'value cannot be read', "
        "timestamp '2025-01-10 09:00:00')",
        [
            f"{ids[VINHCHAU]}:{QUARANTINED_LINE}",
            ids[VINHCHAU],
            VINHCHAU,
            QUARANTINED_LINE,
            QUARANTINED_LINE,
            fixture.lines[VINHCHAU][QUARANTINED_LINE - 1] + " <i>",
        ],
    )
    con.execute(
        "update raw.reports set is_held_out = true, hold_reason = 'unit contradicted <x>' "
        "where report_id = ?",
        [ids[DUYENHAI]],
    )
    con.execute(
        "create table audit.dq_findings_history (finding_key varchar, build_id varchar, "
        "build_started_at timestamp, finding_id varchar, rule_id varchar, rule_kind varchar, "
        "severity varchar, report_id varchar, unit_code varchar, period_key varchar, "
        "indicator_codes varchar, source_file varchar, "
        "line_start integer, line_end integer, source_lines varchar, observed varchar, expected varchar, "
        "message varchar)"
    )
    earlier, later = "timestamp '2025-01-09 09:00:00'", "timestamp '2025-01-10 09:00:00'"
    row = (
        "(?, ?, {at}, ?, ?, 'ordered_chain', 'warning', ?, 'ST.THANHTRI', '2021', '', ?, 80, 81, "
        "'[80]', '{{}}', '', ?)"
    )
    # the previous build: the chain finding (still open now) and one the current build no longer has
    con.execute(
        f"insert into audit.dq_findings_history values {row.format(at=earlier)}, {row.format(at=earlier)}",
        [
            "key-chain",
            "b1",
            chain,
            "chain_dossiers_district",
            ids[THANHTRI],
            THANHTRI,
            "m",
            "key-gone",
            "b1",
            "gone-1",
            "chain_dossiers_commune",
            ids[THANHTRI],
            THANHTRI,
            "commune chain <u>",
        ],
    )
    keys = [
        "key-chain" if f == chain else f"key-{f}" for f in [*current, f"unrecognised:{ids[THANHTRI]}:r93"]
    ]
    for key, finding_id in zip(keys, [*current, f"unrecognised:{ids[THANHTRI]}:r93"], strict=True):
        con.execute(
            f"insert into audit.dq_findings_history values {row.format(at=later)}",
            [key, "b2", finding_id, "x", ids[THANHTRI], THANHTRI, "m"],
        )
    con.close()


@pytest.fixture(scope="module")
def extras(tmp_path_factory: pytest.TempPathFactory) -> tuple[Fixture, AuditSummary, Path]:
    directory = tmp_path_factory.mktemp("audit_extras")
    fixture = build_warehouse(directory)
    add_extras(fixture)
    out_dir = directory / "out"
    return fixture, write_audit_report(fixture.warehouse, out_dir, fixture.run_results), out_dir


def test_new_open_and_resolved_against_the_previous_build(extras: tuple[Fixture, AuditSummary, Path]) -> None:
    fixture, summary, out_dir = extras
    assert summary.findings_by_status == {"new": 4, "open": 1, "resolved": 1}
    rows = page_findings(out_dir, "soc-trang_2021")
    status = {r["finding_id"]: r["status"] for r in rows}
    assert status == {
        f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1": "open",
        f"{fixture.ids[THANHTRI]}:outlier_dossiers_received_commune:1": "new",
        "gone-1": "resolved",
    }
    gone = next(r for r in rows if r["finding_id"] == "gone-1")
    assert (gone["message"], gone["involved"], gone["line_start"]) == ("commune chain <u>", [], 80)
    keys = {r["finding_id"]: r["finding_key"] for r in rows}
    assert (keys["gone-1"], keys[f"{fixture.ids[THANHTRI]}:chain_dossiers_district:1"]) == (
        "key-gone",
        "key-chain",
    )
    page = findings_pages(out_dir)["soc-trang_2021.html"]
    assert '<span class="mark mark-open">còn tồn tại</span> <strong>1</strong>' in page  # the page's totals
    assert '<span class="mark mark-resolved">đã khắc phục</span> <strong>1</strong>' in page
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    assert '<strong data-status-total="resolved">1</strong>' in index
    assert "2025-01-09 09:00:00" in index  # the build compared with


def test_indicator_names_for_the_pages(extras: tuple[Fixture, AuditSummary, Path]) -> None:
    """The names the pages show for indicator codes, in both languages (escaped there: the browser test)."""
    _, _, out_dir = extras
    text = (out_dir / "findings" / "data" / "dict.js").read_text(encoding="utf-8")
    assert text.startswith("cchcAudit.setDict(") and text.endswith(");\n")
    names = json.loads(text[len("cchcAudit.setDict(") : -3])
    assert names["indicators"]["dossiers_received_district"] == [
        "Số hồ sơ cấp huyện tiếp nhận",
        f"Dossiers received {XSS}",
    ]
    assert names["indicators"]["dossiers_resolved_district"][1] == "Dossiers resolved (district)"
    assert names["rules"]["chain_dossiers_district"] == ["ordered_chain", "warning", RULES[0][5], RULES[0][4]]


def test_unrecognised_values_are_findings_with_their_line(extras: tuple[Fixture, AuditSummary, Path]) -> None:
    fixture, _, out_dir = extras
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    (row,) = parse_page(index).table_rows["unrecognised-table"]
    assert row["data-line"] == str(UNRECOGNISED_LINE)
    line_text = fixture.lines[THANHTRI][UNRECOGNISED_LINE - 1]
    section = index.split('id="unrecognised"')[1].split("</section>")[0]
    assert str(escape(line_text.strip())) in section
    # its period comes from raw.reports (2021-Y), the fixture's findings say 2021: a page of its own
    (finding,) = page_findings(out_dir, "soc-trang_2021-y")
    assert (finding["rule_id"], finding["line_start"], finding["severity"]) == (
        "unmapped_value",
        UNRECOGNISED_LINE,
        "warning",
    )
    assert finding["observed"] == {"Tỷ lệ lạ": "100%"}
    assert finding["lines"][UNRECOGNISED_LINE] == line_text


def test_quarantined_lines_and_held_out_reports(extras: tuple[Fixture, AuditSummary, Path]) -> None:
    fixture, _, out_dir = extras
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    parsed = parse_page(index)
    (quarantined,) = parsed.table_rows["quarantine-table"]
    assert quarantined["data-line"] == str(QUARANTINED_LINE)
    assert "value cannot be read" in index and "&lt;i&gt;" in index
    (held,) = parsed.table_rows["held-out-table"]
    assert held["data-report-id"] == fixture.ids[DUYENHAI]
    assert "unit contradicted &lt;x&gt;" in index


# --------------------------------------------------------------------------- paging at a (small) scale

PROVINCES = ("Sóc Trăng", "Trà Vinh", "Nam Định")
QUARTERS = 4
UNITS_PER_PROVINCE = 5
FINDINGS_PER_REPORT = 7


def scaled_warehouse(directory: Path) -> Path:
    """60 reports (3 provinces x 5 units x 4 quarters), 7 findings each, written set-based."""
    warehouse = directory / "scaled.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(AUDIT_DDL)
    con.execute(
        "create temp table provinces as select * from unnest(?) with ordinality as p(name, no)",
        [list(PROVINCES)],
    )
    con.execute(
        f"""
        insert into raw.reports (report_id, source_file, source_path, file_sha256, line_count,
            template_family, family_detection_score, manifest_entry_found, unit_code, unit_name,
            unit_level, province, period_year, period_type, period_number, is_held_out,
            version_number, loaded_at, parser_version)
        select 'r' || p.no || '-' || u.u || '-' || q.q, 'f' || p.no || '-' || u.u || '-' || q.q || '.txt',
               '', '', 10, 'soctrang_2022', 0.9, true, 'U' || p.no || '-' || u.u, 'đơn vị ' || u.u,
               'district', p.name, 2022, 'quarter', q.q, false, 1, timestamp '2025-01-10 09:00:00', '0.1.0'
        from provinces p, range(1, {UNITS_PER_PROVINCE} + 1) u(u), range(1, {QUARTERS} + 1) q(q)"""
    )
    con.execute(
        "insert into raw.line_classes select report_id, source_file, n, 'statistic', '', "
        "'dòng ' || n || '\t' || n * 11, null from raw.reports, range(1, 11) l(n)"
    )
    con.execute(
        f"""
        insert into audit.dq_findings
        select r.report_id || ':rule_' || k, 'rule_' || k, 'domain', 'warning', r.report_id, r.unit_code,
               '2022-Q' || r.period_number, 'a', '{{"a": ' || k * 11 || '}}', 'x', 'm <' || k || '>',
               r.source_file, k, k, '[' || k || ']'
        from raw.reports r, range(1, {FINDINGS_PER_REPORT} + 1) f(k)"""
    )
    con.close()
    return warehouse


def test_findings_are_split_into_pages_and_every_index_link_resolves(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    summary = write_audit_report(scaled_warehouse(tmp_path), out_dir, None)
    total = len(PROVINCES) * UNITS_PER_PROVINCE * QUARTERS * FINDINGS_PER_REPORT
    assert summary.finding_count == total
    vi_pages = findings_pages(out_dir)
    assert len(vi_pages) == len(PROVINCES) * QUARTERS == len(findings_pages(out_dir, "en"))
    rows = {name: page_findings(out_dir, name.removesuffix(".html")) for name in vi_pages}
    assert {len(r) for r in rows.values()} == {UNITS_PER_PROVINCE * FINDINGS_PER_REPORT}
    assert "tra-vinh_2022-q3.html" in rows
    for page_rows in rows.values():  # each page holds one period only (and one province: its reports)
        assert len({r["period_key"] for r in page_rows}) == 1
        assert len({r["report_id"][:2] for r in page_rows}) == 1  # 'r<province no>-...'
    assert sum(len(r) for r in rows.values()) == total
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    links = [a["href"] for tag, a in parse_page(index).tags if tag == "a" and not a["href"].startswith("#")]
    assert len(links) > len(vi_pages)  # pages, rules and units all link to the pages
    for href in links:
        assert (out_dir / href.split("#")[0]).is_file(), href
    assert len(json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))) == total
    assert len((out_dir / "findings.csv").read_text(encoding="utf-8-sig").splitlines()) == total + 1


def test_large_pages_are_split_into_parts_and_stale_files_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's rows in parts of at most PART_ROWS findings, each part with the lines it quotes, the
    pages' data written in batches; a second report over fewer findings removes the pages and data
    files it no longer has."""
    monkeypatch.setattr("outputs.audit.query.PART_ROWS", 10)
    monkeypatch.setattr("outputs.audit.query.BATCH_ROWS", 50)  # data files written 2 pages at a time
    warehouse = scaled_warehouse(tmp_path)
    out_dir = tmp_path / "out"
    write_audit_report(warehouse, out_dir, None)
    per_page = UNITS_PER_PROVINCE * FINDINGS_PER_REPORT  # 35: four parts of 10, 10, 10, 5
    parts = page_parts(out_dir, "tra-vinh_2022-q3")
    assert sorted(sum(len(r[7]) for r in p["reports"]) for p in parts) == [5, 10, 10, 10]
    shell = findings_pages(out_dir)["tra-vinh_2022-q3.html"]
    assert [a["src"] for t, a in parse_page(shell).tags if t == "script" and "src" in a] == [
        "data/dict.js",
        *(f"data/tra-vinh_2022-q3.{k}.js" for k in range(4)),
        "data/audit_findings.js",
    ]
    rows = page_findings(out_dir, "tra-vinh_2022-q3")
    assert len(rows) == per_page == len({r["finding_id"] for r in rows})
    every = all_page_findings(out_dir)  # every page's data in some batch, each finding once
    assert len(every) == len(PROVINCES) * QUARTERS * per_page
    for row in rows:  # every involved line is in the finding's own part, with its text
        assert all(row["lines"][n] == f"dòng {n}\t{n * 11}" for n in row["involved"])
    con = duckdb.connect(str(warehouse))
    con.execute("delete from audit.dq_findings where period_key <> '2022-Q1'")
    con.close()
    write_audit_report(warehouse, out_dir, None)
    assert len(findings_pages(out_dir)) == len(PROVINCES)
    assert not list((out_dir / "findings" / "data").glob("tra-vinh_2022-q3.*"))
    assert sorted(p.name for p in (out_dir / "findings" / "data").glob("tra-vinh*")) == [
        f"tra-vinh_2022-q1.{k}.js" for k in range(4)
    ]
