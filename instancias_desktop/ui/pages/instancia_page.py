"""One instancia: its facts and shared data, stage history, members, norms, visits, agreements."""

import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.instancia_standing import schedule_text
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.i18n import _
from instancias_desktop.services.api import InstanciaReading
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.documents import DocumentActions
from instancias_desktop.ui.models.record_model import Column, date_text
from instancias_desktop.ui.models.visit_columns import (
    INSTANCIA_AGREEMENT_COLUMNS,
    INSTANCIA_VISIT_COLUMNS,
)
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.pages.instancia_records import InstanciaRecords
from instancias_desktop.ui.widgets.instancia_data_panel import InstanciaDataPanel
from instancias_desktop.ui.widgets.record_table import RecordTable
from instancias_desktop.ui.widgets.schedule_panel import SchedulePanel

AREAS = frozenset({Area.INSTANCIAS, Area.VISITS, Area.AGREEMENTS})
SAVED_AREAS = frozenset(
    {Area.INSTANCIAS, Area.SYNC}
)  # the page itself, and what waits for the server

HISTORY_COLUMNS = (
    Column(_("Fecha"), lambda e: date_text(e.event_date), lambda e: e.event_date),
    Column(_("Estado"), lambda e: e.stage.label),
    Column(_("Norma"), lambda e: e.norm_title or "—"),
    Column(_("Medio de verificación"), lambda e: e.evidence or "—", max_width=320),
    Column(_("Registrado en"), lambda e: e.acta_number or "—"),
)


class InstanciaPage(QWidget):
    """Shows one instancia; a new visit or an existing one opens from here."""

    loaded = Signal()
    back = Signal()
    open_visit = Signal(object)  # uuid.UUID
    new_visit = Signal(object)  # uuid.UUID of the instancia

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._services: InstanciaReading | None = None
        self.instancia_id: uuid.UUID | None = None
        self.detail: InstanciaDetail | None = None
        self._loads = Latest(ops, self)
        self.documents = DocumentActions(ops, self, self._keep)
        self._build()
        ops.follow(self, AREAS, self.reload)

    def _build(self) -> None:
        self.back_button = QPushButton(_("← &Volver"))
        self.back_button.setToolTip(_("Volver a la lista (Alt+←)"))
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.report_button = QPushButton(_("Informe en &PDF"))
        self.report_button.setObjectName("instanciaReport")
        self.report_button.setToolTip(
            _("Historial, visitas, puntaje en el tiempo y acuerdos, para la supervisión")
        )
        self.new_button = QPushButton(_("&Nueva visita"))
        self.new_button.setObjectName("primaryButton")
        self.new_button.setToolTip(_("Registrar una visita de asistencia técnica (Ctrl+N)"))
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.report_button)
        top.addWidget(self.new_button)
        self.facts = {key: QLabel() for key in ("level", "unit", "territory", "stage", "schedule")}
        form = QFormLayout()
        for key, label in (
            ("level", _("Nivel")),
            ("unit", _("Gobierno")),
            ("territory", _("Territorio")),
            ("stage", _("Estado de la instancia")),
            ("schedule", _("Próximo paso acordado")),
        ):
            self.facts[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key].setWordWrap(True)
            form.addRow(label + ":", self.facts[key])
        self.data = InstanciaDataPanel(self._ops, self)
        header = QHBoxLayout()
        header.addLayout(form, 1)
        header.addWidget(self.data, 1, Qt.AlignmentFlag.AlignTop)
        self.history = RecordTable(
            HISTORY_COLUMNS,
            _("Historial de estados"),
            description=_(
                "Cada cambio de estado de la instancia (creación, instalación, funcionamiento…), "
                "con su fecha, su norma, su medio de verificación y el acta que lo registró."
            ),
            parent=self,
        )
        self.records = InstanciaRecords(self._ops, self, self._saved)
        self.schedule = SchedulePanel(self._ops, self)
        self.visits = RecordTable(
            INSTANCIA_VISIT_COLUMNS,
            _("Visitas"),
            description=_(
                "Las visitas de asistencia técnica a esta instancia, de la más reciente a la más "
                "antigua. Intro o doble clic abre el acta seleccionada."
            ),
            parent=self,
        )
        self.agreements = RecordTable(
            INSTANCIA_AGREEMENT_COLUMNS,
            _("Acuerdos"),
            description=_(
                "Los acuerdos tomados en las visitas a esta instancia, con su plazo y su estado. "
                "Intro o doble clic abre el acta donde se tomó el seleccionado."
            ),
            parent=self,
        )
        for table in (self.history, self.visits, self.agreements):
            table.sortByColumn(
                0 if table is not self.agreements else 1, Qt.SortOrder.DescendingOrder
            )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("instanciaTabs")
        for widget, name in (
            (self.history, _("Historial de estados")),
            (self.records.members_tab, _("Integrantes")),
            (self.records.norms, _("Normas")),
            (self.records.sessions, _("Sesiones")),
            (self.records.instruments, _("Instrumentos")),
            (self.schedule, _("Cronograma")),
            (self.visits, _("Visitas")),
            (self.agreements, _("Acuerdos")),
        ):
            self.tabs.addTab(widget, name)
        self._tab_names = [self.tabs.tabText(i) for i in range(self.tabs.count())]
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.back_button.clicked.connect(self.back)
        self.new_button.clicked.connect(self._new_visit)
        self.report_button.clicked.connect(lambda _checked: self.view_report())
        self.data.saved.connect(self._saved)
        self.schedule.saved.connect(self._saved)
        self.visits.opened.connect(lambda v: self.open_visit.emit(v.id))
        self.agreements.opened.connect(lambda a: self.open_visit.emit(a.visit_id))
        self._shortcut(QKeySequence("Ctrl+N"), self._new_visit)
        self._shortcut(QKeySequence("Alt+Left"), self.back.emit)

    def _shortcut(self, keys: QKeySequence, slot: Callable[[], object]) -> None:
        """A shortcut active while the focus is anywhere on this page."""
        shortcut = QShortcut(keys, self, slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def attach(self, services: InstanciaReading) -> None:
        """Read from an opened profile."""
        self._services = services
        self.data.attach(services)
        self.records.services = services
        self.schedule.attach(services)
        self.reload()  # one asked for from the registry before the profile was open

    def _keep(self, name: str, data: bytes) -> Path:
        assert self._services is not None
        return self._services.save_export(name, data)

    def view_report(self) -> None:
        """Produce the instancia's report and open it in the system viewer."""
        services, instancia_id = self._services, self.instancia_id
        if services is None or instancia_id is None:
            return

        def produce() -> tuple[str, bytes]:
            report = services.instancia_report(instancia_id)
            return report.file_name, report.pdf

        self.documents.view(produce)

    def show_instancia(self, instancia_id: uuid.UUID) -> None:
        """Load and show one instancia."""
        if instancia_id != self.instancia_id:
            self.detail = None
            self.title.setText(_("Cargando…"))
        self.instancia_id = instancia_id
        self.reload()

    def reload(self) -> None:
        """Read the instancia again off the GUI thread."""
        services, instancia_id = self._services, self.instancia_id
        if services is None or instancia_id is None:
            return
        self._loads.run(lambda: services.instancia_detail(instancia_id), self._show)

    def _show(self, detail: InstanciaDetail) -> None:
        self.detail = detail
        s = detail.summary
        self.title.setText(s.name)
        self.facts["level"].setText(f"{s.level.label} ({s.level.value})")
        self.facts["unit"].setText(s.unit_name)
        parts = [p for p in (s.district_name, s.province_name, s.department_name) if p]
        self.facts["territory"].setText(f"{', '.join(parts)} · ubigeo {s.ubigeo}")
        since = _(" desde el {day}").format(day=date_text(s.stage_date)) if s.stage_date else ""
        self.facts["stage"].setText(f"<b>{s.stage.label}</b>{since}")
        self.data.show_detail(detail)
        self.records.show_detail(detail)
        self.schedule.show_detail(detail)
        next_step = schedule_text(detail.schedule, detail.today) if detail.today else ""
        self.facts["schedule"].setText(next_step or _("Sin fechas pendientes"))
        for table, records in (
            (self.history, detail.history),
            (self.visits, detail.visits),
            (self.agreements, detail.agreements),
        ):
            table.set_records(records)
        counts = (
            len(detail.history), len(detail.members), len(detail.norms), len(detail.sessions),
            len(detail.instruments), None, len(detail.visits), len(detail.agreements),
        )  # fmt: skip
        for index, count in enumerate(counts):
            name = self._tab_names[index]
            self.tabs.setTabText(index, name if count is None else f"{name} ({count})")
        self.loaded.emit()

    def _saved(self, detail: InstanciaDetail) -> None:
        if detail.summary.id == self.instancia_id:
            self._show(detail)
        self._ops.announce(SAVED_AREAS)

    def _new_visit(self) -> None:
        if self.instancia_id is not None and self.isVisible():
            self.new_visit.emit(self.instancia_id)
