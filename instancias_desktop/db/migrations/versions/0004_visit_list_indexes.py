"""Indexes that let the visits list count live participants and agreements from the index alone.

Revision ID: 0004_visit_list_indexes
Revises: 0003_visit_editing
"""

from alembic import op

revision = "0004_visit_list_indexes"
down_revision = "0003_visit_editing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_participant_visit_live", "participant", ["visit_id", "deleted"])
    op.create_index("ix_agreement_visit_live", "agreement", ["visit_id", "deleted"])


def downgrade() -> None:
    op.drop_index("ix_agreement_visit_live", table_name="agreement")
    op.drop_index("ix_participant_visit_live", table_name="participant")
