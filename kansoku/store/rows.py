"""Model records ↔ table rows, both ways, as plain dicts.

Values are checked before they are written: SQLite would quietly store the string "12" in an
integer column, PostgreSQL would refuse it, and the ledger must behave the same on both. So a
row is refused on every backend when PostgreSQL would refuse it (a NUL character, a string
longer than its VARCHAR, an integer beyond 32 bits) or SQLite would mangle it (NaN, which it
stores as NULL).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import String, Table

from kansoku.model import (
    Attribution,
    Document,
    Duration,
    Entity,
    Event,
    Mention,
    Participant,
    Quantity,
    RepublishedFrom,
    Span,
    TimeSpan,
    Warning_,
)
from kansoku.store import schema

Row = Mapping[str, Any]
_INT32 = 2**31  # INTEGER is 32-bit on PostgreSQL, 64-bit on SQLite


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__} {value!r}")
    if not -_INT32 <= value < _INT32:
        raise ValueError(f"{what} {value} does not fit in a 32-bit integer column")
    return value


def _opt_int(value: Any, what: str) -> int | None:
    return None if value is None else _int(value, what)


def _date(value: Any, what: str) -> date | None:
    if value is not None and not isinstance(value, date):
        raise TypeError(f"{what} must be a date, got {type(value).__name__} {value!r}")
    return value


def _float(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(map(_has_nul, value))
    return False


def _fits(table: Table, row: dict[str, Any], what: str) -> dict[str, Any]:
    """`row`, after checking its strings are storable in `table` on every backend."""
    for key, value in row.items():
        if _has_nul(value):
            raise ValueError(
                f"{what} {key} contains a NUL character (U+0000), which PostgreSQL cannot "
                "store: remove it where the text is made"
            )
        length = getattr(table.c[key].type, "length", None)
        if isinstance(value, str) and isinstance(table.c[key].type, String) and length:
            if len(value) > length:
                raise ValueError(
                    f"{what} {key} is {len(value)} characters, over the column's {length}: "
                    f"shorten it ({value[:40]!r}…)"
                )
    return row


# ---------------------------------------------------------------- model → rows


def document_row(doc: Document) -> dict[str, Any]:
    rep = doc.republished_from
    if not isinstance(doc.raw, bytes | bytearray):
        raise TypeError(f"document raw must be bytes, got {type(doc.raw).__name__}")
    return _fits(
        schema.documents,
        {
            "id": doc.id,
            "text": doc.text,
            "raw": bytes(doc.raw),
            "lang": doc.lang,
            "title": doc.title,
            "author": doc.author,
            "site": doc.site,
            "url": doc.url,
            "path": doc.path,
            "content_type": doc.content_type,
            "published": _date(doc.published, "document published"),
            "published_from": doc.published_from,
            "republished_from_name": rep.name if rep else None,
            "republished_from_published": _date(rep.published, "republished_from published")
            if rep
            else None,
            "republished_from_url": rep.url if rep else None,
        },
        "document",
    )


def entity_row(entity: Entity) -> dict[str, Any]:
    lat, lon = entity.coordinates if entity.coordinates else (None, None)
    return _fits(
        schema.entities,
        {
            "id": entity.id,
            "type": entity.type,
            "name": entity.name,
            "names": dict(entity.names),
            "aliases": list(entity.aliases),
            "wikidata": entity.wikidata,
            "lat": None if lat is None else _float(lat, "entity latitude"),
            "lon": None if lon is None else _float(lon, "entity longitude"),
            "parent": entity.parent,
        },
        "entity",
    )


def mention_row(m: Mention, document_id: str) -> dict[str, Any]:
    return _fits(
        schema.mentions,
        {
            "document_id": document_id,
            "entity_id": m.entity,
            "type": m.type,
            "start": _int(m.start, "mention start"),
            "end": _int(m.end, "mention end"),
            "text": m.text,
        },
        "mention",
    )


def time_row(t: TimeSpan, document_id: str) -> dict[str, Any]:
    return _fits(
        schema.times,
        {
            "document_id": document_id,
            "text": t.text,
            "start_char": _int(t.start_char, "time start_char"),
            "end_char": _int(t.end_char, "time end_char"),
            "start": _date(t.start, "time start"),
            "end": _date(t.end, "time end"),
            "precision": t.precision,
        },
        "time",
    )


def duration_row(d: Duration, document_id: str) -> dict[str, Any]:
    return _fits(
        schema.durations,
        {
            "document_id": document_id,
            "text": d.text,
            "start_char": _int(d.start_char, "duration start_char"),
            "end_char": _int(d.end_char, "duration end_char"),
            "value": _float(d.value, "duration value"),
            "unit": d.unit,
            "approximate": bool(d.approximate),
        },
        "duration",
    )


def quantity_row(q: Quantity, document_id: str, event_id: str | None) -> dict[str, Any]:
    return _fits(
        schema.quantities,
        {
            "event_id": event_id,
            "document_id": document_id,
            "value": _float(q.value, "quantity value"),
            "unit": q.unit,
            "approximate": bool(q.approximate),
            "bound": q.bound,
            "text": q.text,
            "start": _int(q.start, "quantity start"),
            "end": _int(q.end, "quantity end"),
        },
        "quantity",
    )


def warning_row(w: Warning_, document_id: str, scope: str) -> dict[str, Any]:
    return _fits(
        schema.warnings,
        {
            "document_id": document_id,
            "scope": scope,
            "code": w.code,
            "message": w.message,
            "text": w.text,
            "start": _opt_int(w.start, "warning start"),
            "end": _opt_int(w.end, "warning end"),
        },
        "warning",
    )


def participant_row(p: Participant, event_id: str, is_location: bool) -> dict[str, Any]:
    return _fits(
        schema.participants,
        {
            "event_id": event_id,
            "role": p.role,
            "entity_id": p.entity,
            "text": p.text,
            "start": _int(p.start, "participant start"),
            "end": _int(p.end, "participant end"),
            "is_location": is_location,
        },
        "participant",
    )


def event_id(document_id: str, event: Event, seq: int) -> str:
    """Store-wide event id: extractor ids need only be unique within their document."""
    return f"{document_id}:{event.id or seq}"


def event_row(event: Event, document_id: str, seq: int) -> dict[str, Any]:
    t, a = event.time, event.attribution
    return _fits(
        schema.events,
        {
            "id": event_id(document_id, event, seq),
            "seq": seq,
            "local_id": event.id,
            "document_id": document_id,
            "type": event.type,
            "trigger_start": _int(event.trigger.start, "trigger start"),
            "trigger_end": _int(event.trigger.end, "trigger end"),
            "trigger_text": event.trigger.text,
            "evidence_start": _int(event.evidence.start, "evidence start"),
            "evidence_end": _int(event.evidence.end, "evidence end"),
            "evidence_text": event.evidence.text,
            "time_start": _date(t.start, "event time start") if t else None,
            "time_end": _date(t.end, "event time end") if t else None,
            "time_precision": t.precision if t else None,
            "time_text": t.text if t else None,
            "time_start_char": _int(t.start_char, "event time start_char") if t else None,
            "time_end_char": _int(t.end_char, "event time end_char") if t else None,
            "certainty": event.certainty,
            "polarity": event.polarity,
            "source": a.source,
            "source_text": a.text,
            "cue": a.cue,
            "said_on": _date(a.said_on, "attribution said_on"),
            "chain": list(a.chain),
            "confidence": _float(event.confidence, "event confidence"),
            "mentions": [
                {
                    "start": _int(m.start, "event mention start"),
                    "end": _int(m.end, "event mention end"),
                    "text": m.text,
                }
                for m in event.mentions
            ],
        },
        "event",
    )


# ---------------------------------------------------------------- rows → model


def document_from(row: Row, warnings: list[Warning_]) -> Document:
    rep = None
    if row["republished_from_name"] is not None:
        rep = RepublishedFrom(
            name=row["republished_from_name"],
            published=row["republished_from_published"],
            url=row["republished_from_url"],
        )
    return Document(
        text=row["text"],
        lang=row["lang"],
        published=row["published"],
        published_from=row["published_from"],
        title=row["title"],
        author=row["author"],
        site=row["site"],
        url=row["url"],
        path=row["path"],
        raw=bytes(row["raw"]),
        content_type=row["content_type"],
        republished_from=rep,
        id=row["id"],
        warnings=warnings,
    )


def entity_from(row: Row) -> Entity:
    coords = None if row["lat"] is None or row["lon"] is None else (row["lat"], row["lon"])
    return Entity(
        id=row["id"],
        type=row["type"],
        name=row["name"],
        names=dict(row["names"] or {}),
        aliases=tuple(row["aliases"] or ()),
        wikidata=row["wikidata"],
        coordinates=coords,
        parent=row["parent"],
    )


def mention_from(row: Row) -> Mention:
    return Mention(row["start"], row["end"], row["text"], row["type"], row["entity_id"])


def time_from(row: Row) -> TimeSpan:
    return TimeSpan(
        row["text"], row["start_char"], row["end_char"], row["start"], row["end"], row["precision"]
    )


def duration_from(row: Row) -> Duration:
    return Duration(
        row["text"],
        row["start_char"],
        row["end_char"],
        row["value"],
        row["unit"],
        bool(row["approximate"]),
    )


def quantity_from(row: Row) -> Quantity:
    return Quantity(
        value=row["value"],
        unit=row["unit"],
        approximate=bool(row["approximate"]),
        text=row["text"],
        start=row["start"],
        end=row["end"],
        bound=row["bound"],
    )


def warning_from(row: Row) -> Warning_:
    return Warning_(row["code"], row["message"], row["text"], row["start"], row["end"])


def participant_from(row: Row) -> Participant:
    return Participant(row["role"], row["text"], row["start"], row["end"], row["entity_id"])


def event_from(
    row: Row, participants: list[Row], quantities: list[Row], *, store_id: bool
) -> Event:
    """An Event from its row; `store_id` picks the store-wide id over the extractor's own."""
    time = None
    if row["time_start"] is not None:
        time = TimeSpan(
            row["time_text"] or "",
            row["time_start_char"] if row["time_start_char"] is not None else -1,
            row["time_end_char"] if row["time_end_char"] is not None else -1,
            row["time_start"],
            row["time_end"],
            row["time_precision"],
        )
    location = next((participant_from(p) for p in participants if p["is_location"]), None)
    return Event(
        type=row["type"],
        trigger=Span(row["trigger_start"], row["trigger_end"], row["trigger_text"]),
        evidence=Span(row["evidence_start"], row["evidence_end"], row["evidence_text"]),
        participants=[participant_from(p) for p in participants if not p["is_location"]],
        location=location,
        time=time,
        quantities=[quantity_from(q) for q in quantities],
        attribution=Attribution(
            source=row["source"],
            text=row["source_text"],
            cue=row["cue"],
            said_on=row["said_on"],
            chain=tuple(row["chain"] or ()),
        ),
        certainty=row["certainty"],
        polarity=row["polarity"],
        mentions=[Span(m["start"], m["end"], m["text"]) for m in row["mentions"] or ()],
        confidence=row["confidence"],
        id=row["id"] if store_id else row["local_id"],
    )
