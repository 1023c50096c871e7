"""Opening a database: URL resolution, per-dialect connection settings, migrations.

A store is named by a SQLAlchemy URL (`sqlite:///…`, `postgresql+psycopg://…`) or a plain
file path. Without one, `KANSOKU_DB` is used, else `$XDG_DATA_HOME/kansoku/kansoku.db`. The
schema is created and upgraded only by Alembic, at open.

Both dialects give the same guarantees: one writer at a time (SQLite's BEGIN IMMEDIATE,
PostgreSQL's transaction advisory lock), and string ordering by code point (`bytewise`).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from kansoku.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ENV_VAR = "KANSOKU_DB"
BUSY_TIMEOUT_MS = 10_000
# Connection option for transactions that write. SQLite takes its write lock at BEGIN, not at
# the first write: a deferred transaction that reads and then writes fails with "database is
# locked" at once when another process committed in between, without waiting for the busy
# timeout. PostgreSQL takes WRITE_LOCK, so that check-then-insert (duplicates, entities) and
# migrations see what the previous writer committed, as on SQLite, instead of racing it.
WRITE = "kansoku_write"
WRITE_LOCK = 0x6B616E736F6B75  # pg_advisory_xact_lock key: "kansoku" in ASCII
# `postgresql://` means psycopg2 to SQLAlchemy 2.0; Kansoku ships psycopg (3).
_PG_ALIASES = ("postgres", "postgresql")


def default_path() -> Path:
    """$XDG_DATA_HOME/kansoku/kansoku.db, with ~/.local/share as the XDG default."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kansoku" / "kansoku.db"


def resolve_url(url: str | None = None) -> URL:
    """The SQLAlchemy URL for `url`, `$KANSOKU_DB` or the default file; creates SQLite folders."""
    if url is None:
        url = os.environ.get(ENV_VAR) or None
    if url is None:
        return _sqlite_file(default_path())
    if "://" not in url:
        return _sqlite_file(Path(url).expanduser())
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as err:
        raise StoreError(
            f"database URL {url!r} is not valid: give a file path or a URL such as "
            "sqlite:///kansoku.db or postgresql+psycopg://user@host/kansoku"
        ) from err
    if parsed.drivername in _PG_ALIASES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _make_folder(Path(parsed.database).expanduser())
    return parsed


def _sqlite_file(path: Path) -> URL:
    _make_folder(path)
    return URL.create("sqlite", database=str(path))


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(
            f"cannot create the folder {path.parent} for database {path} ({err.strerror}): "
            f"choose a writable location with --db or {ENV_VAR}"
        ) from err


def display_name(url: URL) -> str:
    """What messages call the database: the file for SQLite, the URL without password else."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _use_wal(cursor: Any) -> None:
    # WAL is a property of the file, set once. Switching waits for no busy handler, so two
    # processes creating the same new file may see "database is locked": retry a while.
    if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() in ("wal", "memory"):
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN (below) delimit transactions, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(cursor)
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE):
            # Released at commit or rollback; waits for the writer holding it.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


class bytewise(FunctionElement):  # noqa: N801 - used like a SQL function
    """A string column compared by code point: ORDER BY bytewise(col) sorts alike everywhere.

    SQLite's default collation is bytewise; a PostgreSQL database usually has a linguistic
    one (en_US: "alpha" < "Zulu"), which would reorder ties between the two backends.
    """

    name = "bytewise"
    inherit_cache = True


@compiles(bytewise)
def _bytewise_default(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(bytewise, "postgresql")
def _bytewise_postgresql(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'


def open_engine(url: URL) -> Engine:
    """An engine for `url` with the schema migrated to head; StoreError if it cannot be."""
    name = display_name(url)
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ImportError) as err:
        raise StoreError(
            f"no driver for database {name} ({err}): install it, e.g. pip install psycopg "
            "for postgresql+psycopg:// URLs"
        ) from err
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    elif url.get_backend_name() == "postgresql":
        _configure_postgresql(engine)
    try:
        migrate(engine)
    except Exception as err:
        engine.dispose()
        raise _open_error(err, url) from err
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run the package's Alembic migrations up to `revision` on `engine`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    with engine.connect() as connection:
        # Take the write lock first, so two processes opening a new database migrate in turn.
        connection.execution_options(**{WRITE: True})
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


# What a server's refusal means, by the driver's message (psycopg gives no SQLSTATE for
# failed connections): pattern, then the fix.
_SERVER_FIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), fix)
    for pattern, fix in (
        (
            r'database ".*" does not exist',
            "create it (createdb NAME) or name an existing database in the URL",
        ),
        (
            r'role ".*" does not exist|authentication failed|no pg_hba\.conf entry|password',
            "fix the user name and password in the URL, or ask the server's admin for a login",
        ),
        (
            r"connection refused|could not connect|failed to resolve host|timeout expired"
            r"|no route to host|name or service not known|server closed the connection",
            "start the server, or fix the host and port in the URL",
        ),
        (
            r"permission denied",
            "grant the user CREATE on schema public, or use a database the user owns",
        ),
    )
)


def _open_error(err: Exception, url: URL) -> Exception:
    name = display_name(url)
    sqlite = url.get_backend_name() == "sqlite"
    if isinstance(err, StoreError):
        return err
    detail = " ".join(str(getattr(err, "orig", None) or err).split())[:200]
    if isinstance(err, CommandError):
        return StoreError(
            f"database {name} has a schema this Kansoku does not know ({detail}): "
            "upgrade Kansoku, or use another database"
        )
    if re.search(r"\balready exists\b", detail):
        return StoreError(
            f"database {name} holds tables that are not a Kansoku store's ({detail}): use an "
            f"empty database or an existing Kansoku store with --db or {ENV_VAR}"
        )
    if sqlite and "not a database" in detail:
        return StoreError(
            f"{name} is not a SQLite database: give a new file name or an existing Kansoku "
            f"database with --db or {ENV_VAR}"
        )
    if sqlite and isinstance(err, DatabaseError):
        return StoreError(
            f"cannot open database {name} ({detail}): check that the file and its folder are "
            f"readable and writable, or choose another path with --db or {ENV_VAR}"
        )
    if not sqlite and isinstance(err, SQLAlchemyError):
        fix = next(
            (fix for pattern, fix in _SERVER_FIXES if pattern.search(detail)),
            "check the URL, that the server is running and the credentials",
        )
        return StoreError(f"cannot open database {name} ({detail}): {fix} (--db or {ENV_VAR})")
    if isinstance(err, SQLAlchemyError):
        return StoreError(
            f"cannot open database {name} ({detail}): check the URL, that the server is "
            "running and the credentials"
        )
    return StoreError(
        f"cannot open database {name} ({type(err).__name__}: {detail}): check the database "
        "is a Kansoku store, or report this as a bug"
    )
