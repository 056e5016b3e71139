"""The server guards the data model: every operation is checked against ``sync.kinds`` first.

An operation is refused, with a Spanish reason and before anything changes, when it names an
unknown kind or field, holds a value of the wrong type, refers to a record that does not exist
or that its author cannot read, hangs from a visit of another author, would touch a finalized
acta by any path, changes what is fixed at creation, or moves a record to another territory.
What passes can be applied on every laptop that receives it.
"""

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sync.kind_schema import DELETED, FIRST_YEAR, LAST_YEAR, Kind, Writers
from sync.kinds import ALIAS_FIELD, INSTANCIA, PERSON, VISIT, is_finalized
from sync.protocol import Action, Operation
from sync.server.access import Caller, out_of_scope
from sync.server.batch import Batch, Row
from sync.server.merge import same_value

RANDOM_ID_VERSION = 4  # records made by people get random ids; derived ones are uuid5


class RefusalError(Exception):
    """An operation that cannot be applied, with the Spanish reason given to its author."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Checked:
    """What the checks of an operation established: its scope and the records it names."""

    scope: str
    references: Mapping[str, Row]


def unknown_kind(name: str) -> RefusalError:
    """The refusal of a kind the declaration does not have."""
    return RefusalError(
        f"El tipo de registro «{name}» no existe en este servidor. Actualice la aplicación; "
        "si ya está al día, comuníquese con soporte."
    )


def check_made_at(operation: Operation) -> None:
    """The author's clock, kept with the change: an instant with its zone, in a plausible year.

    A year 9999 at UTC−14 cannot even be written in UTC: it failed the whole batch.
    """
    made = operation.made_at
    if made.tzinfo is None or not FIRST_YEAR <= made.year <= LAST_YEAR:
        raise RefusalError(
            f"La fecha y hora del cambio ({made.isoformat()}) no es válida: revise la fecha, "
            "la hora y la zona horaria del equipo y vuelva a sincronizar."
        )


def check_create(
    batch: Batch, caller: Caller, spec: Kind, operation: Operation, fields: Mapping[str, Any]
) -> Checked:
    """Check a create: its fields whole, its id, what it names, its visit and its territory."""
    _check_fields(spec, fields, complete=True)
    for name in spec.server_only_fields:
        if fields.get(name) is not None:
            raise RefusalError(_server_only(spec, name))
    if spec.derive_id is not None and spec.derive_id(fields) != operation.record_id:
        raise RefusalError(
            f"{spec.label}: su identificador no corresponde a sus datos (se deriva de ellos y "
            "es el mismo en todos los equipos). Actualice la aplicación."
        )
    if spec.derive_id is None and operation.record_id.version != RANDOM_ID_VERSION:
        # A derived id (uuid5) names a record the server makes for everyone; a random one never
        # collides with it, so nobody can take an instancia's or a checklist's id before it.
        raise RefusalError(
            f"{spec.label}: su identificador debe ser aleatorio (UUID versión 4). Actualice la "
            "aplicación."
        )
    if batch.id_taken(operation.record_id, spec.name):
        raise RefusalError(
            f"El identificador {operation.record_id} ya pertenece a otro tipo de registro. "
            "Actualice la aplicación; si continúa, comuníquese con soporte."
        )
    references = _references(batch, caller, spec, fields)
    parent = _check_parent(caller, spec, operation.parent_id, references)
    scope = _scope(spec, operation.scope, fields, references)
    if scope != operation.scope:
        raise RefusalError(_wrong_scope(spec, operation.scope, scope))
    # What hangs from her own visit stays hers to add to after her territory changed; shared
    # records (hitos, follow-ups) always need the territory.
    owns_parent = parent is not None and parent.owner == caller.username
    if not (owns_parent and spec.writers is Writers.AUTHOR) and not caller.covers(scope):
        raise RefusalError(out_of_scope(scope))
    _check_pointers(spec, fields, references)
    if spec.rules:
        _check_rules(spec, {**spec.defaults(), **fields}, references)
    _check_seal(spec, fields)
    return Checked(scope, references)


def check_change(
    batch: Batch,
    caller: Caller,
    spec: Kind,
    operation: Operation,
    *,
    record: Row,
    fields: Mapping[str, Any],
) -> Checked:
    """Check an update or delete of ``record`` (its current state) by ``caller``.

    Her reach is checked first: a record she cannot read is refused without saying anything
    about it (its acta number, its territory).
    """
    _check_writer(batch, caller, spec, record)
    _check_sealed(batch, spec, record)
    if operation.scope != record.scope and spec.name != PERSON.name:
        raise RefusalError(_wrong_scope(spec, operation.scope, record.scope))
    _check_fields(spec, fields, complete=False)
    if operation.action is Action.DELETE and fields.get(DELETED) is not True:
        raise RefusalError(f"{spec.label}: una eliminación debe marcar «eliminado».")
    if operation.action is Action.UPDATE and fields.get(DELETED) is True:
        raise RefusalError(f"{spec.label}: para eliminar, envíe una eliminación.")
    if spec.name == INSTANCIA.name and fields.get(DELETED) is True:
        raise RefusalError(
            "Una instancia no se elimina: existe mientras exista su gobierno en el catálogo."
        )
    changed = {
        name: value
        for name, value in fields.items()
        if not same_value(record.fields.get(name), value)
    }
    for name in changed:
        if spec.fields[name].fixed:
            raise RefusalError(
                f"{spec.label}: «{spec.field_label(name)}» se fija al crearlo y no se puede "
                "cambiar."
            )
        if spec.fields[name].server_only:
            raise RefusalError(_server_only(spec, name))
    if spec.append_only and set(changed) - {DELETED}:
        raise RefusalError(
            f"{spec.label}: no se modifica una vez registrado; registre uno nuevo con la "
            "corrección."
        )
    references = _references(batch, caller, spec, changed)
    after = {**record.fields, **changed}
    named = {**_held(batch, spec, record), **references}
    _check_pointers(spec, after, named)
    if spec.rules and operation.action is not Action.DELETE:
        _check_rules(spec, after, named)
    _check_seal(spec, after)
    return Checked(record.scope, references)


# ----------------------------------------------------------------------------------- fields


def _check_fields(spec: Kind, fields: Mapping[str, Any], *, complete: bool) -> None:
    problems = spec.problems(fields, complete=complete)
    if problems:
        shown = "; ".join(str(problem) for problem in problems[:5])
        more = f" y {len(problems) - 5} más" if len(problems) > 5 else ""
        raise RefusalError(
            f"{spec.label}: datos no válidos: {shown}{more}. Corrija el dato en el equipo y "
            "vuelva a sincronizar."
        )


def _server_only(spec: Kind, name: str) -> str:
    return f"{spec.label}: «{spec.field_label(name)}» lo asigna solo el servidor."


def _wrong_scope(spec: Kind, sent: str, expected: str) -> str:
    return (
        f"{spec.label}: el territorio indicado ({sent}) no es el suyo ({expected}); se deriva "
        "de la instancia o del acta a la que pertenece. Actualice la aplicación."
    )


# ------------------------------------------------------------------------------- references


def _references(
    batch: Batch, caller: Caller, spec: Kind, fields: Mapping[str, Any]
) -> dict[str, Row]:
    """The records the fields name: each must exist on the server and be readable by caller."""
    found: dict[str, Row] = {}
    for name, target in spec.references():
        value = fields.get(name)
        if value is None or name == ALIAS_FIELD:
            continue
        try:
            row = batch.row(target, batch.uuid_of(value))
        except ValueError:  # checked as an id already; never trusted blindly
            raise RefusalError(
                f"{spec.label}: «{spec.field_label(name)}» no es un identificador."
            ) from None
        if row is None:
            raise RefusalError(
                f"{spec.label}: «{spec.field_label(name)}» nombra un registro que no está en el "
                "servidor (quizá fue rechazado o aún no se envió). Sincronice de nuevo; si "
                "persiste, revise los rechazos."
            )
        if not batch.readable(caller, row):
            raise RefusalError(
                f"{spec.label}: «{spec.field_label(name)}» nombra un registro que no está entre "
                "los que usted puede ver. Si debería verlo, pida a su supervisor el territorio "
                "que le falta."
            )
        found[name] = row
    return found


def _held(batch: Batch, spec: Kind, record: Row) -> dict[str, Row]:
    """The records an existing record names (those still on the server)."""
    found = {}
    for name, target in spec.references():
        value = record.fields.get(name)
        if isinstance(value, str) and name != ALIAS_FIELD:
            row = batch.row(target, batch.uuid_of(value))
            if row is not None:
                found[name] = row
    return found


def _check_parent(
    caller: Caller,
    spec: Kind,
    parent_id: uuid.UUID | None,
    references: Mapping[str, Row],
) -> Row | None:
    """The visit a new record hangs from: named by ``parent_id`` too, the caller's, not sealed."""
    if spec.parent is None:
        if parent_id is not None:
            raise RefusalError(f"{spec.label}: no pertenece a un acta (parent_id debe faltar).")
        return None
    visit = references.get(spec.parent)
    if parent_id != (visit.record_id if visit is not None else None):
        raise RefusalError(
            f"{spec.label}: el acta indicada (parent_id) no es la de «"
            f"{spec.field_label(spec.parent)}». Actualice la aplicación."
        )
    if visit is None:
        return None
    if visit.owner != caller.username:
        raise RefusalError(
            f"El acta a la que pertenece ({spec.label.lower()}) es de {visit.owner}: solo su "
            "autor(a) puede agregarle o cambiarle registros."
        )
    sealed = is_finalized(visit.kind, visit.fields)
    if spec.after_seal and not sealed:
        number = visit.fields.get("acta_number") or visit.record_id
        raise RefusalError(
            f"{spec.label}: se adjunta a un acta finalizada, y el acta {number} aún es un "
            "borrador. Finalícela, imprímala y adjunte después la copia firmada."
        )
    if sealed and not spec.after_seal:
        raise RefusalError(finalized_reason(visit))
    return visit


def _scope(spec: Kind, sent: str, fields: Mapping[str, Any], refs: Mapping[str, Row]) -> str:
    """The territory a new record belongs to, derived when the declaration says how."""
    if spec.own_scope is not None:
        return spec.own_scope(fields) or sent
    if spec.scope_from is not None:
        return refs[spec.scope_from].scope
    return sent


def _check_pointers(spec: Kind, fields: Mapping[str, Any], refs: Mapping[str, Row]) -> None:
    """Fields naming a record of the same visit, or a finalized acta (an addendum's)."""
    for name, row in refs.items():
        rule = spec.fields[name]
        if rule.same_scope and row.scope != _own_scope(spec, fields, refs):
            raise RefusalError(
                f"{spec.label}: «{spec.field_label(name)}» debe ser de la misma instancia."
            )
        if rule.same_parent and row.fields.get(spec.parent or "") != fields.get(spec.parent or ""):
            raise RefusalError(
                f"{spec.label}: «{spec.field_label(name)}» debe ser de la misma acta."
            )
        if rule.sealed_target and (
            not is_finalized(row.kind, row.fields)
            or row.fields.get("instancia_id") != fields.get("instancia_id")
        ):
            raise RefusalError(
                f"{spec.label}: una adenda corrige un acta finalizada de la misma instancia; "
                "la indicada no lo es."
            )


def _check_rules(spec: Kind, fields: Mapping[str, Any], refs: Mapping[str, Row]) -> None:
    """What the fields must meet together, and with the records they name."""
    broken = spec.broken_rules(fields, {name: row.fields for name, row in refs.items()})
    if broken:
        raise RefusalError(f"{spec.label}: {'; '.join(broken)}.")


def _own_scope(spec: Kind, fields: Mapping[str, Any], refs: Mapping[str, Row]) -> str | None:
    """The territory the record's scope reference gives (None when it has none here)."""
    if spec.scope_from is not None and spec.scope_from in refs:
        return refs[spec.scope_from].scope
    return spec.own_scope(fields) if spec.own_scope is not None else None


def check_seal(spec: Kind, fields: Mapping[str, Any]) -> None:
    """Refuse a finalized acta whose sealed content and hash do not match."""
    _check_seal(spec, fields)


def _check_seal(spec: Kind, fields: Mapping[str, Any]) -> None:
    """A finalized acta carries its sealed content and the SHA-256 of it."""
    if not is_finalized(spec.name, fields):
        return
    content = fields.get("acta_content")
    if not isinstance(content, str) or not content:
        raise RefusalError("Un acta finalizada debe traer su contenido sellado.")
    if hashlib.sha256(content.encode("utf-8")).hexdigest() != fields.get("acta_hash"):
        raise RefusalError(
            "La huella del acta finalizada no corresponde a su contenido: el acta no se "
            "aceptó. Comuníquese con soporte."
        )


# ---------------------------------------------------------------------------- writers, seal


def _check_sealed(batch: Batch, spec: Kind, record: Row) -> None:
    """A finalized visit, and everything that hangs from it, accepts no further change.

    A signed copy (``after_seal``) hangs from it by nature; being append-only, it is only
    ever withdrawn whole.
    """
    if is_finalized(record.kind, record.fields):
        raise RefusalError(finalized_reason(record))
    if record.parent_id is not None and not spec.after_seal:
        parent = batch.row(VISIT.name, record.parent_id)
        if parent is not None and is_finalized(parent.kind, parent.fields):
            raise RefusalError(finalized_reason(parent))


NOT_YOURS = (
    "El registro no está entre los que usted puede ver o modificar. Sincronice para "
    "actualizar su equipo; si debería tenerlo, pida a su supervisor el territorio que le falta."
)


def check_reach(batch: Batch, caller: Caller, record: Row) -> None:
    """Refuse, saying nothing about it, a record the caller cannot read."""
    if not batch.readable(caller, record):
        raise RefusalError(NOT_YOURS)


def _check_writer(batch: Batch, caller: Caller, spec: Kind, record: Row) -> None:
    """Authors change their records; shared ones any specialist of the territory."""
    check_reach(batch, caller, record)
    by_author = spec.writers is Writers.AUTHOR or spec.append_only
    if by_author and record.owner != caller.username:
        raise RefusalError(
            f"{spec.label}: pertenece a {record.owner}; solo su autor(a) puede modificarlo. Si "
            "necesita un cambio, pídaselo."
        )
    if record.parent_id is not None:
        parent = batch.row(VISIT.name, record.parent_id)
        if parent is not None and parent.owner != caller.username:
            raise RefusalError(
                f"El acta a la que pertenece es de {parent.owner}: solo su autor(a) puede "
                "cambiarle registros."
            )
    if not by_author and not caller.covers(record.scope) and record.owner != caller.username:
        raise RefusalError(out_of_scope(record.scope))


def finalized_reason(visit: Row) -> str:
    """Why a finalized acta, or what hangs from it, cannot change."""
    number = visit.fields.get("acta_number") or visit.record_id
    return (
        f"El acta {number} está finalizada: es inmutable y no admite cambios ni registros "
        "nuevos. Para corregirla, cree una adenda."
    )
