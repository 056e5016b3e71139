"""How the specialist recognizes a synced record: «Acuerdo 2 del acta N° 012-2026-…».

Used wherever the laptop tells her about a record (a conflict, a record received but not
stored yet, a change the server refused): never a kind name and a UUID. A record not on
this laptop (yet) is named from the fields that came with it.
"""

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from instancias_desktop.db.models import AgreementRow, InstanciaRow, PersonRow, VisitRow
from instancias_desktop.db.outbox import declared_fields, synced_model
from instancias_desktop.db.repositories.visits import VisitRepository
from instancias_desktop.i18n import _
from sync.kinds import AGREEMENT, INSTANCIA, KINDS, PARTICIPANT, PERSON, VISIT


class RecordNames:
    """Names records from this laptop's rows (or from the fields that came with them)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def name(self, kind: str, record_id: uuid.UUID, fields: Mapping[str, Any] | None = None) -> str:
        """«Acta N° …», «Participante María Núñez del acta N° …», «Persona …»."""
        spec = KINDS.get(kind)
        if spec is None:
            return _("un registro de tipo «{kind}»").format(kind=kind)
        values = self._values(kind, record_id) or dict(fields or {})
        namer = {
            VISIT.name: self._visit,
            AGREEMENT.name: self._agreement,
            PARTICIPANT.name: self._participant,
            PERSON.name: self._person,
            INSTANCIA.name: self._instancia,
        }.get(kind)
        if namer is not None:
            return namer(record_id, values)
        return self._generic(spec.label, values)

    def acta_of(self, values: Mapping[str, Any]) -> str:
        """The number of the acta a record belongs to ("" when not on this laptop)."""
        visit_id = values.get("visit_id")
        if visit_id is None:
            return ""
        row = self._session.get(VisitRow, uuid.UUID(str(visit_id)))
        return row.acta_number if row is not None else _("(acta aún no recibida)")

    def _values(self, kind: str, record_id: uuid.UUID) -> dict[str, Any] | None:
        row = self._session.get(synced_model(kind), record_id)
        return declared_fields(row) if row is not None else None

    def _visit(self, _record_id: uuid.UUID, values: Mapping[str, Any]) -> str:
        return _("Acta {acta}").format(acta=values.get("acta_number", "?"))

    def _agreement(self, record_id: uuid.UUID, values: Mapping[str, Any]) -> str:
        number = VisitRepository(self._session).shown_number(record_id) or values.get("number")
        return _("Acuerdo {n} del acta {acta}").format(n=number, acta=self.acta_of(values))

    def _participant(self, _record_id: uuid.UUID, values: Mapping[str, Any]) -> str:
        person_id = values.get("person_id")
        person = self._session.get(PersonRow, uuid.UUID(str(person_id))) if person_id else None
        name = person.full_name if person is not None else ""
        return (
            _("Participante {name} del acta {acta}")
            .format(name=name, acta=self.acta_of(values))
            .replace("  ", " ")
        )

    def _person(self, _record_id: uuid.UUID, values: Mapping[str, Any]) -> str:
        return _("Persona {name} (documento {number})").format(
            name=values.get("full_name", ""), number=values.get("document_number", "")
        )

    def _instancia(self, record_id: uuid.UUID, values: Mapping[str, Any]) -> str:
        row = self._session.get(InstanciaRow, record_id)
        if row is not None:
            return row.name
        return _("Instancia del gobierno {unit}").format(unit=values.get("unit_code", "?"))

    def _generic(self, label: str, values: Mapping[str, Any]) -> str:
        """«Lista de verificación del acta …», «Hito de la Instancia …»."""
        if values.get("visit_id"):
            return _("{label} del acta {acta}").format(label=label, acta=self.acta_of(values))
        agreement_id = values.get("agreement_id")
        if agreement_id:
            row = self._session.get(AgreementRow, uuid.UUID(str(agreement_id)))
            if row is not None:
                number = VisitRepository(self._session).shown_number(row.id) or row.number
                return _("{label} del acuerdo {n} del acta {acta}").format(
                    label=label, n=number, acta=self.acta_of(declared_fields(row))
                )
        instancia_id = values.get("instancia_id")
        if instancia_id:
            return _("{label} — {instancia}").format(
                label=label, instancia=self._instancia(uuid.UUID(str(instancia_id)), {})
            )
        return label
