"""The acta de asistencia técnica as a PDF for signature: every part, in order, page numbered."""

import io
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, SimpleDocTemplate, Spacer

from instancias_desktop.domain.acta_code import qr_text
from instancias_desktop.domain.acta_record import ActaRecord, ChecklistPart
from instancias_desktop.domain.scoring import REFERENCE_NOTE
from instancias_desktop.i18n import _
from instancias_desktop.pdf.blocks import (
    empty_note,
    grid,
    heading,
    key_values,
    marked,
    paragraphs,
    plain_table,
    text,
)
from instancias_desktop.pdf.fonts import register_fonts
from instancias_desktop.pdf.pages import PageMarks, canvas_with
from instancias_desktop.pdf.theme import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE,
    WIDTH,
    Styles,
    make_styles,
)

INSTITUTION = (
    "MINISTERIO DE LA MUJER Y POBLACIONES VULNERABLES",
    "Dirección General contra la Violencia de Género",
    "Dirección de Políticas para una Vida Libre de Violencia",
)
SIGNATURE_HEIGHT = 1.5 * cm
QR_SIZE = 2.6 * cm


def _heading(number: int, title: str, styles: Styles) -> list[Flowable]:
    return heading(f"{number}. {title}", styles)


def _general(record: ActaRecord, styles: Styles) -> list[Flowable]:
    rows = [
        (_("Fecha"), record.visit_date),
        (_("Hora de inicio"), record.start_time),
        (_("Hora de término"), record.end_time or "—"),
        (_("Lugar"), record.place),
        (_("Territorio"), record.territory),
        (_("Modalidad"), record.modality),
        (_("Entidad visitada"), record.entity),
        (_("Instancia"), f"{record.instancia} ({record.level})"),
        (_("Tipo de asistencia técnica"), record.at_type),
        (_("Estado de la instancia"), record.stage),
    ]
    return [*_heading(1, _("Datos generales"), styles), key_values(rows, styles)]


def _narrative(
    title: str, number: int, parts: list[tuple[str, str]], styles: Styles
) -> list[Flowable]:
    story: list[Flowable] = [*_heading(number, title, styles)]
    for label, value in parts:
        if label:
            story.append(text(label, styles.label))  # never alone at the foot of a page
        story += paragraphs(value, styles.body) or [empty_note(_("(sin registrar)"), styles)]
    return story


def _checklist(part: ChecklistPart, styles: Styles) -> list[Flowable]:
    summary = marked(
        _(
            "Puntaje de funcionamiento (referencial): <b>{score}</b>{band} · Estado sugerido "
            "(referencial): <b>{stage}</b> · Ítems respondidos: {answered}"
        ),
        styles.body,
        score=part.score,
        band=f" ({part.band})" if part.band else "",
        stage=part.suggested_stage,
        answered=part.answered,
    )
    rows: list[list[Flowable | str]] = []
    sections: list[int] = []
    current = None
    for line in part.lines:
        if line.section != current:
            current = line.section
            sections.append(len(rows))
            rows.append([text(line.section, styles.cell_bold), "", "", ""])
        evidence: list[Flowable] = [text(line.evidence or "—", styles.cell)]
        if line.note:
            evidence.append(text(line.note, styles.note))
        rows.append(
            [
                text(str(line.number), styles.cell),
                text(line.text, styles.cell),
                text(line.answer, styles.cell_bold),
                evidence,
            ]
        )
    widths = [WIDTH * w for w in (0.06, 0.47, 0.13, 0.34)]
    header = [_("N°"), _("Ítem"), _("Respuesta"), _("Medio de verificación")]
    return [
        text(
            _("Lista de verificación: {title} (ficha {form})").format(
                title=part.title, form=part.form
            ),
            styles.small,
        ),
        summary,
        text(REFERENCE_NOTE, styles.small),
        grid(header, rows, widths, styles, section_rows=sections),
    ]


def _agreements(record: ActaRecord, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [*_heading(5, _("Acuerdos"), styles)]
    if not record.agreements:
        return [*story, empty_note(_("No se registraron acuerdos."), styles)]
    rows = [
        [
            text(str(a.number), styles.cell),
            text(a.description, styles.cell),
            text(a.responsible, styles.cell),
            text(a.deadline, styles.cell),
            text(a.verification or "—", styles.cell),
        ]
        for a in record.agreements
    ]
    header = [_("N°"), _("Acuerdo"), _("Responsable"), _("Plazo"), _("Medio de verificación")]
    widths = [WIDTH * w for w in (0.08, 0.35, 0.21, 0.13, 0.23)]  # N°: room for «(cont.)»
    return [*story, grid(header, rows, widths, styles)]


def _follow_ups(record: ActaRecord, styles: Styles) -> list[Flowable]:
    """Progress on agreements of earlier actas, recorded at this visit (only when there is)."""
    if not record.follow_ups:
        return []
    rows = [
        [
            text(f"{f.agreement}: {f.description}", styles.cell),
            text(
                f.state + (_(" hasta el {d}").format(d=f.new_deadline) if f.new_deadline else ""),
                styles.cell,
            ),
            text(f.recorded_on, styles.cell),
            text(" · ".join(p for p in (f.evidence, f.note) if p) or "—", styles.cell),
        ]
        for f in record.follow_ups
    ]
    header = [_("Acuerdo anterior"), _("Estado"), _("Fecha"), _("Medio de verificación y nota")]
    widths = [WIDTH * w for w in (0.38, 0.18, 0.14, 0.30)]
    title = text(_("Seguimiento de acuerdos de actas anteriores"), styles.cell_bold)
    return [Spacer(1, 8), title, Spacer(1, 3), grid(header, rows, widths, styles)]


def _participants(record: ActaRecord, styles: Styles) -> list[Flowable]:
    # The closing formula comes before the signatures it introduces, kept with them.
    closing = _(
        "Siendo las {end} horas del {date}, se dio por concluida la reunión. Los participantes"
        " firman la presente acta en señal de conformidad."
    ).format(end=record.end_time or "____", date=record.visit_date)
    # Room for the heading, the formula and the first signature rows, or a new page: cheaper
    # than keeping the formula with the table (which lays the whole table out twice).
    story: list[Flowable] = [
        CondPageBreak(7 * cm),
        *_heading(6, _("Participantes"), styles),
        text(closing, styles.body),
    ]
    if not record.participants:
        return [*story, empty_note(_("No se registraron participantes."), styles)]
    rows = [
        [
            text(str(p.number), styles.cell),
            [text(p.full_name, styles.cell_bold), text(p.document, styles.cell)],
            [text(p.entity, styles.cell), text(p.post, styles.note)],
            text(p.role, styles.cell),
            "",
        ]
        for p in record.participants
    ]
    header = [_("N°"), _("Nombres y apellidos"), _("Entidad y cargo"), _("Rol"), _("Firma")]
    # The signature box at least 5 cm wide (5.4 on A4): room for a full signature by hand.
    widths = [WIDTH * w for w in (0.05, 0.24, 0.24, 0.16, 0.31)]
    # A row never splits: each name stays with its signature box.
    table = grid(header, rows, widths, styles, split_rows=False, min_height=SIGNATURE_HEIGHT)
    return [*story, table]


def _verification(record: ActaRecord, code: str, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [*_heading(7, _("Verificación"), styles)]
    if not record.finalized:
        note = _(
            "BORRADOR: este documento no es el acta finalizada y no lleva código de verificación."
        )
        return [KeepTogether([*story, text(note, styles.small)])]
    # The flowable draws the modules straight on the page (the graphics renderer would
    # declare an unembedded Helvetica); level M survives a worn or creased paper.
    qr = QrCode(qr_text(record.acta_number, code), width=QR_SIZE, height=QR_SIZE, qrLevel="M")
    verification = marked(
        _(
            "Acta finalizada el {when} por {who}. Código de verificación: <b>{code}</b>. Este"
            " código se obtiene del contenido registrado del acta (SHA-256): permite comprobar"
            " que este papel corresponde a lo registrado."
        ),
        styles.small,
        when=record.finalized_at,
        who=record.specialist,
        code=code,
    )
    box = plain_table(
        [[qr, verification]],
        [QR_SIZE + 0.4 * cm, WIDTH - QR_SIZE - 0.4 * cm],
    )
    return [KeepTogether([*story, Spacer(1, 6), box])]


def render_acta(record: ActaRecord, code: str, font_dir: Path) -> bytes:
    """The acta as PDF bytes; a draft carries the BORRADOR watermark and no code."""
    register_fonts(font_dir)
    styles = make_styles()
    story: list[Flowable] = [text(line, styles.institution) for line in INSTITUTION]
    story += [Spacer(1, 8), text(_("ACTA DE ASISTENCIA TÉCNICA"), styles.title)]
    number = (
        record.acta_number if record.finalized else _("{n} — BORRADOR").format(n=record.acta_number)
    )
    story.append(text(number, styles.institution))
    if record.addendum_of:
        story.append(
            text(_("Adenda del acta {n}").format(n=record.addendum_of), styles.institution)
        )
    story += _general(record, styles)
    story += _narrative(
        _("Objetivo y agenda"),
        2,
        [(_("Objetivo"), record.objective), (_("Agenda"), record.agenda)],
        styles,
    )
    story += _narrative(
        _("Desarrollo"),
        3,
        [("", record.development), (_("Instrumentos entregados"), record.instruments)],
        styles,
    )
    story += _narrative(_("Diagnóstico"), 4, [("", record.diagnosis)], styles)
    if record.checklist is not None:
        story += _checklist(record.checklist, styles)
    story += _agreements(record, styles)
    story += _follow_ups(record, styles)
    story += _participants(record, styles)
    story += _verification(record, code, styles)
    marks = PageMarks(
        header_left=_("MIMP · Acta de asistencia técnica"),
        header_right=number,
        footer_left=_("Código de verificación: {code}").format(code=code)
        if record.finalized
        else _("BORRADOR — sin validez para firma"),
        watermark="" if record.finalized else _("BORRADOR"),
        initials=record.finalized,
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=_("Acta de asistencia técnica {n}").format(n=record.acta_number),
        author=_("Ministerio de la Mujer y Poblaciones Vulnerables"),
        subject=record.instancia,
        creator="instancias_desktop",
        invariant=True,
    )
    document.build(story, canvasmaker=canvas_with(marks))
    return buffer.getvalue()
