"""Following up and planning: agreement follow-ups, territory figures, priority weights, the plan.

Revision ID: 0008_planning
Revises: 0007_outbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_planning"
down_revision = "0007_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "priority_weights",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("weights", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_priority_weights")),
    )
    op.create_table(
        "territory_figure",
        sa.Column("ubigeo", sa.String(length=6), nullable=False),
        sa.Column("violence_cases", sa.Float(), nullable=True),
        sa.Column("has_cem", sa.Boolean(), nullable=True),
        sa.Column("alerts", sa.Integer(), nullable=True),
        sa.Column("requested", sa.Boolean(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ubigeo", name=op.f("pk_territory_figure")),
    )
    op.create_table(
        "plan_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("instancia_id", sa.Uuid(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instancia_id"], ["instancia.id"], name=op.f("fk_plan_entry_instancia_id_instancia")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_plan_entry_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_entry")),
    )
    with op.batch_alter_table("plan_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_entry_instancia_id"), ["instancia_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_entry_planned_on"), ["planned_on"], unique=False)

    op.create_table(
        "agreement_follow_up",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pendiente",
                "en_proceso",
                "cumplido",
                "vencido",
                "reprogramado",
                "anulado",
                name="agreementstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("new_deadline", sa.Date(), nullable=True),
        sa.Column("evidence", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_agreement_follow_up_agreement_id_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_agreement_follow_up_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_follow_up")),
    )
    with op.batch_alter_table("agreement_follow_up", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_follow_up_agreement_id"), ["agreement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_agreement_follow_up_visit_id"), ["visit_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("agreement_follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_follow_up_visit_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_follow_up_agreement_id"))

    op.drop_table("agreement_follow_up")
    with op.batch_alter_table("plan_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_entry_planned_on"))
        batch_op.drop_index(batch_op.f("ix_plan_entry_instancia_id"))

    op.drop_table("plan_entry")
    op.drop_table("territory_figure")
    op.drop_table("priority_weights")
