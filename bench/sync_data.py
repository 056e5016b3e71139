"""Synthetic field work for the sync benchmarks: a day of visits as operations, Spanish text."""

import datetime as dt
import gzip
import json
import random
import uuid
from typing import Any

from instancias_desktop.demo import vocabulary as words
from sync import kinds
from sync.memory_store import MemoryStore
from sync.protocol import Operation

LIMA = ("150101", "150103", "150108", "150115", "150132", "150140")
NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
# One visit of a typical day: the visit, its participants, checklist answers and agreements.
DAY_SHAPE = (("participant", 8), ("checklist_response", 14), ("agreement", 3))

ANSWERS = ("si", "no", "parcial", "no_aplica")
EVIDENCE = ("Resolución de Alcaldía", "Ordenanza Municipal", "Acta de sesión", "Informe técnico")
# Free text is composed from fragments, so no two records carry the same sentences (as typed
# by people) while phrases recur (as they do): gzip gets realistic, not artificial, material.
SUBJECTS = (
    "La secretaría técnica",
    "La presidencia de la instancia",
    "El equipo del Centro Emergencia Mujer",
    "La DEMUNA",
    "La gerencia de desarrollo social",
    "La representante de la UGEL",
    "El comisario de la jurisdicción",
    "La coordinadora del establecimiento de salud",
)
VERBS = (
    "informó que se aprobó",
    "se comprometió a remitir",
    "presentó el avance de",
    "solicitó asistencia técnica para",
    "observó que falta actualizar",
    "propuso revisar",
)
OBJECTS = (
    "el plan de trabajo anual",
    "la ordenanza de creación de la instancia",
    "el reglamento interno",
    "la ruta de atención local frente a casos de violencia",
    "el directorio de integrantes acreditados",
    "el informe semestral de acciones",
    "la campaña de prevención en instituciones educativas",
    "las metas del Presupuesto Participativo",
)
COMPLEMENTS = (
    "antes del {date}",
    "en la sesión ordinaria del {date}",
    "con el oficio N.° {n}-2025-{unit}",
    "según el acta de sesión N.° {n}",
    "con el apoyo de {name}",
    "y dará cuenta en la próxima visita",
)
UNITS = ("MDSJL", "MDC", "MPH", "MDA", "GDS", "SGDH")


def _name(rng: random.Random) -> str:
    return (
        f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)} {rng.choice(words.SURNAMES)}"
    )


def _sentence(rng: random.Random, day: dt.date) -> str:
    complement = rng.choice(COMPLEMENTS).format(
        date=(day + dt.timedelta(days=rng.randrange(-90, 90))).strftime("%d/%m/%Y"),
        n=rng.randrange(1, 999),
        unit=rng.choice(UNITS),
        name=_name(rng),
    )
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {complement}."


def _person(rng: random.Random) -> dict[str, Any]:
    return {
        "document_type": "dni",
        "document_number": f"{rng.randrange(10_000_000, 80_000_000)}",
        "full_name": _name(rng),
        "sex": rng.choice(("F", "M")),
        "phone": f"9{rng.randrange(10_000_000, 99_999_999)}",
        "email": "",
        "alias_of": None,
        "deleted": False,
    }


def _fields(
    kind: str, rng: random.Random, visit_id: uuid.UUID | None, n: int, scope: str
) -> dict[str, Any]:
    """App-like fields (the declared fields, sync.kinds) of one record, ~300–600 bytes as JSON."""
    day = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(300))
    parent = str(visit_id)
    if kind == "visit":
        return {
            "instancia_id": str(kinds.instancia_id(f"MD{scope}")),
            "acta_number": f"AT-{rng.choice(UNITS)}-2026-{uuid.UUID(int=rng.getrandbits(128))}",
            "visit_date": day.isoformat(),
            "start_time": f"{rng.randrange(8, 12):02d}:{rng.choice((0, 15, 30, 45)):02d}:00",
            "end_time": f"{rng.randrange(12, 18):02d}:{rng.choice((0, 15, 30, 45)):02d}:00",
            "place": f"Local de la Municipalidad Distrital de {rng.choice(words.SURNAMES)}",
            "place_ubigeo": scope,
            "modality": "virtual" if rng.random() < 0.15 else "presencial",
            "at_type": rng.choice(kinds.AT_TYPES),
            "objective": rng.choice(words.OBJECTIVES),
            "agenda": "1. Presentación.\n2. Revisión de la lista de verificación.\n3. Acuerdos.",
            "development": _sentence(rng, day),
            "status": "borrador",
        }
    if kind == "participant":
        post, role = rng.choice(words.POSTS)
        return {
            "visit_id": parent,
            "person_id": "",  # the person recorded just before
            "position": n,
            "entity": rng.choice(words.ENTITIES).format(n=rng.randrange(1, 999)),
            "post": post,
            "role": role,
            "consent": rng.random() < 0.95,
        }
    if kind == "checklist_response":
        return {
            "visit_id": parent,
            "item_code": f"funcionamiento_idc.{n // 5 + 1}.{n % 5 + 1}",
            "answer": rng.choice(ANSWERS),
            "evidence_type": rng.choice(EVIDENCE),
            "evidence_number": f"N.° {rng.randrange(1, 999):03d}-2025-{rng.choice(UNITS)}",
            "evidence_date": day.isoformat(),
            "note": _sentence(rng, day) if rng.random() < 0.6 else "Se verificó el original.",
            "option": "",
            "evidence_attachment_id": None,
        }
    return {
        "visit_id": parent,
        "number": n,
        "description": f"{rng.choice(words.AGREEMENTS)} {_sentence(rng, day)}",
        "responsible_entity": rng.choice(words.ENTITIES).format(n=rng.randrange(1, 999)),
        "responsible_person": _name(rng),
        "deadline": (day + dt.timedelta(days=rng.randrange(15, 120))).isoformat(),
        "verification_means": rng.choice(words.VERIFICATION),
        "state": rng.choice(("pendiente", "en_proceso")),
    }


def _create(
    store: MemoryStore, kind: str, fields: dict[str, Any], scope: str, visit: uuid.UUID | None
) -> Operation:
    """Queue a create; a kind whose id derives from its fields gets that id."""
    spec = kinds.KINDS[kind]
    derived = spec.derive_id(fields) if spec.derive_id is not None else None
    return store.create(kind, fields, scope, visit, record_id=derived)


def record_day(
    store: MemoryStore,
    rng: random.Random,
    visits: int,
    shape: tuple[tuple[str, int], ...] = DAY_SHAPE,
    limit: int | None = None,
    scopes: tuple[str, ...] = LIMA,
) -> list[Operation]:
    """Record ``visits`` visits with their children in ``store`` (at most ``limit`` operations).

    The instancias of the scopes come first (each laptop sends its create before the first
    visit that names one); each participant comes with the person it names.
    """
    made: list[Operation] = []

    def add(kind: str, fields: dict[str, Any], scope: str, visit: uuid.UUID | None) -> bool:
        if limit is not None and len(made) >= limit:
            return False
        made.append(_create(store, kind, fields, scope, visit))
        return True

    for scope in scopes:
        if not add("instancia", {"unit_code": f"MD{scope}", "deleted": False}, scope, None):
            return made
    wanted = [(kind, n) for kind, count in shape for n in range(1, count + 1)]
    for _ in range(visits):
        scope = rng.choice(scopes)
        if not add("visit", _fields("visit", rng, None, 0, scope), scope, None):
            return made
        visit_id = made[-1].record_id
        for kind, n in wanted:
            fields = _fields(kind, rng, visit_id, n, scope)
            if kind == "participant":
                if not add("person", _person(rng), scope, None):
                    return made
                fields["person_id"] = str(made[-1].record_id)
            if not add(kind, fields, scope, visit_id):
                return made
    return made


def record_operations(
    store: MemoryStore, count: int, seed: int, scopes: tuple[str, ...] = LIMA
) -> list[Operation]:
    """Exactly ``count`` create operations shaped like typical days (1 visit : 33 records)."""
    per_visit = 1 + sum(n for _, n in DAY_SHAPE) + dict(DAY_SHAPE).get("participant", 0)
    visits = -(-count // per_visit) + 1
    return record_day(store, random.Random(seed), visits, limit=count, scopes=scopes)


def plain_records(operations: list[Operation]) -> list[dict[str, Any]]:
    """The records as an application would export them: plain JSON objects, no sync metadata."""
    return [
        {
            "kind": op.kind,
            "id": str(op.record_id),
            "parent_id": str(op.parent_id) if op.parent_id else None,
            "scope": op.scope,
            **op.fields,
        }
        for op in operations
    ]


def gzip_plain_bytes(operations: list[Operation]) -> int:
    """Size of gzip (level 9, as one document) of the records' plain JSON."""
    document = json.dumps(plain_records(operations), ensure_ascii=False, separators=(",", ":"))
    return len(gzip.compress(document.encode(), mtime=0))


def field_sizes(operations: list[Operation]) -> list[int]:
    """Bytes of each operation's fields as compact JSON."""
    return [
        len(json.dumps(op.fields, ensure_ascii=False, separators=(",", ":")).encode())
        for op in operations
    ]
