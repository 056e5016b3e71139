"""The signed copy of a finalized acta: its own synced record, appended to the sealed visit.

Revision ID: 0013_signed_copy
Revises: 0012_registry_figures
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_signed_copy"
down_revision = "0012_registry_figures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signed_copy",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column(
            "qr_check",
            sa.Enum(
                "coincide", "otro_codigo", "ilegible", name="qrcheck", native_enum=False, length=19
            ),
            nullable=False,
        ),
        sa.Column("qr_code", sa.String(length=20), nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_signed_copy_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_copy")),
    )
    with op.batch_alter_table("signed_copy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signed_copy_visit_id"), ["visit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signed_copy_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_table("signed_copy")
