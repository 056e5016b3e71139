"""Conflicts as the specialist resolves them: two edits of one field, one value kept.

The server kept one value (the first to arrive) and set this laptop's aside; the specialist
keeps the current one, takes hers back, or writes a merged text. Nothing is lost meanwhile.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from instancias_desktop.i18n import _
from sync.kinds import KINDS

DELETED_FIELD = "_deleted"  # the server's name for an edit that met a concurrent delete

FIELD_LABELS = {
    "objective": "Objetivo",
    "agenda": "Agenda",
    "development": "Desarrollo",
    "diagnosis": "Diagnóstico",
    "instruments": "Instrumentos entregados",
    "place": "Lugar",
    "start_time": "Hora de inicio",
    "end_time": "Hora de término",
    "modality": "Modalidad",
    "at_type": "Tipo de asistencia",
    "description": "Acuerdo",
    "responsible_entity": "Entidad responsable",
    "responsible_person": "Persona responsable",
    "deadline": "Plazo",
    "verification_means": "Medio de verificación",
    "state": "Estado",
    "answer": "Respuesta",
    "note": "Nota",
    "full_name": "Nombre",
    "phone": "Teléfono",
    "email": "Correo",
    "entity": "Entidad",
    "post": "Cargo",
    "role": "Rol en la instancia",
    DELETED_FIELD: "Eliminación",
}


def field_label(name: str, kind: str = "") -> str:
    """The Spanish label of a record's field: this screen's, else the declared one (``kind``).

    Its name when neither has one.
    """
    if name in FIELD_LABELS:
        return _(FIELD_LABELS[name])
    spec = KINDS.get(kind)
    if spec is None or name not in spec.fields:
        return name
    label = _(spec.field_label(name))
    return label[:1].upper() + label[1:]


class ConflictChoice(StrEnum):
    """How the specialist resolves a conflict."""

    KEEP_CURRENT = "actual"  # the value the server kept stays
    USE_MINE = "mio"  # this laptop's value, set aside, is written again
    USE_TEXT = "texto"  # a merged text the specialist writes


@dataclass(frozen=True)
class ConflictView:
    """One open conflict: which record and field, the values and who wrote them."""

    conflict_id: uuid.UUID
    kind: str
    record_id: uuid.UUID
    subject: str  # «Acta N° 001-…», «Acuerdo 2 del acta N° …»
    field: str
    field_label: str
    base: str  # the value both started from
    current: str  # the value the server kept
    current_author: str
    mine: str  # this laptop's value, set aside
    made_at: dt.datetime  # when it was made here
    can_change: bool  # False for a finalized acta or a delete: only the current value stays
    takes_text: bool  # a merged text can be written
    reason: str = ""  # why only the current value can stay
    current_device: str = ""  # the laptop that wrote the current value ("" if unknown)
    mine_device: str = ""  # the laptop whose value was set aside

    @property
    def current_source(self) -> str:
        """«ana, en «Laptop de la oficina»»: who wrote the kept value, and where."""
        return _source(self.current_author, self.current_device)

    @property
    def mine_source(self) -> str:
        """Where this side's value was written (the same user may have two laptops)."""
        return _source(_("usted"), self.mine_device)

    @property
    def is_delete(self) -> bool:
        """An edit met a delete made elsewhere."""
        return self.field == DELETED_FIELD


def _source(who: str, device: str) -> str:
    return _("{who}, en el equipo «{device}»").format(who=who, device=device) if device else who
