"""Faults need processes and databases of their own: a private PostgreSQL cluster that a test
may stop and restart without disturbing anyone else's server, and `newsdb serve` processes
running this checkout's code."""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from app.db.engines import make_sync_engine
from app.db.migrate import upgrade
from tests import servers
from tests.conftest import add_key, newsdb_command, newsdb_env
from tests.servers import free_port, local_url


def unavailable(reason: str) -> None:
    """Skip where the machine lacks what a fault needs; in CI (REQUIRE_POSTGRES) fail."""
    if os.environ.get("REQUIRE_POSTGRES"):
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Cluster:
    """A PostgreSQL cluster of the fault tests' own, on a free port."""

    bin: Path
    data: Path
    port: int

    def _command(self, program: str) -> list[str]:
        return [*_as_postgres(), str(self.bin / program), "-D", str(self.data)]

    def _pg_ctl(self, *args: str) -> None:
        # The server's output goes to its log file: a pipe would stay open as long as it runs.
        log = str(self.data.parent / "log")
        subprocess.run(
            [*self._command("pg_ctl"), "-w", "-t", "60", "-l", log, *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1"
        self._pg_ctl("-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "stop")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "restart")

    def ensure_running(self) -> None:
        """After a test that stopped the server and failed before starting it again."""
        status = subprocess.run([*self._command("pg_ctl"), "status"], capture_output=True)
        if status.returncode != 0:
            self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> Engine:
        return create_engine(self.url(), isolation_level="AUTOCOMMIT")

    def create_database(self) -> str:
        """A new database, migrated to head: its URL."""
        name = f"faults_{uuid.uuid4().hex[:8]}"
        admin = self.admin()
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        upgrade(self.url(name))
        return self.url(name)


def _as_postgres() -> list[str]:
    # initdb and the server refuse to run as root.
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(initdb: str) -> int:
    version = Path(initdb).parent.parent.name
    return int(version) if version.isdigit() else 0


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """Started once, stopped and deleted at the end; each test takes a database of its own."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        unavailable("no PostgreSQL server binaries (initdb, pg_ctl) to start a private cluster")
    assert bin_dir is not None
    # Not under pytest's tmp dir: the postgres user must be able to reach it.
    home = Path(tempfile.mkdtemp(prefix="newsdb-faults-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    cluster = Cluster(bin_dir, home / "data", free_port())
    try:
        subprocess.run(
            [*cluster._command("initdb"), "-U", "postgres", "-A", "trust", "--no-sync"],
            check=True,
            capture_output=True,
        )
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def pg_database(cluster: Cluster) -> Iterator[str]:
    """A fresh, migrated database of the private cluster (dropped with the cluster)."""
    yield cluster.create_database()
    cluster.ensure_running()


def ingest_key(database_url: str) -> str:
    engine = make_sync_engine(database_url)
    try:
        return add_key(engine, "faults", "ingest")
    finally:
        engine.dispose()


@contextlib.contextmanager
def serving(
    database_url: str, workers: int = 2, wait_healthy: bool = True, **settings: str
) -> Iterator[str]:
    """`newsdb serve --workers N` on a free port: its base URL. Once the port accepts
    connections, and (`wait_healthy`) /health says the database answers."""
    port = free_port()
    with servers.serving(
        newsdb_command(
            "serve", "--port", str(port), "--workers", str(workers), "--log-level", "warning"
        ),
        port,
        newsdb_env(DATABASE_URL=database_url, **settings),
        healthy=wait_healthy,
        cwd=tempfile.gettempdir(),  # no stray .env
        stdout=None,
        stderr=None,
    ):
        yield local_url(port)


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    """A small file system of its own (root only): to fill up, or to remount read-only."""
    if os.geteuid() != 0:
        unavailable("mounting a tmpfs needs root")
    mountpoint = Path(tempfile.mkdtemp(prefix="newsdb-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        mountpoint.rmdir()
        unavailable(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "--lazy", str(mountpoint)], check=False)
        mountpoint.rmdir()
