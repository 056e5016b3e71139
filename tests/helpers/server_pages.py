"""Records and change pages as the central server sends them to a laptop."""

import datetime as dt
import uuid
from typing import Any

from helpers.app import FIXED, WANCHAQ
from sync.protocol import ChangePage, RecordState

LATER = FIXED + dt.timedelta(hours=2)


def record(kind: str, record_id: uuid.UUID, fields: dict[str, Any], seq: int, version: int = 1,
           deleted: bool = False) -> RecordState:  # fmt: skip
    return RecordState(
        kind=kind, record_id=record_id, version=version, fields=fields, deleted=deleted,
        scope=WANCHAQ, owner="beto", updated_by="carla", seq=seq,
    )  # fmt: skip


def page(*records: RecordState, cursor: int) -> ChangePage:
    return ChangePage(records=records, next_cursor=cursor, has_more=False)
