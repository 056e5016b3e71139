"""Add or edit an agreement of the visit."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from instancias_desktop.domain.agreements import STORABLE_STATES
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.domain.visit_views import AgreementView
from instancias_desktop.i18n import _
from instancias_desktop.services.api import VisitService
from instancias_desktop.ui.dialogs.participant_dialog import enum_combo
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField


class AgreementDialog(ServiceDialog):
    """Number, description, responsible, deadline, means of verification and state."""

    def __init__(
        self,
        ops: Operations,
        services: VisitService,
        visit_id: uuid.UUID,
        *,
        default_deadline: dt.date,
        editing: AgreementView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = (
            _("Editar acuerdo N° {n}").format(n=editing.number) if editing else _("Nuevo acuerdo")
        )
        super().__init__(ops, title, parent, name="agreement")
        self._services = services
        self._visit_id = visit_id
        self._editing = editing
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(80)
        self.responsible_entity = QLineEdit(maxLength=200)
        self.responsible_person = QLineEdit(maxLength=200)
        self.deadline = DateField(editing.deadline if editing else default_deadline)
        self.verification_means = QLineEdit()
        self.state = enum_combo(STORABLE_STATES, AgreementState.PENDING)
        for name, label, widget, description in (
            (
                "description",
                _("&Acuerdo"),
                self.description,
                _("Qué se acordó, tal como irá en el acta."),
            ),
            (
                "responsible_entity",
                _("&Entidad responsable"),
                self.responsible_entity,
                _("Entidad que debe cumplir el acuerdo."),
            ),
            (
                "responsible_person",
                _("&Persona responsable"),
                self.responsible_person,
                _("Persona o cargo a cargo de cumplirlo."),
            ),
            ("deadline", _("P&lazo"), self.deadline, _("Fecha límite para cumplir el acuerdo.")),
            (
                "verification_means",
                _("&Medio de verificación"),
                self.verification_means,
                _("Documento que probará que se cumplió, por ejemplo un acta de sesión."),
            ),
            (
                "state",
                _("E&stado"),
                self.state,
                _("En qué va el acuerdo: pendiente, en proceso, cumplido, reprogramado o anulado."),
            ),
        ):
            self.add_field(name, label, widget, description)
        if editing is not None:
            self.description.setPlainText(editing.description)
            self.responsible_entity.setText(editing.responsible_entity)
            self.responsible_person.setText(editing.responsible_person)
            self.verification_means.setText(editing.verification_means)
            self.state.setCurrentIndex(self.state.findData(editing.stored_state.value))
        self.resize(560, self.sizeHint().height())
        self.description.setFocus()

    def gather(self) -> Callable[[], Any]:
        """The agreement as typed."""
        data = AgreementInput(
            description=self.description.toPlainText(),
            responsible_entity=self.responsible_entity.text(),
            responsible_person=self.responsible_person.text(),
            deadline=self.deadline.day("deadline"),
            verification_means=self.verification_means.text(),
            state=AgreementState(self.state.currentData()),
        )
        services, visit_id = self._services, self._visit_id
        editing = self._editing.id if self._editing else None
        return lambda: services.save_agreement(visit_id, data, editing)
