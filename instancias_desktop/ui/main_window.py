"""The main window: a shell with navigation, the page stack and a status bar; no business logic."""

import uuid
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from instancias_desktop.i18n import _
from instancias_desktop.services.api import Services
from instancias_desktop.ui.dialogs.verify_dialog import VerifyDialog
from instancias_desktop.ui.exports import ExportChooser, choose_export_target
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.agreements_page import AgreementsPage
from instancias_desktop.ui.pages.home_page import HomePage
from instancias_desktop.ui.pages.instancia_page import InstanciaPage
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.priorities_page import CsvChooser, PrioritiesPage, choose_csv
from instancias_desktop.ui.pages.sync_page import SyncPage, TargetChooser, save_with_dialog
from instancias_desktop.ui.pages.visit_editor import (
    FileChooser,
    VisitEditorPage,
    choose_with_dialog,
)
from instancias_desktop.ui.pages.visits_page import VisitsPage
from instancias_desktop.ui.sync_scheduler import SyncScheduler

GeometrySink = Callable[[str], None]


class MainWindow(QMainWindow):
    """Receives its dependencies; pages talk to services through ``ops``."""

    def __init__(
        self,
        ops: Operations,
        geometry: str = "",
        save_geometry: GeometrySink | None = None,
        *,
        choose_file: FileChooser = choose_with_dialog,
        choose_target: TargetChooser = save_with_dialog,
        reminder_hour: int = 18,
        choose_export: ExportChooser = choose_export_target,
        choose_figures: CsvChooser = choose_csv,
    ) -> None:
        super().__init__()
        self._save_geometry = save_geometry
        self.setWindowTitle(_("Instancias de Concertación — Asistencia técnica MIMP"))
        self.setMinimumSize(QSize(960, 600))
        self._ops = ops
        self.verify_dialog: VerifyDialog | None = None
        self.territory_prompt: QMessageBox | None = None
        self._services: Services | None = None
        self.instancias = InstanciasPage(ops)
        self.visits = VisitsPage(ops)
        self.instancia_page = InstanciaPage(ops)
        self.editor = VisitEditorPage(ops, choose_file)
        self.sync_page = SyncPage(ops, choose_target)
        self.agreements = AgreementsPage(ops, choose_export)
        self.home = HomePage(ops)
        self.priorities = PrioritiesPage(ops, choose_export, choose_figures)
        self.sync_scheduler = SyncScheduler(
            ops, self.sync_page, reminder_hour=reminder_hour, parent=self
        )
        self._history: list[tuple[QWidget, int]] = []
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(_("Secciones"))
        self.pages = QStackedWidget()
        self._add_page(_("Inicio"), self.home)
        self._add_page(_("Instancias"), self.instancias)
        self._add_page(_("Visitas"), self.visits)
        self._add_page(_("Acuerdos"), self.agreements)
        self._add_page(_("Prioridades"), self.priorities)
        self._add_page(_("Sincronización"), self.sync_page)
        self.pages.addWidget(self.instancia_page)
        self.pages.addWidget(self.editor)
        self.nav.setFixedWidth(160)
        self.nav.currentRowChanged.connect(self._on_nav)
        self._connect_pages()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.profile_label = QLabel()
        self.profile_label.setObjectName("profileLabel")
        self.statusBar().addPermanentWidget(self.profile_label)
        ops.failed.connect(lambda message: self.statusBar().showMessage(message, 15_000))
        self.sync_scheduler.reminded.connect(lambda text: self.statusBar().showMessage(text))
        self._shortcuts()
        self.show_section(1)
        self.resize(QSize(1360, 760))
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        self.instancias.focus_search()

    def _add_page(self, title: str, page: QWidget) -> None:
        number = self.nav.count() + 1
        item = QListWidgetItem(title)
        item.setToolTip(_("{title} (Ctrl+{n})").format(title=title, n=number))
        self.nav.addItem(item)
        self.pages.addWidget(page)

    def _shortcuts(self) -> None:
        for index in range(self.nav.count()):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda i=index: self.show_section(i))
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._find)
        quit_ = QShortcut(QKeySequence.StandardKey.Quit, self)
        quit_.activated.connect(self.close)

    def _connect_pages(self) -> None:
        self.instancias.open_instancia.connect(self.open_instancia)
        self.visits.open_visit.connect(self.open_visit)
        self.instancia_page.open_visit.connect(self.open_visit)
        self.instancia_page.new_visit.connect(self.start_visit)
        self.instancia_page.back.connect(self.go_back)
        self.editor.back.connect(self.go_back)
        self.editor.opened_visit.connect(self.open_visit)
        self.visits.verify_requested.connect(self.verify_acta)
        self.agreements.open_visit.connect(self.open_visit)
        self.home.open_visit.connect(self.open_visit)
        self.home.go_sync.connect(lambda: self.show_section(5))
        self.priorities.open_visit.connect(self.open_visit)

    def show_section(self, index: int) -> None:
        """Switch to a navigation entry."""
        self.nav.setCurrentRow(index)
        self._on_nav(index)

    def _on_nav(self, index: int) -> None:
        if self.pages.currentWidget() is self.editor:
            self.editor.save_now()
        self._history.clear()
        self.pages.setCurrentIndex(index)

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
        page, section = self._history.pop() if self._history else (self.instancias, 1)
        if page is self.editor and self.editor.visit_id is None:
            page, section = self.visits, 2  # the draft was deleted
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(section)
        self.nav.blockSignals(False)
        self.pages.setCurrentWidget(page)

    def open_instancia(self, instancia_id: uuid.UUID) -> None:
        """Show one instancia's page."""
        self.instancia_page.show_instancia(instancia_id)
        self._go(self.instancia_page, 1)

    def open_visit(self, visit_id: uuid.UUID) -> None:
        """Open a visit in the editor."""
        self.editor.open_visit(visit_id)
        self._go(self.editor, 2)

    def start_visit(self, instancia_id: uuid.UUID) -> None:
        """Create a numbered draft for an instancia and open it (warned if not hers)."""
        services = self._services
        if services is None:
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
            self._ops.announce({"visits"})
            self.open_visit(visit_id)

        self._ops.run(lambda: services.start_visit(instancia_id), started, owner=self)

    def _find(self) -> None:
        if self.pages.currentWidget() is self.visits:
            self.visits.focus_search()
            return
        if self.pages.currentWidget() is self.agreements:
            self.agreements.focus_search()
            return
        self.show_section(1)
        self.instancias.focus_search()

    def verify_acta(self) -> None:
        """Open the check of a printed acta's code."""
        if self._services is None:
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
        self.instancias.attach(services)
        self.visits.attach(services)
        self.instancia_page.attach(services)
        self.editor.attach(services)
        self.sync_page.attach(services)
        self.agreements.attach(services)
        self.home.attach(services)
        self.priorities.attach(services)
        self.sync_scheduler.attach(services)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Save what is being typed; remember the window's place and size for next time."""
        self.editor.save_now()
        self.sync_scheduler.stop()
        if self._save_geometry is not None:
            self._save_geometry(bytes(self.saveGeometry().toBase64().data()).decode("ascii"))
        super().closeEvent(event)
