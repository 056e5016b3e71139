"""All visits of the profile: search, drafts first if asked, open one in the editor."""

import uuid
from collections import Counter
from typing import Protocol

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

from instancias_desktop.domain.enums import ActaState
from instancias_desktop.domain.text import matches_all_words
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.i18n import _, n_
from instancias_desktop.services.api import SignedCopyService, VisitService
from instancias_desktop.services.planning_api import ExportService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.papers_filing import PapersFiling
from instancias_desktop.ui.exports import ExportChooser, choose_export_target
from instancias_desktop.ui.locale import number
from instancias_desktop.ui.models.visit_columns import VISIT_COLUMNS, visit_search_key
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.widgets.record_table import RecordTable
from instancias_desktop.ui.widgets.signed_copy_bar import PapersChooser, choose_papers

AREAS = frozenset({Area.VISITS})


class VisitsServices(VisitService, SignedCopyService, ExportService, Protocol):
    """What the visits list uses."""


KEYS_DELAY_MS = 150


class VisitsPage(QWidget):
    """Lists every visit, newest first."""

    loaded = Signal()  # the list is on screen
    searchable = Signal()  # and its search keys are ready
    open_visit = Signal(object)  # uuid.UUID
    verify_requested = Signal()  # the user wants to check a printed acta

    def __init__(
        self,
        ops: Operations,
        choose_papers: PapersChooser = choose_papers,
        choose_target: ExportChooser = choose_export_target,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._services: VisitsServices | None = None
        self.filing = PapersFiling(ops, self, choose_papers)
        self._choose_target = choose_target
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
            _(
                "Mostrar todas las actas, o solo los borradores, las finalizadas por firmar o "
                "las firmadas (con su copia firmada adjunta)"
            )
        )
        self.status_filter.addItem(_("Todas las actas"), "")
        for state in ActaState:
            self.status_filter.addItem(state.label, state.value)
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
        self.status.setWordWrap(True)  # an export names its file and what it holds
        self._loading = False  # a read of the list is under way
        self.status.setObjectName("pageStatus")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        label = QLabel(_("&Estado"))
        label.setBuddy(self.status_filter)
        filters.addWidget(label)
        filters.addWidget(self.status_filter)
        for button in self._action_buttons():
            filters.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._note = ""  # what the last filing of signed papers did, kept on the status line
        self.filing.message.connect(self._say)
        self.search.textChanged.connect(self._apply)
        self.status_filter.currentIndexChanged.connect(self._apply)
        self.table.opened.connect(lambda v: self.open_visit.emit(v.id))
        ops.follow(self, AREAS, self.reload)

    def _action_buttons(self) -> tuple[QPushButton, ...]:
        """Check a printed acta, attach signed papers, export what is shown."""
        self.verify_button = QPushButton(_("Verificar un acta &impresa…"))
        self.verify_button.setObjectName("verifyActa")
        self.verify_button.setToolTip(
            _("Comprobar el código de verificación de un acta en papel (escrito o leído del QR)")
        )
        self.verify_button.clicked.connect(lambda _checked: self.verify_requested.emit())
        self.papers_button = QPushButton(_("Adjuntar &copias firmadas…"))
        self.papers_button.setObjectName("fileSignedCopies")
        self.papers_button.setToolTip(
            _(
                "Adjuntar los escaneos o fotos de varias actas firmadas a la vez: cada archivo "
                "se ubica en su acta por el código QR"
            )
        )
        self.papers_button.clicked.connect(lambda _checked: self.file_papers())
        self.export_button = QPushButton(_("E&xportar lo mostrado…"))
        self.export_button.setObjectName("exportVisits")
        self.export_button.setToolTip(
            _("Guardar las visitas mostradas, con el estado de cada acta, en Excel (.xlsx) o CSV")
        )
        self.export_button.clicked.connect(lambda _checked: self.export())
        return (self.verify_button, self.papers_button, self.export_button)

    def export(self) -> None:
        """Save the visits shown, with their acta state, to a file she chooses."""
        services = self._services
        if services is None:
            return
        target = self._choose_target(self, _("visitas.xlsx"))
        if target is None:
            return
        rows = tuple(self.table.shown_records())
        self._ops.run(
            lambda: services.export_visits(rows, target),
            lambda exported: self._say(exported.message),
            owner=self,
        )

    def file_papers(self) -> None:
        """Attach the signed papers of several actas, each filed by its QR code."""
        if self._services is not None:
            self.filing.start(self._services)

    def attach(self, services: VisitsServices) -> None:
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
            return (not status or visit.acta_state.value == status) and (
                not text or not key or matches_all_words(text, key)
            )

        self.table.proxy.set_predicate((text, status), accepts)
        self._update_status()

    def _update_status(self) -> None:
        shown, total = self.table.proxy.rowCount(), self.table.source.rowCount()
        if self._loading and total == 0:
            self.status.setText(_("Cargando las visitas…"))
            return
        states = Counter(v.acta_state for v in self.table.source.records())
        self.status.setText(
            _("Mostrando {shown} de {total} visitas · {drafts} · {unsigned}").format(
                shown=number(shown),
                total=number(total),
                drafts=n_(
                    "{n} borrador por terminar",
                    "{n} borradores por terminar",
                    states[ActaState.DRAFT],
                ),
                unsigned=n_(
                    "{n} acta por firmar", "{n} actas por firmar", states[ActaState.FINALIZED]
                ),
            )
            + (_(" · actualizando…") if self._loading else "")
            + (f" · {self._note}" if self._note else "")
        )

    def _say(self, note: str) -> None:
        self._note = note
        self._update_status()

    def focus_search(self) -> None:
        """Ctrl+F."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def select_visit(self, visit_id: uuid.UUID) -> bool:
        """Put the cursor on a visit (after returning from its editor)."""
        return self.table.select_where(lambda v: v.id == visit_id)
