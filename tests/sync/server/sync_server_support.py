"""Helpers shared by the server tests: operations, users, pushes, a live uvicorn server."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from sync.protocol import (
    Action,
    ChangePage,
    Operation,
    PullRequest,
    PushRequest,
    Receipt,
    RecordState,
)
from sync.server import auth, service
from sync.server.access import Caller, assign_territories, load_caller
from sync.server.store import Base

T0 = dt.datetime(2025, 3, 1, 15, 0, tzinfo=dt.UTC)
PASSWORD = "clave-segura-1"


@dataclass
class ServerDb:
    """A migrated, empty server database."""

    engine: Engine
    factory: sessionmaker[Session]
    url: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def add_user(
        self, name: str, role: str = "especialista", territories: Iterable[str] = ()
    ) -> Caller:
        with self.factory.begin() as session:
            auth.create_user(session, name, role, PASSWORD, T0)
            assign_territories(session, name, territories)
            return load_caller(session, name)

    def push(
        self, caller: Caller, *operations: Operation, now: dt.datetime = T0
    ) -> tuple[Receipt, ...]:
        with self.factory.begin() as session:
            return service.push(session, caller, PushRequest(operations=operations), now).receipts

    def pull(
        self, caller: Caller, cursor: int = 0, limit: int = 1000, kinds: tuple[str, ...] = ()
    ) -> ChangePage:
        with self.factory.begin() as session:
            return service.pull(
                session, caller, PullRequest(cursor=cursor, limit=limit, kinds=kinds)
            )

    def state(self, caller: Caller, record_id: uuid.UUID) -> RecordState | None:
        found = [r for r in self.pull(caller).records if r.record_id == record_id]
        return found[0] if found else None

    def count(self, model: type[Base]) -> int:
        with self.factory.begin() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)


def op(
    kind: str = "instancia",
    record_id: uuid.UUID | None = None,
    action: Action | str = Action.CREATE,
    *,
    fields: dict[str, Any] | None = None,
    base: int | None = None,
    scope: str = "150101",
    parent: uuid.UUID | None = None,
    made_at: dt.datetime = T0,
    op_id: uuid.UUID | None = None,
) -> Operation:
    return Operation(
        op_id=op_id or uuid.uuid4(),
        kind=kind,
        record_id=record_id or uuid.uuid4(),
        action=Action(action),
        base_version=base,
        fields=fields or {},
        scope=scope,
        parent_id=parent,
        made_at=made_at,
    )
