"""An index that gives the registry each instancia's visit count and latest visit by itself.

The registry's «Visitas» and «Última visita» columns group the live visits by instancia; with
the index covering the three columns, SQLite answers without reading the visits (25 ms → 4 ms
at 20,000 visits, on every reload of the registry and at start-up).

Revision ID: 0012_registry_figures
Revises: 0011_synced_plan
"""

from alembic import op

revision = "0012_registry_figures"
down_revision = "0011_synced_plan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_visit_registry_figures",
        "visit",
        ["instancia_id", "deleted", "visit_date"],
        if_not_exists=True,  # a profile rebuilt by hand from a newer copy may hold it already
    )


def downgrade() -> None:
    op.drop_index("ix_visit_registry_figures", table_name="visit", if_exists=True)
