"""The main window: a shell with navigation, the page stack and a status bar; no business logic."""

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from instancias_desktop.i18n import _
from instancias_desktop.services.api import Services
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.placeholder_page import PlaceholderPage

GeometrySink = Callable[[str], None]


class MainWindow(QMainWindow):
    """Receives its dependencies; pages talk to services through ``ops``."""

    def __init__(
        self,
        ops: Operations,
        geometry: str = "",
        save_geometry: GeometrySink | None = None,
    ) -> None:
        super().__init__()
        self._save_geometry = save_geometry
        self.setWindowTitle(_("Instancias de Concertación — Asistencia técnica MIMP"))
        self.setMinimumSize(QSize(960, 600))
        self.instancias = InstanciasPage(ops)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(_("Secciones"))
        self.pages = QStackedWidget()
        self._add_page(
            _("Inicio"),
            PlaceholderPage(
                _("Inicio"),
                _(
                    "Resumen del día: visitas planificadas, borradores por terminar, "
                    "acuerdos por vencer y lo que falta sincronizar."
                ),
            ),
        )
        self._add_page(_("Instancias"), self.instancias)
        self._add_page(
            _("Visitas"),
            PlaceholderPage(
                _("Visitas de asistencia técnica"),
                _(
                    "Registrar cada visita, sus participantes, la lista de verificación, "
                    "los acuerdos "
                    "y anexos, e imprimir el acta para su firma."
                ),
            ),
        )
        self._add_page(
            _("Acuerdos"),
            PlaceholderPage(
                _("Acuerdos"),
                _("Seguimiento de los acuerdos de todas las visitas y de sus plazos."),
            ),
        )
        self._add_page(
            _("Prioridades"),
            PlaceholderPage(
                _("Prioridades y plan de visitas"),
                _(
                    "Orden de prioridad de las instancias para la asistencia técnica, "
                    "con la explicación de cada criterio, y el plan de visitas de las "
                    "próximas semanas."
                ),
            ),
        )
        self._add_page(
            _("Sincronización"),
            PlaceholderPage(
                _("Sincronización"), _("Envío y recepción de los datos con el servidor central.")
            ),
        )
        self.nav.setFixedWidth(160)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
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

    def show_section(self, index: int) -> None:
        """Switch to a navigation entry."""
        self.nav.setCurrentRow(index)

    def _find(self) -> None:
        self.show_section(1)
        self.instancias.focus_search()

    def attach(self, services: Services, description: str) -> None:
        """Show the data of the opened profile (the shell paints before it is open)."""
        self.profile_label.setText(description)
        self.instancias.attach(services)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Remember the window's place and size for next time."""
        if self._save_geometry is not None:
            self._save_geometry(bytes(self.saveGeometry().toBase64().data()).decode("ascii"))
        super().closeEvent(event)
