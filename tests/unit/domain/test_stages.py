import datetime as dt

from instancias_desktop.domain.enums import Stage
from instancias_desktop.domain.stages import DatedStage, current_stage, stage_of, transition_warning


def test_without_events_an_instancia_was_never_created() -> None:
    assert stage_of([]) is Stage.NOT_CREATED
    assert current_stage([]) is None


def test_latest_date_wins_whatever_the_order_given() -> None:
    events = [
        DatedStage(Stage.INSTALLED, dt.date(2024, 3, 1)),
        DatedStage(Stage.CREATED, dt.date(2023, 5, 10)),
        DatedStage(Stage.INACTIVE, dt.date(2025, 1, 2)),
    ]
    assert stage_of(events) is Stage.INACTIVE
    assert stage_of(reversed(events)) is Stage.INACTIVE


def test_same_date_is_decided_by_server_sequence() -> None:
    day = dt.date(2025, 6, 1)
    events = [
        DatedStage(Stage.REACTIVATED, day, sequence=9),
        DatedStage(Stage.INACTIVE, day, sequence=4),
    ]
    assert stage_of(events) is Stage.REACTIVATED


def test_unusual_transitions_warn_but_usual_ones_do_not() -> None:
    assert transition_warning(Stage.NOT_CREATED, Stage.CREATED) is None
    assert transition_warning(Stage.INACTIVE, Stage.REACTIVATED) is None
    assert transition_warning(Stage.NOT_CREATED, Stage.FUNCTIONING) == (
        "Cambio poco habitual: de «No creada» a «En funcionamiento». "
        "Revise el medio de verificación."
    )


def test_events_not_yet_sent_come_after_synced_ones_of_the_same_day() -> None:
    day = dt.date(2025, 6, 1)
    synced = DatedStage(Stage.INACTIVE, day, sequence=41)
    pending = DatedStage(Stage.REACTIVATED, day, sequence=None)
    assert stage_of([pending, synced]) is Stage.REACTIVATED
    assert stage_of([synced, pending]) is Stage.REACTIVATED


def test_pending_events_of_one_day_follow_their_recording_order() -> None:
    day = dt.date(2025, 6, 1)
    t0 = dt.datetime(2025, 6, 1, 14, 0, tzinfo=dt.UTC)
    created = DatedStage(Stage.CREATED, day, recorded_at=t0)
    installed = DatedStage(Stage.INSTALLED, day, recorded_at=t0 + dt.timedelta(minutes=5))
    assert stage_of([installed, created]) is Stage.INSTALLED
    assert stage_of([created, installed]) is Stage.INSTALLED
