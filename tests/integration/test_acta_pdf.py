"""The acta PDF read back: sections, page marks, watermark, code, Spanish text, signature rows."""

import dataclasses
import re
from pathlib import Path

import pytest
from helpers.acta_fixtures import (
    FONTS,
    IDC_V1,
    ORDINANCE,
    SECTIONS,
    assert_in_order,
    assert_numbered,
    assert_only_embedded_dejavu,
    finalized_footer,
    flat,
    footer,
    instancia,
    page_count,
    page_texts,
    render_pngs,
    services_at,
    watermarks,
    write_pdf,
)

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.acta_code import snapshot_of
from instancias_desktop.domain.acta_record import (
    ActaRecord,
    AgreementLine,
    ChecklistLine,
    ChecklistPart,
    ParticipantLine,
)
from instancias_desktop.domain.documents import ActaDocument
from instancias_desktop.domain.enums import Answer
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.pdf.acta import render_acta

SPANISH = tuple("áéíóúÁÉÍÓÚñÑüÜ¿¡°«»—…")
FIRST = ("Ñusta", "José", "Ángela", "Raúl", "Úrsula", "Inés", "Óscar", "Mónica", "Begoña", "Jesús",
         "Noemí", "Íñigo")  # fmt: skip
LAST = ("Núñez", "Güémez", "Peña", "Quispe", "Mamani", "Ibáñez", "Muñoz", "Argüelles", "Huamán",
        "Cáceres")  # fmt: skip
LONG_ENTITY = (
    "Centro Emergencia Mujer de Wanchaq — Programa Nacional Warmi Ñan, sede de la provincia"
    " del Cusco, con atención las 24 horas del día y articulación con la Comisaría de Familia"
)
ROLES = ("Presidente(a)", "Integrante", "Invitado(a)", "Secretaría Técnica")
NUMBER = "N° 001-2026-MIMP/DGCVG-DPVLV-E07"


def long_text(topic: str, paragraphs: int) -> str:
    """Several thousand characters, one paragraph per blank line, every Spanish character."""
    sentence = (
        f"¿Cómo avanzó {topic}? ¡Bien! La señora Ñusta pidió «más» apoyo… el año N° 2"
        " tuvo 40° de avance — según el pingüino de la campaña ÁÉÍÓÚ Ü. "
    )
    return "\n\n".join(f"Párrafo {n} de {topic}: " + sentence * 8 for n in range(1, paragraphs + 1))


def participants() -> tuple[ParticipantLine, ...]:
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    return tuple(
        ParticipantLine(
            number=n,
            full_name=name,
            document=f"DNI {40000000 + n * 1237:08d}",
            entity=LONG_ENTITY if n % 9 == 0 else "Municipalidad Distrital de Wanchaq",
            post="Coordinadora del área de la mujer y poblaciones vulnerables" if n % 5 else "",
            role=ROLES[n % len(ROLES)],
        )
        for n, name in enumerate(names, start=1)
    )


def agreements() -> tuple[AgreementLine, ...]:
    return tuple(
        AgreementLine(
            number=n,
            description=f"Acuerdo {n}: aprobar el «plan» de acción ¿cuándo? ¡ya! — "
            + "elaborar el diagnóstico con enfoque de género y la ruta de atención local. "
            * (1 + n % 4),
            responsible="Municipalidad Distrital de Wanchaq — Rosa Ibáñez",
            deadline="30/04/2026",
            verification="Acta de sesión" if n % 3 else "",
        )
        for n in range(1, 41)
    )


CHECKLIST = ChecklistPart(
    title="Lista de verificación del funcionamiento de la Instancia Distrital de Concertación",
    form="funcionamiento_idc v1",
    lines=(
        ChecklistLine("Creación e instalación", 1, "La norma de creación existe", "Sí",
                      "Ordenanza Municipal, N° 003-2025-MDW, 15/03/2025", "Vigente"),
        ChecklistLine("Creación e instalación", 2, "La preside la máxima autoridad", "No", "", ""),
        ChecklistLine("Resultados", 13, "Realizó campañas de prevención", "Parcialmente",
                      "Informe", ""),
    ),
    score="49 / 100",
    band="En proceso",
    suggested_stage="Creada",
    answered="3 de 14",
)  # fmt: skip

BIG = ActaRecord(
    acta_number=NUMBER,
    finalized=True,
    finalized_at="10/03/2026 11:05",
    addendum_of="",
    visit_date="10/03/2026",
    start_time="09:30",
    end_time="11:00",
    place="Auditorio de la Municipalidad Distrital de Wanchaq",
    territory="Wanchaq, Cusco, Cusco (ubigeo 080108)",
    modality="Presencial",
    entity="Municipalidad Distrital de Wanchaq",
    instancia="Instancia Distrital de Concertación de Wanchaq",
    level="Distrital",
    at_type="Funcionamiento",
    stage="Creada",
    objective=long_text("el objetivo", 6),
    agenda="1. Bienvenida.\n2. Revisión de acuerdos.\n3. Lista de verificación.",
    development=long_text("el desarrollo", 9),
    instruments="Guía de funcionamiento; «Ruta de atención» — versión 2026.",
    diagnosis=long_text("el diagnóstico", 2),
    checklist=CHECKLIST,
    agreements=agreements(),
    participants=participants(),
    specialist="especialista.prueba",
)
CODE = snapshot_of(BIG).code
DRAFT = dataclasses.replace(BIG, finalized=False, finalized_at="")
SMALL = dataclasses.replace(
    DRAFT,
    addendum_of="N° 000-2026-MIMP/DGCVG-DPVLV-E07",
    end_time="",
    objective="Revisar <b>negritas</b> & <i>marcas</i> escritas a mano",
    development="",
    instruments="",
    diagnosis="",
    checklist=None,
    agreements=(),
    participants=(),
)


def word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("acta_pdf")


@pytest.fixture(scope="module")
def finalized_pdf(folder: Path) -> Path:
    return write_pdf(render_acta(BIG, CODE, FONTS), folder, "acta-finalizada")


@pytest.fixture(scope="module")
def draft_pdf(folder: Path) -> Path:
    return write_pdf(render_acta(DRAFT, "", FONTS), folder, "acta-borrador")


@pytest.fixture(scope="module")
def finalized_pages(finalized_pdf: Path) -> list[str]:
    return page_texts(finalized_pdf)


@pytest.fixture(scope="module")
def draft_pages(draft_pdf: Path) -> list[str]:
    return page_texts(draft_pdf)


# ------------------------------------------------------------------------ layout and marks
@pytest.mark.parametrize("kind", ["finalized", "draft"])
def test_the_sections_follow_each_other_in_order_once_each(
    kind: str, finalized_pages: list[str], draft_pages: list[str]
) -> None:
    whole = flat(" ".join(finalized_pages if kind == "finalized" else draft_pages))
    assert_in_order(
        whole,
        [
            "ACTA DE ASISTENCIA TÉCNICA",
            *SECTIONS[:4],
            "Lista de verificación: Lista de verificación del funcionamiento",
            "Puntaje de funcionamiento (referencial): 49 / 100 (En proceso) · Estado sugerido "
            "(referencial): Creada",
            "Referencial: los pesos, los tramos y las reglas del estado sugerido los fija el MIMP",
            *SECTIONS[4:],
        ],
    )
    for section in SECTIONS:
        assert whole.count(section) == 1, section


@pytest.mark.parametrize("kind", ["finalized", "draft"])
def test_every_page_says_page_x_of_y(
    kind: str, finalized_pdf: Path, draft_pdf: Path, finalized_pages: list[str]
) -> None:
    path = finalized_pdf if kind == "finalized" else draft_pdf
    pages = page_texts(path)
    assert len(pages) == page_count(path) >= 10
    assert_numbered(pages)
    assert len(pages) == len(finalized_pages)  # the watermark changes nothing in the layout


def test_a_finalized_acta_has_its_code_on_every_page_and_no_draft_mark(
    finalized_pdf: Path, finalized_pages: list[str]
) -> None:
    total = len(finalized_pages)
    for number, page in enumerate(finalized_pages, start=1):
        assert footer(page) == finalized_footer(CODE, number, total)
        assert "BORRADOR" not in page
    assert watermarks(finalized_pdf) == [0] * len(finalized_pages)
    last = flat(finalized_pages[-1])
    whole = flat(" ".join(finalized_pages))
    closing = (  # before the signatures it introduces
        "6. Participantes Siendo las 11:00 horas del 10/03/2026, se dio por concluida la reunión."
        " Los participantes firman la presente acta en señal de conformidad."
    )
    assert closing in whole
    assert whole.index(closing) < whole.index("Nombres y apellidos")
    assert "7. Verificación" in last
    assert (
        f"Acta finalizada el 10/03/2026 11:05 por especialista.prueba. Código de verificación:"
        f" {CODE}. Este código se obtiene del contenido registrado del acta (SHA-256): permite"
        " comprobar que este papel corresponde a lo registrado."
    ) in last


def test_a_draft_has_the_watermark_on_every_page_and_no_code(
    draft_pdf: Path, draft_pages: list[str]
) -> None:
    assert watermarks(draft_pdf) == [1] * len(draft_pages)
    total = len(draft_pages)
    for number, page in enumerate(draft_pages, start=1):
        assert footer(page) == f"BORRADOR — sin validez para firma Página {number} de {total}"
        assert "Código de verificación" not in page
        assert CODE not in page
    assert (
        "BORRADOR: este documento no es el acta finalizada y no lleva código de verificación."
    ) in flat(draft_pages[-1])


# ----------------------------------------------------------------------- long content
def test_every_spanish_character_and_every_paragraph_survive(
    finalized_pages: list[str],
) -> None:
    whole = flat(" ".join(finalized_pages))
    for character in SPANISH:
        assert character in whole, character
    written = " ".join((BIG.objective, BIG.development, BIG.diagnosis)).split()
    assert len(" ".join((BIG.objective, BIG.development)).replace("\n\n", " ")) > 6_000
    for token in ("«más»", "¿Cómo", "¡Bien!", "apoyo…", "40°", "pingüino", "ÁÉÍÓÚ", "Ü."):
        assert whole.split().count(token) == written.count(token) > 0, token  # none lost
    for topic, count in (("el objetivo", 6), ("el desarrollo", 9), ("el diagnóstico", 2)):
        for n in range(1, count + 1):
            assert f"Párrafo {n} de {topic}: ¿Cómo avanzó {topic}? ¡Bien!" in whole


def test_every_agreement_is_listed_in_order(finalized_pages: list[str]) -> None:
    whole = flat(" ".join(finalized_pages))
    assert_in_order(whole, ["5. Acuerdos", *(f"Acuerdo {n}: aprobar" for n in range(1, 41))])
    assert whole.count("Acuerdo 40: aprobar") == 1


def test_each_participant_row_stays_whole_under_a_repeated_header(
    finalized_pages: list[str],
) -> None:
    listed = BIG.participants
    assert len(listed) == len({p.full_name for p in listed}) == 120
    holding: list[int] = []
    for p in listed:
        found = [i for i, page in enumerate(finalized_pages) if word(p.full_name).search(page)]
        assert len(found) == 1, (p.full_name, found)
        (index,) = found
        assert p.document in finalized_pages[index], p  # the signature row never splits
        holding.append(index)
    assert holding == sorted(holding)  # in the order of the list
    assert len(set(holding)) >= 5
    for index in set(holding):
        assert "Nombres y apellidos" in finalized_pages[index], index + 1
        assert re.search(r"N°\s+Nombres y apellidos\s+Entidad y cargo\s+Rol\s+Firma",
                         finalized_pages[index])  # fmt: skip
    assert sum(page.count("Nombres y apellidos") for page in finalized_pages) == len(set(holding))


@pytest.mark.parametrize("kind", ["finalized", "draft"])
def test_only_embedded_dejavu_fonts_are_used(
    kind: str, finalized_pdf: Path, draft_pdf: Path
) -> None:
    assert_only_embedded_dejavu(finalized_pdf if kind == "finalized" else draft_pdf)


def test_every_page_renders_to_a_picture(
    finalized_pdf: Path, draft_pdf: Path, folder: Path
) -> None:
    for path in (finalized_pdf, draft_pdf):
        render_pngs(path, folder / "png", page_count(path))


# ----------------------------------------------------------------------------- small cases
def test_rendering_is_deterministic_and_follows_the_code() -> None:
    once = render_acta(BIG, CODE, FONTS)
    assert render_acta(BIG, CODE, FONTS) == once
    assert render_acta(DRAFT, "", FONTS) == render_acta(DRAFT, "", FONTS)
    assert render_acta(BIG, "0000-0000-0000", FONTS) != once


def test_an_empty_addendum_says_what_is_missing_and_prints_markup_as_typed(tmp_path: Path) -> None:
    path = write_pdf(render_acta(SMALL, "", FONTS), tmp_path, "adenda")
    pages = page_texts(path)
    assert_numbered(pages)
    whole = flat(" ".join(pages))
    assert_in_order(
        whole,
        [
            NUMBER,
            "Adenda del acta N° 000-2026-MIMP/DGCVG-DPVLV-E07",
            "Hora de término —",
            "Objetivo Revisar <b>negritas</b> & <i>marcas</i> escritas a mano",
            "3. Desarrollo (sin registrar) Instrumentos entregados (sin registrar)",
            "4. Diagnóstico (sin registrar)",
            "5. Acuerdos No se registraron acuerdos.",
            "6. Participantes Siendo las ____ horas del 10/03/2026",
            "No se registraron participantes.",
            "7. Verificación BORRADOR",
        ],
    )
    assert "Lista de verificación:" not in whole
    assert watermarks(path) == [1] * len(pages)
    assert_only_embedded_dejavu(path)
    render_pngs(path, tmp_path / "png", len(pages))


@pytest.mark.parametrize(
    ("finalized", "name"),
    [
        (True, "acta-001-2026-MIMP-DGCVG-DPVLV-E07.pdf"),
        (False, "acta-001-2026-MIMP-DGCVG-DPVLV-E07-borrador.pdf"),
    ],
)
def test_the_file_name_is_safe_and_marks_a_draft(finalized: bool, name: str) -> None:
    assert ActaDocument(NUMBER, finalized, "", b"").file_name == name


def test_the_printed_score_agrees_with_the_band_printed_beside_it(
    database: Database, profile_paths: ProfilePaths, tmp_path: Path
) -> None:
    """38 of 96 points is 39.58: printed «40 / 100», it must not be called «Incipiente» (< 40).

    Fails today: the score is rounded for print but the band comes from the unrounded score.
    """
    services = services_at(database, profile_paths)
    visit_id = services.start_visit(instancia(services))
    yes = ItemAnswer(Answer.YES)
    installed = ItemAnswer(Answer.YES, evidence_type="Acta de instalación", evidence_number="1")
    answers = {"norma_creacion": ORDINANCE, "presidencia": yes, "instalacion": installed,
               "seguimiento_acuerdos": yes, "campanas": yes}  # fmt: skip
    view = services.save_checklist_answers(visit_id, IDC_V1, answers)
    assert view.result.score is not None and 39.5 <= view.result.score < 40
    path = write_pdf(services.acta_document(visit_id).pdf, tmp_path, "puntaje")
    found = re.search(
        r"Puntaje de funcionamiento \(referencial\): (\d+) / 100 \((.+?)\)",
        flat(page_texts(path)[0]),
    )
    assert found is not None
    printed, band = int(found[1]), found[2]
    bands = {"Incipiente": range(40), "En proceso": range(40, 75), "Adecuado": range(75, 101)}
    assert printed in bands[band], (printed, band)
