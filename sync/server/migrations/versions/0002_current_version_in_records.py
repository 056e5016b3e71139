"""The current version of a record lives only in ``records``, with the device that made it.

``record_versions`` keeps the superseded versions; a create writes one row instead of two.

Revision ID: 0002_current_version_in_records
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_current_version_in_records"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_CURRENT = (
    "record_versions.kind = records.kind AND record_versions.record_id = records.record_id "
    "AND record_versions.version = records.version"
)


def upgrade() -> None:
    """Move each current version's device to ``records`` and drop its copy in the history."""
    op.add_column("records", sa.Column("device_id", sa.Uuid(), nullable=True))
    op.execute(
        "UPDATE records SET device_id = "
        f"(SELECT record_versions.device_id FROM record_versions WHERE {_CURRENT})"
    )
    op.execute(f"DELETE FROM record_versions WHERE EXISTS (SELECT 1 FROM records WHERE {_CURRENT})")


def downgrade() -> None:
    """Copy each current version back into the history and drop the column."""
    op.execute(
        "INSERT INTO record_versions "
        "(kind, record_id, version, fields, deleted, updated_by, created_at, device_id) "
        "SELECT kind, record_id, version, fields, deleted, updated_by, updated_at, device_id "
        "FROM records"
    )
    with op.batch_alter_table("records") as batch:
        batch.drop_column("device_id")
