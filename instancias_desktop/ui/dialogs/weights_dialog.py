"""Weights of the priority criteria: a supervisor changes them; others see where they came from."""

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QWidget

from instancias_desktop.domain.enums import Criterion
from instancias_desktop.domain.priority import WeightsError
from instancias_desktop.domain.priority_views import WeightsInForce
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.i18n import _
from instancias_desktop.services.planning_api import PriorityService
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations


class WeightsDialog(ServiceDialog):
    """One spin box per criterion (0 to 100); read-only unless the user is a supervisor."""

    def __init__(
        self,
        ops: Operations,
        services: PriorityService,
        current: WeightsInForce,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, _("Pesos de los criterios de prioridad"), parent, name="weights")
        self._services = services
        when = (
            current.changed_at.astimezone().strftime(" el %d/%m/%Y") if current.changed_at else ""
        )
        origin = _("Pesos vigentes: {source}{when}.").format(source=current.source, when=when)
        if not current.editable:
            origin += " " + _(
                "Solo un(a) supervisor(a) puede cambiarlos; los vigentes llegan del servidor al "
                "sincronizar."
            )
        note = QLabel(origin, wordWrap=True)
        note.setObjectName("weightsOrigin")
        self.layout_.insertWidget(0, note)
        self.spins: dict[Criterion, QDoubleSpinBox] = {}
        values = current.weights.as_mapping()
        for criterion in Criterion:
            spin = QDoubleSpinBox(decimals=0, minimum=0, maximum=100, singleStep=5)
            spin.setObjectName(f"weight-{criterion.value}")
            spin.setValue(values.get(criterion.value, 0.0))
            spin.setEnabled(current.editable)
            self.spins[criterion] = spin
            self.add_field(
                criterion.value,
                criterion.label,
                spin,
                _(
                    "Cuánto pesa el criterio «{criterion}» en el puntaje de prioridad, de 0 a 100."
                ).format(criterion=criterion.label),
            )
        self.buttons.button(self.buttons.StandardButton.Save).setEnabled(current.editable)
        self.resize(520, self.sizeHint().height())

    def gather(self) -> Callable[[], Any]:
        """The weights typed, saved through the service (a WeightsError shows at the bottom)."""
        raw = {criterion.value: spin.value() for criterion, spin in self.spins.items()}
        services = self._services

        def save() -> object:
            try:
                return services.set_weights(raw)
            except WeightsError as error:
                raise ValidationError([FieldError("", str(error))]) from error

        return save
