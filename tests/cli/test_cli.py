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


def _serve(body: bytes, content_type: str):
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's API
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "make_input, expected",
    [
        (lambda d: _write(d / "empty.txt", b""), "empty.txt"),
        (lambda d: _write(d / "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "photo.png"),
        (lambda d: _write(d / "big.txt", "北朝鮮".encode() * 400), "big.txt"),
        (lambda d: _write(d / "nav.html", b"<html><body><nav><a href='/'>home</a></nav></body></html>"), "nav.html"),
        (lambda d: f"http://127.0.0.1:{_closed_port()}/feed.xml", "127.0.0.1"),
        (lambda d: "gopher://example.org/x", "gopher"),
    ],
    ids=["empty", "binary", "too-large", "html-without-text", "closed-port", "unknown-scheme"],
)
def test_each_bad_input_has_its_own_error_and_changes_nothing(tmp_path, capsys, make_input, expected):
    db = tmp_path / "k.db"
    good = tmp_path / "a.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    assert main(["--db", str(db), "ingest", str(good), "--published", "2024-11-01"]) == 0
    before = {t: _rows(db, t) for t in ("documents", "events", "mentions", "times")}
    source = make_input(tmp_path)
    capsys.readouterr()
    assert main(["--db", str(db), "ingest", str(source), "--max-bytes", "1000"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("kansoku: error:") and expected in err and "\n" not in err
    assert {t: _rows(db, t) for t in before} == before


def test_feed_url_returning_html_is_refused(tmp_path, capsys):
    db = tmp_path / "k.db"
    page = b"<html><head><title>x</title></head><body><article><p>" + ARTICLE.encode() + b"</p></article></body></html>"
    server = _serve(page, "text/html; charset=utf-8")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
        assert main(["--db", str(db), "ingest", url]) == 1
    finally:
        server.shutdown()
    err = capsys.readouterr().err
    assert "HTML" in err and "--page" in err
    assert not db.exists() or _rows(db, "documents") == 0


def test_copy_with_one_sentence_changed_is_a_linked_near_duplicate(devset, tmp_path, capsys):
    from kansoku.api import open_store

    seed = (devset / "texts" / "seed-hasegawa-2025-08-24.txt").read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(seed.replace("深刻な問題を提示している。", "重大な課題を突きつけている。"), encoding="utf-8")
    db = tmp_path / "k.db"
    assert main(["--db", str(db), "ingest", str(devset / "texts" / "seed-hasegawa-2025-08-24.txt")]) == 0
    assert main(["--db", str(db), "ingest", str(copy)]) == 0
    assert "near-duplicate" in capsys.readouterr().out
    with open_store(str(db)) as store:
        docs = store.documents()
        assert len(docs) == 2
        linked = [store.near_duplicate_of(d["id"]) for d in docs]
    assert sorted(x is None for x in linked) == [False, True]


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
