"""Lists saved for work outside the app: the rows shown, as Excel (.xlsx) or CSV."""

from collections.abc import Sequence
from pathlib import Path

from instancias_desktop.atomic_files import write_atomically
from instancias_desktop.domain.enums import Criterion
from instancias_desktop.domain.follow_ups import AgreementLine
from instancias_desktop.domain.plan import PlannedVisit
from instancias_desktop.domain.priority_views import RankedLine
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.i18n import _
from instancias_desktop.tables.table import Table


class ExportFormatError(ValueError):
    """The chosen file name has no format this app writes."""


def write_table(table: Table, target: Path) -> Path:
    """Write ``table`` in the format the file name says; all of it or nothing."""
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportFormatError(
            _("No se puede exportar a «{name}»: use un nombre terminado en .xlsx o .csv.").format(
                name=target.name
            )
        )
    # Imported on the first export: openpyxl costs start-up time no one should wait for.
    from instancias_desktop.tables.export import to_csv, to_xlsx  # noqa: PLC0415

    write_atomically(target, to_xlsx(table) if suffix == ".xlsx" else to_csv(table))
    return target


def agreements_table(lines: Sequence[AgreementLine]) -> Table:
    """One row per agreement, with its state today and its last follow-up."""
    headers = (
        _("N° de acta"), _("Fecha de la visita"), _("N° de acuerdo"), _("Instancia"),
        _("Ubigeo"), _("Territorio"), _("Acuerdo"), _("Entidad responsable"),
        _("Persona responsable"), _("Plazo acordado"), _("Plazo vigente"), _("Estado"),
        _("Último seguimiento"), _("Seguimientos"), _("Medio de verificación"),
    )  # fmt: skip
    personal = (
        _("el nombre de la persona responsable de cada acuerdo"),
        _("textos libres (acuerdo, medio de verificación) que pueden nombrar personas"),
    )
    return Table(_("Acuerdos"), headers, tuple(_agreement_row(line) for line in lines), personal)


def _agreement_row(line: AgreementLine) -> tuple[object, ...]:
    return (
        line.acta_number, line.visit_date, line.number, line.instancia_name, line.ubigeo,
        line.territory, line.description, line.responsible_entity, line.responsible_person,
        line.agreed_deadline, line.deadline, line.state.label, line.status.last_follow_up,
        len(line.history), line.verification_means,
    )  # fmt: skip


def ranking_table(lines: Sequence[RankedLine]) -> Table:
    """One row per instancia: rank, score, and the points of each criterion (they sum up)."""
    criteria = tuple(Criterion)
    headers = (
        _("Prioridad"), _("Instancia"), _("Nivel"), _("Ubigeo"), _("Territorio"),
        _("Estado de la instancia"), _("Puntaje (referencial)"), *(c.label for c in criteria),
        _("Explicación"), _("Cronograma acordado"),
    )  # fmt: skip
    return Table(_("Prioridades"), headers, tuple(_ranking_row(line) for line in lines))


def _ranking_row(line: RankedLine) -> tuple[object, ...]:
    ranked, item = line.ranked, line.ranked.instancia
    points = {c.criterion: round(c.points, 2) for c in ranked.contributions}
    return (
        ranked.rank, item.name, item.level.label, item.ubigeo, line.territory, item.stage.label,
        round(ranked.score, 2), *(points.get(c, 0.0) for c in Criterion), ranked.explanation,
        line.schedule,
    )  # fmt: skip


def plan_table(planned: Sequence[PlannedVisit]) -> Table:
    """One row per planned visit, by date and route order."""
    headers = (
        _("Fecha"), _("Orden"), _("Instancia"), _("Nivel"), _("Territorio"),
        _("Estado de la instancia"), _("Nota"), _("Acta iniciada"),
    )  # fmt: skip
    personal = (_("la nota de cada visita planificada (texto libre)"),)
    return Table(_("Plan de visitas"), headers, tuple(_plan_row(p) for p in planned), personal)


def _plan_row(p: PlannedVisit) -> tuple[object, ...]:
    return (
        p.entry.planned_on, p.entry.position, p.instancia_name, p.level.label, p.territory,
        p.stage.label, p.entry.note, p.acta_number,
    )  # fmt: skip


def visits_table(visits: Sequence[VisitSummary]) -> Table:
    """One row per acta, with its state (borrador, finalizada por firmar, firmada)."""
    headers = (
        _("N° de acta"), _("Fecha de la visita"), _("Instancia"), _("Nivel"), _("Territorio"),
        _("Tipo de asistencia"), _("Modalidad"), _("Estado del acta"), _("Adenda"),
        _("Participantes"), _("Acuerdos"), _("Registrada por"), _("Estado de envío"),
    )  # fmt: skip
    personal = (_("el usuario de quien registró cada acta"),)
    return Table(_("Visitas"), headers, tuple(_visit_row(v) for v in visits), personal)


def _visit_row(v: VisitSummary) -> tuple[object, ...]:
    return (
        v.acta_number, v.visit_date, v.instancia_name, v.level.label, v.territory,
        v.at_type.label, v.modality.label, v.acta_state.label, _("Sí") if v.is_addendum else "",
        v.participant_count, v.agreement_count, v.author,
        v.send_state.label if v.send_state else _("solo en este equipo"),
    )  # fmt: skip
