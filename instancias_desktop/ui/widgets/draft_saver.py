"""Continuous saving of a draft: each field is saved shortly after it changes, one save at a time.

A crash or a power cut loses at most the last moment of typing in one field. A value the
service rejects is reported for its field and not stored; the other fields of the batch are.
A save refused as a whole (the acta was finalized meanwhile) is reported and dropped: it could
never succeed, so nothing may wait for it.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from instancias_desktop.domain.finalization import FinalizedVisitError
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.ui.ops import Operations

SaveChanges = Callable[[Mapping[str, object]], Any]
DELAY_MS = 700  # after the last keystroke: typing is not interrupted, little can be lost


class DraftSaver(QObject):
    """Collects field changes and saves them through the background-operation helper."""

    saved = Signal(object)  # whatever the save returned
    rejected = Signal(object)  # ValidationError: messages per field, those fields not stored
    dropped = Signal(object)  # FinalizedVisitError: what was pending is not stored, ever
    failed = Signal(object)  # any other error (the pending changes are kept to retry)
    pending_changed = Signal(bool)  # whether something typed is not yet stored

    def __init__(self, ops: Operations, save: SaveChanges, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._save = save
        self._pending: dict[str, object] = {}
        self._in_flight: dict[str, object] | None = None
        self._when_idle: list[Callable[[], None]] = []
        self.last_saved: dt.datetime | None = None
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def change(self, field: str, value: object) -> None:
        """A field changed: save it soon (typing restarts the wait)."""
        self._pending[field] = value
        self._timer.start()
        self.pending_changed.emit(True)

    def discard(self, field: str) -> None:
        """Forget an unsaved change (the field holds input that cannot be saved as it is)."""
        self._pending.pop(field, None)
        self.pending_changed.emit(self.has_pending())

    def when_idle(self, action: Callable[[], None]) -> None:
        """Run ``action`` once everything typed so far is stored (at once if it is)."""
        self.flush()
        if self.has_pending():
            self._when_idle.append(action)
        else:
            action()

    def has_pending(self) -> bool:
        """Whether some change is not yet stored."""
        return bool(self._pending) or self._in_flight is not None

    def flush(self) -> None:
        """Save what is pending now (Ctrl+S, leaving a field, closing the editor)."""
        self._timer.stop()
        if self._in_flight is not None or not self._pending:
            return
        batch, self._pending = self._pending, {}
        self._in_flight = batch
        self._ops.run(lambda: self._save(batch), self._done, self._error, owner=self)

    def _done(self, result: object) -> None:
        self._in_flight = None
        self.last_saved = dt.datetime.now().astimezone()
        self.saved.emit(result)
        self._continue()

    def _error(self, error: Exception) -> None:
        batch, self._in_flight = self._in_flight or {}, None
        if isinstance(error, ValidationError):
            bad = {e.field for e in error.errors}
            self.rejected.emit(error)
            rest = {k: v for k, v in batch.items() if k not in bad}
            if rest and bad & set(batch):  # save the good fields of the batch on their own
                self._pending = {**rest, **self._pending}
        elif isinstance(error, FinalizedVisitError):
            self._timer.stop()
            self._pending = {}  # every later save of this draft would be refused alike
            self.dropped.emit(error)
        else:
            self._pending = {**batch, **self._pending}
            self._when_idle.clear()  # what waited for this save is not done; the user retries
            self.failed.emit(error)
            self.pending_changed.emit(True)
            return
        self._continue()

    def _continue(self) -> None:
        if self._pending:
            self.flush()
        else:
            self.pending_changed.emit(False)
            waiting, self._when_idle = self._when_idle, []
            for action in waiting:
                action()
