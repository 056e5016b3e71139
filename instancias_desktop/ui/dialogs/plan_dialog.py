"""Put instancias in the visit plan on a date, or change a planned visit's date and note."""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from instancias_desktop.i18n import _
from instancias_desktop.services.planning_api import PlanService
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField


def next_working_day(today: dt.date) -> dt.date:
    """Tomorrow, or Monday when tomorrow falls on a weekend: the default date of a plan."""
    day = today + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


class PlanDialog(ServiceDialog):
    """Date and note; «Guardar» adds the instancias to the plan or reschedules the entry."""

    def __init__(
        self,
        ops: Operations,
        services: PlanService,
        *,
        names: Sequence[str],
        today: dt.date,
        instancia_ids: Sequence[uuid.UUID] = (),
        entry: tuple[uuid.UUID, dt.date, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _("Cambiar la visita planificada") if entry else _("Agregar al plan de visitas")
        super().__init__(ops, title, parent, name="plan")
        self._services = services
        self._ids = tuple(instancia_ids)
        self._entry = entry
        listing = QLabel("\n".join(f"• {name}" for name in names), wordWrap=True)
        listing.setObjectName("planInstancias")
        self.layout_.insertWidget(0, listing)
        self.planned_on = DateField(entry[1] if entry else next_working_day(today))
        self.note = QPlainTextEdit(entry[2] if entry else "")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(_("Objetivo o nota para la visita (pasa al acta)"))
        self.note.setMinimumHeight(70)
        self.add_field(
            "planned_on", _("&Fecha"), self.planned_on, _("Día en que se planifica la visita.")
        )
        self.add_field(
            "note",
            _("&Nota"),
            self.note,
            _("Objetivo o nota para la visita; al iniciarla, pasa al objetivo del acta."),
        )
        self.resize(520, self.sizeHint().height())
        self.planned_on.setFocus()

    def gather(self) -> Callable[[], Any]:
        """Add or reschedule, as asked."""
        services, day, note = (
            self._services,
            self.planned_on.day("planned_on"),
            self.note.toPlainText(),
        )
        if self._entry is not None:
            entry_id = self._entry[0]
            return lambda: services.reschedule_planned(entry_id, day, note)
        ids = self._ids
        return lambda: services.add_to_plan(ids, day, note)
