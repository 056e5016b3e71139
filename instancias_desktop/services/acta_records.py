"""Assembles the acta record (what the paper says) from a visit and everything hanging from it."""

import datetime as dt
import uuid

from instancias_desktop.db.uow import UnitOfWork
from instancias_desktop.domain.acta_record import (
    ActaRecord,
    AgreementLine,
    ChecklistLine,
    ChecklistPart,
    FollowUpLine,
    ParticipantLine,
)
from instancias_desktop.domain.clock import PERU, peru_today
from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.scoring import score_text
from instancias_desktop.domain.ubigeo import territory_label
from instancias_desktop.i18n import _
from instancias_desktop.services.checklists import FilledChecklist, filled
from instancias_desktop.services.form_catalogue import Definitions
from instancias_desktop.services.identity import identity_in

DATE = "%d/%m/%Y"


def _evidence(answer: ItemAnswer | None, files: dict[str, str]) -> str:
    if answer is None:
        return ""
    parts = [
        answer.evidence_type,
        _("N° {n}").format(n=answer.evidence_number) if answer.evidence_number else "",
        answer.evidence_date.strftime(DATE) if answer.evidence_date else "",
        _("archivo: {name}").format(name=files[answer.evidence_attachment])
        if answer.evidence_attachment in files
        else "",
    ]
    return ", ".join(p for p in parts if p)


def checklist_part(checklist: FilledChecklist, files: dict[str, str]) -> ChecklistPart:
    """The checklist results as printed: the items shown, their answers, evidence and score."""
    form, answers, result = checklist.form, checklist.answers, checklist.result
    lines = tuple(
        ChecklistLine(
            section=section.title,
            number=item.number,
            text=item.text,
            answer=item.choice_label(answers[item.code].code)
            if item.code in answers
            else _("Sin respuesta"),
            evidence=_evidence(answers.get(item.code), files),
            note=answers[item.code].note if item.code in answers else "",
        )
        for section in form.sections
        for item in section.items
        if item.code in result.visible
    )
    return ChecklistPart(
        title=form.title,
        form=str(form.ref),
        lines=lines,
        score="—" if result.score is None else f"{score_text(result.score)} / 100",
        band=result.band,
        suggested_stage=result.suggested_stage.label,
        answered=_("{answered} de {total}").format(
            answered=result.answered, total=result.applicable
        ),
    )


def build_record(
    uow: UnitOfWork,
    definitions: Definitions,
    visit_id: uuid.UUID,
    finalized_at: dt.datetime | None = None,
) -> ActaRecord:
    """The acta of a visit as it stands now (as finalized, when ``finalized_at`` is given)."""
    visit = uow.visits.get(visit_id)
    author, stored_finalized_at = uow.visits.stamps(visit_id)
    closed = finalized_at or stored_finalized_at
    (instancia,) = uow.registry.summaries(visit.instancia_id)
    place = visit.place_ubigeo
    names = uow.catalogue.names_of(place[:n] for n in (6, 4, 2) if len(place) >= n)
    files = {str(a.id): a.filename for a in uow.visits.attachments(visit_id)}
    checklist = filled(uow, definitions, visit_id)
    today = peru_today(closed) if closed else dt.date.today()
    return ActaRecord(
        acta_number=visit.acta_number,
        finalized=finalized_at is not None or visit.status is VisitStatus.FINALIZED,
        finalized_at=closed.astimezone(PERU).strftime(f"{DATE} %H:%M") if closed else "",
        addendum_of=uow.visits.acta_number(visit.addendum_of) if visit.addendum_of else "",
        visit_date=visit.visit_date.strftime(DATE),
        start_time=visit.start_time.strftime("%H:%M") if visit.start_time else "",
        end_time=visit.end_time.strftime("%H:%M") if visit.end_time else "",
        place=visit.place,
        territory=_("{names} (ubigeo {code})").format(
            names=territory_label(place, names), code=place
        ),
        modality=visit.modality.label,
        entity=instancia.unit_name,
        instancia=instancia.name,
        level=instancia.level.label,
        at_type=visit.at_type.label,
        stage=instancia.stage.label,
        objective=visit.objective,
        agenda=visit.agenda,
        development=visit.development,
        instruments=visit.instruments,
        diagnosis=visit.diagnosis,
        checklist=checklist_part(checklist, files) if checklist else None,
        agreements=tuple(
            AgreementLine(
                number=a.number,
                description=a.description,
                responsible=" — ".join(
                    p for p in (a.responsible_entity, a.responsible_person) if p
                ),
                deadline=a.deadline.strftime(DATE),
                verification=a.verification_means,
            )
            for a in uow.visits.agreements(today, visit_id=visit_id)
        ),
        participants=tuple(
            ParticipantLine(
                number=n,
                full_name=p.full_name,
                document=f"{p.document_type.label} {p.document_number}",
                entity=p.entity,
                post=p.post,
                role=p.role.label,
            )
            for n, p in enumerate(uow.participants.views(visit_id), start=1)
        ),
        # Who finalizes it, as she is named on paper (a draft's preview shows its author).
        specialist=identity_in(uow).signature if finalized_at is not None else author,
        follow_ups=_follow_ups(uow, visit.instancia_id, visit_id, today),
    )


def _follow_ups(
    uow: UnitOfWork, instancia_id: uuid.UUID, visit_id: uuid.UUID, today: dt.date
) -> tuple[FollowUpLine, ...]:
    """The follow-ups recorded in this visit, by the acta and number of their agreement."""
    found = [
        (line, follow_up)
        for line in uow.follow_ups.lines(today, instancia_id=instancia_id)
        for follow_up in line.history
        if follow_up.visit_id == visit_id
    ]
    found.sort(
        key=lambda pair: (pair[0].visit_date, pair[0].acta_number, pair[0].number, pair[1].order)
    )
    return tuple(
        FollowUpLine(
            agreement=_("N° {n} del acta {acta}").format(n=line.number, acta=line.acta_number),
            description=line.description,
            state=follow_up.state.label,
            recorded_on=follow_up.recorded_on.strftime(DATE),
            new_deadline=follow_up.new_deadline.strftime(DATE) if follow_up.new_deadline else "",
            evidence=follow_up.evidence,
            note=follow_up.note,
        )
        for line, follow_up in found
    )
