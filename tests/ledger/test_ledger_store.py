"""The ledger in a real store (SQLite and PostgreSQL): articles written for these tests go
through the real extractor and `Store.add`, which fuses them on ingest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kansoku.api import extract_text
from kansoku.cli import main
from kansoku.extract.pipeline import extract
from kansoku.ingest import read_bytes
from kansoku.store import Store

TROOPS_A = "韓国の国家情報院は23日、北朝鮮が今月上旬にロシアへ兵士約1万2000人を派遣したと明らかにした。"
TROOPS_B = "米国防総省は24日、北朝鮮が今月上旬にロシアへ兵士約3000人を派遣したと明らかにした。"
MEET_13 = "ロシアのプーチン大統領と北朝鮮の金正恩総書記は13日、ボストーチヌイ宇宙基地で会談した。"
MEET_14 = "ロシアのプーチン大統領と北朝鮮の金正恩総書記は14日、ボストーチヌイ宇宙基地で会談した。"
SHELLS = "米政府は、北朝鮮がロシアに砲弾を供与したと発表した。"
DENIAL = "北朝鮮外務省は、ロシアへの砲弾供与を否定した。"
KCNA = "朝鮮中央通信によると、北朝鮮は31日、新型ICBM「火星19」を発射した。"
MOD = "防衛省によると、北朝鮮は31日午前、ICBM級の弾道ミサイル「火星19」を発射した。"


def add(store: Store, text: str, published: date, site: str, doc_id: str) -> None:
    ex = extract_text(text, published=published, site=site)
    ex.document.id = doc_id
    store.add(ex)


def only_event(store: Store, type_: str) -> dict:
    found = store.ledger_events(type=type_)
    assert len(found) == 1, found
    return found[0]


def test_numbers_that_disagree_are_one_event_with_a_contradiction(store: Store):
    add(store, TROOPS_A, date(2024, 10, 25), "東亜日報", "troops-a")
    add(store, TROOPS_B, date(2024, 10, 26), "読売新聞", "troops-b")
    ev = only_event(store, "deployment")
    assert (ev["reports"], ev["sources"], ev["contradicted"]) == (2, 2, True)
    (c,) = store.contradictions("quantity")
    assert {c["a"]["value"], c["b"]["value"]} == {"約1万2000人", "約3000人"}
    assert {c["a"]["source"], c["b"]["source"]} == {"rok-nis", "pentagon"}
    assert [e["id"] for e in store.ledger_events(contradicted=True)] == [ev["id"]]


def test_dates_that_disagree_are_flagged(store: Store):
    add(store, MEET_13, date(2023, 9, 14), "朝日新聞", "meet-13")
    add(store, MEET_14, date(2023, 9, 15), "毎日新聞", "meet-14")
    ev = only_event(store, "meeting")
    (c,) = store.contradictions("date")
    assert (c["event"], {c["a"]["value"], c["b"]["value"]}) == (ev["id"], {"2023-09-13", "2023-09-14"})


def test_a_denial_is_kept_beside_the_claim(store: Store):
    add(store, SHELLS, date(2024, 5, 10), "産経新聞", "shells")
    add(store, DENIAL, date(2024, 5, 12), "日経新聞", "denial")
    ev = only_event(store, "arms_transfer")
    assert ev["polarity"] == "disputed" and ev["certainty"] == "certain"
    (c,) = store.contradictions("polarity")
    assert {c["a"]["value"], c["b"]["value"]} == {"positive", "negative"}


def test_one_primary_source_relayed_by_two_outlets_counts_once(store: Store):
    add(store, KCNA, date(2024, 11, 1), "共同通信", "kyodo")
    add(store, KCNA + "金正恩総書記が立ち会った。", date(2024, 11, 1), "聯合ニュース", "yonhap")
    ev = only_event(store, "weapons_test")
    assert (ev["reports"], ev["documents"], ev["sources"]) == (2, 2, 1)
    shown = store.show(ev["id"])
    assert {r["relay"] for r in shown["reports_detail"]} == {"共同通信", "聯合ニュース"}
    assert [r["independent"] for r in shown["reports_detail"]] == [True, False]
    add(store, MOD, date(2024, 10, 31), "防衛省発表", "mod")
    assert only_event(store, "weapons_test")["sources"] == 2


def test_show_gives_each_report_its_evidence_sentence(store: Store):
    add(store, "前文。" + TROOPS_A + "後文。", date(2024, 10, 25), "東亜日報", "troops-a")
    ev = only_event(store, "deployment")
    (r,) = store.show(ev["id"])["reports_detail"]
    assert r["sentence"]["text"] == TROOPS_A
    assert r["evidence"]["text"] in r["sentence"]["text"]
    assert store.show(r["id"])["id"] == ev["id"]  # a report id finds its event


def test_rebuild_is_deterministic_and_matches_ingest(store: Store):
    for text, day, site, doc in [
        (TROOPS_A, date(2024, 10, 25), "東亜日報", "a"), (TROOPS_B, date(2024, 10, 26), "読売新聞", "b"),
        (MEET_13, date(2023, 9, 14), "朝日新聞", "c"), (KCNA, date(2024, 11, 1), "共同通信", "d"),
    ]:
        add(store, text, day, site, doc)
    before = store.ledger_events()
    assert store.rebuild_ledger() == len(before)
    assert store.ledger_events() == before
    store.rebuild_ledger()
    assert store.ledger_events() == before


def test_review_edit_and_reject_survive_reprocess(store: Store):
    add(store, TROOPS_A, date(2024, 10, 25), "東亜日報", "troops-a")
    add(store, TROOPS_B, date(2024, 10, 26), "読売新聞", "troops-b")
    ev = only_event(store, "deployment")
    week = {"start": "2024-10-08", "end": "2024-10-13", "precision": "range"}
    store.review(ev["id"], "edit", changes={"time": week}, reviewer="analyst", note="NIS briefing")
    report_b = next(r["id"] for r in store.show(ev["id"])["reports_detail"] if r["document_id"] == "troops-b")
    store.review(report_b, "reject", reviewer="editor")
    for _ in range(2):
        shown = store.show(ev["id"])
        assert shown["time"] == week and shown["machine"]["time"]["start"] == "2024-10-01"
        assert [r["rejected"] for r in shown["reports_detail"]] == [False, True]
        assert (shown["reports"], shown["sources"], shown["contradicted"]) == (1, 1, False)
        assert [rv["reviewer"] for rv in shown["reviews"]] == ["analyst", "editor"]
        assert store.reprocess(extract) == 2
        ev = only_event(store, "deployment")


def test_reprint_is_not_independent_of_its_original(store_url: str, devset: Path):
    text = (devset / "texts" / "seed-hasegawa-2025-08-24.txt").read_text(encoding="utf-8")
    original = text[: text.index("編集部より")]
    with Store(store_url) as store:
        blog = extract_text(original, published=date(2025, 8, 24), site="ウィーン発『コンフィデンシャル』", author="長谷川良")
        blog.document.id = "blog"
        store.add(blog)
        doc = read_bytes(text.encode("utf-8"), name="agora.txt", published=date(2025, 8, 24))
        doc.id, doc.site = "agora", "アゴラ"
        assert doc.republished_from is not None  # the footer names the blog
        assert store.add(extract(doc)).status == "near_duplicate"

        shared = 0
        for ev in store.ledger_events():
            details = store.show(ev["id"])["reports_detail"]
            docs = {r["document_id"] for r in details}
            if docs == {"blog", "agora"}:
                shared += 1
                assert ev["sources"] == len({r["primary_source"] for r in details if r["document_id"] == "blog"})
                assert all(not r["independent"] for r in details if r["document_id"] == "agora")
        assert shared >= 10


def test_cli_review_edit_survives_kansoku_reprocess(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = str(tmp_path / "k.db")
    for name, text, day in (("a.txt", TROOPS_A, "2024-10-25"), ("b.txt", TROOPS_B, "2024-10-26")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert main(["--db", db, "ingest", str(tmp_path / name), "--published", day]) == 0
    capsys.readouterr()
    assert main(["--db", db, "events", "--type", "deployment", "--format", "json"]) == 0
    import json

    (ev,) = json.loads(capsys.readouterr().out)
    assert main(["--db", db, "review", "edit", ev["id"], "--set", "time=2024-10-08..2024-10-13", "--by", "analyst"]) == 0
    assert main(["--db", db, "reprocess"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "show", ev["id"]]) == 0
    out = capsys.readouterr().out
    assert "2024-10-08..2024-10-13   (machine: 2024-10-01..2024-10-10)" in out
    assert "analyst  edit event" in out
    assert main(["--db", db, "timeline"]) == 0
    assert "2024-10-08..2024-10-13" in capsys.readouterr().out
    assert main(["--db", db, "review", "edit", ev["id"], "--set", "time=2024-10-13..2024-10-08"]) == 1
    assert "ends before it starts" in capsys.readouterr().err
