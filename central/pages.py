"""The dashboard's pages: the country by department, a department by province; their exports.

A specialist sees her territories only (a page outside them answers as if it did not exist);
supervisors and headquarters see the whole country.
"""

import datetime as dt
import re
from collections.abc import Callable, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from central.catalogue import Country, country
from central.figures import INSTALLED, StageCounts, counts_by_territory, current_stages
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


def _total(rows: Sequence[StageCounts], label: str) -> list[str | int]:
    whole = StageCounts(label)
    for row in rows:
        whole.by_stage.update(row.by_stage)
    return _row(whole)


def _figures(
    sessions: sessionmaker[Session], places: Country, prefixes: tuple[str, ...], digits: int,
    within: str = "",
) -> dict[str, StageCounts]:  # fmt: skip
    with sessions.begin() as session:
        stages = current_stages(session)
    instancias = [i for i in places.within(prefixes) if i.ubigeo.startswith(within)]
    return counts_by_territory(places, stages, instancias, digits)


def exports(base: str, name: str) -> str:
    """The links that export the table above (``name`` keeps their ids unique on the page)."""
    return (
        '<p class="exports">Exportar esta tabla: '
        f'<a href="{base}.csv" id="exportar-{name}-csv">CSV</a>'
        f'<a href="{base}.xlsx" id="exportar-{name}-xlsx">XLSX</a></p>'
    )


def _as_table(title: str, first: str, rows: dict[str, StageCounts]) -> Table:
    return Table(title, (first, *HEADERS), tuple(tuple(_row(r)) for r in rows.values()))


def pages_router(sessions: sessionmaker[Session], clock: Callable[[], dt.datetime]) -> APIRouter:
    """/panel/ (the country), /panel/departamento/{código} and their exports."""
    router = APIRouter(include_in_schema=False)

    def signed(request: Request) -> WebViewer | None:
        return viewer_of(request, sessions, clock)

    # The exports first: «08.csv» must not be read as a department code.
    @router.get("/panel/pais.{fmt}", response_model=None)
    def country_export(request: Request, fmt: str) -> Response:
        viewer = signed(request)
        if viewer is None or fmt not in MEDIA:
            return not_found(viewer)
        rows = _figures(sessions, country(), prefixes_of(viewer), 2)
        return download(_as_table("País", "Departamento", rows), fmt, "pais")

    @router.get("/panel/departamento/{code}.{fmt}", response_model=None)
    def department_export(request: Request, code: str, fmt: str) -> Response:
        viewer = signed(request)
        rows = _department(viewer, code) if viewer is not None else None
        if rows is None or fmt not in MEDIA:
            return not_found(viewer)
        table_of = _as_table(country().names[code], "Provincia", rows)
        return download(table_of, fmt, f"departamento-{code}")

    @router.get("/panel/", response_model=None)
    def country_page(request: Request) -> Response:
        viewer = signed(request)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        rows = _figures(sessions, country(), prefixes_of(viewer), 2)
        codes = list(rows)
        body = (
            '<p class="note">Instancias de cada departamento según el catálogo del INEI, por '
            "su estado actual (el último hito registrado; sin hitos: «No creada»).</p>"
            + table(
                "Instancias por departamento y estado", ("Departamento", *HEADERS),
                [_row(r) for r in rows.values()], table_id="pais",
                footer=_total(list(rows.values()), "Total"),
                links={i: f"/panel/departamento/{c}" for i, c in enumerate(codes)},
            )
            + exports("/panel/pais", "pais")
        )  # fmt: skip
        return HTMLResponse(page("El país", body, viewer, (("País", ""),)))

    @router.get("/panel/departamento/{code}", response_model=None)
    def department_page(request: Request, code: str) -> Response:
        viewer = signed(request)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        rows = _department(viewer, code)
        if rows is None:
            return not_found(viewer)
        name = country().names[code]
        body = table(
            f"Instancias de {name} por provincia y estado", ("Provincia", *HEADERS),
            [_row(r) for r in rows.values()], table_id="departamento",
            footer=_total(list(rows.values()), "Total"),
            links={i: f"/panel/provincia/{c}" for i, c in enumerate(rows)},
        ) + exports(f"/panel/departamento/{code}", "departamento")  # fmt: skip
        crumbs = (("País", "/panel/"), (name, ""))
        return HTMLResponse(page(f"Departamento de {name}", body, viewer, crumbs))

    def _department(viewer: WebViewer, code: str) -> dict[str, StageCounts] | None:
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
