"""Applying what the server sends: each record stored, or parked with the reason it waits.

A laptop never stops on a record it cannot apply. A record of an unknown kind, with a value
this laptop cannot hold, naming a row not here yet (or missing from its catalogues), or
holding a value another local row holds, is parked: kept aside with its reason, nothing of it
applied, and tried again at every sync until it goes in. The sync goes on meanwhile.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from instancias_desktop.db.repositories.sync_records import PulledRecord, SyncRepository
from instancias_desktop.i18n import _
from sync.kinds import KINDS
from sync.protocol import RecordState

PARKED = "parked"  # sync_state key: the parked records, with their reasons, as JSON


@dataclass(frozen=True)
class Parked:
    """A pulled record this laptop could not store yet, and why (Spanish)."""

    record: RecordState
    reason: str
    since: str  # ISO instant it was first parked

    def to_json(self) -> dict[str, object]:
        """As kept in the sync state."""
        return {
            "record": self.record.model_dump(mode="json"),
            "reason": self.reason,
            "since": self.since,
        }


def load_parked(value: str | None) -> list[Parked]:
    """The parked records as kept (older profiles kept bare records, without a reason)."""
    found = []
    for item in json.loads(value) if value else []:
        if isinstance(item, str):  # before reasons were kept
            found.append(Parked(RecordState.model_validate_json(item), "", ""))
        else:
            record = RecordState.model_validate(item["record"])
            found.append(Parked(record, str(item["reason"]), str(item["since"])))
    return found


def dump_parked(parked: Iterable[Parked]) -> str:
    """The parked records to keep."""
    return json.dumps([p.to_json() for p in parked], ensure_ascii=False)


def _parents_first(state: RecordState) -> tuple[int, int]:
    """Parents before children (the declared order), then in server order."""
    spec = KINDS.get(state.kind)
    return (spec.apply_order if spec is not None else 9), state.seq


def _tombstone(sync: SyncRepository, state: RecordState) -> RecordState | None:
    """A deletion to apply as it can be; None when there is nothing more to do.

    A tombstone this laptop can store goes in as any record; otherwise only its storable
    fields go in, and one it never held gets its version noted and no row.
    """
    spec = KINDS.get(state.kind)
    if spec is not None and why_not(sync, state) is None:
        return state  # stored as any record (a deleted acta keeps its number taken)
    if spec is None or not sync.holds(state.kind, state.record_id):
        sync.note_seen(state.kind, state.record_id, state.version)
        return None
    fine = {
        name: value
        for name, value in state.fields.items()
        if name in spec.fields and spec.fields[name].problem(value) is None
    }
    return state.model_copy(update={"fields": fine})


def why_not(sync: SyncRepository, state: RecordState) -> str | None:
    """Why a pulled record cannot be applied as it is (None: it can be tried)."""
    spec = KINDS.get(state.kind)
    if spec is None:
        return _(
            "es de un tipo de registro que esta versión de la aplicación no conoce: actualícela"
        )
    declared = {k: v for k, v in state.fields.items() if k in spec.fields}  # others are ignored
    problems = spec.problems(declared, complete=not state.deleted)
    if problems:
        return _("trae datos que este equipo no puede guardar: {what}").format(
            what="; ".join(str(p) for p in problems[:3])
        )
    try:
        missing = sync.missing_reference(state.kind, declared)
    except (ValueError, TypeError) as error:  # a reference this laptop cannot even read
        return _("trae una referencia que este equipo no puede leer ({error})").format(error=error)
    if missing is None:
        return None
    field = spec.fields.get(missing)
    label = field.label if field is not None else missing
    if field is not None and field.catalogue is not None:
        return _(
            "«{label}» no está en los catálogos de este equipo; llegará con una actualización "
            "de los catálogos"
        ).format(label=label)
    return _("espera «{label}», que aún no llegó a este equipo").format(label=label)


def _pulled(state: RecordState) -> PulledRecord:
    return PulledRecord(
        kind=state.kind,
        record_id=state.record_id,
        version=state.version,
        fields=state.fields,
        deleted=state.deleted,
        owner=state.owner,
        updated_by=state.updated_by,
    )


def apply_records(
    sync: SyncRepository,
    states: Sequence[RecordState],
    parked: Sequence[Parked],
    now: dt.datetime,
    *,
    careful: bool,
) -> list[Parked]:
    """Apply the records (and those parked before), parents first; answer what stays parked.

    ``careful``: each record in a savepoint, so one that cannot be stored is parked with its
    reason instead of failing the whole page (the caller first tries without savepoints, which
    is faster, and on ``NotStoredError`` again carefully).
    """
    earlier = {(p.record.kind, p.record.record_id): p for p in parked}
    latest = {(s.kind, s.record_id): s for s in (*(p.record for p in parked), *states)}
    waiting = sorted(latest.values(), key=_parents_first)
    reasons: dict[tuple[str, object], str] = {}
    progressed = True
    while waiting and progressed:  # until everything is in, or nothing more can go in
        left, progressed = [], False
        for waiting_state in waiting:
            state: RecordState | None = waiting_state
            if waiting_state.deleted:  # a deletion always goes in, whatever its fields held
                state = _tombstone(sync, waiting_state)
            if state is None:
                progressed = True
                continue
            reason = why_not(sync, state)
            if reason is None:
                if careful:
                    reason = sync.apply_checked(_pulled(state), now)
                else:
                    sync.apply(_pulled(state), now)
                    sync.reapply_pending(state.kind, state.record_id)
            if reason is None:
                progressed = True
            else:
                reasons[(state.kind, state.record_id)] = reason
                left.append(waiting_state)
        waiting = left
    since = now.isoformat()
    return [
        Parked(
            state,
            reasons[(state.kind, state.record_id)],
            (earlier.get((state.kind, state.record_id)) or Parked(state, "", "")).since or since,
        )
        for state in waiting
    ]
