"""A throwaway PostgreSQL server for tests (Debian package `postgresql`, server 15).

`start_postgres(root)` runs initdb into a new data directory and starts the server on a free TCP
port of 127.0.0.1 (trust authentication, superuser `postgres`, UTF-8 with the C.UTF-8 locale so
that text sorts by code point as in DuckDB); `PgServer.stop()` stops it. PostgreSQL refuses to run
as root: when the tests run as root, the server runs as the `postgres` system user (runuser), in a
data directory of the system temp dir owned by that user (pytest's tmp dirs are private to root),
removed again by stop(); otherwise the data directory is `root/pgdata`.

When no server binaries are found and the tests run as root, scripts/install_system_deps.sh
installs them (apt-get); when that is impossible `PostgresUnavailable` says what to install.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = REPO_ROOT / "scripts" / "install_system_deps.sh"
DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")
SERVICE_USER = "postgres"
SUPERUSER = "postgres"
START_TIMEOUT_S = 60


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing and could not be installed."""


@dataclass
class PgServer:
    bin_dir: Path
    data_dir: Path
    port: int
    run_as: str | None  # system user running the server (None: the current user)
    owns_data_root: Path | None  # temp directory created for the server, removed by stop()
    host: str = "127.0.0.1"
    user: str = SUPERUSER

    def dsn(self, dbname: str = "postgres") -> str:
        """libpq connection string (psycopg2.connect)."""
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def env(self, dbname: str) -> dict[str, str]:
        """The CCHC_PG_* variables of the `postgres` target in profiles/profiles.yml."""
        return {
            "CCHC_PG_HOST": self.host,
            "CCHC_PG_PORT": str(self.port),
            "CCHC_PG_USER": self.user,
            "CCHC_PG_PASSWORD": "",
            "CCHC_PG_DBNAME": dbname,
        }

    def create_database(self, dbname: str) -> None:
        import psycopg2

        con = psycopg2.connect(self.dsn())
        try:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute(f'create database "{dbname}"')
        finally:
            con.close()

    def stop(self) -> None:
        _run(self, [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])
        if self.owns_data_root is not None:
            shutil.rmtree(self.owns_data_root, ignore_errors=True)


def find_postgres_bin() -> Path | None:
    """The bin directory of the newest PostgreSQL server install (Debian layout first, then PATH)."""
    candidates = []
    if DEBIAN_PG_ROOT.is_dir():
        for version_dir in DEBIAN_PG_ROOT.iterdir():
            bin_dir = version_dir / "bin"
            if (bin_dir / "initdb").exists() and (bin_dir / "pg_ctl").exists() and version_dir.name.isdigit():
                candidates.append((int(version_dir.name), bin_dir))
    if candidates:
        return max(candidates)[1]
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    return None


def ensure_postgres_bin() -> Path:
    """find_postgres_bin(), installing the Debian package first when missing (root only)."""
    found = find_postgres_bin()
    if found is not None:
        return found
    if os.geteuid() != 0:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found and the tests do not run as root: "
            "install the Debian package `postgresql` (as root: `make system-deps` or "
            "`apt-get install postgresql`)"
        )
    completed = subprocess.run(["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, check=False)
    found = find_postgres_bin()
    if found is None:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin or on "
            f"PATH, even after running {INSTALL_SCRIPT} (exit {completed.returncode}) to install the Debian "
            f"package `postgresql`. {(completed.stdout + completed.stderr).strip()[-2000:]}"
        )
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(server: PgServer, args: list[str]) -> subprocess.CompletedProcess[str]:
    command = ["runuser", "-u", server.run_as, "--", *args] if server.run_as else args
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")


def start_postgres(root: Path) -> PgServer:
    """initdb + start a server; raises PostgresUnavailable or RuntimeError with the server's log."""
    bin_dir = ensure_postgres_bin()
    if os.geteuid() == 0:
        data_root = Path(tempfile.mkdtemp(prefix="cchc-pg-"))
        shutil.chown(data_root, SERVICE_USER, SERVICE_USER)
        run_as: str | None = SERVICE_USER
        owns: Path | None = data_root
    else:
        data_root = root
        run_as, owns = None, None
    server = PgServer(bin_dir, data_root / "pgdata", free_port(), run_as, owns)
    init = _run(
        server,
        [
            str(bin_dir / "initdb"),
            "-D",
            str(server.data_dir),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
    )
    if init.returncode != 0:
        server.stop()
        raise RuntimeError(f"initdb failed: {init.stdout}{init.stderr}")
    log = data_root / "server.log"
    options = (
        f"-p {server.port} -c listen_addresses=127.0.0.1 -k {data_root}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    started = _run(
        server,
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(server.data_dir),
            "-o",
            options,
            "-l",
            str(log),
            "-t",
            str(START_TIMEOUT_S),
            "-w",
            "start",
        ],
    )
    if started.returncode != 0:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        server.stop()
        raise RuntimeError(f"PostgreSQL did not start: {started.stdout}{started.stderr}\n{text}")
    _wait_ready(server)
    return server


def _wait_ready(server: PgServer) -> None:
    import psycopg2

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            psycopg2.connect(server.dsn(), connect_timeout=5).close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
