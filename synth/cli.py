"""``cchc synth``: generate a synthetic national corpus (the lead registers ``synth.cli:app``).

The generator is the app's callback (no sub-command) and takes options only, so that
``app.add_typer(synth_app, name="synth")`` gives ``cchc synth --out DIR --units 10 ...``
directly (a positional argument on a Click group would be taken for a sub-command name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from synth.catalogue import FAMILIES
from synth.corpus import generate_corpus

app = typer.Typer(help="Generate a synthetic corpus of CCHC reports from the official unit register.")


@app.callback(invoke_without_command=True)
def synth(
    out_dir: Annotated[
        Path, typer.Option("--out", help="folder to write reports/ (or rows/) and ground_truth.csv")
    ],
    units: Annotated[
        int, typer.Option(help="units per family (districts, or communes for the commune family)")
    ] = 10,
    period: Annotated[
        list[str] | None, typer.Option(help="period, repeatable: 2023-Q1, 2023-H1, 2023 (default 2023-Q1)")
    ] = None,
    family: Annotated[
        list[str] | None, typer.Option(help=f"family, repeatable (default all: {', '.join(FAMILIES)})")
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed: same seed, same bytes")] = 0,
    inject_rate: Annotated[
        float, typer.Option(help="probability per report and rule kind of an injected inconsistency")
    ] = 0.0,
    rows: Annotated[
        bool, typer.Option("--rows", help="write long-format rows (Parquet) instead of report text")
    ] = False,
    chunk: Annotated[int, typer.Option(help="reports per Parquet part (--rows)")] = 2000,
) -> None:
    """Generate reports and the ground truth of the inconsistencies injected into them."""
    summary = generate_corpus(
        out_dir,
        units=units,
        periods=period or ["2023-Q1"],
        families=family or list(FAMILIES),
        seed=seed,
        inject_rate=inject_rate,
        mode="rows" if rows else "text",
        chunk_reports=chunk,
    )
    by_family = ", ".join(f"{k} {v}" for k, v in sorted(summary.reports_by_family.items()))
    typer.echo(
        f"{summary.reports} reports ({by_family}) in {summary.seconds:.1f} s "
        f"({summary.reports_per_second:.0f} reports/s), {summary.bytes_written / 1e6:.1f} MB"
    )
    if summary.mode == "rows":
        typer.echo(f"{summary.row_count} long-format rows in {out_dir / 'rows'}")
    injected = ", ".join(f"{k} {v}" for k, v in sorted(summary.injected_by_kind.items())) or "none"
    typer.echo(f"injected: {injected}; ground truth: {out_dir / 'ground_truth.csv'}")
