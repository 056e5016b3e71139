"""The instancia report for a supervisor: stage history, visits, score over time, agreements."""

import io
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer

from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.report_record import InstanciaReport
from instancias_desktop.domain.scoring import REFERENCE_NOTE, score_text
from instancias_desktop.i18n import _
from instancias_desktop.pdf.acta import INSTITUTION
from instancias_desktop.pdf.blocks import empty_note, grid, heading, key_values, text
from instancias_desktop.pdf.chart import ScoreChart
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

DATE = "%d/%m/%Y"


def _summary(report: InstanciaReport, styles: Styles) -> list[Flowable]:
    detail = report.detail
    s = detail.summary
    since = _(" desde el {d}").format(d=s.stage_date.strftime(DATE)) if s.stage_date else ""
    territory = ", ".join(p for p in (s.district_name, s.province_name, s.department_name) if p)
    rows = [
        (_("Nivel"), s.level.label),
        (_("Gobierno que la preside"), s.unit_name),
        (_("Territorio"), f"{territory} (ubigeo {s.ubigeo})"),
        (_("Estado actual"), f"{s.stage.label}{since}"),
        (
            _("Presidencia"),
            " — ".join(p for p in (detail.chair_name, detail.chair_post) if p) or "—",
        ),
        (
            _("Secretaría Técnica"),
            " — ".join(p for p in (detail.secretariat_unit, detail.secretariat_person) if p) or "—",
        ),
        (_("Visitas registradas"), str(len(detail.visits))),
    ]
    return [key_values(rows, styles)]


def _history(report: InstanciaReport, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = heading(_("1. Historial de estados"), styles)
    events = sorted(report.detail.history, key=lambda e: e.event_date)
    if not events:
        return [
            *story,
            empty_note(_("Sin hitos registrados: la instancia figura como no creada."), styles),
        ]
    rows = [
        [
            text(e.event_date.strftime(DATE), styles.cell),
            text(e.stage.label, styles.cell_bold),
            text(" · ".join(p for p in (e.norm_title, e.evidence) if p) or "—", styles.cell),
            text(e.acta_number or "—", styles.cell),
        ]
        for e in events
    ]
    header = [_("Fecha"), _("Estado"), _("Sustento"), _("Acta")]
    widths = [WIDTH * w for w in (0.13, 0.18, 0.33, 0.36)]
    return [*story, grid(header, rows, widths, styles)]


def _visits(report: InstanciaReport, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = heading(_("2. Visitas de asistencia técnica"), styles)
    visits = sorted(report.detail.visits, key=lambda v: (v.visit_date, v.acta_number))
    if not visits:
        return [*story, empty_note(_("Aún no hay visitas registradas."), styles)]
    rows = [
        [
            text(v.visit_date.strftime(DATE), styles.cell),
            text(v.acta_number, styles.cell),
            text(v.at_type.label, styles.cell),
            text(v.modality.label, styles.cell),
            text(v.acta_state.label, styles.cell),
            text(f"{v.participant_count} / {v.agreement_count}", styles.cell),
        ]
        for v in visits
    ]
    header = [
        _("Fecha"),
        _("Acta"),
        _("Tipo de asistencia"),
        _("Modalidad"),
        _("Estado del acta"),
        _("Part. / Acu."),
    ]
    widths = [WIDTH * w for w in (0.13, 0.30, 0.19, 0.13, 0.13, 0.12)]  # «Funcionamiento» whole
    legend = text(_("Part. / Acu.: participantes y acuerdos del acta"), styles.small)
    return [*story, grid(header, rows, widths, styles), legend]


def _scores(report: InstanciaReport, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = heading(_("3. Puntaje de funcionamiento en el tiempo"), styles)
    if not report.scores:
        return [*story, empty_note(_("Ninguna visita llenó la lista de verificación."), styles)]
    # The trend only from finalized actas: a draft's score may still change.
    points = [(p.visit_date.strftime("%d/%m/%y"), p.score) for p in report.scores if p.final]
    rows = [
        [
            text(p.visit_date.strftime(DATE), styles.cell),
            text(p.acta_number, styles.cell),
            text("—" if p.score is None else f"{score_text(p.score)} / 100", styles.cell_bold),
            text(
                (p.band or "—")
                if p.final
                else _("{band} (borrador: puede cambiar)").format(band=p.band or "—"),
                styles.cell,
            ),
        ]
        for p in report.scores
    ]
    header = [_("Fecha"), _("Acta"), _("Puntaje (referencial)"), _("Calificación")]
    chart: list[Flowable] = [ScoreChart(points, WIDTH, 5.5 * cm)] if points else []
    drafts = sum(not p.final for p in report.scores)
    note = [text(REFERENCE_NOTE, styles.small)]
    if drafts:
        note.append(text(_("Los borradores figuran en la tabla, no en el gráfico."), styles.small))
    return [
        KeepTogether([*story, *chart, *note]),  # the heading never apart from its chart
        Spacer(1, 6),
        grid(header, rows, [WIDTH * w for w in (0.14, 0.46, 0.16, 0.24)], styles),
    ]


def _agreements(report: InstanciaReport, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = heading(_("4. Acuerdos"), styles)
    agreements = sorted(report.detail.agreements, key=lambda a: (a.visit_date, a.number))
    if not agreements:
        return [*story, empty_note(_("No hay acuerdos registrados."), styles)]
    rows: list[list[Flowable | str]] = []
    sections: list[int] = []
    acta = None
    for a in agreements:
        if a.acta_number != acta:  # one group per acta, its number written once, whole
            acta = a.acta_number
            sections.append(len(rows))
            title = _("Acta {n} del {date}").format(n=acta, date=a.visit_date.strftime(DATE))
            rows.append([text(title, styles.cell_bold), "", "", "", ""])
        overdue = a.state is AgreementState.OVERDUE
        rows.append(
            [
                text(str(a.number), styles.cell),
                text(a.description, styles.cell),
                text(
                    " — ".join(p for p in (a.responsible_entity, a.responsible_person) if p),
                    styles.cell,
                ),
                text(a.deadline.strftime(DATE), styles.cell),
                text(
                    a.state.label.upper() if overdue else a.state.label,
                    styles.cell_bold if overdue else styles.cell,
                ),
            ]
        )
    header = [_("N°"), _("Acuerdo"), _("Responsable"), _("Plazo"), _("Estado")]
    widths = [WIDTH * w for w in (0.06, 0.42, 0.25, 0.13, 0.14)]
    return [*story, grid(header, rows, widths, styles, section_rows=sections)]


def render_instancia_report(report: InstanciaReport, font_dir: Path) -> bytes:
    """The report as PDF bytes."""
    register_fonts(font_dir)
    styles = make_styles()
    name = report.detail.summary.name
    story: list[Flowable] = [text(line, styles.institution) for line in INSTITUTION]
    story += [
        Spacer(1, 8),
        text(_("INFORME DE LA INSTANCIA"), styles.title),
        text(name, styles.institution),
        text(
            _("Generado el {when} por {who}").format(
                when=report.generated_at, who=report.generated_by
            ),
            styles.small,
        ),
        Spacer(1, 6),
    ]
    story += _summary(report, styles)
    story += _history(report, styles)
    story += _visits(report, styles)
    story += _scores(report, styles)
    story += _agreements(report, styles)
    marks = PageMarks(
        header_left=_("MIMP · Informe de la instancia"),
        header_right=name,
        footer_left=_("Generado el {when}").format(when=report.generated_at),
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=_("Informe de la {name}").format(name=name),
        author=_("Ministerio de la Mujer y Poblaciones Vulnerables"),
        creator="instancias_desktop",
        invariant=True,
    ).build(story, canvasmaker=canvas_with(marks))
    return buffer.getvalue()
