"""The figures of «Asistencia técnica», counted in the database from the visits' summaries.

Visits by department, specialist and month, and by type; instancias never visited or not
visited for N months; each instancia's latest functioning score and how it moved since the
visit before. Drafts count as visits (a visit happened before its acta is closed); scores come
from finalized actas only, as their sealed content states them, and are referential.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from central.catalogue import Country, PlannedInstancia
from central.followup import within
from central.summary_tables import visits
from instancias_desktop.domain.enums import AtType
from instancias_desktop.domain.text import fold
from instancias_desktop.tables.table import Table
from sync.server.store import User

MONTHS = 12
SHORT = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic")
SCORE_NOTE = "referencial"


def month_label(month: str) -> str:
    """«2026-03» as a column header reads: «mar 2026»."""
    year, number = month.split("-")
    return f"{SHORT[int(number) - 1]} {year}"


def last_months(today: dt.date, count: int = MONTHS) -> list[str]:
    """The last ``count`` months, oldest first, as «aaaa-mm»."""
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for day in range(today.day, 0, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a first day")


@dataclass(frozen=True)
class Filters:
    """What the page asks: one department (or all in sight) and the months without a visit."""

    department: str = ""
    months_without: int = 6


@dataclass(frozen=True)
class Standing:
    """An instancia's latest visit and its last two scores (newest first)."""

    last_visit: str
    scores: tuple[int, ...]


def _standings(session: Session, scope: ColumnElement[bool]) -> dict[str, Standing]:
    last = {
        str(i): str(d) for i, d in session.execute(
            select(visits.c.instancia_id, func.max(visits.c.visit_date))
            .where(scope).group_by(visits.c.instancia_id)
        )
    }  # fmt: skip
    ranked = (
        select(
            visits.c.instancia_id, visits.c.score,
            func.row_number().over(
                partition_by=visits.c.instancia_id,
                order_by=(visits.c.visit_date.desc(), visits.c.seq.desc()),
            ).label("position"),
        )
        .where(scope, visits.c.finalized.is_(True), visits.c.score.is_not(None))
        .subquery()
    )  # fmt: skip
    scores: dict[str, list[int]] = defaultdict(list)
    for instancia, score in session.execute(
        select(ranked.c.instancia_id, ranked.c.score)
        .where(ranked.c.position <= 2).order_by(ranked.c.instancia_id, ranked.c.position)
    ):  # fmt: skip
        scores[str(instancia)].append(int(score))
    return {i: Standing(d, tuple(scores.get(i, ()))) for i, d in last.items()}


def trend(scores: tuple[int, ...]) -> str:
    """How the latest score moved since the one before: «▲ +12», «▼ −5», «= 0» or «—»."""
    if len(scores) < 2:
        return "—"
    change = scores[0] - scores[1]
    if change > 0:
        return f"▲ +{change}"
    return f"▼ −{-change}" if change < 0 else "= 0"


def assistance_tables(
    session: Session, places: Country, prefixes: tuple[str, ...], today: dt.date, chosen: Filters
) -> dict[str, Table]:
    """Every table of the page, by the id it has there (and in its export's name)."""
    months = last_months(today)
    scope = within(visits.c.scope, prefixes)
    department = func.substr(visits.c.scope, 1, 2)
    per_month = Counter({
        (str(d), str(m)): int(n) for d, m, n in session.execute(
            select(department, visits.c.month, func.count())
            .where(scope, visits.c.month >= months[0]).group_by(department, visits.c.month)
        )
    })  # fmt: skip
    by_author = Counter({
        (str(a), str(m)): int(n) for a, m, n in session.execute(
            select(visits.c.author, visits.c.month, func.count())
            .where(scope, visits.c.month >= months[0]).group_by(visits.c.author, visits.c.month)
        )
    })  # fmt: skip
    by_type = {
        str(t): int(n) for t, n in session.execute(
            select(visits.c.at_type, func.count()).where(scope).group_by(visits.c.at_type)
        )
    }  # fmt: skip
    names = {u: n or "" for u, n in session.execute(select(User.username, User.full_name))}
    standings = _standings(session, scope)
    sight = places.within(prefixes)
    departments = sorted({d for d, _m in per_month} | {i.ubigeo[:2] for i in sight},
                         key=lambda code: fold(places.names.get(code) or str(code)))  # fmt: skip
    headers = tuple(month_label(m) for m in months)
    authors = sorted({a for a, _m in by_author}, key=lambda a: fold(names.get(a) or a))
    cutoff = months_before(today, chosen.months_without).isoformat()
    return {
        "meses": Table(
            "Visitas por departamento y mes", ("Departamento", *headers, "Total"),
            tuple((places.names.get(d, d), *(per_month[(d, m)] for m in months),
                   sum(per_month[(d, m)] for m in months)) for d in departments),
        ),
        "especialistas": Table(
            "Visitas por especialista y mes", ("Especialista", *headers, "Total"),
            tuple((_person(a, names), *(by_author[(a, m)] for m in months),
                   sum(by_author[(a, m)] for m in months)) for a in authors),
        ),
        "tipos": Table(
            "Visitas por tipo de asistencia", ("Tipo de asistencia", "Visitas"),
            tuple((t.label, int(by_type.get(t.value, 0))) for t in AtType),
        ),
        "nunca": _unvisited(places, sight, departments, standings, cutoff=cutoff,
                            chosen=chosen),
        "puntajes": _scores(places, sight, departments, standings),
        "instancias": _instancias(places, sight, standings, today, chosen),
    }  # fmt: skip


def _person(username: str, names: dict[str, str]) -> str:
    full = names.get(username) or ""
    return f"{full} ({username})" if full else username


def _unvisited(
    places: Country, sight: Sequence[PlannedInstancia], departments: list[str],
    standings: dict[str, Standing], *, cutoff: str, chosen: Filters,
) -> Table:  # fmt: skip
    total, never, stale = Counter[str](), Counter[str](), Counter[str]()
    for item in sight:
        code = item.ubigeo[:2]
        total[code] += 1
        found = standings.get(item.record_id)
        if found is None:
            never[code] += 1
        elif found.last_visit < cutoff:
            stale[code] += 1
    return Table(
        "Instancias sin visita", ("Departamento", "Instancias", "Nunca visitadas",
                                  f"Sin visita en {chosen.months_without} meses o más"),
        tuple((places.names.get(d, d), total[d], never[d], stale[d]) for d in departments),
    )  # fmt: skip


def _scores(
    places: Country, sight: Sequence[PlannedInstancia], departments: list[str],
    standings: dict[str, Standing],
) -> Table:  # fmt: skip
    latest: dict[str, list[int]] = defaultdict(list)
    moved: dict[str, Counter[str]] = defaultdict(Counter)
    for item in sight:
        found = standings.get(item.record_id)
        if found is None or not found.scores:
            continue
        code = item.ubigeo[:2]
        latest[code].append(found.scores[0])
        if len(found.scores) == 2:
            moved[code][trend(found.scores)[0]] += 1
    return Table(
        f"Puntaje de funcionamiento por departamento ({SCORE_NOTE})",
        ("Departamento", "Instancias con puntaje", "Promedio del último puntaje", "Mejoró",
         "Empeoró", "Igual"),
        tuple((places.names.get(d, d), len(latest[d]),
               f"{sum(latest[d]) / len(latest[d]):.1f}".replace(".", ",") if latest[d] else "—",
               moved[d]["▲"], moved[d]["▼"], moved[d]["="]) for d in departments),
    )  # fmt: skip


def _instancias(
    places: Country, sight: Sequence[PlannedInstancia], standings: dict[str, Standing],
    today: dt.date, chosen: Filters,
) -> Table:  # fmt: skip
    rows = []
    for item in sight:
        if chosen.department and not item.ubigeo.startswith(chosen.department):
            continue
        found = standings.get(item.record_id)
        last = dt.date.fromisoformat(found.last_visit) if found and found.last_visit else None
        months = (today.year - last.year) * 12 + today.month - last.month if last else None
        scores = found.scores if found else ()
        rows.append((
            item.name, item.level.label, item.ubigeo,
            last.strftime("%d/%m/%Y") if last else "Nunca",
            months if months is not None else "—",
            scores[0] if scores else "—", scores[1] if len(scores) > 1 else "—", trend(scores),
            -1 if months is None else months,
        ))  # fmt: skip
    rows.sort(key=lambda row: (-(10_000 if row[-1] < 0 else int(row[-1])), fold(str(row[0]))))
    return Table(
        f"Última visita y puntaje por instancia ({SCORE_NOTE})",
        ("Instancia", "Nivel", "Ubigeo", "Última visita", "Meses sin visita", "Último puntaje",
         "Puntaje anterior", "Tendencia"),
        tuple(row[:-1] for row in rows),
    )  # fmt: skip
