"""«Cronograma de creación»: the agreed dates of the ordinance, installation and first session.

Each is shown against today and against what the records show done.
"""

import datetime as dt
import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RecordEditor
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField
from instancias_desktop.ui.widgets.typed_input import FieldInputError, format_day
from instancias_desktop.ui.widgets.visit_fields import error_label

# (field, objectName suffix, what is agreed) in the order of the schedule's milestones.
FIELDS = (
    ("target_creation_on", "Creation", _("la ordenanza de creación")),
    ("target_installation_on", "Installation", _("la instalación")),
    ("target_first_session_on", "FirstSession", _("la primera sesión")),
)


class SchedulePanel(QWidget):
    """Three optional dates with their status and «Guardar cronograma»."""

    saved = Signal(object)  # InstanciaDetail

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("schedulePanel")
        self._ops = ops
        self._services: RecordEditor | None = None
        self._instancia_id: uuid.UUID | None = None
        self.dates: dict[str, DateField] = {}
        self.states: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self._shown: dict[str, str] = {}  # each date as last shown from the database
        grid = QGridLayout()
        for row, (name, suffix, step) in enumerate(FIELDS):
            field = DateField(optional=True)
            field.setObjectName(f"schedule{suffix}")
            field.line.setObjectName(f"schedule{suffix}Line")  # unique in the window
            field.setAccessibleName(_("Fecha prevista para {step}").format(step=step))
            field.setAccessibleDescription(
                _("Fecha acordada con el gobierno para {step}; vacía si no hay una.").format(
                    step=step
                )
            )
            state = QLabel()
            state.setObjectName(f"scheduleState{suffix}")
            caption = QLabel()
            caption.setBuddy(field)
            self.dates[name], self.states[name], self.labels[name] = field, state, caption
            grid.addWidget(caption, row, 0)
            grid.addWidget(field, row, 1)
            grid.addWidget(state, row, 2)
        grid.setColumnStretch(2, 1)
        intro = QLabel(
            _(
                "Fechas acordadas con el gobierno mientras la instancia no está creada, "
                "instalada o no ha sesionado. Cada paso se da por cumplido cuando los "
                "registros lo muestran (su norma de creación o un hito «Creada»; un hito "
                "«Instalada»; una sesión)."
            )
        )
        intro.setWordWrap(True)
        self.error = error_label()
        self.save_button = QPushButton(_("&Guardar cronograma"))
        self.save_button.setObjectName("saveSchedule")
        self.save_button.setToolTip(_("Guardar las fechas acordadas (se envían al sincronizar)"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(grid)
        column.addWidget(self.error)
        column.addLayout(buttons)
        column.addStretch(1)
        self.save_button.clicked.connect(lambda _checked: self.save())

    def attach(self, services: RecordEditor) -> None:
        """Save through an opened profile."""
        self._services = services

    def show_detail(self, detail: InstanciaDetail) -> None:
        """The agreed dates and how each stands today."""
        other = detail.summary.id != self._instancia_id
        if other:  # a reload of the same instancia keeps what to fix on screen
            self.error.setVisible(False)
        self._instancia_id = detail.summary.id
        today = detail.today or dt.date.today()
        for (name, _suffix, _step), milestone in zip(FIELDS, detail.schedule, strict=True):
            self.labels[name].setText(milestone.label + ":")
            field, stored = self.dates[name], format_day(milestone.target)
            if other or field.text() == self._shown.get(name, ""):  # not being edited
                field.set_day(milestone.target)
            self._shown[name] = stored
            late = milestone.overdue(today)
            self.states[name].setText(
                f"<b>{milestone.status(today)}</b>" if late else milestone.status(today)
            )

    def save(self) -> None:
        """Send the dates as typed."""
        services, instancia_id = self._services, self._instancia_id
        if services is None or instancia_id is None:
            return
        try:
            dates = {name: field.read(name) for name, field in self.dates.items()}
        except FieldInputError as error:
            self.error.setText(error.message)
            self.error.setVisible(True)
            return
        self.error.setVisible(False)
        self._ops.run(
            lambda: services.set_schedule(instancia_id, dates), self.saved.emit, self._refused,
            owner=self,
        )  # fmt: skip

    def _refused(self, error: Exception) -> None:
        """What to fix, under the dates; nothing was stored."""
        if isinstance(error, ValidationError):
            self.error.setText("\n".join(e.message for e in error.errors))
        else:
            self.error.setText(_("No se guardó el cronograma: {e}").format(e=error))
        self.error.setVisible(True)
