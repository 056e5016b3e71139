"""The functioning checklist through the services: answers, finalization, comparison, upgrades."""

import dataclasses
import datetime as dt
import tomllib
import uuid
from pathlib import Path
from typing import Any

import pytest
from helpers.form_versions import after_every_release, file_of, following, latest
from helpers.profiles import loose_engine
from sqlalchemy import text

from instancias_desktop.db.migrate import HEAD_REVISION, current_revision, upgrade_database
from instancias_desktop.db.repositories.checklists import StoredDefinition
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import (
    Answer,
    AttachmentKind,
    DocumentType,
    InstanciaLevel,
    ParticipantRole,
    Stage,
)
from instancias_desktop.domain.finalization import FinalizedVisitError, IncompleteVisitError
from instancias_desktop.domain.form_changes import Trend
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import ParticipantInput
from instancias_desktop.formdefs.load import check_data
from instancias_desktop.paths import ProfilePaths, forms_dir
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings

FIXED = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)  # 09:30 of 10/03/2026 in Peru
ACTOR = "especialista.prueba"
SETTINGS = Settings(author=ACTOR, acta_series="E07")
WANCHAQ = "080108"  # an IDC
CUSCO_REGION = "08"  # an IRC
IDC_V1 = latest("funcionamiento_idc")  # the version a new draft gets (whatever forms/ holds)
IDC_V2 = following("funcionamiento_idc")  # the next one, delivered by a test
IRC_V1 = latest("funcionamiento_irc")  # likewise for the regional level
CHAIR = ParticipantInput(
    DocumentType.DNI, "45678912", "María Núñez Quispe", "Municipalidad de Wanchaq", "Regidora",
    ParticipantRole.CHAIR, consent=True,
)  # fmt: skip
COMPLETE = {
    "start_time": dt.time(9),
    "end_time": dt.time(11),
    "objective": "Evaluar",
    "agenda": "1",
    "development": "Ok",
}
TABLES = ("visit", "attachment", "checklist", "checklist_response", "form_definition")
ORDINANCE = ItemAnswer(
    Answer.YES, evidence_type="Ordenanza Municipal", evidence_number="003-2025-MDW",
    evidence_date=dt.date(2025, 3, 15), note="Vigente",
)  # fmt: skip
INSTALLED = ItemAnswer(Answer.YES, evidence_type="Acta de instalación", evidence_number="001-2025")
SESSIONS = ItemAnswer(Answer.YES, evidence_type="Acta de sesión", evidence_number="12")
NORMA_LINE = (
    "Lista de verificación: medio de verificación del ítem 1 "
    "(La norma de creación existe y está vigente (no derogada ni duplicada))."
)
NEW_ITEM = (  # appended to the last section
    '\n[[sections.items]]\nid = "presupuesto"\nanswer = "si_parcial_no"\nweight = 6\n'
    'text = "Cuenta con presupuesto para sus actividades"\n'
)


def services_at(database: Database, paths: ProfilePaths, when: dt.datetime = FIXED) -> AppServices:
    return AppServices(Database(database.engine, actor=ACTOR, clock=lambda: when), paths, SETTINGS)


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


def instancia(services: AppServices, ubigeo: str = WANCHAQ) -> uuid.UUID:
    return next(s.id for s in services.list_instancias() if s.ubigeo == ubigeo)


def draft(services: AppServices, ubigeo: str = WANCHAQ) -> uuid.UUID:
    return services.start_visit(instancia(services, ubigeo))


def ready_to_finalize(services: AppServices, visit_id: uuid.UUID) -> None:
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, CHAIR)


def rows(database: Database, sql: str, **params: object) -> list[tuple[Any, ...]]:
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {t: rows(database, f"SELECT * FROM {t} ORDER BY 1, 2") for t in TABLES}


def responses(database: Database, visit_id: uuid.UUID) -> dict[str, tuple[Any, ...]]:
    """item_code: (answer, deleted) of every stored answer of a visit."""
    sql = "SELECT item_code, answer, deleted FROM checklist_response WHERE visit_id = :v"
    return {r[0]: r[1:] for r in rows(database, sql, v=visit_id.hex)}


def annex(services: AppServices, visit_id: uuid.UUID, tmp_path: Path, name: str) -> uuid.UUID:
    source = tmp_path / name
    source.write_bytes(b"%PDF-1.4 " + name.encode())
    return services.attach_file(visit_id, source, AttachmentKind.DOCUMENT)


def replaced(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


def store_idc_v2(database: Database) -> None:
    """A v2 delivered to the profile: no «informes_mimp», other weight and answer, a new item."""
    v1 = file_of(IDC_V1).read_text(encoding="utf-8")
    start = v1.index('[[sections.items]]\nid = "informes_mimp"')
    end = v1.index("# ---", start)  # the next section
    source = replaced(
        v1[:start] + v1[end:], f"version = {IDC_V1.version}", f"version = {IDC_V2.version}"
    )
    installed = 'juramentación)"\nanswer = "si_no"\nweight = '
    source = replaced(source, installed + "10", installed + "9")
    campaigns = 'sensibilización"\nanswer = '
    source = replaced(source, campaigns + '"si_parcial_no"', campaigns + '"si_no"')
    source += NEW_ITEM
    checked = check_data(
        tomllib.loads(source),
        forms_dir() / "schema.json",
        f"{IDC_V2.form_id}/v{IDC_V2.version}.toml",
        source,
    )
    form = checked.definition
    stored = StoredDefinition(
        form.ref, form.title, form.levels, checked.canonical, checked.content_hash,
        after_every_release(), "server",
    )  # fmt: skip
    with database.unit_of_work() as uow:
        uow.checklists.store_definition(stored, FIXED)
        uow.commit()


# ---------------------------------------------------------------------------- the page
def test_a_new_draft_shows_the_form_of_its_level_unstarted(
    services: AppServices, database: Database
) -> None:
    idc = services.checklist(draft(services))
    assert idc is not None
    assert (idc.definition.ref, idc.level, idc.pinned, idc.editable) == (IDC_V1, "IDC", False, True)
    result = (idc.result.score, idc.result.band, idc.result.applicable, idc.result.answered)
    assert result == (0.0, "Incipiente", 14, 0)
    assert (idc.answers, idc.comparison, idc.newer, idc.attachments) == ({}, None, None, ())
    assert idc.result.suggested_stage is Stage.NOT_CREATED
    irc = services.checklist(draft(services, CUSCO_REGION))
    assert irc is not None
    assert (irc.definition.ref, irc.level, len(irc.definition.items)) == (IRC_V1, "IRC", 17)
    assert (irc.result.applicable, irc.result.score) == (17, 0.0)
    assert "observatorio_etapa" in irc.result.visible  # shown, blocked until «observatorio» is sí
    assert rows(database, "SELECT count(*) FROM checklist") == [(0,)]


def test_the_first_answer_pins_the_version_and_answers_keep_their_evidence(
    services: AppServices, database: Database, tmp_path: Path
) -> None:
    visit_id = draft(services, CUSCO_REGION)
    report = annex(services, visit_id, tmp_path, "informe-observatorio.pdf")
    etapa = ItemAnswer(
        Answer.PARTIAL, option="implementacion", evidence_type="Informe",
        evidence_attachment=str(report), note="En implementación desde 2025",
    )  # fmt: skip
    observatorio = ItemAnswer(
        Answer.YES, evidence_type="Ordenanza Regional", evidence_date=dt.date(2024, 8, 1)
    )
    view = services.save_checklist_answers(
        visit_id, IRC_V1, {"observatorio": observatorio, "observatorio_etapa": etapa}
    )
    assert (view.pinned, view.definition.ref) == (True, IRC_V1)
    assert view.answers == {"observatorio": observatorio, "observatorio_etapa": etapa}
    assert view.attachments == ((str(report), "informe-observatorio.pdf"),)
    assert view.result.score == pytest.approx(100 * (6 + 4 * 0.67) / 112)
    assert view.result.missing_evidence == ()
    pin = rows(database, "SELECT visit_id, form_id, form_version, author, deleted FROM checklist")
    assert pin == [(visit_id.hex, IRC_V1.form_id, IRC_V1.version, ACTOR, 0)]
    stored = rows(
        database,
        "SELECT item_code, answer, option, evidence_type, evidence_number, evidence_date, "
        "evidence_attachment_id, note, version, deleted FROM checklist_response ORDER BY 1",
    )
    assert stored == [
        ("observatorio", "si", "", "Ordenanza Regional", "", "2024-08-01", None, "", 1, 0),
        ("observatorio_etapa", "parcial", "implementacion", "Informe", "", None, report.hex,
         "En implementación desde 2025", 1, 0),
    ]  # fmt: skip
    assert services.checklist(visit_id) == view


def test_a_batch_with_a_refused_answer_writes_nothing(
    services: AppServices, database: Database, tmp_path: Path
) -> None:
    visit_id = draft(services)
    services.save_checklist_answers(visit_id, IDC_V1, {"norma_creacion": ORDINANCE})
    elsewhere = annex(services, draft(services), tmp_path, "ajeno.pdf")
    before = snapshot(database)
    batch = {
        "campanas": ItemAnswer(Answer.YES),  # fine, but not written with the others
        "presidencia": ItemAnswer(Answer.PARTIAL),
        "instalacion": dataclasses.replace(INSTALLED, evidence_date=dt.date(2026, 3, 11)),
        "sesiones": ItemAnswer(Answer.YES, "", "x" * 101, "", None, str(elsewhere)),
        "inventado": ItemAnswer(Answer.YES),
        "norma_creacion": None,  # a clearing is not written either
    }
    with pytest.raises(ValidationError) as caught:
        services.save_checklist_answers(visit_id, IDC_V1, batch)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("presidencia", "El ítem 2 se responde con: Sí, No."),
        ("instalacion", "La fecha del documento (11/03/2026) no puede ser posterior a hoy."),
        ("sesiones", "«Tipo de documento» admite hasta 100 caracteres; tiene 101. "
         "El archivo elegido ya no es un anexo de esta visita."),
        ("inventado", f"La ficha {IDC_V1} no tiene el ítem «inventado»."),
    ]  # fmt: skip
    assert snapshot(database) == before


def test_an_answer_that_contradicts_its_option_is_refused(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services, CUSCO_REGION)
    created = ItemAnswer(Answer.YES, evidence_type="Ordenanza Regional", evidence_number="012")
    services.save_checklist_answers(visit_id, IRC_V1, {"observatorio": created})
    before = snapshot(database)
    contradictory = {
        "presidencia": ItemAnswer(Answer.NO, option="si"),  # stored «no», scored as «sí»
        "observatorio_etapa": ItemAnswer(Answer.YES, option="diseno"),  # «sí» worth 0.34
    }
    with pytest.raises(ValidationError) as caught:
        services.save_checklist_answers(visit_id, IRC_V1, contradictory)
    assert [e.field for e in caught.value.errors] == ["presidencia", "observatorio_etapa"]
    assert snapshot(database) == before


def test_another_version_or_another_level_is_refused(
    services: AppServices, database: Database
) -> None:
    pinned = draft(services)
    services.save_checklist_answers(pinned, IDC_V1, {"presidencia": ItemAnswer(Answer.YES)})
    fresh = draft(services)
    before = snapshot(database)
    answers = {"presidencia": ItemAnswer(Answer.NO), "sesiones": ItemAnswer(Answer.NO)}
    for ref in (IDC_V2, IRC_V1):
        with pytest.raises(ValidationError) as caught:
            services.save_checklist_answers(pinned, ref, answers)
        message = f"La lista de esta visita sigue la ficha {IDC_V1}, no la {ref}: vuelva a abrirla."
        assert [(e.field, e.message) for e in caught.value.errors] == [
            ("presidencia", message), ("sesiones", message),
        ]  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.save_checklist_answers(fresh, IRC_V1, answers)
    message = f"La ficha {IRC_V1} no es para este nivel de instancia."
    assert caught.value.for_field("presidencia") == (message,)
    assert caught.value.for_field("sesiones") == (message,)
    assert snapshot(database) == before


def test_a_cleared_answer_is_tombstoned_and_comes_back_in_the_same_row(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    services.save_checklist_answers(visit_id, IDC_V1, {"presidencia": ItemAnswer(Answer.YES)})
    query = "SELECT id, answer, version, deleted FROM checklist_response"
    ((row_id, *_first),) = rows(database, query)
    view = services.save_checklist_answers(visit_id, IDC_V1, {"presidencia": None})
    assert (view.answers, view.pinned, view.result.score) == ({}, True, 0.0)
    assert rows(database, query) == [(row_id, "si", 2, 1)]
    view = services.save_checklist_answers(visit_id, IDC_V1, {"presidencia": ItemAnswer(Answer.NO)})
    assert view.answers == {"presidencia": ItemAnswer(Answer.NO)}
    assert rows(database, query) == [(row_id, "no", 3, 0)]
    assert rows(database, "SELECT version, deleted FROM checklist") == [(1, 0)]


# ---------------------------------------------------------------- finalize and delete
def test_finalization_waits_for_the_required_evidence_then_freezes_the_checklist(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    ready_to_finalize(services, visit_id)
    blocked = {"instalacion": ItemAnswer(Answer.NO), "reinstalacion": ItemAnswer(Answer.YES)}
    no_document = ItemAnswer(Answer.PARTIAL, evidence_type="Ordenanza Municipal")
    services.save_checklist_answers(visit_id, IDC_V1, {"norma_creacion": no_document, **blocked})
    before = snapshot(database)
    with pytest.raises(IncompleteVisitError) as caught:
        services.finalize_visit(visit_id)
    assert caught.value.missing == (NORMA_LINE,)  # «reinstalacion» does not apply yet
    assert str(caught.value) == f"Falta completar antes de finalizar:\n• {NORMA_LINE}"
    assert snapshot(database) == before
    services.save_checklist_answers(visit_id, IDC_V1, {"norma_creacion": ORDINANCE})
    services.finalize_visit(visit_id)
    frozen = snapshot(database)
    with pytest.raises(FinalizedVisitError) as refused:
        services.save_checklist_answers(visit_id, IDC_V1, {"presidencia": ItemAnswer(Answer.YES)})
    assert str(refused.value) == (
        "El acta N° 001-2026-MIMP/DGCVG-DPVLV-E07 está finalizada y no se puede modificar. "
        "Para corregirla, cree una adenda."
    )
    assert snapshot(database) == frozen
    view = services.checklist(visit_id)
    assert view is not None
    assert (view.editable, view.pinned, view.newer) == (False, True, None)
    assert view.answers == {"norma_creacion": ORDINANCE, **blocked}


def test_an_annex_removed_after_being_chosen_as_evidence_no_longer_counts(
    services: AppServices, tmp_path: Path
) -> None:
    visit_id = draft(services)
    ready_to_finalize(services, visit_id)
    scan = annex(services, visit_id, tmp_path, "ordenanza.pdf")
    only_the_file = ItemAnswer(
        Answer.YES, evidence_type="Ordenanza Municipal", evidence_attachment=str(scan)
    )
    services.save_checklist_answers(visit_id, IDC_V1, {"norma_creacion": only_the_file})
    services.remove_attachment(scan)
    with pytest.raises(IncompleteVisitError) as caught:
        services.finalize_visit(visit_id)
    assert caught.value.missing == (NORMA_LINE,)


def test_deleting_a_draft_tombstones_its_checklist_and_answers(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    services.save_checklist_answers(
        visit_id, IDC_V1, {"norma_creacion": ORDINANCE, "presidencia": ItemAnswer(Answer.NO)}
    )
    services.save_checklist_answers(visit_id, IDC_V1, {"presidencia": None})
    services.delete_draft(visit_id)
    assert rows(database, "SELECT deleted FROM checklist") == [(1,)]
    assert responses(database, visit_id) == {"norma_creacion": ("si", 1), "presidencia": ("no", 1)}


# ------------------------------------------------------------------------- comparison
def test_the_comparison_uses_the_latest_earlier_visit_with_answers(
    database: Database, profile_paths: ProfilePaths
) -> None:
    def on(day: int, month: int = 3) -> AppServices:
        return services_at(
            database, profile_paths, dt.datetime(2026, month, day, 15, tzinfo=dt.UTC)
        )

    oldest = draft(on(1, 2))
    on(1, 2).save_checklist_answers(oldest, IDC_V1, {"presidencia": ItemAnswer(Answer.NO)})
    previous = draft(on(10))  # created last-but-one, dated back to 15/02 below
    on(10).update_visit(previous, {"visit_date": dt.date(2026, 2, 15)})
    on(10).save_checklist_answers(
        previous, IDC_V1,
        {"norma_creacion": dataclasses.replace(ORDINANCE, answer=Answer.PARTIAL),
         "presidencia": ItemAnswer(Answer.YES), "sesiones": SESSIONS,
         "plan_trabajo": ItemAnswer(Answer.NO)},
    )  # fmt: skip
    ready_to_finalize(on(10), previous)
    on(10).finalize_visit(previous)
    cleared = draft(on(1))
    on(1).save_checklist_answers(cleared, IDC_V1, {"presidencia": ItemAnswer(Answer.NO)})
    on(1).save_checklist_answers(cleared, IDC_V1, {"presidencia": None})
    deleted = draft(on(5))
    on(5).save_checklist_answers(deleted, IDC_V1, {"presidencia": ItemAnswer(Answer.NO)})
    on(5).delete_draft(deleted)
    never_started = draft(on(6))
    other_district = next(
        s for s in on(8).list_instancias() if s.level is InstanciaLevel.IDC and s.ubigeo != WANCHAQ
    )
    elsewhere = on(8).start_visit(other_district.id)
    on(8).save_checklist_answers(elsewhere, IDC_V1, {"presidencia": ItemAnswer(Answer.NO)})
    current = draft(on(10))
    view = on(10).save_checklist_answers(
        current, IDC_V1,
        {"norma_creacion": ORDINANCE, "presidencia": ItemAnswer(Answer.YES),
         "sesiones": ItemAnswer(Answer.NO), "plan_trabajo": ItemAnswer(Answer.NOT_APPLICABLE)},
    )  # fmt: skip
    comparison = view.comparison
    assert comparison is not None
    previous_number = on(10).visit_detail(previous).visit.acta_number
    assert (comparison.previous_acta, comparison.previous_date) == (previous_number, "15/02/2026")
    assert comparison.previous_score == pytest.approx(100 * (5 + 8 + 8) / 96)
    assert comparison.score == pytest.approx(100 * (10 + 8) / 88)  # plan_trabajo no aplica
    moved = {c.code: (c.before, c.after, c.trend) for c in comparison.changes if c.before}
    assert moved == {
        "norma_creacion": ("Parcial", "Sí", Trend.IMPROVED),
        "presidencia": ("Sí", "Sí", Trend.UNCHANGED),
        "sesiones": ("Sí", "No", Trend.WORSENED),
        "plan_trabajo": ("No", "No aplica", Trend.NOT_COMPARABLE),
    }
    assert len(comparison.changes) == 14
    assert comparison.count(Trend.NOT_COMPARABLE) == 11
    for later in (cleared, never_started):
        shown = on(10).checklist(later)
        assert shown is not None and shown.comparison is not None
        assert shown.comparison.previous_acta == previous_number
    older = on(10).checklist(previous)
    assert older is not None and older.comparison is not None
    assert older.comparison.previous_date == "01/02/2026"
    assert on(10).checklist(oldest).comparison is None  # type: ignore[union-attr]
    assert on(10).checklist(elsewhere).comparison is None  # type: ignore[union-attr]


# --------------------------------------------------------------------------- upgrades
def test_a_draft_moves_to_a_newer_version_dropping_only_what_it_no_longer_admits(
    services: AppServices, database: Database
) -> None:
    finished = draft(services)
    ready_to_finalize(services, finished)
    services.save_checklist_answers(finished, IDC_V1, {"norma_creacion": ORDINANCE})
    services.finalize_visit(finished)
    visit_id = draft(services)
    services.save_checklist_answers(
        visit_id, IDC_V1,
        {"norma_creacion": ORDINANCE, "instalacion": INSTALLED,
         "informes_mimp": ItemAnswer(Answer.YES), "campanas": ItemAnswer(Answer.PARTIAL),
         "presidencia": ItemAnswer(Answer.NOT_APPLICABLE)},
    )  # fmt: skip
    store_idc_v2(database)
    view = services.checklist(visit_id)
    assert view is not None
    assert (view.definition.ref, view.newer) == (IDC_V1, IDC_V2)
    plan = services.checklist_upgrade_plan(visit_id)
    assert plan is not None
    assert (plan.old.ref, plan.new.ref) == (IDC_V1, IDC_V2)
    assert [i.code for i in plan.added] == ["presupuesto"]
    assert [i.code for i in plan.removed] == ["informes_mimp"]
    assert [(i.code, what) for i, what in plan.changed] == [
        ("instalacion", ("el peso",)), ("campanas", ("el tipo de respuesta",)),
    ]  # fmt: skip
    assert plan.dropped == ("campanas", "informes_mimp")
    assert plan.describe() == [
        "Nuevo ítem: 14. Cuenta con presupuesto para sus actividades",
        "Se retira el ítem: Remite sus informes al MIMP",
        "Cambia «Está instalada (acta de instalación o de juramentación)»: el peso",
        "Cambia «Realizó campañas de prevención o sensibilización»: el tipo de respuesta",
        "Se descartarán 2 respuestas que la nueva versión ya no admite.",
    ]
    upgraded = services.upgrade_checklist(visit_id, IDC_V2)
    assert (upgraded.definition.ref, upgraded.newer, upgraded.pinned) == (IDC_V2, None, True)
    assert set(upgraded.answers) == {"norma_creacion", "instalacion", "presidencia"}
    assert upgraded.result.score == pytest.approx(100 * (10 + 9) / (96 - 3 + 6 - 1 - 8))
    assert rows(
        database, "SELECT form_version, version FROM checklist WHERE visit_id = :v", v=visit_id.hex
    ) == [(IDC_V2.version, 2)]  # fmt: skip  (its second write)
    assert responses(database, visit_id) == {
        "norma_creacion": ("si", 0), "instalacion": ("si", 0), "presidencia": ("no_aplica", 0),
        "informes_mimp": ("si", 1), "campanas": ("parcial", 1),
    }  # fmt: skip
    assert services.checklist_upgrade_plan(visit_id) is None
    kept = services.checklist(finished)
    assert kept is not None
    assert (kept.definition.ref, kept.newer, kept.editable) == (IDC_V1, None, False)
    before = snapshot(database)
    with pytest.raises(FinalizedVisitError):
        services.upgrade_checklist(finished, IDC_V2)
    assert snapshot(database) == before
    unstarted = services.checklist(draft(services))
    assert unstarted is not None
    assert (unstarted.definition.ref, unstarted.pinned, unstarted.newer) == (IDC_V2, False, None)
    assert len(unstarted.definition.items) == 14


# --------------------------------------------------------------------------- migration
STAMPS = "created_at, updated_at, author, updated_by, version, deleted"
STAMPED = "'2026-02-03 15:00:00.000000', '2026-02-03 15:00:00.000000', 'demo', 'demo', 1, 0"
OLD = f"id, {STAMPS}, visit_id, item_code, answer, evidence_type, evidence_number, evidence_date, "
OLD += "note"
AT_0004 = (  # field work as revision 0004 stores it, written without the app's models
    "INSERT INTO territory (code, name, level, parent_code, vigente) VALUES ('08', 'Cusco', "
    "'department', NULL, 1), ('0801', 'Cusco', 'province', '08', 1), "
    "('080108', 'Wanchaq', 'district', '0801', 1)",
    "INSERT INTO government_unit (code, kind, name, ubigeo) VALUES "
    "('MD080108', 'district', 'Municipalidad Distrital de Wanchaq', '080108')",
    "INSERT INTO instancia (id, level, unit_code, name, chair_name, chair_post, "
    f"secretariat_unit, secretariat_person, {STAMPS}) "
    f"VALUES (:i, 'IDC', 'MD080108', 'IDC', '', '', '', '', {STAMPED})",
    "INSERT INTO visit (id, instancia_id, acta_number, visit_date, start_time, place, "
    "place_ubigeo, modality, at_type, objective, agenda, development, instruments, diagnosis, "
    f"status, {STAMPS}) "
    "VALUES (:v, :i, 'N° 001-2026', '2026-02-03', '09:00:00.000000', 'Municipalidad', '080108', "
    f"'presencial', 'creacion', '', '', '', '', '', 'borrador', {STAMPED})",
    f"INSERT INTO checklist_response ({OLD}) VALUES (:r, {STAMPED}, :v, 'norma_creacion', 'si', "
    "'Ordenanza Municipal', '003-2025', '2025-03-15', 'Vigente')",
)


def test_answers_recorded_before_0005_keep_their_values_with_empty_new_fields(
    tmp_path: Path,
) -> None:
    engine = loose_engine(tmp_path / "instancias.sqlite3")
    database = Database(engine, actor=ACTOR)
    upgrade_database(engine, tmp_path / "backups", head="0004_visit_list_indexes")
    visit_id = uuid.uuid4()
    ids = {"i": uuid.uuid4().hex, "v": visit_id.hex, "r": uuid.uuid4().hex}
    try:
        with engine.begin() as connection:
            for statement in AT_0004:
                connection.execute(text(statement), ids)
        before = rows(database, f"SELECT {OLD} FROM checklist_response")
        report = upgrade_database(engine, tmp_path / "backups")
        assert (report.from_revision, report.to_revision, current_revision(engine)) == (
            "0004_visit_list_indexes", HEAD_REVISION, HEAD_REVISION,
        )  # fmt: skip
        after = rows(
            database, f"SELECT {OLD}, option, evidence_attachment_id FROM checklist_response"
        )
        assert after == [(*before[0], "", None)]
        assert rows(database, "PRAGMA foreign_key_check") == []
        with database.reader() as uow:
            assert uow.checklists.answers(visit_id) == {
                "norma_creacion": dataclasses.replace(ORDINANCE, evidence_number="003-2025")
            }
            assert uow.checklists.pinned(visit_id) is None
    finally:
        engine.dispose()
