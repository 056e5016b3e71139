"""What differs between two checklists: a visit against the previous one, a version and the next."""

from dataclasses import dataclass
from enum import StrEnum

from instancias_desktop.domain.enums import Answer, InstanciaLevel
from instancias_desktop.domain.forms import Answers, FormDefinition, FormItem, credit
from instancias_desktop.domain.scoring import score_of
from instancias_desktop.i18n import _


class Trend(StrEnum):
    """How an item's answer moved from one visit to the next."""

    IMPROVED = "mejoró"
    WORSENED = "empeoró"
    UNCHANGED = "igual"
    NOT_COMPARABLE = "sin comparación"


@dataclass(frozen=True)
class ItemChange:
    """One item in both checklists (matched by its id), before and after."""

    code: str
    text: str
    before: str  # Spanish label of the answer, or "" when unanswered
    after: str
    trend: Trend


@dataclass(frozen=True)
class ChecklistComparison:
    """A visit's checklist against the previous visit's to the same instancia."""

    previous_acta: str
    previous_date: str
    previous_score: float | None
    score: float | None
    changes: tuple[ItemChange, ...]

    def count(self, trend: Trend) -> int:
        """How many items moved that way."""
        return sum(1 for c in self.changes if c.trend is trend)


def _label(item: FormItem, answers: Answers) -> str:
    given = answers.get(item.code)
    return item.choice_label(given.code) if given else ""


def _trend(
    before: tuple[FormDefinition, FormItem, Answers],
    after: tuple[FormDefinition, FormItem, Answers],
) -> Trend:
    (old_form, old_item, old), (new_form, new_item, new) = before, after
    was, now = old.get(old_item.code), new.get(new_item.code)
    if was is None or now is None or Answer.NOT_APPLICABLE in (was.answer, now.answer):
        return Trend.NOT_COMPARABLE
    delta = credit(new_form, new_item, now.code) - credit(old_form, old_item, was.code)
    return Trend.IMPROVED if delta > 0 else Trend.WORSENED if delta < 0 else Trend.UNCHANGED


def compare(
    level: InstanciaLevel,
    current: tuple[FormDefinition, Answers],
    previous: tuple[FormDefinition, Answers],
    previous_acta: str,
    previous_date: str,
) -> ChecklistComparison:
    """Item by item (by id, across versions), and the two scores."""
    (form, answers), (old_form, old_answers) = current, previous
    changes = []
    for item in form.items:
        old_item = old_form.item(item.code)
        if old_item is None:
            continue
        changes.append(
            ItemChange(
                code=item.code,
                text=item.text,
                before=_label(old_item, old_answers),
                after=_label(item, answers),
                trend=_trend((old_form, old_item, old_answers), (form, item, answers)),
            )
        )
    return ChecklistComparison(
        previous_acta=previous_acta,
        previous_date=previous_date,
        previous_score=score_of(old_form, level, old_answers),
        score=score_of(form, level, answers),
        changes=tuple(changes),
    )


@dataclass(frozen=True)
class FormUpgrade:
    """Moving a draft's checklist to a newer version: what the user must see before agreeing."""

    old: FormDefinition
    new: FormDefinition
    added: tuple[FormItem, ...]
    removed: tuple[FormItem, ...]
    changed: tuple[tuple[FormItem, tuple[str, ...]], ...]  # new item, what changed (Spanish)
    dropped: tuple[str, ...]  # codes of items whose answer is discarded

    def describe(self) -> list[str]:
        """One Spanish line per change, for the confirmation dialog."""
        lines = [_("Nuevo ítem: {n}. {text}").format(n=i.number, text=i.text) for i in self.added]
        lines += [_("Se retira el ítem: {text}").format(text=i.text) for i in self.removed]
        lines += [
            _("Cambia «{text}»: {what}").format(text=i.text, what=", ".join(what))
            for i, what in self.changed
        ]
        if self.dropped:
            lines.append(
                _("Se descartarán {n} respuestas que la nueva versión ya no admite.").format(
                    n=len(self.dropped)
                )
            )
        return lines


_ASPECTS = (
    ("text", "el texto"),
    ("answer_type", "el tipo de respuesta"),
    ("options", "las opciones"),
    ("weight", "el peso"),
    ("when", "la condición"),
    ("not_applicable", "si admite «no aplica»"),
    ("evidence", "el medio de verificación exigido"),
)


def plan_upgrade(old: FormDefinition, new: FormDefinition, answers: Answers) -> FormUpgrade:
    """What changes, item by item (matched by id), and which answers would be discarded."""
    changed = []
    for item in new.items:
        before = old.item(item.code)
        if before is not None:
            what = tuple(
                _(label) for name, label in _ASPECTS if getattr(before, name) != getattr(item, name)
            )
            if what:
                changed.append((item, what))
    dropped = []
    for code, given in answers.items():
        kept = new.item(code)
        allowed = () if kept is None else (*kept.choices(), Answer.NOT_APPLICABLE.value)
        if given.code not in allowed or (
            kept is not None and given.answer is Answer.NOT_APPLICABLE and not kept.not_applicable
        ):
            dropped.append(code)
    return FormUpgrade(
        old=old,
        new=new,
        added=tuple(i for i in new.items if old.item(i.code) is None),
        removed=tuple(i for i in old.items if new.item(i.code) is None),
        changed=tuple(changed),
        dropped=tuple(sorted(dropped)),
    )
