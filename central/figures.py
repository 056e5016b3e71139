"""The country's figures, read from the sync server's records: each instancia's current stage.

The stage history is summed up in the database (the latest hito of each instancia, by date and
then by the order the server gave it), so a request reads one row per instancia that has a
history, never the events themselves. The same SQL runs on PostgreSQL and SQLite.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from central.catalogue import Country, PlannedInstancia
from instancias_desktop.domain.enums import Stage
from instancias_desktop.domain.text import fold
from sync.kinds import STAGE_EVENT
from sync.server.store import Record

INSTALLED = frozenset({Stage.INSTALLED, Stage.FUNCTIONING, Stage.REACTIVATED})


def narrowed(prefixes: Sequence[str], within: str) -> tuple[str, ...]:
    """The viewer's territories (none: the country) narrowed to those under ``within``."""
    if not within:
        return tuple(prefixes)
    return tuple(
        within if within.startswith(p) else p
        for p in prefixes or ("",)
        if p.startswith(within) or within.startswith(p)
    )


def under(scope: Any, prefixes: Sequence[str]) -> ColumnElement[bool]:
    """``scope`` starts with one of ``prefixes`` (all for none), as ranges an index can serve."""
    if not prefixes:
        return literal(True)
    return or_(*(and_(scope >= p, scope < p[:-1] + chr(ord(p[-1]) + 1)) for p in prefixes))


def current_stages(session: Session, prefixes: Sequence[str] = ()) -> dict[str, Stage]:
    """The current stage of every instancia with a history (in ``prefixes``), by its id."""
    fields = Record.fields
    instancia = fields["instancia_id"].as_string()
    latest = (
        select(
            instancia.label("instancia"),
            fields["stage"].as_string().label("stage"),
            func.row_number()
            .over(
                partition_by=instancia,
                order_by=(
                    fields["event_date"].as_string().desc(),
                    func.coalesce(fields["sequence"].as_integer(), 0).cast(Integer).desc(),
                    Record.seq.desc(),
                ),
            )
            .label("position"),
        )
        .where(
            Record.kind == STAGE_EVENT.name,
            Record.deleted.is_(False),
            under(Record.scope, prefixes),
        )
        .subquery()
    )
    rows = session.execute(select(latest.c.instancia, latest.c.stage).where(latest.c.position == 1))
    return {str(row.instancia): Stage(row.stage) for row in rows}


@dataclass
class StageCounts:
    """How many instancias of a territory are at each stage."""

    name: str
    by_stage: Counter[Stage] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """Every instancia of the territory."""
        return sum(self.by_stage.values())

    def share(self, stages: frozenset[Stage]) -> float:
        """The share (0–1) of the territory's instancias at one of ``stages``."""
        return sum(self.by_stage[s] for s in stages) / self.total if self.total else 0.0


def counts_of(
    name: str, instancias: Iterable[PlannedInstancia], stages: Mapping[str, Stage]
) -> StageCounts:
    """The stage counts of some instancias together (none with a history: «No creada»)."""
    counts = StageCounts(name)
    for item in instancias:
        counts.by_stage[stages.get(item.record_id, Stage.NOT_CREATED)] += 1
    return counts


def counts_by_territory(
    country: Country,
    stages: Mapping[str, Stage],
    instancias: Iterable[PlannedInstancia],
    digits: int,
) -> dict[str, StageCounts]:
    """Stage counts per territory of ``digits`` (2: department, 4: province), sorted by name."""
    found: dict[str, StageCounts] = {}
    for item in instancias:
        code = item.ubigeo[:digits]
        if len(code) < digits:
            continue  # a regional unit has no province: it counts in its department only
        row = found.setdefault(code, StageCounts(country.names.get(code, code)))
        row.by_stage[stages.get(item.record_id, Stage.NOT_CREATED)] += 1
    return dict(sorted(found.items(), key=lambda pair: fold(pair[1].name)))  # Áncash after Amazonas
