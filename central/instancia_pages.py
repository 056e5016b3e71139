"""Down to one instancia: a province's instancias, one's history, visits and agreements.

A finalized acta comes as the same PDF the laptop printed: rendered from its sealed snapshot,
with its verification code.
"""

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from central.atlas import Atlas
from central.catalogue import PlannedInstancia, country
from central.figures import counts_of, current_stages, narrowed
from central.funnel import funnel_figure
from central.maps import territory_map
from central.mapview import Colouring
from central.pages import MEDIA, download, exports, not_found, prefixes_of
from central.signin import viewer_of
from central.summary_tables import acta_score
from central.web import page, shown
from instancias_desktop.domain.acta_code import record_of
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import AgreementState, AtType, Stage
from instancias_desktop.domain.follow_ups import AgreementStatus, FollowUpView, current_status
from instancias_desktop.paths import resources_dir
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.tables.table import Table
from sync.kinds import AGREEMENT, FINALIZED, FOLLOW_UP, STAGE_EVENT, VISIT
from sync.server.store import Record
from sync.server.web_sessions import WebViewer

PROVINCE = re.compile(r"[0-9]{4}")


def _day(text: str | None) -> str:
    return dt.date.fromisoformat(text).strftime("%d/%m/%Y") if text else "—"


def _visible(viewer: WebViewer, ubigeo: str) -> bool:
    mine = prefixes_of(viewer)
    return not mine or ubigeo.startswith(mine)


def _records(session: Session, kind: str, scope: str) -> list[Record]:
    """The live records of a kind in one territory (the index on kind and scope serves it)."""
    query = select(Record).where(
        Record.kind == kind, Record.scope == scope, Record.deleted.is_(False)
    )
    return list(session.scalars(query))


def _of(records: list[Record], instancia: PlannedInstancia) -> list[dict[str, Any]]:
    """The fields of the records that belong to the instancia, with their ids."""
    return [
        {**r.fields, "id": str(r.record_id)}
        for r in records
        if r.fields.get("instancia_id") == instancia.record_id
    ]


def province_router(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime], atlas: Atlas
) -> APIRouter:
    """/panel/provincia/{código} and its export."""
    router = APIRouter(include_in_schema=False)

    def province_of(
        viewer: WebViewer, code: str
    ) -> tuple[list[PlannedInstancia], dict[str, Stage], Table] | None:
        """A province's instancias the viewer sees, their stages and its table (None: hidden)."""
        places = country()
        if PROVINCE.fullmatch(code) is None or code not in places.names:
            return None
        listed = [i for i in places.within(prefixes_of(viewer)) if i.ubigeo.startswith(code)]
        if not listed:
            return None
        with sessions.begin() as session:
            stages = current_stages(session, narrowed(prefixes_of(viewer), code))
        data = Table(
            f"Instancias de la provincia de {places.names[code]}",
            ("Instancia", "Nivel", "Territorio", "Ubigeo", "Estado"),
            tuple((i.name, i.level.label, places.names.get(i.ubigeo, i.ubigeo), i.ubigeo,
                   stages.get(i.record_id, Stage.NOT_CREATED).label) for i in listed),
        )  # fmt: skip
        return listed, stages, data

    @router.get("/panel/provincia/{code}.{fmt}", response_model=None)
    def province_export(request: Request, code: str, fmt: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        found = province_of(viewer, code) if viewer is not None and fmt in MEDIA else None
        if found is None:
            return not_found(viewer)
        return download(found[2], fmt, f"provincia-{code}")

    @router.get("/panel/provincia/{code}", response_model=None)
    def province(request: Request, code: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        found = province_of(viewer, code)
        if found is None:
            return not_found(viewer)
        listed, stages, data = found
        places = country()
        name = places.names[code]
        drawn = territory_map(
            atlas, places, stages, listed, digits=6, within=code,
            colouring=Colouring.of(request.query_params.get("color"), Colouring.STAGE),
            page_url=f"/panel/provincia/{code}", caption=f"Mapa de {name} por distrito",
        )  # fmt: skip
        figure = funnel_figure(
            counts_of(name, listed, stages), f"Embudo de estados de {name} (todas sus instancias)"
        )
        body = (
            f'<div class="vista">{drawn}{figure}</div>'
            + shown(data, "provincia",
                    links={n: f"/panel/instancia/{i.record_id}" for n, i in enumerate(listed)})
            + exports(f"/panel/provincia/{code}", "provincia")
        )  # fmt: skip
        department = code[:2]
        crumbs = (("País", "/panel/"),
                  (f"Departamento de {places.names[department]}",
                   f"/panel/departamento/{department}"),
                  (f"Provincia de {name}", ""))  # fmt: skip
        return HTMLResponse(page(f"Provincia de {name}", body, viewer, crumbs))

    return router


def instancia_router(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime]
) -> APIRouter:
    """/panel/instancia/{id}, its exports, and /panel/acta/{id}.pdf."""
    router = APIRouter(include_in_schema=False)

    def instancia_of(viewer: WebViewer, record_id: str) -> Detail | None:
        """One instancia's tables, if the viewer may see it."""
        found = country().by_id(record_id)
        if found is None or not _visible(viewer, found.ubigeo):
            return None
        with sessions.begin() as session:
            events = _of(_records(session, STAGE_EVENT.name, found.ubigeo), found)
            visits = _of(_records(session, VISIT.name, found.ubigeo), found)
            agreements = [
                {**r.fields, "id": str(r.record_id)}
                for r in _records(session, AGREEMENT.name, found.ubigeo)
                if str(r.parent_id) in {v["id"] for v in visits}
            ]  # fmt: skip
            history = _follow_ups(_records(session, FOLLOW_UP.name, found.ubigeo))
        today = peru_today(clock())
        agreements = [{**a, "standing": _standing(a, history, today)} for a in agreements]
        return _detail(found, events, visits, agreements)

    @router.get("/panel/instancia/{record_id}/{which}.{fmt}", response_model=None)
    def instancia_export(request: Request, record_id: str, which: str, fmt: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        found = instancia_of(viewer, record_id) if viewer is not None and fmt in MEDIA else None
        if found is None or which not in found.tables:
            return not_found(viewer)
        return download(found.tables[which], fmt, f"instancia-{found.place.ubigeo}-{which}")

    @router.get("/panel/instancia/{record_id}", response_model=None)
    def instancia(request: Request, record_id: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        found = instancia_of(viewer, record_id)
        if found is None:
            return not_found(viewer)
        place = found.place
        body = f'<p class="note">{place.level.label} · ubigeo {place.ubigeo}</p>' + "".join(
            shown(data, name, links=found.acta_links if name == "visitas" else None)
            + exports(f"/panel/instancia/{record_id}/{name}", name)
            for name, data in found.tables.items()
        )
        return HTMLResponse(page(place.name, body, viewer, _crumbs(place)))

    @router.get("/panel/acta/{visit_id}.pdf", response_model=None)
    def acta(request: Request, visit_id: str) -> Response:
        viewer = viewer_of(request, sessions, clock)
        if viewer is None:
            return RedirectResponse("/panel/ingresar", status_code=303)
        try:
            key = uuid.UUID(visit_id)
        except ValueError:
            return not_found(viewer)
        with sessions.begin() as session:
            found = session.get(Record, (VISIT.name, key))
        fields = found.fields if found is not None and not found.deleted else {}
        if fields.get("status") != FINALIZED or not _visible(viewer, found.scope if found else ""):
            return not_found(viewer)  # drafts are their author's; other territories are hidden
        record = record_of(fields["acta_content"])
        pdf = render_acta(record, fields["acta_code"], resources_dir() / "fonts")
        name = re.sub(r"[^0-9A-Za-z-]+", "-", record.acta_number)
        disposition = f'attachment; filename="acta-{name}.pdf"'
        return Response(
            pdf, media_type="application/pdf", headers={"Content-Disposition": disposition}
        )

    return router


def _crumbs(found: PlannedInstancia) -> tuple[tuple[str, str], ...]:
    names, crumbs = country().names, [("País", "/panel/")]
    department, province = found.ubigeo[:2], found.ubigeo[:4]
    crumbs.append((f"Departamento de {names[department]}", f"/panel/departamento/{department}"))
    if len(found.ubigeo) >= 4:
        crumbs.append((f"Provincia de {names[province]}", f"/panel/provincia/{province}"))
    crumbs.append((found.name, ""))
    return tuple(crumbs)


def _follow_ups(records: list[Record]) -> dict[str, list[FollowUpView]]:
    """The follow-ups of a territory, by the agreement they follow."""
    found: dict[str, list[FollowUpView]] = {}
    for r in records:
        f = r.fields
        found.setdefault(str(f["agreement_id"]), []).append(
            FollowUpView(
                r.record_id, dt.date.fromisoformat(f["recorded_on"]), AgreementState(f["state"]),
                dt.date.fromisoformat(f["new_deadline"]) if f.get("new_deadline") else None,
                f.get("evidence") or "", f.get("note") or "", r.owner,
                dt.datetime.fromisoformat(f["recorded_at"]),
            )
        )  # fmt: skip
    return found


def _standing(
    agreement: dict[str, Any], history: dict[str, list[FollowUpView]], today: dt.date
) -> AgreementStatus:
    """Where an agreement stands, as on the laptops: its latest follow-up, its deadline now."""
    stored = AgreementState(agreement.get("state") or AgreementState.PENDING.value)
    deadline = dt.date.fromisoformat(agreement["deadline"])
    return current_status(stored, deadline, history.get(agreement["id"], ()), today)


@dataclass(frozen=True)
class Detail:
    """One instancia's tables by their id on the page, and which visits link to their acta."""

    place: PlannedInstancia
    tables: dict[str, Table]
    acta_links: dict[int, str]


def _detail(
    found: PlannedInstancia,
    events: list[dict[str, Any]],
    visits: list[dict[str, Any]],
    agreements: list[Any],
) -> Detail:
    history = sorted(events, key=lambda e: (e["event_date"], e.get("sequence") or 0), reverse=True)
    shown_visits = sorted(visits, key=lambda v: v["visit_date"], reverse=True)
    tables = {
        "historial": Table(
            "Historial de estados", ("Fecha", "Estado", "Medio de verificación"),
            tuple((_day(e["event_date"]), Stage(e["stage"]).label, e.get("evidence") or "—")
                  for e in history),
        ),
        "visitas": Table(
            "Visitas de asistencia técnica",
            ("Acta", "Fecha", "Tipo", "Estado", "Código de verificación", "Puntaje (referencial)"),
            tuple((v["acta_number"], _day(v["visit_date"]), AtType(v["at_type"]).label,
                   "Finalizada" if v.get("status") == FINALIZED else "Borrador",
                   v.get("acta_code") or "—", _score(v)) for v in shown_visits),
        ),
        "acuerdos": Table(
            "Acuerdos", ("Acuerdo", "Entidad responsable", "Plazo", "Estado"),
            tuple((a["description"], a["responsible_entity"],
                   a["standing"].deadline.strftime("%d/%m/%Y"), a["standing"].state.label)
                  for a in sorted(agreements, key=lambda a: a["standing"].deadline)),
        ),
    }  # fmt: skip
    links = {n: f"/panel/acta/{v['id']}.pdf" for n, v in enumerate(shown_visits)
             if v.get("status") == FINALIZED}  # fmt: skip
    return Detail(found, tables, links)


def _score(visit: dict[str, Any]) -> str | int:
    """The functioning score its finalized acta states, or «—»."""
    found = acta_score(visit.get("acta_content")) if visit.get("status") == FINALIZED else None
    return "—" if found is None else found
