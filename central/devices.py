"""«Equipos»: each laptop, its last sync, what waits on the server for it, what was refused.

What waits: the changes the laptop said, with its last push, it still had to send (an app
older than that report says nothing: «—»), conflicts whose set-aside value came from it (its
user decides), and files it started to send and has not finished.
A specialist sees her own laptops; supervisors and headquarters see them all.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from central.pages import MEDIA, download, exports, not_found
from central.signin import viewer_of
from central.web import page, shown
from instancias_desktop.tables.table import Table
from sync.kinds import KINDS
from sync.server.access import Role
from sync.server.audit import Action
from sync.server.store import AuditEntry, Conflict, Device, Quarantine, Upload
from sync.server.web_sessions import WebViewer

REASONS = {"baja": "Dado de baja", "contrasena": "Cambio de contraseña"}
HEADERS = ("Usuario", "Equipo", "Registrado", "Última sincronización", "Cambios sin enviar",
           "Conflictos por resolver", "Archivos a medio enviar", "Operaciones rechazadas",
           "Estado")  # fmt: skip
REFUSED_HEADERS = ("Recibida", "Usuario", "Equipo", "Registro", "Motivo")
REFUSED_ROWS = 50
PERU_OFFSET = dt.timedelta(hours=5)


def _local(moment: dt.datetime | None) -> str:
    """An instant in Peru's time (UTC−5), as people read it: «10/03/2026 09:30»."""
    if moment is None:
        return "—"
    m = moment - PERU_OFFSET  # formatted by hand: strftime cost 1 ms a page of 300 laptops
    return f"{m.day:02d}/{m.month:02d}/{m.year} {m.hour:02d}:{m.minute:02d}"


def _per_device(session: Session, column: Any, *conditions: Any) -> dict[Any, int]:
    query = select(column, func.count()).where(column.is_not(None), *conditions).group_by(column)
    return {device: int(n) for device, n in session.execute(query)}


def device_table(session: Session, viewer: WebViewer) -> Table:
    """Every device the viewer may see, with its last push or pull (summed up in SQL)."""
    last = (
        select(AuditEntry.device_id, func.max(AuditEntry.at).label("at"))
        .where(AuditEntry.action.in_((Action.PUSH.value, Action.PULL.value)),
               AuditEntry.device_id.is_not(None))
        .group_by(AuditEntry.device_id)
        .subquery()
    )  # fmt: skip
    query = (  # columns, not entities: 300 ORM objects cost more than the rest of the page
        select(Device.id, Device.username, Device.name, Device.created_at, Device.revoked_at,
               Device.revoked_reason, Device.outbox_waiting, last.c.at)
        .outerjoin(last, last.c.device_id == Device.id)
        .order_by(Device.username, Device.created_at)
    )  # fmt: skip
    if viewer.caller.role is Role.ESPECIALISTA:
        query = query.where(Device.username == viewer.caller.username)
    conflicts = _per_device(session, Conflict.other_device_id, Conflict.resolved.is_(False))
    uploads = _per_device(session, Upload.device_id, Upload.completed_at.is_(None))
    refused = _per_device(session, Quarantine.device_id)
    rows = []
    for device in session.execute(query):
        synced = device.at
        state = "Activo" if device.revoked_at is None else REASONS.get(
            device.revoked_reason or "contrasena", "Revocado"
        )  # fmt: skip
        unsent = "—" if device.outbox_waiting is None else device.outbox_waiting
        rows.append((device.username, device.name, _local(device.created_at), _local(synced),
                     unsent, conflicts.get(device.id, 0), uploads.get(device.id, 0),
                     refused.get(device.id, 0), state))  # fmt: skip
    return Table("Equipos registrados", HEADERS, tuple(rows))


def refused_table(session: Session, viewer: WebViewer) -> Table:
    """The latest operations the server refused, with the reason their author was given."""
    query = (
        select(Quarantine.received_at, Quarantine.username, Device.name, Quarantine.operation,
               Quarantine.reason)
        .outerjoin(Device, Device.id == Quarantine.device_id)
        .order_by(Quarantine.id.desc())  # the order received: its key, read backwards
        .limit(REFUSED_ROWS)
    )  # fmt: skip
    if viewer.caller.role is Role.ESPECIALISTA:
        query = query.where(Quarantine.username == viewer.caller.username)
    rows = []
    for at, username, name, operation, reason in session.execute(query):
        kind = operation.get("kind") if isinstance(operation, dict) else None
        label = KINDS[kind].label if isinstance(kind, str) and kind in KINDS else "—"
        rows.append((_local(at), username, name or "—", label, reason))
    return Table(f"Últimas {REFUSED_ROWS} operaciones rechazadas", REFUSED_HEADERS, tuple(rows))


def devices_router(sessions: sessionmaker[Session], clock: Callable[[], dt.datetime]) -> APIRouter:
    """/panel/equipos and its exports."""
    router = APIRouter(include_in_schema=False)

    exported = {"equipos": device_table, "rechazadas": refused_table}

    @router.get("/panel/equipos/{which}.{fmt}", response_model=None)
    def export(request: Request, which: str, fmt: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None or fmt not in MEDIA or which not in exported:
            return not_found(viewer)
        with sessions.begin() as session:
            return download(exported[which](session, viewer), fmt, f"equipos-{which}")

    @router.get("/panel/equipos", response_model=None)
    def devices(request: Request) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        with sessions.begin() as session:
            data, refused = device_table(session, viewer), refused_table(session, viewer)
        body = (
            '<p class="note">La última sincronización es el último envío o recepción que el '
            "servidor registró de cada equipo (hora del Perú). «Cambios sin enviar» es lo que el "
            "equipo dijo, en su último envío, que le quedaba por enviar («—»: una versión de la "
            "aplicación que no lo informa); los conflictos son los que su usuaria debe decidir y "
            "los archivos, los que empezó a enviar sin terminar.</p>"
            + shown(data, "equipos")
            + exports("/panel/equipos/equipos", "equipos")
            + shown(refused, "rechazadas")
            + exports("/panel/equipos/rechazadas", "rechazadas")
        )  # fmt: skip
        return HTMLResponse(page("Equipos", body, viewer, (("País", "/panel/"), ("Equipos", ""))))

    return router
