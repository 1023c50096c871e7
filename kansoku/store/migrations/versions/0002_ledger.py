"""The cross-document ledger: canonical events, their reports and entities, contradictions,
human reviews.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _canonical_fk() -> sa.Column:
    return sa.Column("canonical_id", sa.String(32), nullable=False)


def _fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["canonical_id"],
        ["canonical_events.id"],
        name=f"fk_{table}_canonical_id_canonical_events",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "canonical_events",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("time_start", sa.Date),
        sa.Column("time_end", sa.Date),
        sa.Column("time_precision", sa.String(16)),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("place", sa.String(200)),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("polarity", sa.String(16), nullable=False),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("contradicted", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("first_published", sa.Date),
        sa.Column("undated_certain_by", sa.Date),
        sa.Column("identities", sa.JSON, nullable=False),
        sa.Column("states", sa.JSON, nullable=False),
        sa.Column("places", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_canonical_events"),
    )
    for column in ("seq", "type", "time_start", "time_end", "certainty", "contradicted", "status"):
        op.create_index(f"ix_canonical_events_{column}", "canonical_events", [column])

    op.create_table(
        "canonical_reports",
        sa.Column("event_id", sa.String(300), nullable=False),
        _canonical_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("voice", sa.String(200)),
        sa.Column("primary_source", sa.String(300), nullable=False),
        sa.Column("relay", sa.Text),
        sa.Column("independent", sa.Boolean, nullable=False),
        sa.Column("rejected", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_canonical_reports"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_canonical_reports_event_id_events", ondelete="CASCADE"
        ),
        _fk("canonical_reports"),
    )
    op.create_index("ix_canonical_reports_canonical_id", "canonical_reports", ["canonical_id"])

    op.create_table(
        "canonical_entities",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        _canonical_fk(),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_canonical_entities"),
        _fk("canonical_entities"),
    )
    op.create_index("ix_canonical_entities_canonical_id", "canonical_entities", ["canonical_id"])
    op.create_index("ix_canonical_entities_type_entity_id", "canonical_entities", ["type", "entity_id"])

    op.create_table(
        "contradictions",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        _canonical_fk(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("report_a", sa.String(300), nullable=False),
        sa.Column("report_b", sa.String(300), nullable=False),
        sa.Column("value_a", sa.Text, nullable=False),
        sa.Column("value_b", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_contradictions"),
        _fk("contradictions"),
    )
    op.create_index("ix_contradictions_canonical_id", "contradictions", ["canonical_id"])
    op.create_index("ix_contradictions_kind", "contradictions", ["kind"])

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(400), nullable=False),
        sa.Column("anchor", sa.JSON, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_target", "reviews", ["target"])


def downgrade() -> None:
    for table in ("reviews", "contradictions", "canonical_entities", "canonical_reports", "canonical_events"):
        op.drop_table(table)
