"""Tests of ingest.register_load: the register in raw.admin_units, reloaded only on a new version."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb

from ingest.register import load_register
from ingest.register_load import loaded_register_version, sync_register


def test_register_is_loaded_once_per_package_version(tmp_path: Path) -> None:
    register = load_register()
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        written = sync_register(con, register)
        assert written == len(register.units)
        assert loaded_register_version(con) == register.source_version == "1.0.4"
        assert sync_register(con, register) == 0  # same version: nothing written
        rows = con.execute(
            "SELECT edition, gso_code, name, unit_type, level, parent_code, successor_code "
            "FROM raw.admin_units "
            "WHERE (edition, gso_code) IN (('legacy', '851'), ('legacy', '14056'), ('2025', '92')) "
            "ORDER BY edition, gso_code"
        ).fetchall()
        assert rows == [
            ("2025", "92", "Cần Thơ", "thành phố", "province", None, None),
            ("legacy", "14056", "Cát Thành", "thị trấn", "commune", "363", "14056"),
            ("legacy", "851", "Duyên Hải", "thị xã", "district", "84", "86"),
        ]
        newer = replace(register, source_version="1.0.5")
        assert sync_register(con, newer) == len(register.units)  # a new version replaces the table
        total = con.execute("SELECT count(*), count(DISTINCT source_version) FROM raw.admin_units").fetchone()
        assert total == (len(register.units), 1)
        assert loaded_register_version(con) == "1.0.5"
