"""The acta as printed: every part in display form, the same for the PDF, the hash and the check.

A finalized acta keeps this record as it was when it was closed (its snapshot), so a later change
elsewhere (a catalogue update, a person's phone filled in) never alters the legal document.
Phones, e-mails and sex are left out on purpose: the signed paper does not need them (Ley 29733).
"""

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class ParticipantLine:
    """A row of the attendance table, with room for the signature."""

    number: int
    full_name: str
    document: str  # "DNI 45678912"
    entity: str
    post: str
    role: str


@dataclass(frozen=True)
class AgreementLine:
    """A row of the agreements table."""

    number: int
    description: str
    responsible: str  # entity, and the person when named
    deadline: str
    verification: str


@dataclass(frozen=True)
class FollowUpLine:
    """Progress on an agreement of an earlier acta, recorded in this visit."""

    agreement: str  # "N° 2 del acta N° 002-2026-…"
    description: str
    state: str
    recorded_on: str
    new_deadline: str
    evidence: str
    note: str


@dataclass(frozen=True)
class ChecklistLine:
    """An item of the checklist with its answer and evidence."""

    section: str
    number: int
    text: str
    answer: str
    evidence: str
    note: str


@dataclass(frozen=True)
class ChecklistPart:
    """The checklist results, rendered from the definition the visit followed."""

    title: str
    form: str  # "funcionamiento_idc v1"
    lines: tuple[ChecklistLine, ...]
    score: str  # "49 / 100"
    band: str
    suggested_stage: str
    answered: str  # "14 de 14"


@dataclass(frozen=True)
class ActaRecord:
    """Everything the acta says, in the order of its sections."""

    acta_number: str
    finalized: bool
    finalized_at: str  # "10/03/2026 11:05", empty for a draft
    addendum_of: str  # the acta it corrects, if any
    visit_date: str
    start_time: str
    end_time: str
    place: str
    territory: str  # "Wanchaq, Cusco, Cusco (ubigeo 080108)"
    modality: str
    entity: str  # the government visited
    instancia: str
    level: str
    at_type: str
    stage: str
    objective: str
    agenda: str
    development: str
    instruments: str
    diagnosis: str
    checklist: ChecklistPart | None
    agreements: tuple[AgreementLine, ...]
    participants: tuple[ParticipantLine, ...]
    specialist: str
    # Last, with a default: actas finalized before follow-ups existed keep their content.
    follow_ups: tuple[FollowUpLine, ...] = ()


# Printed as they were at the visit, but read from the registry and the catalogues, which go on
# changing (a later hito, a renamed district): a check of the acta leaves them out.
CONTEXT_FIELDS = ("territory", "entity", "instancia", "level", "stage")


def recorded_parts(record: ActaRecord) -> ActaRecord:
    """The record without its context: what the visit itself recorded.

    Who finalized it is sealed in the snapshot (its hash is checked apart), as she was named
    then: a later change of her name or post does not make the paper false.
    """
    return replace(record, territory="", entity="", instancia="", level="", stage="", specialist="")


def record_to_dict(record: ActaRecord) -> dict[str, Any]:
    """Plain values, for the canonical JSON (no follow-ups: left out, so older codes hold)."""
    values = asdict(record)
    if not record.follow_ups:
        del values["follow_ups"]
    return values


def _lines(kind: type, raw: list[dict[str, Any]]) -> tuple[Any, ...]:
    return tuple(kind(**row) for row in raw)


def record_from_dict(data: dict[str, Any]) -> ActaRecord:
    """The record a stored snapshot holds."""
    values = {f.name: data[f.name] for f in fields(ActaRecord) if f.name != "follow_ups"}
    checklist = values["checklist"]
    if checklist is not None:
        values["checklist"] = ChecklistPart(
            **{**checklist, "lines": _lines(ChecklistLine, checklist["lines"])}
        )
    values["agreements"] = _lines(AgreementLine, values["agreements"])
    values["participants"] = _lines(ParticipantLine, values["participants"])
    values["follow_ups"] = _lines(FollowUpLine, data.get("follow_ups", []))
    return ActaRecord(**values)
