"""The sync outbox (changes to send, written with each change) and the client's sync state.

Revision ID: 0007_outbox
Revises: 0006_acta_snapshot
"""

import uuid

import sqlalchemy as sa
from alembic import op

# Frozen copy of domain.registry_seed.INSTANCIA_IDS: an instancia's id derives from its unit.
_INSTANCIA_IDS = uuid.UUID("5b80b077-fc11-4a3e-8fa1-1d825b1d56f7")
_REFERRING = ("visit", "norm", "stage_event", "member")

revision = "0007_outbox"
down_revision = "0006_acta_snapshot"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("op_id", name=op.f("uq_outbox_op_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_state"), ["state"], unique=False)
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_seen",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "record_id", name=op.f("pk_sync_seen")),
    )
    _same_instancia_ids_everywhere()


def _same_instancia_ids_everywhere() -> None:
    """Give every instancia the id derived from its unit, and follow it where it is referenced."""
    connection = op.get_bind()
    instancia = sa.table(
        "instancia", sa.column("id", sa.Uuid()), sa.column("unit_code", sa.String())
    )
    renames = {
        old: uuid.uuid5(_INSTANCIA_IDS, code)
        for old, code in connection.execute(sa.select(instancia.c.id, instancia.c.unit_code))
    }
    for old, new in renames.items():
        if old == new:
            continue
        connection.execute(sa.update(instancia).where(instancia.c.id == old).values(id=new))
        for name in _REFERRING:
            table = sa.table(name, sa.column("instancia_id", sa.Uuid()))
            connection.execute(
                sa.update(table).where(table.c.instancia_id == old).values(instancia_id=new)
            )


def downgrade() -> None:
    op.drop_table("sync_seen")
    op.drop_table("sync_state")
    op.drop_table("outbox")
