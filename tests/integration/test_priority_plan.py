"""Priority ranking, territory figures, weights and the visit plan through the services (SQLite)."""

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from helpers.app import ACTOR, FIXED, TODAY, WANCHAQ, instancia, rows, services_at
from helpers.enrolment import sign_in
from helpers.laptops import device
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.entities import StageEvent
from instancias_desktop.domain.enums import Criterion, InstanciaLevel, Stage
from instancias_desktop.domain.priority import WeightsError
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.priority import WeightsLockedError
from sync.server import published
from sync.server.app import utc_now
from sync.transport_memory import MemoryTransport


def enrol(
    database: Database, role: str = "especialista", territories: tuple[str, ...] = ("08",)
) -> None:
    """This profile's specialist signed in with that role and those territories."""
    sign_in(database, ACTOR, role, territories)


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


def figures_file(tmp_path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "cifras.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_specialist_ranks_her_territories_and_each_rank_explains_itself(
    services: AppServices, database: Database
) -> None:
    whole = services.priority_report()
    assert whole.scope == "todo el país" and len(whole.lines) > 1_800
    enrol(database, territories=("08",))
    report = services.priority_report()
    assert report.scope == "Cusco"
    assert {line.ranked.instancia.ubigeo[:2] for line in report.lines} == {"08"}
    assert [line.ranked.rank for line in report.lines] == list(range(1, len(report.lines) + 1))
    first = report.lines[0].ranked
    # nothing recorded yet: a district without instancia, its mayor bound by Ley 31439, leads
    assert (first.instancia.level, first.score) == (InstanciaLevel.IDC, pytest.approx(50.0))
    assert first.explanation == (
        "Brecha de estado 30.0 + Exposición legal (Ley N° 31439) 15.0 + "
        "Tiempo desde la última visita 5.0"
    )
    irc = next(x.ranked for x in report.lines if x.ranked.instancia.level is InstanciaLevel.IRC)
    assert irc.score == pytest.approx(40.0) and "Cascada" in irc.explanation
    assert first.score == pytest.approx(sum(c.points for c in first.contributions))
    assert report.weights.source == "valores por defecto" and not report.weights.editable
    assert report.term_start == dt.date(2023, 1, 1)
    assert "sin cifras importadas" in report.figures


def test_imported_figures_raise_the_burdened_district_and_add_up_for_its_province(
    services: AppServices, database: Database, tmp_path: Path
) -> None:
    enrol(database, territories=("0801",))
    before = {
        line.ranked.instancia.ubigeo: line.ranked for line in services.priority_report().lines
    }
    path = figures_file(
        tmp_path,
        "ubigeo;casos_violencia;cem;alertas_defensoria;solicitud\n"
        "080108;120,5;sí;2;x\n80104;30;no;0;\n",  # Excel lost the leading zero of 080104
    )
    result = services.import_figures(path)
    assert (result.errors, result.summary()) == ((), "2 filas válidas, sin errores")
    report = services.priority_report()
    after = {line.ranked.instancia.ubigeo: line.ranked for line in report.lines}
    wanchaq = {c.criterion: c for c in after[WANCHAQ].contributions}
    assert wanchaq[Criterion.VIOLENCE_BURDEN].value == 1.0  # the largest district figure
    assert wanchaq[Criterion.CEM_PRESENCE].value == 1.0
    assert wanchaq[Criterion.DEMAND].value == 1.0
    assert wanchaq[Criterion.EXTERNAL_ALERTS].value == pytest.approx(2 / 3)
    assert after[WANCHAQ].rank < before[WANCHAQ].rank
    province = {c.criterion: c for c in after["0801"].contributions}
    assert province[Criterion.CEM_PRESENCE].value == 1.0  # a CEM in one of its districts
    assert "2 territorios con cifras importadas de cifras.csv" in report.figures
    assert rows(database, "SELECT ubigeo, violence_cases FROM territory_figure ORDER BY 1") == [
        ("080104", 30.0), ("080108", 120.5),
    ]  # fmt: skip
    services.import_figures(figures_file(tmp_path, 'ubigeo,casos_violencia\n080108,"1,204"\n'))
    # a new file replaces the figures held: Wanchaq's CEM and 080104 are gone with the old one
    assert rows(database, "SELECT ubigeo, violence_cases, has_cem FROM territory_figure") == [
        ("080108", 1204.0, None),
    ]


def test_a_file_with_bad_rows_is_reported_line_by_line_and_changes_nothing(
    services: AppServices, database: Database, tmp_path: Path
) -> None:
    path = figures_file(
        tmp_path,
        "ubigeo;casos_violencia\n080108;12\n999999;3\n080104;doce\n080108;4\n",
        encoding="cp1252",
    )
    result = services.import_figures(path)
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "ubigeo"), (4, "casos_violencia"), (5, "ubigeo"),
    ]  # fmt: skip
    assert "999999" in result.errors[0].message and "línea 2" in result.errors[2].message
    assert rows(database, "SELECT count(*) FROM territory_figure") == [(0,)]


def test_only_a_supervisor_changes_the_weights_and_bad_weights_are_refused(
    services: AppServices, database: Database
) -> None:
    enrol(database)
    with pytest.raises(WeightsLockedError, match="Solo un\\(a\\) supervisor\\(a\\)"):
        services.set_weights({"cascada": 100})
    enrol(database, role="supervisor", territories=())
    with pytest.raises(WeightsError, match="Criterio desconocido «distancia»"):
        services.set_weights({"distancia": 10})
    assert rows(database, "SELECT count(*) FROM priority_weights") == [(0,)]
    weights = services.set_weights({"tiempo_sin_visita": 50, "brecha_estado": 50})
    assert (weights.source, weights.editable) == (ACTOR, True)
    report = services.priority_report()
    assert report.scope == "todo el país"
    assert all(
        c.points == 0
        for line in report.lines
        for c in line.ranked.contributions
        if c.criterion not in (Criterion.TIME_SINCE_VISIT, Criterion.STAGE_GAP)
    )


def test_members_sworn_in_before_this_term_call_for_reactivation(
    services: AppServices, database: Database
) -> None:
    enrol(database, territories=("0801",))
    wanchaq = instancia(services)
    with database.unit_of_work() as uow:
        uow.registry.add_stage_events(
            [
                StageEvent(wanchaq, Stage.CREATED, dt.date(2019, 3, 1)),
                StageEvent(wanchaq, Stage.INSTALLED, dt.date(2019, 6, 1)),
                StageEvent(wanchaq, Stage.FUNCTIONING, dt.date(2024, 2, 1)),
            ]
        )
        uow.commit()
    line = next(
        x for x in services.priority_report().lines if x.ranked.instancia.instancia_id == wanchaq
    )
    values = {c.criterion: c.value for c in line.ranked.contributions}
    assert (values[Criterion.REACTIVATION], values[Criterion.STAGE_GAP]) == (1.0, 0.0)
    assert "Reactivación necesaria" in line.ranked.explanation


def test_a_plan_is_built_ordered_and_a_planned_visit_opens_prefilled(
    services: AppServices, database: Database, profile_paths: ProfilePaths
) -> None:
    enrol(database, territories=("0801",))
    ranked = [line.ranked.instancia.instancia_id for line in services.priority_report().lines]
    monday = TODAY + dt.timedelta(days=6)
    first, second, third = services.add_to_plan(ranked[:3], monday, "Asistencia para instalar")
    with pytest.raises(ValidationError) as refused:
        services.add_to_plan([ranked[0]], monday)
    assert refused.value.for_field("instancias") == (
        "Esa instancia ya está en el plan para ese día.",
    )
    with pytest.raises(ValidationError) as past:
        services.add_to_plan([ranked[4]], TODAY - dt.timedelta(days=1))
    assert past.value.for_field("planned_on") == (
        "La fecha planificada (09/03/2026) ya pasó; elija hoy (10/03/2026) o una fecha posterior.",
    )
    services.move_planned(third, -1)
    assert [p.id for p in services.planned_visits()] == [first, third, second]
    services.reschedule_planned(first, monday, "Solo cambia la nota")
    kept = services.planned_visits()[0]  # a new note alone keeps the place in the route
    assert (kept.id, kept.entry.note) == (first, "Solo cambia la nota")
    services.reschedule_planned(first, monday + dt.timedelta(days=1), "Reactivar")
    plan = services.planned_visits()
    assert [(p.id, p.entry.position, p.entry.planned_on) for p in plan] == [
        (third, 1, monday), (second, 2, monday), (first, 1, monday + dt.timedelta(days=1)),
    ]  # fmt: skip
    visit_id = services.start_planned_visit(third)
    visit = services.visit_detail(visit_id).visit
    assert (visit.instancia_id, visit.objective) == (ranked[2], "Asistencia para instalar")
    assert services.start_planned_visit(third) == visit_id  # the same draft, not a second one
    (shown,) = [p for p in services.planned_visits() if p.id == third]
    assert shown.acta_number == visit.acta_number
    services.delete_draft(visit_id)
    assert services.start_planned_visit(third) != visit_id  # a deleted draft: a new one
    services.remove_planned(second)
    assert [p.id for p in services.planned_visits()] == [third, first]


def test_the_day_overview_gathers_plan_drafts_due_agreements_and_sync(
    services: AppServices, database: Database, profile_paths: ProfilePaths
) -> None:
    wanchaq = instancia(services)
    services.add_to_plan([wanchaq], TODAY + dt.timedelta(days=3))
    services.add_to_plan([instancia(services, "0801")], TODAY + dt.timedelta(days=20))  # too far
    draft = services.start_visit(wanchaq)
    services.start_visit(instancia(services, "0801"))  # by another specialist: not hers
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE visit SET author = 'otra' WHERE id != ?", (draft.hex,))
    for text, days in (("Lejano", 30), ("Pronto", 5), ("Hoy", 0)):
        deadline = TODAY + dt.timedelta(days=days)
        services.save_agreement(draft, AgreementInput(text, "Municipalidad", "", deadline))
    day = services.day_overview()
    assert [p.entry.instancia_id for p in day.planned] == [wanchaq]
    assert [v.id for v in day.drafts] == [draft]
    assert [a.description for a in day.due] == ["Hoy", "Pronto"]
    assert day.sync.pending > 0 and day.today == TODAY
    later = services_at(database, profile_paths, FIXED + dt.timedelta(days=1))
    assert later.day_overview().today == TODAY + dt.timedelta(days=1)


def test_weights_published_on_the_server_arrive_and_rank_and_bad_ones_are_refused(
    services: AppServices,
    database: Database,
    server: sessionmaker[Session],
) -> None:
    laptop = dataclasses.replace(
        services, sync_link=lambda *_: MemoryTransport(server, device("a"))
    )
    enrol(database)
    with server.begin() as session:  # what «admin publish-weights» does
        for key, text in (
            ("pesos@2027-1", "[pesos]\ntiempo_sin_visita = 60\nbrecha_estado = 40\n"),
            ("pesos@2027-2", "[pesos]\ndistancia = 100\n"),  # refused: not a criterion here
        ):
            published.publish(
                session, "pesos", key, f'version = "x"\n{text}', by="admin", now=utc_now()
            )
    assert laptop.synchronize(lambda _s: None).complete
    lines = [e.message for e in reversed(laptop.sync_journal()) if e.event == "fichas"]
    assert lines[0] == "Pesos de prioridad recibidos del servidor: pesos@2027-1."
    assert lines[1].startswith("Pesos pesos@2027-2 rechazados: Criterio desconocido «distancia».")
    report = services.priority_report()
    assert report.weights.source == "servidor (pesos@2027-1)" and not report.weights.editable
    assert report.weights.weights.as_mapping()["tiempo_sin_visita"] == 60
    assert all(
        c.points == 0
        for line in report.lines
        for c in line.ranked.contributions
        if c.criterion not in (Criterion.TIME_SINCE_VISIT, Criterion.STAGE_GAP)
    )


def test_the_ranking_and_the_plan_export_to_excel_and_csv(
    services: AppServices, database: Database, tmp_path: Path
) -> None:
    enrol(database, territories=("0801",))
    lines = services.priority_report().lines
    services.add_to_plan([lines[0].ranked.instancia.instancia_id], TODAY, "Instalar")
    ranking = services.export_ranking(lines, tmp_path / "p.xlsx")
    assert ranking.personal_data == () and "No contiene datos personales" in ranking.message
    workbook = openpyxl.load_workbook(ranking.path)
    sheet = workbook.active
    assert sheet is not None and sheet.title == "Prioridades"
    notice = workbook["Datos personales"]["A1"].value
    assert notice == "Esta lista no contiene datos personales."
    values = list(sheet.iter_rows(values_only=True))
    header, first = values[0], values[1]
    assert len(values) == len(lines) + 1
    assert header[:7] == ("Prioridad", "Instancia", "Nivel", "Ubigeo", "Territorio",
                          "Estado de la instancia", "Puntaje (referencial)")  # fmt: skip
    assert header[7:17] == tuple(c.label for c in Criterion) and header[17] == "Explicación"
    assert header[18] == "Cronograma acordado"
    assert first[0] == 1 and first[6] == pytest.approx(sum(first[7:17]), abs=0.05)  # type: ignore[arg-type]
    plan = services.export_plan(services.planned_visits(), tmp_path / "plan.csv")
    assert "Contiene datos personales (la nota de cada visita planificada" in plan.message
    text = plan.path.read_bytes()
    rows_ = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=","))
    assert rows_[0][:3] == ["Fecha", "Orden", "Instancia"]
    assert rows_[1][0] == "10/03/2026" and rows_[1][6] == "Instalar"
    with pytest.raises(ValueError, match=r"use un nombre terminado en \.xlsx o \.csv"):
        services.export_plan(services.planned_visits(), tmp_path / "plan.pdf")


def test_lima_metropolitana_counts_its_districts_and_the_lima_region_only_the_others(
    services: AppServices, tmp_path: Path
) -> None:
    path = figures_file(tmp_path, "ubigeo;casos_violencia;cem\n150101;900;sí\n150201;40;no\n")
    assert services.import_figures(path).errors == ()
    irc = {
        line.ranked.instancia.ubigeo: line.ranked.instancia
        for line in services.priority_report().lines
        if line.ranked.instancia.level is InstanciaLevel.IRC
    }
    metropolitana, region = irc["1501"], irc["15"]
    assert (metropolitana.violence_figure, metropolitana.has_cem) == (900.0, True)
    assert (region.violence_figure, region.has_cem) == (40.0, False)
