"""Summary tables the dashboard keeps beside the sync server's records, caught up by ``seq``.

A visit's record carries its whole acta (tens of kilobytes of JSON); counting 20,000 of them by
month, type and specialist, reading each acta's functioning score, or ranking 50,000 agreements
and follow-ups would parse all of that on every request. So the dashboard keeps narrow rows
(``central.summary_tables``), read from the records the way a laptop pulls: every change
raises ``seq``, and ``seq`` order is commit order, so applying what lies past the last ``seq``
applied keeps the tables exact, whoever wrote (a push, a conflict, an administrator's
withdrawal). The sync server knows nothing of it.

The tables are derived data: created on first use, and dropped and rebuilt from the records
when ``SCHEMA`` changes. Catching up happens before a page reads them, under a lock (SQLite's
write lock; a PostgreSQL advisory lock), in chunks that each commit.
"""

from sqlalchemy import delete, func, insert, inspect, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from central.summary_tables import DERIVED, KINDS, SCHEMA, apply_changes, metadata, state
from sync.server.db import begin_writing
from sync.server.store import Record

CHUNK = 2_000  # records applied per transaction while catching up
LOCK_KEY = 0x1A57_5EA0  # PostgreSQL: one catcher-up at a time (the sync server's keys differ)
NAME = "records"


class Summaries:
    """The dashboard's summary tables over one server database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._ready = False  # the tables were seen to exist, of this schema

    def refresh(self) -> None:
        """Apply every change the records got since the last refresh (build on first use)."""
        with self._sessions.begin() as session:
            if self._current(session):
                return
        while True:
            with self._sessions.begin() as session:
                self._lock(session)
                newest = session.scalar(select(func.max(Record.seq))) or 0
                last = self._prepared(session, newest)
                if last >= newest:
                    return
                # By ``seq`` alone: SQLite would read the kinds through their index, then sort.
                rows = session.execute(
                    select(Record.kind, Record.record_id, Record.fields, Record.deleted,
                           Record.scope, Record.owner, Record.parent_id, Record.seq)
                    .where(Record.seq > last, Record.seq <= newest)
                    .order_by(Record.seq).limit(CHUNK)
                ).all()  # fmt: skip
                apply_changes(session, [r for r in rows if r.kind in KINDS])
                reached = rows[-1].seq if len(rows) == CHUNK else newest
                session.execute(update(state).where(state.c.name == NAME)
                                .values(last_seq=reached))  # fmt: skip

    def _current(self, session: Session) -> bool:
        """Whether the tables exist, are of this schema and hold every change (no lock)."""
        if not self._ready:
            if not inspect(session.connection()).has_table(state.name):
                return False
            self._ready = True  # tables do not vanish while the server runs
        found = session.execute(
            select(state.c.schema, state.c.last_seq).where(state.c.name == NAME)
        ).first()
        newest = session.scalar(select(func.max(Record.seq))) or 0
        return found is not None and found.schema == SCHEMA and found.last_seq == newest

    def _lock(self, session: Session) -> None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        else:
            begin_writing(session)

    def _prepared(self, session: Session, newest: int) -> int:
        """The last ``seq`` applied, creating (or rebuilding) the tables when needed.

        Rebuilt when their layout changed, and when they are ahead of the records (the records
        were restored from an older copy): what they hold cannot be trusted then.
        """
        connection = session.connection()
        metadata.create_all(connection, checkfirst=True)
        found = session.execute(
            select(state.c.schema, state.c.last_seq).where(state.c.name == NAME)
        ).first()
        self._ready = True
        if found is not None and found.schema == SCHEMA and found.last_seq <= newest:
            return int(found.last_seq)
        for table in DERIVED:  # another layout: rebuilt from the records
            table.drop(connection, checkfirst=True)
            table.create(connection)
        session.execute(delete(state).where(state.c.name == NAME))
        session.execute(insert(state).values(name=NAME, schema=SCHEMA, last_seq=0))
        return 0
