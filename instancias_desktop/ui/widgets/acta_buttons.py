"""The visit editor's action row: what can be done with the acta as it stands."""

from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from instancias_desktop.i18n import _


@dataclass(frozen=True)
class ActaButtons:
    """A draft's actions (stage, delete, finalize) and the finalized acta's (addendum)."""

    stage: QPushButton
    delete: QPushButton
    pdf: QPushButton
    print: QPushButton
    addendum: QPushButton
    finalize: QPushButton

    def row(self) -> QHBoxLayout:
        """Draft work on the left; the paper and closing the acta on the right."""
        actions = QHBoxLayout()
        actions.addWidget(self.stage)
        actions.addWidget(self.delete)
        actions.addStretch(1)
        for button in (self.pdf, self.print, self.addendum, self.finalize):
            actions.addWidget(button)
        return actions

    def show_for(self, *, finalized: bool) -> None:
        """A finalized acta is only printed, or corrected by an addendum."""
        for button in (self.stage, self.finalize, self.delete):
            button.setVisible(not finalized)
        self.addendum.setVisible(finalized)


def _button(text: str, tip: str, name: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    if name:
        button.setObjectName(name)
    return button


def acta_buttons() -> ActaButtons:
    """The buttons, named and explained (the editor connects them)."""
    return ActaButtons(
        stage=_button(
            _("Actualizar &estado de la instancia…"),
            _(
                "Registrar en esta visita el nuevo estado de la instancia "
                "(creada, instalada…), con su fecha y su sustento"
            ),
        ),
        delete=_button(
            _("E&liminar borrador"),
            _("Eliminar este borrador; su número de acta no se vuelve a usar"),
        ),
        pdf=_button(
            _("Ver P&DF"), _("Abrir el acta en PDF en el visor del sistema"), "viewActaPdf"
        ),
        print=_button(_("&Imprimir acta…"), _("Imprimir el acta para la firma (Ctrl+P)")),
        addendum=_button(
            _("Crear a&denda"), _("Crear una adenda para corregir esta acta finalizada")
        ),
        finalize=_button(
            _("&Finalizar acta…"),
            _("Cerrar el acta: después ya no se modifica y solo se corrige con una adenda"),
            "primaryButton",
        ),
    )
