"""Fixtures for the store contract tests: hand-built extractions.

`store_url` and `store` live in tests/conftest.py (other test folders use them too): every
test that takes one runs once on SQLite and once on a fresh PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kansoku.model import (
    Attribution,
    Document,
    Duration,
    Entity,
    Event,
    Extraction,
    Mention,
    Participant,
    Quantity,
    RepublishedFrom,
    Span,
    TimeSpan,
    Warning_,
)


def _offsets(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


KIM = Entity(
    id="kim-jong-un",
    type="PERSON",
    name="Kim Jong Un",
    names={"ja": "金正恩", "en": "Kim Jong Un", "ko": "김정은"},
    aliases=("金総書記",),
    wikidata="Q56226",
)
PUTIN = Entity(id="vladimir-putin", type="PERSON", name="Vladimir Putin", names={"ja": "プーチン"})
IAEA = Entity(id="iaea", type="ORG", name="IAEA", names={"ja": "国際原子力機関"})
YONGBYON = Entity(
    id="yongbyon-5mwe",
    type="FACILITY",
    name="Yongbyon 5MW(e) reactor",
    coordinates=(39.797, 125.755),
    parent="yongbyon",
)


def japanese_extraction() -> Extraction:
    """A made-up Japanese article: a meeting, a troop deployment, an impossible date."""
    text = (
        "金正恩総書記は2024年6月、プーチン大統領と会談した。"
        "北朝鮮は約12000人の兵士を派遣したとみられる。"
        "3月33日にも発表があった。(東京新聞の記事を転載)"
    )
    doc = Document(
        text=text,
        lang="ja",
        published=date(2025, 8, 24),
        published_from="metadata",
        title="露朝の接近",
        author="長谷川",
        site="example.jp",
        url="https://example.jp/a/1",
        raw=text.encode("shift_jis"),
        content_type="text/html",
        republished_from=RepublishedFrom("東京新聞", date(2025, 8, 23), "https://example.jp/o"),
        warnings=[Warning_("reprint", "reprinted from 東京新聞", "東京新聞", None, None)],
    )
    june = TimeSpan(
        "2024年6月", *_offsets(text, "2024年6月"), date(2024, 6, 1), date(2024, 6, 30), "month"
    )
    kim = _span(text, "金正恩総書記")
    putin = _span(text, "プーチン大統領")
    troops = _span(text, "約12000人")
    quantity = Quantity(12000, "person", True, troops.text, troops.start, troops.end)
    meeting = Event(
        type="meeting",
        trigger=_span(text, "会談"),
        evidence=_span(text, "金正恩総書記は2024年6月、プーチン大統領と会談した。"),
        participants=[
            Participant("agent", kim.text, kim.start, kim.end, "kim-jong-un"),
            Participant("counterpart", putin.text, putin.start, putin.end, "vladimir-putin"),
        ],
        time=june,
        confidence=0.8,
        id="e1",
    )
    deployment = Event(
        type="deployment",
        trigger=_span(text, "派遣"),
        evidence=_span(text, "北朝鮮は約12000人の兵士を派遣したとみられる。"),
        participants=[
            Participant("agent", "北朝鮮", text.index("北朝鮮"), text.index("北朝鮮") + 3)
        ],
        quantities=[quantity],
        certainty="probable",
        attribution=Attribution(chain=("author",)),
        confidence=0.6,
        id="e2",
    )
    bad = _span(text, "3月33日")
    return Extraction(
        document=doc,
        entities={"kim-jong-un": KIM, "vladimir-putin": PUTIN},
        mentions=[
            Mention(kim.start, kim.start + 3, "金正恩", "PERSON", "kim-jong-un"),
            Mention(putin.start, putin.start + 4, "プーチン", "PERSON", "vladimir-putin"),
            Mention(text.index("北朝鮮"), text.index("北朝鮮") + 3, "北朝鮮", "GPE", None),
        ],
        times=[june],
        quantities=[quantity],
        events=[meeting, deployment],
        warnings=[Warning_("invalid_date", "March has no day 33", bad.text, bad.start, bad.end)],
    )


def english_extraction() -> Extraction:
    """A made-up English report: an IAEA statement about a reactor, with a place and a duration."""
    text = (
        "The IAEA said on 2 September 2024 that the Yongbyon 5MW(e) reactor restarted in "
        "mid-October 2024 after a shutdown of about 60 days."
    )
    doc = Document(text=text, lang="en", published=date(2024, 9, 3), url="https://example.org/r")
    iaea = _span(text, "IAEA")
    reactor = _span(text, "Yongbyon 5MW(e) reactor")
    mid_oct = TimeSpan(
        "mid-October 2024",
        *_offsets(text, "mid-October 2024"),
        date(2024, 10, 11),
        date(2024, 10, 20),
        "part_of_month",
    )
    days = _span(text, "about 60 days")
    restart = Event(
        type="facility_activity",
        trigger=_span(text, "restarted"),
        evidence=_span(text, text),
        participants=[
            Participant("object", reactor.text, reactor.start, reactor.end, "yongbyon-5mwe")
        ],
        location=Participant("location", "Yongbyon", reactor.start, reactor.start + 8, "yongbyon"),
        time=mid_oct,
        attribution=Attribution("iaea", "The IAEA", "said", date(2024, 9, 2), ("author", "iaea")),
        mentions=[_span(text, "5MW(e) reactor restarted")],
        confidence=0.9,
        id="e1",
    )
    return Extraction(
        document=doc,
        entities={"iaea": IAEA, "yongbyon-5mwe": YONGBYON},
        mentions=[
            Mention(iaea.start, iaea.end, "IAEA", "ORG", "iaea"),
            Mention(reactor.start, reactor.end, reactor.text, "FACILITY", "yongbyon-5mwe"),
        ],
        times=[mid_oct],
        durations=[Duration(days.text, days.start, days.end, 60, "day", True)],
        events=[restart],
    )


SENTENCES = [
    f"Report {i}: the {adj} battalion moved {i * 7} trucks toward the {place} depot at dawn."
    for i, (adj, place) in enumerate(
        zip(
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
            " thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(),
            "northern eastern coastal inland mountain river border central southern western"
            " harbor airfield rail forest valley desert island capital plateau".split(),
            strict=True,
        ),
        start=1,
    )
]


def plain_extraction(text: str, lang: str = "en") -> Extraction:
    return Extraction(document=Document(text=text, lang=lang, raw=text.encode()))


@pytest.fixture
def long_text() -> str:
    """About 1,500 characters of distinct sentences."""
    return " ".join(SENTENCES)


@pytest.fixture
def ja_extraction() -> Extraction:
    return japanese_extraction()


@pytest.fixture
def en_extraction() -> Extraction:
    return english_extraction()


@pytest.fixture
def make_plain() -> Callable[..., Extraction]:
    return plain_extraction
