"""Quantities: Japanese counters, English unit nouns, hedges and bounds, the units file."""

from __future__ import annotations

import pytest

from kansoku.extract.quantities import find_quantities, ja_number, load_units
from kansoku.normalize import normalize_text


def q(text: str, lang: str = "ja"):
    return [
        (x.value, x.unit, x.approximate, x.bound, x.text)
        for x in find_quantities(normalize_text(text), lang)
    ]


@pytest.mark.parametrize(
    "text, want",
    [
        ("約12000人の兵士", (12000, "person", True, None, "約12000人")),
        ("約１万２０００人の派兵", (12000, "person", True, None, "約1万2000人")),
        ("1万2000人", (12000, "person", False, None, "1万2000人")),
        ("計1万人規模が", (10000, "person", True, None, "計1万人規模")),
        ("数千人", (2000, "person", True, "at_least", "数千人")),
        ("3000人以上", (3000, "person", False, "at_least", "3000人以上")),
        ("少なくとも3000人を", (3000, "person", False, "at_least", "少なくとも3000人")),
        ("最大8000人", (8000, "person", False, "at_most", "最大8000人")),
        ("ミサイル6発と", (6, "missile", False, None, "6発")),
        ("200発以上", (200, "missile", False, "at_least", "200発以上")),
        ("2種類の", (2, "kind", False, None, "2種類")),
        ("約27キロ離れた", (27, "km", True, None, "約27キロ")),
        ("5MW(e)原子炉", (5, "MW", False, None, "5MW(e)")),
        ("約2時間50分", (170, "minute", True, None, "約2時間50分")),
        ("ロシア人2人と", (2, "person", False, None, "2人")),
        ("ロシア企業3社を", (3, "company", False, None, "3社")),
        ("発射台2基", (2, "launcher", False, None, "2基")),
        ("艦艇3隻", (3, "ship", False, None, "3隻")),
        ("戦闘機10機", (10, "aircraft", False, None, "10機")),
        ("戦車5両", (5, "vehicle", False, None, "5両")),
    ],
)
def test_ja_quantities(text, want):
    assert q(text) == [want]


@pytest.mark.parametrize(
    "text",
    ["第7次運転", "午前8時37分", "3分の1", "2人目", "2基地", "3発射", "2024年6月", "23日", "両国"],
)
def test_ja_not_quantities(text):
    assert q(text) == []


@pytest.mark.parametrize(
    "text, want",
    [
        ("about 12,000 troops", (12000, "person", True, None, "about 12,000 troops")),
        (
            "more than 200 artillery rounds",
            (200, "round", False, "at_least", "more than 200 artillery rounds"),
        ),
        (
            "8,000 North Korean soldiers",
            (8000, "person", False, None, "8,000 North Korean soldiers"),
        ),
        ("as many as 8,000 troops", (8000, "person", False, "at_most", "as many as 8,000 troops")),
        (
            "more than two dozen kinds of weapons",
            (24, "kind", False, "at_least", "more than two dozen kinds"),
        ),
        ("flew 1,001.2 km", (1001.2, "km", False, None, "1,001.2 km")),
        ("a 5MW reactor", (5, "MW", False, None, "5MW")),
        ("three ships", (3, "ship", False, None, "three ships")),
    ],
)
def test_en_quantities(text, want):
    assert q(text, "en") == [want]


@pytest.mark.parametrize("text", ["in 2019 North Korea fired missiles", "Hwasong-19", "on Jan. 2"])
def test_en_not_quantities(text):
    assert q(text, "en") == []


def test_offsets_point_into_text():
    text = normalize_text("北朝鮮兵約3000人がすでに移動し、12月までに計1万人規模が派遣")
    for x in find_quantities(text, "ja"):
        assert text[x.start : x.end] == x.text


def test_ja_number():
    assert ja_number("1万2000") == (12000, False, None)
    assert ja_number("1億2000万") == (120_000_000, False, None)
    assert ja_number("12,000") == (12000, False, None)
    assert ja_number("数百") == (200, True, "at_least")


def test_units_file_validates():
    data = load_units()
    assert data["version"] == 1
    assert data["ja"]["counters"]["人"] == "person"
    assert data["ja"]["counters"]["発"] == "missile"
    assert "troops" in data["en"]["nouns"]["person"]
    for counter in data["ja"]["not_followed_by"]:
        assert counter in data["ja"]["counters"]


def test_quantity_json():
    [x] = find_quantities("約12000人", "ja")
    assert x.to_json()["value"] == 12000 and x.to_json()["unit"] == "person"
