"""Prioritizing technical assistance: the ranking, its weights and the imported figures."""

import datetime as dt
import tomllib
from collections.abc import Mapping
from pathlib import Path

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import InstanciaLevel, Stage, UserRole
from instancias_desktop.domain.instancia_standing import (
    INSTALLED_OR_LATER,
    schedule,
    schedule_text,
)
from instancias_desktop.domain.priority import (
    DEFAULT_WEIGHTS,
    PriorityInput,
    Weights,
    WeightsError,
    rank,
)
from instancias_desktop.domain.priority_views import (
    PriorityReport,
    RankedLine,
    WeightsInForce,
    scope_text,
    term_start,
)
from instancias_desktop.domain.territory_figures import (
    FiguresImport,
    TerritoryFigure,
    parse_figures,
)
from instancias_desktop.domain.ubigeo import territory_label
from instancias_desktop.i18n import _
from instancias_desktop.services.instancias import assigned_scope


class WeightsLockedError(PermissionError):
    """Only a supervisor changes the weights; the message says so in Spanish."""


def weights_in_force(database: Database) -> WeightsInForce:
    """The weights used, who set them, and whether this user may change them."""
    return _weights(database, assigned_scope(database)[1])


def _weights(database: Database, role: str) -> WeightsInForce:
    with database.reader() as uow:
        stored = uow.planning.weights()
    if stored is None:
        return WeightsInForce(
            DEFAULT_WEIGHTS, _("valores por defecto"), None, role == UserRole.SUPERVISOR
        )
    raw, source, when = stored
    return WeightsInForce(Weights.from_mapping(raw), source, when, role == UserRole.SUPERVISOR)


def set_weights(database: Database, raw: Mapping[str, object]) -> WeightsInForce:
    """A supervisor's new weights (WeightsError says what to fix; nothing is kept then)."""
    _territories, role, user = assigned_scope(database)
    if role != UserRole.SUPERVISOR:
        raise WeightsLockedError(
            _(
                "Solo un(a) supervisor(a) puede cambiar los pesos de los criterios; los pesos "
                "vigentes llegan del servidor al sincronizar."
            )
        )
    weights = Weights.from_mapping(raw)
    with database.unit_of_work(record=False) as uow:
        uow.planning.put_weights(weights.as_mapping(), user, database.clock())
        uow.commit()
    return weights_in_force(database)


def priority_report(database: Database) -> PriorityReport:
    """The instancias of the user's territories, most in need of assistance first."""
    territories, role, _user = assigned_scope(database)
    weights = _weights(database, role)
    today = peru_today(database.clock())
    with database.reader() as uow:
        names = {code: name for code, (name, _vigente) in uow.catalogue.territory_states().items()}
        inputs = _inputs(uow, territories, today)
        count, last, source = uow.planning.figures_info()
        targets = uow.records.schedules()
        # Only an instancia with agreed dates has a schedule to show: most have none.
        by_norm = uow.records.created_by_norm() if targets else set()
    start = term_start(today)
    ranked = rank(inputs, weights.weights, today, start)
    figures = (
        _("{n} territorios con cifras importadas de {file} ({day})").format(
            n=count, file=source, day=last.astimezone().strftime("%d/%m/%Y")
        )
        if last is not None
        else _("sin cifras importadas: la carga de violencia, el CEM, las alertas y las "
               "solicitudes cuentan 0")
    )  # fmt: skip
    lines = tuple(
        RankedLine(
            r,
            territory_label(r.instancia.ubigeo, names),
            _schedule(
                targets.get(r.instancia.instancia_id),
                r.instancia,
                today,
                created=r.instancia.instancia_id in by_norm,
            ),
        )
        for r in ranked
    )
    return PriorityReport(lines, weights, scope_text(territories, names), figures, start)


def _schedule(
    targets: tuple[dt.date | None, ...] | None,
    item: PriorityInput,
    today: dt.date,
    *,
    created: bool,
) -> str:
    """The next agreed step of an instancia not yet created, installed or convened.

    ``created``: its creating norm is recorded (whatever its stage's hitos say).
    """
    if targets is None:
        return ""
    steps = schedule(
        targets,
        created=created or item.stage is not Stage.NOT_CREATED,
        installed=item.stage in INSTALLED_OR_LATER,
        convened=item.convened,
    )
    return schedule_text(steps, today)


def _inputs(uow: UnitOfWork, territories: tuple[str, ...], today: dt.date) -> list[PriorityInput]:
    figures = uow.planning.figures()
    sworn = uow.planning.sworn_in_dates()
    overdue = uow.follow_ups.overdue_by_instancia(today)
    last_sessions = uow.records.last_sessions()
    summaries = uow.registry.summaries()
    # A province governed at regional level (Lima Metropolitana, 1501) is its own region: its
    # districts count for it, not for the department's regional government as well.
    regional = {s.ubigeo for s in summaries if s.level is InstanciaLevel.IRC and len(s.ubigeo) == 4}
    cases = _cases_by_prefix(figures, regional)
    cems = {p for code, row in figures.items() if row.has_cem for p in _prefixes(code, regional)}
    result = []
    for summary in summaries:
        if territories and not summary.ubigeo.startswith(territories):
            continue
        own = figures.get(summary.ubigeo)
        result.append(
            PriorityInput(
                instancia_id=summary.id,
                name=summary.name,
                level=summary.level,
                ubigeo=summary.ubigeo,
                stage=summary.stage,
                sworn_in_on=sworn.get(summary.id),
                last_visit_on=summary.last_visit_date,
                overdue_agreements=overdue.get(summary.id, 0),
                violence_figure=cases.get(summary.ubigeo),
                has_cem=summary.ubigeo in cems,
                alerts=(own.alerts or 0) if own else 0,
                requested=bool(own.requested) if own else False,
                convened=_convened(last_sessions.get(summary.id), sworn.get(summary.id)),
            )
        )
    return result


def _convened(last_session: dt.date | None, sworn_in_on: dt.date | None) -> bool:
    """A session recorded since the latest installation (or ever, if none is recorded).

    Members sworn in again after a change of authorities have to be convened again.
    """
    return last_session is not None and (sworn_in_on is None or last_session >= sworn_in_on)


def _prefixes(code: str, regional: set[str]) -> tuple[str, ...]:
    """The territories a code lies in (itself included), as the regional units divide them."""
    if code[:4] in regional:
        return tuple(code[:n] for n in (4, 6) if n <= len(code))
    return tuple(code[:n] for n in (2, 4, 6) if n <= len(code))


def _cases_by_prefix(
    figures: Mapping[str, TerritoryFigure], regional: set[str]
) -> dict[str, float]:
    """Violence cases per territory: its own figure, else the sum of the districts in it."""
    given = {
        code: row.violence_cases for code, row in figures.items() if row.violence_cases is not None
    }
    summed: dict[str, float] = {}
    for code, cases in given.items():
        if len(code) == 6:
            for prefix in _prefixes(code, regional)[:-1]:
                summed[prefix] = summed.get(prefix, 0.0) + cases
    return {**summed, **given}


def import_figures(database: Database, source: Path) -> FiguresImport:
    """Read a CSV of territory figures; when every row is right, it replaces those held."""
    data = source.read_bytes()
    with database.reader() as uow:
        known = set(uow.catalogue.territory_states())
    result = parse_figures(data, known)
    if result.errors or not result.rows:
        return result
    with database.unit_of_work(record=False) as uow:
        uow.planning.replace_figures(result.rows, source.name, database.clock())
        uow.commit()
    return result


def apply_published_weights(database: Database, key: str, content: str) -> str:
    """Weights the ministry published (server wins); say, in Spanish, what was done."""
    try:
        weights = Weights.from_mapping(tomllib.loads(content)["pesos"])
    except (WeightsError, KeyError, TypeError, tomllib.TOMLDecodeError) as error:
        return _("Pesos {key} rechazados: {error}").format(key=key, error=error)
    with database.unit_of_work(record=False) as uow:
        uow.planning.put_weights(
            weights.as_mapping(), _("servidor ({key})").format(key=key), database.clock()
        )
        uow.commit()
    return _("Pesos de prioridad recibidos del servidor: {key}.").format(key=key)
