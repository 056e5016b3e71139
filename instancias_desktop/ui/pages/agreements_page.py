"""Agreements of every visit: filter, see what is overdue, follow up, open the acta, export."""

import datetime as dt
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.agreement_filters import (
    OPEN,
    AgreementFilter,
    DeadlineWindow,
    due_soon,
)
from instancias_desktop.domain.agreements import STORABLE_STATES
from instancias_desktop.domain.documents import ExportedList
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import AgreementLine
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RegistryReader
from instancias_desktop.services.planning_api import ExportService, FollowUpService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.exports import ExportChooser, choose_export_target
from instancias_desktop.ui.locale import number
from instancias_desktop.ui.models.agreement_columns import LINE_COLUMNS, line_search_key
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.widgets.follow_up_panel import FollowUpPanel
from instancias_desktop.ui.widgets.territory_combos import TerritoryCombos

AREAS = frozenset({Area.AGREEMENTS, Area.VISITS})
TYPING_PAUSE_MS = 150


class AgreementServices(FollowUpService, ExportService, RegistryReader, Protocol):
    """What the agreements page uses."""


class AgreementsPage(QWidget):
    """Every agreement; overdue ones in red; Enter opens the acta it comes from."""

    loaded = Signal()
    open_visit = Signal(object)  # uuid.UUID

    def __init__(
        self,
        ops: Operations,
        choose_target: ExportChooser = choose_export_target,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._choose_target = choose_target
        self._services: AgreementServices | None = None
        self._loads = Latest(ops, self)
        self._today = dt.date.min
        title = QLabel(_("Acuerdos de todas las visitas"))
        title.setObjectName("pageTitle")
        self.search = QLineEdit(
            placeholderText=_("Buscar por acta, instancia, territorio o texto del acuerdo"),
            clearButtonEnabled=True,
        )
        self.responsible = QLineEdit(
            placeholderText=_("Entidad o persona responsable"), clearButtonEnabled=True
        )
        self.territory = TerritoryCombos(self)
        self.department, self.province = self.territory.department, self.territory.province
        self.state, self.due = QComboBox(), QComboBox()
        self._fill_choices()
        self.panel = FollowUpPanel(
            ops,
            LINE_COLUMNS,
            _("Acuerdos"),
            object_name="allAgreements",
            description=_(
                "Los acuerdos de todas las visitas que cumplen los filtros, con su plazo y su "
                "estado; el historial del seleccionado se muestra debajo."
            ),
            search_key=line_search_key,
            enter_opens_origin=True,
        )
        self.panel.table.setSortingEnabled(True)
        self.status = QLabel(_("Cargando acuerdos…"))
        self.status.setWordWrap(True)  # an export names its file and what it holds
        self.status.setObjectName("pageStatus")
        self.export_button = QPushButton(_("E&xportar lo mostrado…"))
        self.export_button.setObjectName("exportAgreements")
        self.export_button.setToolTip(_("Guardar los acuerdos mostrados en Excel (.xlsx) o CSV"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(self._filters())
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.status)
        # Typing filters after a short pause: tens of thousands of rows are not re-read per key.
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._apply)
        for edit in (self.search, self.responsible):
            edit.textChanged.connect(lambda _text: self._typing.start())
        self.territory.changed.connect(self._apply)
        for combo in (self.state, self.due):
            combo.currentIndexChanged.connect(self._apply)
        self.panel.open_visit.connect(self.open_visit)
        self.export_button.clicked.connect(lambda _checked: self.export())
        self._follower = ops.follow(self, AREAS, self.reload)

    def _fill_choices(self) -> None:
        self.state.addItem(_("Todos los estados"), "")
        self.state.addItem(_("Abiertos (por cumplir)"), OPEN)
        for state in (*STORABLE_STATES[:3], AgreementState.OVERDUE, *STORABLE_STATES[3:]):
            self.state.addItem(state.label, state.value)
        for window in DeadlineWindow:
            self.due.addItem(window.label, window.value)

    def _filters(self) -> QGridLayout:
        """Two rows: the text boxes wide enough to read what is typed, then the lists."""
        grid = QGridLayout()
        rows: tuple[tuple[tuple[str, QWidget, int, str, str], ...], ...] = (
            (
                (
                    _("&Buscar"),
                    self.search,
                    2,
                    "agreementsSearch",
                    _(
                        "Mostrar solo los acuerdos que contienen todas las palabras escritas, en "
                        "su acta, su instancia, su territorio o su texto (Ctrl+F)"
                    ),
                ),
                (
                    _("&Responsable"),
                    self.responsible,
                    2,
                    "agreementsResponsible",
                    _(
                        "Mostrar solo los acuerdos cuya entidad o persona responsable contiene "
                        "las palabras escritas"
                    ),
                ),
            ),
            (
                (
                    _("&Departamento"),
                    self.department,
                    1,
                    "agreementsDepartment",
                    _("Mostrar solo los acuerdos de instancias de un departamento"),
                ),
                (
                    _("Pro&vincia"),
                    self.province,
                    1,
                    "agreementsProvince",
                    _("Mostrar solo los acuerdos de una provincia del departamento elegido"),
                ),
                (
                    _("&Estado"),
                    self.state,
                    1,
                    "agreementsState",
                    _(
                        "Mostrar solo los acuerdos en un estado; «Abiertos» reúne los que "
                        "faltan cumplir"
                    ),
                ),
                (
                    _("&Plazo"),
                    self.due,
                    1,
                    "agreementsDue",
                    _("Mostrar solo los acuerdos vencidos o los que vencen en el plazo elegido"),
                ),
            ),
        )
        for row, fields in enumerate(rows):
            column = 0
            for text, widget, span, object_name, tip in fields:
                widget.setObjectName(object_name)
                label = QLabel(text)
                label.setBuddy(widget)
                widget.setAccessibleName(text.replace("&", ""))
                widget.setToolTip(tip)
                grid.addWidget(label, 2 * row, column, 1, span)
                grid.addWidget(widget, 2 * row + 1, column, 1, span)
                column += span
        grid.addWidget(self.export_button, 1, 4)
        for column in range(4):
            grid.setColumnStretch(column, 1)
        return grid

    def attach(self, services: AgreementServices) -> None:
        """Show the agreements of an opened profile."""
        self._services = services
        self.panel.attach(services)
        self._ops.run(services.territory_options, self.territory.set_options, owner=self)
        self._follower.request()  # read when first shown

    def reload(self) -> None:
        """Read every agreement again, off the GUI thread."""
        services = self._services
        if services is None:
            return
        source = self.panel.table.source

        def load() -> tuple[dt.date, tuple[AgreementLine, ...], tuple[str, ...]]:
            lines = services.agreement_lines()
            return services.today(), lines, source.search_keys(lines)  # folded off the GUI

        self._loads.run(load, self._show)
        if source.rowCount():
            self._update_status()  # «actualizando…» while the list shown may be stale

    def _show(self, result: tuple[dt.date, tuple[AgreementLine, ...], tuple[str, ...]]) -> None:
        self._today, lines, keys = result
        self.panel.table.set_records(lines, keys_later=True)
        self.panel.table.source.set_search_keys(keys)
        self._apply(force=True)
        self.loaded.emit()

    def current_filter(self) -> AgreementFilter:
        """The filter the widgets describe."""
        return AgreementFilter(
            text=self.search.text(),
            responsible=self.responsible.text(),
            territory=self.territory.prefix(),
            state=self.state.currentData() or "",
            window=DeadlineWindow(self.due.currentData()),
        )

    def _apply(self, *_args: object, force: bool = False) -> None:
        wanted, today = self.current_filter(), self._today
        token = object() if force else (wanted, today)  # new rows: always filter again
        self.panel.table.proxy.set_predicate(
            token, lambda line, key: wanted.accepts(line, key, today)
        )
        self._update_status()

    def shown(self) -> list[AgreementLine]:
        """The agreements on screen, in their on-screen order."""
        return self.panel.table.shown_records()

    def _update_status(self) -> None:
        every = self.panel.table.source.records()
        shown = self.shown()
        overdue = sum(1 for line in shown if line.state is AgreementState.OVERDUE)
        self.status.setText(
            _(
                "Mostrando {shown} de {total} acuerdos · {overdue} vencidos · "
                "{soon} vencen en los próximos 7 días"
            ).format(
                shown=number(len(shown)),
                total=number(len(every)),
                overdue=number(overdue),
                soon=number(due_soon(shown, self._today)),
            )
            + (_(" · actualizando…") if self._loads.busy else "")
        )

    def export(self) -> None:
        """Save what is shown to a file the user chooses."""
        services = self._services
        if services is None:
            return
        target = self._choose_target(self, f"acuerdos-{self._today.isoformat()}.xlsx")
        if target is None:
            return
        lines = tuple(self.shown())

        def done(exported: ExportedList) -> None:
            self.status.setText(exported.message)

        self._ops.run(lambda: services.export_agreements(lines, target), done, owner=self)

    def focus_search(self) -> None:
        """Ctrl+F."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
