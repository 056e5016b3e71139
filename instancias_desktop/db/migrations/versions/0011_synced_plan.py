"""The visit plan travels: a specialist's plan made on one laptop reaches her other laptops.

Plan entries get the columns of a synced record. Entries planned before this version are
stamped as the profile's user's (the enrolled user, else the author of the latest visit) and
stay on this laptop until they are next changed.

Revision ID: 0011_synced_plan
Revises: 0010_open_start_time
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_synced_plan"
down_revision = "0010_open_start_time"
branch_labels = None
depends_on = None

_USER = (
    "COALESCE((SELECT value FROM sync_state WHERE key = 'enrolment.username'),"
    " (SELECT author FROM visit ORDER BY created_at DESC LIMIT 1), '')"
)


def upgrade() -> None:
    with op.batch_alter_table("plan_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("author", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("updated_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("deleted", sa.Boolean(), nullable=True))
    op.execute(
        f"UPDATE plan_entry SET updated_at = created_at, author = {_USER},"
        f" updated_by = {_USER}, version = 1, deleted = 0"
    )
    with op.batch_alter_table("plan_entry", schema=None) as batch_op:
        for name, kind in (
            ("updated_at", sa.DateTime(timezone=True)),
            ("author", sa.String(length=100)),
            ("updated_by", sa.String(length=100)),
            ("version", sa.Integer()),
            ("deleted", sa.Boolean()),
        ):
            batch_op.alter_column(name, existing_type=kind, nullable=False)


def downgrade() -> None:
    op.execute("DELETE FROM plan_entry WHERE deleted = 1")
    with op.batch_alter_table("plan_entry", schema=None) as batch_op:
        for name in ("deleted", "version", "updated_by", "author", "updated_at"):
            batch_op.drop_column(name)
