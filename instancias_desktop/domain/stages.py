"""Stage rules: the current stage is derived from the dated history, never stored."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from instancias_desktop.domain.enums import Stage
from instancias_desktop.i18n import _

# Stages from which each stage can be reached in the usual life of an instancia.
_USUAL_PREDECESSORS: dict[Stage, frozenset[Stage]] = {
    Stage.NOT_CREATED: frozenset(),
    Stage.CREATED: frozenset({Stage.NOT_CREATED}),
    Stage.INSTALLED: frozenset({Stage.CREATED}),
    Stage.FUNCTIONING: frozenset({Stage.INSTALLED, Stage.REACTIVATED}),
    Stage.INACTIVE: frozenset(
        {Stage.CREATED, Stage.INSTALLED, Stage.FUNCTIONING, Stage.REACTIVATED}
    ),
    Stage.REACTIVATED: frozenset({Stage.INACTIVE}),
}


@dataclass(frozen=True)
class DatedStage:
    """The part of a stage event that decides order: its date, then its sequence number."""

    stage: Stage
    event_date: dt.date
    sequence: int = 0


def current_stage(history: Iterable[DatedStage]) -> DatedStage | None:
    """Latest event by date, ties broken by sequence (server order); None when there is none."""
    return max(history, key=lambda e: (e.event_date, e.sequence), default=None)


def stage_of(history: Iterable[DatedStage]) -> Stage:
    """The stage an instancia is in; without events it was never created."""
    latest = current_stage(history)
    return latest.stage if latest else Stage.NOT_CREATED


def transition_warning(previous: Stage, new: Stage) -> str | None:
    """A Spanish warning when a change skips the usual order (recorded anyway: it is a fact)."""
    if previous in _USUAL_PREDECESSORS[new]:
        return None
    return _(
        "Cambio poco habitual: de «{old}» a «{new}». Verifique el medio de verificación."
    ).format(old=previous.label, new=new.label)
