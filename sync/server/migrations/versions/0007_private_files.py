"""Files read only through a record that names them; uploads per device; tokens that expire.

An annex file is read only by those who can read a record naming it (file_names, filled from
the records already held); each device's upload keeps its own pieces until the whole file
checks out (uploads, upload_chunks; the partial uploads of earlier versions are dropped: the
laptops send them again); a device's last use lets its token expire (sliding).

Revision ID: 0007_private_files
Revises: 0006_guarded_records
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007_private_files"
down_revision = "0006_guarded_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables, index the annexes held, drop partial uploads."""
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "uploads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
        sa.UniqueConstraint("sha256", "device_id", name=op.f("uq_uploads_sha256_device_id")),
    )
    op.create_index("ix_uploads_device_started", "uploads", ["device_id", "started_at"])
    op.create_index(op.f("ix_uploads_touched_at"), "uploads", ["touched_at"])
    op.create_table(
        "upload_chunks",
        sa.Column("upload_id", sa.Uuid(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["upload_id"], ["uploads.id"], name=op.f("fk_upload_chunks_upload_id_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("upload_id", "index", name=op.f("pk_upload_chunks")),
    )  # fmt: skip
    op.create_table(
        "file_names",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "kind", "record_id", name=op.f("pk_file_names")),
    )
    connection = op.get_bind()
    partial = sa.table("attachment_files", sa.column("sha256"), sa.column("complete"))
    chunks = sa.table("attachment_chunks", sa.column("sha256"))
    unfinished = sa.select(partial.c.sha256).where(partial.c.complete.is_(False))
    connection.execute(chunks.delete().where(chunks.c.sha256.in_(unfinished)))
    connection.execute(partial.delete().where(partial.c.complete.is_(False)))
    _name_files(connection)


def _name_files(connection: sa.Connection) -> None:
    records = sa.table(
        "records", sa.column("kind"), sa.column("record_id", sa.Uuid), sa.column("fields", sa.JSON)
    )
    names: set[tuple[str, Any]] = set()
    for record_id, raw in connection.execute(
        sa.select(records.c.record_id, records.c.fields).where(records.c.kind == "attachment")
    ):
        fields = json.loads(raw) if isinstance(raw, str) else raw
        sha = fields.get("sha256") if isinstance(fields, dict) else None
        if isinstance(sha, str) and len(sha) == 64:
            names.add((sha, record_id))
    if names:
        op.bulk_insert(
            sa.table("file_names", sa.column("sha256"), sa.column("kind"),
                     sa.column("record_id", sa.Uuid)),
            [{"sha256": s, "kind": "attachment", "record_id": r} for s, r in sorted(names)],
        )  # fmt: skip


def downgrade() -> None:
    """Drop them."""
    op.drop_table("file_names")
    op.drop_table("upload_chunks")
    op.drop_index(op.f("ix_uploads_touched_at"), table_name="uploads")
    op.drop_index("ix_uploads_device_started", table_name="uploads")
    op.drop_table("uploads")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
