"""Putting back the server's version of records whose local change the server refused.

A refused change must never stay on the laptop looking valid: after a push, the laptop asks the
server for the current state of each refused record (those it may read) and shows that, the
changes still waiting staying on top. A record the server does not hold (a refused create)
keeps what was typed, listed as refused.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, runtime_checkable

from sync.errors import require_protocol
from sync.protocol import MAX_PAGE, FetchRequest, RecordKey, RecordList, RecordState


@runtime_checkable
class RecordSource(Protocol):
    """A transport that gives the current state of records by key."""

    def fetch(self, request: FetchRequest) -> RecordList:
        """The records asked for that the caller may read."""
        ...


def fetch_states(source: RecordSource, keys: Iterable[RecordKey]) -> list[RecordState]:
    """The server's state of these records, asked in pages of at most ``MAX_PAGE`` keys."""
    wanted = list(dict.fromkeys(keys))
    found: list[RecordState] = []
    for start in range(0, len(wanted), MAX_PAGE):
        answer = source.fetch(FetchRequest(keys=tuple(wanted[start : start + MAX_PAGE])))
        require_protocol(answer.protocol)
        found.extend(answer.records)
    return found


def restore_refused(
    source: RecordSource,
    refused: Iterable[RecordKey],
    restore: Callable[[Sequence[RecordState]], None],
) -> int:
    """Fetch the refused records and hand them to ``restore``; how many came back.

    ``restore`` is called even when none came back (a refused create, a record she can no
    longer read): the records asked for were dealt with.
    """
    states = fetch_states(source, refused)
    restore(states)
    return len(states)
