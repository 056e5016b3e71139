"""Agreement follow-up: progress recorded later, appended, never edited; the state derives from it.

An agreement keeps the state and deadline written in its acta. Each later follow-up (seguimiento)
records, on a date, the state it reached, evidence and a note; «reprogramado» also moves the
deadline. What a screen shows is the latest follow-up's state and deadline, and «vencido» when an
open agreement's deadline has passed in Peru's civil calendar.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from instancias_desktop.domain.agreements import effective_state
from instancias_desktop.domain.entities import new_id
from instancias_desktop.domain.entity_checks import LONG_TEXT_LIMIT, TEXT_LIMIT
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.validation import Collector, check_text
from instancias_desktop.i18n import _

_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class FollowUpInput:
    """A follow-up as typed in a visit or in the agreements page."""

    recorded_on: dt.date
    state: AgreementState
    new_deadline: dt.date | None = None
    evidence: str = ""
    note: str = ""


@dataclass(frozen=True)
class FollowUp:
    """Progress on an agreement recorded on a date (during a visit when ``visit_id`` is set)."""

    agreement_id: uuid.UUID
    recorded_on: dt.date
    state: AgreementState
    recorded_at: dt.datetime
    new_deadline: dt.date | None = None
    evidence: str = ""
    note: str = ""
    visit_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class FollowUpView:
    """A follow-up as listed in an agreement's history."""

    id: uuid.UUID
    recorded_on: dt.date
    state: AgreementState
    new_deadline: dt.date | None
    evidence: str
    note: str
    author: str
    recorded_at: dt.datetime = _EARLIEST
    acta_number: str = ""  # the visit during which it was recorded, if any
    visit_id: uuid.UUID | None = None

    @property
    def order(self) -> tuple[dt.date, dt.datetime, str]:
        """Later date first; among one date, the later recording, then the id.

        ``recorded_at`` is the instant its author recorded it, a field that travels with the
        record: every laptop orders the same follow-ups the same way (a correction made later
        the same day wins), and the id settles what is left.
        """
        return (self.recorded_on, self.recorded_at, str(self.id))


@dataclass(frozen=True)
class AgreementStatus:
    """What an agreement stands at today: state to show, deadline in force, last follow-up."""

    state: AgreementState
    deadline: dt.date
    last_follow_up: dt.date | None


def current_status(
    stored: AgreementState,
    deadline: dt.date,
    history: Iterable[FollowUpView],
    today: dt.date,
) -> AgreementStatus:
    """The latest follow-up's state, the latest reschedule's deadline, «vencido» for ``today``.

    A reschedule's deadline stays in force after later progress («en proceso» a week later
    does not bring the old deadline back); only a later reschedule moves it again.
    """
    ordered = sorted(history, key=lambda f: f.order)
    if not ordered:
        return AgreementStatus(effective_state(stored, deadline, today), deadline, None)
    for follow_up in ordered:
        if follow_up.new_deadline is not None:
            deadline = follow_up.new_deadline
    latest = ordered[-1]
    return AgreementStatus(
        effective_state(latest.state, deadline, today), deadline, latest.recorded_on
    )


def check_follow_up(data: FollowUpInput, agreed_on: dt.date, today: dt.date) -> None:
    """Reject a follow-up dated in the future or before the agreement, or a bad reschedule."""
    errors = Collector()
    if data.state is AgreementState.OVERDUE:
        errors.add("state", _("«Vencido» se calcula con el plazo; elija otro estado."))
    if data.recorded_on > today:
        errors.add(
            "recorded_on",
            _("La fecha del seguimiento ({day}) no puede ser posterior a hoy ({today}).").format(
                day=_date(data.recorded_on), today=_date(today)
            ),
        )
    if data.recorded_on < agreed_on:
        errors.add(
            "recorded_on",
            _(
                "La fecha del seguimiento ({day}) no puede ser anterior a la visita en que se "
                "acordó ({visit})."
            ).format(day=_date(data.recorded_on), visit=_date(agreed_on)),
        )
    _check_deadline(errors, data)
    errors.add("evidence", check_text(data.evidence, _("Medio de verificación"), TEXT_LIMIT))
    errors.add("note", check_text(data.note, _("Observación"), LONG_TEXT_LIMIT))
    errors.raise_if_any()


def _check_deadline(errors: Collector, data: FollowUpInput) -> None:
    if data.state is AgreementState.RESCHEDULED:
        if data.new_deadline is None:
            errors.add("new_deadline", _("Indique el nuevo plazo del acuerdo reprogramado."))
        elif data.new_deadline <= data.recorded_on:
            errors.add(
                "new_deadline",
                _(
                    "El nuevo plazo ({deadline}) debe ser posterior a la fecha del seguimiento."
                ).format(deadline=_date(data.new_deadline)),
            )
    elif data.new_deadline is not None:
        errors.add(
            "new_deadline",
            _("Solo un acuerdo «Reprogramado» cambia de plazo; deje el campo vacío."),
        )


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class AgreementLine:
    """An agreement as the agreements page and the follow-up in a visit show it."""

    id: uuid.UUID
    visit_id: uuid.UUID
    acta_number: str
    visit_date: dt.date
    instancia_id: uuid.UUID
    instancia_name: str
    ubigeo: str
    territory: str
    number: int
    description: str
    responsible_entity: str
    responsible_person: str
    verification_means: str
    agreed_deadline: dt.date
    status: AgreementStatus
    history: tuple[FollowUpView, ...] = ()  # newest first

    @property
    def state(self) -> AgreementState:
        """The state to show today."""
        return self.status.state

    @property
    def deadline(self) -> dt.date:
        """The deadline in force (moved by a reschedule)."""
        return self.status.deadline

    @property
    def is_open(self) -> bool:
        """Still to be fulfilled: pending, in progress, rescheduled or overdue."""
        return self.status.state in OPEN_STATES


OPEN_STATES = frozenset(
    {
        AgreementState.PENDING,
        AgreementState.IN_PROGRESS,
        AgreementState.RESCHEDULED,
        AgreementState.OVERDUE,
    }
)
