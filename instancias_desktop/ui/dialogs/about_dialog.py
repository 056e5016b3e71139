"""«Acerca de»: which version of the app this is, with its catalogues and fichas (for support)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from instancias_desktop.domain.readmodels import AboutInfo
from instancias_desktop.i18n import _


def about_text(version: str, about: AboutInfo | None) -> str:
    """What the dialog says, as plain lines a person can read aloud to support."""
    lines = [_("Instancias de Concertación — registro de asistencia técnica (MIMP)"),
             _("Versión de la aplicación: {version}").format(version=version)]  # fmt: skip
    if about is None:
        lines.append(_("Los catálogos y las fichas se muestran cuando el perfil está abierto."))
        return "\n".join(lines)
    lines.append(_("Catálogos:"))
    lines += [f"  {label}: {version}" for label, version, _source in about.catalogues]
    lines.append(_("Fichas de funcionamiento:"))
    lines += [
        "  " + _("{form}: versiones {versions}").format(
            form=form, versions=", ".join(str(v) for v in versions)
        )
        for form, versions in about.forms
    ]  # fmt: skip
    return "\n".join(lines)


class AboutDialog(QDialog):
    """The version lines, selectable (to copy into a message to support), and «Cerrar»."""

    def __init__(self, version: str, about: AboutInfo | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(_("Acerca de"))
        text = QLabel(about_text(version, about))
        text.setObjectName("aboutText")
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)  # fmt: skip
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Cerrar"))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
