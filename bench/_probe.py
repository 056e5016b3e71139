"""Child process of startup.py: start an empty window or the app; print monotonic paint times."""

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class FirstPaint(QObject):
    """Records the first paint of a widget, then quits once everything wanted is recorded."""

    def __init__(self, app: QApplication, wait_for_data: bool) -> None:
        super().__init__()
        self.app = app
        self.times: dict[str, float] = {}
        self.wait_for_data = wait_for_data

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and "first_paint" not in self.times:
            self.times["first_paint"] = time.monotonic()
            self._maybe_quit()
        return False

    def data_shown(self) -> None:
        QTimer.singleShot(0, self._after_data)

    def _after_data(self) -> None:
        self.times["data_shown"] = time.monotonic()
        self._maybe_quit()

    def _maybe_quit(self) -> None:
        if "first_paint" in self.times and (not self.wait_for_data or "data_shown" in self.times):
            self.app.quit()


def main() -> None:
    mode = sys.argv[1]
    if mode == "empty":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        probe = FirstPaint(app, wait_for_data=False)
        window.installEventFilter(probe)
        window.resize(1280, 760)
        window.show()
        app.exec()
    else:
        from national import child_key  # noqa: PLC0415

        key = child_key(Path(sys.argv[2]))  # what the passphrase gives: derived by the parent
        from instancias_desktop.app import Running, start  # noqa: PLC0415  (timed from here)

        running = start(["--data-dir", sys.argv[2]], key_for=lambda _paths: key)
        assert isinstance(running, Running)
        probe = FirstPaint(running.app, wait_for_data=True)
        running.window.installEventFilter(probe)
        running.window.instancias.loaded.connect(probe.data_shown)
        running.app.exec()
        running.close()
    print(json.dumps(probe.times))


if __name__ == "__main__":
    main()
