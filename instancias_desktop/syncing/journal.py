"""The sync journal: what each sync sent and received, and every error with its reason.

One JSON object per line in the profile's logs folder, appended and flushed as it happens, so
a crash keeps every line written before it. The specialist reads it on the «Sincronización»
page and exports it for support.
"""

import datetime as dt
import json
import os
from pathlib import Path

from instancias_desktop.atomic_files import write_atomically
from instancias_desktop.domain.sync_views import JournalEntry

JOURNAL_FILE = "sincronizacion.jsonl"


class SyncJournal:
    """Appends entries to one file and reads back the newest ones."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, event: str, message: str, at: dt.datetime) -> JournalEntry:
        """Append one entry (synced to disk before returning)."""
        entry = JournalEntry(at=at, event=event, message=message)
        line = json.dumps(
            {"at": at.isoformat(), "event": event, "message": message}, ensure_ascii=False
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as handle:
            size = handle.seek(0, os.SEEK_END)
            cut = size > 0 and handle.seek(size - 1) >= 0 and handle.read(1) != b"\n"
            # A line a crash cut short stays alone on its line; this one starts a new one.
            handle.write((b"\n" if cut else b"") + line.encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        return entry

    def entries(self, limit: int = 500) -> tuple[JournalEntry, ...]:
        """The newest ``limit`` entries, newest first (a damaged line is skipped)."""
        if not self.path.exists():
            return ()
        lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        found: list[JournalEntry] = []
        for line in reversed(lines):
            try:
                data = json.loads(line)
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
