"""Instancia registry, specialists and field work (visits, participants, agreements, annexes).

Revision ID: 0002_registry_fieldwork
Revises: 0001_catalogues
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_registry_fieldwork"
down_revision = "0001_catalogues"
branch_labels = None
depends_on = None


def _syncable_columns() -> list[sa.Column[object]]:
    """Identity, stamps, version and tombstone of every row that travels between devices."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column(
            "document_type",
            sa.Enum(
                "dni",
                "carne_extranjeria",
                "pasaporte",
                "otro",
                name="documenttype",
                native_enum=False,
                length=25,
            ),
            nullable=False,
        ),
        sa.Column("document_number", sa.String(length=20), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column(
            "sex", sa.Enum("F", "M", "X", name="sex", native_enum=False, length=9), nullable=False
        ),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("alias_of", sa.Uuid(), nullable=True),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["alias_of"], ["person.id"], name=op.f("fk_person_alias_of_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_document_number"), ["document_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_person_full_name"), ["full_name"], unique=False)

    op.create_table(
        "specialist",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum("especialista", "supervisor", name="userrole", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("series_code", sa.String(length=20), nullable=False),
        *_syncable_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_specialist")),
        sa.UniqueConstraint("username", name=op.f("uq_specialist_username")),
    )

    op.create_table(
        "territory_assignment",
        sa.Column("specialist_id", sa.Uuid(), nullable=False),
        sa.Column("ubigeo_prefix", sa.String(length=6), nullable=False),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["specialist_id"],
            ["specialist.id"],
            name=op.f("fk_territory_assignment_specialist_id_specialist"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_territory_assignment")),
        sa.UniqueConstraint(
            "specialist_id",
            "ubigeo_prefix",
            name=op.f("uq_territory_assignment_specialist_id_ubigeo_prefix"),
        ),
    )
    with op.batch_alter_table("territory_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_territory_assignment_specialist_id"), ["specialist_id"], unique=False
        )

    op.create_table(
        "instancia",
        sa.Column(
            "level",
            sa.Enum("IRC", "IPC", "IDC", name="instancialevel", native_enum=False, length=11),
            nullable=False,
        ),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("chair_name", sa.String(length=200), nullable=False),
        sa.Column("chair_post", sa.String(length=200), nullable=False),
        sa.Column("secretariat_unit", sa.String(length=200), nullable=False),
        sa.Column("secretariat_person", sa.String(length=200), nullable=False),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["unit_code"],
            ["government_unit.code"],
            name=op.f("fk_instancia_unit_code_government_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instancia")),
        sa.UniqueConstraint("unit_code", name=op.f("uq_instancia_unit_code")),
    )
    with op.batch_alter_table("instancia", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instancia_level"), ["level"], unique=False)

    op.create_table(
        "member",
        sa.Column("instancia_id", sa.Uuid(), nullable=False),
        sa.Column("entity_type_code", sa.String(length=60), nullable=False),
        sa.Column("entity_name", sa.String(length=200), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column(
            "seat",
            sa.Enum("titular", "alterno", name="seatkind", native_enum=False, length=15),
            nullable=False,
        ),
        sa.Column("since", sa.Date(), nullable=True),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["instancia_id"], ["instancia.id"], name=op.f("fk_member_instancia_id_instancia")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_instancia_id"), ["instancia_id"], unique=False)

    op.create_table(
        "norm",
        sa.Column("instancia_id", sa.Uuid(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "creacion",
                "modificacion",
                "derogacion",
                "reglamento",
                name="normrole",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "norm_type",
            sa.Enum(
                "ordenanza_regional",
                "ordenanza_municipal",
                "decreto_alcaldia",
                "resolucion",
                "otro",
                name="normtype",
                native_enum=False,
                length=27,
            ),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issuing_body", sa.String(length=200), nullable=False),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["instancia_id"], ["instancia.id"], name=op.f("fk_norm_instancia_id_instancia")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_norm")),
    )
    with op.batch_alter_table("norm", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_norm_instancia_id"), ["instancia_id"], unique=False)

    op.create_table(
        "visit",
        sa.Column("instancia_id", sa.Uuid(), nullable=False),
        sa.Column("acta_number", sa.String(length=80), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("place_ubigeo", sa.String(length=6), nullable=False),
        sa.Column(
            "modality",
            sa.Enum("presencial", "virtual", name="modality", native_enum=False, length=18),
            nullable=False,
        ),
        sa.Column(
            "at_type",
            sa.Enum(
                "creacion",
                "instalacion",
                "funcionamiento",
                "seguimiento",
                "reactivacion",
                name="attype",
                native_enum=False,
                length=22,
            ),
            nullable=False,
        ),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("development", sa.Text(), nullable=False),
        sa.Column("instruments", sa.Text(), nullable=False),
        sa.Column("diagnosis", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("borrador", "finalizada", name="visitstatus", native_enum=False, length=18),
            nullable=False,
        ),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("addendum_of", sa.Uuid(), nullable=True),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["addendum_of"], ["visit.id"], name=op.f("fk_visit_addendum_of_visit")
        ),
        sa.ForeignKeyConstraint(
            ["instancia_id"], ["instancia.id"], name=op.f("fk_visit_instancia_id_instancia")
        ),
        sa.ForeignKeyConstraint(
            ["place_ubigeo"], ["territory.code"], name=op.f("fk_visit_place_ubigeo_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
        sa.UniqueConstraint("acta_number", name=op.f("uq_visit_acta_number")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_instancia_id"), ["instancia_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_visit_date"), ["visit_date"], unique=False)

    op.create_table(
        "agreement",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("responsible_entity", sa.String(length=200), nullable=False),
        sa.Column("responsible_person", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("verification_means", sa.Text(), nullable=False),
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
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_agreement_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("visit_id", "number", name=op.f("uq_agreement_visit_id_number")),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_deadline"), ["deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "acta_firmada",
                "lista_asistencia",
                "foto",
                "documento",
                name="attachmentkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_attachment_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "checklist_response",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("item_code", sa.String(length=60), nullable=False),
        sa.Column(
            "answer",
            sa.Enum(
                "si", "parcial", "no", "no_aplica", name="answer", native_enum=False, length=17
            ),
            nullable=False,
        ),
        sa.Column("evidence_type", sa.String(length=100), nullable=False),
        sa.Column("evidence_number", sa.String(length=100), nullable=False),
        sa.Column("evidence_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_checklist_response_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_response")),
        sa.UniqueConstraint(
            "visit_id", "item_code", name=op.f("uq_checklist_response_visit_id_item_code")
        ),
    )
    with op.batch_alter_table("checklist_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_response_visit_id"), ["visit_id"], unique=False
        )

    op.create_table(
        "participant",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=200), nullable=False),
        sa.Column("post", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "presidencia",
                "secretaria_tecnica",
                "integrante",
                "invitado",
                "mimp",
                name="participantrole",
                native_enum=False,
                length=26,
            ),
            nullable=False,
        ),
        sa.Column("consent", sa.Boolean(), nullable=False),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_participant_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_participant_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "stage_event",
        sa.Column("instancia_id", sa.Uuid(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "no_creada",
                "creada",
                "instalada",
                "en_funcionamiento",
                "inactiva",
                "reactivada",
                name="stage",
                native_enum=False,
                length=25,
            ),
            nullable=False,
        ),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("evidence", sa.String(length=200), nullable=False),
        sa.Column("norm_id", sa.Uuid(), nullable=True),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        *_syncable_columns(),
        sa.ForeignKeyConstraint(
            ["instancia_id"], ["instancia.id"], name=op.f("fk_stage_event_instancia_id_instancia")
        ),
        sa.ForeignKeyConstraint(["norm_id"], ["norm.id"], name=op.f("fk_stage_event_norm_id_norm")),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_stage_event_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_event")),
    )
    with op.batch_alter_table("stage_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stage_event_instancia_id"), ["instancia_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("stage_event")
    op.drop_table("participant")
    op.drop_table("checklist_response")
    op.drop_table("attachment")
    op.drop_table("agreement")
    op.drop_table("visit")
    op.drop_table("norm")
    op.drop_table("member")
    op.drop_table("instancia")
    op.drop_table("territory_assignment")
    op.drop_table("specialist")
    op.drop_table("person")
