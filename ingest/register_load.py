"""The official unit register in the warehouse: raw.admin_units, reloaded only when the package changes.

:func:`sync_register` compares the version of the installed register package with the one
recorded in raw.register_loads; loading again with the same version writes nothing
(idempotent), a new version replaces the table in one transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from ingest.register import Register, load_register, register_frame
from ingest.writer import ensure_schema, replace_register


def loaded_register_version(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT max(source_version) FROM raw.register_loads").fetchone()
    return None if row is None or row[0] is None else str(row[0])


def sync_register(con: duckdb.DuckDBPyConnection, register: Register | None = None) -> int:
    """Load the register into raw.admin_units when its version is not the one loaded; units written."""
    ensure_schema(con)
    reg = load_register() if register is None else register
    if loaded_register_version(con) == reg.source_version:
        return 0
    frame = register_frame(reg)
    frame["source_version"] = reg.source_version
    return replace_register(con, frame, reg.source_version, datetime.now(UTC).replace(tzinfo=None))
