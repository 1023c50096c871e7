"""The command line on a PostgreSQL server, named by --db or by KANSOKU_DB: same verbs, same output."""

from __future__ import annotations

import json

import pytest

from kansoku.cli import main
from kansoku.model import text_id
from kansoku.normalize import normalize_text

pytestmark = pytest.mark.slow

ARTICLE = (
    "北朝鮮がICBM発射 金総書記が視察\n"
    "北朝鮮の朝鮮中央通信は1日、新型の大陸間弾道ミサイル(ICBM)「火星19」の発射実験を"
    "10月31日に行い、金正恩総書記が視察したと伝えた。\n"
)


def _documents(capsys: pytest.CaptureFixture[str], *db: str) -> list[dict]:
    capsys.readouterr()
    assert main([*db, "documents", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_ingest_and_list_with_db_flag(pg_url, tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    assert main(["--db", pg_url, "ingest", str(src), "--published", "2025-01-01"]) == 0
    assert main(["--db", pg_url, "ingest", str(src)]) == 0  # a duplicate: still one document
    [doc] = _documents(capsys, "--db", pg_url)
    assert doc["id"] == text_id(normalize_text(ARTICLE))
    assert doc["published"] == "2025-01-01" and doc["lang"] == "ja"
    assert main(["--db", pg_url, "documents"]) == 0
    assert doc["id"] in capsys.readouterr().out


def test_ingest_and_list_with_kansoku_db(pg_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KANSOKU_DB", pg_url)
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    assert main(["ingest", str(src), "--published", "2025-01-01"]) == 0
    [doc] = _documents(capsys)
    assert doc["published"] == "2025-01-01"

