"""A draft's start time stays empty until the specialist types it.

A new draft used to take the moment it was created as its start time (18:32 for a meeting held
at 09:00), so typing the real end time was refused until the start was corrected first.

Revision ID: 0010_open_start_time
Revises: 0009_convergence
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_open_start_time"
down_revision = "0009_convergence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.alter_column("start_time", existing_type=sa.Time(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE visit SET start_time = '00:00:00.000000' WHERE start_time IS NULL")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.alter_column("start_time", existing_type=sa.Time(), nullable=False)
