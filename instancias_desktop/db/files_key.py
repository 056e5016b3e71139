"""The key of the profile's annex files: random, kept inside the encrypted database.

Whoever opens the database (with the profile's key) can read the annexes; the files alone, a
copy of the folder without the database's key, reveal nothing.
"""

import os

from instancias_desktop.db.uow import Database

FILES_KEY = "anexos.clave"


def files_key(database: Database) -> bytes:
    """The profile's annex key, made the first time it is needed."""
    with database.reader() as uow:
        kept = uow.sync.value(FILES_KEY)
    if kept:
        return bytes.fromhex(kept)
    with database.unit_of_work(record=False) as uow:
        kept = uow.sync.value(FILES_KEY)  # another window may have made it meanwhile
        if not kept:
            kept = os.urandom(32).hex()
            uow.sync.set_value(FILES_KEY, kept)
            uow.commit()
    return bytes.fromhex(kept)
