"""The ledger's tables kept up to date: fusion of new reports, summaries, reviews, rebuilds.

Everything here runs inside the caller's transaction, so a document and its place in the
ledger are stored together or not at all. The canonical tables are derived: `rebuild`
recomputes them from the stored events and the reviews, replaying the reports in ingest
order, which is also the order in which `fuse_documents` saw them, so a rebuild of an
untouched store changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from kansoku.ledger.fusion import best_match, canonical_id
from kansoku.ledger.match import Matcher, Profile
from kansoku.ledger.report import Interval, Quantity, Report
from kansoku.ledger.sources import DocInfo
from kansoku.ledger.summary import Summary, summarize
from kansoku.store.query import chunks
from kansoku.store.schema import (
    canonical_entities,
    canonical_events,
    canonical_reports,
    contradictions,
    documents,
    events,
    participants,
    quantities,
    reviews,
)

EDITABLE_REPORT = ("type", "time", "certainty", "polarity", "source", "place")
EDITABLE_EVENT = ("label", "time", "place", "certainty", "type")


def _interval(value: Any) -> Interval | None:
    if not value:
        return None
    return Interval(date.fromisoformat(value["start"]), date.fromisoformat(value["end"]), value["precision"])


# ---------------------------------------------------------------- reading reports


def load_reports(conn: Connection, where: Any) -> list[Report]:
    """Reports for the stored events matching `where`, in ingest order, reviews applied."""
    e, d = events.c, documents.c
    query = (
        select(events, d.published, d.ingested_at, d.near_duplicate_of)
        .join(documents, d.id == e.document_id)
        .where(where)
        .order_by(d.ingested_at, d.id, e.seq)
    )
    rows = list(conn.execute(query).mappings())
    ids = [r["id"] for r in rows]
    parts: dict[str, list[Any]] = defaultdict(list)
    quants: dict[str, list[Any]] = defaultdict(list)
    for chunk in chunks(ids):
        for p in conn.execute(
            select(participants).where(participants.c.event_id.in_(chunk)).order_by(participants.c.id)
        ).mappings():
            parts[p["event_id"]].append(p)
        for q in conn.execute(
            select(quantities).where(quantities.c.event_id.in_(chunk)).order_by(quantities.c.id)
        ).mappings():
            quants[q["event_id"]].append(q)
    reports = [_report(r, parts[r["id"]], quants[r["id"]]) for r in rows]
    return apply_report_reviews(conn, reports)


def _report(row: Any, parts: list[Any], quants: list[Any]) -> Report:
    linked = [p for p in parts if p["entity_id"]]
    location = next((p["entity_id"] for p in parts if p["is_location"] and p["entity_id"]), None)
    time = None
    if row["time_start"] is not None:
        time = Interval(row["time_start"], row["time_end"], row["time_precision"])
    return Report(
        id=row["id"],
        document_id=row["document_id"],
        type=row["type"],
        time=time,
        entities=tuple(dict.fromkeys(p["entity_id"] for p in linked)),
        location=location,
        quantities=tuple(Quantity(q["value"], q["unit"], q["bound"], q["text"]) for q in quants),
        certainty=row["certainty"],
        polarity=row["polarity"],
        source=row["source"],
        source_text=row["source_text"],
        chain=tuple(row["chain"] or ()),
        said_on=row["said_on"],
        published=row["published"],
        evidence=row["evidence_text"],
        evidence_start=row["evidence_start"],
        evidence_end=row["evidence_end"],
        trigger=row["trigger_text"],
        trigger_start=row["trigger_start"],
        entity_at=tuple((p["entity_id"], p["start"]) for p in linked),
        copy_of=row["near_duplicate_of"],
    )


def apply_report_reviews(conn: Connection, reports: list[Report]) -> list[Report]:
    """Each report with its reviews (oldest first) applied; the machine's values kept aside."""
    if not reports:
        return reports
    by_key: dict[str, list[Any]] = defaultdict(list)
    keys = [r.key for r in reports]
    for chunk in chunks(keys):
        for rv in conn.execute(
            select(reviews)
            .where(reviews.c.kind == "report", reviews.c.target.in_(chunk))
            .order_by(reviews.c.at, reviews.c.id)
        ).mappings():
            by_key[rv["target"]].append(rv)
    return [_reviewed(r, by_key.get(r.key, [])) for r in reports]


def _reviewed(report: Report, items: list[Any]) -> Report:
    for rv in items:
        if rv["action"] == "reject":
            report = replace(report, rejected=True)
        elif rv["action"] == "confirm":
            report = replace(report, rejected=False)
        elif rv["action"] == "edit":
            machine = dict(report.machine)
            changes: dict[str, Any] = {}
            for name, value in rv["changes"].items():
                attr = "location" if name == "place" else name
                machine.setdefault(name, _machine_value(report, attr))
                changes[attr] = _interval(value) if name == "time" else value
            report = replace(report, machine=machine, **changes)
    return report


def _machine_value(report: Report, attr: str) -> Any:
    value = getattr(report, attr)
    return value.to_json() if isinstance(value, Interval) else value


# ---------------------------------------------------------------- fusion


def _profiles(conn: Connection, ids: list[str], shared: dict[str, dict[str, float]]) -> list[tuple[int, str, Profile]]:
    out = []
    voices: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for chunk in chunks(ids):
        for cid, doc, voice in conn.execute(
            select(canonical_reports.c.canonical_id, events.c.document_id, canonical_reports.c.voice)
            .join(events, events.c.id == canonical_reports.c.event_id)
            .where(canonical_reports.c.canonical_id.in_(chunk))
        ):
            voices[cid].add((doc, voice))
        for row in conn.execute(select(canonical_events).where(canonical_events.c.id.in_(chunk))).mappings():
            out.append((row["seq"], row["id"], _profile(row, shared.get(row["id"], {}), voices[row["id"]])))
    return sorted(out)


def _profile(row: Any, weights: dict[str, float], voices: set[tuple[str, str | None]]) -> Profile:
    time = None
    if row["time_start"] is not None:
        time = Interval(row["time_start"], row["time_end"], row["time_precision"])
    return Profile(
        type=row["type"],
        time=time,
        weights=dict(weights),
        identities=set(row["identities"]),
        undated_certain_by=row["undated_certain_by"],
        voices=voices,
        first_published=row["first_published"],
        states=set(row["states"]),
        places=set(row["places"]),
    )


def _candidates(
    conn: Connection, report: Report, weights: dict[str, float], matcher: Matcher
) -> list[tuple[int, str, Profile]]:
    """Canonical events of the report's type that could reach the threshold with it.

    Filtered in SQL by what `Matcher.score` needs anyway — shared entity weight plus the best
    time bonus at least the threshold, and a compatible time — so a report naming only North
    Korea does not load every North Korean event.
    """
    if not weights:
        return []
    cfg = matcher.config
    ce, c = canonical_entities.c, canonical_events.c
    need = cfg.threshold - (max(cfg.time_bonus.values(), default=0.0) if report.time else 0.0) - 1e-9
    if report.time is not None:
        slack = timedelta(days=cfg.slack(report.type))
        timely = c.time_start.is_(None) | (
            (c.time_start <= report.time.end + slack) & (c.time_end >= report.time.start - slack)
        )
    elif report.published is not None:
        timely = c.time_end.is_(None) | (c.time_end >= report.published - timedelta(days=cfg.window(report.type)))
    else:
        timely = c.id.isnot(None)
    shared: dict[str, dict[str, float]] = defaultdict(dict)
    keys = sorted(weights)
    for chunk in chunks(keys):
        hits = (
            select(ce.canonical_id)
            .join(canonical_events, c.id == ce.canonical_id)
            .where(ce.type == report.type, ce.entity_id.in_(keys), timely)
            .group_by(ce.canonical_id)
            .having(func.sum(ce.weight) >= need)
        )
        for cid, eid, w in conn.execute(
            select(ce.canonical_id, ce.entity_id, ce.weight).where(
                ce.canonical_id.in_(hits), ce.entity_id.in_(chunk)
            )
        ):
            shared[cid][eid] = w
    return _profiles(conn, sorted(shared), shared)


def _copied(conn: Connection, report: Report) -> str | None:
    """A near-duplicate's report belongs to the event of the original's identical report."""
    if report.copy_of is None or report.rejected:
        return None
    e = events.c
    return conn.execute(
        select(canonical_reports.c.canonical_id)
        .join(events, e.id == canonical_reports.c.event_id)
        .where(e.document_id == report.copy_of, e.type == report.type, e.evidence_text == report.evidence)
        .order_by(canonical_reports.c.seq)
        .limit(1)
    ).scalar()


def _next_seq(conn: Connection, table: Any) -> int:
    return (conn.execute(select(func.max(table.c.seq))).scalar() or 0) + 1


def fuse_reports(conn: Connection, reports: list[Report], matcher: Matcher) -> set[str]:
    """Place each report (in order) in a canonical event; return the canonical ids touched."""
    touched: set[str] = set()
    seq = _next_seq(conn, canonical_events)
    rseq = _next_seq(conn, canonical_reports)
    for report in reports:
        weights = matcher.weights(matcher.actors(report))
        cid = _copied(conn, report)
        if cid is None and matcher.fusible(report):
            cid = best_match(matcher, report, _candidates(conn, report, weights, matcher))
        if cid is None:
            cid = canonical_id(report)
            prof = Profile(type=report.type)
            known: set[str] = set()
            conn.execute(insert(canonical_events), _canonical_row(cid, seq, prof))
            seq += 1
        else:
            prof = _profiles(conn, [cid], {})[0][2]
            known = set(
                conn.execute(select(canonical_entities.c.entity_id).where(canonical_entities.c.canonical_id == cid)).scalars()
            )
        if not report.rejected:
            matcher.absorb(prof, report)
        conn.execute(
            insert(canonical_reports),
            {
                "event_id": report.id,
                "canonical_id": cid,
                "seq": rseq,
                "voice": matcher.voice(report.source),
                "primary_source": "",
                "relay": None,
                "independent": False,
                "rejected": report.rejected,
            },
        )
        rseq += 1
        new = [
            {"canonical_id": cid, "type": report.type, "entity_id": eid, "weight": w}
            for eid, w in sorted(prof.weights.items())
            if eid not in known
        ]
        if new and not report.rejected and matcher.fusible(report):
            conn.execute(insert(canonical_entities), new)
        conn.execute(update(canonical_events).where(canonical_events.c.id == cid).values(**_profile_values(prof)))
        touched.add(cid)
    return touched


def _profile_values(prof: Profile) -> dict[str, Any]:
    t = prof.time
    return {
        "time_start": t.start if t else None,
        "time_end": t.end if t else None,
        "time_precision": t.precision if t else None,
        "identities": sorted(prof.identities),
        "states": sorted(prof.states),
        "places": sorted(prof.places),
        "first_published": prof.first_published,
        "undated_certain_by": prof.undated_certain_by,
    }


def _canonical_row(cid: str, seq: int, prof: Profile) -> dict[str, Any]:
    return {
        "id": cid,
        "seq": seq,
        "type": prof.type,
        "label": prof.type,
        "place": None,
        "certainty": "certain",
        "polarity": "positive",
        "reports": 0,
        "documents": 0,
        "sources": 0,
        "contradicted": False,
        "status": "machine",
        **_profile_values(prof),
    }


# ---------------------------------------------------------------- summaries


def doc_infos(conn: Connection, doc_ids: Iterable[str]) -> dict[str, DocInfo]:
    d = documents.c
    out = {}
    for chunk in chunks(sorted(set(doc_ids))):
        for r in conn.execute(
            select(d.id, d.site, d.url, d.author, d.republished_from_name, d.republished_from_url, d.near_duplicate_of)
            .where(d.id.in_(chunk))
        ):
            out[r[0]] = DocInfo(*r)
    return out


def canonical_reports_of(conn: Connection, cid: str) -> list[Report]:
    ids = list(
        conn.execute(
            select(canonical_reports.c.event_id)
            .where(canonical_reports.c.canonical_id == cid)
            .order_by(canonical_reports.c.seq)
        ).scalars()
    )
    order = {eid: i for i, eid in enumerate(ids)}
    found = load_reports(conn, events.c.id.in_(ids)) if ids else []
    return sorted(found, key=lambda r: order[r.id])


def event_reviews(conn: Connection, cid: str) -> list[Any]:
    return list(
        conn.execute(
            select(reviews).where(reviews.c.kind == "event", reviews.c.target == cid).order_by(reviews.c.at, reviews.c.id)
        ).mappings()
    )


def apply_event_reviews(values: dict[str, Any], items: list[Any]) -> dict[str, Any]:
    """The canonical row's values with human confirm/reject/edit applied in order."""
    out = dict(values)
    for rv in items:
        if rv["action"] in ("confirm", "reject"):
            out["status"] = "confirmed" if rv["action"] == "confirm" else "rejected"
        elif rv["action"] == "edit":
            for name, value in rv["changes"].items():
                iv = _interval(value) if name == "time" else None
                if iv is not None:
                    out.update(time_start=iv.start, time_end=iv.end, time_precision=iv.precision)
                elif name != "time":
                    out[name] = value
    return out


def summarize_canonical(conn: Connection, cid: str, matcher: Matcher) -> Summary | None:
    reports = canonical_reports_of(conn, cid)
    if not reports:
        conn.execute(delete(canonical_events).where(canonical_events.c.id == cid))
        return None
    summary = summarize(reports, doc_infos(conn, (r.document_id for r in reports)), matcher)
    t = summary.time
    values = {
        "time_start": t.start if t else None,
        "time_end": t.end if t else None,
        "time_precision": t.precision if t else None,
        "label": summary.label,
        "place": summary.place,
        "certainty": summary.certainty,
        "polarity": summary.polarity,
        "reports": summary.reports,
        "documents": summary.documents,
        "sources": summary.sources,
        "contradicted": bool(summary.contradictions),
        "status": "rejected" if all(r.rejected for r in reports) else "machine",
    }
    conn.execute(update(canonical_events).where(canonical_events.c.id == cid).values(**apply_event_reviews(values, event_reviews(conn, cid))))
    for r in reports:
        voice = summary.voices[r.id]
        conn.execute(
            update(canonical_reports)
            .where(canonical_reports.c.event_id == r.id)
            .values(primary_source=voice.primary, relay=voice.relay, independent=r.id in summary.independent, rejected=r.rejected)
        )
    conn.execute(delete(contradictions).where(contradictions.c.canonical_id == cid))
    if summary.contradictions:
        conn.execute(
            insert(contradictions),
            [
                {"canonical_id": cid, "kind": c.kind, "report_a": c.report_a, "report_b": c.report_b,
                 "value_a": c.value_a, "value_b": c.value_b, "note": c.note}
                for c in summary.contradictions
            ],
        )
    return summary


def fuse_documents(conn: Connection, doc_ids: list[str], matcher: Matcher) -> set[str]:
    """Fuse the reports of newly stored documents and refresh the canonical events they touch."""
    reports = load_reports(conn, events.c.document_id.in_(doc_ids))
    touched = fuse_reports(conn, reports, matcher)
    for cid in sorted(touched):
        summarize_canonical(conn, cid, matcher)
    return touched


# ---------------------------------------------------------------- rebuild


def rebuild(conn: Connection, matcher: Matcher) -> int:
    """Recompute the whole ledger from stored events and reviews; return the canonical count.

    Reviews follow their targets: a report review to the report with the same key (or, after
    re-extraction moved the evidence, the overlapping report of the same document and type);
    an event review to the canonical event holding most of the reports it had when reviewed.
    """
    for table in (contradictions, canonical_entities, canonical_reports, canonical_events):
        conn.execute(delete(table))
    _retarget_report_reviews(conn)
    reports = load_reports(conn, events.c.id.isnot(None))
    touched = fuse_reports(conn, reports, matcher)
    _retarget_event_reviews(conn, reports)
    for cid in sorted(touched):
        summarize_canonical(conn, cid, matcher)
    return len(touched)


def _retarget_report_reviews(conn: Connection) -> None:
    from kansoku.ledger.report import parse_report_key, report_key

    e = events.c
    for rv in list(conn.execute(select(reviews).where(reviews.c.kind == "report")).mappings()):
        doc, type_, start, end, trig = parse_report_key(rv["target"])
        rows = list(
            conn.execute(
                select(e.type, e.evidence_start, e.evidence_end, e.trigger_start).where(
                    e.document_id == doc, e.type == type_, e.evidence_start < end, e.evidence_end > start
                )
            )
        )
        if not rows or any(report_key(doc, *r) == rv["target"] for r in rows):
            continue
        best = max(rows, key=lambda r: (min(end, r[2]) - max(start, r[1]), -abs(r[3] - trig)))
        conn.execute(update(reviews).where(reviews.c.id == rv["id"]).values(target=report_key(doc, *best)))


def _retarget_event_reviews(conn: Connection, reports: list[Report]) -> None:
    holder: dict[str, str] = {}
    by_id = {r.id: r.key for r in reports}
    for eid, cid in conn.execute(select(canonical_reports.c.event_id, canonical_reports.c.canonical_id)):
        holder[by_id[eid]] = cid
    seq = dict(conn.execute(select(canonical_events.c.id, canonical_events.c.seq)).all())
    for rv in list(conn.execute(select(reviews).where(reviews.c.kind == "event")).mappings()):
        votes: dict[str, int] = defaultdict(int)
        for key in rv["anchor"]:
            if key in holder:
                votes[holder[key]] += 1
        if votes:
            target = min(votes, key=lambda c: (-votes[c], seq.get(c, 0)))
            if target != rv["target"]:
                conn.execute(update(reviews).where(reviews.c.id == rv["id"]).values(target=target))


def anchor_of(conn: Connection, cid: str) -> list[str]:
    return [r.key for r in canonical_reports_of(conn, cid)]


def canonical_of_event(conn: Connection, event_id: str) -> str | None:
    return conn.execute(
        select(canonical_reports.c.canonical_id).where(canonical_reports.c.event_id == event_id)
    ).scalar()


__all__ = [
    "EDITABLE_EVENT",
    "EDITABLE_REPORT",
    "anchor_of",
    "canonical_of_event",
    "fuse_documents",
    "rebuild",
    "summarize_canonical",
]
