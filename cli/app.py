"""`cchc`: parse, ingest, build and inspect CCHC reports.

A thin face over ingest (parse, ingest), pipeline (build) and outputs (audit, publish,
status). Errors print one line (``file:line: message``; the details of a long message only
with ``cchc --verbose``) and exit 2; ``cchc ingest`` exits 1 when a file failed. Output cut
short by the reader (``cchc parse FILE --json | head``) ends quietly with exit 0.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import click
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

# typer 0.29 vendors click as typer._click: its commands, contexts and parameters are of that module
from typer import _click as typer_click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from ingest.batch import (
    FileResult,
    collect_files,
    default_inputs,
    default_warehouse,
    ingest_paths,
    read_manifest,
)
from ingest.detect import AUTO
from ingest.errors import CchcError
from ingest.intake import decide_report
from ingest.prepare import read_report
from ingest.recognize import RowMatch, load_template_rows, recognize_rows
from ingest.records import StatRow, to_jsonable
from ingest.text import printable
from outputs.audit.report import AuditSummary, exit_code_for, write_audit_report
from outputs.kpi_page import write_kpi_page
from outputs.load_status import needs_person, status_needs_person, summary_line
from outputs.load_status import status as read_status
from outputs.publish import PublishSummary
from pipeline.build import DEFAULT_OUTPUTS, publish_marts
from pipeline.build import build as run_build
from synth.cli import app as synth_app

PACKAGE = "cchc-warehouse"
# A message longer than this is cut at its first sentence unless --verbose.
SHORT_ERROR_CHARS = 240
VERBOSE_HINT = "(run `cchc --verbose ...` for the details)"
# Options of the `cchc` group that the commands read, set by its callback on every invocation.
_OPTIONS: dict[str, bool] = {"verbose": False}


def _plain(label: str | None) -> str | None:
    """typer's ``<path>`` as ``PATH``."""
    return label.strip("<>").upper() if label else label


class _ReadableArgument(TyperArgument):
    """An argument whose help shows its metavar (in the name column) and no ``<type>``."""

    def display_type_rich(self, ctx: typer_click.Context) -> str | None:
        return None if self.metavar is not None else _plain(super().display_type_rich(ctx))


class _ReadableOption(TyperOption):
    """An option whose help shows its metavar (FILE, NAME), nothing for a flag, never ``<bool>``."""

    def display_type_rich(self, ctx: typer_click.Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag:
            return None
        return _plain(super().display_type_rich(ctx))


def _readable_params(params: list[typer_click.Parameter]) -> list[typer_click.Parameter]:
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _ReadableArgument
        elif type(param) is TyperOption:
            param.__class__ = _ReadableOption
    return params


class ReadableCommand(TyperCommand):
    """A command whose help shows metavars (FILE, NAME) instead of typer's ``<list[Path]>``, ``<bool>``."""

    def get_params(self, ctx: typer_click.Context) -> list[typer_click.Parameter]:
        return _readable_params(super().get_params(ctx))


class ReadableGroup(TyperGroup):
    """The ``cchc`` group, with the readable help of :class:`ReadableCommand`."""

    def get_params(self, ctx: typer_click.Context) -> list[typer_click.Parameter]:
        return _readable_params(super().get_params(ctx))


app = typer.Typer(
    cls=ReadableGroup,
    help="CCHC statistics warehouse: parse and load administrative-reform reports.",
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)

PROGRESS_MIN_FILES = 3
P = ParamSpec("P")
R = TypeVar("R")


def cchc_version() -> str:
    try:
        return package_version(PACKAGE)
    except PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"cchc {cchc_version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", help="print the version and exit", callback=_show_version, is_eager=True),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="print errors in full")] = False,
) -> None:
    """CCHC statistics warehouse: parse and load administrative-reform reports."""
    _OPTIONS["verbose"] = verbose


def _verbose() -> bool:
    return _OPTIONS["verbose"]


def short_error(message: str, *, verbose: bool) -> str:
    """``message`` in full when verbose or short; else its first sentence and a hint (two lines)."""
    if verbose or len(message) <= SHORT_ERROR_CHARS:
        return message
    head, sep, _ = message.partition(". ")
    first = head + "." if sep else message[:SHORT_ERROR_CHARS] + " ..."
    return f"{first}\n{VERBOSE_HINT}"


def _quiet_broken_pipe() -> None:
    """The reader closed stdout (``| head``): stop writing and exit 0 like other Unix tools.

    stdout is pointed at /dev/null so that Python's flush at exit does not fail again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def clean_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print a CchcError as one short line and exit 2, without a traceback; a broken pipe exits 0."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(code=0) from None
        except CchcError as exc:
            text = short_error(str(exc), verbose=_verbose())
            err_console.print(text, markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(code=2) from None
        except (OSError, ValueError, RuntimeError) as exc:
            text = short_error(f"error: {type(exc).__name__}: {exc}", verbose=_verbose())
            err_console.print(text, markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(code=2) from None

    return wrapper


def row_json(row: StatRow, match: RowMatch | None, value_place: str | None = None) -> dict[str, Any]:
    """One statistic row as the JSON object `cchc parse --json` prints (``value_place``: the cell of
    an original document the value was read from)."""
    value = row.value
    record = {
        "line_start": row.line_start,
        "line_end": row.line_end,
        "row_code": row.row_code,
        "row_path": row.row_path,
        "section_code": row.section_code,
        "label": row.label,
        "unit": row.unit,
        "raw_value": value.raw,
        "value_number": value.number,
        "value_kind": value.kind,
        "qualifier": value.qualifier,
        "note": row.note,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "template_row_id": match.template_row_id if match else None,
        "value_place": value_place,
    }
    result: dict[str, Any] = to_jsonable(record)
    return result


@app.command(cls=ReadableCommand)
@clean_errors
def parse(
    file: Annotated[
        Path, typer.Argument(help="report file (UTF-8 text, DOCX, XLSX, PDF, .doc, .xls)", metavar="FILE")
    ],
    template: Annotated[str, typer.Option("--template", help="family name or 'auto'", metavar="NAME")] = AUTO,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """Parse one report and print its statistic rows."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CchcError(f"cannot read file: {exc.strerror}", source_file=str(file)) from exc
    read = read_report(file, data, file.name, template)
    detection = read.detection
    places = read.places.values if read.places is not None else {}
    rows = detection.result.rows
    template_rows = load_template_rows(detection.family)
    matches = {m.row_seq: m for m in recognize_rows(rows, template_rows)} if template_rows else {}
    if as_json:
        for row in rows:
            typer.echo(
                json.dumps(row_json(row, matches.get(row.seq), places.get(row.seq)), ensure_ascii=False)
            )
        return
    table = Table(title=f"{file.name}: {detection.family} (score {detection.score:.2f}), {len(rows)} rows")
    columns = ("lines", "path", "label", "unit", "value", "kind", "note", "template row")
    for column in (*columns, *(("place",) if places else ())):
        table.add_column(column, overflow="fold")
    for row in rows:
        m = matches.get(row.seq)
        lines = f"{row.line_start}" if row.line_start == row.line_end else f"{row.line_start}-{row.line_end}"
        table.add_row(
            lines,
            row.row_path,
            printable(row.label),
            printable(row.unit),
            printable(row.value.raw),
            str(row.value.kind),
            printable(row.note[:80]),
            (m.template_row_id or "—") if m else "",
            *((places.get(row.seq, ""),) if places else ()),
        )
    console.print(table)


def _describe(item: FileResult) -> str:
    if item.outcome is None:
        return f"failed: {item.error}"
    out = item.outcome
    if out.status == "already loaded":
        held = f"; held: {out.hold_reason}" if item.status == "held" else ""
        return f"already loaded (report {out.report_id}){held}"
    if out.family == "hand_entered":
        values = out.counts.get("hand_entered_values", 0)
        text = f"loaded as hand_entered v{out.version_number} ({values} values)"
        return f"{text}; {item.error}" if item.error else text
    text = f"loaded as {out.family} v{out.version_number} ({out.counts.get('statistic_rows', 0)} rows)"
    if out.is_held_out:
        text = f"{item.state.status if item.state else 'held out'}: {out.hold_reason} [{text}]"
    return text


def _ingest_with_progress(runner: Callable[[Callable[[FileResult], None]], Any], total: int) -> Any:
    def report(item: FileResult) -> None:
        console.print(f"{item.path}: {_describe(item)}", markup=False, highlight=False, soft_wrap=True)

    if total < PROGRESS_MIN_FILES:
        return runner(report)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=total)

        def step(item: FileResult) -> None:
            report(item)
            progress.advance(task)

        return runner(step)


def _count_files(paths: list[Path]) -> int:
    return len(collect_files(paths))


WarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse", help="DuckDB file (default: $CCHC_WAREHOUSE or warehouse/cchc.duckdb)", metavar="FILE"
    ),
]
ManifestOpt = Annotated[
    Path | None,
    typer.Option("--manifest", help="report manifest (default data/manifest.yml)", metavar="FILE"),
]
ProvinceOpt = Annotated[
    str | None,
    typer.Option("--province", help="province of the reports given, to resolve the units they name"),
]
DistrictOpt = Annotated[
    str | None, typer.Option("--district", help="district of the (commune) reports given")
]
PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="files or folders: reports (.txt), hand-entered values (.csv); default data/reports/ "
        "and data/hand_entered/",
        metavar="PATHS...",
        show_default=False,
    ),
]


@app.command(cls=ReadableCommand)
@clean_errors
def ingest(
    paths: PathsArg = None,
    warehouse: WarehouseOpt = None,
    manifest: ManifestOpt = None,
    template: Annotated[str, typer.Option("--template", help="family name or 'auto'", metavar="NAME")] = AUTO,
    province: ProvinceOpt = None,
    district: DistrictOpt = None,
) -> None:
    """Load report files into the warehouse's raw schema (one transaction per file).

    Exits 1 when anything needs a person: a file failed, a report is held, CSV rows are quarantined.
    """
    targets = list(paths or default_inputs())
    wh = warehouse or default_warehouse()
    man = read_manifest(manifest)
    results: list[FileResult] = _ingest_with_progress(
        lambda cb: ingest_paths(
            targets, wh, man, template=template, on_file=cb, province=province, district=district
        ),
        _count_files(targets),
    )
    console.print(f"{summary_line(results)}; warehouse {wh}", markup=False, highlight=False)
    if needs_person(results):
        raise typer.Exit(code=1)


@app.command(cls=ReadableCommand)
@clean_errors
def build(
    paths: PathsArg = None,
    warehouse: WarehouseOpt = None,
    manifest: ManifestOpt = None,
    province: ProvinceOpt = None,
    district: DistrictOpt = None,
) -> None:
    """Ingest the reports, then `dbt build` the warehouse (exit 1 when anything needs a person)."""
    targets = list(paths or default_inputs())
    wh = warehouse or default_warehouse()
    man = read_manifest(manifest)
    result = _ingest_with_progress(
        lambda cb: run_build(targets, wh, man, on_file=cb, province=province, district=district),
        _count_files(targets),
    )
    console.print(summary_line(result.files), markup=False, highlight=False)
    if result.audit is not None:
        _print_audit(result.audit)
    if not result.dbt_success:
        err_console.print(
            "dbt build failed: the KPI page and the published marts were not written", markup=False
        )
        raise typer.Exit(code=1)
    if result.kpi_page is not None:
        typer.echo(f"KPI overview: {result.kpi_page}")
    if result.published is not None:
        _print_published(result.published)
    if needs_person(result.files):
        raise typer.Exit(code=1)
    if not result.success:
        raise typer.Exit(code=1)


def _print_audit(summary: AuditSummary) -> None:
    by_severity = ", ".join(f"{n} {sev}" for sev, n in sorted(summary.findings_by_severity.items())) or "none"
    by_status = ", ".join(f"{n} {st}" for st, n in sorted(summary.evaluations_by_status.items())) or "none"
    typer.echo(
        f"audit: {summary.report_count} report(s); findings: {by_severity}; checks: {by_status}; "
        f"report {summary.index_html}"
    )
    for coverage in summary.rule_coverage:
        typer.echo(coverage.line())


def _print_published(summary: PublishSummary) -> None:
    typer.echo(
        f"published {len(summary.marts)} mart(s) to {summary.published} (read-only for BI tools); "
        f"Parquet and SDMX-CSV ({summary.sdmx_rows} observations) in {summary.export_dir}"
    )


class FailOn(StrEnum):
    """Severity threshold of `cchc audit --fail-on`."""

    ERROR = "error"
    WARNING = "warning"


FailOnOpt = Annotated[
    FailOn | None,
    typer.Option(
        "--fail-on", help="exit 1 when findings of this severity (or worse) exist", metavar="error|warning"
    ),
]


@app.command(cls=ReadableCommand)
@clean_errors
def audit(
    warehouse: WarehouseOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="output folder (default target/audit)", metavar="DIR")
    ] = None,
    run_results: Annotated[
        Path | None,
        typer.Option(
            "--run-results",
            help="dbt's run_results.json, read when the warehouse has no recorded build "
            "(default target/run_results.json)",
            metavar="FILE",
        ),
    ] = None,
    fail_on: FailOnOpt = None,
) -> None:
    """Write the auditor's report (index.html, findings.json, findings.csv) from the last build."""
    wh = warehouse or default_warehouse()
    summary = write_audit_report(
        wh, out or DEFAULT_OUTPUTS.audit_dir, run_results or DEFAULT_OUTPUTS.run_results
    )
    _print_audit(summary)
    code = exit_code_for(summary, fail_on.value if fail_on else None)
    if code:
        raise typer.Exit(code=code)


@app.command(cls=ReadableCommand)
@clean_errors
def publish(warehouse: WarehouseOpt = None) -> None:
    """Publish the marts: read-only DuckDB file for BI tools (atomic swap), Parquet and SDMX-CSV."""
    wh = warehouse or default_warehouse()
    _print_published(publish_marts(wh))
    typer.echo(f"KPI overview: {write_kpi_page(wh, DEFAULT_OUTPUTS.kpi_page)}")


@app.command(cls=ReadableCommand)
@clean_errors
def status(
    warehouse: WarehouseOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the status as JSON")] = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for a running build's lock.")] = 30.0,
) -> None:
    """List loaded reports with their current decision, held ones with their reasons, failed files.

    Exits 1 when anything needs a person (a report held, a file failed, CSV rows quarantined).
    """
    wh = warehouse or default_warehouse()
    info = read_status(wh, wait_seconds=wait)
    if as_json:
        typer.echo(json.dumps(info, default=str, ensure_ascii=False, indent=2))
    else:
        _print_status(wh, info)
    if status_needs_person(info):
        raise typer.Exit(code=1)


def _period_text(r: dict[str, Any]) -> str:
    if not r["period_type"]:
        return "?"
    return f"{r['period_type']} {r['period_number'] or ''} {r['period_year']}".replace("  ", " ")


def _print_status(wh: Path, info: dict[str, list[dict[str, Any]]]) -> None:
    table = Table(title=f"reports in {wh}")
    for column in ("file", "report", "family", "unit", "period", "v", "state", "resolved by"):
        table.add_column(column, overflow="fold")
    for r in info["reports"]:
        state = r["review_status"] or ("held out" if r["is_held_out"] else "loaded")
        table.add_row(
            r["source_file"],
            r["report_id"],
            r["template_family"],
            r["unit_code"] or r["unit_name"] or "?",
            _period_text(r),
            str(r["version_number"]),
            state,
            f"unit: {r['unit_source'] or '?'}; period: {r['period_source'] or '?'}",
        )
    console.print(table)
    for r in info["reports"]:
        if r["is_held_out"]:
            state = r["review_status"] or "held out"
            typer.echo(f"{state}: {r['source_file']} (report {r['report_id']}): {r['hold_reason']}")
    for f in info["failed"]:
        typer.echo(f"failed: {f['source_file']}: {f['reason']}")
    for q in info["quarantined_rows"]:
        typer.echo(f"quarantined: {q['source_file']}: {q['rows']} row(s) (see raw.quarantine)")
    loaded = len(info["reports"])
    held = sum(1 for r in info["reports"] if r["is_held_out"])
    typer.echo(f"{loaded} report(s) loaded, {held} held, {len(info['failed'])} file(s) failed")


# --- re-submission decisions (issue 9) ----------------------------------------------------------

ByOpt = Annotated[str | None, typer.Option("--by", help="who decides (default: the login name)")]
ReportArg = Annotated[str, typer.Argument(help="the report: its file (path or name) or its report id")]


def _decide(ref: str, decision: str, by: str | None, warehouse: Path | None, manifest: Path | None) -> None:
    wh = warehouse or default_warehouse()
    if not wh.exists():
        raise CchcError("warehouse not found (run `cchc ingest` first)", source_file=str(wh))
    state = decide_report(wh, ref, decision, by or getpass.getuser(), read_manifest(manifest))
    typer.echo(
        f"{decision}ed {state.source_file} (report {state.report_id}): now {state.status}"
        + (f": {state.reason}" if state.reason else "")
    )


@app.command()
@clean_errors
def accept(
    report: ReportArg, by: ByOpt = None, warehouse: WarehouseOpt = None, manifest: ManifestOpt = None
) -> None:
    """Accept a report held for review: it becomes the current version (recorded with who and when)."""
    _decide(report, "accept", by, warehouse, manifest)


@app.command()
@clean_errors
def reject(
    report: ReportArg, by: ByOpt = None, warehouse: WarehouseOpt = None, manifest: ManifestOpt = None
) -> None:
    """Reject a report version: it stays out of the marts (recorded with who and when)."""
    _decide(report, "reject", by, warehouse, manifest)


app.add_typer(synth_app, name="synth", help="Generate a synthetic corpus of reports (with ground truth).")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
