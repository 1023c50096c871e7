"""Initial ledger schema: documents, LSH bands, entities, annotations, events.

Written out in full rather than imported from `schema.py`, so this revision keeps creating
the same tables after the metadata moves on.

Revision ID: 0001
Revises:
Create Date: 2026-05-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _document_fk(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=f"fk_{table}_document_id_documents",
            ondelete="CASCADE",
        ),
    ]


def _event_fk(table: str, nullable: bool) -> list[sa.SchemaItem]:
    return [
        sa.Column("event_id", sa.String(300), nullable=nullable),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=f"fk_{table}_event_id_events", ondelete="CASCADE"
        ),
    ]


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("site", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("path", sa.Text),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("published", sa.Date),
        sa.Column("published_from", sa.String(32), nullable=False),
        sa.Column("republished_from_name", sa.Text),
        sa.Column("republished_from_published", sa.Date),
        sa.Column("republished_from_url", sa.Text),
        sa.Column("near_duplicate_of", sa.String(64)),
        sa.Column("similarity", sa.Float),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
        sa.ForeignKeyConstraint(
            ["near_duplicate_of"], ["documents.id"], name="fk_documents_near_duplicate_of_documents"
        ),
    )
    _index("documents", "near_duplicate_of")
    _index("documents", "ingested_at")

    op.create_table(
        "doc_lsh_bands",
        *_id("doc_lsh_bands"),
        *_document_fk("doc_lsh_bands"),
        sa.Column("band", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(32), nullable=False),
    )
    _index("doc_lsh_bands", "document_id")
    _index("doc_lsh_bands", "band", "hash")

    op.create_table(
        "entities",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("names", sa.JSON, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("wikidata", sa.String(32)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("parent", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
    )

    op.create_table(
        "mentions",
        *_id("mentions"),
        *_document_fk("mentions"),
        sa.Column("entity_id", sa.String(200)),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    _index("mentions", "document_id")
    _index("mentions", "entity_id")

    op.create_table(
        "times",
        *_id("times"),
        *_document_fk("times"),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=False),
        sa.Column("precision", sa.String(16), nullable=False),
    )
    _index("times", "document_id")

    op.create_table(
        "durations",
        *_id("durations"),
        *_document_fk("durations"),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("approximate", sa.Boolean, nullable=False),
    )
    _index("durations", "document_id")

    op.create_table(
        "events",
        sa.Column("id", sa.String(300), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("local_id", sa.String(200), nullable=False),
        *_document_fk("events"),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("trigger_start", sa.Integer, nullable=False),
        sa.Column("trigger_end", sa.Integer, nullable=False),
        sa.Column("trigger_text", sa.Text, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("evidence_text", sa.Text, nullable=False),
        sa.Column("time_start", sa.Date),
        sa.Column("time_end", sa.Date),
        sa.Column("time_precision", sa.String(16)),
        sa.Column("time_text", sa.Text),
        sa.Column("time_start_char", sa.Integer),
        sa.Column("time_end_char", sa.Integer),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("polarity", sa.String(16), nullable=False),
        sa.Column("source", sa.String(200)),
        sa.Column("source_text", sa.Text),
        sa.Column("cue", sa.Text),
        sa.Column("said_on", sa.Date),
        sa.Column("chain", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("mentions", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    for column in ("document_id", "type", "time_start", "time_end", "certainty", "source"):
        _index("events", column)

    op.create_table(
        "participants",
        *_id("participants"),
        *_event_fk("participants", nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(200)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("is_location", sa.Boolean, nullable=False),
    )
    _index("participants", "event_id")
    _index("participants", "entity_id")

    op.create_table(
        "quantities",
        *_id("quantities"),
        *_event_fk("quantities", nullable=True),
        *_document_fk("quantities"),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("approximate", sa.Boolean, nullable=False),
        sa.Column("bound", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    )
    _index("quantities", "event_id")
    _index("quantities", "document_id")

    op.create_table(
        "warnings",
        *_id("warnings"),
        *_document_fk("warnings"),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
    )
    _index("warnings", "document_id")
    _index("warnings", "code")


def downgrade() -> None:
    for table in (
        "warnings",
        "quantities",
        "participants",
        "events",
        "durations",
        "times",
        "mentions",
        "entities",
        "doc_lsh_bands",
        "documents",
    ):
        op.drop_table(table)
