"""The declaration of the instancia's own record: norms, members, sessions, instruments.

Shared records of the territory: any specialist of it may edit them,
field by field (``sync.kinds`` gathers every kind). Standard library only.
"""

import re
import uuid
from collections.abc import Mapping
from typing import Any

from sync.kind_fields import (
    DOCUMENT_TYPES,
    LONG_TEXT,
    SHA256,
    choice,
    date,
    fields,
    flag,
    number,
    ref,
    text,
)
from sync.kind_schema import Kind, RecordRule, Writers

# ----------------------------------------------------------------------------- vocabularies
# The values stored on the wire; the app's enums carry the Spanish labels (a test keeps both
# equal). Regional governments issue ordenanzas and acuerdos of their council, decretos and
# resoluciones ejecutivas; municipalities ordenanzas, acuerdos de concejo, decretos and
# resoluciones de alcaldía (Ley 27867 art. 37-38; Ley 27972 art. 39-44).
NORM_TYPES = (
    "ordenanza_regional", "ordenanza_municipal", "decreto_alcaldia", "resolucion", "otro",
    "decreto_regional", "resolucion_ejecutiva_regional", "acuerdo_consejo_regional",
    "acuerdo_concejo", "resolucion_alcaldia",
)  # fmt: skip
NORM_ROLES = ("creacion", "modificacion", "derogacion", "reglamento")
SEATS = ("titular", "alterno")
SESSION_TYPES = ("ordinaria", "extraordinaria")
INSTRUMENT_TYPES = ("reglamento_interno", "plan_trabajo", "plan_accion", "informe")
UNIT_CODE = r"GR[0-9]{2}|MML|MP[0-9]{4}|MD[0-9]{6}"
MAX_FILE_BYTES = 200 * 1024 * 1024

# ------------------------------------------------------------------------------ derived ids
# Every laptop and the server give these records the same id, derived from what they are, so
# two laptops that create "the same" record meet on the server as one. Never change them.
INSTANCIA_IDS = uuid.UUID("5b80b077-fc11-4a3e-8fa1-1d825b1d56f7")
ATTENDANCE_IDS = uuid.UUID("3d6c2f0e-8a51-4c2b-b7f4-61e0a9d4c5b2")
MML_UNIT, MML_SCOPE = "MML", "1501"  # Lima Metropolitana's municipality in its regional role


def instancia_id(unit_code: str) -> uuid.UUID:
    """The id of the instancia of a government unit."""
    return uuid.uuid5(INSTANCIA_IDS, unit_code)


def attendance_id(session_id: uuid.UUID, member_id: uuid.UUID) -> uuid.UUID:
    """The id of one member's attendance at one session."""
    return uuid.uuid5(ATTENDANCE_IDS, f"{session_id}:{member_id}")


def unit_scope(unit_code: str) -> str:
    """The territory (ubigeo) a government unit governs: GR08 → 08, MD080108 → 080108."""
    return MML_SCOPE if unit_code == MML_UNIT else unit_code[2:]


def _text(key: Mapping[str, Any], name: str) -> str | None:
    value = key.get(name)
    return value if isinstance(value, str) else None


def _instancia_of(key: Mapping[str, Any]) -> uuid.UUID | None:
    unit = _text(key, "unit_code")
    return instancia_id(unit) if unit is not None else None


def _scope_of_unit(key: Mapping[str, Any]) -> str | None:
    unit = _text(key, "unit_code")
    return unit_scope(unit) if unit is not None else None


def _attendance_of(key: Mapping[str, Any]) -> uuid.UUID | None:
    try:
        return attendance_id(uuid.UUID(str(key.get("session_id"))),
                             uuid.UUID(str(key.get("member_id"))))  # fmt: skip
    except ValueError:
        return None


# ------------------------------------------------------------------------------------ rules
# What a record's fields must meet together: the app checks the same before it stores them
# (domain.instancia_records), so only a buggy or hostile laptop ever meets these refusals.
Named = Mapping[str, Mapping[str, Any]]
REGIONAL_NORMS = frozenset(
    {
        "ordenanza_regional",
        "decreto_regional",
        "resolucion_ejecutiva_regional",
        "acuerdo_consejo_regional",
    }
)
MUNICIPAL_NORMS = frozenset({"ordenanza_municipal", "decreto_alcaldia", "acuerdo_concejo",
                             "resolucion_alcaldia"})  # fmt: skip
ENTITY_TYPE = r"[a-z][a-z0-9_]{0,59}"  # a code of the member-entity catalogue


def _in_order(first: str, then: str, reason: str) -> RecordRule:
    def rule(fields: Mapping[str, Any], _named: Named) -> str | None:
        start, end = _text(fields, first), _text(fields, then)
        return reason if start is not None and end is not None and end < start else None

    return rule


def _dni_digits(fields: Mapping[str, Any], _named: Named) -> str | None:
    number = _text(fields, "document_number") or ""
    if fields.get("document_type") == "dni" and number and not re.fullmatch(r"[0-9]{8}", number):
        return "un DNI tiene 8 dígitos"
    return None


def _issued_by_its_level(fields: Mapping[str, Any], named: Named) -> str | None:
    unit = _text(named.get("instancia_id", {}), "unit_code") or ""
    if unit == MML_UNIT:  # Lima Metropolitana: a municipality with regional functions
        return None
    regional = unit.startswith("GR")
    foreign = MUNICIPAL_NORMS if regional else REGIONAL_NORMS
    if fields.get("norm_type") in foreign:
        level = "regional" if regional else "municipal"
        return f"un gobierno {level} no emite «{fields.get('norm_type')}»"
    return None


def _report_has_recipient(fields: Mapping[str, Any], _named: Named) -> str | None:
    if fields.get("instrument_type") == "informe" and not _text(fields, "recipient"):
        return "un informe dice a quién se dirigió («dirigido a»)"
    return None


def _seated_that_day(_fields: Mapping[str, Any], named: Named) -> str | None:
    held_on = _text(named.get("session_id", {}), "held_on")
    member = named.get("member_id", {})
    since, until = _text(member, "since"), _text(member, "until")
    started = since is None or (held_on is not None and since <= held_on)
    ongoing = until is None or (held_on is not None and held_on < until)
    if held_on is None or (started and ongoing):
        return None
    return "el integrante no ocupaba su puesto en la fecha de la sesión"


def _one_owner(fields: Mapping[str, Any], _named: Named) -> str | None:
    owners = [name for name in ("norm_id", "session_id", "instrument_id") if fields.get(name)]
    if len(owners) != 1:
        return "un archivo es de una norma, de una sesión o de un instrumento (de uno solo)"
    return None


# ------------------------------------------------------------------------------------ kinds

INSTANCIA = Kind(
    "instancia", "Instancia",
    fields(
        unit_code=text("gobierno que la preside", 20, required=True, fixed=True,
                       pattern=UNIT_CODE, catalogue="government_unit"),
        chair_name=text("presidencia (nombre)", 200),
        chair_post=text("presidencia (cargo)", 200),
        secretariat_unit=text("secretaría técnica (unidad)", 200),
        secretariat_person=text("secretaría técnica (persona)", 200),
        # The creation schedule agreed with the government, while it is not done.
        target_creation_on=date("fecha prevista de la ordenanza", required=False),
        target_installation_on=date("fecha prevista de la instalación", required=False),
        target_first_session_on=date("fecha prevista de la primera sesión", required=False),
    ),
    writers=Writers.TERRITORY, own_scope=_scope_of_unit, derive_id=_instancia_of,
    local_columns=frozenset({"level", "name"}),  # from the catalogue of each laptop
    apply_order=0,
)  # fmt: skip
NORM = Kind(
    "norm", "Norma",
    fields(
        instancia_id=ref("instancia", INSTANCIA.name),
        role=choice("función de la norma", NORM_ROLES),
        norm_type=choice("tipo de norma", NORM_TYPES),
        number=text("número", 100, required=True),
        issued_on=date("fecha de emisión"),
        issuing_body=text("órgano emisor", 200),
    ),
    writers=Writers.TERRITORY, scope_from="instancia_id", apply_order=1,
    rules=(_issued_by_its_level,),
)  # fmt: skip
# One representative's tenure in a seat of a member entity: a change of representative ends
# one (``until``) and starts another, so the history of who held the seat stays.
MEMBER = Kind(
    "member", "Integrante",
    fields(
        instancia_id=ref("instancia", INSTANCIA.name),
        entity_type_code=text("tipo de entidad", 60, required=True, pattern=ENTITY_TYPE),
        entity_name=text("entidad", 200, required=True),
        person_name=text("representante", 200),
        seat=choice("condición", SEATS, default="titular"),
        since=date("desde", required=False),
        document_type=choice("tipo de documento", DOCUMENT_TYPES, default="dni"),
        document_number=text("número de documento", 20),
        post=text("cargo", 200),
        designation_document=text("documento de designación", 200),
        designated_on=date("fecha de designación", required=False),
        until=date("hasta", required=False),
    ),
    writers=Writers.TERRITORY, scope_from="instancia_id", apply_order=1,
    rules=(_in_order("since", "until", "«hasta» es anterior a «desde»"), _dni_digits),
)  # fmt: skip
SESSION = Kind(
    "instancia_session", "Sesión de la instancia",
    fields(
        instancia_id=ref("instancia", INSTANCIA.name),
        held_on=date("fecha de la sesión"),
        session_type=choice("tipo de sesión", SESSION_TYPES, default="ordinaria"),
        quorum=flag("quórum"),
        agenda=text("agenda", LONG_TEXT),
        agreements=text("acuerdos", LONG_TEXT),
        acta_reference=text("acta de la sesión", 200),
    ),
    writers=Writers.TERRITORY, scope_from="instancia_id", apply_order=2,
)  # fmt: skip
ATTENDANCE = Kind(
    "session_attendance", "Asistencia a una sesión",
    fields(
        session_id=ref("sesión", SESSION.name),
        member_id=ref("integrante", MEMBER.name, same_scope=True),
    ),
    # Two laptops that mark the same member present meet as one record; unmarking deletes it.
    writers=Writers.TERRITORY, scope_from="session_id", derive_id=_attendance_of,
    apply_order=3, rules=(_seated_that_day,),
)  # fmt: skip
INSTRUMENT = Kind(
    "instrument", "Instrumento de gestión",
    fields(
        instancia_id=ref("instancia", INSTANCIA.name),
        instrument_type=choice("tipo de instrumento", INSTRUMENT_TYPES),
        title=text("título", 200, required=True),
        norm_id=ref("aprobado por", NORM.name, required=False, fixed=False, same_scope=True),
        approved_on=date("fecha de aprobación", required=False),
        period_start=date("periodo: desde", required=False),
        period_end=date("periodo: hasta", required=False),
        recipient=text("dirigido a", 200),
        sent_on=date("fecha de envío", required=False),
        note=text("nota", LONG_TEXT),
    ),
    writers=Writers.TERRITORY, scope_from="instancia_id", apply_order=2,
    rules=(_in_order("period_start", "period_end", "el periodo termina antes de empezar"),
           _report_has_recipient),
)  # fmt: skip
# The file of a norm, of a session (its acta) or of an instrument: content-addressed, never
# edited, withdrawn by its author with a delete.
RECORD_FILE = Kind(
    "instancia_file", "Archivo del registro de la instancia",
    fields(
        instancia_id=ref("instancia", INSTANCIA.name),
        norm_id=ref("norma", NORM.name, required=False, same_scope=True),
        session_id=ref("sesión", SESSION.name, required=False, same_scope=True),
        instrument_id=ref("instrumento", INSTRUMENT.name, required=False, same_scope=True),
        filename=text("nombre del archivo", 255, required=True, fixed=True),
        sha256=text("huella SHA-256", 64, required=True, fixed=True, pattern=SHA256),
        size_bytes=number("tamaño (bytes)", MAX_FILE_BYTES),
        media_type=text("tipo de contenido", 100, required=True),
    ),
    writers=Writers.TERRITORY, scope_from="instancia_id", append_only=True,
    file_field="sha256", apply_order=3, rules=(_one_owner,),
)  # fmt: skip
REGISTRY_KINDS = (INSTANCIA, NORM, MEMBER, SESSION, ATTENDANCE, INSTRUMENT, RECORD_FILE)
