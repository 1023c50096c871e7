"""The Store: one database of documents, their extractions and the ledger of events.

    with Store("ledger.db") as store:
        result = store.add(extraction)          # AddResult(status="added", …)
        store.events(type="weapons_test", min_certainty="probable")

Each `add` is one transaction: a document is stored with everything extracted from it, or
not at all. The same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import Connection, and_, case, exists, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from kansoku.errors import StoreError
from kansoku.model import Document, Extraction
from kansoku.store import ledger, rows
from kansoku.store.dedup import DEFAULT_THRESHOLD, Signature, signature, text_sha256
from kansoku.store.engine import WRITE, bytewise, display_name, open_engine, resolve_url
from kansoku.store.ledger_api import LedgerMixin
from kansoku.store.query import as_date, certainties_from, chunks, jsonable
from kansoku.store.schema import (
    TABLES,
    doc_lsh_bands,
    documents,
    durations,
    entities,
    events,
    mentions,
    participants,
    quantities,
    times,
    warnings,
)

AddStatus = Literal["added", "duplicate", "near_duplicate"]


@dataclass(frozen=True)
class AddResult:
    """What `Store.add` did. `similarity` is the Jaccard estimate (1.0 for an exact duplicate)."""

    status: AddStatus
    document_id: str
    duplicate_of: str | None = None
    similarity: float | None = None


class Store(LedgerMixin):
    """A Kansoku database, opened (and migrated to the current schema) on construction."""

    def __init__(
        self, url: str | None = None, *, near_duplicate_threshold: float = DEFAULT_THRESHOLD
    ) -> None:
        self.url = resolve_url(url)
        self.name = display_name(self.url)
        self.near_duplicate_threshold = near_duplicate_threshold
        self._engine: Engine | None = open_engine(self.url)

    # ------------------------------------------------------------ lifecycle

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StoreError(f"database {self.name} is closed: open a new Store")
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.name!r})"

    # ------------------------------------------------------------ writing

    def add(self, extraction: Extraction) -> AddResult:
        """Store a document and its extraction in one transaction, unless it is a duplicate."""
        doc = extraction.document
        sha = text_sha256(doc.text)
        sig = signature(doc.text)
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE: True})
                with conn.begin():
                    return self._add(conn, extraction, sha, sig)
        except StoreError:
            raise
        except IntegrityError as err:
            # Another writer stored the same text between our check and our insert.
            existing = self._id_for_sha(sha)
            if existing is not None:
                return AddResult("duplicate", doc.id, existing, 1.0)
            raise self._write_error(doc.id, err, "check the extraction's ids") from err
        except OperationalError as err:
            raise self._write_error(
                doc.id, err, "check the database is writable and not locked, then retry"
            ) from err
        except Exception as err:
            raise self._write_error(
                doc.id, err, "the extraction is malformed: fix the stage that produced it"
            ) from err

    def _write_error(self, doc_id: str, err: Exception, fix: str) -> StoreError:
        detail = " ".join(str(getattr(err, "orig", None) or err).split())[:200]
        return StoreError(
            f"could not store document {doc_id} in {self.name}, nothing was written "
            f"({type(err).__name__}: {detail}): {fix}"
        )

    def _id_for_sha(self, sha: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha)).scalar()

    def _add(self, conn: Connection, ex: Extraction, sha: str, sig: Signature) -> AddResult:
        doc = ex.document
        existing = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha)).scalar()
        if existing is not None:
            return AddResult("duplicate", doc.id, existing, 1.0)
        if conn.execute(select(documents.c.id).where(documents.c.id == doc.id)).first():
            raise StoreError(
                f"document id {doc.id} is already stored in {self.name} with a different "
                "text: give the new document another id"
            )
        near, similarity = self._near_duplicate(conn, sig)
        row = rows.document_row(doc)
        row.update(
            sha256=sha,
            near_duplicate_of=near,
            similarity=similarity,
            ingested_at=datetime.now(UTC).replace(tzinfo=None),
            minhash=sig.to_bytes(),
        )
        conn.execute(documents.insert(), row)
        conn.execute(
            doc_lsh_bands.insert(),
            [{"document_id": doc.id, "band": b, "hash": h} for b, h in sig.bands()],
        )
        self._write_annotations(conn, ex)
        ledger.fuse_documents(conn, [doc.id], self.matcher)
        if near is None:
            return AddResult("added", doc.id)
        return AddResult("near_duplicate", doc.id, near, similarity)

    def _near_duplicate(self, conn: Connection, sig: Signature) -> tuple[str | None, float | None]:
        """The most similar stored document at or above the threshold, by LSH then MinHash."""
        band_match = or_(
            *(and_(doc_lsh_bands.c.band == b, doc_lsh_bands.c.hash == h) for b, h in sig.bands())
        )
        candidates = (
            conn.execute(select(doc_lsh_bands.c.document_id).where(band_match).distinct())
            .scalars()
            .all()
        )
        best: tuple[float, datetime, str] | None = None
        for chunk in chunks(candidates):
            query = select(documents.c.id, documents.c.minhash, documents.c.ingested_at)
            for cid, minhash, ingested in conn.execute(query.where(documents.c.id.in_(chunk))):
                score = sig.similarity(Signature.from_bytes(minhash))
                # Highest similarity wins; among equals, the earliest stored document.
                if score >= self.near_duplicate_threshold and (
                    best is None or (-score, ingested, cid) < (-best[0], best[1], best[2])
                ):
                    best = (score, ingested, cid)
        return (best[2], best[0]) if best else (None, None)

    def _write_annotations(self, conn: Connection, ex: Extraction) -> None:
        doc_id = ex.document.id
        self._upsert_entities(conn, ex.entities.values())
        _insert(conn, mentions, [rows.mention_row(m, doc_id) for m in ex.mentions])
        _insert(conn, times, [rows.time_row(t, doc_id) for t in ex.times])
        _insert(conn, durations, [rows.duration_row(d, doc_id) for d in ex.durations])
        event_rows, participant_rows, quantity_rows = [], [], []
        for seq, ev in enumerate(ex.events, start=1):
            row = rows.event_row(ev, doc_id, seq)
            event_rows.append(row)
            participant_rows += [rows.participant_row(p, row["id"], False) for p in ev.participants]
            if ev.location is not None:
                participant_rows.append(rows.participant_row(ev.location, row["id"], True))
            quantity_rows += [rows.quantity_row(q, doc_id, row["id"]) for q in ev.quantities]
        _insert(conn, events, event_rows)
        _insert(conn, participants, participant_rows)
        quantity_rows += [rows.quantity_row(q, doc_id, None) for q in ex.quantities]
        _insert(conn, quantities, quantity_rows)
        _insert(
            conn,
            warnings,
            [rows.warning_row(w, doc_id, "document") for w in ex.document.warnings]
            + [rows.warning_row(w, doc_id, "extraction") for w in ex.warnings],
        )

    def _upsert_entities(self, conn: Connection, items: Iterable[Any]) -> None:
        # Select-then-write rather than a dialect's ON CONFLICT: the same code on both databases.
        new = {row["id"]: row for row in map(rows.entity_row, items)}
        if not new:
            return
        known = set()
        for chunk in chunks(list(new)):
            known |= set(
                conn.execute(select(entities.c.id).where(entities.c.id.in_(chunk))).scalars()
            )
        _insert(conn, entities, [row for eid, row in new.items() if eid not in known])
        for eid in known:
            conn.execute(entities.update().where(entities.c.id == eid), new[eid])

    # ------------------------------------------------------------ reading

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in TABLES
            }

    def documents(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Stored documents, oldest first, as JSON-able summaries without text or bytes.

        Keys: id, lang, title, url, site, published, republished_from (the source's name),
        near_duplicate_of, ingested_at, chars.
        """
        d = documents.c
        query = (
            select(
                d.id,
                d.lang,
                d.title,
                d.url,
                d.site,
                d.published,
                d.republished_from_name.label("republished_from"),
                d.near_duplicate_of,
                d.ingested_at,
                func.length(d.text).label("chars"),
            )
            .order_by(d.ingested_at, bytewise(d.id))
            .offset(offset)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [{k: jsonable(v) for k, v in r.items()} for r in conn.execute(query).mappings()]

    def get_document(self, document_id: str) -> Document:
        """The stored document with its text, original bytes, reprint source and warnings."""
        with self.engine.connect() as conn:
            return self._document(conn, document_id)

    def _document(self, conn: Connection, document_id: str) -> Document:
        row = (
            conn.execute(select(documents).where(documents.c.id == document_id)).mappings().first()
        )
        if row is None:
            raise StoreError(
                f"no document {document_id!r} in {self.name}: list the stored ids with "
                "Store.documents() or `kansoku documents`"
            )
        doc_warnings = conn.execute(
            select(warnings)
            .where(warnings.c.document_id == document_id, warnings.c.scope == "document")
            .order_by(warnings.c.id)
        ).mappings()
        return rows.document_from(row, [rows.warning_from(w) for w in doc_warnings])

    def near_duplicate_of(self, document_id: str) -> str | None:
        """The earlier document this one nearly duplicates, or None when it is original."""
        with self.engine.connect() as conn:
            self._document(conn, document_id)  # raises for an unknown id
            return conn.execute(
                select(documents.c.near_duplicate_of).where(documents.c.id == document_id)
            ).scalar()

    def get_extraction(self, document_id: str) -> Extraction:
        """The Extraction of a stored document, rebuilt from the database."""
        with self.engine.connect() as conn:
            doc = self._document(conn, document_id)
            ms = [
                rows.mention_from(r)
                for r in _child_rows(conn, mentions, mentions.c.document_id == document_id)
            ]
            ids = sorted({m.entity for m in ms if m.entity})
            ents = {}
            for chunk in chunks(ids):
                for r in conn.execute(select(entities).where(entities.c.id.in_(chunk))).mappings():
                    ents[r["id"]] = rows.entity_from(r)
            return Extraction(
                document=doc,
                entities={eid: ents[eid] for eid in ids if eid in ents},
                mentions=ms,
                times=[
                    rows.time_from(r)
                    for r in _child_rows(conn, times, times.c.document_id == document_id)
                ],
                durations=[
                    rows.duration_from(r)
                    for r in _child_rows(conn, durations, durations.c.document_id == document_id)
                ],
                quantities=[
                    rows.quantity_from(r)
                    for r in _child_rows(
                        conn,
                        quantities,
                        and_(
                            quantities.c.document_id == document_id, quantities.c.event_id.is_(None)
                        ),
                    )
                ],
                events=self._events(
                    conn,
                    select(events)
                    .where(events.c.document_id == document_id)
                    .order_by(events.c.seq),
                    store_id=False,
                )[1],
                warnings=[
                    rows.warning_from(r)
                    for r in _child_rows(
                        conn,
                        warnings,
                        and_(
                            warnings.c.document_id == document_id, warnings.c.scope == "extraction"
                        ),
                    )
                ],
            )

    def extraction(self, document_id: str) -> dict[str, Any]:
        """The FORMAT.md extraction output of a stored document, rebuilt from the database."""
        return self.get_extraction(document_id).to_json()

    def events(
        self,
        type: str | Sequence[str] | None = None,
        entity: str | None = None,
        source: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        min_certainty: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events as FORMAT.md JSON plus `document_id`, earliest event time first.

        `entity` matches a participant or the location; `source` is an entity id, or "author"
        for the document's own voice; `since`/`until` keep events whose time overlaps them.
        """
        e = events.c
        query = select(events)
        if type is not None:
            query = query.where(e.type.in_([type] if isinstance(type, str) else list(type)))
        if entity is not None:
            query = query.where(
                exists().where(participants.c.event_id == e.id, participants.c.entity_id == entity)
            )
        if source is not None:
            query = query.where(e.source.is_(None) if source == "author" else e.source == source)
        if since is not None:
            query = query.where(e.time_end >= as_date(since, "since"))
        if until is not None:
            query = query.where(e.time_start <= as_date(until, "until"))
        if min_certainty is not None:
            query = query.where(e.certainty.in_(certainties_from(min_certainty)))
        query = query.order_by(
            case((e.time_start.is_(None), 1), else_=0),
            e.time_start,
            bytewise(e.document_id),
            e.seq,
        ).limit(limit)
        with self.engine.connect() as conn:
            event_rows, found = self._events(conn, query, store_id=True)
        return [
            {**ev.to_json(), "document_id": row["document_id"]}
            for row, ev in zip(event_rows, found, strict=True)
        ]

    def _events(
        self, conn: Connection, query: Any, *, store_id: bool
    ) -> tuple[list[Any], list[Any]]:
        event_rows = list(conn.execute(query).mappings())
        ids = [r["id"] for r in event_rows]
        parts: dict[str, list[Any]] = defaultdict(list)
        quants: dict[str, list[Any]] = defaultdict(list)
        for chunk in chunks(ids):
            for r in _child_rows(conn, participants, participants.c.event_id.in_(chunk)):
                parts[r["event_id"]].append(r)
            for r in _child_rows(conn, quantities, quantities.c.event_id.in_(chunk)):
                quants[r["event_id"]].append(r)
        built = [
            rows.event_from(r, parts[r["id"]], quants[r["id"]], store_id=store_id)
            for r in event_rows
        ]
        return event_rows, built


def _insert(conn: Connection, table: Any, values: list[dict[str, Any]]) -> None:
    if values:
        conn.execute(table.insert(), values)


def _child_rows(conn: Connection, table: Any, where: Any) -> list[Any]:
    return list(conn.execute(select(table).where(where).order_by(table.c.id)).mappings())


