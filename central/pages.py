"""The dashboard's pages: the country by department, a department by province; their exports.

A specialist sees her territories only (a page outside them answers as if it did not exist);
supervisors and headquarters see the whole country.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from central.atlas import Atlas
from central.catalogue import Country, PlannedInstancia, country
from central.figures import (
    INSTALLED,
    StageCounts,
    counts_by_territory,
    counts_of,
    current_stages,
    narrowed,
)
from central.funnel import HEADERS as FUNNEL_HEADERS
from central.funnel import funnel_figure, funnel_row, total_of
from central.maps import territory_map
from central.mapview import Colouring
from central.signin import viewer_of
from central.web import page, percent, table
from instancias_desktop.domain.enums import Stage
from instancias_desktop.tables.export import to_csv, to_xlsx
from instancias_desktop.tables.table import Table
from sync.server.access import Role
from sync.server.web_sessions import WebViewer

STAGES = (
    Stage.NOT_CREATED, Stage.CREATED, Stage.INSTALLED, Stage.FUNCTIONING, Stage.INACTIVE,
    Stage.REACTIVATED,
)  # fmt: skip
HEADERS = (
    *(s.label for s in STAGES), "Total", "Instaladas (%)", "En funcionamiento (%)",
)  # fmt: skip
DEPARTMENT = re.compile(r"[0-9]{2}")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def prefixes_of(viewer: WebViewer) -> tuple[str, ...]:
    """The territories a viewer sees: hers, or the whole country (empty) for the others."""
    return viewer.caller.territories if viewer.caller.role is Role.ESPECIALISTA else ()


def _row(counts: StageCounts) -> list[str | int]:
    return [
        counts.name, *(counts.by_stage[s] for s in STAGES), counts.total,
        percent(counts.share(INSTALLED)), percent(counts.share(frozenset({Stage.FUNCTIONING}))),
    ]  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """What a page counts: the instancias the viewer sees, their stages, and by territory."""

    visible: list[PlannedInstancia]
    stages: dict[str, Stage]
    rows: dict[str, StageCounts]


def _figures(
    sessions: sessionmaker[Session], places: Country, prefixes: tuple[str, ...], digits: int,
    within: str = "",
) -> Figures:  # fmt: skip
    with sessions.begin() as session:
        stages = current_stages(session, narrowed(prefixes, within))
    instancias = [i for i in places.within(prefixes) if i.ubigeo.startswith(within)]
    return Figures(instancias, stages, counts_by_territory(places, stages, instancias, digits))


def overview(
    atlas: Atlas, request: Request, found: Figures, *, digits: int, within: str, name: str,
    page_url: str, first: str, funnel_export: str,
) -> str:  # fmt: skip
    """The map of a territory's parts beside its funnel, then the funnel of each part."""
    places = country()
    of = f"de {name}" if within else "del país"
    plural = {2: "departamento", 4: "provincia", 6: "distrito"}[digits]
    drawn = territory_map(
        atlas,
        places,
        found.stages,
        found.visible,
        digits=digits,
        within=within,
        colouring=Colouring.of(request.query_params.get("color")),
        page_url=page_url,
        caption=f"Mapa {of} por {plural}",
        counted=found.rows,
    )
    whole = counts_of(name, found.visible, found.stages)  # the regional one included
    rows = [funnel_row(r) for r in found.rows.values()]
    return (
        f'<div class="vista">{drawn}'
        f'{funnel_figure(whole, f"Embudo de estados {of} (todas sus instancias)")}</div>'
        + table(
            f"Embudo de estados por {plural}", (first, *FUNNEL_HEADERS), rows,
            table_id="embudo", footer=funnel_row(total_of(found.rows.values(), "Total")),
        )
        + exports(funnel_export, "embudo")
    )  # fmt: skip


def exports(base: str, name: str, query: str = "") -> str:
    """The links that export the table above, with the page's choices (``query``).

    ``name`` keeps the links' ids unique on the page.
    """
    query = escape(query)
    return (
        '<p class="exports">Exportar esta tabla: '
        f'<a href="{base}.csv{query}" id="exportar-{name}-csv">CSV</a>'
        f'<a href="{base}.xlsx{query}" id="exportar-{name}-xlsx">XLSX</a></p>'
    )


def _as_table(title: str, first: str, rows: dict[str, StageCounts]) -> Table:
    return Table(title, (first, *HEADERS), tuple(tuple(_row(r)) for r in rows.values()))


def _as_funnel(title: str, first: str, rows: dict[str, StageCounts]) -> Table:
    return Table(
        f"Embudo de estados: {title}", (first, *FUNNEL_HEADERS),
        tuple(tuple(funnel_row(r)) for r in rows.values()),
    )  # fmt: skip


TABLES = {"": _as_table, "-embudo": _as_funnel}  # an export's name suffix → its table


def pages_router(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime], atlas: Atlas
) -> APIRouter:
    """/panel/ (the country), /panel/departamento/{código} and their exports."""
    router = APIRouter(include_in_schema=False)

    def signed(request: Request) -> WebViewer | None:
        return viewer_of(request, sessions, clock)

    # The exports first: «08.csv» must not be read as a department code.
    def country_export(request: Request, fmt: str, suffix: str) -> Response:
        viewer = signed(request)
        if viewer is None or fmt not in MEDIA:
            return not_found(viewer)
        found = _figures(sessions, country(), prefixes_of(viewer), 2)
        return download(TABLES[suffix]("País", "Departamento", found.rows), fmt, f"pais{suffix}")

    def department_export(request: Request, code: str, fmt: str, suffix: str) -> Response:
        viewer = signed(request)
        found = _department(viewer, code) if viewer is not None else None
        if found is None or fmt not in MEDIA:
            return not_found(viewer)
        data = TABLES[suffix](country().names[code], "Provincia", found.rows)
        return download(data, fmt, f"departamento-{code}{suffix}")

    @router.get("/panel/pais.{fmt}", response_model=None)
    def country_states(request: Request, fmt: str) -> Response:
        return country_export(request, fmt, "")

    @router.get("/panel/pais-embudo.{fmt}", response_model=None)
    def country_funnel(request: Request, fmt: str) -> Response:
        return country_export(request, fmt, "-embudo")

    @router.get("/panel/departamento/{code}.{fmt}", response_model=None)
    def department_states(request: Request, code: str, fmt: str) -> Response:
        return department_export(request, code, fmt, "")

    @router.get("/panel/departamento/{code}/embudo.{fmt}", response_model=None)
    def department_funnel(request: Request, code: str, fmt: str) -> Response:
        return department_export(request, code, fmt, "-embudo")

    @router.get("/panel/", response_model=None)
    def country_page(request: Request) -> Response:
        viewer = signed(request)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        places = country()
        found = _figures(sessions, places, prefixes_of(viewer), 2)
        drawn = atlas.codes(6)
        unmapped = sum(1 for c in places.names if len(c) == 6 and c not in drawn)
        body = (
            '<p class="note">Instancias de cada departamento según el catálogo del INEI, por '
            "su estado actual (el último hito registrado; sin hitos: «No creada»). "
            f"{unmapped} distritos vigentes no tienen polígono en el mapa: se nombran en la "
            "página de su provincia.</p>"
            + overview(atlas, request, found, digits=2, within="", name="País",
                       page_url="/panel/", first="Departamento",
                       funnel_export="/panel/pais-embudo")
            + table(
                "Instancias por departamento y estado", ("Departamento", *HEADERS),
                [_row(r) for r in found.rows.values()], table_id="pais",
                footer=_row(total_of(found.rows.values(), "Total")),
                links={i: f"/panel/departamento/{c}" for i, c in enumerate(found.rows)},
            )
            + exports("/panel/pais", "pais")
        )  # fmt: skip
        return HTMLResponse(page("El país", body, viewer, (("País", ""),)))

    @router.get("/panel/departamento/{code}", response_model=None)
    def department_page(request: Request, code: str) -> Response:
        viewer = signed(request)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        found = _department(viewer, code)
        if found is None:
            return not_found(viewer)
        name = country().names[code]
        body = overview(
            atlas, request, found, digits=4, within=code, name=name,
            page_url=f"/panel/departamento/{code}", first="Provincia",
            funnel_export=f"/panel/departamento/{code}/embudo",
        ) + table(
            f"Instancias de {name} por provincia y estado", ("Provincia", *HEADERS),
            [_row(r) for r in found.rows.values()], table_id="departamento",
            footer=_row(total_of(found.rows.values(), "Total")),
            links={i: f"/panel/provincia/{c}" for i, c in enumerate(found.rows)},
        ) + exports(f"/panel/departamento/{code}", "departamento")  # fmt: skip
        crumbs = (("País", "/panel/"), (name, ""))
        return HTMLResponse(page(f"Departamento de {name}", body, viewer, crumbs))

    def _department(viewer: WebViewer, code: str) -> Figures | None:
        mine = prefixes_of(viewer)
        if DEPARTMENT.fullmatch(code) is None or code not in country().names:
            return None
        if mine and not any(p.startswith(code) or code.startswith(p) for p in mine):
            return None  # outside her territories: as if it did not exist
        return _figures(sessions, country(), mine, 4, within=code)

    return router


def download(data: Table, fmt: str, name: str) -> Response:
    content = to_csv(data) if fmt == "csv" else to_xlsx(data)
    return Response(
        content, media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )  # fmt: skip


def not_found(viewer: WebViewer | None) -> Response:
    body = (
        "<p>Esa página no existe o no está en sus territorios.</p>"
        '<p><a href="/panel/">Ir al país</a></p>'
    )
    return HTMLResponse(page("No encontrado", body, viewer), status_code=404)
