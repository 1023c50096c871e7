"""A report: one document's account of an event, as the ledger sees it.

Reports are built from stored events. A human review can edit a report's type, time,
certainty, polarity, source or place, or reject it; `Report` then carries the edited values
and `machine` keeps what the extractor said, so both can be shown side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

PRECISION_RANK = {"day": 0, "part_of_month": 1, "range": 2, "month": 3, "quarter": 4, "year": 5}


@dataclass(frozen=True)
class Interval:
    start: date
    end: date
    precision: str

    def overlaps(self, other: Interval, slack_days: int = 0) -> bool:
        return (
            (self.start - other.end).days <= slack_days
            and (other.start - self.end).days <= slack_days
        )

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "precision": self.precision}


def fuse_intervals(intervals: list[Interval]) -> Interval | None:
    """The most precise interval consistent with all of them, folded in order.

    Each interval narrows the running one to their intersection; one that misses it (a date
    contradiction) leaves it unchanged. The precision is that of the interval equal to the
    intersection, else `range`.
    """
    fused: Interval | None = None
    for iv in intervals:
        if fused is None:
            fused = iv
            continue
        start, end = max(fused.start, iv.start), min(fused.end, iv.end)
        if start > end:
            continue
        if (start, end) == (iv.start, iv.end) and (start, end) != (fused.start, fused.end):
            fused = iv
        elif (start, end) != (fused.start, fused.end):
            fused = Interval(start, end, "day" if start == end else "range")
    return fused


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    bound: str | None
    text: str


@dataclass
class Report:
    """One stored event with its document's facts, after any human review."""

    id: str  # the store's event id, "<document id>:<extractor id>"
    document_id: str
    type: str
    time: Interval | None
    entities: tuple[str, ...]  # linked participants and location, in order, no repeats
    location: str | None
    quantities: tuple[Quantity, ...]
    certainty: str
    polarity: str
    source: str | None  # entity id; None = the document's own voice
    source_text: str | None
    chain: tuple[str, ...]
    said_on: date | None
    published: date | None
    evidence: str
    evidence_start: int
    evidence_end: int
    trigger: str
    trigger_start: int = 0
    entity_at: tuple[tuple[str, int], ...] = ()  # (entity, start offset) of each linked participant
    copy_of: str | None = None  # the document this one nearly duplicates
    rejected: bool = False
    machine: dict[str, Any] = field(default_factory=dict)  # field → extractor's value, if edited

    @property
    def key(self) -> str:
        """Names this report across re-extraction: document, type, evidence span and trigger."""
        return report_key(
            self.document_id,
            self.machine.get("type", self.type),
            self.evidence_start,
            self.evidence_end,
            self.trigger_start,
        )


def report_key(document_id: str, type_: str, start: int, end: int, trigger: int) -> str:
    return f"{document_id}|{type_}|{start}-{end}|{trigger}"


def parse_report_key(key: str) -> tuple[str, str, int, int, int]:
    doc, type_, span, trigger = key.rsplit("|", 3)
    start, end = span.split("-")
    return doc, type_, int(start), int(end), int(trigger)


def _interval(data: dict[str, Any] | None) -> Interval | None:
    if not data:
        return None
    return Interval(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]), data["precision"])


def report_from_json(event: dict[str, Any], document_id: str, published: date | None) -> Report:
    """A report from one event of the FORMAT.md extraction output (the store's own id in `id`)."""
    parts = list(event.get("participants") or [])
    if event.get("location"):
        parts.append(event["location"])
    entities = tuple(dict.fromkeys(p["entity"] for p in parts if p.get("entity")))
    attribution = event.get("attribution") or {}
    said_on = attribution.get("said_on")
    return Report(
        id=event["id"],
        document_id=document_id,
        type=event["type"],
        time=_interval(event.get("time")),
        entities=entities,
        location=(event.get("location") or {}).get("entity"),
        quantities=tuple(
            Quantity(float(q["value"]), q["unit"], q.get("bound"), q.get("text", ""))
            for q in event.get("quantities") or []
        ),
        certainty=event.get("certainty", "certain"),
        polarity=event.get("polarity", "positive"),
        source=attribution.get("source"),
        source_text=attribution.get("text"),
        chain=tuple(attribution.get("chain") or ()),
        said_on=date.fromisoformat(said_on) if said_on else None,
        published=published,
        evidence=event["evidence"]["text"],
        evidence_start=event["evidence"]["start"],
        evidence_end=event["evidence"]["end"],
        trigger=event["trigger"]["text"],
        trigger_start=event["trigger"]["start"],
        entity_at=tuple((p["entity"], p["start"]) for p in parts if p.get("entity")),
    )
