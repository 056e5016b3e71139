"""Locking the window: after some idle minutes, or at once with Ctrl+L.

What she was typing is saved first; then a cover hides every personal datum on screen (the
window's pages and any open dialog) until her passphrase is typed again. The profile stays
open underneath: background work and a running sync go on.
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.i18n import _
from instancias_desktop.ui.dialogs.passphrase_dialog import passphrase_field
from instancias_desktop.ui.ops import Operations

Check = Callable[[str], None]  # the passphrase, checked; ValidationError when it is not hers
Save = Callable[[], None]  # saves what is being typed, before anything is hidden
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class LockCover(QFrame):
    """What the locked window shows: nothing of the profile, a field for the passphrase."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.passphrase = passphrase_field("unlockPassphrase", _("Contraseña del perfil"))
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("lockMessage")
        self.unlock_button = QPushButton(_("&Desbloquear"))
        self.unlock_button.setObjectName("unlockWindow")
        self.unlock_button.setDefault(True)
        self.unlock_button.setToolTip(_("Mostrar de nuevo los datos, con la contraseña del perfil"))
        title = QLabel(_("Perfil bloqueado"))
        title.setObjectName("pageTitle")
        box = QFrame()
        box.setFixedWidth(480)  # a fixed width lets the wrapped text take the height it needs
        column = QVBoxLayout(box)
        column.addWidget(title)
        column.addWidget(
            QLabel(
                _(
                    "Los datos están ocultos y lo escrito quedó guardado. Escriba la contraseña "
                    "del perfil para seguir."
                ),
                wordWrap=True,
            )
        )
        column.addWidget(self.passphrase)
        column.addWidget(self.unlock_button)
        column.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.passphrase.returnPressed.connect(self.unlock_button.click)
        self.hide()


class WindowLock(QObject):
    """Locks a window when she asks or after ``idle_minutes`` without a key or a click."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        ops: Operations,
        window: QWidget,
        contents: Callable[[], list[QWidget]],
        save: Save,
        idle_minutes: int = 15,
    ) -> None:
        super().__init__(window)
        self._ops = ops
        self._window = window
        self._contents_of = contents  # what the cover hides: pages, navigation, status bar
        self._failures = 0
        self._save = save
        self._check: Check | None = None
        self._hidden: list[QWidget] = []
        self._watched: set[int] = set()  # the windows whose input is watched, by id
        self._cover: LockCover | None = None  # built on the first lock: not at start-up
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self.set_idle_minutes(idle_minutes)
        shortcut = QShortcut(QKeySequence("Ctrl+L"), window, self.lock)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)

    @property
    def cover(self) -> LockCover:
        """What the locked window shows."""
        if self._cover is None:
            self._cover = LockCover(self._window)
            self._cover.unlock_button.clicked.connect(self._try_unlock)
        return self._cover

    @property
    def is_locked(self) -> bool:
        """Whether the cover is up."""
        return self._cover is not None and self._cover.isVisible()

    def set_idle_minutes(self, minutes: int) -> None:
        """Lock after this many idle minutes (0: only on demand)."""
        self.idle.setInterval(max(0, minutes) * 60_000)
        self._restart()

    def attach(self, check: Check) -> None:
        """The profile is open: watch for activity, and lift a lock with its passphrase."""
        self._check = check
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):  # each window she types in, once it has focus
            app.focusWindowChanged.connect(self._watch)
        self._watch(self._window.windowHandle())
        self._window.installEventFilter(self)  # its resizes, for the cover
        self._restart()

    def _watch(self, window: QWindow | None) -> None:
        # On the windows, not the application: their input only, not every event of the app.
        if window is None:
            return
        key = id(window)
        if key not in self._watched:
            self._watched.add(key)
            window.installEventFilter(self)
            window.destroyed.connect(lambda _gone: self._watched.discard(key))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """A key or a click in a watched window puts the idle lock off."""
        if event.type() in _ACTIVITY and not self.is_locked:
            self._restart()
        elif event.type() == QEvent.Type.Resize and watched is self._window and self.is_locked:
            self.cover.setGeometry(self._window.rect())
        return False

    def _restart(self) -> None:
        if self._check is not None and self.idle.interval() > 0:
            self.idle.start()

    def lock(self) -> None:
        """Save what is typed, then hide the window's contents and every open dialog."""
        if self._check is None or self.is_locked:
            return
        self._save()
        self._hidden = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not self._window and w.isVisible() and w.window() is not self._window
        ]
        for widget in self._hidden:
            widget.hide()
        self._contents(visible=False)  # nothing to read, nothing to reach with Tab
        self.cover.setGeometry(self._window.rect())
        self.cover.passphrase.clear()
        self.cover.message.clear()
        self.cover.show()
        self.cover.raise_()
        self.cover.passphrase.setFocus()
        self.idle.stop()
        self.locked.emit()

    def seal(self) -> None:
        """Hide the window's contents and dialogs for good: no cover, no unlocking.

        For a laptop the administrator withdrew: what is shown next is its own dialog.
        """
        self._check = None  # lock() and the cover have nothing to unlock to
        self.idle.stop()
        if self._cover is not None:
            self._cover.hide()
        for widget in QApplication.topLevelWidgets():
            if widget is not self._window and widget.isVisible():
                widget.hide()
        self._contents(visible=False)

    def _contents(self, *, visible: bool) -> None:
        for widget in self._contents_of():
            widget.setVisible(visible)

    def _try_unlock(self) -> None:
        check, typed = self._check, self.cover.passphrase.text()
        if check is None:
            return
        self.cover.unlock_button.setEnabled(False)
        self.cover.message.setText(_("Comprobando la contraseña…"))
        self._ops.run(lambda: check(typed), lambda _r: self._unlock(), self._refused, self)

    def _refused(self, error: Exception) -> None:
        self._failures += 1
        wait_ms = min(30, 2 ** (self._failures - 1)) * 1000  # longer after each wrong one
        self.cover.message.setText(str(error))
        QTimer.singleShot(wait_ms, self, self._ready_again)

    def _ready_again(self) -> None:
        self.cover.unlock_button.setEnabled(True)
        self.cover.unlock_button.setDefault(True)
        self.cover.passphrase.selectAll()
        self.cover.passphrase.setFocus()

    def _unlock(self) -> None:
        self._failures = 0
        self.cover.unlock_button.setEnabled(True)
        self._contents(visible=True)
        self.cover.hide()
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self._restart()
        self.unlocked.emit()
