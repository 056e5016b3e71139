"""Record progress on an agreement: date, state reached, new deadline, evidence and a note."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from instancias_desktop.domain.agreements import STORABLE_STATES
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import AgreementLine, FollowUpInput
from instancias_desktop.i18n import _
from instancias_desktop.services.planning_api import FollowUpService
from instancias_desktop.ui.dialogs.participant_dialog import enum_combo
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField


class FollowUpDialog(ServiceDialog):
    """Appends a follow-up; in a visit it is recorded as part of that visit."""

    def __init__(
        self,
        ops: Operations,
        services: FollowUpService,
        agreement: AgreementLine,
        *,
        today: dt.date,
        visit_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ops,
            _("Seguimiento del acuerdo N° {n} del acta {acta}").format(
                n=agreement.number, acta=agreement.acta_number
            ),
            parent,
            name="followUp",
        )
        self._services = services
        self._agreement_id = agreement.id
        self._visit_id = visit_id
        summary = QLabel(
            _("«{text}» · Responsable: {who} · Plazo: {deadline} · Estado: {state}").format(
                text=agreement.description,
                who=agreement.responsible_entity,
                deadline=agreement.deadline.strftime("%d/%m/%Y"),
                state=agreement.state.label,
            ),
            wordWrap=True,
        )
        summary.setObjectName("followUpSummary")
        self.layout_.insertWidget(0, summary)
        self.recorded_on = DateField(today)
        current = agreement.state if agreement.state in STORABLE_STATES else AgreementState.PENDING
        self.state = enum_combo(STORABLE_STATES, current)
        self.new_deadline = DateField(max(agreement.deadline, today) + dt.timedelta(days=30))
        self.evidence = QLineEdit(maxLength=200)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(70)
        for name, label, widget, description in (
            ("recorded_on", _("&Fecha"), self.recorded_on, _("Día en que se constató el avance.")),
            (
                "state",
                _("&Estado alcanzado"),
                self.state,
                _("En qué quedó el acuerdo; «Reprogramado» permite escribir un nuevo plazo."),
            ),
            (
                "new_deadline",
                _("&Nuevo plazo"),
                self.new_deadline,
                _("La nueva fecha límite; solo se escribe si el acuerdo se reprogramó."),
            ),
            (
                "evidence",
                _("&Medio de verificación"),
                self.evidence,
                _("Documento que prueba el avance, por ejemplo un decreto o un acta de sesión."),
            ),
            ("note", _("&Observación"), self.note, _("Comentario sobre el avance (opcional).")),
        ):
            self.add_field(name, label, widget, description)
        self.state.currentIndexChanged.connect(self._state_changed)
        self._state_changed()
        self.resize(560, self.sizeHint().height())
        self.state.setFocus()

    def _state_changed(self, *_args: object) -> None:
        rescheduled = self.state.currentData() == AgreementState.RESCHEDULED.value
        self.new_deadline.setEnabled(rescheduled)

    def gather(self) -> Callable[[], Any]:
        """The follow-up as typed."""
        state = AgreementState(self.state.currentData())
        data = FollowUpInput(
            recorded_on=self.recorded_on.day("recorded_on"),
            state=state,
            new_deadline=self.new_deadline.day("new_deadline")
            if state is AgreementState.RESCHEDULED
            else None,
            evidence=self.evidence.text(),
            note=self.note.toPlainText(),
        )
        services, agreement_id, visit_id = self._services, self._agreement_id, self._visit_id
        return lambda: services.record_follow_up(agreement_id, data, visit_id)
