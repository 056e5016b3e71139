"""Her full name and post, asked once: the acta prints them as who finalized it."""

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from instancias_desktop.domain.identity import IDENTITY_LIMIT, Identity
from instancias_desktop.i18n import _
from instancias_desktop.services.api import VisitService
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations


class IdentityDialog(ServiceDialog):
    """Nombres y apellidos, cargo; kept in the profile (the server account may fill them)."""

    def __init__(
        self,
        ops: Operations,
        services: VisitService,
        current: Identity,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, _("Quién firma las actas"), parent, name="identity")
        self.setObjectName("identityDialog")
        self._services = services
        intro = QLabel(
            _(
                "El acta finalizada dice quién la finalizó. Escriba su nombre completo y su "
                "cargo como deben figurar; se piden una sola vez en este equipo. Si su cuenta "
                "del servidor los tiene registrados, se toman de ella al inscribir el equipo."
            ),
            wordWrap=True,
        )
        self.layout_.insertWidget(0, intro)
        self.full_name = QLineEdit(current.full_name, maxLength=IDENTITY_LIMIT)
        self.full_name.setObjectName("identityFullName")
        self.full_name.setPlaceholderText(_("por ejemplo, María Quispe Huamán"))
        self.post = QLineEdit(current.post, maxLength=IDENTITY_LIMIT)
        self.post.setObjectName("identityPost")
        self.post.setPlaceholderText(_("por ejemplo, Especialista de la DPVLV"))
        self.add_field(
            "full_name",
            _("&Nombres y apellidos"),
            self.full_name,
            _("Su nombre completo, como debe figurar en las actas que finalice."),
        )
        self.add_field(
            "post",
            _("&Cargo"),
            self.post,
            _("Su cargo, como debe figurar en las actas que finalice."),
        )
        self.resize(520, self.sizeHint().height())
        self.full_name.setFocus()

    def gather(self) -> Callable[[], Any]:
        """The name and post as typed."""
        services, name, post = self._services, self.full_name.text(), self.post.text()
        return lambda: services.set_identity(name, post)
