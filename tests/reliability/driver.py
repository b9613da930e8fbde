"""A process for the kill campaign: one step of the pipeline, started by the tests and killed.

``python driver.py ingest WAREHOUSE FILE...`` | ``publish WAREHOUSE TARGET`` | ``dbt WAREHOUSE TARGET``.
Prints ``ready`` once imported, so that the test kills it during the work, not the imports.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from ingest.batch import ingest_paths  # noqa: E402
from pipeline.build import OutputPaths, build_and_record, publish_marts  # noqa: E402


def main(argv: list[str]) -> int:
    command, warehouse = argv[0], Path(argv[1])
    print("ready", flush=True)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nobody reads on: a full pipe must not block dbt
    if command == "ingest":
        results = ingest_paths([Path(p) for p in argv[2:]], warehouse, None)
        return 0 if all(r.status != "failed" for r in results) else 1
    outputs = OutputPaths(target=Path(argv[2]))
    if command == "publish":
        publish_marts(warehouse, outputs)
        return 0
    ok, _run = build_and_record(warehouse, outputs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
