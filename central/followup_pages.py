"""«Seguimiento»: agreements due, actas waiting to be signed, the instancias' own records.

Agreements by department and by responsible entity; finalized actas whose signed copy is not
attached yet, by department; sessions, reglamento, plan and reports by department.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import astuple

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from central.catalogue import country
from central.followup import (
    DUE_SOON_DAYS,
    AgreementLine,
    RecordsLine,
    agreement_lines,
    by_department,
    records_lines,
    unsigned_actas,
)
from central.pages import MEDIA, download, exports, not_found, prefixes_of
from central.signin import viewer_of
from central.summaries import Summaries
from central.web import page, shown
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.record_evidence import REPORT_WINDOW_DAYS, SESSION_WINDOW_DAYS
from instancias_desktop.domain.text import fold
from instancias_desktop.tables.table import Table
from sync.server.web_sessions import WebViewer

ENTITY_ROWS = 50  # the entities with most overdue agreements; the export holds them all
AGREEMENT_HEADERS = ("Vencidos", f"Vencen en {DUE_SOON_DAYS} días", "Abiertos")
ACTA_HEADERS = ("Finalizadas", "Con copia firmada", "Sin copia firmada")
RECORDS_HEADERS = (
    f"Con sesión en los últimos {SESSION_WINDOW_DAYS} días", "Sesiones en el último año",
    "Con reglamento interno aprobado", "Con plan vigente",
    f"Con informe enviado en los últimos {REPORT_WINDOW_DAYS} días",
)  # fmt: skip


def _tables(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime], viewer: WebViewer,
    summaries: Summaries,
) -> tuple[Table, Table, Table, Table]:  # fmt: skip
    """Agreements by department, by entity, unsigned actas, and sessions and instruments."""
    today, mine, names = peru_today(clock()), prefixes_of(viewer), country().names
    summaries.refresh()
    with sessions.begin() as session:
        entities = agreement_lines(session, today, mine)
        departments = by_department(entities)
        actas = unsigned_actas(session, mine)
        recorded = records_lines(session, today, mine)

    def named(line: AgreementLine) -> str:
        code, _sep, entity = line.key.partition(" · ")
        return f"{names.get(code, code)} · {entity}" if entity else names.get(code, code)

    department_table = Table(
        "Acuerdos por departamento", ("Departamento", *AGREEMENT_HEADERS),
        tuple(sorted(((named(x), x.overdue, x.due_soon, x.open) for x in departments),
                     key=lambda row: fold(str(row[0])))),
    )  # fmt: skip
    by_entity = Table(
        "Acuerdos por entidad responsable", ("Departamento · entidad", *AGREEMENT_HEADERS),
        tuple((named(x), x.overdue, x.due_soon, x.open) for x in
              sorted(entities, key=lambda x: (-x.overdue, -x.due_soon, fold(named(x))))),
    )  # fmt: skip
    unsigned = Table(
        "Actas finalizadas y su copia firmada", ("Departamento", *ACTA_HEADERS),
        tuple(sorted(((names.get(code, code), total, signed, total - signed)
                      for code, (total, signed) in actas.items()),
                     key=lambda row: fold(str(row[0])))),
    )  # fmt: skip
    in_sight = Counter(i.ubigeo[:2] for i in country().within(mine))
    empty = RecordsLine(0, 0, 0, 0, 0)
    records = Table(
        "Sesiones e instrumentos registrados", ("Departamento", "Instancias", *RECORDS_HEADERS),
        tuple(sorted(((names.get(code, code), total, *astuple(recorded.get(code, empty)))
                      for code, total in in_sight.items()), key=lambda row: fold(str(row[0])))),
    )  # fmt: skip
    return department_table, by_entity, unsigned, records


def followup_router(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime], summaries: Summaries
) -> APIRouter:
    """/panel/seguimiento and the exports of its tables."""
    router = APIRouter(include_in_schema=False)
    names = ("acuerdos", "entidades", "actas", "registros")

    @router.get("/panel/seguimiento/{which}.{fmt}", response_model=None)
    def export(request: Request, which: str, fmt: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None or which not in names or fmt not in MEDIA:
            return not_found(viewer)
        chosen = dict(zip(names, _tables(sessions, clock, viewer, summaries), strict=True))[which]
        return download(chosen, fmt, f"seguimiento-{which}")

    @router.get("/panel/seguimiento", response_model=None)
    def followup(request: Request) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        parts = []
        for name, data in zip(names, _tables(sessions, clock, viewer, summaries), strict=True):
            parts.append(shown(data, name, ENTITY_ROWS if name == "entidades" else None))
            parts.append(exports(f"/panel/seguimiento/{name}", name))
        note = (
            '<p class="note">Acuerdos abiertos (pendientes, en proceso o reprogramados) según su '
            "último seguimiento y el plazo vigente; «vencido» si el plazo ya pasó. Por entidad se "
            f"muestran las {ENTITY_ROWS} con más acuerdos vencidos; la exportación las trae todas. "
            "Las sesiones y los instrumentos son los que registró cada instancia (pestañas "
            "«Sesiones» e «Instrumentos»), leídos como los lee la ficha; la periodicidad de "
            f"{SESSION_WINDOW_DAYS} días para las sesiones es supuesta.</p>"
        )
        crumbs = (("País", "/panel/"), ("Seguimiento", ""))
        return HTMLResponse(page("Seguimiento de acuerdos y actas", note + "".join(parts),
                                 viewer, crumbs))  # fmt: skip

    return router
