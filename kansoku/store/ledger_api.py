"""The Store's ledger methods: canonical events, their reports, contradictions, the facility
board, human review and re-processing. Mixed into `Store`; every method opens its own
connection, and every write is one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, case, delete, insert, select
from sqlalchemy.engine import Engine

from kansoku.errors import StoreError
from kansoku.ledger.facilities import FACILITY_TYPES
from kansoku.ledger.match import Matcher
from kansoku.ledger.summary import summarize
from kansoku.model import CERTAINTY_ORDER, EVENT_TYPES, Extraction
from kansoku.store import ledger
from kansoku.store.engine import WRITE
from kansoku.store.query import as_date, certainties_from, jsonable
from kansoku.store.schema import (
    canonical_events,
    canonical_reports,
    contradictions,
    documents,
    durations,
    events,
    mentions,
    participants,
    quantities,
    reviews,
    times,
    warnings,
)

_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s)|\n")
REVIEW_ACTIONS = ("confirm", "reject", "edit")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding [start, end): from after the previous sentence end to the next."""
    lo = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        lo = m.end()
    m = _SENTENCE_END.search(text, max(start, end - 1))
    hi = m.end() if m else len(text)
    while lo < start and text[lo].isspace():
        lo += 1
    return lo, max(hi, end)


class LedgerMixin:
    engine: Engine
    name: str
    _matcher: Matcher | None = None

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher()
        return self._matcher

    def _write(self) -> Connection:
        conn = self.engine.connect()
        conn.execution_options(**{WRITE: True})
        return conn

    # ------------------------------------------------------------ fusion

    def rebuild_ledger(self) -> int:
        """Re-fuse every stored report from scratch (deterministic); return the event count."""
        with self._write() as conn, conn.begin():
            return ledger.rebuild(conn, self.matcher)

    def reprocess(self, extract: Callable[[Any], Extraction], progress: Callable[[str], None] | None = None) -> int:
        """Re-extract every stored document from its stored text, then rebuild the ledger.

        New extractions are computed first; the swap and the rebuild are one transaction,
        so a failure leaves the store as it was. Reviews survive: they follow their reports.
        """
        with self.engine.connect() as conn:
            ids = list(conn.execute(select(documents.c.id).order_by(documents.c.ingested_at, documents.c.id)).scalars())
        fresh = []
        for doc_id in ids:
            doc = self.get_document(doc_id)  # type: ignore[attr-defined]
            fresh.append(extract(doc))
            if progress:
                progress(doc_id)
        with self._write() as conn, conn.begin():
            for ex in fresh:
                doc_id = ex.document.id
                evs = select(events.c.id).where(events.c.document_id == doc_id)
                conn.execute(delete(canonical_reports).where(canonical_reports.c.event_id.in_(evs)))
                conn.execute(delete(participants).where(participants.c.event_id.in_(evs)))
                conn.execute(delete(quantities).where(quantities.c.document_id == doc_id))
                conn.execute(delete(events).where(events.c.document_id == doc_id))
                for table in (mentions, times, durations):
                    conn.execute(delete(table).where(table.c.document_id == doc_id))
                conn.execute(delete(warnings).where(warnings.c.document_id == doc_id, warnings.c.scope == "extraction"))
                ex.document.warnings = []  # document warnings are already stored
                self._write_annotations(conn, ex)  # type: ignore[attr-defined]
            ledger.rebuild(conn, self.matcher)
        return len(fresh)

    # ------------------------------------------------------------ reading

    def ledger_events(
        self,
        type: str | Sequence[str] | None = None,
        entity: str | None = None,
        source: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        min_certainty: str | None = None,
        contradicted: bool | None = None,
        include_rejected: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Canonical events, earliest first (undated last), as JSON-able dicts.

        `entity` matches any report's participant or place; `source` is an entity id or
        "author"; `since`/`until` keep events whose time overlaps them; `min_certainty` is the
        best certainty any report gives.
        """
        c = canonical_events.c
        query = select(canonical_events)
        if type is not None:
            types = [type] if isinstance(type, str) else list(type)
            unknown = [t for t in types if t not in EVENT_TYPES]
            if unknown:
                raise StoreError(f"unknown event type {unknown[0]!r}: use one of {', '.join(EVENT_TYPES)}")
            query = query.where(c.type.in_(types))
        # Driven from the indexed side (participants.entity_id, events.source), not per event.
        cr = canonical_reports.c
        if entity is not None:
            query = query.where(
                c.id.in_(
                    select(cr.canonical_id)
                    .join(participants, participants.c.event_id == cr.event_id)
                    .where(participants.c.entity_id == entity)
                )
            )
        if source is not None:
            cond = events.c.source.is_(None) if source == "author" else events.c.source == source
            query = query.where(
                c.id.in_(select(cr.canonical_id).join(events, events.c.id == cr.event_id).where(cond))
            )
        if since is not None:
            query = query.where(c.time_end >= as_date(since, "since"))
        if until is not None:
            query = query.where(c.time_start <= as_date(until, "until"))
        if min_certainty is not None:
            query = query.where(c.certainty.in_(certainties_from(min_certainty)))
        if contradicted is not None:
            query = query.where(c.contradicted.is_(contradicted))
        if not include_rejected:
            query = query.where(c.status != "rejected")
        query = query.order_by(case((c.time_start.is_(None), 1), else_=0), c.time_start, c.seq).limit(limit)
        with self.engine.connect() as conn:
            return [self._canonical_json(r) for r in conn.execute(query).mappings()]

    @staticmethod
    def _canonical_json(row: Any) -> dict[str, Any]:
        time = None
        if row["time_start"] is not None:
            time = {"start": jsonable(row["time_start"]), "end": jsonable(row["time_end"]), "precision": row["time_precision"]}
        return {
            "id": row["id"],
            "type": row["type"],
            "label": row["label"],
            "time": time,
            "place": row["place"],
            "certainty": row["certainty"],
            "polarity": row["polarity"],
            "reports": row["reports"],
            "documents": row["documents"],
            "sources": row["sources"],
            "contradicted": row["contradicted"],
            "status": row["status"],
        }

    def show(self, event_id: str) -> dict[str, Any]:
        """One canonical event with every report (evidence sentence, source, relay), its
        contradictions, its reviews and the machine's version beside any human edit.
        `event_id` may also be a report's id (`<document>:eN`)."""
        with self.engine.connect() as conn:
            cid = self._resolve_canonical(conn, event_id)
            row = conn.execute(select(canonical_events).where(canonical_events.c.id == cid)).mappings().one()
            reports = ledger.canonical_reports_of(conn, cid)
            docs = ledger.doc_infos(conn, (r.document_id for r in reports))
            machine = summarize(reports, docs, self.matcher)
            links = {
                r["event_id"]: r
                for r in conn.execute(select(canonical_reports).where(canonical_reports.c.canonical_id == cid)).mappings()
            }
            meta = {
                r["id"]: r
                for r in conn.execute(
                    select(documents.c.id, documents.c.text, documents.c.title, documents.c.published)
                    .where(documents.c.id.in_(sorted(docs)))
                ).mappings()
            }
            out = self._canonical_json(row)
            out["machine"] = {
                "label": machine.label,
                "time": machine.time.to_json() if machine.time else None,
                "place": machine.place,
                "certainty": machine.certainty,
                "type": row["type"],
            }
            out["reports_detail"] = []
            for r in reports:
                text = meta[r.document_id]["text"]
                s, e = sentence_around(text, r.evidence_start, r.evidence_end)
                link = links[r.id]
                out["reports_detail"].append(
                    {
                        "id": r.id,
                        "key": r.key,
                        "document_id": r.document_id,
                        "title": meta[r.document_id]["title"],
                        "published": jsonable(meta[r.document_id]["published"]),
                        "source": r.source or "author",
                        "source_text": r.source_text,
                        "said_on": jsonable(r.said_on),
                        "certainty": r.certainty,
                        "polarity": r.polarity,
                        "time": r.time.to_json() if r.time else None,
                        "place": r.location,
                        "quantities": [q.text for q in r.quantities],
                        "primary_source": link["primary_source"],
                        "relay": link["relay"],
                        "independent": link["independent"],
                        "rejected": r.rejected,
                        "machine": {k: jsonable(v) for k, v in r.machine.items()},
                        "evidence": {"start": r.evidence_start, "end": r.evidence_end, "text": r.evidence},
                        "sentence": {"start": s, "end": e, "text": text[s:e]},
                    }
                )
            out["contradictions"] = self._contradiction_rows(conn, contradictions.c.canonical_id == cid)
            out["reviews"] = [
                {**{k: jsonable(v) for k, v in rv.items()}}
                for rv in conn.execute(
                    select(reviews).where(
                        ((reviews.c.kind == "event") & (reviews.c.target == cid))
                        | ((reviews.c.kind == "report") & reviews.c.target.in_([r.key for r in reports]))
                    ).order_by(reviews.c.at, reviews.c.id)
                ).mappings()
            ]
            return out

    def _resolve_canonical(self, conn: Connection, event_id: str) -> str:
        if conn.execute(select(canonical_events.c.id).where(canonical_events.c.id == event_id)).first():
            return event_id
        cid = ledger.canonical_of_event(conn, event_id)
        if cid is None:
            raise StoreError(
                f"no event {event_id!r} in {self.name}: list event ids with `kansoku events` "
                "(canonical ids start with ev-; report ids are <document>:eN)"
            )
        return cid

    def contradictions(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every recorded disagreement between two reports of one canonical event."""
        with self.engine.connect() as conn:
            where = contradictions.c.kind == kind if kind else contradictions.c.id.isnot(None)
            return self._contradiction_rows(conn, where)

    @staticmethod
    def _contradiction_rows(conn: Connection, where: Any) -> list[dict[str, Any]]:
        c = contradictions.c
        query = (
            select(contradictions, canonical_events.c.label, canonical_events.c.type)
            .join(canonical_events, canonical_events.c.id == c.canonical_id)
            .where(where)
            .order_by(canonical_events.c.seq, c.id)
        )
        rows_ = list(conn.execute(query).mappings())
        ids = sorted({r["report_a"] for r in rows_} | {r["report_b"] for r in rows_})
        ev = {}
        if ids:
            for r in conn.execute(
                select(events.c.id, events.c.source, events.c.evidence_text).where(events.c.id.in_(ids))
            ).mappings():
                ev[r["id"]] = r
        out = []
        for r in rows_:
            a, b = ev.get(r["report_a"]), ev.get(r["report_b"])
            out.append(
                {
                    "event": r["canonical_id"],
                    "label": r["label"],
                    "kind": r["kind"],
                    "a": {"report": r["report_a"], "value": r["value_a"], "source": (a["source"] if a else None) or "author",
                          "evidence": a["evidence_text"] if a else ""},
                    "b": {"report": r["report_b"], "value": r["value_b"], "source": (b["source"] if b else None) or "author",
                          "evidence": b["evidence_text"] if b else ""},
                    "note": r["note"],
                }
            )
        return out

    def facilities(self) -> list[dict[str, Any]]:
        """The facility board: each facility's last known state with date, sources, certainty
        and evidence. Undated events count at their first report's publication date."""
        gaz = self.matcher.gazetteer
        board: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            rows_ = conn.execute(
                select(canonical_events)
                .where(canonical_events.c.type.in_(FACILITY_TYPES), canonical_events.c.status != "rejected")
                .order_by(canonical_events.c.seq)
            ).mappings()
            for row in rows_:
                for fid in row["identities"]:
                    ent = gaz.get(fid)
                    if ent is None or ent.type != "FACILITY":
                        continue
                    when = row["time_end"] or row["first_published"] or date.min
                    current = board.get(fid)
                    if current is not None and current["_when"] > when:
                        current["history"] += 1
                        continue
                    history = current["history"] + 1 if current else 0
                    board[fid] = {"_when": when, "_row": row, "history": history}
            out = []
            for fid, item in sorted(board.items(), key=lambda kv: (kv[1]["_when"], kv[0]), reverse=True):
                row = item["_row"]
                reports = ledger.canonical_reports_of(conn, row["id"])
                live = [r for r in reports if not r.rejected] or reports
                best = max(live, key=lambda r: CERTAINTY_ORDER.index(r.certainty))
                ent = gaz.get(fid)
                out.append(
                    {
                        "facility": fid,
                        "name": ent.name if ent else fid,
                        "names": dict(ent.names) if ent else {},
                        "state": (row["states"] or ["reported"])[0],
                        "time": self._canonical_json(row)["time"],
                        "dated": row["time_start"] is not None,
                        "sources": sorted({r.source or "author" for r in live}),
                        "certainty": row["certainty"],
                        "evidence": best.evidence,
                        "event": row["id"],
                        "reports": row["reports"],
                        "earlier_events": item["history"],
                    }
                )
            return out

    # ------------------------------------------------------------ review

    def review(
        self,
        target: str,
        action: str,
        *,
        changes: dict[str, Any] | None = None,
        reviewer: str,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Record a human confirm / reject / edit of a canonical event (ev-…) or of one report
        (<document>:eN), apply it, and return the stored review."""
        if action not in REVIEW_ACTIONS:
            raise StoreError(f"unknown review action {action!r}: use confirm, reject or edit")
        changes = dict(changes or {})
        if action == "edit" and not changes:
            raise StoreError("an edit needs at least one change: e.g. --set time=2024-10-13")
        with self._write() as conn, conn.begin():
            is_event = bool(conn.execute(select(canonical_events.c.id).where(canonical_events.c.id == target)).first())
            allowed = ledger.EDITABLE_EVENT if is_event else ledger.EDITABLE_REPORT
            bad = [k for k in changes if k not in allowed]
            if bad:
                raise StoreError(f"cannot edit {bad[0]!r} of {'an event' if is_event else 'a report'}: editable fields are {', '.join(allowed)}")
            _check_changes(changes)
            if is_event:
                kind, key, anchor = "event", target, ledger.anchor_of(conn, target)
            else:
                report = ledger.load_reports(conn, events.c.id == target)
                if not report:
                    raise StoreError(
                        f"no event or report {target!r} in {self.name}: canonical ids start with ev-, "
                        "report ids are <document>:eN (see `kansoku show`)"
                    )
                kind, key, anchor = "report", report[0].key, [report[0].key]
            row = {
                "kind": kind,
                "target": key,
                "anchor": anchor,
                "action": action,
                "changes": changes,
                "reviewer": reviewer,
                "at": datetime.now(UTC).replace(tzinfo=None),
                "note": note,
            }
            conn.execute(insert(reviews), row)
            if kind == "event":
                ledger.summarize_canonical(conn, target, self.matcher)
            else:
                # A report edit may move it to another event: re-fuse the whole ledger.
                ledger.rebuild(conn, self.matcher)
            return {k: jsonable(v) for k, v in row.items()}

    def reviews(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [
                {k: jsonable(v) for k, v in r.items()}
                for r in conn.execute(select(reviews).order_by(reviews.c.at, reviews.c.id)).mappings()
            ]


def _check_changes(changes: dict[str, Any]) -> None:
    """Edits are checked like extractor output: valid dates, certainties, polarities, types."""
    if "time" in changes:
        t = changes["time"]
        try:
            start, end = date.fromisoformat(t["start"]), date.fromisoformat(t["end"])
        except (KeyError, TypeError, ValueError) as err:
            raise StoreError(
                f"time {t!r} is not a date or range: use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
            ) from err
        if end < start:
            raise StoreError(f"time {t['start']}..{t['end']} ends before it starts: swap the dates")
    if "certainty" in changes and changes["certainty"] not in CERTAINTY_ORDER:
        raise StoreError(f"certainty must be one of {', '.join(CERTAINTY_ORDER)}")
    if "polarity" in changes and changes["polarity"] not in ("positive", "negative"):
        raise StoreError("polarity must be positive or negative")
    if "type" in changes and changes["type"] not in EVENT_TYPES:
        raise StoreError(f"type must be one of {', '.join(EVENT_TYPES)}")


__all__ = ["LedgerMixin", "sentence_around"]
