"""The instancia report for a supervisor, assembled from the registry, visits and checklists."""

import uuid
from pathlib import Path

from instancias_desktop.atomic_files import FileInUseError, write_atomically
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.clock import PERU
from instancias_desktop.domain.documents import ReportDocument
from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.report_record import InstanciaReport, ScorePoint
from instancias_desktop.i18n import _
from instancias_desktop.pdf.report import render_instancia_report
from instancias_desktop.services.checklists import filled
from instancias_desktop.services.form_catalogue import Definitions
from instancias_desktop.services.identity import identity_in
from instancias_desktop.services.instancias import instancia_detail


def instancia_report(
    database: Database, definitions: Definitions, instancia_id: uuid.UUID
) -> InstanciaReport:
    """The instancia's page and the functioning score of every visit that filled the checklist."""
    detail = instancia_detail(database, instancia_id)
    points = []
    with database.reader() as uow:
        who = identity_in(uow).signature
        for visit in sorted(detail.visits, key=lambda v: (v.visit_date, v.acta_number)):
            checklist = filled(uow, definitions, visit.id)
            if checklist is not None and checklist.answers:
                result = checklist.result
                final = visit.status is VisitStatus.FINALIZED
                points.append(
                    ScorePoint(
                        visit.visit_date, visit.acta_number, result.score, result.band, final
                    )
                )
    now = database.clock().astimezone(PERU)
    return InstanciaReport(detail, tuple(points), now.strftime("%d/%m/%Y %H:%M"), who)


def instancia_report_pdf(
    database: Database, definitions: Definitions, font_dir: Path, instancia_id: uuid.UUID
) -> ReportDocument:
    """The report as a PDF."""
    report = instancia_report(database, definitions, instancia_id)
    summary = report.detail.summary
    name = f"informe-instancia-{summary.level.value.lower()}-{summary.ubigeo}.pdf"
    return ReportDocument(name, render_instancia_report(report, font_dir))


_COPIES = 20  # copies kept beside a held document before she is asked to close the viewer


def save_export(folder: Path, file_name: str, data: bytes) -> Path:
    """Write a produced document into the profile's exports folder (whole, or not at all)."""
    name = Path(file_name).name  # never outside the folder
    if name in {"", ".", ".."}:
        raise OSError(_("El nombre «{name}» no sirve para un archivo.").format(name=file_name))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return _keep(folder, name, data)
    except OSError as error:
        raise OSError(
            _(
                "No se pudo guardar {name} en {folder}: ciérrelo si está abierto y reintente."
            ).format(name=name, folder=folder)
        ) from error


def _keep(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``name``, or beside it as «name (2)»… while a viewer holds a copy.

    Windows refuses to replace a PDF its viewer has open; the same document again is left
    as it is, so the viewer keeps showing it.
    """
    stem, suffix = Path(name).stem, Path(name).suffix
    *earlier, last = [name, *(f"{stem} ({copy}){suffix}" for copy in range(2, _COPIES + 2))]
    for candidate in earlier:
        target = folder / candidate
        if _holds(target, data):
            return target
        try:
            write_atomically(target, data)
        except FileInUseError:
            continue  # a viewer holds this copy: try the next name
        return target
    target = folder / last
    if not _holds(target, data):
        write_atomically(target, data)  # FileInUseError: she is asked to close the viewer
    return target


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file already holds exactly ``data`` (read only when the sizes match)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
