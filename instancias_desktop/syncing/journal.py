"""The sync journal: what each sync sent and received, and every error with its reason.

One entry per line in the profile's logs folder, appended and flushed as it happens, so a
crash keeps every line written before it. The specialist reads it on the «Sincronización»
page and exports it for support. Its lines name records as she knows them («Participante
María … del acta …»), so each line is sealed (``vault.sealed_lines``) with a key kept inside
the encrypted database: the file alone reveals nothing. A journal written in plain by an
earlier version is sealed when the profile opens (``seal_plain_lines``).
"""

import datetime as dt
import json
import os
from pathlib import Path

from instancias_desktop.atomic_files import shred, write_atomically
from instancias_desktop.db.files_key import files_key
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.sync_views import JournalEntry
from instancias_desktop.vault.sealed_lines import PREFIX, lines_key, open_line, seal_line

JOURNAL_FILE = "sincronizacion.jsonl"
PURPOSE = b"diario de sincronizacion"
_PLAIN_SIDE = ".sin-cifrar"  # the plain journal, until its sealed copy took its name


class SyncJournal:
    """Appends sealed entries to one file and reads back the newest ones."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key

    @classmethod
    def of_profile(cls, database: Database, path: Path) -> "SyncJournal":
        """The journal at ``path``, sealed with a key derived from the profile's own."""
        return cls(path, lines_key(files_key(database), PURPOSE))

    def write(self, event: str, message: str, at: dt.datetime) -> JournalEntry:
        """Append one entry (synced to disk before returning)."""
        entry = JournalEntry(at=at, event=event, message=message)
        line = seal_line(self._key, _encoded(entry), PURPOSE)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as handle:
            size = handle.seek(0, os.SEEK_END)
            cut = size > 0 and handle.seek(size - 1) >= 0 and handle.read(1) != b"\n"
            # A line a crash cut short stays alone on its line; this one starts a new one.
            handle.write((b"\n" if cut else b"") + line + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        return entry

    def seal_plain_lines(self) -> int:
        """Seal the lines an earlier version wrote in plain; answer how many.

        The sealed copy is written whole beside the journal, the plain file steps aside, the
        copy takes its name, and the plain file is overwritten and removed: a crash at any
        moment leaves the journal (plain or sealed) and at worst a plain side file, sealed
        again at the next opening.
        """
        side = self.path.with_name(self.path.name + _PLAIN_SIDE)
        if side.exists():
            if self.path.exists():
                shred(side)  # the sealed copy took the name before the crash
            else:
                side.replace(self.path)  # the crash came before: start again
        if not self.path.exists():
            return 0
        with self.path.open("rb") as handle:
            if handle.read(len(PREFIX)) in (PREFIX, b""):
                return 0  # sealed from its first line on (checked at every opening: cheap)
        raw = [line for line in self.path.read_bytes().splitlines() if line.strip()]
        plain = sum(1 for line in raw if not line.startswith(PREFIX))
        sealed = [
            line if line.startswith(PREFIX) else seal_line(self._key, line, PURPOSE) for line in raw
        ]
        copy = self.path.with_name(self.path.name + ".sellado")
        write_atomically(copy, b"\n".join(sealed) + b"\n")
        self.path.replace(side)
        copy.replace(self.path)
        shred(side)
        return plain

    def entries(self, limit: int = 500) -> tuple[JournalEntry, ...]:
        """The newest ``limit`` entries, newest first (a damaged line is skipped)."""
        if not self.path.exists():
            return ()
        lines = self.path.read_bytes().splitlines()
        found: list[JournalEntry] = []
        for line in reversed(lines):
            opened = open_line(self._key, line, PURPOSE)
            if opened is None:
                continue  # a line cut by a crash, or not this profile's: the others count
            try:
                data = json.loads(opened)
                found.append(
                    JournalEntry(
                        at=dt.datetime.fromisoformat(data["at"]),
                        event=str(data["event"]),
                        message=str(data["message"]),
                    )
                )
            except (ValueError, KeyError, TypeError):
                continue  # a line cut by a crash: the others still count
            if len(found) >= limit:
                break
        return tuple(found)

    def export(self, target: Path) -> Path:
        """Copy the whole journal, readable as text, to ``target`` (written whole or not at all)."""
        lines = [
            f"{entry.at.isoformat(timespec='seconds')}\t{entry.event}\t{entry.message}"
            for entry in reversed(self.entries(limit=1_000_000))
        ]
        header = "Diario de sincronización — Instancias de Concertación (MIMP)\n"
        write_atomically(target, (header + "\n".join(lines) + "\n").encode("utf-8"))
        return target


def _encoded(entry: JournalEntry) -> bytes:
    return json.dumps(
        {"at": entry.at.isoformat(), "event": entry.event, "message": entry.message},
        ensure_ascii=False,
    ).encode("utf-8")
