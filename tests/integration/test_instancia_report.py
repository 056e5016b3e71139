"""The instancia report: history, visits, scores over time and agreements; exports kept inside."""

import dataclasses
import datetime as dt
import math
import re
import uuid
from pathlib import Path

import pytest
from helpers.acta_fixtures import (
    COMPLETE,
    IDC_V1,
    ORDINANCE,
    assert_in_order,
    assert_numbered,
    assert_only_embedded_dejavu,
    flat,
    instancia,
    page_count,
    page_texts,
    pdftotext,
    person,
    render_pngs,
    services_at,
    write_pdf,
)

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import AgreementState, Answer, Stage
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.visit_inputs import AgreementInput, StageEventInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import reports
from instancias_desktop.services.app_services import AppServices

REPORTED = dt.datetime(2026, 3, 20, 14, 30, tzinfo=dt.UTC)  # 09:30 of 20/03/2026 in Peru
HEADINGS = (
    "1. Historial de estados",
    "2. Visitas de asistencia técnica",
    "3. Puntaje de funcionamiento en el tiempo",
    "4. Acuerdos",
)
INSTALLED = ItemAnswer(Answer.YES, evidence_type="Acta de instalación", evidence_number="001-2026")


def on(database: Database, paths: ProfilePaths, day: dt.date) -> AppServices:
    """The services on a day, at 09:30 in Peru."""
    return services_at(database, paths, dt.datetime.combine(day, dt.time(14, 30), dt.UTC))


def number(sequence: int) -> str:
    return f"N° {sequence:03d}-2026-MIMP/DGCVG-DPVLV-E07"


@dataclasses.dataclass(frozen=True)
class History:
    instancia_id: uuid.UUID
    visits: dict[str, uuid.UUID]  # acta number: visit, in the order they were started
    scores: dict[str, float | None]  # acta number: checklist score, for the visits that have one


def visit_on(
    services: AppServices,
    answers: dict[str, ItemAnswer | None],
    agreement: AgreementInput | None,
    stage: StageEventInput | None,
    *,
    finalize: bool,
) -> uuid.UUID:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person())
    if answers:
        services.save_checklist_answers(visit_id, IDC_V1, answers)
    if agreement is not None:
        services.save_agreement(visit_id, agreement)
    if stage is not None:
        services.record_stage_event(visit_id, stage)
    if finalize:
        services.finalize_visit(visit_id)
    return visit_id


@pytest.fixture
def history(database: Database, profile_paths: ProfilePaths) -> History:
    """Four visits started out of date order: March, January, February, then a later March one."""
    march, january, february, late = (
        on(database, profile_paths, day)
        for day in (
            dt.date(2026, 3, 10), dt.date(2026, 1, 15), dt.date(2026, 2, 20), dt.date(2026, 3, 18)
        )
    )  # fmt: skip
    visits = {
        number(1): visit_on(
            march,
            {"norma_creacion": ORDINANCE, "instalacion": INSTALLED,
             "presidencia": ItemAnswer(Answer.YES), "sesiones": ItemAnswer(Answer.NO)},
            AgreementInput("Aprobar el reglamento interno", "Municipalidad de Wanchaq", "",
                           dt.date(2026, 4, 30)),
            None, finalize=False,
        ),
        number(2): visit_on(
            january,
            {"norma_creacion": ORDINANCE},
            AgreementInput("Presentar la ordenanza vigente", "Municipalidad de Wanchaq",
                           "Juan Pérez", dt.date(2026, 2, 1), "Ordenanza"),
            StageEventInput(Stage.CREATED, dt.date(2026, 1, 10), "Ordenanza 003-2025-MDW"),
            finalize=True,
        ),
        number(3): visit_on(
            february,
            {"norma_creacion": ORDINANCE, "instalacion": INSTALLED},
            AgreementInput("Juramentar a los integrantes", "Municipalidad de Wanchaq", "",
                           dt.date(2026, 2, 27), state=AgreementState.FULFILLED),
            StageEventInput(Stage.INSTALLED, dt.date(2026, 2, 18), "Acta de instalación 001"),
            finalize=True,
        ),
        number(4): visit_on(late, {"presidencia": ItemAnswer(Answer.YES)}, None, None,
                            finalize=False),
    }  # fmt: skip
    late.save_checklist_answers(visits[number(4)], IDC_V1, {"presidencia": None})  # cleared
    scores = {}
    for acta, visit_id in visits.items():
        view = march.checklist(visit_id)
        assert view is not None
        if view.answers:
            scores[acta] = view.result.score
    return History(instancia(march), visits, scores)


def sections(pages: list[str]) -> list[str]:
    """The text under each of the four headings, in order."""
    whole = "\n".join(pages)
    starts = [whole.index(h) for h in HEADINGS]
    return [whole[a:b] for a, b in zip(starts, [*starts[1:], len(whole)], strict=True)]


# ------------------------------------------------------------------------------- the DTO
def test_the_scores_are_those_of_the_checklists_oldest_first(
    database: Database, profile_paths: ProfilePaths, history: History
) -> None:
    services = on(database, profile_paths, REPORTED.date())
    report = reports.instancia_report(services.database, services.definitions, history.instancia_id)
    assert [p.acta_number for p in report.scores] == [number(2), number(3), number(1)]
    assert [p.final for p in report.scores] == [True, True, False]  # number(1): a draft
    assert [p.visit_date for p in report.scores] == sorted(p.visit_date for p in report.scores)
    assert {p.acta_number: p.score for p in report.scores} == history.scores
    assert len({p.score for p in report.scores}) == 3  # the chart has something to show
    assert (report.generated_at, report.generated_by) == (
        "20/03/2026 09:30",
        "Rosa Huamán Quispe, Especialista de la DPVLV",
    )
    assert len(report.detail.visits) == 4


# ------------------------------------------------------------------------------- the PDF
def test_the_report_reads_back_section_by_section(
    database: Database, profile_paths: ProfilePaths, history: History, tmp_path: Path
) -> None:
    services = on(database, profile_paths, REPORTED.date())
    document = services.instancia_report(history.instancia_id)
    assert document.file_name == "informe-instancia-idc-080108.pdf"
    assert services.instancia_report(history.instancia_id).pdf == document.pdf  # deterministic
    path = write_pdf(document.pdf, tmp_path, "informe")
    pages = page_texts(path)
    assert len(pages) == page_count(path)
    assert "Página 1 de " in pages[0]
    assert_numbered(pages)
    whole = flat(" ".join(pages))
    title = (
        "INFORME DE LA INSTANCIA Instancia Distrital de Concertación de Wanchaq Generado el"
        " 20/03/2026 09:30 por Rosa Huamán Quispe, Especialista de la DPVLV"
    )
    summary = ["Estado actual Instalada desde el 18/02/2026", "Visitas registradas 4"]
    assert_in_order(whole, [title, *summary, *HEADINGS])
    stages, visits, scores, agreements = (flat(s) for s in sections(pages))
    assert_in_order(stages, ["10/01/2026 Creada Ordenanza 003-2025-MDW",
                             "18/02/2026 Instalada Acta de instalación 001"])  # fmt: skip
    assert_in_order(visits, ["15/01/2026", "20/02/2026", "10/03/2026", "18/03/2026"])
    for sequence in (2, 3, 1, 4):
        assert f"N° {sequence:03d}-2026-MIMP/DGCVG" in visits
    assert visits.count("Finalizada") == 2 and visits.count("Borrador") == 2
    in_order = flat(pdftotext(path, "-raw")).split()  # each cell's lines one after the other
    assert " ".join(in_order).count("Finalizada, por firmar") == 2  # the acta's state
    types = {v.at_type.label for v in services.instancia_detail(history.instancia_id).visits}
    assert "Funcionamiento" in types
    assert all(word in in_order for t in types for word in t.split())  # no word cut in two
    assert_in_order(
        scores,
        # whole points, never rounded up (a score of 39.6 must not print as 40, a band's minimum)
        [f"{number(n)} {math.floor(history.scores[number(n)])} / 100" for n in (2, 3, 1)],
    )
    assert number(4) not in scores  # its answers were cleared
    # The draft's score is listed as such, and left out of the chart (dates as «dd/mm/yy»).
    assert scores.count("(borrador: puede cambiar)") == 1
    assert "Los borradores figuran en la tabla, no en el gráfico." in scores
    assert re.search(r"Puntaje( Calificación)? \(referencial\)", scores)  # a header wrapped
    assert "Referencial: los pesos, los tramos" in scores
    assert "15/01/26" in scores and "20/02/26" in scores and "10/03/26" not in scores
    assert whole.count("VENCIDO") == 1
    assert re.search(r"Presentar la ordenanza vigente .*01/02/2026 VENCIDO", agreements)
    assert re.search(r"Juramentar a los integrantes .*27/02/2026 Cumplido", agreements)
    assert re.search(r"Aprobar el reglamento interno .*30/04/2026 Pendiente", agreements)
    assert_only_embedded_dejavu(path)
    render_pngs(path, tmp_path / "png", len(pages))


def test_an_instancia_with_nothing_says_so_in_every_section(
    database: Database, profile_paths: ProfilePaths, tmp_path: Path
) -> None:
    services = on(database, profile_paths, REPORTED.date())
    wanchaq = instancia(services)
    report = reports.instancia_report(services.database, services.definitions, wanchaq)
    assert (report.scores, report.detail.visits, report.detail.history) == ((), (), ())
    path = write_pdf(services.instancia_report(wanchaq).pdf, tmp_path, "vacio")
    pages = page_texts(path)
    assert pages[0].count("Página 1 de 1") == 1
    assert_numbered(pages)
    assert_in_order(
        flat(" ".join(pages)),
        [
            "Estado actual No creada",
            "Visitas registradas 0",
            "1. Historial de estados Sin hitos registrados: la instancia figura como no creada.",
            "2. Visitas de asistencia técnica Aún no hay visitas registradas.",
            "3. Puntaje de funcionamiento en el tiempo Ninguna visita llenó la lista de"
            " verificación.",
            "4. Acuerdos No hay acuerdos registrados.",
        ],
    )
    assert_only_embedded_dejavu(path)
    render_pngs(path, tmp_path / "png", len(pages))


# ----------------------------------------------------------------------------- save_export
def test_an_export_is_written_whole_into_the_exports_folder(
    database: Database, profile_paths: ProfilePaths
) -> None:
    services = on(database, profile_paths, REPORTED.date())
    document = services.instancia_report(instancia(services))
    saved = services.save_export(document.file_name, document.pdf)
    assert saved == profile_paths.exports / "informe-instancia-idc-080108.pdf"
    assert saved.read_bytes() == document.pdf
    before = saved.stat().st_ino
    again = services.save_export(document.file_name, b"%PDF-1.4 otra")
    assert again == saved and saved.read_bytes() == b"%PDF-1.4 otra"
    assert saved.stat().st_ino != before  # replaced by a rename, never rewritten in place
    assert sorted(p.name for p in profile_paths.exports.iterdir()) == [saved.name]  # no .tmp left


@pytest.mark.parametrize(
    "name", ["../fuera.pdf", "../../fuera.pdf", "sub/../../fuera.pdf", "/tmp/h_acta_fuera.pdf"]
)
def test_an_export_never_leaves_the_exports_folder(
    database: Database, profile_paths: ProfilePaths, name: str
) -> None:
    services = on(database, profile_paths, REPORTED.date())
    saved = services.save_export(name, b"%PDF-1.4")
    assert saved.parent == profile_paths.exports
    assert saved.name == Path(name).name
    assert saved.read_bytes() == b"%PDF-1.4"
    assert not (profile_paths.root / "fuera.pdf").exists()
    assert not (profile_paths.root.parent / "fuera.pdf").exists()
    assert not Path("/tmp/h_acta_fuera.pdf").exists()
    assert [p.name for p in profile_paths.exports.iterdir()] == [saved.name]


@pytest.mark.parametrize("name", ["informe.pdf", ".."])
def test_an_export_that_cannot_be_written_leaves_nothing_behind(
    profile_paths: ProfilePaths, name: str
) -> None:
    """«Whole, or not at all»: a refused write must not leave its temporary file in exports.

    Fails today: when the final rename fails (here the name is taken by a folder, as when a
    viewer holds the file open on Windows), the ``.tmp`` copy stays in the exports folder.
    """
    folder = profile_paths.exports
    (folder / "informe.pdf").mkdir(parents=True)
    (folder / "informe.pdf" / "abierto.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises((OSError, ValueError)):
        reports.save_export(folder, name, b"%PDF-1.4 nuevo")
    assert sorted(p.name for p in folder.iterdir()) == ["informe.pdf"]
