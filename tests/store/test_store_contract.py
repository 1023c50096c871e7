"""Store contract: what every backend must do with extractions. Runs once per `store_url`."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from kansoku.errors import DateError, StoreError
from kansoku.model import (
    Document,
    Entity,
    Event,
    Extraction,
    Mention,
    Participant,
    Span,
    TimeSpan,
)
from kansoku.store import Store
from kansoku.store.engine import MIGRATIONS
from kansoku.store.schema import TABLES, metadata


def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_new_store_is_empty_and_migrated(store: Store) -> None:
    assert store.counts() == {t.name: 0 for t in TABLES}
    with store.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == _head_revision()
        assert "alembic_version" in inspect(conn).get_table_names()


def test_migrations_match_schema_module(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_reopening_keeps_data_and_schema(store_url: str, ja_extraction: Extraction) -> None:
    with Store(store_url) as first:
        first.add(ja_extraction)
        counts = first.counts()
    with Store(store_url) as again:
        assert again.counts() == counts


def test_round_trip_japanese(store: Store, ja_extraction: Extraction) -> None:
    result = store.add(ja_extraction)
    assert (result.status, result.document_id, result.duplicate_of) == (
        "added",
        ja_extraction.document.id,
        None,
    )
    assert store.extraction(result.document_id) == ja_extraction.to_json()
    counts = store.counts()
    assert counts["documents"] == 1 and counts["events"] == 2 and counts["participants"] == 3
    assert counts["quantities"] == 2  # one of the document, the same one on the deployment
    assert counts["warnings"] == 2 and counts["mentions"] == 3 and counts["entities"] == 2


def test_round_trip_english_with_location_and_duration(
    store: Store, en_extraction: Extraction
) -> None:
    store.add(en_extraction)
    rebuilt = store.get_extraction(en_extraction.document.id)
    assert rebuilt.to_json() == en_extraction.to_json()
    assert rebuilt.events[0].location == en_extraction.events[0].location
    assert rebuilt.durations == en_extraction.durations
    assert rebuilt.entities["yongbyon-5mwe"].coordinates == (39.797, 125.755)


def test_get_document_keeps_raw_bytes_and_reprint(store: Store, ja_extraction: Extraction) -> None:
    store.add(ja_extraction)
    doc = store.get_document(ja_extraction.document.id)
    original = ja_extraction.document
    assert doc.raw == original.raw and isinstance(doc.raw, bytes)
    assert doc.republished_from == original.republished_from
    assert doc.anchor_date == date(2025, 8, 23)
    for field in (
        "text",
        "lang",
        "published",
        "published_from",
        "title",
        "author",
        "site",
        "url",
        "path",
        "content_type",
        "warnings",
    ):
        assert getattr(doc, field) == getattr(original, field), field


def test_unknown_document_is_an_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no document 'nope'"):
        store.get_document("nope")


def test_documents_lists_summaries(
    store: Store, ja_extraction: Extraction, en_extraction: Extraction
) -> None:
    store.add(ja_extraction)
    store.add(en_extraction)
    listed = store.documents()
    assert [d["id"] for d in listed] == [ja_extraction.document.id, en_extraction.document.id]
    assert listed[0]["republished_from"] == "東京新聞"
    assert listed[0]["published"] == "2025-08-24"
    assert listed[0]["chars"] == len(ja_extraction.document.text)
    json.dumps(listed)
    assert [d["id"] for d in store.documents(limit=1, offset=1)] == [en_extraction.document.id]


def test_exact_duplicate_writes_nothing(store: Store, ja_extraction: Extraction) -> None:
    store.add(ja_extraction)
    before = store.counts()
    result = store.add(ja_extraction)
    assert result.status == "duplicate"
    assert result.duplicate_of == ja_extraction.document.id
    assert store.counts() == before


def test_near_duplicate_is_stored_and_linked(store: Store, long_text: str, make_plain) -> None:
    first = store.add(make_plain(long_text))
    sentences = long_text.split(". ")
    sentences[7] = "Report 8: nothing moved at all that night, according to the local office"
    edited = ". ".join(sentences)
    assert edited != long_text
    second = store.add(make_plain(edited))
    assert second.status == "near_duplicate"
    assert second.duplicate_of == first.document_id
    assert second.similarity is not None and second.similarity >= 0.8
    assert store.counts()["documents"] == 2
    assert store.near_duplicate_of(second.document_id) == first.document_id
    assert store.near_duplicate_of(first.document_id) is None
    assert [d["near_duplicate_of"] for d in store.documents()] == [None, first.document_id]


def test_unrelated_document_is_not_linked(
    store: Store, long_text: str, make_plain, en_extraction: Extraction
) -> None:
    store.add(make_plain(long_text))
    other = " ".join(reversed(long_text.split(" ")))  # same words, different shingles
    assert store.add(en_extraction).status == "added"
    assert store.add(make_plain(other)).status == "added"
    assert all(d["near_duplicate_of"] is None for d in store.documents())


def test_near_duplicate_threshold_is_configurable(
    store_url: str, long_text: str, make_plain
) -> None:
    edited = long_text.replace("Report 8: the eighth", "Report 8: a different")
    with Store(store_url, near_duplicate_threshold=0.999) as strict:
        strict.add(make_plain(long_text))
        assert strict.add(make_plain(edited)).status == "added"


def _participant_with_str_offset(extraction: Extraction) -> Extraction:
    text = extraction.document.text
    broken = Event(
        type="statement",
        trigger=Span(0, 3, text[:3]),
        evidence=Span(0, 10, text[:10]),
        participants=[Participant("agent", text[:3], "0", 3)],  # type: ignore[arg-type]
    )
    extraction.events.append(broken)
    return extraction


def test_failed_write_leaves_nothing(
    store: Store, en_extraction: Extraction, ja_extraction: Extraction
) -> None:
    store.add(en_extraction)
    before = store.counts()
    with pytest.raises(StoreError) as info:
        store.add(_participant_with_str_offset(ja_extraction))
    message = str(info.value)
    assert "\n" not in message
    assert store.name in message and "participant start" in message
    assert "nothing was written" in message
    assert store.counts() == before


def test_failure_after_document_row_rolls_back(
    store: Store, ja_extraction: Extraction, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_write_annotations", explode)
    with pytest.raises(StoreError, match="disk on fire"):
        store.add(ja_extraction)
    assert set(store.counts().values()) == {0}
    monkeypatch.undo()
    assert store.add(ja_extraction).status == "added"


def test_same_id_different_text_is_refused(store: Store, make_plain) -> None:
    store.add(make_plain("one text"))
    clash = make_plain("another text")
    clash.document.id = make_plain("one text").document.id
    with pytest.raises(StoreError, match="already stored"):
        store.add(clash)
    assert store.counts()["documents"] == 1


def test_entities_are_upserted(store: Store, ja_extraction: Extraction, make_plain) -> None:
    store.add(ja_extraction)
    later = make_plain("金正恩が視察した。")
    renamed = Entity(id="kim-jong-un", type="PERSON", name="Kim Jong-un", aliases=("金委員長",))
    later.entities = {"kim-jong-un": renamed}
    store.add(later)
    assert store.counts()["entities"] == 2
    rebuilt = store.get_extraction(ja_extraction.document.id)
    assert rebuilt.entities["kim-jong-un"].name == "Kim Jong-un"


def test_event_filters(store: Store, ja_extraction: Extraction, en_extraction: Extraction) -> None:
    store.add(ja_extraction)
    store.add(en_extraction)
    everything = store.events()
    json.dumps(everything)
    assert [e["type"] for e in everything] == ["meeting", "facility_activity", "deployment"]
    assert {e["document_id"] for e in everything} == {
        ja_extraction.document.id,
        en_extraction.document.id,
    }
    assert len({e["id"] for e in everything}) == 3  # extractor ids "e1" clash; store ids do not
    assert [e["type"] for e in store.events(type="meeting")] == ["meeting"]
    assert len(store.events(type=["meeting", "deployment"])) == 2
    assert [e["type"] for e in store.events(entity="kim-jong-un")] == ["meeting"]
    assert [e["type"] for e in store.events(entity="yongbyon")] == ["facility_activity"]
    assert [e["type"] for e in store.events(source="iaea")] == ["facility_activity"]
    assert len(store.events(source="author")) == 2
    assert [e["type"] for e in store.events(since="2024-10-15")] == ["facility_activity"]
    assert [e["type"] for e in store.events(until=date(2024, 6, 30))] == ["meeting"]
    assert [e["type"] for e in store.events(since="2024-06-15", until="2024-07-01")] == ["meeting"]
    assert len(store.events(min_certainty="certain")) == 2
    assert len(store.events(min_certainty="possible")) == 3
    assert len(store.events(limit=1)) == 1
    restart = store.events(type="facility_activity")[0]
    assert restart["attribution"] == {
        "source": "iaea",
        "text": "The IAEA",
        "cue": "said",
        "said_on": "2024-09-02",
        "chain": ["author", "iaea"],
    }
    assert restart["location"]["entity"] == "yongbyon"


def test_event_filter_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown certainty 'sure'"):
        store.events(min_certainty="sure")
    with pytest.raises(DateError, match="YYYY-MM-DD"):
        store.events(since="last week")


def test_closed_store_says_so(store_url: str) -> None:
    opened = Store(store_url)
    opened.close()
    with pytest.raises(StoreError, match="closed"):
        opened.counts()


def test_round_trip_edge_cases(store: Store, make_plain) -> None:
    """Events without an id, mentions of ids the extraction did not describe, no time."""
    extraction = make_plain("KCNA reported a launch.")
    extraction.mentions = [Mention(0, 4, "KCNA", "ORG", "kcna")]  # no Entity for "kcna"
    extraction.events = [
        Event("weapons_test", Span(15, 21, "launch"), Span(0, 23, extraction.document.text))
    ]
    store.add(extraction)
    assert store.extraction(extraction.document.id) == extraction.to_json()
    (stored,) = store.events()
    assert stored["id"] == f"{extraction.document.id}:1" and stored["time"] is None
    assert store.events(since="2000-01-01") == []


def test_database_with_other_tables_is_refused(store_url: str) -> None:
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE documents (x integer)"))
    engine.dispose()
    with pytest.raises(StoreError, match="not a Kansoku store's.*KANSOKU_DB"):
        Store(store_url)


def test_schema_from_a_newer_kansoku(store_url: str) -> None:
    with Store(store_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="upgrade Kansoku"):
        Store(store_url)


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("text", "KCNA\x00 reported a launch.", "document text contains a NUL character"),
        ("title", "a\x00title", "document title contains a NUL character"),
        ("lang", "x" * 17, "document lang is 17 characters, over the column's 16"),
    ],
    ids=["nul-in-text", "nul-in-title", "too-long"],
)
def test_values_postgresql_cannot_store_are_refused_everywhere(
    store: Store, make_plain, field: str, value: str, expected: str
) -> None:
    """SQLite would keep a NUL or an overlong VARCHAR; PostgreSQL would not: neither does."""
    extraction = make_plain("KCNA reported a launch.")
    setattr(extraction.document, field, value)
    with pytest.raises(StoreError) as info:
        store.add(extraction)
    message = str(info.value)
    assert expected in message and "nothing was written" in message and "\n" not in message
    assert set(store.counts().values()) == {0}


def test_numbers_sqlite_would_mangle_are_refused_everywhere(store: Store, make_plain) -> None:
    """NaN becomes NULL on SQLite; a 33-bit offset overflows PostgreSQL's INTEGER."""
    nan = make_plain("KCNA reported a launch.")
    nan.events = [Event("weapons_test", Span(15, 21, "launch"), Span(0, 23, "x"), confidence=NAN)]
    with pytest.raises(StoreError, match="event confidence must be a finite number"):
        store.add(nan)
    huge = make_plain("KCNA reported a launch.")
    huge.mentions = [Mention(0, 2**31, "KCNA", "ORG", None)]
    with pytest.raises(StoreError, match="mention end 2147483648 does not fit"):
        store.add(huge)
    assert set(store.counts().values()) == {0}


def _dated(make_plain, text_: str, doc_id: str) -> Extraction:
    extraction = make_plain(text_)
    extraction.document.id = doc_id
    day = TimeSpan("1 May", 0, 5, date(2025, 5, 1), date(2025, 5, 1), "day")
    extraction.events = [Event("statement", Span(0, 5, text_[:5]), Span(0, 5, text_[:5]), time=day)]
    return extraction


def test_ties_are_ordered_by_code_point_on_every_backend(store: Store, make_plain) -> None:
    """Events on one day sort by document id as SQLite does ("Zulu" < "alpha"), not as a
    PostgreSQL database with a linguistic collation would ("alpha" < "Zulu")."""
    for doc_id in ("alpha", "Zulu", "a-b", "ab"):
        store.add(_dated(make_plain, f"Statement of document {doc_id}.", doc_id))
    assert [e["document_id"] for e in store.events()] == ["Zulu", "a-b", "ab", "alpha"]


def test_concurrent_writers_share_new_entities_and_find_duplicates(store_url: str) -> None:
    """Writers racing on one new database: migrations, entity upserts and the duplicate check
    each see what the other committed, with no error."""
    writers = 3
    barrier = threading.Barrier(writers)
    errors: list[Exception] = []
    results: list[str] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            with Store(store_url) as store:
                for i in range(4):
                    ex = Extraction(Document(text=f"writer {n} report {i} on the shared unit", lang="en"))
                    ex.entities = {"unit-9": Entity("unit-9", "ORG", f"Unit 9 ({n}, {i})")}
                    store.add(ex)
                results.append(store.add(Extraction(Document(text=SAME, lang="en"))).status)
        except Exception as err:  # collected: an exception in a thread would be lost
            errors.append(err)

    # Daemons with a deadline: writers that deadlock must fail the test, not hang the suite.
    threads = [threading.Thread(target=write, args=(n,), daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "writers deadlocked"
    assert errors == []
    assert sorted(results) == ["added"] + ["duplicate"] * (writers - 1)
    with Store(store_url) as store:
        counts = store.counts()
    assert counts["documents"] == writers * 4 + 1 and counts["entities"] == 1


SAME = "Every writer stores this same text; only the first one keeps it."
NAN = float("nan")
