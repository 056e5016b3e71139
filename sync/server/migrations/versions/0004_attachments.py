"""Attachments: received piece by piece, resumable, by the SHA-256 of their content.

Revision ID: 0004_attachments
Revises: 0003_person_documents
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_attachments"
down_revision = "0003_person_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the files and their pieces."""
    op.create_table(
        "attachment_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("started_by", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_files")),
    )
    op.create_table(
        "attachment_chunks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["attachment_files.sha256"],
            name=op.f("fk_attachment_chunks_sha256_attachment_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sha256", "index", name=op.f("pk_attachment_chunks")),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("attachment_chunks")
    op.drop_table("attachment_files")
