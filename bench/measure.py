"""Wall time and peak memory of a command: ``python -m bench.measure CMD...`` prints one JSON line.

The peak is the largest resident set of the command's process tree's biggest process
(``RUSAGE_CHILDREN`` of this wrapper, which runs nothing else).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float
    ok: bool


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    done = subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak, "ok": done.returncode == 0}))
    return 0


def measure(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Measured:
    """Run ``command`` in its own measuring process; its wall time, peak RSS and success."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.measure", *command],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Measured(data["seconds"], data["peak_rss_mb"], data["ok"])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
