"""What the instancia's records say today: its current seats, instruments and schedule.

Derived when read, never stored: who holds each seat now, which reglamento and plan are in
force, the last report sent, and how the agreed creation schedule stands against today.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from instancias_desktop.domain.enums import InstanciaLevel, InstrumentType, SeatKind, Stage
from instancias_desktop.domain.instancia_records import InstrumentView, MemberView
from instancias_desktop.domain.membership import MemberEntityType, composition_problems
from instancias_desktop.i18n import _, n_

TERRITORY_WORD = {
    InstanciaLevel.IRC: "departamento",
    InstanciaLevel.IPC: "provincia",
    InstanciaLevel.IDC: "distrito",
}
PLANS = (InstrumentType.WORK_PLAN, InstrumentType.ACTION_PLAN)
# A hito of any of these stages means the instancia was installed at some point.
INSTALLED_OR_LATER = frozenset(
    {Stage.INSTALLED, Stage.FUNCTIONING, Stage.INACTIVE, Stage.REACTIVATED}
)


def current_members(members: Iterable[MemberView], today: dt.date) -> list[MemberView]:
    """The representatives who hold their seats today."""
    return [m for m in members if m.current(today)]


def composition_gaps(
    types: Sequence[MemberEntityType],
    members: Iterable[MemberView],
    level: InstanciaLevel,
    today: dt.date,
) -> list[str]:
    """«Falta: …» / «Sobra: …» for the level's rules, counting today's titular seats."""
    seats = Counter(
        m.entity_type_code for m in current_members(members, today) if m.seat is SeatKind.TITULAR
    )
    rules = tuple(t for t in types if t.level is level)
    return [
        *doubled_seats(members, today),
        *composition_problems(rules, seats, TERRITORY_WORD[level]),
    ]


def doubled_seats(members: Iterable[MemberView], today: dt.date) -> list[str]:
    """A seat of one entity held by two people today, said so she removes one.

    Two laptops that change a representative at once each end the former tenure and begin
    their own: both stay current until she decides.
    """
    holders: dict[tuple[str, str, SeatKind], list[MemberView]] = {}
    for member in current_members(members, today):
        key = (member.entity_type_code, " ".join(member.entity_name.casefold().split()))
        holders.setdefault((*key, member.seat), []).append(member)
    return [
        _(
            "Dos o más representantes vigentes como {seat} de {entity}: {names}. Quizá se "
            "cambió el representante en dos equipos a la vez: en «Integrantes», quite la "
            "designación que no corresponde."
        ).format(
            seat=held[0].seat.label.lower(),
            entity=held[0].entity_name,
            names=", ".join(sorted(m.person_name or "—" for m in held)),
        )
        for held in holders.values()
        if len(held) > 1
    ]


def in_force_rules(instruments: Iterable[InstrumentView], today: dt.date) -> InstrumentView | None:
    """The reglamento interno approved last (by today)."""
    approved = [
        i
        for i in instruments
        if i.instrument_type is InstrumentType.RULES
        and i.approved_on is not None
        and i.approved_on <= today
    ]
    return max(approved, key=lambda i: i.approved_on or dt.date.min, default=None)


def current_plan(instruments: Iterable[InstrumentView], today: dt.date) -> InstrumentView | None:
    """The approved plan whose period covers today (the latest approved of several)."""
    covering = [
        i
        for i in instruments
        if i.instrument_type in PLANS
        and i.approved_on is not None
        and (i.period_start is None or i.period_start <= today)
        and (i.period_end is not None and today <= i.period_end)
    ]
    return max(covering, key=lambda i: i.approved_on or dt.date.min, default=None)


def last_report(instruments: Iterable[InstrumentView], today: dt.date) -> InstrumentView | None:
    """The report sent last (by today)."""
    sent = [
        i
        for i in instruments
        if i.instrument_type is InstrumentType.REPORT and i.sent_on is not None
        and i.sent_on <= today
    ]  # fmt: skip
    return max(sent, key=lambda i: i.sent_on or dt.date.min, default=None)


def instrument_status(
    instrument: InstrumentView, today: dt.date, instruments: Iterable[InstrumentView] = ()
) -> str:
    """How an instrument stands today, as the checklist reads it (``instruments``: all).

    «Vigente», «Vencido», «Por iniciar», «Reemplazado», «Sin periodo», «Enviado el …» or
    «Sin aprobar».
    """
    if instrument.instrument_type is InstrumentType.REPORT:
        if instrument.sent_on is None:
            return _("Sin enviar")
        return _("Enviado el {day}").format(day=instrument.sent_on.strftime("%d/%m/%Y"))
    if instrument.approved_on is None:
        return _("Sin aprobar")
    return _standing(instrument, today, instruments)


def _standing(
    instrument: InstrumentView, today: dt.date, instruments: Iterable[InstrumentView]
) -> str:
    """An approved reglamento or plan: replaced, without a period, or by its dates."""
    if instrument.instrument_type is InstrumentType.RULES:
        in_force = in_force_rules(instruments, today)
        if in_force is not None and in_force.id != instrument.id:
            return _("Reemplazado")
    elif instrument.period_end is None:
        return _("Sin periodo")  # a plan covers a period: without its end it is never current
    if instrument.period_start is not None and today < instrument.period_start:
        return _("Por iniciar")
    if instrument.period_end is not None and instrument.period_end < today:
        return _("Vencido")
    return _("Vigente")


def period_text(instrument: InstrumentView) -> str:
    """«01/01/2026 – 31/12/2026 (anual)» or «… (plurianual)» for a plan; «—» without one."""
    start, end = instrument.period_start, instrument.period_end
    if start is None and end is None:
        return "—"
    shown = f"{_day(start) or '…'} – {_day(end) or '…'}"
    if start is None or end is None or instrument.instrument_type not in PLANS:
        return shown  # a report covers a period too, but is neither annual nor multi-year
    years = (end - start).days / 365.25
    return shown + (_(" (anual)") if years <= 1.01 else _(" (plurianual)"))


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else ""


@dataclass(frozen=True)
class Milestone:
    """One agreed step of the creation schedule and how it stands today."""

    label: str
    target: dt.date | None
    done: bool

    def status(self, today: dt.date) -> str:
        """«Cumplido», «sin fecha acordada», «vence en 12 días», «vencido hace 3 días»."""
        if self.done:
            return _("cumplido")
        if self.target is None:
            return _("sin fecha acordada")
        days = (self.target - today).days
        if days > 0:
            return n_("vence en {n} día", "vence en {n} días", days)
        if days == 0:
            return _("vence hoy")
        return n_("vencido hace {n} día", "vencido hace {n} días", -days)

    def overdue(self, today: dt.date) -> bool:
        """Whether the target date passed and the step is not done."""
        return not self.done and self.target is not None and self.target < today


def schedule(
    targets: Sequence[dt.date | None],
    *,
    created: bool,
    installed: bool,
    convened: bool,
) -> tuple[Milestone, Milestone, Milestone]:
    """The ordinance, installation and first session against what the records show done."""
    creation, installation, first_session = targets
    return (
        Milestone(_("Ordenanza de creación"), creation, created),
        Milestone(_("Instalación"), installation, installed),
        Milestone(_("Primera sesión"), first_session, convened),
    )


def schedule_text(milestones: Sequence[Milestone], today: dt.date) -> str:
    """One line for the ranking: the next pending agreed step, or ""."""
    pending = [m for m in milestones if not m.done and m.target is not None]
    if not pending:
        return ""
    step = min(pending, key=lambda m: m.target or dt.date.max)
    assert step.target is not None
    return f"{step.label}: {step.target.strftime('%d/%m/%Y')} ({step.status(today)})"
