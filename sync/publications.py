"""Receiving what the ministry published (form definitions): every document once, in order."""

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from sync.protocol import PublishedDocument, PublishedPage, PublishedRequest


@runtime_checkable
class PublicationSource(Protocol):
    """A transport that lists published documents."""

    def published(self, request: PublishedRequest) -> PublishedPage:
        """Documents published after a cursor."""
        ...


def receive(
    source: PublicationSource,
    cursor: int,
    deliver: Callable[[Sequence[PublishedDocument]], None],
) -> int:
    """Hand every document after ``cursor`` to ``deliver``, page by page; the new cursor."""
    while True:
        page = source.published(PublishedRequest(cursor=cursor))
        if page.documents:
            deliver(page.documents)
        cursor = page.next_cursor
        if not page.has_more:
            return cursor
