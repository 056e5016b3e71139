"""Every access leaves a trace: the audit log takes sign-ins, reads and refusals too.

Entries that name no record (a sign-in, a pull, a refused token) leave kind and record_id
empty; each names the device and the address it came from. Indexed by time (retention, and
queries by period) and by actor. A revoked device says why (an administrator's «dar de baja»
locks the laptop; a new password only asks for a new sign-in).

Revision ID: 0009_access_trail
Revises: 0008_user_identity
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_access_trail"
down_revision = "0008_user_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=40), nullable=True)
        batch_op.alter_column("record_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.add_column(sa.Column("device_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_actor_at", "audit_log", ["actor", "at"])
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_reason", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("revoked_reason")
    op.drop_index("ix_audit_log_actor_at", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.execute("DELETE FROM audit_log WHERE kind IS NULL OR record_id IS NULL")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("address")
        batch_op.drop_column("device_id")
        batch_op.alter_column("record_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column("kind", existing_type=sa.String(length=40), nullable=False)
