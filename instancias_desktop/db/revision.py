"""The schema revision this version of the app works on (no SQLAlchemy or Alembic import)."""

# The newest migration in migrations/versions; a test keeps it equal to Alembic's head,
# so a start-up on a current database never has to import Alembic.
HEAD_REVISION = "0016_instancia_record"
