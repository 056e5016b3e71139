"""The instancia's own record through the services: members with history, norms per level,
sessions with attendance, instruments, the schedule, and what the checklist is offered."""

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.app import TODAY, instancia, rows, services_at
from helpers.instancia_records import (
    as_typed,
    complete_record,
    creating_ordinance,
    representative,
    rules_decree,
    rules_instrument,
    seat_all_required,
    session,
    work_plan,
)

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import (
    Answer,
    Criterion,
    InstanciaLevel,
    InstrumentType,
    NormRole,
    NormType,
    SeatKind,
    Stage,
)
from instancias_desktop.domain.instancia_records import InstrumentInput, NormRecordInput
from instancias_desktop.domain.instancia_standing import instrument_status, period_text
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import NormInput, StageEventInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


def outbox_kinds(database: Database) -> list[tuple[str, str, dict[str, object]]]:
    return [
        (kind, action, json.loads(fields))
        for kind, action, fields in rows(
            database, "SELECT kind, action, fields FROM outbox ORDER BY seq"
        )
    ]


def test_the_composition_gaps_name_what_is_missing_and_close_as_seats_are_filled(
    services: AppServices,
) -> None:
    wanchaq = instancia(services)
    detail = services.instancia_detail(wanchaq)
    assert detail.members == ()
    gaps = "\n".join(detail.composition_gaps)
    assert "Falta: Comisaría de la Policía Nacional del Perú del distrito (exactamente 1)" in gaps
    # A seat that exists only where the entity does, and a rule resting on an assumption.
    assert (
        "Falta: Centro Emergencia Mujer (CEM) (si existe en el distrito) — regla supuesta, "
        "a confirmar por el MIMP." in detail.composition_gaps
    )

    detail = seat_all_required(services, wanchaq)
    assert not any("exactamente" in gap for gap in detail.composition_gaps)
    # An alternate does not fill a titular seat.
    detail = services.save_member(
        wanchaq, representative("cem", "CEM Wanchaq", "Sofía Luna", seat=SeatKind.ALTERNATE)
    )
    assert any(gap.startswith("Falta: Centro Emergencia Mujer") for gap in detail.composition_gaps)
    detail = services.save_member(wanchaq, representative("cem", "CEM Wanchaq", "Rita Paz"))
    assert not any("Centro Emergencia" in gap for gap in detail.composition_gaps)


def test_a_change_of_representative_keeps_who_held_the_seat_when(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    detail = services.save_member(
        wanchaq, representative("pnp_distrital", "Comisaría PNP de Wanchaq", "Carlos Huarca",
                                dni="45678912")
    )  # fmt: skip
    (first,) = detail.members
    assert (first.document_number, first.until) == ("45678912", None)

    detail = services.change_representative(
        first.id, representative("pnp_distrital", "", "Mayor Rosa Díaz", dni="41234567"),
        dt.date(2026, 3, 1),
    )  # fmt: skip
    held = {m.person_name: (m.since, m.until) for m in detail.members}
    assert held == {
        "Carlos Huarca": (dt.date(2026, 1, 15), dt.date(2026, 3, 1)),
        "Mayor Rosa Díaz": (dt.date(2026, 3, 1), None),
    }
    new = next(m for m in detail.members if m.until is None)
    assert (new.entity_name, new.seat) == ("Comisaría PNP de Wanchaq", SeatKind.TITULAR)
    # Only today's holder counts for the composition.
    assert [m.person_name for m in detail.members if m.current(TODAY)] == ["Mayor Rosa Díaz"]
    # The old tenure travels as an update of «hasta» alone; the new one as a create.
    sent = [(k, a, f) for k, a, f in outbox_kinds(database) if k == "member"]
    assert (sent[1][1], sorted(sent[1][2])) == ("update", ["until"])

    with pytest.raises(ValidationError) as refused:
        services.change_representative(new.id, representative("pnp_distrital", "", "X"),
                                       dt.date(2026, 2, 1))  # fmt: skip
    assert "posterior al 01/03/2026" in str(refused.value)


def test_bad_member_input_names_each_field_and_writes_nothing(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    bad = representative("iglesia", "  ", "Ana", dni="1234")
    with pytest.raises(ValidationError) as refused:
        services.save_member(wanchaq, bad)
    fields = {e.field: e.message for e in refused.value.errors}
    assert fields["entity_type_code"] == "Elija el tipo de entidad de la lista."
    assert "8 dígitos" in fields["document_number"]
    assert "entity_name" in fields
    assert rows(database, "SELECT count(*) FROM member") == [(0,)]
    far = replace(representative("cem", "CEM", "Ana"), until=dt.date(2300, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.save_member(wanchaq, far)
    assert refused.value.for_field("until") == (
        "«Hasta» está fuera de los años admitidos (1900–2200).",
    )


def test_norms_are_those_the_level_issues(services: AppServices) -> None:
    wanchaq = instancia(services)
    regional = NormRecordInput(NormRole.CREATES, NormType.REGIONAL_ORDINANCE, "001-2025", TODAY)
    with pytest.raises(ValidationError) as refused:
        services.save_norm(wanchaq, regional)
    assert refused.value.for_field("norm_type") == (
        "El gobierno de esta instancia no emite «Ordenanza Regional»; elija uno de la lista.",
    )
    # Lima Metropolitana, a municipality with regional functions, issues municipal ordinances
    # for its regional instancia too; a regional government does not.
    lima = next(
        s.id for s in services.list_instancias()
        if s.ubigeo == "1501" and s.level is InstanciaLevel.IRC
    )  # fmt: skip
    services.save_norm(lima, replace(creating_ordinance(), number="1234-MML"))
    cusco = next(s.id for s in services.list_instancias() if s.ubigeo == "08")
    with pytest.raises(ValidationError):
        services.save_norm(cusco, creating_ordinance())
    council = NormRecordInput(
        NormRole.AMENDS, NormType.COUNCIL_AGREEMENT, " 015-2026 ", dt.date(2026, 2, 2)
    )
    detail = services.save_norm(wanchaq, council)
    (norm,) = detail.norms
    assert (norm.title, norm.number) == ("Acuerdo de Concejo N° 015-2026", "015-2026")
    with pytest.raises(ValidationError):
        services.save_norm(wanchaq, creating_ordinance(TODAY + dt.timedelta(days=1)))


def test_created_asks_for_its_norm_or_why_it_is_missing(services: AppServices) -> None:
    wanchaq = instancia(services)
    visit = services.start_visit(wanchaq)
    bare = StageEventInput(Stage.CREATED, dt.date(2026, 3, 1), evidence="")
    with pytest.raises(ValidationError) as refused:
        services.record_stage_event(visit, bare)
    assert "por qué aún no se tiene" in refused.value.for_field("evidence")[0]
    wrong_level = StageEventInput(
        Stage.CREATED, dt.date(2026, 3, 1), "",
        NormInput(NormType.REGIONAL_DECREE, "001-2026", dt.date(2026, 3, 1)),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.record_stage_event(visit, wrong_level)
    assert refused.value.for_field("norm_norm_type")
    reason = StageEventInput(
        Stage.CREATED, dt.date(2026, 3, 1), "Ordenanza aprobada, pendiente de publicación"
    )
    services.record_stage_event(visit, reason)
    assert services.instancia_detail(wanchaq).summary.stage is Stage.CREATED
    # A norm already recorded sustains a hito; another instancia's does not, nor one typed
    # at the same time (which would it be?).
    mine = services.save_norm(wanchaq, creating_ordinance()).norms[0]
    other = instancia(services, "080102")
    theirs = services.save_norm(other, creating_ordinance()).norms[0]
    typed = NormInput(NormType.MUNICIPAL_ORDINANCE, "004-2025", dt.date(2026, 3, 1))
    for bad in (
        StageEventInput(Stage.CREATED, dt.date(2026, 3, 1), "", norm_id=theirs.id),
        StageEventInput(Stage.CREATED, dt.date(2026, 3, 1), "", typed, norm_id=mine.id),
    ):
        with pytest.raises(ValidationError) as refused:
            services.record_stage_event(visit, bad)
        assert refused.value.for_field("recorded_norm") == (
            "Elija una norma registrada de esta instancia, o escriba la norma debajo.",
        )
    services.record_stage_event(
        visit, StageEventInput(Stage.CREATED, dt.date(2026, 3, 2), "", norm_id=mine.id)
    )
    history = services.instancia_detail(wanchaq).history
    assert any(e.norm_title == mine.title for e in history)
    assert len(services.instancia_detail(wanchaq).norms) == 1  # no copy of it


def test_a_session_marks_its_attendees_and_a_correction_unmarks_one(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    detail = seat_all_required(services, wanchaq)
    present = frozenset(m.id for m in detail.members[:3])
    detail = services.save_session(wanchaq, session(dt.date(2026, 2, 20), present))
    (held,) = detail.sessions
    assert held.attendee_ids == present
    kept = frozenset(list(present)[:2])
    detail = services.save_session(wanchaq, session(dt.date(2026, 2, 20), kept), held.id)
    assert detail.sessions[0].attendee_ids == kept
    assert rows(database, "SELECT count(*) FROM session_attendance WHERE deleted") == [(1,)]
    # Only members of this instancia can attend.
    other = instancia(services, "080102")
    stranger = seat_all_required(services, other).members[0].id
    with pytest.raises(ValidationError) as refused:
        services.save_session(wanchaq, session(TODAY, frozenset({stranger})))
    assert refused.value.for_field("attendees")
    # The milestone «Primera sesión» is done once a session is recorded.
    assert detail.schedule[2].done


def test_only_who_held_the_seat_on_the_sessions_date_attends_it(
    services: AppServices,
) -> None:
    wanchaq = instancia(services)
    detail = services.save_member(
        wanchaq, representative("cem", "CEM Wanchaq", "Ana Ríos", since=dt.date(2025, 3, 1))
    )
    (ana,) = detail.members
    alterna = services.save_member(
        wanchaq,
        representative("cem", "CEM Wanchaq", "Eva Soto", seat=SeatKind.ALTERNATE,
                       dni="41234567", since=dt.date(2025, 3, 1)),
    ).members  # fmt: skip
    eva = next(m for m in alterna if m.person_name == "Eva Soto")
    assert (eva.seat, eva.document_number, eva.post) == (
        SeatKind.ALTERNATE,
        "41234567",
        "Representante",
    )
    changed = dt.date(2026, 1, 10)
    detail = services.change_representative(
        ana.id, representative("cem", "CEM Wanchaq", "Luz Quispe"), changed
    )
    luz = next(m for m in detail.members if m.person_name == "Luz Quispe")
    before = session(dt.date(2025, 11, 5), frozenset({ana.id, eva.id}))
    detail = services.save_session(wanchaq, before)  # Ana still held the seat then
    (held,) = detail.sessions
    with pytest.raises(ValidationError) as refused:
        services.save_session(wanchaq, session(dt.date(2026, 2, 1), frozenset({ana.id})))
    (message,) = refused.value.for_field("attendees")
    assert "No ocupaban su puesto el 01/02/2026" in message
    assert "CEM Wanchaq — Ana Ríos (titular)" in message
    with pytest.raises(ValidationError):  # nor before her tenure began
        services.save_session(wanchaq, session(dt.date(2025, 11, 5), frozenset({luz.id})))
    # Her tenure is corrected to begin later; correcting the earlier session's agenda still
    # keeps whom it counted, as stored (never dropped or refused for another field).
    ended = next(m for m in detail.members if m.id == ana.id)
    services.save_member(wanchaq, replace(as_typed(ended), since=dt.date(2025, 12, 1)), ana.id)
    fixed = replace(before, agenda="Aprobación del plan de trabajo")
    detail = services.save_session(wanchaq, fixed, held.id)
    assert detail.sessions[0].attendee_ids == frozenset({ana.id, eva.id})
    assert len(services.instancia_detail(wanchaq).sessions) == 1  # nothing half-written


def test_instruments_are_current_by_their_dates_and_checked(services: AppServices) -> None:
    wanchaq = instancia(services)
    detail = services.save_norm(wanchaq, rules_decree())
    decree = detail.norms[0].id
    services.save_instrument(wanchaq, rules_instrument(decree, dt.date(2025, 6, 2)))
    services.save_instrument(wanchaq, work_plan(2025, dt.date(2025, 2, 1)))
    detail = services.save_instrument(wanchaq, work_plan(2026, dt.date(2026, 2, 1)))
    states = {i.title: instrument_status(i, TODAY) for i in detail.instruments}
    assert states == {
        "Reglamento interno": "Vigente",
        "Plan de trabajo 2025": "Vencido",
        "Plan de trabajo 2026": "Vigente",
    }
    rules = next(i for i in detail.instruments if i.instrument_type is InstrumentType.RULES)
    assert rules.norm_title == "Decreto de Alcaldía N° 007-2025-MDW/A"
    # A later reglamento replaces it; a multi-year plan says so.
    newer = replace(rules_instrument(decree, dt.date(2026, 1, 20)), title="Reglamento 2026")
    services.save_instrument(wanchaq, newer)
    multi = InstrumentInput(
        InstrumentType.ACTION_PLAN, "Plan de acción 2025-2027", None,
        dt.date(2025, 1, 5), dt.date(2025, 1, 1), dt.date(2027, 12, 31),
    )  # fmt: skip
    detail = services.save_instrument(wanchaq, multi)
    shown = {i.title: instrument_status(i, TODAY, detail.instruments) for i in detail.instruments}
    assert (shown["Reglamento interno"], shown["Reglamento 2026"]) == ("Reemplazado", "Vigente")
    periods = {i.title: period_text(i) for i in detail.instruments}
    assert periods["Plan de trabajo 2026"] == "01/01/2026 – 31/12/2026 (anual)"
    assert periods["Plan de acción 2025-2027"] == "01/01/2025 – 31/12/2027 (plurianual)"
    assert periods["Reglamento 2026"] == "—"

    backwards = InstrumentInput(
        InstrumentType.ACTION_PLAN, "Plan", None, TODAY, dt.date(2026, 12, 31), dt.date(2026, 1, 1)
    )
    report = InstrumentInput(InstrumentType.REPORT, "Informe 2025", sent_on=TODAY)
    endless = InstrumentInput(InstrumentType.WORK_PLAN, "Plan", None, TODAY, TODAY)
    for bad, field in ((backwards, "period_end"), (report, "recipient"), (endless, "period_end")):
        with pytest.raises(ValidationError) as refused:
            services.save_instrument(wanchaq, bad)
        assert refused.value.for_field(field)


def test_the_schedule_is_shown_against_today(services: AppServices) -> None:
    wanchaq = instancia(services)
    detail = services.set_schedule(
        wanchaq,
        {
            "target_creation_on": TODAY - dt.timedelta(days=3),
            "target_installation_on": TODAY + dt.timedelta(days=12),
            "target_first_session_on": None,
        },
    )
    creation, installation, first = detail.schedule
    assert (creation.status(TODAY), creation.overdue(TODAY)) == ("vencido hace 3 días", True)
    assert installation.status(TODAY) == "vence en 12 días"
    assert first.status(TODAY) == "sin fecha acordada"
    # A year the server would refuse is refused here first, naming the date.
    with pytest.raises(ValidationError) as refused:
        services.set_schedule(wanchaq, {"target_first_session_on": dt.date(2999, 1, 1)})
    assert refused.value.for_field("target_first_session_on") == (
        "«Fecha prevista de la primera sesión» está fuera de los años admitidos (1900–2200).",
    )
    # The ranking shows the next pending step (this instancia is not created yet).
    line = next(r for r in services.priority_report().lines if r.id == wanchaq)
    assert line.schedule == "Ordenanza de creación: 07/03/2026 (vencido hace 3 días)"
    # Its creating norm recorded in «Normas» is the ordinance done, on the page and there.
    detail = services.save_norm(wanchaq, creating_ordinance())
    assert detail.schedule[0].done and detail.schedule[0].status(TODAY) == "cumplido"
    line = next(r for r in services.priority_report().lines if r.id == wanchaq)
    assert line.schedule == "Instalación: 22/03/2026 (vence en 12 días)"


def test_an_idc_installed_again_must_be_convened_again(services: AppServices) -> None:
    """Ley 31439: sessions held before the latest installation do not convene its members."""
    wanchaq = instancia(services)
    visit = services.start_visit(wanchaq)
    for stage, day in (
        (Stage.CREATED, dt.date(2019, 2, 1)),
        (Stage.INSTALLED, dt.date(2019, 5, 2)),
    ):
        services.record_stage_event(visit, StageEventInput(stage, day, "Acta en el archivo"))
    services.save_session(wanchaq, session(dt.date(2019, 6, 10)))

    def exposure() -> float:
        line = next(r for r in services.priority_report().lines if r.id == wanchaq)
        (found,) = (c for c in line.ranked.contributions if c.criterion is Criterion.LEGAL_EXPOSURE)
        return found.value

    assert exposure() == 0.0  # convened after it was installed
    reinstalled = StageEventInput(Stage.REACTIVATED, dt.date(2026, 1, 20), "Nueva juramentación")
    services.record_stage_event(visit, reinstalled)
    assert exposure() == 1.0  # the new members were never convened
    services.save_session(wanchaq, session(dt.date(2026, 2, 12)))
    assert exposure() == 0.0


def test_the_checklist_is_offered_what_the_records_hold(services: AppServices) -> None:
    wanchaq = instancia(services)
    detail = services.save_norm(wanchaq, creating_ordinance())
    detail = services.save_norm(wanchaq, rules_decree())
    decree = next(n.id for n in detail.norms if n.role is NormRole.REGULATES)
    services.save_instrument(wanchaq, rules_instrument(decree, dt.date(2025, 6, 2)))
    services.update_instancia(wanchaq, {"secretariat_unit": "Gerencia de Desarrollo Social"})
    members = seat_all_required(services, wanchaq).members
    services.save_session(wanchaq, session(dt.date(2026, 2, 20), frozenset(m.id for m in members)))
    visit = services.start_visit(wanchaq)

    view = services.checklist(visit)
    assert view is not None
    offered = view.suggestions
    creation = offered["norma_creacion"]
    assert (creation.answer.answer, creation.answer.evidence_type) == (
        Answer.YES, "Ordenanza Municipal",
    )  # fmt: skip
    assert creation.answer.evidence_number == "003-2025-MDW"
    rules = offered["reglamento_interno"]
    assert rules.reason == (
        "Reglamento interno aprobado por Decreto de Alcaldía N° 007-2025-MDW/A, 02/06/2025"
    )
    assert offered["secretaria_tecnica"].answer.answer is Answer.PARTIAL  # the unit, no person
    assert offered["sesiones"].answer.answer is Answer.PARTIAL  # one in the last semester
    assert "instalacion" not in offered  # no record says it was installed
    assert view.answers == {}  # offered, not answered
    assert view.records_stage is Stage.CREATED
    assert offered["integrantes"].answer.answer is Answer.PARTIAL  # CEM etc. still to check


def test_a_complete_record_offers_each_item_it_speaks_to(
    services: AppServices, tmp_path: Path
) -> None:
    wanchaq = instancia(services)
    scan = tmp_path / "Acta de sesión.pdf"
    scan.write_bytes(b"%PDF-1.7\nacta escaneada\n")
    detail = complete_record(services, wanchaq, scan)
    assert [f.filename for f in detail.sessions[0].files] == ["Acta de sesión.pdf"]
    assert all("(si existe en el distrito)" in gap for gap in detail.composition_gaps), (
        detail.composition_gaps  # only entities that sit where they exist remain to check
    )
    view = services.checklist(services.start_visit(wanchaq))
    assert view is not None
    answers = {code: offer.answer.answer for code, offer in view.suggestions.items()}
    expected = {
        "norma_creacion": Answer.YES,
        "presidencia": Answer.YES,
        "secretaria_tecnica": Answer.YES,
        "integrantes": Answer.PARTIAL,  # the «si existe» seats are hers to confirm
        "reglamento_interno": Answer.YES,
        "plan_trabajo": Answer.YES,
        "sesiones": Answer.PARTIAL,  # one of its two sessions in the last six months
        "informes_mimp": Answer.YES,
    }
    assert {code: answers.get(code) for code in expected} == expected
