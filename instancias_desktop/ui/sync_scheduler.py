"""When to sync without being asked: when the server is reachable again, and a daily reminder.

After a sync that could not reach the server (or at start, with changes waiting), the server
is probed with growing pauses (30 s, 1 min, 2 min, 5 min, then every 15 min: no busy polling);
when it answers, the sync runs by itself. At the reminder hour, changes still waiting are
recalled. Every wait is one single-shot timer; nothing runs while there is nothing to do.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from instancias_desktop.domain.sync_views import SyncStatus, SyncSummary
from instancias_desktop.i18n import _, n_
from instancias_desktop.services.api import SyncService
from instancias_desktop.ui.ops import Operations

if TYPE_CHECKING:  # the sync page is built when first needed
    from instancias_desktop.ui.pages.sync_page import SyncPage

BACKOFF_S = (30.0, 60.0, 120.0, 300.0, 900.0)  # the last one repeats
Clock = Callable[[], dt.datetime]


def _local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def seconds_until(hour: int, now: dt.datetime) -> float:
    """Seconds from ``now`` to the next ``hour``:00 (tomorrow's if it has passed)."""
    target = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= now:
        target += dt.timedelta(days=1)
    return (target - now).total_seconds()


class SyncScheduler(QObject):
    """Retries a failed sync once the server answers; reminds at the end of the day."""

    probing = Signal(float)  # the seconds until the next probe of the server
    reminded = Signal(str)  # the reminder shown

    def __init__(
        self,
        ops: Operations,
        page_of: "Callable[[], SyncPage]",
        *,
        reminder_hour: int = 18,
        backoff: Sequence[float] = BACKOFF_S,
        now: Clock = _local_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._page_of = page_of  # builds the sync page if it does not exist yet
        self._services: SyncService | None = None
        self._backoff = tuple(backoff)
        self._attempt = 0
        self._started = False  # the first status of the profile was seen
        self._reminder_hour = reminder_hour
        self._now = now
        self._probe = QTimer(self, singleShot=True)
        self._probe.timeout.connect(self._check_server)
        self._reminder = QTimer(self, singleShot=True)
        # A coarse timer of hours may fire a second early; the next one would then be today's.
        self._reminder.setTimerType(Qt.TimerType.PreciseTimer)
        self._reminder.timeout.connect(self._remind)

    def watch(self, page: "SyncPage") -> None:
        """Learn of every sync the page runs, asked or not."""
        page.synced.connect(self._after_sync)
        page.status_shown.connect(self._after_status)

    def attach(self, services: SyncService) -> None:
        """Start watching the opened profile (it may open with changes waiting)."""
        self._services = services
        self._schedule_reminder()
        self._ops.run(services.sync_status, self._after_status, owner=self)

    def waiting_probe(self) -> bool:
        """Whether a probe of the server is scheduled."""
        return self._probe.isActive()

    # ------------------------------------------------------------------ reachability
    def _after_sync(self, result: SyncSummary | Exception) -> None:
        if isinstance(result, Exception):
            self._schedule_probe()
        else:
            self._attempt = 0
            self._probe.stop()

    def _after_status(self, status: SyncStatus) -> None:
        """At start only: a laptop opened with changes waiting probes the server."""
        if self._started:
            return
        self._started = True
        if status.enrolment is not None and status.pending > 0 and not self._probe.isActive():
            self._schedule_probe()

    def _schedule_probe(self) -> None:
        delay = self._backoff[min(self._attempt, len(self._backoff) - 1)]
        self._attempt += 1
        self._probe.start(int(delay * 1000))
        self.probing.emit(delay)

    def _check_server(self) -> None:
        services = self._services
        if services is None:
            return
        self._ops.run(services.server_reachable, self._probed, owner=self)

    def _probed(self, reachable: bool) -> None:
        if reachable:
            self._page_of().synchronize()
        else:
            self._schedule_probe()

    # ------------------------------------------------------------------ reminder
    def _schedule_reminder(self, after: dt.timedelta = dt.timedelta(0)) -> None:
        wait = seconds_until(self._reminder_hour, self._now() + after)
        self._reminder.start(int((wait + after.total_seconds()) * 1000))

    def stop(self) -> None:
        """No more probes or reminders (the window is closing)."""
        self._probe.stop()
        self._reminder.stop()

    def _remind(self) -> None:
        services = self._services
        if services is None:
            return
        self._ops.run(services.sync_status, self._reminded, owner=self)
        self._schedule_reminder(after=dt.timedelta(minutes=1))  # tomorrow's, even if early

    def _reminded(self, status: SyncStatus) -> None:
        if status.enrolment is None or status.pending == 0:
            return
        waiting = n_(
            "hay {n} cambio sin sincronizar", "hay {n} cambios sin sincronizar", status.pending
        )
        text = _(
            "Recordatorio: {waiting} en este equipo. Sincronice antes de terminar el día "
            "(Sincronización, F5)."
        ).format(waiting=waiting)
        self._page_of().show_notice(text)
        self.reminded.emit(text)
