"""The visit plan: instancias picked for the coming weeks, by date and in the order of the route."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from instancias_desktop.domain.entities import new_id
from instancias_desktop.domain.entity_checks import LONG_TEXT_LIMIT
from instancias_desktop.domain.enums import InstanciaLevel, SendState, Stage
from instancias_desktop.domain.validation import Collector, check_text
from instancias_desktop.i18n import _

PLAN_HORIZON_DAYS = 120  # a plan is for the coming weeks, not for next year


@dataclass(frozen=True)
class PlanEntry:
    """An instancia to visit on a date; ``position`` orders the visits of one date."""

    instancia_id: uuid.UUID
    planned_on: dt.date
    position: int = 1
    note: str = ""
    visit_id: uuid.UUID | None = None  # the draft started from it
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class PlannedVisit:
    """A plan entry as the plan and the home page show it."""

    entry: PlanEntry
    instancia_name: str
    level: InstanciaLevel
    territory: str
    stage: Stage
    acta_number: str = ""  # of the draft or acta started from it
    send_state: SendState | None = None  # where it stands with the server (None: never sent)

    @property
    def id(self) -> uuid.UUID:
        """The plan entry's id (tables keep their selection by it)."""
        return self.entry.id


def check_plan_date(planned_on: dt.date, note: str, today: dt.date) -> None:
    """A plan looks ahead: not before today, not beyond the horizon; the note has a limit."""
    errors = Collector()
    if planned_on < today:
        errors.add(
            "planned_on",
            _(
                "La fecha planificada ({day}) ya pasó; elija hoy ({today}) o una fecha posterior."
            ).format(day=planned_on.strftime("%d/%m/%Y"), today=today.strftime("%d/%m/%Y")),
        )
    elif (planned_on - today).days > PLAN_HORIZON_DAYS:
        errors.add(
            "planned_on",
            _("El plan abarca las próximas semanas: elija una fecha dentro de {days} días.").format(
                days=PLAN_HORIZON_DAYS
            ),
        )
    errors.add("note", check_text(note, _("Nota"), LONG_TEXT_LIMIT))
    errors.raise_if_any()
