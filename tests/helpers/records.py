"""Valid wire records of every synced kind, so tests state only what they are about.

``fields_for`` gives a create's fields with every required one filled with a plausible value;
references default to the records the scope and the parent imply (the instancia of the scope's
government unit, whose id derives from it on every laptop and on the server).
"""

import datetime as dt
import hashlib
import itertools
import uuid
from typing import Any

from sync import kinds
from sync.protocol import Action, Operation

T0 = dt.datetime(2025, 3, 1, 15, 0, tzinfo=dt.UTC)
_numbers = itertools.count(1)


def unit_for(scope: str) -> str:
    """The government unit that governs a territory: 15 → GR15, 1501 → MP1501, 150102 → MD…."""
    return {2: "GR", 4: "MP", 6: "MD"}[len(scope)] + scope


def instancia_of(scope: str) -> uuid.UUID:
    """The id of the instancia of the territory's government unit."""
    return kinds.instancia_id(unit_for(scope))


def sealed(fields: dict[str, Any], content: str = "Acta de prueba") -> dict[str, Any]:
    """A visit's fields made final: status, sealed content and its SHA-256."""
    return {
        **fields,
        "status": kinds.FINALIZED,
        "acta_content": content,
        "acta_hash": hashlib.sha256(content.encode()).hexdigest(),
        "acta_code": "TEST-CODE-0001",
        "finalized_at": T0.isoformat(),
    }


def fields_for(
    kind: str, /, *, scope: str, parent: uuid.UUID | None = None, **given: Any
) -> dict[str, Any]:
    """Valid fields of a new ``kind`` record in ``scope`` (child of ``parent``), overridden by
    ``given``.
    """
    visit = str(parent) if parent is not None else None
    instancia = str(instancia_of(scope))
    n = next(_numbers)
    made: dict[str, dict[str, Any]] = {
        "instancia": {"unit_code": unit_for(scope)},
        "norm": {"instancia_id": instancia, "role": "creacion", "norm_type": "ordenanza_municipal",
                 "number": f"{n:03d}-2025", "issued_on": "2025-01-15"},
        "member": {"instancia_id": instancia, "entity_type_code": "cem",
                   "entity_name": "Centro Emergencia Mujer"},
        "person": {"document_type": "dni", "document_number": f"{40_000_000 + n}",
                   "full_name": f"Persona {n}"},
        "visit": {"instancia_id": instancia, "acta_number": f"T-{uuid.uuid4().hex[:12]}",
                  "visit_date": "2025-03-01", "start_time": "09:00:00", "place": "Municipalidad",
                  "place_ubigeo": scope, "modality": "presencial", "at_type": "seguimiento"},
        "participant": {"visit_id": visit, "position": n, "entity": "Municipalidad",
                        "role": "integrante"},
        "agreement": {"visit_id": visit, "number": 1, "description": "Aprobar el plan",
                      "responsible_entity": "Municipalidad", "deadline": "2025-06-30"},
        "attachment": {"visit_id": visit, "kind": "foto", "filename": "foto.jpg",
                       "sha256": hashlib.sha256(str(n).encode()).hexdigest(), "size_bytes": 10,
                       "media_type": "image/jpeg"},
        "checklist": {"visit_id": visit, "form_id": "funcionamiento_idc", "form_version": 1},
        "checklist_response": {"visit_id": visit, "item_code": f"item_{n}", "answer": "si"},
        "stage_event": {"instancia_id": instancia, "stage": "creada", "event_date": "2025-01-15"},
        kinds.SIGNED_COPY.name: {"visit_id": visit, "filename": "acta-firmada.pdf",
                        "sha256": hashlib.sha256(f"copy{n}".encode()).hexdigest(),
                        "size_bytes": 10, "media_type": "application/pdf", "page_count": 1,
                        "qr_check": "coincide", "qr_code": "TEST-CODE-0001",
                        "attached_at": T0.isoformat()},
        "agreement_follow_up": {"recorded_on": "2025-03-01", "recorded_at": T0.isoformat(),
                                "state": "en_proceso"},
        "instancia_session": {"instancia_id": instancia, "held_on": "2025-03-01",
                              "session_type": "ordinaria"},
        "instrument": {"instancia_id": instancia, "instrument_type": "plan_trabajo",
                       "title": "Plan de trabajo"},
    }  # fmt: skip
    return {**made[kind], **given}


def derived_id(kind: str, fields: dict[str, Any]) -> uuid.UUID | None:
    """The id a record of a derived-id kind must have, or None."""
    spec = kinds.KINDS[kind]
    return spec.derive_id(fields) if spec.derive_id is not None else None


def operation(
    kind: str = "member",
    record_id: uuid.UUID | None = None,
    action: Action | str = Action.CREATE,
    *,
    fields: dict[str, Any] | None = None,
    base: int | None = None,
    scope: str = "150101",
    parent: uuid.UUID | None = None,
    made_at: dt.datetime = T0,
    op_id: uuid.UUID | None = None,
    raw: bool = False,
) -> Operation:
    """An operation; a create gets every required field (``raw``: exactly ``fields``).

    A derived-id kind gets its derived id when none is given; a child kind its parent's id in
    ``visit_id``.
    """
    action = Action(action)
    values = dict(fields or {})
    if action is Action.CREATE and not raw:
        values = fields_for(kind, scope=scope, parent=parent, **values)
    if action is Action.DELETE and not raw:
        values.setdefault("deleted", True)
    if record_id is None and action is Action.CREATE:
        record_id = derived_id(kind, values)
    return Operation(
        op_id=op_id or uuid.uuid4(),
        kind=kind,
        record_id=record_id or uuid.uuid4(),
        action=action,
        base_version=base,
        fields=values,
        scope=scope,
        parent_id=parent,
        made_at=made_at,
    )
