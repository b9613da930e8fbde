"""Synthetic corpora for the benchmarks, and making their units known to the warehouse.

Synthetic reports name units of the official register, but a name found in several provinces is
held out without a --province / --district context (as for real reports). For the build and
data-quality benchmarks the bench resolves them itself, from synth's reports.csv: the unit's GSO code
as the register writes it (3 digits for a district, 5 for a commune, so the unit is in
marts.dim_reporting_unit with its names), the period the document states, not held out. Only the
bench's own warehouses are touched.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb

from synth.corpus import generate_corpus

FAMILY_COUNT = 4
QUARTERS = tuple(f"{year}-Q{q}" for year in (2023, 2024) for q in (1, 2, 3, 4))


def corpus(folder: Path, reports: int, *, inject_rate: float, seed: int = 7) -> Path:
    """A synthetic text corpus of about ``reports`` reports under ``folder`` (kept and reused)."""
    if (folder / "reports.csv").exists():
        return folder
    periods = QUARTERS[: max(1, min(len(QUARTERS), reports // FAMILY_COUNT))]
    units = max(1, math.ceil(reports / (FAMILY_COUNT * len(periods))))
    generate_corpus(folder, units=units, periods=periods, seed=seed, inject_rate=inject_rate, mode="text")
    return folder


RESOLVE = """
UPDATE raw.reports AS r SET
    unit_code = lpad(s.unit_gso_code, CASE WHEN s.family = 'national_commune_2024' THEN 5 ELSE 3 END, '0'),
    unit_name = s.unit_name,
    unit_level = CASE WHEN s.family = 'national_commune_2024' THEN 'commune' ELSE 'district' END,
    province = s.province,
    period_year = r.doc_period_year,
    period_type = r.doc_period_type,
    period_number = r.doc_period_number,
    is_held_out = false,
    hold_reason = NULL
FROM read_csv(?, header = true, all_varchar = true) AS s
WHERE r.source_file = s.file AND r.doc_period_type IS NOT NULL
"""


def resolve_synthetic_units(warehouse: Path, listing: Path) -> int:
    """Give the synthetic reports of ``warehouse`` their unit and period (see the module doc)."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(RESOLVE, [str(listing)])
        row = con.execute("SELECT count(*) FROM raw.reports WHERE NOT is_held_out").fetchone()
    return int(row[0]) if row else 0
