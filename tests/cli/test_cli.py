"""The command line end to end: real files, a real SQLite database, the real extractor."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kansoku.cli import main

pytestmark = pytest.mark.slow

ARTICLE = (
    "北朝鮮がICBM発射 金総書記が視察\n"
    "北朝鮮の朝鮮中央通信は1日、新型の大陸間弾道ミサイル(ICBM)「火星19」の発射実験を"
    "10月31日に行い、金正恩総書記が視察したと伝えた。\n"
)


def _rows(db, table):
    with sqlite3.connect(db) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_extract_prints_the_format_json(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(src), "--published", "2024-11-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    types = {e["type"] for e in out["events"]}
    assert {"weapons_test", "leader_inspection"} <= types
    test = next(e for e in out["events"] if e["type"] == "weapons_test")
    assert test["time"]["start"] == "2024-10-31"
    assert test["attribution"]["source"] == "kcna"
    assert out["document"]["published"] == "2024-11-01"


def test_extract_table_is_readable(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(src), "--published", "2024-11-01", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "weapons_test" in out and "2024-10-31" in out


def test_ingest_twice_keeps_one_document_and_lists_events(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "k.db"
    assert main(["--db", str(db), "ingest", str(src), "--published", "2024-11-01"]) == 0
    events_before = _rows(db, "events")
    assert _rows(db, "documents") == 1 and events_before >= 2
    assert main(["--db", str(db), "ingest", str(src)]) == 0
    assert _rows(db, "documents") == 1 and _rows(db, "events") == events_before
    capsys.readouterr()
    assert main(["--db", str(db), "events", "--type", "weapons_test", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e["type"] for e in listed] == ["weapons_test"]


def test_bad_input_is_one_line_error_and_store_unchanged(tmp_path, capsys):
    db = tmp_path / "k.db"
    good = tmp_path / "a.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    assert main(["--db", str(db), "ingest", str(good), "--published", "2024-11-01"]) == 0
    before = (_rows(db, "documents"), _rows(db, "events"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    capsys.readouterr()
    assert main(["--db", str(db), "ingest", str(empty)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("kansoku: error:") and "empty.txt" in err and "\n" not in err
    assert main(["--db", str(db), "ingest", "ftp://127.0.0.1/x"]) == 1
    assert (_rows(db, "documents"), _rows(db, "events")) == before


def test_seed_article_ingests_as_a_dated_reprint(devset, tmp_path):
    from kansoku.api import open_store

    db = tmp_path / "k.db"
    assert main(["--db", str(db), "ingest", str(devset / "texts" / "seed-hasegawa-2025-08-24.txt")]) == 0
    with open_store(str(db)) as store:
        [doc] = store.documents()
        stored = store.get_document(doc["id"])
    assert stored.lang == "ja" and str(stored.published) == "2025-08-24"
    assert "ウィーン発『コンフィデンシャル』" in stored.republished_from.name
    assert str(stored.republished_from.published) == "2025-08-24"
    assert "ウィーン" in stored.text and "\u2015" not in stored.text
