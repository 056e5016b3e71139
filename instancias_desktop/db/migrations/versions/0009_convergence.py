"""Convergence: agreement numbers order an acta's agreements, and a refusal can be dismissed.

Two laptops of one specialist may both add agreement 3 to a draft offline; both must survive,
so the number is no longer unique (the acta numbers them by number, then id). An outbox entry
the server refused stays listed until the specialist dismisses it or sends it again.

Revision ID: 0009_convergence
Revises: 0008_planning
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_convergence"
down_revision = "0008_planning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS uq_agreement_live_number")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("dismissed_at")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(
            "uq_agreement_live_number",
            ["visit_id", "number"],
            unique=True,
            sqlite_where=sa.text("deleted = 0"),
        )
