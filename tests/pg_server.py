"""PostgreSQL for tests: a private throwaway server, and a fresh database per test on any server.

The store's tests run against a real server, never a mock. `KANSOKU_TEST_PG` names one (CI
starts it with `.ci/postgres.sh`); without it the test session starts its own with the local
server binaries (`initdb`, `pg_ctl`) in a temporary folder on a free port and removes it at the
end. Each test then gets an empty database of its own, created from an admin connection and
dropped afterwards, so tests neither see nor clean up after each other.

The databases sort text like a typical production server (ICU "en-US": "alpha" < "Zulu"),
not bytewise like SQLite and the C locale, so a query whose order depends on collation shows
up as a difference between the backends. Servers without ICU (or older than 15) get the
server's default collation instead.

PostgreSQL refuses to run as root; as root the server runs as the `postgres` system user that
Debian's package creates. PostgreSQL 13 or later is needed (DROP DATABASE … WITH (FORCE)).
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import errors, sql
from sqlalchemy.engine import make_url

ENV_URL = "KANSOKU_TEST_PG"
ENV_BIN = "KANSOKU_PG_BIN"  # folder with initdb and pg_ctl, when they are somewhere unusual
SYSTEM_USER = "postgres"
PREFIX = "kansoku-pg-"  # temporary folders of private servers
OWNER_FILE = "owner.pid"  # in such a folder: the pid of the pytest that started the server
HOW_TO_FIX = (
    f"install PostgreSQL (Debian: apt-get install postgresql) or set {ENV_URL} to a server URL "
    "such as postgresql+psycopg://kansoku@127.0.0.1:54329/kansoku whose user may CREATE "
    "DATABASE (bash .ci/postgres.sh starts one)"
)


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: $KANSOKU_PG_BIN, Debian's newest, else PATH."""
    candidates: list[Path] = []
    if os.environ.get(ENV_BIN):
        candidates.append(Path(os.environ[ENV_BIN]))
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += debian
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://…) as the libpq URI psycopg.connect takes."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (yet)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A server in a temporary folder (`home`: data/, server.log, the socket, owner.pid)."""

    bin_dir: Path
    home: Path
    port: int
    _stopped: bool = field(default=False, repr=False)

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{SYSTEM_USER}@127.0.0.1:{self.port}/postgres"

    @classmethod
    def start(cls, bin_dir: Path) -> PgServer:
        """initdb + pg_ctl start, as the postgres user when we are root; RuntimeError if not."""
        reap_orphans(bin_dir)
        server = cls(bin_dir, Path(tempfile.mkdtemp(prefix=PREFIX)), free_port())
        atexit.register(server.stop)  # also when the session dies before its finalizers
        (server.home / OWNER_FILE).write_text(str(os.getpid()))
        try:
            server._give_home_to_owner()
            # The C locale sorts like SQLite; each test database picks its own (see PgAdmin).
            initdb = ["-U", SYSTEM_USER, "--auth=trust", "--encoding=UTF8", "--locale=C"]
            server._run("initdb", "-D", str(server.data), *initdb)
            # Loopback only, the socket in home (/var/run/postgresql may not be ours), no
            # fsync and no autovacuum: nothing here outlives the session.
            options = (
                f"-c listen_addresses=127.0.0.1 -p {server.port} "
                f"-c unix_socket_directories='{server.home}' "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off"
            )
            log = str(server.home / "server.log")
            data = str(server.data)
            server._run("pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start")
        except RuntimeError:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        """Stop the server (if it runs) and delete its folder; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        if (self.data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass  # already gone; the folder goes below either way
        shutil.rmtree(self.home, ignore_errors=True)

    def _give_home_to_owner(self) -> None:
        if os.geteuid() != 0:
            return
        try:
            owner = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            raise RuntimeError(
                f"running as root and there is no {SYSTEM_USER!r} user to run PostgreSQL as: "
                f"create it (useradd -r {SYSTEM_USER}) or {HOW_TO_FIX}"
            ) from None
        os.chown(self.home, owner.pw_uid, owner.pw_gid)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        # cwd "/": the postgres user may not be allowed into the caller's folder.
        done = subprocess.run(command, cwd="/", capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.home / "server.log"
            tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
            detail = " ".join(f"{done.stderr} {tail}".split())[:400]
            raise RuntimeError(f"{program} failed for a test server in {self.home}: {detail}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphans(bin_dir: Path) -> None:
    """Stop servers left by test sessions that were killed (SIGTERM skips every finalizer).

    pg_ctl detaches the server from the session, so it outlives a killed pytest; its folder
    names the pytest process that started it, and a folder whose process is gone is stale.
    """
    for home in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            pid = int((home / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not one of ours (e.g. .ci/postgres.sh's), or still being set up
        if not _alive(pid):
            PgServer(bin_dir, home, 0).stop()


@dataclass
class PgAdmin:
    """Creates and drops per-test databases on the server that `url` reaches."""

    url: str
    _icu: bool | None = field(default=None, repr=False)  # can the server make ICU databases?

    def check(self) -> None:
        """Raise RuntimeError naming the URL and the fix if the server cannot be reached."""
        try:
            with psycopg.connect(libpq_url(self.url), autocommit=True, connect_timeout=10):
                pass
        except psycopg.Error as err:
            shown = make_url(self.url).render_as_string(hide_password=True)
            detail = " ".join(str(err).split())[:200]
            raise RuntimeError(
                f"cannot connect to {ENV_URL}={shown} ({detail}): start the server "
                "(bash .ci/postgres.sh) or fix the URL"
            ) from err

    def create_database(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        database = f"kansoku_test_{uuid.uuid4().hex[:12]}"
        name = sql.Identifier(database)
        if self._icu is not False:
            try:
                self._execute(
                    sql.SQL(
                        "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                        "LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
                    ).format(name)
                )
                self._icu = True
            except psycopg.Error:
                if self._icu:
                    raise
                self._icu = False
        if not self._icu:
            self._execute(sql.SQL("CREATE DATABASE {}").format(name))
        return make_url(self.url).set(database=database).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        """Drop the database, ending any connection a test left open to it.

        A user without pg_signal_backend cannot end an autovacuum worker that happens to be
        in the database: such a worker finishes within moments, so try again a few times.
        """
        name = make_url(url).database
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        for attempt in range(20):
            try:
                self._execute(drop)
                return
            except (errors.InsufficientPrivilege, errors.ObjectInUse):
                if attempt == 19:
                    raise
                time.sleep(0.25)

    def _execute(self, statement: sql.Composed) -> None:
        # CREATE/DROP DATABASE cannot run inside a transaction: autocommit.
        with psycopg.connect(libpq_url(self.url), autocommit=True) as conn:
            conn.execute(statement)
