"""Visit editing: acta number parts and counter, person search key, agreement numbers among live.

Revision ID: 0003_visit_editing
Revises: 0002_registry_fieldwork
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003_visit_editing"
down_revision = "0002_registry_fieldwork"
branch_labels = None
depends_on = None


def _search_key(full_name: str, document_number: str) -> str:
    """Frozen copy of domain.people.search_key as of this revision (migrations never change)."""
    number = re.sub(r"[\s.\-]", "", document_number).upper()
    text = f"{full_name} {number}"
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def upgrade() -> None:
    op.create_table(
        "acta_counter",
        sa.Column("series", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", "year", name=op.f("pk_acta_counter")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("acta_series", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("acta_year", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("acta_sequence", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_index("ix_visit_acta_series_year", ["acta_series", "acta_year"])
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_key", sa.String(length=240), nullable=False, server_default="")
        )
    person = sa.table(
        "person",
        sa.column("id", sa.Uuid()),
        sa.column("full_name", sa.String()),
        sa.column("document_number", sa.String()),
        sa.column("search_key", sa.String()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(person.c.id, person.c.full_name, person.c.document_number))
    keys = [{"pid": id_, "key": _search_key(name, number)} for id_, name, number in rows]
    if keys:
        connection.execute(
            person.update()
            .where(person.c.id == sa.bindparam("pid"))
            .values(search_key=sa.bindparam("key")),
            keys,
        )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_constraint("uq_agreement_visit_id_number", type_="unique")
        batch_op.create_index(
            "uq_agreement_live_number",
            ["visit_id", "number"],
            unique=True,
            sqlite_where=sa.text("deleted = 0"),
        )


def downgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index("uq_agreement_live_number")
        batch_op.create_unique_constraint("uq_agreement_visit_id_number", ["visit_id", "number"])
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("search_key")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_acta_series_year")
        batch_op.drop_column("acta_sequence")
        batch_op.drop_column("acta_year")
        batch_op.drop_column("acta_series")
    op.drop_table("acta_counter")
