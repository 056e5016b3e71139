"""The main window: a shell with navigation, the page stack and a status bar; no business logic.

Pages are declared in ``sections.PAGES`` and built the first time they are shown or asked
for; until then a blank placeholder holds their place in the stack.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from instancias_desktop.domain.sync_views import DeviceWithdrawnError, Withdrawal
from instancias_desktop.i18n import _
from instancias_desktop.services.api import Services
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.lock_screen import WindowLock
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.sections import PAGES, SECTIONS, Choosers, section_index
from instancias_desktop.ui.sync_scheduler import SyncScheduler
from instancias_desktop.ui.widgets.profile_actions import ProfileActions

if TYPE_CHECKING:
    from instancias_desktop.ui.dialogs.annex_file import FileChooser
    from instancias_desktop.ui.dialogs.verify_dialog import VerifyDialog
    from instancias_desktop.ui.dialogs.withdrawn_dialog import WithdrawnDialog
    from instancias_desktop.ui.exports import ExportChooser
    from instancias_desktop.ui.pages.agreements_page import AgreementsPage
    from instancias_desktop.ui.pages.home_page import HomePage
    from instancias_desktop.ui.pages.instancia_page import InstanciaPage
    from instancias_desktop.ui.pages.instancias_page import InstanciasPage
    from instancias_desktop.ui.pages.priorities_page import CsvChooser, PrioritiesPage
    from instancias_desktop.ui.pages.sync_page import SyncPage, TargetChooser
    from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
    from instancias_desktop.ui.pages.visits_page import VisitsPage
    from instancias_desktop.ui.widgets.signed_copy_bar import PapersChooser

GeometrySink = Callable[[str], None]
PageT = TypeVar("PageT")


class _PageOf(Generic[PageT]):
    """``window.editor`` and the like: the page of that key, built on first use."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, window: "MainWindow", _owner: type | None = None) -> PageT:
        return cast(PageT, window.page(self.key))


class MainWindow(QMainWindow):
    """Receives its dependencies; pages talk to services through ``ops``."""

    def __init__(
        self,
        ops: Operations,
        geometry: str = "",
        save_geometry: GeometrySink | None = None,
        *,
        choose_file: "FileChooser | None" = None,
        choose_target: "TargetChooser | None" = None,
        reminder_hour: int = 18,
        lock_minutes: int = 15,
        choose_export: "ExportChooser | None" = None,
        choose_figures: "CsvChooser | None" = None,
        choose_papers: "PapersChooser | None" = None,
    ) -> None:
        super().__init__()
        self._save_geometry = save_geometry
        self.setWindowTitle(_("Instancias de Concertación — Asistencia técnica MIMP"))
        self.setMinimumSize(QSize(960, 600))
        self._ops = ops
        self._choosers = Choosers(
            choose_file, choose_target, choose_export, choose_figures, choose_papers
        )
        self.verify_dialog: VerifyDialog | None = None
        self.withdrawn_dialog: WithdrawnDialog | None = None
        self.territory_prompt: QMessageBox | None = None
        self._services: Services | None = None
        self._when_open: list[Callable[[], None]] = []  # asked for before the profile opened
        self._built: dict[str, QWidget] = {}
        self._placeholders: dict[str, QWidget] = {}
        self._history: list[tuple[QWidget, int]] = []
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(_("Secciones"))
        self.pages = QStackedWidget()
        self.pages.setObjectName("pageStack")
        for spec in PAGES:
            placeholder = QWidget()
            placeholder.setObjectName(f"placeholder-{spec.key}")
            self._placeholders[spec.key] = placeholder
            self.pages.addWidget(placeholder)
        for number, spec in enumerate(SECTIONS, start=1):
            item = QListWidgetItem(spec.title)
            item.setToolTip(_("{title} (Ctrl+{n})").format(title=spec.title, n=number))
            self.nav.addItem(item)
        self.nav.setAccessibleDescription(
            _("Las secciones del programa: {sections}. Las flechas pasan de una a otra.").format(
                sections=", ".join(self.nav.item(i).toolTip() for i in range(self.nav.count()))
            )
        )
        self.nav.setFixedWidth(160)
        self.nav.currentRowChanged.connect(self._on_nav)
        # Syncs by itself when the server answers again (building the sync page then).
        self.sync_scheduler = SyncScheduler(
            ops, lambda: self.sync_page, reminder_hour=reminder_hour, parent=self
        )
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.profile_label, self.profile_actions = self._profile_bar(ops)
        ops.failed.connect(lambda message: self.statusBar().showMessage(message, 15_000))
        self.sync_scheduler.reminded.connect(lambda text: self.statusBar().showMessage(text))
        self.window_lock = WindowLock(
            ops, self, lambda: [central, self.statusBar()], self._save_typed,
            lock_minutes,
        )  # fmt: skip
        self._shortcuts()
        self.show_page("instancias")
        self.resize(QSize(1360, 760))
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        self.instancias.focus_search()

    def _profile_bar(self, ops: Operations) -> tuple[QLabel, ProfileActions]:
        """The opened profile's description and its actions, at the right of the status bar."""
        label = QLabel()
        label.setObjectName("profileLabel")
        # A long folder must not push the buttons beside it out of the window: it gives way
        # (the whole text stays in its tooltip).
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.statusBar().addPermanentWidget(label, 1)
        actions = ProfileActions(ops, self)
        self.statusBar().addPermanentWidget(actions)
        return label, actions

    # ------------------------------------------------------------------ pages
    def page(self, key: str) -> Any:
        """The page of ``key``, built (and attached to the open profile) on first use."""
        built = self._built.get(key)
        if built is not None:
            return built
        spec = next(s for s in PAGES if s.key == key)
        built = spec.build(self._ops, self._choosers, self)
        built.setObjectName(built.objectName() or f"page-{key}")
        placeholder = self._placeholders.pop(key)
        index = self.pages.indexOf(placeholder)
        current = self.pages.currentIndex()
        self.pages.insertWidget(index, built)
        self.pages.removeWidget(placeholder)
        placeholder.deleteLater()
        if current == index:
            self.pages.setCurrentIndex(index)
        self._built[key] = built
        if key == "sync":
            self.sync_scheduler.watch(built)  # type: ignore[arg-type]
            built.synced.connect(self._after_sync)  # type: ignore[attr-defined]
        if self._services is not None:
            built.attach(self._services)  # type: ignore[attr-defined]
        return built

    def built(self, key: str) -> bool:
        """Whether a page exists yet (tests and start-up measurements look)."""
        return key in self._built

    # The pages by name, each built on first use (see page()).
    home: "_PageOf[HomePage]" = _PageOf("home")
    instancias: "_PageOf[InstanciasPage]" = _PageOf("instancias")
    visits: "_PageOf[VisitsPage]" = _PageOf("visits")
    agreements: "_PageOf[AgreementsPage]" = _PageOf("agreements")
    priorities: "_PageOf[PrioritiesPage]" = _PageOf("priorities")
    sync_page: "_PageOf[SyncPage]" = _PageOf("sync")
    instancia_page: "_PageOf[InstanciaPage]" = _PageOf("instancia_page")
    editor: "_PageOf[VisitEditorPage]" = _PageOf("editor")

    # ------------------------------------------------------------------ navigation
    def _shortcuts(self) -> None:
        for index in range(self.nav.count()):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda i=index: self.show_section(i))
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._find)
        quit_ = QShortcut(QKeySequence.StandardKey.Quit, self)
        quit_.activated.connect(self.close)
        about = QShortcut(QKeySequence(Qt.Key.Key_F1), self)
        about.activated.connect(self.profile_actions.show_about)

    def show_section(self, index: int) -> None:
        """Switch to a navigation entry."""
        self.nav.setCurrentRow(index)
        self._on_nav(index)

    def show_page(self, key: str) -> None:
        """Switch to a section by its key («sync», «visits»…)."""
        self.show_section(section_index(key))

    def _on_nav(self, index: int) -> None:
        if self.built("editor") and self.pages.currentWidget() is self.editor:
            self.editor.save_now()
        self._history.clear()
        self.pages.setCurrentWidget(self.page(SECTIONS[index].key))

    def _go(self, page: QWidget, section: int) -> None:
        current = self.pages.currentWidget()
        if current is not None and current is not page:
            self._history.append((current, self.nav.currentRow()))
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(section)
        self.nav.blockSignals(False)
        self.pages.setCurrentWidget(page)

    def go_back(self) -> None:
        """Return to the page the user came from (the section's list if none)."""
        if self._history:
            page, section = self._history.pop()
        else:
            page, section = self.instancias, section_index("instancias")
        if self.built("editor") and page is self.editor and self.editor.visit_id is None:
            page, section = self.visits, section_index("visits")  # the draft was deleted
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(section)
        self.nav.blockSignals(False)
        self.pages.setCurrentWidget(page)

    def open_instancia(self, instancia_id: uuid.UUID) -> None:
        """Show one instancia's page."""
        self.instancia_page.show_instancia(instancia_id)
        self._go(self.instancia_page, section_index("instancia_page"))

    def open_visit(self, visit_id: uuid.UUID) -> None:
        """Open a visit in the editor."""
        self.editor.open_visit(visit_id)
        self._go(self.editor, section_index("editor"))

    def start_visit(self, instancia_id: uuid.UUID) -> None:
        """Create a numbered draft for an instancia and open it (warned if not hers)."""
        services = self._services
        if services is None:  # asked from the registry shown while the profile opens
            self._when_open.append(lambda: self.start_visit(instancia_id))
            return

        def checked(warning: str | None) -> None:
            if warning is None:
                self._create_visit(instancia_id)
                return
            box = QMessageBox(
                QMessageBox.Icon.Warning, _("Instancia fuera de sus territorios"), warning
            )
            box.setObjectName("outsideTerritoryPrompt")
            create = box.addButton(_("Crear &de todos modos"), QMessageBox.ButtonRole.AcceptRole)
            cancel = box.addButton(_("&Cancelar"), QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(cancel)
            box.setParent(self, box.windowFlags())
            box.finished.connect(
                lambda _code: (
                    self._create_visit(instancia_id) if box.clickedButton() is create else None
                )
            )
            self.territory_prompt = box
            box.open()

        self._ops.run(lambda: services.territory_warning(instancia_id), checked, owner=self)

    def _create_visit(self, instancia_id: uuid.UUID) -> None:
        services = self._services
        if services is None:
            return

        def started(visit_id: uuid.UUID) -> None:
            self._ops.announce({Area.VISITS})
            self.open_visit(visit_id)

        self._ops.run(lambda: services.start_visit(instancia_id), started, owner=self)

    def _find(self) -> None:
        current = self.pages.currentWidget()
        for key in ("visits", "agreements"):
            if self.built(key) and current is self.page(key):
                self.page(key).focus_search()
                return
        self.show_page("instancias")
        self.instancias.focus_search()

    def verify_acta(self) -> None:
        """Open the check of a printed acta's code."""
        from instancias_desktop.ui.dialogs.verify_dialog import VerifyDialog  # noqa: PLC0415

        if self._services is None:
            self._when_open.append(self.verify_acta)
            return
        dialog = VerifyDialog(self._ops, self._services, self)
        dialog.open_visit.connect(self.open_visit)
        dialog.finished.connect(dialog.deleteLater)
        self.verify_dialog = dialog
        dialog.open()

    def attach(self, services: Services, description: str) -> None:
        """Show the data of the opened profile (the shell paints before it is open)."""
        self._services = services
        self.profile_label.setText(description)
        self.profile_label.setToolTip(description)
        self.profile_actions.attach(services)
        self.window_lock.attach(services.verify_passphrase)
        for page in self._built.values():
            page.attach(services)  # type: ignore[attr-defined]
        self.sync_scheduler.attach(services)
        waiting, self._when_open = self._when_open, []
        for action in waiting:
            action()
        self._ops.run(services.withdrawal, self._withdrawn, owner=self)

    def _after_sync(self, outcome: object) -> None:
        if isinstance(outcome, DeviceWithdrawnError) and self._services is not None:
            self._ops.run(self._services.withdrawal, self._withdrawn, owner=self)

    def _withdrawn(self, withdrawal: Withdrawal | None) -> None:
        """The administrator withdrew this laptop: hide everything, offer export and erasure."""
        services = self._services
        if withdrawal is None or services is None or self.withdrawn_dialog is not None:
            return
        self._save_typed()
        self.sync_scheduler.stop()
        self.window_lock.seal()
        from instancias_desktop.ui.dialogs.withdrawn_dialog import (  # noqa: PLC0415
            WithdrawnDialog,
            default_target,
        )

        dialog = WithdrawnDialog(
            self._ops,
            withdrawal,
            (services.verify_passphrase, services.export_unsent, services.erase_profile),
            default_target(withdrawal.username, dt.date.today()),
            parent=self,
        )
        dialog.finished.connect(lambda _result: self.close())  # the app ends with it
        self.withdrawn_dialog = dialog
        dialog.open()

    def _save_typed(self) -> None:
        if self.built("editor"):
            self.editor.save_now()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Save what is being typed; remember the window's place and size for next time."""
        if self.withdrawn_dialog is None:  # withdrawn: saved already, and perhaps erased
            self._save_typed()
        self.sync_scheduler.stop()
        if self._save_geometry is not None:
            self._save_geometry(bytes(self.saveGeometry().toBase64().data()).decode("ascii"))
        super().closeEvent(event)
