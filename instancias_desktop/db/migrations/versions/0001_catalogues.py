"""Catalogue tables: territory (INEI ubigeo), government units, member-entity types.

Revision ID: 0001_catalogues
Revises: (none)
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_catalogues"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_version",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_catalogue_version")),
    )

    op.create_table(
        "member_entity_type",
        sa.Column(
            "level",
            sa.Enum("IRC", "IPC", "IDC", name="instancialevel", native_enum=False, length=11),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column(
            "cardinality",
            sa.Enum("exactly", "up_to", "if_any", name="cardinality", native_enum=False, length=15),
            nullable=False,
        ),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("assumption", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("level", "code", name=op.f("pk_member_entity_type")),
    )

    op.create_table(
        "territory",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "department",
                "province",
                "district",
                name="ubigeolevel",
                native_enum=False,
                length=18,
            ),
            nullable=False,
        ),
        sa.Column("parent_code", sa.String(length=6), nullable=True),
        sa.Column("vigente", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["territory.code"], name=op.f("fk_territory_parent_code_territory")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_territory")),
    )
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_territory_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "government_unit",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "regional", "provincial", "district", name="unitkind", native_enum=False, length=18
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("ubigeo", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["ubigeo"], ["territory.code"], name=op.f("fk_government_unit_ubigeo_territory")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_government_unit")),
    )
    with op.batch_alter_table("government_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_government_unit_ubigeo"), ["ubigeo"], unique=False)


def downgrade() -> None:
    op.drop_table("government_unit")
    op.drop_table("territory")
    op.drop_table("member_entity_type")
    op.drop_table("catalogue_version")
