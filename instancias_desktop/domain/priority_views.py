"""What the priority page shows: the ranking with territory names, and the weights in force."""

import datetime as dt
from dataclasses import dataclass

from instancias_desktop.domain.priority import RankedInstancia, Weights
from instancias_desktop.i18n import _

FIRST_TERM_START = 2023  # regional and municipal authorities serve four years from 1 January


def term_start(today: dt.date) -> dt.date:
    """The first day of the regional and municipal term of office in course on ``today``."""
    year = today.year - (today.year - FIRST_TERM_START) % 4
    return dt.date(year, 1, 1)


@dataclass(frozen=True)
class WeightsInForce:
    """The weights used, where they came from, and whether this user may change them."""

    weights: Weights
    source: str  # «valores por defecto», «servidor …», a supervisor's name
    changed_at: dt.datetime | None
    editable: bool


@dataclass(frozen=True)
class RankedLine:
    """A ranked instancia with its territory written out."""

    ranked: RankedInstancia
    territory: str
    schedule: str = ""  # the next agreed step of its creation and how it stands today

    @property
    def id(self) -> object:
        """The instancia's id (tables keep their selection by it)."""
        return self.ranked.instancia.instancia_id


@dataclass(frozen=True)
class PriorityReport:
    """The ranking of the instancias in the user's territories, and what it was computed with."""

    lines: tuple[RankedLine, ...]
    weights: WeightsInForce
    scope: str  # the territories ranked, in words
    figures: str  # what the imported figures are, in words
    term_start: dt.date


def scope_text(territories: tuple[str, ...], names: dict[str, str]) -> str:
    """«Cusco, Apurímac» for the assigned prefixes; every territory when none is assigned."""
    if not territories:
        return _("todo el país")
    return ", ".join(names.get(code, code) for code in territories)
