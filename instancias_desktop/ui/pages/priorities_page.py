"""Where technical assistance is needed first: the ranking with its reasons, and the visit plan."""

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.documents import ExportedList
from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.priority import decimal_text
from instancias_desktop.domain.priority_views import PriorityReport, RankedLine
from instancias_desktop.domain.territory_figures import FiguresImport, report
from instancias_desktop.domain.text import matches_all_words
from instancias_desktop.i18n import _
from instancias_desktop.services.planning_api import (
    ExportService,
    PlanService,
    PriorityService,
)
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.plan_dialog import PlanDialog
from instancias_desktop.ui.dialogs.weights_dialog import WeightsDialog
from instancias_desktop.ui.exports import ExportChooser, choose_export_target
from instancias_desktop.ui.models.priority_columns import (
    CONTRIBUTION_COLUMNS,
    RANKING_COLUMNS,
    ranking_search_key,
)
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.pages.plan_tab import PlanTab
from instancias_desktop.ui.widgets.detail_split import detail_split
from instancias_desktop.ui.widgets.record_table import RecordTable

AREAS = frozenset({Area.PRIORITY, Area.INSTANCIAS, Area.VISITS, Area.AGREEMENTS, Area.PLAN})
CsvChooser = Callable[[QWidget], Path | None]


def choose_csv(parent: QWidget) -> Path | None:
    """Ask for the CSV of territory figures (None when cancelled)."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, _("Importar cifras por territorio"), "", _("CSV (*.csv *.txt)")
    )
    return Path(chosen) if chosen else None


class PriorityServices(PriorityService, PlanService, ExportService, Protocol):
    """What the priorities page uses."""


class PrioritiesPage(QWidget):
    """Tab 1: the ranking and why; tab 2: the plan built from it."""

    loaded = Signal()
    open_visit = Signal(object)  # uuid.UUID

    def __init__(
        self,
        ops: Operations,
        choose_target: ExportChooser = choose_export_target,
        choose_figures: CsvChooser = choose_csv,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._choose_target = choose_target
        self._choose_figures = choose_figures
        self._services: PriorityServices | None = None
        self._loads = Latest(ops, self)
        self.report: PriorityReport | None = None
        self.dialog: QWidget | None = None
        self.message = ""  # the last import's result, as shown
        title = QLabel(_("Prioridades y plan de visitas"))
        title.setObjectName("pageTitle")
        self.context = QLabel(_("Calculando prioridades…"), wordWrap=True)
        self.context.setObjectName("priorityContext")
        self.plan = PlanTab(ops, choose_target)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("priorityTabs")
        self.tabs.addTab(self._ranking_tab(), _("&Orden de prioridad"))
        self.tabs.addTab(self.plan, _("Plan de &visitas"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.context)
        layout.addWidget(self.tabs, 1)
        self.plan.open_visit.connect(self.open_visit)
        self._follower = ops.follow(self, AREAS, self.reload)

    def _ranking_tab(self) -> QWidget:
        self.search = QLineEdit(
            placeholderText=_("Buscar instancia o territorio"), clearButtonEnabled=True
        )
        self.search.setObjectName("prioritySearch")
        self.search.setAccessibleName(_("Buscar en el orden de prioridad"))
        self.level = QComboBox()
        self.level.setObjectName("priorityLevel")
        self.level.setAccessibleName(_("Nivel"))
        self.level.setToolTip(
            _("Mostrar solo las instancias regionales, provinciales o distritales")
        )
        self.level.addItem(_("Todos los niveles"), "")
        for level in InstanciaLevel:
            self.level.addItem(level.label, level.value)
        self.table = RecordTable(
            RANKING_COLUMNS,
            _("Orden de prioridad"),
            description=_(
                "Las instancias de la que más necesita asistencia técnica a la que menos, con su "
                "puntaje y el porqué. Con Mayús o Ctrl se eligen varias; Intro, doble clic o "
                "Insert las agrega al plan de visitas."
            ),
            search_key=ranking_search_key,
        )
        self.table.setObjectName("priorityTable")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.why_title = QLabel(_("Seleccione una instancia para ver por qué está en ese lugar."))
        self.why_title.setWordWrap(True)  # an export names its file and what it holds
        self.why_title.setObjectName("sectionTitle")
        self.why = RecordTable(
            CONTRIBUTION_COLUMNS,
            _("Explicación del puntaje"),
            description=_(
                "Cuántos puntos suma cada criterio al puntaje de la instancia seleccionada "
                "arriba: su grado, su peso y los puntos que resultan."
            ),
            sortable=False,
        )
        self.why.setObjectName("priorityWhy")
        buttons = QHBoxLayout()
        self.plan_button = QPushButton(_("Agregar al &plan…"))
        self.plan_button.setToolTip(
            _("Planificar la visita a las instancias seleccionadas (Insert)")
        )
        self.figures_button = QPushButton(_("Importar &cifras (CSV)…"))
        self.figures_button.setToolTip(
            _(
                "Cargar cifras por territorio (casos de violencia, CEM, solicitudes) desde un "
                "archivo CSV; si alguna línea tiene errores, no se importa nada y se dice cuáles"
            )
        )
        self.weights_button = QPushButton(_("P&esos…"))
        self.weights_button.setToolTip(
            _(
                "Ver cuánto pesa cada criterio en el puntaje; solo un(a) supervisor(a) puede "
                "cambiarlos"
            )
        )
        self.export_button = QPushButton(_("E&xportar lo mostrado…"))
        self.export_button.setToolTip(
            _("Guardar el orden de prioridad, tal como se muestra, en Excel (.xlsx) o CSV")
        )
        for button, name in (
            (self.plan_button, "addToPlan"),
            (self.figures_button, "importFigures"),
            (self.weights_button, "editWeights"),
            (self.export_button, "exportRanking"),
        ):
            button.setObjectName(name)
        for widget in (self.search, self.level):
            buttons.addWidget(widget, 1 if widget is self.search else 0)
        for button in (
            self.plan_button,
            self.figures_button,
            self.weights_button,
            self.export_button,
        ):
            buttons.addWidget(button)
        splitter = detail_split(self.table, self.why_title, self.why, 2)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.search.textChanged.connect(self._apply)
        self.level.currentIndexChanged.connect(self._apply)
        self.table.selectionModel().selectionChanged.connect(self._explain)
        self.table.opened.connect(lambda _line: self.add_to_plan())
        QShortcut(QKeySequence("Ins"), self.table, self.add_to_plan).setContext(
            Qt.ShortcutContext.WidgetShortcut
        )
        self.plan_button.clicked.connect(lambda _checked: self.add_to_plan())
        self.figures_button.clicked.connect(lambda _checked: self.import_figures())
        self.weights_button.clicked.connect(lambda _checked: self.edit_weights())
        self.export_button.clicked.connect(lambda _checked: self.export())
        return tab

    def attach(self, services: PriorityServices) -> None:
        """Rank the instancias of an opened profile."""
        self._services = services
        self.plan.attach(services)
        self._follower.request()  # ranked when first shown

    def reload(self) -> None:
        """Rank again (off the GUI thread) and read the plan."""
        services = self._services
        if services is None:
            return
        self._loads.run(services.priority_report, self._show)
        self.plan.reload()

    def _show(self, result: PriorityReport) -> None:
        self.report = result
        self.table.set_records(result.lines)
        weights = result.weights
        self.context.setText(
            _(
                "Instancias de {scope} · pesos (referenciales, a confirmar por el MIMP): "
                "{source} · {figures} · periodo de gobierno desde el {term}."
            ).format(
                scope=result.scope,
                source=weights.source,
                figures=result.figures,
                term=result.term_start.strftime("%d/%m/%Y"),
            )
        )
        self._apply()
        self._explain()
        self.loaded.emit()

    def _apply(self, *_args: object) -> None:
        text, level = self.search.text(), self.level.currentData() or ""

        def accepts(line: RankedLine, key: str) -> bool:
            return (not level or line.ranked.instancia.level.value == level) and (
                not text or matches_all_words(text, key)
            )

        self.table.proxy.set_predicate((text, level, id(self.report)), accepts)

    def _explain(self, *_args: object) -> None:
        line: RankedLine | None = self.table.selected_record()
        if line is None:
            self.why.set_records(())
            self.why_title.setText(
                _("Seleccione una instancia para ver por qué está en ese lugar.")
            )
            return
        ranked = line.ranked
        self.why.set_records(ranked.contributions)
        self.why_title.setText(
            _(
                "Prioridad {rank}: {name} · puntaje {score} = suma de los puntos de cada criterio"
            ).format(rank=ranked.rank, name=ranked.instancia.name, score=decimal_text(ranked.score))
        )

    def add_to_plan(self) -> None:
        """Plan a visit to the selected instancias."""
        services, chosen = self._services, self.table.selected_records()
        if services is None or not chosen:
            return
        dialog = PlanDialog(
            self._ops,
            services,
            names=[line.ranked.instancia.name for line in chosen],
            today=self.plan.today,
            instancia_ids=[line.ranked.instancia.instancia_id for line in chosen],
            parent=self,
        )
        dialog.accepted.connect(lambda: self._ops.announce({Area.PLAN}))
        self.dialog = dialog
        dialog.open()

    def edit_weights(self) -> None:
        """Show (and for a supervisor, change) the weights."""
        services, shown = self._services, self.report
        if services is None or shown is None:
            return
        dialog = WeightsDialog(self._ops, services, shown.weights, self)
        dialog.accepted.connect(lambda: self._ops.announce({Area.PRIORITY}))
        self.dialog = dialog
        dialog.open()

    def import_figures(self) -> None:
        """Load territory figures from a CSV and say, line by line, what was wrong."""
        services = self._services
        source = self._choose_figures(self) if services is not None else None
        if services is None or source is None:
            return
        self._ops.run(lambda: services.import_figures(source), self._imported, owner=self)

    def _imported(self, result: FiguresImport) -> None:
        if result.errors:
            self.message = _(
                "No se importó el archivo: corrija estas líneas y vuelva a importarlo."
            )
            details = report(result.errors)
        else:
            self.message = _("Cifras importadas: {summary}.").format(summary=result.summary())
            details = ""
            self._ops.announce({Area.PRIORITY})
        box = QMessageBox(
            QMessageBox.Icon.Warning if result.errors else QMessageBox.Icon.Information,
            _("Importar cifras por territorio"),
            self.message + ("\n\n" + details if details else ""),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("figuresImported")
        self.dialog = box
        box.open()

    def export(self) -> None:
        """Save the ranking as shown."""
        services, shown = self._services, self.report
        if services is None or shown is None:
            return
        target = self._choose_target(self, f"prioridades-{self.plan.today.isoformat()}.xlsx")
        if target is None:
            return
        proxy = self.table.proxy
        lines = [proxy.record_at(proxy.index(row, 0)) for row in range(proxy.rowCount())]
        self._ops.run(lambda: services.export_ranking(lines, target), self._exported, owner=self)

    def _exported(self, exported: ExportedList) -> None:
        self.message = exported.message
        self.why_title.setText(self.message)
