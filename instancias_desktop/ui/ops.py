"""Background work off the GUI thread, and the one signal that tells pages what changed."""

import logging
from collections.abc import Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from instancias_desktop.domain.finalization import FinalizedVisitError, IncompleteVisitError
from instancias_desktop.domain.sync_views import SyncFailedError
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.ui.areas import Area

log = logging.getLogger(__name__)
EXPECTED_REFUSALS = (ValidationError, FinalizedVisitError, IncompleteVisitError, SyncFailedError)


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted from a worker arrive there queued."""

    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except EXPECTED_REFUSALS as error:  # bad input or a rule: the screen says what to do
            # Its message is for the screen: it may hold what she typed, and the log is plain.
            log.info("refused: %s", type(error).__name__)
            self._deliver(self._relay.failed, error)
        except Exception as error:  # reported to the GUI thread, never lost in the worker
            log.exception("background operation failed")
            self._deliver(self._relay.failed, error)
        else:
            self._deliver(self._relay.done, result)

    @staticmethod
    def _deliver(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the app is closing: the relay is gone, nobody waits for this
            log.info("a background result arrived after its window closed")


def declared(areas: Iterable[Area]) -> frozenset[Area]:
    """The areas as a set; a bare string is a mistake (a misspelt area would never match)."""
    found = frozenset(areas)
    strays = [a for a in found if not isinstance(a, Area)]
    if strays:
        raise TypeError(f"not declared change areas: {strays!r} (use ui.areas.Area)")
    return found


class _Follower(QObject):
    """Reloads a page when an area it shows changes; a hidden page waits until it is shown."""

    def __init__(self, page: QWidget, areas: frozenset[Area], reload: Callable[[], None]) -> None:
        super().__init__(page)  # dies with the page, and its connection with it
        self._page = page
        self._areas = areas
        self._reload = reload
        self._stale = False
        page.installEventFilter(self)

    def changed(self, areas: frozenset[Area]) -> None:
        if areas & self._areas:
            self.request()

    def request(self) -> None:
        """Load now if the page is on screen, else when it is next shown."""
        if self._page.isVisible():
            self._reload()
        else:
            self._stale = True  # no work for what nobody sees; done when it is shown

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """On show, catch up with the changes missed while hidden."""
        if watched is self._page and event.type() == QEvent.Type.Show and self._stale:
            self._stale = False
            self._reload()
        return False


class Operations(QObject):
    """Runs service calls in a thread pool and announces data changes to every open page."""

    data_changed = Signal(object)  # frozenset[Area]: the areas that changed
    failed = Signal(str)  # a Spanish message for the status bar when no handler took the error

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool(self)
        self._pending: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Call ``work()`` in the pool; ``on_done``/``on_error`` then run on the GUI thread.

        With an ``owner`` (the page that asked), the result is dropped if the page is gone.
        """
        relay = _Relay()
        self._pending.add(relay)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._pending.discard(relay)
            relay.deleteLater()
            if owner is None or shiboken6.isValid(owner):
                callback(value)

        relay.done.connect(lambda result: finish(on_done, result))
        relay.failed.connect(lambda error: finish(on_error or self.report, error))
        self._pool.start(_Task(work, relay))

    def announce(self, areas: Iterable[Area]) -> None:
        """Tell open pages which areas changed so they reload only what they show."""
        self.data_changed.emit(declared(areas))

    def follow(self, page: QWidget, areas: Iterable[Area], reload: Callable[[], None]) -> _Follower:
        """Call ``reload`` when one of ``areas`` changes (a hidden page: when next shown).

        A hidden page thus never reloads on every field the editor saves. The follower's
        ``request()`` asks for a load on the same terms (a page no one opens costs nothing).
        """
        follower = _Follower(page, declared(areas), reload)
        self.data_changed.connect(follower.changed)
        return follower

    def busy(self) -> bool:
        """Whether some operation has not delivered its result yet."""
        return bool(self._pending)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (for shutdown)."""
        return self._pool.waitForDone(msecs)

    def report(self, error: Exception) -> None:
        """Put an error no handler took in the status bar (Spanish)."""
        self.failed.emit(str(error))


class Latest:
    """A page's loads, of which only the newest delivers: an older, slower answer is dropped."""

    def __init__(self, ops: Operations, owner: QObject) -> None:
        self._ops = ops
        self._owner = owner
        self.generation = 0  # of the newest load
        self._settled = 0  # the newest load that delivered or failed

    @property
    def busy(self) -> bool:
        """Whether the newest load has not answered yet (what is shown may be stale)."""
        return self._settled != self.generation

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Start a load that supersedes the ones still running."""
        self.generation += 1
        generation = self.generation

        def done(result: Any) -> None:
            if generation == self.generation:
                self._settled = generation
                on_done(result)

        def failed(error: Exception) -> None:
            if generation == self.generation:
                self._settled = generation
            (on_error or self._ops.report)(error)

        self._ops.run(work, done, failed, owner=self._owner)

    def is_current(self, generation: int) -> bool:
        """Whether no load started after that one."""
        return generation == self.generation
