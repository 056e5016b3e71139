"""The instancia registry: filter by territory, level and stage, search by name or ubigeo."""

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RegistryReader, RegistryView, TerritoryOptions
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.locale import number
from instancias_desktop.ui.models.instancias_model import (
    COLUMNS,
    InstanciaFilter,
    InstanciaFilterProxy,
    InstanciaTableModel,
)
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.widgets.record_table import fit_columns, style_columns
from instancias_desktop.ui.widgets.territory_combos import TerritoryCombos

AREAS = frozenset({Area.INSTANCIAS, Area.CATALOGUES, Area.VISITS})
Loaded = tuple[TerritoryOptions, tuple[InstanciaSummary, ...], tuple[str, ...]]
log = logging.getLogger(__name__)


class InstanciasPage(QWidget):
    """Lists every instancia; filters apply as the user types or picks."""

    loaded = Signal()  # the registry is on screen (tests and the start-up benchmark wait for it)
    _previewed = Signal(object)  # Loaded, from the worker opening the profile (queued)
    open_instancia = Signal(object)  # uuid.UUID: Enter or double-click on a row

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services: RegistryReader | None = None
        self._ops = ops
        self._loads = Latest(ops, self)  # only the newest reload may fill the table
        self.model = InstanciaTableModel(self)
        self.proxy = InstanciaFilterProxy(self.model, self)
        self._build()
        ops.follow(self, AREAS, self.reload)
        self._previewed.connect(self._show_preview)

    def attach(self, services: RegistryReader) -> None:
        """Start showing the registry of an opened profile."""
        self._services = services
        self.reload()

    def preview_job(self, load: Callable[[], RegistryView | None]) -> Callable[[], None]:
        """A job for the worker that opens the profile: show the registry it holds, first.

        ``load`` runs in that worker (None: nothing to show yet); the rows reach the table
        while the worker goes on opening the profile. A failure only costs the preview.
        """
        model, deliver = self.model, self._previewed.emit

        def job() -> None:
            try:
                view = load()
            except Exception:
                log.exception("registry not previewed")
                return
            if view is not None:
                deliver((view.options, view.rows, model.search_keys(view.rows)))

        return job

    def _show_preview(self, result: Loaded) -> None:
        if self._services is None:  # the opened profile's own read is already here
            self._show(result)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        title = QLabel(_("Instancias de Concertación"))
        title.setObjectName("pageTitle")
        self.search = QLineEdit(
            placeholderText=_("Buscar por nombre, gobierno, territorio o ubigeo (Ctrl+F)"),
            clearButtonEnabled=True,
        )
        self.search.setObjectName("instanciasSearch")
        self.search.setAccessibleName(_("Buscar instancias"))
        self.territory = TerritoryCombos(self)
        self.department, self.province = self.territory.department, self.territory.province
        self.level, self.stage = QComboBox(), QComboBox()
        for combo, name, object_name, tip in (
            (
                self.department,
                _("Departamento"),
                "instanciasDepartment",
                _(
                    "Mostrar solo las instancias de un departamento; la lista de provincias pasa "
                    "a ser la suya"
                ),
            ),
            (
                self.province,
                _("Provincia"),
                "instanciasProvince",
                _("Mostrar solo las instancias de una provincia del departamento elegido"),
            ),
            (
                self.level,
                _("Nivel"),
                "instanciasLevel",
                _("Mostrar solo las instancias regionales, provinciales o distritales"),
            ),
            (
                self.stage,
                _("Estado de la instancia"),
                "instanciasStage",
                _(
                    "Mostrar solo las instancias en un estado: no creada, creada, instalada, en "
                    "funcionamiento, inactiva o reactivada"
                ),
            ),
        ):
            combo.setObjectName(object_name)
            combo.setAccessibleName(name)
            combo.setToolTip(tip)
        self.level.addItem(_("Todos los niveles"), None)
        for level in InstanciaLevel:
            self.level.addItem(f"{level.label} ({level.value})", level.value)
        self.stage.addItem(_("Todos los estados"), None)
        for stage in Stage:
            self.stage.addItem(stage.label, stage.value)
        self.clear = QPushButton(_("&Limpiar filtros"))
        self.clear.setObjectName("clearInstanciaFilters")
        self.clear.setToolTip(_("Quitar la búsqueda y todos los filtros para ver cada instancia"))
        self.mine = QCheckBox()
        self.mine.setObjectName("myTerritoriesOnly")
        self.mine.setAccessibleName(_("Solo mis territorios"))
        self.mine.setToolTip(
            _("Muestra solo las instancias de los territorios asignados a su usuario")
        )
        self.mine.hide()  # shown once the laptop is enrolled with territories
        self._assigned: tuple[str, ...] = ()
        filters = self._filters()

        self._build_table()
        self.status = QLabel(_("Abriendo el perfil y el registro de instancias…"))
        self.status.setObjectName("pageStatus")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.setTabOrder(self.search, self.mine)
        self.setTabOrder(self.mine, self.department)
        self.setTabOrder(self.department, self.province)
        self.setTabOrder(self.province, self.level)
        self.setTabOrder(self.level, self.stage)
        self.setTabOrder(self.stage, self.clear)
        self.setTabOrder(self.clear, self.table)

        self.search.textChanged.connect(self._apply)
        self.territory.changed.connect(self._apply)
        self.mine.toggled.connect(self._apply)
        for combo in (self.level, self.stage):
            combo.currentIndexChanged.connect(self._apply)
        self.clear.clicked.connect(self.clear_filters)

    def _filters(self) -> QGridLayout:
        """The combos with their labels, «Limpiar filtros» and «Solo mis territorios»."""
        filters = QGridLayout()
        for column, (label_text, combo) in enumerate(
            (
                (_("&Departamento"), self.department),
                (_("&Provincia"), self.province),
                (_("&Nivel"), self.level),
                (_("&Estado"), self.stage),
            )
        ):
            label = QLabel(label_text)
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(18)
            filters.addWidget(label, 0, column)
            filters.addWidget(combo, 1, column)
        filters.addWidget(self.clear, 1, 4)
        filters.setColumnStretch(5, 1)
        filters.addWidget(self.mine, 2, 0, 1, 6)
        return filters

    def _build_table(self) -> None:
        self.table = QTableView(sortingEnabled=True)
        self.table.setObjectName("instanciasTable")
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(_("Registro de instancias"))
        self.table.setAccessibleDescription(
            _(
                "Las instancias que cumplen la búsqueda y los filtros. Intro o doble clic abre la "
                "instancia seleccionada: sus datos, su historial, sus visitas y sus acuerdos."
            )
        )
        self.table.setWordWrap(False)
        style_columns(self.table, COLUMNS)
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Widths from the first rows, once: measuring all 1,917 costs more than it shows.
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        self.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._open)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            row = self.proxy.mapToSource(index).row()
            self.open_instancia.emit(self.model.summary(row).id)

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        """Fetch the registry and the filter options off the GUI thread."""
        services = self._services
        if services is None:
            return
        model = self.model

        def load() -> Loaded:
            rows = services.list_instancias()
            return services.territory_options(), rows, model.search_keys(rows)  # folded here

        self._loads.run(load, self._show)
        self._update_status()  # «actualizando…» while the list shown may be stale

    def _show(self, result: Loaded) -> None:
        options, rows, keys = result
        if self.territory.options != options:
            self.territory.set_options(options)
            self._apply()  # the combos may have changed: the filter follows what they show
        if options.assigned != self._assigned:  # enrolled (again): her territories come first
            self._assigned = options.assigned
            self.mine.setText(
                _("Solo &mis territorios ({names})").format(names=options.assigned_names)
            )
            self.mine.setVisible(bool(options.assigned))
            self.mine.setChecked(bool(options.assigned))
            self._apply()
        first = self.model.rowCount() == 0
        self._set_rows_sorted(rows, keys)
        if first:  # later loads keep the widths (and any she dragged)
            fit_columns(self.table, COLUMNS)
        self._update_status()
        self.loaded.emit()

    def _set_rows_sorted(self, rows: Sequence[InstanciaSummary], keys: Sequence[str]) -> None:
        """The rows in the order the header shows, so the view need not sort them itself."""
        header = self.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        descending = order is Qt.SortOrder.DescendingOrder
        positions = self.model.sorted_order(rows, column, descending)
        ordered = tuple(rows[i] for i in positions)
        if ordered == self.model.records():
            return  # the same registry (read again once the profile opened): keep her place
        self.proxy.sort(-1)  # keep the source order: it is already the one shown
        self.model.set_rows(ordered, keys=[keys[i] for i in positions])
        header.blockSignals(True)  # the indicator only: no sorting again
        header.setSortIndicator(column, order)
        header.blockSignals(False)

    # ------------------------------------------------------------------ filtering
    def _apply(self) -> None:
        self.proxy.set_filter(
            InstanciaFilter(
                department=self.department.currentData() or "",
                province=self.province.currentData() or "",
                level=InstanciaLevel(self.level.currentData())
                if self.level.currentIndex()
                else None,
                stage=Stage(self.stage.currentData()) if self.stage.currentIndex() else None,
                text=self.search.text(),
                within=self._assigned if self.mine.isChecked() else (),
            )
        )
        self._update_status()

    def _update_status(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0:
            return
        if shown == 0:
            self.status.setText(
                _("Ninguna instancia coincide con los filtros. Pruebe con «Limpiar filtros».")
            )
            return
        text = (
            _("Mostrando {shown} de {total} instancias (solo sus territorios)")
            if self.mine.isChecked()
            else _("Mostrando {shown} de {total} instancias")
        )
        updating = _(" · actualizando…") if self._loads.busy else ""
        self.status.setText(text.format(shown=number(shown), total=number(total)) + updating)

    def clear_filters(self) -> None:
        """Show every instancia again."""
        for combo in (self.department, self.level, self.stage):
            combo.setCurrentIndex(0)
        self.mine.setChecked(False)
        self.search.clear()

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box, text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
