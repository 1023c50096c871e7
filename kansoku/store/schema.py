"""The ledger's tables as SQLAlchemy Core metadata.

This module describes the schema for queries; it never creates it. Tables are created and
upgraded only by the Alembic migrations in `migrations/versions/`, and a contract test checks
that the migrated database and this metadata agree. Everything here is dialect-neutral so the
same definitions serve SQLite and PostgreSQL.

Child rows carry an integer `id` in insertion order, which is the order they had in the
`Extraction` and the order they are read back in.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

# Stable constraint names, so migrations on both dialects can refer to them.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _document_fk(nullable: bool = False) -> Column:
    return Column(
        "document_id",
        String(64),
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("lang", String(16), nullable=False),
    Column("title", Text),
    Column("author", Text),
    Column("site", Text),
    Column("url", Text),
    Column("path", Text),
    Column("content_type", String(128), nullable=False),
    Column("published", Date),
    Column("published_from", String(32), nullable=False),
    Column("republished_from_name", Text),
    Column("republished_from_published", Date),
    Column("republished_from_url", Text),
    Column("near_duplicate_of", String(64), ForeignKey("documents.id"), index=True),
    Column("similarity", Float),
    Column("ingested_at", DateTime, nullable=False, index=True),
    Column("minhash", LargeBinary, nullable=False),
)

# One row per (document, LSH band): documents sharing a band hash are near-duplicate candidates.
doc_lsh_bands = Table(
    "doc_lsh_bands",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_fk(),
    Column("band", Integer, nullable=False),
    Column("hash", String(32), nullable=False),
    Index("ix_doc_lsh_bands_band_hash", "band", "hash"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("type", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("names", JSON, nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("wikidata", String(32)),
    Column("lat", Float),
    Column("lon", Float),
    Column("parent", String(200)),
)

# entity_id columns are deliberately not foreign keys: an extractor may link a mention to a
# gazetteer id it did not include in `Extraction.entities`.
mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_fk(),
    Column("entity_id", String(200), index=True),
    Column("type", String(64), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

times = Table(
    "times",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_fk(),
    Column("text", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("precision", String(16), nullable=False),
)

durations = Table(
    "durations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_fk(),
    Column("text", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("approximate", Boolean, nullable=False),
)

# `id` is store-wide ("<document id>:<extractor's id>"); `local_id` is the extractor's own id.
events = Table(
    "events",
    metadata,
    Column("id", String(300), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("local_id", String(200), nullable=False),
    _document_fk(),
    Column("type", String(64), nullable=False, index=True),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("trigger_text", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("evidence_text", Text, nullable=False),
    Column("time_start", Date, index=True),
    Column("time_end", Date, index=True),
    Column("time_precision", String(16)),
    Column("time_text", Text),
    Column("time_start_char", Integer),
    Column("time_end_char", Integer),
    Column("certainty", String(16), nullable=False, index=True),
    Column("polarity", String(16), nullable=False),
    Column("source", String(200), index=True),
    Column("source_text", Text),
    Column("cue", Text),
    Column("said_on", Date),
    Column("chain", JSON, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("mentions", JSON, nullable=False),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "event_id",
        String(300),
        ForeignKey("events.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("role", String(32), nullable=False),
    Column("entity_id", String(200), index=True),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("is_location", Boolean, nullable=False),
)

# event_id NULL: a quantity of the document (Extraction.quantities); set: one of an event's.
quantities = Table(
    "quantities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "event_id",
        String(300),
        ForeignKey("events.id", ondelete="CASCADE"),
        index=True,
    ),
    _document_fk(),
    Column("value", Float, nullable=False),
    Column("unit", String(32), nullable=False),
    Column("approximate", Boolean, nullable=False),
    Column("bound", String(16)),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

# scope "document": from Document.warnings (ingest); "extraction": from Extraction.warnings.
warnings = Table(
    "warnings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_fk(),
    Column("scope", String(16), nullable=False),
    Column("code", String(64), nullable=False, index=True),
    Column("message", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
)

# Order matters for deletes and counts: children before parents.
TABLES: tuple[Table, ...] = (
    documents,
    doc_lsh_bands,
    entities,
    mentions,
    times,
    durations,
    events,
    participants,
    quantities,
    warnings,
)

# ---------------------------------------------------------------- the ledger (migration 0002)
# Derived tables: `fuse` rebuilds them from events + reviews, so they can always be dropped
# and recomputed. Only `reviews` holds information of its own.

canonical_events = Table(
    "canonical_events",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("seq", Integer, nullable=False, index=True),  # founding order
    Column("type", String(64), nullable=False, index=True),
    Column("time_start", Date, index=True),
    Column("time_end", Date, index=True),
    Column("time_precision", String(16)),
    Column("label", Text, nullable=False),
    Column("place", String(200)),
    Column("certainty", String(16), nullable=False, index=True),
    Column("polarity", String(16), nullable=False),  # positive | negative | disputed
    Column("reports", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("sources", Integer, nullable=False),  # independent primary sources
    Column("contradicted", Boolean, nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),  # machine | confirmed | rejected
    Column("first_published", Date),
    Column("undated_certain_by", Date),
    Column("identities", JSON, nullable=False),
    Column("states", JSON, nullable=False),
    Column("places", JSON, nullable=False),
)

# One row per report (stored event): which canonical event it belongs to.
canonical_reports = Table(
    "canonical_reports",
    metadata,
    Column(
        "event_id",
        String(300),
        ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "canonical_id",
        String(32),
        ForeignKey("canonical_events.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("seq", Integer, nullable=False),  # fusion order
    Column("voice", String(200)),  # the source as fusion compares it (None: the author)
    Column("primary_source", String(300), nullable=False),  # who first said it
    Column("relay", Text),  # outlet that passed it on, when not the primary source itself
    Column("independent", Boolean, nullable=False),  # first report of its primary source
    Column("rejected", Boolean, nullable=False),
)

# Entities of a canonical event with their fusion weight: candidates for a new report are
# the canonical events of its type sharing an entity with it.
canonical_entities = Table(
    "canonical_entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "canonical_id",
        String(32),
        ForeignKey("canonical_events.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("type", String(64), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("weight", Float, nullable=False),
    Index("ix_canonical_entities_type_entity_id", "type", "entity_id"),
)

contradictions = Table(
    "contradictions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "canonical_id",
        String(32),
        ForeignKey("canonical_events.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(16), nullable=False, index=True),  # date | quantity | place | polarity
    Column("report_a", String(300), nullable=False),
    Column("report_b", String(300), nullable=False),
    Column("value_a", Text, nullable=False),
    Column("value_b", Text, nullable=False),
    Column("note", Text),
)

# Human corrections. `target` is a canonical id (ev-…) or a report key; `anchor` lists the
# report keys the canonical event had when it was reviewed, to find it again after re-fusion.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # event | report
    Column("target", String(400), nullable=False, index=True),
    Column("anchor", JSON, nullable=False),
    Column("action", String(16), nullable=False),  # confirm | reject | edit
    Column("changes", JSON, nullable=False),  # field → new value (edit)
    Column("reviewer", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("note", Text),
)

LEDGER_TABLES: tuple[Table, ...] = (
    canonical_events,
    canonical_reports,
    canonical_entities,
    contradictions,
    reviews,
)
