"""The instancia's own record: tenures, sessions, attendance, instruments and their files.

Members gain the representative's document, post, designation and the end of the tenure;
instancias gain the agreed creation schedule; norms admit the types each level issues
(Decreto Regional, Resolución Ejecutiva Regional, Acuerdo de Concejo…). Existing members
keep their data: the new fields start empty.

Revision ID: 0016_instancia_record
Revises: 0015_audit_trail
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_instancia_record"
down_revision = "0015_audit_trail"
branch_labels = None
depends_on = None

_NORM_TYPES = (
    "ordenanza_regional", "ordenanza_municipal", "decreto_alcaldia", "resolucion", "otro",
    "decreto_regional", "resolucion_ejecutiva_regional", "acuerdo_consejo_regional",
    "acuerdo_concejo", "resolucion_alcaldia",
)  # fmt: skip
_OLD_NORM_TYPES = _NORM_TYPES[:5]


def _synced() -> list[sa.Column[object]]:
    """The columns every synced row carries."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=max(map(len, values)) + 8)


def upgrade() -> None:
    op.create_table(
        "instancia_session",
        sa.Column("instancia_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "session_type", _enum("sessiontype", "ordinaria", "extraordinaria"), nullable=False
        ),
        sa.Column("quorum", sa.Boolean(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("agreements", sa.Text(), nullable=False),
        sa.Column("acta_reference", sa.String(length=200), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["instancia_id"],
            ["instancia.id"],
            name=op.f("fk_instancia_session_instancia_id_instancia"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instancia_session")),
    )
    op.create_index(
        op.f("ix_instancia_session_instancia_id"), "instancia_session", ["instancia_id"]
    )
    op.create_table(
        "instrument",
        sa.Column("instancia_id", sa.Uuid(), nullable=False),
        sa.Column(
            "instrument_type",
            _enum("instrumenttype", "reglamento_interno", "plan_trabajo", "plan_accion", "informe"),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("norm_id", sa.Uuid(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["instancia_id"], ["instancia.id"], name=op.f("fk_instrument_instancia_id_instancia")
        ),
        sa.ForeignKeyConstraint(["norm_id"], ["norm.id"], name=op.f("fk_instrument_norm_id_norm")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument")),
    )
    op.create_index(op.f("ix_instrument_instancia_id"), "instrument", ["instancia_id"])
    op.create_table(
        "session_attendance",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_session_attendance_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["instancia_session.id"],
            name=op.f("fk_session_attendance_session_id_instancia_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_attendance")),
    )
    op.create_index(op.f("ix_session_attendance_session_id"), "session_attendance", ["session_id"])
    op.create_table(
        "instancia_file",
        sa.Column("instancia_id", sa.Uuid(), nullable=False),
        sa.Column("norm_id", sa.Uuid(), nullable=True),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("instrument_id", sa.Uuid(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["instancia_id"],
            ["instancia.id"],
            name=op.f("fk_instancia_file_instancia_id_instancia"),
        ),
        sa.ForeignKeyConstraint(
            ["norm_id"], ["norm.id"], name=op.f("fk_instancia_file_norm_id_norm")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["instancia_session.id"],
            name=op.f("fk_instancia_file_session_id_instancia_session"),
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_instancia_file_instrument_id_instrument"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instancia_file")),
    )
    op.create_index(op.f("ix_instancia_file_instancia_id"), "instancia_file", ["instancia_id"])
    op.create_index(op.f("ix_instancia_file_sha256"), "instancia_file", ["sha256"])
    with op.batch_alter_table("instancia", schema=None) as batch_op:
        for name in ("target_creation_on", "target_installation_on", "target_first_session_on"):
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
    documents = _enum("documenttype", "dni", "carne_extranjeria", "pasaporte", "otro")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("document_type", documents, nullable=False, server_default="dni")
        )
        for name, length in (
            ("document_number", 20), ("post", 200), ("designation_document", 200),
        ):  # fmt: skip
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )
        batch_op.add_column(sa.Column("designated_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("until", sa.Date(), nullable=True))
    with op.batch_alter_table("norm", schema=None) as batch_op:
        batch_op.alter_column(
            "norm_type",
            existing_type=sa.VARCHAR(length=27),
            type_=_enum("normtype", *_NORM_TYPES),
            existing_nullable=False,
        )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), not a batch copy: the tables stay in
    # place under their foreign keys. The norm type column keeps its width; SQLite ignores it.
    op.drop_table("instancia_file")
    op.drop_table("session_attendance")
    op.drop_table("instrument")
    op.drop_table("instancia_session")
    newer = f"SELECT id FROM norm WHERE norm_type NOT IN {_OLD_NORM_TYPES!r}"
    op.execute(f"UPDATE stage_event SET norm_id = NULL WHERE norm_id IN ({newer})")
    op.execute(f"DELETE FROM norm WHERE norm_type NOT IN {_OLD_NORM_TYPES!r}")
    for table, columns in (
        ("member", ("until", "designated_on", "designation_document", "post",
                    "document_number", "document_type")),
        ("instancia", ("target_first_session_on", "target_installation_on",
                       "target_creation_on")),
    ):  # fmt: skip
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
