"""The laptop's audit trail, append-only: triggers refuse any change or deletion of an entry.

Revision ID: 0015_audit_trail
Revises: 0014_addenda_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_audit_trail"
down_revision = "0014_addenda_index"
branch_labels = None
depends_on = None

_ACTIONS = ("perfil_abierto", "acta_finalizada", "acta_generada", "exportacion", "eliminacion")


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column(
            "action",
            sa.Enum(*_ACTIONS, name="auditaction", native_enum=False, length=23),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry"
            " BEGIN SELECT RAISE(ABORT, 'el registro de auditoría no se modifica'); END"
        )


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_entry_no_{verb}")
    op.drop_table("audit_entry")
