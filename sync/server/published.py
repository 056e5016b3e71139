"""Documents the ministry publishes for every laptop: form definitions, immutable once out.

A document is named by its kind and key («ficha», «funcionamiento_idc@2»); publishing the same
key again with the same content changes nothing, and with another content is refused: a
published version never changes. Laptops read them in publishing order, from a cursor.
"""

import datetime as dt
import hashlib

from sqlalchemy import BigInteger, literal, select
from sqlalchemy.orm import Session

from sync.protocol import PublishedDocument, PublishedPage, PublishedRequest
from sync.server.store import Published


class PublishError(ValueError):
    """A publication refused; the message (Spanish) says what to do."""


def publish(
    session: Session, kind: str, key: str, content: str, *, by: str, now: dt.datetime
) -> tuple[Published, bool]:
    """Publish a document; answers it and whether it is new (False: already published)."""
    sha256 = hashlib.sha256(content.encode("utf-8")).hexdigest()
    found = session.scalar(select(Published).where(Published.kind == kind, Published.key == key))
    if found is not None:
        if found.sha256 != sha256:
            raise PublishError(
                f"«{key}» ya está publicado con otro contenido: una versión publicada no "
                "cambia. Publique los cambios como una versión nueva."
            )
        return found, False
    row = Published(
        kind=kind, key=key, sha256=sha256, content=content, published_by=by, published_at=now
    )
    session.add(row)
    session.flush()
    return row, True


def page(session: Session, request: PublishedRequest) -> PublishedPage:
    """Documents published after the cursor, oldest first."""
    rows = list(
        session.scalars(
            select(Published)
            # as a 64-bit number: a cursor beyond the 32-bit column is "after everything"
            .where(Published.seq > literal(request.cursor, BigInteger))
            .order_by(Published.seq)
            .limit(request.limit + 1)
        )
    )
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    return PublishedPage(
        documents=tuple(
            PublishedDocument(kind=r.kind, key=r.key, sha256=r.sha256, content=r.content, seq=r.seq)
            for r in rows
        ),
        next_cursor=rows[-1].seq if rows else request.cursor,
        has_more=more,
    )
