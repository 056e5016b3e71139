"""Annexes sent after the records that name them: each file once, in pieces, resumable.

The files the server holds whole are remembered (``attachments.uploaded``); the others are sent
at every sync until the server has them. A file the server refuses (damaged on the way) is
journaled and sent again next time; it never stops the others.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from instancias_desktop.db.files_key import files_key
from instancias_desktop.db.repositories.sync_records import UPLOADED_FILES
from instancias_desktop.db.uow import Database
from instancias_desktop.vault.annex_store import AnnexStore, SealedSink, attachment_file
from instancias_desktop.vault.sealed_files import DamagedFileError
from sync.downloads import Downloader, download
from sync.errors import Refused
from sync.uploads import Uploader, upload

UPLOADED = UPLOADED_FILES


@dataclass(frozen=True)
class FilesSent:
    """What the attachment step of a sync did."""

    files: int  # now held whole by the server
    pieces: int  # pieces sent
    refused: tuple[str, ...]  # the server's reasons, one per file it refused
    waiting: int  # files still not held by the server


NO_FILES = FilesSent(files=0, pieces=0, refused=(), waiting=0)


def waiting_files(database: Database, store: Path) -> list[tuple[str, int]]:
    """(sha256, size) of the annexes this laptop holds that the server does not hold yet.

    Annexes pulled from other laptops come without their file: theirs to send, not ours.
    """
    with database.reader() as uow:
        done = set(json.loads(uow.sync.value(UPLOADED) or "[]"))
        listed = uow.sync.attachment_files()
    return [
        (sha, size)
        for sha, size in listed
        if sha not in done and attachment_file(store, sha).is_file()
    ]


def send_files(
    database: Database,
    store: Path,
    link: Uploader,
    on_piece: Callable[[int, int], None],
) -> FilesSent:
    """Send every waiting annex; a ``SyncError`` other than a refusal stops the step."""
    files = pieces = 0
    refused: list[str] = []
    waiting = waiting_files(database, store)
    sealed = AnnexStore(store, files_key(database))
    for sha256, size in waiting:

        def read(offset: int, length: int, sha256: str = sha256) -> bytes:
            return sealed.piece(sha256, offset, length)  # decrypted piece by piece

        try:
            sent = upload(link, sha256, size, read, on_piece=on_piece)
        except Refused as error:
            refused.append(f"{sha256[:12]}…: {error}")
            continue
        except OSError as error:  # the file went from the store meanwhile: nothing to send
            refused.append(f"{sha256[:12]}…: {error.strerror or error}")
            continue
        except DamagedFileError:  # altered on this disk: the server must not get it
            refused.append(f"{sha256[:12]}…: el anexo guardado está dañado y no se envió")
            continue
        pieces += sent.pieces_sent
        if sent.complete:
            files += 1
            _remember(database, sha256)
    return FilesSent(files, pieces, tuple(refused), len(waiting_files(database, store)))


def missing_files(database: Database, store: Path) -> list[str]:
    """Contents of live annexes (received from other laptops) that are not in the store."""
    with database.reader() as uow:
        listed = uow.sync.attachment_files()
    return [sha for sha, _size in listed if not attachment_file(store, sha).is_file()]


def fetch_files(
    database: Database, store: Path, link: Downloader, on_piece: Callable[[int, int], None]
) -> tuple[int, tuple[str, ...]]:
    """Bring the annexes other laptops sent; (how many arrived, why some did not)."""
    arrived = 0
    problems: list[str] = []
    sealed = AnnexStore(store, files_key(database))
    for sha256 in missing_files(database, store):
        try:
            if download(link, sha256, SealedSink(sealed, sha256), on_piece):  # sealed as it comes
                arrived += 1
                _remember(database, sha256)  # the server holds it whole: nothing to send
        except Refused as error:
            problems.append(f"{sha256[:12]}…: {error}")
        except ValueError as error:
            problems.append(str(error))
    return arrived, tuple(problems)


def _remember(database: Database, sha256: str) -> None:
    with database.unit_of_work(record=False) as uow:
        done = json.loads(uow.sync.value(UPLOADED) or "[]")
        uow.sync.set_value(UPLOADED, json.dumps(sorted({*done, sha256})))
        uow.commit()
