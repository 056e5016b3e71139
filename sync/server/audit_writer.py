"""Audit entries of reads and refusals, written off the request in batches by one thread.

A pull is a read: on SQLite, writing its audit entry in the request would make every pull
wait for the one write lock behind the pushes (measured: the median request of 50 devices
syncing at once went from 0.91 to 1.11 s), and an fsync per page. The request hands its
entry to this writer and answers; the writer gathers what arrives within ``GATHER`` seconds
into one transaction. What a push writes stays in the push's own transaction.

A crash of the server process can lose what was handed over in the last moments (at most a
batch); a stop through the application's lifespan (``close``) writes everything first.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from sync.server.db import begin_writing
from sync.server.store import AuditEntry

log = logging.getLogger(__name__)

GATHER = 0.05  # seconds a batch waits for more entries once the first arrived
MAX_QUEUED = 100_000  # entries held at most while the database does not take them
RETRY_AFTER = 1.0  # seconds before trying a refused batch again
ATTEMPTS = 5  # tries of one batch before it is given up (logged)


class BatchWriter:
    """One daemon thread that writes handed-over rows, a batch per transaction."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        before_commit: Callable[[Session], None] = lambda _session: None,
    ) -> None:
        self._sessions = sessions
        self._before_commit = before_commit  # e.g. pruning what is past its retention
        self._queue: list[dict[str, Any]] = []  # the columns of each row
        self._writing = 0
        self._dropped = 0
        self._closed = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def put(self, row: dict[str, Any]) -> None:
        """Hand one row over; never blocks on the database."""
        with self._changed:
            if len(self._queue) >= MAX_QUEUED:
                self._dropped += 1
                if self._dropped % 1000 == 1:
                    log.error("audit queue full: %d entries dropped so far", self._dropped)
                return
            self._queue.append(row)
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, name="audit", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every row handed over is written (or given up); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._queue and not self._writing, timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Write what is pending, then stop the thread."""
        self.flush(timeout)
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._queue or self._closed)
                if not self._queue:
                    return  # closed, and nothing left
            time.sleep(GATHER)  # let a burst of requests share one transaction
            with self._changed:
                batch, self._queue = self._queue, []
                self._writing = len(batch)
            try:
                self._write(batch)
            finally:
                with self._changed:
                    self._writing = 0
                    self._changed.notify_all()

    def _write(self, batch: list[dict[str, Any]]) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._sessions.begin() as session:
                    begin_writing(session)
                    session.execute(insert(AuditEntry), batch)  # one statement, many rows
                    self._before_commit(session)
                return
            except SQLAlchemyError as error:
                log.warning(
                    "audit batch of %d not written (attempt %d): %s",
                    len(batch), attempt, error.__class__.__name__,
                )  # fmt: skip
                time.sleep(RETRY_AFTER)
        log.error("audit batch of %d entries given up", len(batch))
