"""Rendering a full acta to PDF, as a ratio against a minimal reportlab document of its tables."""

import gc
import io
import json
import statistics
import time
from collections.abc import Callable
from functools import partial

import pypdfium2
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from instancias_desktop.domain.acta_record import (
    ActaRecord,
    AgreementLine,
    ChecklistLine,
    ChecklistPart,
    ParticipantLine,
)
from instancias_desktop.paths import resources_dir
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.pdf.blocks import text
from instancias_desktop.pdf.fonts import BOLD, REGULAR, register_fonts
from instancias_desktop.pdf.theme import PAGE, WIDTH

BUDGET = 2.5
RUNS = 15
PARTICIPANTS, CHECKLIST_ITEMS, AGREEMENTS = 40, 30, 15
SECTIONS = ("Organización y conformación", "Planificación y gestión", "Seguimiento y articulación")
CODE = "7KQ2-M9XD-4TRB"
FONT_DIR = resources_dir() / "fonts"
ENTITIES = ("Municipalidad Distrital", "Centro de Salud", "Comisaría PNP", "UGEL", "DEMUNA")
ROLES = ("Presidencia", "Secretaría técnica", "Integrante", "Invitado")
PARAGRAPH = (
    "La especialista presentó el marco normativo de la Ley 30364 y el reglamento de las instancias"
    " de concertación, y recordó las funciones de la secretaría técnica en la elaboración del plan"
    " de trabajo anual, el seguimiento de los acuerdos y la articulación con los servicios del"
    " territorio para la prevención y atención de la violencia contra las mujeres."
)


def bench_record() -> ActaRecord:
    """A finalized acta of 40 participants, 30 checklist items and 15 agreements (pure values)."""
    lines = tuple(
        ChecklistLine(
            section=SECTIONS[n * len(SECTIONS) // CHECKLIST_ITEMS],
            number=n + 1,
            text=f"¿La instancia cuenta con el documento de gestión número {n + 1} aprobado por"
            " ordenanza o resolución, publicado y conocido por sus integrantes?",
            answer=("Sí", "No", "Parcial", "No aplica")[n % 4],
            evidence=f"Resolución de Alcaldía N.° {100 + n}-2025-MD, acta de sesión ordinaria",
            note="Pendiente de actualizar con los nuevos integrantes." if n % 3 == 0 else "",
        )
        for n in range(CHECKLIST_ITEMS)
    )
    checklist = ChecklistPart(
        title="Funcionamiento de la instancia distrital",
        form="funcionamiento_idc v1",
        lines=lines,
        score="62 / 100",
        band="en proceso",
        suggested_stage="Implementada",
        answered=f"{CHECKLIST_ITEMS} de {CHECKLIST_ITEMS}",
    )
    agreements = tuple(
        AgreementLine(
            number=n + 1,
            description=f"Elaborar y aprobar el plan de trabajo, componente {n + 1}, con metas,"
            " responsables y presupuesto, y remitirlo a la secretaría técnica provincial.",
            responsible=f"{ENTITIES[n % len(ENTITIES)]} — Lic. María Quispe Huamán",
            deadline="30/04/2026",
            verification="Acta de sesión y plan aprobado" if n % 2 else "",
        )
        for n in range(AGREEMENTS)
    )
    participants = tuple(
        ParticipantLine(
            number=n + 1,
            full_name=f"Rosa Elena Mamani Condori de Huamán {n + 1}",
            document=f"DNI {40_000_000 + n * 7919:08d}",
            entity=f"{ENTITIES[n % len(ENTITIES)]} de Santiago",
            post="Representante titular ante la instancia",
            role=ROLES[n % len(ROLES)],
        )
        for n in range(PARTICIPANTS)
    )
    return ActaRecord(
        acta_number="AT-2026-000123",
        finalized=True,
        finalized_at="10/03/2026 11:05",
        addendum_of="",
        visit_date="10/03/2026",
        start_time="09:00",
        end_time="11:00",
        place="Auditorio de la Municipalidad Distrital de Santiago",
        territory="Santiago, Cusco, Cusco (ubigeo 080105)",
        modality="Presencial",
        entity="Municipalidad Distrital de Santiago",
        instancia="Instancia Distrital de Concertación de Santiago",
        level="Distrital",
        at_type="Fortalecimiento de capacidades",
        stage="Implementada",
        objective=f"{PARAGRAPH}\n\n{PARAGRAPH}",
        agenda="1. Bienvenida.\n2. Marco normativo.\n3. Lista de verificación.\n4. Acuerdos.",
        development="\n\n".join([PARAGRAPH] * 4),
        instruments="Guía de funcionamiento de instancias; modelo de plan de trabajo anual.",
        diagnosis=f"{PARAGRAPH}\n\n{PARAGRAPH}",
        checklist=checklist,
        agreements=agreements,
        participants=participants,
        specialist="Lic. Carmen Rojas Vargas",
    )


def peer_table(rows: list[list[str]], cell: ParagraphStyle, head: ParagraphStyle) -> Table:
    data = [[Paragraph(c, head) for c in rows[0]]]
    data += [[Paragraph(c, cell) for c in row] for row in rows[1:]]
    table = Table(data, colWidths=[WIDTH / len(rows[0])] * len(rows[0]), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, "#999999"),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_peer(record: ActaRecord) -> bytes:
    """A plain reportlab document: a title and the same three tables, no page decorations."""
    register_fonts(FONT_DIR)  # the same embedded DejaVu faces; <i> notes pick the oblique one
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=cell, fontName=BOLD)
    assert record.checklist is not None
    participants = [["N°", "Nombres y apellidos", "Entidad y cargo", "Rol"]] + [
        [str(p.number), f"{p.full_name}<br/>{p.document}", f"{p.entity}<br/>{p.post}", p.role]
        for p in record.participants
    ]
    checklist = [["N°", "Ítem", "Respuesta", "Medio de verificación"]] + [
        [str(c.number), c.text, c.answer, c.evidence + (f"<br/><i>{c.note}</i>" if c.note else "")]
        for c in record.checklist.lines
    ]
    agreements = [["N°", "Acuerdo", "Responsable", "Plazo", "Medio de verificación"]] + [
        [str(a.number), a.description, a.responsible, a.deadline, a.verification]
        for a in record.agreements
    ]
    story: list[Flowable] = [text(record.acta_number, head)]
    story += [peer_table(rows, cell, head) for rows in (checklist, agreements, participants)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=PAGE, invariant=True, initialFontName=REGULAR)
    document.build(story)
    return buffer.getvalue()


def pages(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def timed(render: Callable[[], bytes]) -> float:
    started = time.perf_counter()
    render()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    record = bench_record()
    acta = partial(render_acta, record, CODE, FONT_DIR)
    peer = partial(render_peer, record)
    acta_pdf, peer_pdf = acta(), peer()  # warm up: imports, font registration, caches
    acta_times: list[float] = []
    peer_times: list[float] = []
    gc.collect()
    for n in range(RUNS):  # interleaved, alternating who goes first, so noise hits both alike
        for render, times in ((acta, acta_times), (peer, peer_times))[:: 1 if n % 2 else -1]:
            gc.collect()
            times.append(timed(render))
    a, p = statistics.median(acta_times), statistics.median(peer_times)
    acta_pages, peer_pages = pages(acta_pdf), pages(peer_pdf)
    print(
        f"acta of {PARTICIPANTS} participants, {CHECKLIST_ITEMS} checklist items,"
        f" {AGREEMENTS} agreements; runs: {RUNS} each, interleaved (+1 warm-up, not counted)"
    )
    for name, times, pdf, count in (
        ("acta (render_acta)", acta_times, acta_pdf, acta_pages),
        ("peer (plain tables)", peer_times, peer_pdf, peer_pages),
    ):
        print(
            f"{name:20} median {statistics.median(times):6.1f} ms, best {min(times):6.1f} ms,"
            f" {count} pages, {len(pdf):,} bytes"
        )
    print(f"ratio acta/peer: median {a / p:.2f}, best {min(acta_times) / min(peer_times):.2f}")
    print(
        json.dumps(
            {
                "bench": "acta_pdf",
                "acta_ms": round(a, 1),
                "peer_ms": round(p, 1),
                "acta_best_ms": round(min(acta_times), 1),
                "peer_best_ms": round(min(peer_times), 1),
                "ratio": round(a / p, 2),
                "budget": BUDGET,
                "within_budget": a / p <= BUDGET,
                "pages": acta_pages,
                "peer_pages": peer_pages,
                "acta_bytes": len(acta_pdf),
                "peer_bytes": len(peer_pdf),
            }
        )
    )


if __name__ == "__main__":
    main()
