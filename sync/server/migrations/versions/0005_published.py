"""Documents published for every laptop (form definitions), immutable by kind and key.

Revision ID: 0005_published
Revises: 0004_attachments
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_published"
down_revision = "0004_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table of published documents."""
    op.create_table(
        "published",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("published_by", sa.String(length=100), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_published")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_published_kind_key")),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("published")
