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


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class DatedStage:
    """What decides the order of stage events: date, then server sequence, then local recording.

    ``sequence`` is None until the server assigns it; an event not yet sent was recorded after
    every event this device received, so among events of one date it comes after them.
    """

    stage: Stage
    event_date: dt.date
    sequence: int | None = None
    recorded_at: dt.datetime = _EARLIEST

    @property
    def order(self) -> tuple[dt.date, bool, int, dt.datetime]:
        """Sort key: later date, then pending after synced, then sequence, then recording time."""
        return (self.event_date, self.sequence is None, self.sequence or 0, self.recorded_at)


def current_stage(history: Iterable[DatedStage]) -> DatedStage | None:
    """The latest event (see DatedStage.order); None when there is none."""
    return max(history, key=lambda e: e.order, default=None)


def stage_of(history: Iterable[DatedStage]) -> Stage:
    """The stage an instancia is in; without events it was never created."""
    latest = current_stage(history)
    return latest.stage if latest else Stage.NOT_CREATED


def transition_warning(previous: Stage, new: Stage) -> str | None:
    """A Spanish warning when a change skips the usual order (recorded anyway: it is a fact)."""
    if previous in _USUAL_PREDECESSORS[new]:
        return None
    return _("Cambio poco habitual: de «{old}» a «{new}». Revise el medio de verificación.").format(
        old=previous.label, new=new.label
    )
