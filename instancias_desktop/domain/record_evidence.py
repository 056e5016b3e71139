"""Checklist answers the instancia's own records support, offered for the specialist to confirm.

An item is offered only when a record says something: the absence of a record is not
evidence that a thing is missing. Each offer carries the answer, its evidence as the record
holds it and the reason in words («Reglamento interno aprobado por Ordenanza Municipal N° …,
12/03/2025»). Nothing is stored until she confirms or changes it.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from instancias_desktop.domain.enums import Answer, NormRole
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.instancia_records import (
    InstrumentView,
    NormView,
    SessionView,
)
from instancias_desktop.domain.instancia_standing import (
    INSTALLED_OR_LATER,
    current_plan,
    in_force_rules,
    last_report,
)
from instancias_desktop.domain.visit_views import StageEventView
from instancias_desktop.i18n import _

SESSION_WINDOW_DAYS = 183  # «sesiona con periodicidad»: two sessions a semester (assumed)
REPORT_WINDOW_DAYS = 365


@dataclass(frozen=True)
class RecordFacts:
    """What the instancia's records hold, read for one checklist."""

    today: dt.date
    norms: tuple[NormView, ...] = ()
    history: tuple[StageEventView, ...] = ()
    secretariat_unit: str = ""
    secretariat_person: str = ""
    chair_name: str = ""
    chair_post: str = ""
    current_members: int = 0
    gaps: tuple[str, ...] = ()
    sessions: tuple[SessionView, ...] = ()
    instruments: tuple[InstrumentView, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """An answer the records support and the reason, in Spanish."""

    answer: ItemAnswer
    reason: str


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _from_norm(answer: Answer, norm: NormView, note: str = "") -> ItemAnswer:
    return ItemAnswer(
        answer, evidence_type=norm.norm_type.label, evidence_number=norm.number,
        evidence_date=norm.issued_on, note=note,
    )  # fmt: skip


def _norm_of(facts: RecordFacts, instrument: InstrumentView) -> NormView | None:
    return next((n for n in facts.norms if n.id == instrument.norm_id), None)


def creation_norm(facts: RecordFacts) -> Suggestion | None:
    """The creating norm, and whether a later norm repealed it."""
    created = [n for n in facts.norms if n.role is NormRole.CREATES]
    if not created:
        return None
    norm = max(created, key=lambda n: n.issued_on)
    repeal = next(
        (n for n in facts.norms if n.role is NormRole.REPEALS and n.issued_on >= norm.issued_on),
        None,
    )
    if repeal is not None:
        note = _("Derogada por {title} ({day}).").format(
            title=repeal.title, day=_day(repeal.issued_on)
        )
        return Suggestion(_from_norm(Answer.NO, norm, note), f"{norm.title}: {note}")
    return Suggestion(_from_norm(Answer.YES, norm), f"{norm.title}, {_day(norm.issued_on)}")


def installation(facts: RecordFacts) -> Suggestion | None:
    """The latest hito of installation or of a later stage."""
    events = [e for e in facts.history if e.stage in INSTALLED_OR_LATER]
    if not events:
        return None
    event = max(events, key=lambda e: e.event_date)
    kind = event.evidence or _("Hito «{stage}»").format(stage=event.stage.label)
    answer = ItemAnswer(Answer.YES, evidence_type=kind[:100], evidence_date=event.event_date)
    return Suggestion(
        answer,
        _("Hito «{stage}» del {day}").format(stage=event.stage.label, day=_day(event.event_date)),
    )


def secretariat(facts: RecordFacts) -> Suggestion | None:
    """The Secretaría Técnica recorded: unit and person (sí) or only one (parcial)."""
    unit, person = facts.secretariat_unit, facts.secretariat_person
    if not unit and not person:
        return None
    answer = Answer.YES if unit and person else Answer.PARTIAL
    created = creation_norm(facts)
    evidence = created.answer if created and created.answer.answer is Answer.YES else None
    given = ItemAnswer(
        answer,
        evidence_type=evidence.evidence_type if evidence else "",
        evidence_number=evidence.evidence_number if evidence else "",
        evidence_date=evidence.evidence_date if evidence else None,
    )
    shown = " — ".join(part for part in (unit, person) if part)
    return Suggestion(given, _("Secretaría Técnica registrada: {who}").format(who=shown))


# Words of the posts that may chair (Reglamento de la Ley 30364, arts. 105, 107 and 109: the
# regional governor, the provincial or district mayor); anyone else chairs by delegation.
_TOP_AUTHORITY = ("alcalde", "alcaldesa", "gobernador", "gobernadora")


def chair(facts: RecordFacts) -> Suggestion | None:
    """The chair recorded: the top authority (sí) or someone else, i.e. delegated (no)."""
    if not facts.chair_name or not facts.chair_post:
        return None
    post = facts.chair_post.casefold()
    who = f"{facts.chair_name} ({facts.chair_post})"
    if not any(word in post for word in _TOP_AUTHORITY):
        note = _("La presidencia registrada no es la máxima autoridad: {who}.").format(who=who)
        return Suggestion(ItemAnswer(Answer.NO, note=note[:500]), note)
    latest = max(facts.sessions, key=lambda s: s.held_on, default=None)
    given = ItemAnswer(
        Answer.YES,
        evidence_type=_("Acta de sesión") if latest else "",
        evidence_number=latest.acta_reference[:100] if latest else "",
        evidence_date=latest.held_on if latest else None,
    )
    return Suggestion(given, _("Presidencia registrada: {who}").format(who=who))


def members(facts: RecordFacts) -> Suggestion | None:
    """Members in force against the composition rules: complete (sí) or with gaps (parcial)."""
    if facts.current_members == 0:
        return None
    if not facts.gaps:
        reason = _("Composición completa según el catálogo")
        return Suggestion(ItemAnswer(Answer.YES), reason)
    note = ("; ".join(gap.rstrip(".") for gap in facts.gaps) + ".")[:500]
    return Suggestion(ItemAnswer(Answer.PARTIAL, note=note), note)


def rules(facts: RecordFacts) -> Suggestion | None:
    """The reglamento interno in force and the norm that approved it."""
    found = in_force_rules(facts.instruments, facts.today)
    if found is None:
        return None
    norm = _norm_of(facts, found)
    answer = _from_norm(Answer.YES, norm) if norm else ItemAnswer(
        Answer.YES, evidence_type=found.title[:100], evidence_date=found.approved_on
    )  # fmt: skip
    by = _(" aprobado por {title}").format(title=norm.title) if norm else ""
    return Suggestion(answer, f"{found.title}{by}, {_day(found.approved_on)}")


def plan(facts: RecordFacts) -> Suggestion | None:
    """The plan whose period covers today; or the last one, expired."""
    found = current_plan(facts.instruments, facts.today)
    if found is not None:
        norm = _norm_of(facts, found)
        answer = _from_norm(Answer.YES, norm) if norm else ItemAnswer(
            Answer.YES, evidence_type=found.title[:100], evidence_date=found.approved_on
        )  # fmt: skip
        reason = _("{title}, vigente hasta el {day}").format(
            title=found.title, day=_day(found.period_end)
        )
        return Suggestion(answer, reason)
    ended = [i for i in facts.instruments if i.period_end and i.period_end < facts.today
             and i.approved_on and i.instrument_type.value.startswith("plan")]  # fmt: skip
    if not ended:
        return None
    last = max(ended, key=lambda i: i.period_end or dt.date.min)
    note = _("El último plan ({title}) venció el {day}.").format(
        title=last.title, day=_day(last.period_end)
    )
    return Suggestion(ItemAnswer(Answer.NO, note=note), note)


def sessions(facts: RecordFacts) -> Suggestion | None:
    """Sessions in the last semester: two or more (sí), one (parcial), none (no)."""
    if not facts.sessions:
        return None
    since = facts.today - dt.timedelta(days=SESSION_WINDOW_DAYS)
    recent = [s for s in facts.sessions if since <= s.held_on <= facts.today]
    latest = max(facts.sessions, key=lambda s: s.held_on)
    answer = Answer.YES if len(recent) >= 2 else Answer.PARTIAL if recent else Answer.NO
    given = ItemAnswer(
        answer, evidence_type=_("Acta de sesión"), evidence_number=latest.acta_reference[:100],
        evidence_date=latest.held_on,
    )  # fmt: skip
    reason = _("{n} sesión(es) en los últimos 6 meses (periodicidad supuesta); la última el {day}")
    return Suggestion(given, reason.format(n=len(recent), day=_day(latest.held_on)))


def reports(facts: RecordFacts) -> Suggestion | None:
    """A report sent to the MIMP within the last year."""
    sent = [i for i in facts.instruments if "mimp" in i.recipient.casefold()]
    found = last_report(sent, facts.today)
    if found is None or found.sent_on is None:
        return None
    if (facts.today - found.sent_on).days > REPORT_WINDOW_DAYS:
        note = _("El último informe al MIMP se envió el {day}.").format(day=_day(found.sent_on))
        return Suggestion(ItemAnswer(Answer.NO, note=note), note)
    given = ItemAnswer(
        Answer.YES, evidence_type=_("Informe"), evidence_number=found.title[:100],
        evidence_date=found.sent_on,
    )  # fmt: skip
    return Suggestion(
        given, _("{title}, enviado el {day}").format(title=found.title, day=_day(found.sent_on))
    )


# The checklist items (their ids in forms/, shared by the three levels) the records speak to.
RULES: Mapping[str, Callable[[RecordFacts], Suggestion | None]] = {
    "norma_creacion": creation_norm,
    "presidencia": chair,
    "instalacion": installation,
    "secretaria_tecnica": secretariat,
    "integrantes": members,
    "reglamento_interno": rules,
    "plan_trabajo": plan,
    "sesiones": sessions,
    "informes_mimp": reports,
}


def suggestions(facts: RecordFacts, offered: Mapping[str, frozenset[str]]) -> dict[str, Suggestion]:
    """For each item of ``offered`` (item id → the answer codes it admits), the records' answer."""
    found: dict[str, Suggestion] = {}
    for code, rule in RULES.items():
        if code not in offered:
            continue
        suggestion = rule(facts)
        if suggestion is not None and suggestion.answer.code in offered[code]:
            found[code] = suggestion
    return found
