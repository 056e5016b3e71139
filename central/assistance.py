"""«Asistencia técnica»: where technical assistance went, who gave it, and what it found.

The page asks, in a form that needs no script, for a department and how many months without
a visit count as too many; every table exports with the same choice. The figures come from the
visits' summary table, caught up before each page (``central.summaries``).
"""

import datetime as dt
from collections.abc import Callable
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import QueryParams

from central.assistance_data import Filters, assistance_tables
from central.catalogue import country
from central.figures import narrowed
from central.pages import MEDIA, download, exports, not_found, prefixes_of
from central.signin import viewer_of
from central.summaries import Summaries
from central.web import page, shown
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.text import fold
from instancias_desktop.tables.table import Table
from sync.server.web_sessions import WebViewer

MONTHS_WITHOUT = range(1, 61)  # what «meses sin visita» accepts
SHOWN = ("meses", "especialistas", "tipos", "nunca", "puntajes")  # «instancias»: one department


def filters_of(query: QueryParams, departments: set[str]) -> Filters | None:
    """The page's choice from its query; None when it names what the viewer cannot see."""
    department = query.get("departamento", "")
    if department and department not in departments:
        return None
    try:
        months = int(query.get("meses", "6"))
    except ValueError:
        months = 6
    return Filters(department, months if months in MONTHS_WITHOUT else 6)


def _form(chosen: Filters, departments: list[tuple[str, str]]) -> str:
    options = "".join(
        f'<option value="{code}"{" selected" if code == chosen.department else ""}>'
        f"{escape(name)}</option>"
        for code, name in [("", "Todos"), *departments]
    )
    return (
        '<form class="filtros" method="get" action="/panel/asistencia">'
        '<label for="departamento">Departamento</label>'
        f'<select id="departamento" name="departamento">{options}</select>'
        '<label for="meses-sin-visita">Meses sin visita</label>'
        f'<input id="meses-sin-visita" name="meses" type="number" min="1" max="60" '
        f'value="{chosen.months_without}">'
        '<button type="submit" id="aplicar">Aplicar</button></form>'
    )


def assistance_router(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime], summaries: Summaries
) -> APIRouter:
    """/panel/asistencia and the exports of its tables."""
    router = APIRouter(include_in_schema=False)

    def read(viewer: WebViewer, request: Request) -> tuple[Filters, dict[str, Table]] | None:
        places, mine = country(), prefixes_of(viewer)
        chosen = filters_of(request.query_params, {i.ubigeo[:2] for i in places.within(mine)})
        if chosen is None:
            return None
        mine = narrowed(mine, chosen.department)  # every table narrows to that department
        summaries.refresh()
        with sessions.begin() as session:
            return chosen, assistance_tables(session, places, mine, peru_today(clock()), chosen)

    @router.get("/panel/asistencia/{which}.{fmt}", response_model=None)
    def export(request: Request, which: str, fmt: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        found = read(viewer, request) if viewer is not None and fmt in MEDIA else None
        if found is None or which not in found[1]:
            return not_found(viewer)
        return download(found[1][which], fmt, f"asistencia-{which}")

    @router.get("/panel/asistencia", response_model=None)
    def assistance(request: Request) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        found = read(viewer, request)
        if found is None:
            return not_found(viewer)
        chosen, tables = found
        places = country()
        departments = sorted(
            {(i.ubigeo[:2], places.names[i.ubigeo[:2]])
             for i in places.within(prefixes_of(viewer))}, key=lambda pair: fold(pair[1]),
        )  # fmt: skip
        query = f"?departamento={chosen.department}&meses={chosen.months_without}"
        parts = [_form(chosen, departments)]
        for name in [*SHOWN, "instancias"] if chosen.department else SHOWN:
            parts.append(shown(tables[name], name))
            parts.append(exports(f"/panel/asistencia/{name}", name, query))
        if not chosen.department:
            parts.append(
                '<p class="note">Elija un departamento para ver cada instancia con su última '
                "visita y su puntaje; «Exportar» da todas las de sus territorios.</p>"
                + exports("/panel/asistencia/instancias", "instancias", query)
            )
        crumbs = (("País", "/panel/"), ("Asistencia técnica", ""))
        return HTMLResponse(page("Asistencia técnica", "".join(parts), viewer, crumbs))

    return router
