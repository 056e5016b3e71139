"""Names people know: who a user is on paper, and which laptop wrote each side of a conflict.

A user's full name and post are printed on the actas she finalizes; one person may use two
laptops, so a conflict names the device that wrote each value.

Revision ID: 0008_user_identity
Revises: 0007_private_files
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_user_identity"
down_revision = "0007_private_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("full_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("post", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kept_device_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("other_device_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_column("other_device_id")
        batch_op.drop_column("kept_device_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("post")
        batch_op.drop_column("full_name")
