"""The central sync server: FastAPI over SQLAlchemy (PostgreSQL or SQLite), own migrations."""
