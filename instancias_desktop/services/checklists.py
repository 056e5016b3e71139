"""The functioning checklist of a visit: answered item by item, scored, compared, upgraded.

Each public function is one user action and one transaction. A checklist is pinned to the
definition version it was started with; moving a draft to a newer version is explicit.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.answer_checks import check_answer
from instancias_desktop.domain.checklist_views import ChecklistView
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import InstanciaLevel, Stage, VisitStatus
from instancias_desktop.domain.form_changes import FormUpgrade, compare, plan_upgrade
from instancias_desktop.domain.forms import Answers, FormDefinition, FormRef, ItemAnswer
from instancias_desktop.domain.record_evidence import Suggestion, suggestions
from instancias_desktop.domain.scoring import ScoreResult, evaluate
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.i18n import _
from instancias_desktop.services.drafts import editable_visit
from instancias_desktop.services.form_catalogue import Definitions
from instancias_desktop.services.instancias import record_facts


def _level(uow: UnitOfWork, visit_id: uuid.UUID) -> InstanciaLevel:
    (instancia,) = uow.registry.summaries(uow.visits.get(visit_id).instancia_id)
    return instancia.level


def _form(uow: UnitOfWork, definitions: Definitions, ref: FormRef) -> FormDefinition:
    stored = uow.checklists.definition(ref)
    if stored is None:
        raise LookupError(f"form {ref} is not stored")
    return definitions.of(stored)


def _current_form(
    uow: UnitOfWork, definitions: Definitions, visit_id: uuid.UUID, level: InstanciaLevel
) -> FormDefinition | None:
    pinned = uow.checklists.pinned(visit_id)
    if pinned is not None:
        return _form(uow, definitions, pinned)
    latest = uow.checklists.latest_for(level)
    return definitions.of(latest) if latest else None


def _view(uow: UnitOfWork, definitions: Definitions, visit_id: uuid.UUID) -> ChecklistView | None:
    visit = uow.visits.get(visit_id)
    level = _level(uow, visit_id)
    form = _current_form(uow, definitions, visit_id, level)
    if form is None:
        return None
    pinned = uow.checklists.pinned(visit_id) is not None
    answers = uow.checklists.answers(visit_id) if pinned else {}
    editable = visit.status is VisitStatus.DRAFT
    latest = uow.checklists.latest_version(form.form_id) if pinned and editable else None
    earlier = uow.checklists.earlier(visit_id)
    comparison = None
    if earlier is not None:
        comparison = compare(
            level,
            (form, answers),
            (_form(uow, definitions, earlier.ref), uow.checklists.answers(earlier.visit_id)),
            earlier.acta_number,
            earlier.visit_date.strftime("%d/%m/%Y"),
        )
    offered = {item.code: frozenset(item.choices()) for item in form.items}
    suggested = {}
    if editable:  # a finalized acta is only read: its records are not looked up
        facts = record_facts(uow, visit.instancia_id, peru_today(uow.clock()))
        suggested = suggestions(facts, offered)
    return ChecklistView(
        visit_id=visit_id,
        level=level,
        definition=form,
        pinned=pinned,
        answers=answers,
        result=evaluate(form, level, answers),
        editable=editable,
        comparison=comparison,
        newer=latest.ref if latest and latest.ref.version > form.version else None,
        attachments=tuple((str(a.id), a.filename) for a in uow.visits.attachments(visit_id)),
        suggestions=suggested,
        records_stage=_records_stage(form, level, suggested),
    )


def _records_stage(
    form: FormDefinition, level: InstanciaLevel, suggested: Mapping[str, Suggestion]
) -> Stage | None:
    """The stage the records' answers alone suggest (None when they say nothing)."""
    if not suggested:
        return None
    return evaluate(form, level, {c: s.answer for c, s in suggested.items()}).suggested_stage


def checklist(
    database: Database, definitions: Definitions, visit_id: uuid.UUID
) -> ChecklistView | None:
    """The visit's checklist (None when no definition fits the instancia's level)."""
    with database.reader() as uow:
        return _view(uow, definitions, visit_id)


def save_answers(
    database: Database,
    definitions: Definitions,
    visit_id: uuid.UUID,
    *,
    ref: FormRef,
    answers: Mapping[str, ItemAnswer | None],
) -> ChecklistView:
    """Answer (or clear, with None) items; the first answer pins the version on screen.

    Nothing is written when one answer is refused: the ValidationError names each refused item
    (its code is the error's field) with what to fix.
    """
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        editable_visit(uow, visit_id)
        pinned = uow.checklists.pinned(visit_id)
        if not answers:
            view = _view(uow, definitions, visit_id)
            assert view is not None
            return view
        if pinned is not None and pinned != ref:
            message = _(
                "La lista de esta visita sigue la ficha {pinned}, no la {shown}: vuelva a abrirla."
            ).format(pinned=pinned, shown=ref)
            raise ValidationError([FieldError(code, message) for code in answers])
        form = _form(uow, definitions, ref)
        if _level(uow, visit_id) not in form.levels:
            message = _("La ficha {ref} no es para este nivel de instancia.").format(ref=ref)
            raise ValidationError([FieldError(code, message) for code in answers])
        attachments = {str(a.id) for a in uow.visits.attachments(visit_id)}
        refused = []
        for code, answer in answers.items():
            try:
                if answer is not None:
                    check_answer(form, code, answer, today, attachments)
            except ValidationError as error:
                refused.append(FieldError(code, " ".join(e.message for e in error.errors)))
        if refused:
            raise ValidationError(refused)
        if pinned is None and any(a is not None for a in answers.values()):
            uow.checklists.pin(visit_id, ref)
        for code, answer in answers.items():
            if answer is None:
                uow.checklists.clear_answers(visit_id, {code})
            else:
                uow.checklists.save_answer(visit_id, code, answer)
        uow.commit()
        view = _view(uow, definitions, visit_id)
    assert view is not None  # the form was just found
    return view


def upgrade_plan(
    database: Database, definitions: Definitions, visit_id: uuid.UUID
) -> FormUpgrade | None:
    """What moving a draft's checklist to the newest version would change (None if current)."""
    with database.reader() as uow:
        if uow.visits.get(visit_id).status is not VisitStatus.DRAFT:
            return None  # a finalized acta keeps its version for good
        pinned = uow.checklists.pinned(visit_id)
        latest = uow.checklists.latest_version(pinned.form_id) if pinned else None
        if pinned is None or latest is None or latest.ref.version <= pinned.version:
            return None
        return plan_upgrade(
            _form(uow, definitions, pinned),
            definitions.of(latest),
            uow.checklists.answers(visit_id),
        )


def upgrade_checklist(
    database: Database, definitions: Definitions, visit_id: uuid.UUID, to: FormRef
) -> ChecklistView:
    """Move a draft's checklist to a newer version, dropping the answers it no longer admits."""
    with database.unit_of_work() as uow:
        editable_visit(uow, visit_id)
        pinned = uow.checklists.pinned(visit_id)
        if pinned is None or pinned.form_id != to.form_id or to.version <= pinned.version:
            raise ValueError(f"cannot move {pinned} to {to}")
        plan = plan_upgrade(
            _form(uow, definitions, pinned),
            _form(uow, definitions, to),
            uow.checklists.answers(visit_id),
        )
        uow.checklists.clear_answers(visit_id, set(plan.dropped))
        uow.checklists.pin(visit_id, to)
        uow.commit()
        view = _view(uow, definitions, visit_id)
    assert view is not None
    return view


def latest_definitions(
    database: Database, definitions: Definitions
) -> dict[InstanciaLevel, FormDefinition]:
    """The newest definition for each level that has one."""
    with database.reader() as uow:
        found = {level: uow.checklists.latest_for(level) for level in InstanciaLevel}
    return {level: definitions.of(stored) for level, stored in found.items() if stored}


@dataclass(frozen=True)
class FilledChecklist:
    """A started checklist with its definition, answers and evaluation."""

    form: FormDefinition
    answers: Answers
    result: ScoreResult


def filled(
    uow: UnitOfWork, definitions: Definitions, visit_id: uuid.UUID
) -> FilledChecklist | None:
    """The visit's checklist as answered (None when it was never started)."""
    pinned = uow.checklists.pinned(visit_id)
    if pinned is None:
        return None
    form = _form(uow, definitions, pinned)
    answers = uow.checklists.answers(visit_id)
    return FilledChecklist(form, answers, evaluate(form, _level(uow, visit_id), answers))


def missing_for_finalization(
    uow: UnitOfWork, definitions: Definitions, visit_id: uuid.UUID
) -> list[str]:
    """The checklist items answered without the means of verification they require."""
    checklist = filled(uow, definitions, visit_id)
    if checklist is None:
        return []
    result = checklist.result
    return [
        _("Lista de verificación: medio de verificación del ítem {n} ({text}).").format(
            n=item.number, text=item.text
        )
        for item in result.missing_evidence
    ]
