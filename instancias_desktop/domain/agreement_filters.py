"""Which agreements the agreements page shows: by territory, instancia, responsible, state, due."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import OPEN_STATES, AgreementLine
from instancias_desktop.domain.text import fold, matches_all_words
from instancias_desktop.i18n import _

OPEN = "abiertos"  # the state filter's value for every open state


class DeadlineWindow(StrEnum):
    """Deadline windows offered by the page."""

    ANY = "cualquiera"
    OVERDUE = "vencidos"
    WEEK = "7_dias"
    MONTH = "30_dias"
    LATER = "mas_adelante"

    @property
    def label(self) -> str:
        """The Spanish label of the window."""
        return {
            DeadlineWindow.ANY: _("Cualquier plazo"),
            DeadlineWindow.OVERDUE: _("Vencidos"),
            DeadlineWindow.WEEK: _("Vencen en 7 días"),
            DeadlineWindow.MONTH: _("Vencen en 30 días"),
            DeadlineWindow.LATER: _("Vencen después de 30 días"),
        }[self]


@dataclass(frozen=True)
class AgreementFilter:
    """What the user asked for; empty parts accept everything."""

    text: str = ""  # words of the acta, instancia, territory or agreement
    responsible: str = ""  # words of the responsible entity or person
    territory: str = ""  # an ubigeo prefix (department, province)
    state: str = ""  # an AgreementState value, OPEN, or empty
    window: DeadlineWindow = DeadlineWindow.ANY

    def accepts(self, line: AgreementLine, key: str, today: dt.date) -> bool:
        """Whether ``line`` (with its folded search key) passes every part of the filter."""
        return (
            line.ubigeo.startswith(self.territory)
            and self._state_ok(line.state)
            and in_window(line, self.window, today)
            and (not self.text or not key or matches_all_words(self.text, key))
            and (not self.responsible or self._responsible_ok(line))
        )

    def _state_ok(self, state: AgreementState) -> bool:
        if not self.state:
            return True
        if self.state == OPEN:
            return state in OPEN_STATES
        return state.value == self.state

    def _responsible_ok(self, line: AgreementLine) -> bool:
        who = fold(f"{line.responsible_entity} {line.responsible_person}")
        return matches_all_words(self.responsible, who)


def in_window(line: AgreementLine, window: DeadlineWindow, today: dt.date) -> bool:
    """Overdue ones, or open ones falling due within the window (closed ones only under ANY)."""
    if window is DeadlineWindow.ANY:
        return True
    if window is DeadlineWindow.OVERDUE:
        return line.state is AgreementState.OVERDUE
    if not line.is_open or line.state is AgreementState.OVERDUE:
        return False
    days = (line.deadline - today).days
    if window is DeadlineWindow.WEEK:
        return days <= 7
    if window is DeadlineWindow.MONTH:
        return days <= 30
    return days > 30


def due_soon(
    lines: list[AgreementLine] | tuple[AgreementLine, ...], today: dt.date, days: int = 7
) -> int:
    """Open agreements not yet overdue whose deadline falls within ``days``."""
    return sum(
        1
        for line in lines
        if line.is_open
        and line.state is not AgreementState.OVERDUE
        and (line.deadline - today).days <= days
    )
