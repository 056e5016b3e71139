"""One person per document: the index of which person record holds each document.

Revision ID: 0003_person_documents
Revises: 0002_current_version_in_records
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_person_documents"
down_revision = "0002_current_version_in_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the index; existing persons are indexed by their first creation (oldest seq)."""
    op.create_table(
        "person_documents",
        sa.Column("document_key", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("document_key", name=op.f("pk_person_documents")),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT record_id, fields FROM records WHERE kind = 'person' ORDER BY seq").columns(
            sa.column("record_id", sa.Uuid), sa.column("fields", sa.JSON)
        )
    )
    table = sa.table(
        "person_documents", sa.column("document_key", sa.String), sa.column("record_id", sa.Uuid)
    )
    taken: dict[str, object] = {}
    for record_id, fields in rows:  # the rule of sync.server.people, frozen as of this revision
        number = str(fields.get("document_number") or "").strip().upper()
        kind = str(fields.get("document_type") or "").strip().lower()
        key = f"{kind}:{number}"
        if number and kind and len(key) <= 60 and fields.get("alias_of") is None:
            taken.setdefault(key, record_id)
    if taken:
        op.bulk_insert(table, [{"document_key": k, "record_id": v} for k, v in taken.items()])


def downgrade() -> None:
    """Drop the index."""
    op.drop_table("person_documents")
