"""An index on a visit's addendum_of: opening an acta lists its addenda without a scan.

The editor asks every acta for its addenda; without the index SQLite read every visit (7 ms
at 20,000 visits, 29 ms once the pages are decrypted as well).

Revision ID: 0014_addenda_index
Revises: 0013_signed_copy
"""

from alembic import op

revision = "0014_addenda_index"
down_revision = "0013_signed_copy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_visit_addendum_of", "visit", ["addendum_of"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_visit_addendum_of", table_name="visit", if_exists=True)
