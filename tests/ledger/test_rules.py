"""Fusion rules, sources and contradictions on hand-built reports (no database)."""

from __future__ import annotations

from datetime import date

from kansoku.ledger.contradictions import find_contradictions, quantities_disagree
from kansoku.ledger.fusion import fuse
from kansoku.ledger.match import Matcher
from kansoku.ledger.report import Interval, Quantity, Report, fuse_intervals
from kansoku.ledger.sources import DocInfo, voices

M = Matcher()
DAY = Interval(date(2024, 10, 31), date(2024, 10, 31), "day")
OCT = Interval(date(2024, 10, 1), date(2024, 10, 31), "month")


def rep(rid: str, doc: str, type_: str = "weapons_test", time: Interval | None = DAY, entities=("north-korea", "hwasong-19"),
        source: str | None = None, certainty: str = "certain", polarity: str = "positive", quantities=(), location=None,
        trigger: str = "発射", published: date = date(2024, 11, 1)) -> Report:
    return Report(
        id=rid, document_id=doc, type=type_, time=time, entities=tuple(entities), location=location,
        quantities=tuple(quantities), certainty=certainty, polarity=polarity, source=source, source_text=None,
        chain=(), said_on=None, published=published, evidence=f"evidence of {rid}", evidence_start=0,
        evidence_end=10, trigger=trigger, trigger_start=5, entity_at=tuple((e, 0) for e in entities),
    )


def groups(reports: list[Report]) -> list[list[str]]:
    return [[r.id for r in c.reports] for c in fuse(reports, M)]


def test_same_launch_in_two_documents_is_one_event():
    assert groups([rep("a", "d1", source="kcna"), rep("b", "d2", time=OCT, source="japan-mod")]) == [["a", "b"]]


def test_different_named_missiles_or_days_are_different_events():
    other_day = Interval(date(2024, 10, 30), date(2024, 10, 30), "day")
    assert len(groups([rep("a", "d1"), rep("b", "d2", time=other_day)])) == 2
    assert len(groups([rep("a", "d1"), rep("b", "d2", entities=("north-korea", "hwasong-18"))])) == 2


def test_one_document_tells_each_source_version_once():
    assert len(groups([rep("a", "d1", source="kcna"), rep("b", "d1", source="kcna")])) == 2
    assert len(groups([rep("a", "d1", source="kcna"), rep("b", "d1", source="japan-mod")])) == 1


def test_speculation_is_never_fused():
    assert len(groups([rep("a", "d1"), rep("b", "d2", certainty="possible")])) == 2


def test_undated_report_needs_recent_publication_and_identity():
    old = rep("b", "d2", time=None, published=date(2025, 9, 1))
    assert len(groups([rep("a", "d1"), old])) == 2
    recent = rep("b", "d2", time=None, published=date(2024, 11, 2))
    assert len(groups([rep("a", "d1"), recent])) == 1
    no_identity = rep("b", "d2", time=None, entities=("north-korea", "kim-jong-un"), published=date(2024, 11, 2))
    assert len(groups([rep("a", "d1", entities=("north-korea", "kim-jong-un", "hwasong-19")), no_identity])) == 2


def test_fusion_is_deterministic_and_time_is_narrowed():
    reports = [rep("a", "d1", time=OCT), rep("b", "d2"), rep("c", "d3", time=OCT)]
    assert groups(reports) == groups(reports) == [["a", "b", "c"]]
    assert fuse_intervals([OCT, DAY, OCT]) == DAY


def test_facility_states_keep_shutdown_and_restart_apart():
    reactor = ("yongbyon-5mwe-reactor",)
    shut = rep("a", "d1", "facility_activity", OCT, reactor, trigger="停止")
    restart = rep("b", "d2", "facility_activity", OCT, reactor, trigger="運転を再開")
    again = rep("c", "d3", "facility_activity", OCT, reactor, trigger="再稼働")
    assert groups([shut, restart, again]) == [["a"], ["b", "c"]]


def test_quantity_margin_honours_bounds():
    q = lambda v, b=None: Quantity(v, "person", b, str(v))  # noqa: E731
    assert quantities_disagree(q(12000), q(3000), 0.5)
    assert not quantities_disagree(q(10000), q(8000), 0.5)
    assert not quantities_disagree(q(3000, "at_least"), q(10000), 0.5)
    assert quantities_disagree(q(3000, "at_most"), q(12000), 0.5)


def test_contradictions_in_numbers_dates_places_and_polarity():
    a = rep("a", "d1", "deployment", DAY, ("north-korea", "russia"), quantities=[Quantity(12000, "person", None, "1万2000人")],
            location="kursk-oblast")
    b = rep("b", "d2", "deployment", Interval(date(2024, 11, 1), date(2024, 11, 1), "day"), ("north-korea", "russia"),
            quantities=[Quantity(3000, "person", None, "3000人")], location="vladivostok", polarity="negative")
    kinds = {c.kind for c in find_contradictions([a, b], M)}
    assert kinds == {"quantity", "date", "place", "polarity"}
    inside = rep("c", "d3", "deployment", DAY, ("north-korea", "russia"), location="russia")
    assert not [c for c in find_contradictions([a, inside], M) if c.kind == "place"]  # Kursk is in Russia


def test_relay_of_one_primary_source_counts_once_and_reprint_is_its_original():
    docs = {
        "kyodo": DocInfo("kyodo", site="共同通信"),
        "yonhap": DocInfo("yonhap", site="聯合ニュース"),
        "blog": DocInfo("blog", site="ウィーン発『コンフィデンシャル』", author="長谷川良"),
        "agora": DocInfo("agora", site="アゴラ", republished_from="ウィーン発『コンフィデンシャル』(長谷川良)"),
    }
    reports = [rep("k", "kyodo", source="kcna"), rep("y", "yonhap", source="kcna"), rep("b", "blog"), rep("g", "agora")]
    who = voices(reports, docs, M)
    assert who["k"].primary == who["y"].primary == "entity:kcna"
    assert (who["k"].relay, who["y"].relay) == ("共同通信", "聯合ニュース")
    assert who["b"].primary == who["g"].primary  # the reprint speaks with the blog's voice
    assert who["g"].relay == "アゴラ"
    assert len({v.primary for v in who.values()}) == 2
