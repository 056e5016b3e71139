"""SQLCipher's driver and the keying of a connection: no SQLAlchemy, for the start-up preview."""

from typing import Any


def cipher_module() -> Any:
    """SQLCipher's DB-API module (the sqlite3 interface), imported when first needed."""
    from sqlcipher3 import dbapi2  # noqa: PLC0415

    return dbapi2


def apply_key(dbapi_connection: Any, key: bytes) -> None:
    """Key a fresh SQLCipher connection: a raw key, so no derivation at every connection."""
    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message
    dbapi_connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
