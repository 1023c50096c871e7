"""SQLite specifics: opening by path, the default location, connection settings, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from kansoku.errors import StoreError
from kansoku.store import Store, default_path, resolve_url


def test_plain_path_becomes_sqlite_url_and_folders_are_created(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "ledger.db"
    with Store(str(target)) as store:
        assert store.url.get_backend_name() == "sqlite"
        assert store.name == str(target)
    assert target.is_file()


def test_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    with Store(str(tmp_path / "ledger.db")) as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_kansoku_db_is_honored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("KANSOKU_DB", str(target))
    with Store() as store:
        assert store.name == str(target)
    assert target.is_file()


def test_default_location_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KANSOKU_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "kansoku" / "kansoku.db"
    assert resolve_url(None).database == str(tmp_path / "xdg" / "kansoku" / "kansoku.db")
    with Store():
        pass
    assert (tmp_path / "xdg" / "kansoku" / "kansoku.db").is_file()


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just some notes, not a database\n" * 200)
    with pytest.raises(StoreError) as info:
        Store(str(notes))
    message = str(info.value)
    assert "\n" not in message
    assert str(notes) in message and "not a SQLite database" in message
    assert "KANSOKU_DB" in message


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as info:
        Store(str(blocker / "sub" / "ledger.db"))
    message = str(info.value)
    assert "\n" not in message and str(blocker / "sub") in message and "writable" in message


@pytest.mark.parametrize("url", ["://nothing", "postgresql+psycopg://u@h:port/db"])
def test_bad_url_is_a_store_error(url: str) -> None:
    with pytest.raises(StoreError, match="is not valid"):
        Store(url)


def test_missing_driver_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="no driver .* install it"):
        Store("nodriver://host/db")


def test_two_writers_on_one_file(tmp_path: Path) -> None:
    """Two processes' worth of writers: BEGIN IMMEDIATE + busy timeout, no 'database is locked'."""
    import threading

    from kansoku.model import Document, Extraction

    target = str(tmp_path / "ledger.db")
    errors: list[Exception] = []

    def write(tag: str) -> None:
        with Store(target) as store:
            for i in range(15):
                text = f"writer {tag} document {i}: " + " ".join(f"{tag}{i}w{j}" for j in range(40))
                try:
                    store.add(Extraction(Document(text=text, lang="en")))
                except Exception as err:  # collected: an exception in a thread would be lost
                    errors.append(err)

    threads = [threading.Thread(target=write, args=(tag,)) for tag in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(target) as store:
        assert store.counts()["documents"] == 30
