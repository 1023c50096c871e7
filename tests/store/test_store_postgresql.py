"""PostgreSQL specifics: URL spelling, what a refused connection says, the writers' lock."""

from __future__ import annotations

import pytest
from pg_server import free_port
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kansoku.errors import StoreError
from kansoku.store import Store, resolve_url
from kansoku.store.engine import WRITE, WRITE_LOCK


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_plain_postgresql_urls_use_psycopg(scheme: str) -> None:
    assert resolve_url(f"{scheme}://u@h/db").drivername == "postgresql+psycopg"


def _open_error(url: str) -> str:
    with pytest.raises(StoreError) as info:
        Store(url)
    message = str(info.value)
    assert "\n" not in message and "KANSOKU_DB" in message
    return message


def test_unreachable_server_says_start_it() -> None:
    url = f"postgresql+psycopg://kansoku:secret@127.0.0.1:{free_port()}/kansoku"
    message = _open_error(url)
    assert "start the server" in message and "secret" not in message


def test_missing_database_says_create_it(pg_url: str) -> None:
    message = _open_error(make_url(pg_url).set(database="no_such_db").render_as_string(False))
    assert '"no_such_db" does not exist' in message and "createdb" in message


def test_unknown_login_says_fix_the_user(pg_url: str) -> None:
    message = _open_error(make_url(pg_url).set(username="no_such_role").render_as_string(False))
    assert "no_such_role" in message and "fix the user name" in message


def test_writes_hold_the_writers_lock(pg_url: str) -> None:
    """Writers queue on one advisory lock, as SQLite's BEGIN IMMEDIATE queues them."""
    held = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
        "AND classid = :high AND objid = :low"
    )
    key = {"high": WRITE_LOCK >> 32, "low": WRITE_LOCK & 0xFFFFFFFF}
    with Store(pg_url) as store, store.engine.connect() as conn:
        with conn.begin():
            assert conn.execute(held, key).scalar() == 0
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            assert conn.execute(held, key).scalar() == 1
