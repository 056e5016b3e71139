"""The finalized acta's snapshot: its canonical content, SHA-256 and verification code.

Revision ID: 0006_acta_snapshot
Revises: 0005_checklists
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_acta_snapshot"
down_revision = "0005_checklists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acta_content", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("acta_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("acta_code", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.create_index("ix_visit_acta_code", ["acta_code"])


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_acta_code")
        batch_op.drop_column("acta_code")
        batch_op.drop_column("acta_hash")
        batch_op.drop_column("acta_content")
