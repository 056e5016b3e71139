"""All visits of the profile: search, drafts first if asked, open one in the editor."""

import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.text import matches_all_words
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.i18n import _, n_
from instancias_desktop.services.api import VisitService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.locale import number
from instancias_desktop.ui.models.visit_columns import VISIT_COLUMNS, visit_search_key
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.widgets.record_table import RecordTable

AREAS = frozenset({Area.VISITS})
KEYS_DELAY_MS = 150


class VisitsPage(QWidget):
    """Lists every visit, newest first."""

    loaded = Signal()  # the list is on screen
    searchable = Signal()  # and its search keys are ready
    open_visit = Signal(object)  # uuid.UUID
    verify_requested = Signal()  # the user wants to check a printed acta

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._services: VisitService | None = None
        self._loads = Latest(ops, self)
        title = QLabel(_("Visitas de asistencia técnica"))
        title.setObjectName("pageTitle")
        self.search = QLineEdit(
            placeholderText=_("Buscar por N° de acta, instancia, territorio o tipo (Ctrl+F)"),
            clearButtonEnabled=True,
        )
        self.search.setObjectName("visitsSearch")
        self.search.setAccessibleName(_("Buscar visitas"))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("visitsStatusFilter")
        self.status_filter.setAccessibleName(_("Estado del acta"))
        self.status_filter.setToolTip(
            _("Mostrar todas las actas, solo los borradores o solo las finalizadas")
        )
        self.status_filter.addItem(_("Todas las actas"), "")
        for status in VisitStatus:
            self.status_filter.addItem(status.label, status.value)
        self.table = RecordTable(
            VISIT_COLUMNS,
            _("Visitas"),
            description=_(
                "Las visitas que cumplen la búsqueda y el estado elegidos, de la más reciente a "
                "la más antigua. Intro o doble clic abre el acta seleccionada en el editor."
            ),
            search_key=visit_search_key,
            parent=self,
        )
        self.table.setObjectName("visitsTable")
        # Newest first, as the service returns them; a header click sorts on demand.
        self.status = QLabel(_("Cargando las visitas…"))
        self._loading = False  # a read of the list is under way
        self.status.setObjectName("pageStatus")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        label = QLabel(_("&Estado"))
        label.setBuddy(self.status_filter)
        filters.addWidget(label)
        filters.addWidget(self.status_filter)
        self.verify_button = QPushButton(_("Verificar un acta &impresa…"))
        self.verify_button.setObjectName("verifyActa")
        self.verify_button.setToolTip(
            _("Comprobar el código de verificación de un acta en papel (escrito o leído del QR)")
        )
        self.verify_button.clicked.connect(lambda _checked: self.verify_requested.emit())
        filters.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.search.textChanged.connect(self._apply)
        self.status_filter.currentIndexChanged.connect(self._apply)
        self.table.opened.connect(lambda v: self.open_visit.emit(v.id))
        ops.follow(self, AREAS, self.reload)

    def attach(self, services: VisitService) -> None:
        """Start showing the visits of an opened profile."""
        self._services = services
        self.reload()

    def reload(self) -> None:
        """Fetch the list off the GUI thread; only the newest answer is shown."""
        services = self._services
        if services is None:
            return
        self._loading = True
        self._update_status()  # says it is loading: never «0 de 0» while the list is read
        self._loads.run(services.list_visits, self._show)

    def _show(self, rows: tuple[VisitSummary, ...]) -> None:
        self._loading = False
        generation = self._loads.generation
        # The list shows at once. Its search keys are folded in the worker a moment later, so
        # that folding (which holds Python's lock) never delays the first paint of the rows.
        self.table.set_records(rows, keys_later=True)
        source = self.table.source

        def fold_keys() -> None:
            if self._loads.is_current(generation):
                self._ops.run(
                    lambda: source.search_keys(rows),
                    lambda keys: self._keys_ready(generation, keys),
                    owner=self,
                )

        QTimer.singleShot(KEYS_DELAY_MS, self, fold_keys)
        self._update_status()
        self.loaded.emit()

    def _keys_ready(self, generation: int, keys: tuple[str, ...]) -> None:
        if self._loads.is_current(generation):
            self.table.source.set_search_keys(keys)
            self.table.proxy.refilter()
            self._update_status()
            self.searchable.emit()

    def _apply(self) -> None:
        text = self.search.text()
        status = self.status_filter.currentData() or ""

        def accepts(visit: VisitSummary, key: str) -> bool:
            # An empty key: not folded yet (for an instant after loading); shown meanwhile.
            return (not status or visit.status.value == status) and (
                not text or not key or matches_all_words(text, key)
            )

        self.table.proxy.set_predicate((text, status), accepts)
        self._update_status()

    def _update_status(self) -> None:
        shown, total = self.table.proxy.rowCount(), self.table.source.rowCount()
        if self._loading and total == 0:
            self.status.setText(_("Cargando las visitas…"))
            return
        drafts = sum(1 for v in self.table.source.records() if v.status is VisitStatus.DRAFT)
        self.status.setText(
            _("Mostrando {shown} de {total} visitas · {drafts}").format(
                shown=number(shown),
                total=number(total),
                drafts=n_("{n} borrador por terminar", "{n} borradores por terminar", drafts),
            )
            + (_(" · actualizando…") if self._loading else "")
        )

    def focus_search(self) -> None:
        """Ctrl+F."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def select_visit(self, visit_id: uuid.UUID) -> bool:
        """Put the cursor on a visit (after returning from its editor)."""
        return self.table.select_where(lambda v: v.id == visit_id)
