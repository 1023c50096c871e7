"""The gazetteer data validates, and every dev-set gold name resolves to an entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kansoku.domain.gazetteer import (
    ENTITY_TYPES,
    Gazetteer,
    build_gazetteer,
    load_gazetteer,
    name_key,
)
from kansoku.errors import GazetteerError

DEVSET = Path(__file__).resolve().parents[3] / "shared" / "devset"
GOLD = DEVSET / "gold"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_size_and_types(gaz):
    assert len(gaz) >= 300
    assert {e.type for e in gaz.entities.values()} <= set(ENTITY_TYPES)
    for t in ("STATE", "PERSON", "ORG", "MEDIA", "FACILITY", "PLACE", "WEAPON", "GROUP"):
        assert gaz.by_type(t), t


def test_every_entity_has_en_and_ja_names(gaz):
    for e in gaz.entities.values():
        assert e.names.get("en") and e.names.get("ja"), e.id
        assert e.name == e.names["en"]


def test_places_and_facilities_have_coordinates(gaz):
    for e in gaz.entities.values():
        if e.type in ("PLACE", "FACILITY"):
            assert e.coordinates is not None, e.id
            lat, lon = e.coordinates
            assert -90 <= lat <= 90 and -180 <= lon <= 180, e.id


def test_parents_exist_and_lead_to_no_cycle(gaz):
    for e in gaz.entities.values():
        seen = set()
        cur = e
        while cur.parent:
            assert cur.parent in gaz.entities, (cur.id, cur.parent)
            assert cur.id not in seen, f"parent cycle at {cur.id}"
            seen.add(cur.id)
            cur = gaz.entities[cur.parent]


def test_root_state(gaz):
    assert gaz.root_state("kim-jong-un") == "north-korea"
    assert gaz.root_state("yongbyon-lwr") == "north-korea"
    assert gaz.root_state("vostochny-cosmodrome") == "russia"
    assert gaz.root_state("iaea") is None


def test_key_entities(gaz):
    kju = gaz.get("kim-jong-un")
    assert kju.type == "PERSON" and "金総書記" in kju.aliases and kju.names["ja"] == "金正恩"
    assert gaz.get("pyongyang").type == "PLACE"
    assert "Pyongyang" not in gaz.get("north-korea").aliases
    assert gaz.get("sohae").coordinates
    assert set(gaz.compounds["米韓"].members) == {"united-states", "south-korea"}
    assert "総書記" in gaz.titles.ja_titles and "President" in gaz.titles.en_titles
    assert gaz.shorts["米"].entity == "united-states"
    assert gaz.get(None) is None and gaz.get("no-such-id") is None


def test_resolve_compares_like_the_scorer(gaz):
    assert [e.id for e in gaz.resolve("kim jong-un")] == ["kim-jong-un"]
    assert {e.id for e in gaz.resolve("米韓")} == {"united-states", "south-korea"}
    assert [e.id for e in gaz.resolve("ウィ―ン")] == ["vienna"]  # U+2015 look-alike dash
    assert gaz.resolve("no such thing") == []


def test_load_is_cached():
    assert load_gazetteer() is load_gazetteer()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_file_adds_entities(tmp_path):
    path = _write(
        tmp_path,
        "- {id: test-site, type: FACILITY, parent: north-korea, coordinates: [40.0, 127.0],"
        " names: {en: Test Site, ja: 試験場X}, aliases: [TSX]}\n",
    )
    gaz = load_gazetteer([path])
    assert gaz.get("test-site").parent == "north-korea"
    assert "test-site" not in load_gazetteer()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "- {id: dup-kim, type: PERSON, names: {en: Someone, ja: 誰か}, aliases: [金正恩]}",
            "already claimed by 'kim-jong-un'",
        ),
        ("- {id: Bad_Id, type: STATE, names: {en: X, ja: X国}}", "kebab-case"),
        ("- {id: x-place, type: PLACE, names: {en: X, ja: X市}}", "needs coordinates"),
        (
            "- {id: x-place, type: PLACE, coordinates: [95, 10], names: {en: X, ja: X市}}",
            "coordinates",
        ),
        ("- {id: x-org, type: ORG, names: {en: X Org}}", "names.ja"),
        (
            "- {id: x-org, type: ORG, parent: nowhere, names: {en: X, ja: X機関}}",
            "parent 'nowhere'",
        ),
        ("- {id: x-org, type: BANK, names: {en: X, ja: X機関}}", "type 'BANK'"),
        ("- {id: kim-jong-un, type: PERSON, names: {en: X, ja: X氏}}", "id already used"),
        ("- {id: x-org, type: ORG, names: {en: X, ja: X機関}, aliases: [米]}", "one character"),
        ("- {id: x-org, type: ORG, names: {en: X, ja: X機関}, colour: red}", "unknown keys"),
        ("- {id: x-org, type: ORG, wikidata: 123, names: {en: X, ja: X機関}}", "Q-id"),
        ("- [not, a, mapping]", "not a mapping"),
        ("- {id: x-org, names: {en: X, ja: X機関}: oops", "not valid YAML"),
    ],
)
def test_bad_file_raises_a_clear_error(tmp_path, entry, message):
    path = _write(tmp_path, entry + "\n")
    with pytest.raises(GazetteerError) as info:
        build_gazetteer([path])
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_unknown_compound_member_raises(tmp_path):
    path = tmp_path / "compounds.yaml"
    path.write_text("compounds:\n  米独: [united-states, atlantis]\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="atlantis"):
        build_gazetteer(compounds_path=path)


def _gold_names(doc: dict) -> list[str]:
    names = []
    for ent in doc.get("entities", []):
        names += [ent["name"], *ent.get("aliases", [])]
    for event in doc["events"]:
        for slot in event["participants"]:
            names += slot
        names += [s for s in event.get("source", []) if s != "author"]
    return names


@pytest.mark.skipif(not GOLD.is_dir(), reason="dev set not available")
def test_every_gold_name_resolves(gaz):
    missing = {}
    for path in sorted(GOLD.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for name in _gold_names(doc):
            if not gaz.resolve(name):
                missing.setdefault(path.stem, []).append(name)
    assert not missing


@pytest.mark.skipif(not GOLD.is_dir(), reason="dev set not available")
def test_gold_entities_resolve_to_the_right_type(gaz):
    wrong = []
    for path in sorted(GOLD.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for ent in doc.get("entities", []):
            types = {e.type for e in gaz.resolve(ent["name"])}
            if ent["type"] not in types and not (
                ent["type"] in ("WEAPON", "ROCKET") and types & {"WEAPON", "ROCKET"}
            ):
                wrong.append((ent["name"], ent["type"], types))
    assert not wrong


def test_name_key():
    assert name_key("Kim Jong-un") == name_key("ＫＩＭ ＪＯＮＧ ＵＮ") == "kimjongun"
