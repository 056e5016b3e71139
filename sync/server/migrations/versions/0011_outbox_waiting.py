"""What each laptop said it still had to send, at its last push.

Revision ID: 0011_outbox_waiting
Revises: 0010_web_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_outbox_waiting"
down_revision = "0010_web_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("outbox_waiting", sa.Integer(), nullable=True))
    op.add_column(
        "devices", sa.Column("outbox_reported_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("outbox_reported_at")
        batch.drop_column("outbox_waiting")
