"""Update the instancia's stage from a visit: the new stage, its date and its evidence."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from instancias_desktop.domain.enums import InstanciaLevel, NormType, Stage
from instancias_desktop.domain.instancia_records import NORM_TYPES_BY_LEVEL
from instancias_desktop.domain.visit_inputs import NormInput, StageEventInput
from instancias_desktop.i18n import _
from instancias_desktop.services.api import VisitService
from instancias_desktop.ui.dialogs.participant_dialog import enum_combo
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField

_NEXT = {
    Stage.NOT_CREATED: Stage.CREATED,
    Stage.CREATED: Stage.INSTALLED,
    Stage.INSTALLED: Stage.FUNCTIONING,
    Stage.FUNCTIONING: Stage.FUNCTIONING,
    Stage.INACTIVE: Stage.REACTIVATED,
    Stage.REACTIVATED: Stage.FUNCTIONING,
}


class StageEventDialog(ServiceDialog):
    """Appends a hito to the instancia's history, linked to the visit."""

    def __init__(
        self,
        ops: Operations,
        services: VisitService,
        visit_id: uuid.UUID,
        *,
        current: Stage,
        level: InstanciaLevel,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, _("Actualizar el estado de la instancia"), parent, name="stageEvent")
        self._services = services
        self._visit_id = visit_id
        self.stage = enum_combo(Stage, _NEXT[current])
        self.event_date = DateField(today)
        self.evidence = QLineEdit(maxLength=200)
        self.evidence.setPlaceholderText(
            _("p. ej. Acta de instalación; sin norma de creación, diga por qué falta")
        )
        self.with_norm = QCheckBox(_("Sustentado en una norma (ordenanza, decreto…)"))
        types = NORM_TYPES_BY_LEVEL[level]
        self.norm_type = enum_combo(types, types[0])  # the level's ordinance
        self.norm_number = QLineEdit(maxLength=100)
        self.norm_number.setPlaceholderText(_("p. ej. 003-2025-MDPO"))
        self.norm_date = DateField(today)
        self.norm_body = QLineEdit(maxLength=200)
        for name, label, widget, description in (
            ("stage", _("&Nuevo estado"), self.stage, _("Estado al que pasa la instancia.")),
            (
                "event_date",
                _("&Fecha del hito"),
                self.event_date,
                _("Día en que la instancia pasó a ese estado (su creación, su instalación…)."),
            ),
            (
                "evidence",
                _("&Medio de verificación"),
                self.evidence,
                _("Documento que prueba el cambio de estado."),
            ),
            (
                "with_norm",
                _("N&orma"),
                self.with_norm,
                _("Márquelo si el cambio se sustenta en una norma; habilita sus datos debajo."),
            ),
            (
                "norm_norm_type",
                _("&Tipo de norma"),
                self.norm_type,
                _("Clase de la norma: las que emite el gobierno de este nivel."),
            ),
            ("norm_number", _("N° de &norma"), self.norm_number, _("Número de la norma.")),
            (
                "norm_issued_on",
                _("Fecha de la n&orma"),
                self.norm_date,
                _("Día en que se emitió la norma."),
            ),
            (
                "norm_issuing_body",
                _("&Emitida por"),
                self.norm_body,
                _("Gobierno u órgano que emitió la norma, por ejemplo el concejo municipal."),
            ),
        ):
            self.add_field(name, label, widget, description)
        self.with_norm.toggled.connect(self._toggle_norm)
        self.with_norm.setChecked(_NEXT[current] is Stage.CREATED)
        self._toggle_norm(self.with_norm.isChecked())
        self.resize(520, self.sizeHint().height())

    def _toggle_norm(self, on: bool) -> None:
        for widget in (self.norm_type, self.norm_number, self.norm_date, self.norm_body):
            widget.setEnabled(on)

    def gather(self) -> Callable[[], Any]:
        """The hito as typed."""
        norm = None
        if self.with_norm.isChecked():
            norm = NormInput(
                norm_type=NormType(self.norm_type.currentData()),
                number=self.norm_number.text(),
                issued_on=self.norm_date.day("norm_issued_on"),
                issuing_body=self.norm_body.text(),
            )
        data = StageEventInput(
            stage=Stage(self.stage.currentData()),
            event_date=self.event_date.day("event_date"),
            evidence=self.evidence.text(),
            norm=norm,
        )
        services, visit_id = self._services, self._visit_id
        return lambda: services.record_stage_event(visit_id, data)
