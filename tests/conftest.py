"""Shared fixtures: the dev set, and a database URL per store backend for any test.

`store_url` runs a test once on SQLite (a file in tmp_path) and once on PostgreSQL (a fresh
empty database on a real server, dropped afterwards): the store must behave the same on both.
`pg_url` alone gives a per-test PostgreSQL URL, for tests that only concern that backend.
The server is `KANSOKU_TEST_PG` when set, else one this session starts (see pg_server.py);
with neither, PostgreSQL tests skip, except under CI=true, where they fail: CI must run them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import ENV_URL, HOW_TO_FIX, PgAdmin, PgServer, find_bin_dir

from kansoku.store import Store

DEVSET = Path(__file__).resolve().parents[1].parent / "shared" / "devset"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def devset() -> Path:
    if not (DEVSET / "gold").is_dir():
        pytest.skip("../shared/devset is not beside the repository")
    return DEVSET


def _no_server(message: str) -> None:
    """Skip on a developer's machine; fail under CI, where a skipped backend hides breakage."""
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[PgAdmin]:
    """The PostgreSQL server of this session: $KANSOKU_TEST_PG, else a private one."""
    if os.environ.get(ENV_URL):
        admin = PgAdmin(os.environ[ENV_URL])
        try:
            admin.check()
        except RuntimeError as err:
            pytest.fail(str(err), pytrace=False)
        yield admin
        return
    bin_dir = find_bin_dir()
    if bin_dir is None:
        _no_server(
            f"no PostgreSQL server binaries (initdb, pg_ctl) and {ENV_URL} unset: {HOW_TO_FIX}"
        )
    try:
        server = PgServer.start(bin_dir)
    except RuntimeError as err:
        pytest.fail(f"{err}; or {HOW_TO_FIX}", pytrace=False)
    try:
        yield PgAdmin(server.url)
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_admin: PgAdmin) -> Iterator[str]:
    """A SQLAlchemy URL to a new, empty PostgreSQL database, dropped after the test."""
    url = pg_admin.create_database()
    try:
        yield url
    finally:
        pg_admin.drop_database(url)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened
