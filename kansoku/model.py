"""Kansoku's one typed data model.

Every annotation carries character offsets (Python string indices) into `Document.text`,
the stored normalized text. `Extraction.to_json()` is the "extraction output" of
`shared/eval/FORMAT.md`; the other `to_json` methods are its parts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Precision = Literal["day", "part_of_month", "month", "quarter", "year", "range"]
Certainty = Literal["certain", "probable", "possible", "uncommitted"]
Polarity = Literal["positive", "negative"]
Role = Literal["agent", "counterpart", "recipient", "object", "location"]

EVENT_TYPES: tuple[str, ...] = (
    "meeting",
    "agreement",
    "deployment",
    "arms_transfer",
    "technology_transfer",
    "weapons_test",
    "combat_use",
    "leader_inspection",
    "facility_activity",
    "facility_disclosure",
    "military_exercise",
    "sanction",
    "statement",
)
CERTAINTY_ORDER: tuple[str, ...] = ("uncommitted", "possible", "probable", "certain")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class Span:
    """A stretch of the stored text: [start, end) and the characters it covers."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class RepublishedFrom:
    """Where a reprint says it comes from (footer such as `…の記事を転載`)."""

    name: str
    published: date | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "published": _iso(self.published)}
        if self.url:
            out["url"] = self.url
        return out


@dataclass
class Warning_:
    """Something the reader should know about the input: an impossible date, a guessed date."""

    code: str
    message: str
    text: str = ""
    start: int | None = None
    end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "message": self.message,
        }


@dataclass
class Document:
    """One ingested text: normalized `text` (all offsets point into it) plus the original bytes."""

    text: str
    lang: str
    published: date | None = None
    published_from: str = "unknown"  # metadata | option | text | ingest
    title: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    path: str | None = None
    raw: bytes = b""
    content_type: str = "text/plain"
    republished_from: RepublishedFrom | None = None
    id: str = ""
    warnings: list[Warning_] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = text_id(self.text)

    @property
    def anchor_date(self) -> date | None:
        """The date relative expressions count from: the original's date for a reprint."""
        if self.republished_from and self.republished_from.published:
            return self.republished_from.published
        return self.published

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "published": _iso(self.published),
            "title": self.title,
            "url": self.url,
            "republished_from": self.republished_from.to_json() if self.republished_from else None,
        }


def text_id(text: str) -> str:
    """Stable document id: the first 16 hex digits of the normalized text's SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Entity:
    """A canonical gazetteer entry (person, state, organization, facility, weapon, …)."""

    id: str
    type: str
    name: str
    names: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    coordinates: tuple[float, float] | None = None
    parent: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "names": dict(self.names),
            "aliases": list(self.aliases),
            "wikidata": self.wikidata,
            "coordinates": list(self.coordinates) if self.coordinates else None,
            "parent": self.parent,
        }


@dataclass(frozen=True)
class Mention:
    """A name in the text; `entity` is a gazetteer id, or None for an unknown name of `type`."""

    start: int
    end: int
    text: str
    type: str
    entity: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class TimeSpan:
    """A date expression resolved to the interval [start, end] with its precision."""

    text: str
    start_char: int
    end_char: int
    start: date
    end: date
    precision: Precision

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision,
        }

    def interval_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision,
            "text": self.text,
        }


@dataclass(frozen=True)
class Duration:
    """A length of time (約60日間, for two months): never a date."""

    text: str
    start_char: int
    end_char: int
    value: float
    unit: str  # minute | hour | day | week | month | year
    approximate: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "value": self.value,
            "unit": self.unit,
            "approximate": self.approximate,
        }


@dataclass(frozen=True)
class Quantity:
    """A counted or measured amount: 約12000人 → 12000 person, approximate."""

    value: float
    unit: str
    approximate: bool
    text: str
    start: int
    end: int
    bound: str | None = None  # at_least | at_most

    def to_json(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        out: dict[str, Any] = {
            "value": value,
            "unit": self.unit,
            "approximate": self.approximate,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        if self.bound:
            out["bound"] = self.bound
        return out


@dataclass(frozen=True)
class Participant:
    role: str
    text: str
    start: int
    end: int
    entity: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "entity": self.entity,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Attribution:
    """Who says it. `source` is an entity id, None for the author's own voice."""

    source: str | None = None
    text: str | None = None
    cue: str | None = None
    said_on: date | None = None
    chain: tuple[str, ...] = ()  # outer to inner, e.g. ("author", "iaea")

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "text": self.text,
            "cue": self.cue,
            "said_on": _iso(self.said_on),
            "chain": list(self.chain),
        }


@dataclass
class Event:
    type: str
    trigger: Span
    evidence: Span
    participants: list[Participant] = field(default_factory=list)
    location: Participant | None = None
    time: TimeSpan | None = None
    quantities: list[Quantity] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)
    certainty: Certainty = "certain"
    polarity: Polarity = "positive"
    mentions: list[Span] = field(default_factory=list)
    confidence: float = 0.5
    id: str = ""
    # A mention in passing (今回の発射, 派兵の見返りに): merged into another event of the
    # same type when the document has one. Not serialized.
    background: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "trigger": self.trigger.to_json(),
            "participants": [p.to_json() for p in self.participants],
            "location": self.location.to_json() if self.location else None,
            "time": self.time.interval_json() if self.time else None,
            "quantities": [q.to_json() for q in self.quantities],
            "attribution": self.attribution.to_json(),
            "certainty": self.certainty,
            "polarity": self.polarity,
            "evidence": self.evidence.to_json(),
            "mentions": [m.to_json() for m in self.mentions],
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Extraction:
    """Everything extracted from one document: the FORMAT.md extraction output."""

    document: Document
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeSpan] = field(default_factory=list)
    durations: list[Duration] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    def entities_json(self) -> list[dict[str, Any]]:
        out = []
        by_entity: dict[str, list[Mention]] = {}
        unknown: list[Mention] = []
        for m in self.mentions:
            if m.entity:
                by_entity.setdefault(m.entity, []).append(m)
            else:
                unknown.append(m)
        for eid, ms in by_entity.items():
            ent = self.entities.get(eid)
            record = ent.to_json() if ent else {"id": eid, "type": ms[0].type, "name": ms[0].text}
            record["mentions"] = [m.to_json() for m in ms]
            out.append(record)
        for m in unknown:
            out.append(
                {
                    "id": None,
                    "type": m.type,
                    "name": m.text,
                    "names": {},
                    "aliases": [],
                    "wikidata": None,
                    "coordinates": None,
                    "parent": None,
                    "mentions": [m.to_json()],
                }
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document.to_json(),
            "entities": self.entities_json(),
            "times": [t.to_json() for t in self.times],
            "durations": [d.to_json() for d in self.durations],
            "quantities": [q.to_json() for q in self.quantities],
            "events": [e.to_json() for e in self.events],
            "warnings": [w.to_json() for w in self.document.warnings + self.warnings],
        }
