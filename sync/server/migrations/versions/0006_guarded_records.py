"""Claims (unique acta numbers), reach (records named from another territory), audit log.

The server now checks every operation against the declaration of the record kinds. Existing
rows are indexed as they are: each visit's acta number is claimed by the first visit that holds
it, and a person named by a participant of another territory becomes readable there.

Revision ID: 0006_guarded_records
Revises: 0005_published
"""

import json
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006_guarded_records"
down_revision = "0005_published"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three tables and index the records already held."""
    op.create_table(
        "claims",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "field", "value", name=op.f("pk_claims")),
    )
    op.create_table(
        "reach",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("kind", "record_id", "scope", name=op.f("pk_reach")),
    )
    op.create_index("ix_reach_scope", "reach", ["scope"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    _index_existing(op.get_bind())


def _fields(value: Any) -> dict[str, Any]:
    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


def _index_existing(connection: sa.Connection) -> None:
    records = sa.table(
        "records",
        sa.column("kind", sa.String),
        sa.column("record_id", sa.Uuid),
        sa.column("fields", sa.JSON),
        sa.column("scope", sa.String),
        sa.column("seq", sa.BigInteger),
    )
    rows = connection.execute(
        sa.select(records.c.kind, records.c.record_id, records.c.fields, records.c.scope)
        .where(records.c.kind.in_(("visit", "participant", "person")))
        .order_by(records.c.seq)
    ).all()
    claims: dict[str, uuid.UUID] = {}
    scopes = {record_id: scope for kind, record_id, _f, scope in rows if kind == "person"}
    reach: set[tuple[uuid.UUID, str]] = set()
    for kind, record_id, raw, scope in rows:
        fields = _fields(raw)
        number = fields.get("acta_number")
        if kind == "visit" and isinstance(number, str) and 0 < len(number) <= 200:
            claims.setdefault(number, record_id)
        person = fields.get("person_id")
        if kind == "participant" and isinstance(person, str):
            try:
                person_id = uuid.UUID(person)
            except ValueError:
                continue
            held = scopes.get(person_id)
            if held is not None and not held.startswith(scope):
                reach.add((person_id, scope))
    if claims:
        op.bulk_insert(
            sa.table("claims", sa.column("kind"), sa.column("field"), sa.column("value"),
                     sa.column("record_id", sa.Uuid)),
            [{"kind": "visit", "field": "acta_number", "value": v, "record_id": r}
             for v, r in claims.items()],
        )  # fmt: skip
    if reach:
        op.bulk_insert(
            sa.table("reach", sa.column("kind"), sa.column("record_id", sa.Uuid),
                     sa.column("scope")),
            [{"kind": "person", "record_id": r, "scope": s} for r, s in sorted(reach)],
        )  # fmt: skip


def downgrade() -> None:
    """Drop them."""
    op.drop_table("audit_log")
    op.drop_index("ix_reach_scope", table_name="reach")
    op.drop_table("reach")
    op.drop_table("claims")
