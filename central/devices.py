"""«Equipos»: each laptop signed in to the server, its last sync, and whether it was withdrawn.

A specialist sees her own laptops; supervisors and headquarters see them all.
"""

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from central.pages import MEDIA, download, exports, not_found
from central.signin import viewer_of
from central.web import page, table
from instancias_desktop.tables.table import Table
from sync.server.access import Role
from sync.server.audit import Action
from sync.server.store import AuditEntry, Device
from sync.server.web_sessions import WebViewer

REASONS = {"baja": "Dado de baja", "contrasena": "Cambio de contraseña"}
HEADERS = ("Usuario", "Equipo", "Registrado", "Última sincronización", "Estado")


def _local(moment: dt.datetime | None) -> str:
    """An instant in Peru's time (UTC−5), as people read it."""
    if moment is None:
        return "—"
    return (moment - dt.timedelta(hours=5)).strftime("%d/%m/%Y %H:%M")


def device_table(session: Session, viewer: WebViewer) -> Table:
    """Every device the viewer may see, with its last push or pull (summed up in SQL)."""
    last = (
        select(AuditEntry.device_id, func.max(AuditEntry.at).label("at"))
        .where(AuditEntry.action.in_((Action.PUSH.value, Action.PULL.value)),
               AuditEntry.device_id.is_not(None))
        .group_by(AuditEntry.device_id)
        .subquery()
    )  # fmt: skip
    query = (
        select(Device, last.c.at)
        .outerjoin(last, last.c.device_id == Device.id)
        .order_by(Device.username, Device.created_at)
    )
    if viewer.caller.role is Role.ESPECIALISTA:
        query = query.where(Device.username == viewer.caller.username)
    rows = []
    for device, synced in session.execute(query):
        state = "Activo" if device.revoked_at is None else REASONS.get(
            device.revoked_reason or "contrasena", "Revocado"
        )  # fmt: skip
        rows.append((device.username, device.name, _local(device.created_at), _local(synced),
                     state))  # fmt: skip
    return Table("Equipos", HEADERS, tuple(rows))


def devices_router(sessions: sessionmaker[Session], clock: Callable[[], dt.datetime]) -> APIRouter:
    """/panel/equipos and its exports."""
    router = APIRouter(include_in_schema=False)

    @router.get("/panel/equipos.{fmt}", response_model=None)
    def export(request: Request, fmt: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None or fmt not in MEDIA:
            return not_found(viewer)
        with sessions.begin() as session:
            return download(device_table(session, viewer), fmt, "equipos")

    @router.get("/panel/equipos", response_model=None)
    def devices(request: Request) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        with sessions.begin() as session:
            data = device_table(session, viewer)
        body = (
            '<p class="note">La última sincronización es el último envío o recepción que el '
            "servidor registró de cada equipo (hora del Perú).</p>"
            + table("Equipos registrados", data.headers, [list(map(str, r)) for r in data.rows],
                    table_id="equipos")
            + exports("/panel/equipos", "equipos")
        )  # fmt: skip
        return HTMLResponse(page("Equipos", body, viewer, (("País", "/panel/"), ("Equipos", ""))))

    return router
