"""Composition root: paths -> settings -> Qt shell painted -> unlocked -> profile opened."""

import argparse
import dataclasses
import datetime as dt
import gc
import logging
import logging.handlers
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, QTimer, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from instancias_desktop import __version__
from instancias_desktop.i18n import _, n_
from instancias_desktop.paths import HOME_ENV, ProfilePaths, resolve_profile, resources_dir
from instancias_desktop.services.api import ProfileOpenError, RegistryView, Services
from instancias_desktop.settings import (
    Settings,
    ensure_acta_series,
    load_settings,
    save_settings,
)
from instancias_desktop.ui.dialogs.unlock_dialog import StartOver, UnlockDialog
from instancias_desktop.ui.locale import PERU, install_qt_spanish
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.theme import Theme

if TYPE_CHECKING:
    from instancias_desktop.services.profile_keys import StartKey

log = logging.getLogger("instancias_desktop")
_LOG_HANDLER = "instancias-profile-log"
EXIT_PROFILE_REFUSED = 2

Refusal = Callable[[str], None]
KeyProvider = Callable[[ProfilePaths], bytes]  # the profile's key, for tools that drive the app


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options (Spanish help: users read it)."""
    parser = argparse.ArgumentParser(
        prog="instancias-desktop",
        description=_("Registro de la asistencia técnica a las Instancias de Concertación (MIMP)."),
    )
    parser.add_argument(
        "--data-dir",
        help=_("carpeta del perfil (por defecto: ${env} o la carpeta de datos del usuario)").format(
            env=HOME_ENV
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def configure_logging(paths: ProfilePaths) -> None:
    """A rotating log in the profile, for support; Qt's own warnings go to it as well."""
    handler = logging.handlers.RotatingFileHandler(
        paths.logs / "app.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name(_LOG_HANDLER)
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == _LOG_HANDLER]:
        root.removeHandler(previous)
        previous.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    levels = {QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR}
    qInstallMessageHandler(
        lambda kind, _context, message: logging.getLogger("qt").log(
            levels.get(kind, logging.INFO), message
        )
    )


@dataclass
class Running:
    """A started application: its window, and the services once the profile is open."""

    app: QApplication
    window: MainWindow
    ops: Operations
    services: Services | None = field(default=None)
    exit_code: int | None = None  # set when the app must end without a user's action
    unlock: UnlockDialog | None = None  # the passphrase asked for at start

    def close(self) -> None:
        """Wait for background work, then release the database."""
        gc.enable()  # if the window closed before the registry was ever shown
        self.ops.wait()
        if self.services is not None:
            self.services.close()


class _Steps(QObject):
    """What opening the profile is doing, told from the worker to the window (queued)."""

    said = Signal(str)


def _open_services(
    running: "Running", paths: ProfilePaths, settings: Settings, steps: _Steps, key: bytes
) -> str:
    # Imported here, in the worker thread: SQLAlchemy and Alembic load after the first paint.
    from instancias_desktop.services.profile import open_services  # noqa: PLC0415

    # Kept by the worker itself, so close() releases it even if the window closed first.
    running.services = open_services(paths, settings, steps.said.emit, key=key)
    return running.services.describe_profile()


def _registry_preview(paths: ProfilePaths, key: bytes) -> RegistryView | None:
    # SQLCipher's sqlite3 interface: imported here, in the worker, like the rest of the opening.
    from instancias_desktop.services.registry_scope import registry_preview  # noqa: PLC0415

    return registry_preview(paths.database, key)


def _start_key(paths: ProfilePaths) -> "StartKey":
    # The credential store's key, in the worker: keyring takes a tenth of a second to load.
    from instancias_desktop.services.profile_keys import start_key  # noqa: PLC0415

    return start_key(paths)


def _ask_for_key(
    window: MainWindow, ops: Operations, paths: ProfilePaths, known: "StartKey"
) -> UnlockDialog:
    """The unlock dialog over the window: the passphrase, or a new one for a new profile."""
    from instancias_desktop.services import profile_keys  # noqa: PLC0415

    unlocker = profile_keys.Unlocker(paths)

    def submit(passphrase: str, repeated: str, remember: bool) -> bytes:
        return profile_keys.unlock_or_create(
            paths, unlocker, passphrase, repeated, remember=remember
        )

    def explain() -> str:
        lost = profile_keys.forgotten_profile(paths)
        if lost.unsent < 0:
            unsent = _("No se sabe cuántos cambios quedaron sin enviar al servidor.")
        else:
            unsent = n_(
                "Al cerrar la última vez quedaba {n} cambio sin confirmar por el servidor: se "
                "perdería.",
                "Al cerrar la última vez quedaban {n} cambios sin confirmar por el servidor: "
                "se perderían.",
                lost.unsent,
            )
        when = (
            _("Última sincronización: {when}.").format(
                when=lost.last_sync.astimezone().strftime("%d/%m/%Y %H:%M")
            )
            if lost.last_sync
            else _("Este equipo nunca sincronizó.")
        )
        return " ".join(
            (
                _(
                    "Sin la contraseña, los datos de este equipo no se pueden abrir ni "
                    "recuperar: nadie puede, tampoco el MIMP. Puede empezar aquí un perfil "
                    "nuevo y sincronizar para recibir lo que ya está en el servidor."
                ),
                unsent,
                when,
                _(
                    "Los datos actuales no se borran: quedan aparte, cifrados, por si recuerda "
                    "la contraseña. ¿Empezar un perfil nuevo?"
                ),
            )
        )

    def run() -> str:
        return str(profile_keys.set_aside(paths, dt.datetime.now(dt.UTC)))

    dialog = UnlockDialog(
        ops,
        submit,
        new=known.new,
        can_remember=known.can_remember,
        upgrading=known.plain,
        start_over=StartOver(explain, run),
        parent=window,
    )
    window.instancias.status.setText(_("Esperando la contraseña del perfil…"))
    dialog.open()
    return dialog


def settle_heap() -> None:
    """Keep what start-up built (catalogues, modules, widgets) out of later garbage collections.

    They live until exit; without this, every full collection scans them again, which at
    20,000 visits adds about a sixth to loading the visits list. Start-up leaves little
    garbage (347 of 159,000 objects at national scale): it is frozen with the rest rather
    than collected, which took 78 ms on the GUI thread while she may already be typing.
    """
    gc.freeze()
    gc.enable()  # off since start(): start-up's many young objects need no collection


def _refuse_with_dialog(message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, _("No se puede abrir el perfil"), message)
    box.addButton(_("&Cerrar"), QMessageBox.ButtonRole.AcceptRole)  # not Qt's English «OK»
    box.exec()


def _application() -> QApplication:
    """The Qt application in Spanish (Peru), with the institutional colours or high contrast."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Instancias de Concertación")
    app.setOrganizationName("MIMP")
    QLocale.setDefault(PERU)
    install_qt_spanish(app)
    Theme.install(app, resources_dir() / "style")
    return app


def start(
    argv: Sequence[str] | None = None,
    refuse: Refusal = _refuse_with_dialog,
    key_for: KeyProvider | None = None,
) -> Running:
    """Show the window at once, ask for the passphrase, then open the profile in the background.

    ``key_for``: tools that drive the app (benchmarks) give the profile's key themselves; the
    app reads a passphrase only from its unlock dialog.
    """
    args = parse_args(argv)
    gc.disable()  # until the registry is on screen (settle_heap): 4 collections saved
    paths = resolve_profile(args.data_dir).ensure()
    configure_logging(paths)
    settings = ensure_acta_series(paths.settings, load_settings(paths.settings))
    app = _application()
    ops = Operations()

    def remember(geometry: str) -> None:
        current = load_settings(paths.settings)
        save_settings(paths.settings, dataclasses.replace(current, main_window_geometry=geometry))

    window = MainWindow(
        ops,
        settings.main_window_geometry,
        remember,
        reminder_hour=settings.sync_reminder_hour,
        lock_minutes=settings.auto_lock_minutes,
    )
    running = Running(app, window, ops)

    def opened(description: str) -> None:
        assert running.services is not None
        # Once the registry is shown, not before: its collection holds every thread's lock.
        window.instancias.loaded.connect(settle_once)
        window.attach(running.services, description)

    def settle_once() -> None:
        window.instancias.loaded.disconnect(settle_once)
        QTimer.singleShot(0, settle_heap)

    def failed(error: Exception) -> None:
        gc.enable()
        log.error("profile %s not opened: %s", paths.root, error)
        if isinstance(error, ProfileOpenError):
            refuse(str(error))
        else:
            refuse(
                _("Error inesperado al abrir el perfil {root}: {error}").format(
                    root=paths.root, error=error
                )
            )
        running.exit_code = EXIT_PROFILE_REFUSED
        window.close()  # the last window: a running event loop ends, main() returns the code

    steps = _Steps(window)
    steps.said.connect(window.instancias.status.setText)  # «Actualizando la base de datos…»
    window.show()

    def open_profile(key: bytes) -> str:
        # In the worker: the registry the profile holds is on screen before SQLAlchemy loads.
        window.instancias.preview_job(lambda: _registry_preview(paths, key))()
        return _open_services(running, paths, settings, steps, key)

    def open_with(key: bytes) -> None:
        ops.run(lambda: open_profile(key), opened, failed, owner=window)

    def ask_or_open(known: "StartKey") -> None:
        if known.key is not None:  # remembered on this computer: no question
            open_with(known.key)
            return
        running.unlock = _ask_for_key(window, ops, paths, known)
        running.unlock.unlocked.connect(open_with)
        running.unlock.rejected.connect(window.close)  # «Salir»: nothing was opened

    if key_for is not None:
        ops.run(lambda: open_profile(key_for(paths)), opened, failed, owner=window)
    else:
        window.instancias.status.setText(_("Abriendo el perfil…"))
        ops.run(lambda: _start_key(paths), ask_or_open, failed, owner=window)
    return running


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app until its window closes (``comprobar …``: the install's self-check)."""
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["comprobar"]:
        from instancias_desktop.selfcheck import run  # noqa: PLC0415

        return run(given[1:])
    running = start(argv)
    try:
        code = running.app.exec()
    finally:
        running.close()
    return running.exit_code if running.exit_code is not None else code


if __name__ == "__main__":
    sys.exit(main())
