"""«Asistencia técnica»: visits per month by department and by type; instancias never visited.

Counted in the database from the visits the laptops sent (drafts included: a visit happened
even before its acta is closed); the catalogue gives the instancias no one has visited.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from central.catalogue import country
from central.followup import within_territories
from central.pages import MEDIA, download, exports, not_found, prefixes_of
from central.signin import viewer_of
from central.web import page, table
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import AtType
from instancias_desktop.tables.table import Table
from sync.kinds import VISIT
from sync.server.store import Record
from sync.server.web_sessions import WebViewer

MONTHS = 12
SHORT = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic")


def month_label(month: str) -> str:
    """«2026-03» as a column header reads: «mar 2026»."""
    year, number = month.split("-")
    return f"{SHORT[int(number) - 1]} {year}"


def _months(today: dt.date) -> list[str]:
    """The last twelve months, oldest first, as «aaaa-mm»."""
    year, month = today.year, today.month
    found = []
    for _ in range(MONTHS):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def assistance_tables(session: Session, viewer: WebViewer, today: dt.date) -> tuple[Table, ...]:
    """Visits by department and month, by type, and instancias never visited by department."""
    mine, places = prefixes_of(viewer), country()
    months = _months(today)
    fields = Record.fields
    # Extracted once in a subquery: PostgreSQL groups only by what it selected, bind for bind.
    base = (
        select(
            func.substr(Record.scope, 1, 2).label("department"),
            func.substr(fields["visit_date"].as_string(), 1, 7).label("month"),
            fields["at_type"].as_string().label("at_type"),
            fields["instancia_id"].as_string().label("instancia"),
        )
        .where(Record.kind == VISIT.name, Record.deleted.is_(False), within_territories(mine))
        .subquery()
    )
    per_month = Counter(
        {(str(d), str(m)): int(n) for d, m, n in session.execute(
            select(base.c.department, base.c.month, func.count())
            .where(base.c.month >= months[0])
            .group_by(base.c.department, base.c.month)
        )}
    )  # fmt: skip
    by_type: dict[str, int] = {
        str(t): int(n)
        for t, n in session.execute(select(base.c.at_type, func.count()).group_by(base.c.at_type))
    }
    visited = set(session.scalars(select(base.c.instancia).distinct()))
    departments = sorted({d for d, _m in per_month} | {i.ubigeo[:2] for i in places.within(mine)},
                         key=lambda code: places.names.get(code, code))  # fmt: skip
    monthly = Table(
        "Visitas por departamento y mes",
        ("Departamento", *(month_label(m) for m in months), "Total"),
        tuple((places.names.get(d, d), *(per_month[(d, m)] for m in months),
               sum(per_month[(d, m)] for m in months)) for d in departments),
    )  # fmt: skip
    types = Table("Visitas por tipo de asistencia", ("Tipo de asistencia", "Visitas"),
                  tuple((t.label, int(by_type.get(t.value, 0))) for t in AtType))  # fmt: skip
    never = Counter(i.ubigeo[:2] for i in places.within(mine) if i.record_id not in visited)
    unvisited = Table(
        "Instancias nunca visitadas", ("Departamento", "Nunca visitadas"),
        tuple((places.names.get(d, d), never[d]) for d in departments),
    )  # fmt: skip
    return monthly, types, unvisited


def assistance_router(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime]
) -> APIRouter:
    """/panel/asistencia and the exports of its tables."""
    router = APIRouter(include_in_schema=False)
    names = ("meses", "tipos", "nunca")

    def tables(viewer: WebViewer) -> tuple[Table, ...]:
        with sessions.begin() as session:
            return assistance_tables(session, viewer, peru_today(clock()))

    @router.get("/panel/asistencia/{which}.{fmt}", response_model=None)
    def export(request: Request, which: str, fmt: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None or which not in names or fmt not in MEDIA:
            return not_found(viewer)
        return download(dict(zip(names, tables(viewer), strict=True))[which], fmt,
                        f"asistencia-{which}")  # fmt: skip

    @router.get("/panel/asistencia", response_model=None)
    def assistance(request: Request) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        parts = []
        for name, data in zip(names, tables(viewer), strict=True):
            rows = [[c if isinstance(c, int) else str(c) for c in row] for row in data.rows]
            parts.append(table(data.title, data.headers, rows, table_id=name))
            parts.append(exports(f"/panel/asistencia/{name}", name))
        crumbs = (("País", "/panel/"), ("Asistencia técnica", ""))
        return HTMLResponse(page("Asistencia técnica", "".join(parts), viewer, crumbs))

    return router
