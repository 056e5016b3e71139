"""Open conflicts on this laptop: listed from the server's last answer, resolved here.

A resolution is kept in one local transaction with the edit it makes (if any); the server
hears of it at the next sync, before the list is fetched again. Offline, nothing waits on it.
"""

import json
import uuid
from typing import Any

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.conflict_views import (
    DELETED_FIELD,
    ConflictChoice,
    ConflictView,
    field_label,
)
from instancias_desktop.domain.validation import Collector
from instancias_desktop.i18n import _
from instancias_desktop.syncing.store import CONFLICTS, CONFLICTS_UPTO, RESOLVED
from sync.client import Transport
from sync.errors import Refused
from sync.protocol import ConflictList, ConflictRecord


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _resolved(raw: str | None) -> list[str]:
    return list(json.loads(raw)) if raw else []


def open_conflicts(database: Database) -> tuple[ConflictView, ...]:
    """The conflicts the specialist still has to look at, oldest first."""
    with database.reader() as uow:
        raw = uow.sync.value(CONFLICTS)
        done = set(_resolved(uow.sync.value(RESOLVED)))
        listed = ConflictList.model_validate_json(raw).conflicts if raw else ()
        return tuple(
            _view(uow.conflicts, record) for record in listed if str(record.conflict_id) not in done
        )


def _view(repository: Any, record: ConflictRecord) -> ConflictView:
    acta = repository.finalized_acta(record.kind, record.record_id)
    reason = ""
    if record.field == DELETED_FIELD:
        reason = _("Otra persona eliminó este registro y su cambio lo mantuvo: se conserva.")
    elif acta is not None:
        reason = _("El acta {acta} está finalizada: se conserva el valor actual.").format(acta=acta)
    return ConflictView(
        conflict_id=record.conflict_id,
        kind=record.kind,
        record_id=record.record_id,
        subject=repository.subject(record.kind, record.record_id),
        field=record.field,
        field_label=field_label(record.field, record.kind),
        base=_shown(record.base_value),
        current=_shown(record.kept_value),
        current_author=record.kept_author,
        mine=_shown(record.other_value),
        made_at=record.other_made_at,
        can_change=not reason,
        takes_text=not reason and repository.takes_text(record.kind, record.field),
        reason=reason,
        current_device=record.kept_device,
        mine_device=record.other_device,
    )


def resolve(
    database: Database, conflict_id: uuid.UUID, choice: ConflictChoice, text: str = ""
) -> None:
    """Resolve one conflict here: keep the current value, take this laptop's, or write one."""
    with database.unit_of_work() as uow:
        raw = uow.sync.value(CONFLICTS)
        listed = ConflictList.model_validate_json(raw).conflicts if raw else ()
        record = next((c for c in listed if c.conflict_id == conflict_id), None)
        if record is None:
            raise LookupError(conflict_id)
        if str(conflict_id) in _resolved(uow.sync.value(RESOLVED)):
            return  # resolved already (a second click): nothing more to do
        if choice is not ConflictChoice.KEEP_CURRENT:
            problems = Collector()
            if record.field == DELETED_FIELD:
                problems.add("choice", _("Este conflicto solo admite conservar el valor actual."))
            if choice is ConflictChoice.USE_TEXT and not text.strip():
                problems.add("text", _("Escriba el valor que debe quedar."))
            problems.raise_if_any()
            value = text.strip() if choice is ConflictChoice.USE_TEXT else record.other_value
            uow.conflicts.write_field(record.kind, record.record_id, record.field, value)
        done = [*_resolved(uow.sync.value(RESOLVED)), str(conflict_id)]
        uow.sync.set_value(RESOLVED, json.dumps(done))
        still_open = [
            c
            for c in listed
            if (c.kind, c.record_id) == (record.kind, record.record_id)
            and str(c.conflict_id) not in done
        ]
        upto = uow.sync.value(CONFLICTS_UPTO)
        if not still_open and upto:  # what met these conflicts waits on no one now
            uow.sync.settle_conflicts(record.record_id, int(upto))
        uow.commit()


def tell_server(database: Database, transport: Transport) -> int:
    """Send the resolutions made here; answers how many the server heard.

    One the server does not know counts as heard: it had already closed it.
    """
    with database.reader() as uow:
        done = _resolved(uow.sync.value(RESOLVED))
    told: list[str] = []
    for conflict_id in done:
        try:
            transport.mark_resolved(uuid.UUID(conflict_id))
        except Refused as error:
            if error.status != 404:
                raise
        told.append(conflict_id)
    if told:
        with database.unit_of_work(record=False) as uow:
            left = [c for c in _resolved(uow.sync.value(RESOLVED)) if c not in told]
            uow.sync.set_value(RESOLVED, json.dumps(left))
            raw = uow.sync.value(CONFLICTS)
            if raw:  # closed on the server: out of the list too, even if this sync stops here
                listed = ConflictList.model_validate_json(raw)
                kept = tuple(c for c in listed.conflicts if str(c.conflict_id) not in told)
                uow.sync.set_value(CONFLICTS, ConflictList(conflicts=kept).model_dump_json())
            uow.commit()
    return len(told)
