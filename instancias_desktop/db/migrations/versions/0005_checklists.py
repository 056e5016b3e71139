"""Checklist definitions stored per released version, each visit's pinned version, richer answers.

Revision ID: 0005_checklists
Revises: 0004_visit_list_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_checklists"
down_revision = "0004_visit_list_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_definition",
        sa.Column("form_id", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("levels", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("form_id", "version", name=op.f("pk_form_definition")),
    )
    op.create_table(
        "checklist",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("form_id", sa.String(length=60), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_id", "form_version"],
            ["form_definition.form_id", "form_definition.version"],
            name="fk_checklist_form_definition",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_checklist_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist")),
        sa.UniqueConstraint("visit_id", name=op.f("uq_checklist_visit_id")),
    )
    with op.batch_alter_table("checklist_response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("option", sa.String(length=60), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("evidence_attachment_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_checklist_response_evidence_attachment_id_attachment"),
            "attachment",
            ["evidence_attachment_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("checklist_response", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_checklist_response_evidence_attachment_id_attachment"),
            type_="foreignkey",
        )
        batch_op.drop_column("evidence_attachment_id")
        batch_op.drop_column("option")
    op.drop_table("checklist")
    op.drop_table("form_definition")
