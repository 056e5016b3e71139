"""Refused changes are never silent: the server's version put back, the change listed.

After a push, each record the server refused a change of is fetched again and shown as the
server holds it (what is still waiting stays on top); the refused change stays listed, as she
typed it and with the server's reason, until she dismisses it or sends it again.
"""

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from instancias_desktop.db.repositories.refusals import RefusedEntry
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.sync_views import ParkedView, RefusalView
from instancias_desktop.i18n import _
from instancias_desktop.syncing.store import DatabaseStore
from sync.kinds import KINDS
from sync.restore import RecordSource, restore_refused

SHOWN_CHARACTERS = 120
CHANGES = {"create": _("Registro nuevo"), "update": _("Cambio"), "delete": _("Eliminación")}


def restore_server_versions(store: DatabaseStore, source: object) -> int:
    """Show again the server's version of records whose change it refused or set aside.

    They are due from their receipt on, so a sync cut right after still puts them back;
    answers how many came back.
    """
    due = store.restore_due()
    if not due or not isinstance(source, RecordSource):
        return 0
    return restore_refused(source, due, lambda states: store.restore(states, due))


def _shown(value: Any) -> str:
    if value is None or value == "":
        return _("(vacío)")
    if value is True or value is False:
        return _("sí") if value else _("no")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def typed_text(kind: str, fields: Mapping[str, Any]) -> str:
    """What was typed, field by field, with the labels the specialist knows.

    References and catalogue codes are not typed (they are the record's place), so not shown.
    """
    spec = KINDS.get(kind)
    if spec is None:
        return ""
    parts = [
        f"{spec.field_label(name).capitalize()}: {_shown(value)}"
        for name, value in fields.items()
        if name in spec.fields
        and name != "deleted"
        and spec.fields[name].refers_to is None
        and spec.fields[name].catalogue is None
        and value not in (None, "")
    ]
    return "; ".join(parts)


def _named(entry: RefusedEntry) -> set[uuid.UUID]:
    """The records an entry's fields name (the visit it belongs to, the person…)."""
    spec = KINDS.get(entry.kind)
    found = set()
    for name, _target in spec.references() if spec is not None else ():
        value = entry.fields.get(name)
        if isinstance(value, str):
            try:
                found.add(uuid.UUID(value))
            except ValueError:
                continue
    return found


def refusals(database: Database) -> tuple[RefusalView, ...]:
    """The changes the server refused that the specialist has not dismissed, oldest first.

    A change refused only because another one was (a participant of an acta the server did
    not accept) says so, naming that one: the root cause is what she has to fix.
    """
    with database.reader() as uow:
        entries = uow.refusals.entries()
        names = {e.op_id: uow.names.name(e.kind, e.record_id, e.fields) for e in entries}
    roots = {e.record_id: e for e in entries if e.action == "create"}
    views = []
    for entry in entries:
        reason = entry.reason
        cause = roots.get(entry.record_id) if entry.action != "create" else None
        cause = cause or next((roots[i] for i in _named(entry) if i in roots), None)
        if cause is not None and cause.op_id != entry.op_id:
            reason = _("No se aceptó porque tampoco se aceptó {record}: {reason}").format(
                record=names[cause.op_id], reason=cause.reason
            )
        views.append(
            RefusalView(
                op_id=entry.op_id,
                record=names[entry.op_id],
                change=CHANGES.get(entry.action, entry.action),
                typed=typed_text(entry.kind, entry.fields),
                reason=reason,
                made_at=entry.made_at,
            )
        )
    return tuple(views)


def dismiss(database: Database, op_ids: Sequence[uuid.UUID]) -> int:
    """She read these refusals: they no longer hold the laptop «por sincronizar»."""
    with database.unit_of_work(record=False) as uow:
        done = uow.refusals.dismiss(op_ids, database.clock())
        uow.commit()
    return done


def resend(database: Database, op_ids: Sequence[uuid.UUID]) -> int:
    """Send these refused changes again at the next sync (the cause was fixed); how many."""
    with database.unit_of_work(record=False) as uow:
        sent = uow.refusals.resend(op_ids, database.clock(), uow.op_ids)
        uow.commit()
    return len(sent)


def parked(database: Database, store: DatabaseStore) -> tuple[ParkedView, ...]:
    """The records received but not stored here yet, named as she knows them."""
    waiting = store.parked()
    with database.reader() as uow:
        return tuple(
            ParkedView(uow.names.name(p.record.kind, p.record.record_id, p.record.fields), p.reason)
            for p in waiting
        )
