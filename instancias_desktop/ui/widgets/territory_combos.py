"""Department and province choosers: the province list follows the department chosen."""

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox

from instancias_desktop.i18n import _
from instancias_desktop.services.api import TerritoryOptions


class TerritoryCombos(QObject):
    """Two combos; ``changed`` fires once per choice, after the provinces were refilled."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.department, self.province = QComboBox(), QComboBox()
        self._options: TerritoryOptions | None = None
        self.department.addItem(_("Todos los departamentos"), "")
        self._fill_provinces()
        self.department.currentIndexChanged.connect(self._on_department)
        self.province.currentIndexChanged.connect(lambda _i: self.changed.emit())

    @property
    def options(self) -> TerritoryOptions | None:
        """The departments and provinces offered."""
        return self._options

    def set_options(self, options: TerritoryOptions) -> None:
        """Offer these territories; a choice still offered stays chosen."""
        self._options = options
        current = self.department.currentData()
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem(_("Todos los departamentos"), "")
        for territory in options.departments:
            self.department.addItem(territory.name, territory.code)
        self.department.setCurrentIndex(max(0, self.department.findData(current)))
        self.department.blockSignals(False)
        self._fill_provinces()

    def prefix(self) -> str:
        """The ubigeo prefix chosen: the province's, else the department's, else ''."""
        return str(self.province.currentData() or self.department.currentData() or "")

    def _on_department(self, _index: int) -> None:
        self._fill_provinces()
        self.changed.emit()

    def _fill_provinces(self) -> None:
        department = self.department.currentData() or ""
        current = self.province.currentData()
        provinces = self._options.provinces if self._options and department else ()
        self.province.blockSignals(True)
        self.province.clear()
        self.province.addItem(_("Todas las provincias"), "")
        for territory in provinces:
            if territory.code.startswith(department):
                self.province.addItem(territory.name, territory.code)
        # Kept only while it still belongs to the chosen department.
        self.province.setCurrentIndex(max(0, self.province.findData(current)))
        self.province.setEnabled(bool(department))
        self.province.blockSignals(False)
