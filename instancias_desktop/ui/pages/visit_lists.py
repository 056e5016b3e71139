"""The list tabs of the visit editor: participants, agreements and annexes, with their dialogs."""

import datetime as dt
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QWidget

from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import AttachmentKind
from instancias_desktop.domain.follow_ups import AgreementLine
from instancias_desktop.domain.instancia_records import norm_types
from instancias_desktop.domain.visit_views import (
    AgreementView,
    AttachmentView,
    ParticipantView,
    VisitDetail,
)
from instancias_desktop.i18n import _
from instancias_desktop.services.api import VisitEditing
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.agreement_dialog import AgreementDialog
from instancias_desktop.ui.dialogs.annex_file import FileChooser
from instancias_desktop.ui.dialogs.participant_dialog import ParticipantDialog, enum_combo
from instancias_desktop.ui.dialogs.stage_event_dialog import StageEventDialog
from instancias_desktop.ui.image_shrink import ask_with_box, large_photo, reduced_copy
from instancias_desktop.ui.models.agreement_columns import FOLLOW_COLUMNS
from instancias_desktop.ui.models.visit_columns import (
    AGREEMENT_COLUMNS,
    ATTACHMENT_COLUMNS,
    PARTICIPANT_COLUMNS,
    participant_tooltip,
)
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.follow_up_panel import FollowUpPanel
from instancias_desktop.ui.widgets.list_section import ListSection

DEFAULT_DEADLINE_DAYS = 30


class VisitLists(QObject):
    """Owns the three list tabs and opens the dialogs that change them."""

    def __init__(self, ops: Operations, page: QWidget, choose_file: FileChooser) -> None:
        super().__init__(page)
        self._ops = ops
        self._page = page
        self._choose_file = choose_file
        self.ask_shrink = ask_with_box  # consent to reduce a large photo (tests answer it)
        self._services: VisitEditing | None = None
        self.detail: VisitDetail | None = None
        self.dialog: QDialog | None = None
        self.message = ""  # the last error shown to the user (also in the status bar)
        self.participants = ListSection(
            PARTICIPANT_COLUMNS,
            _("Participantes"),
            tooltip=participant_tooltip,
            object_name="participants",
            description=_(
                "Lista de asistencia de la visita, en el orden del acta. Intro o doble clic "
                "edita al participante seleccionado; Insert agrega a otro, Supr lo quita, "
                "Alt+↑ y Alt+↓ lo mueven en la lista."
            ),
        )
        p = self.participants
        p.add_action(
            "add",
            _("&Agregar participante…"),
            self.add_participant,
            shortcut="Ins",
            tip=_(
                "Registrar a una persona en la lista de asistencia; se la puede buscar entre "
                "quienes asistieron a visitas anteriores"
            ),
        )
        p.add_action(
            "edit",
            _("Edi&tar…"),
            self.edit_participant,
            needs_row=True,
            tip=_("Corregir los datos del participante seleccionado (también Intro en la lista)"),
        )
        p.add_action(
            "remove",
            _("&Quitar"),
            self.remove_participant,
            shortcut="Del",
            needs_row=True,
            tip=_("Quitar al participante seleccionado de la lista de asistencia"),
        )
        p.add_moves(
            self.move_participant,
            what=_("al participante seleccionado un lugar en la lista de asistencia"),
        )
        p.table.opened.connect(lambda _r: self.edit_participant())
        self.agreements = ListSection(
            AGREEMENT_COLUMNS,
            _("Acuerdos"),
            object_name="agreements",
            description=_(
                "Acuerdos tomados en esta visita, numerados como en el acta. Intro o doble clic "
                "edita el acuerdo seleccionado; Insert agrega otro y Supr lo quita."
            ),
        )
        a = self.agreements
        a.add_action(
            "add",
            _("&Agregar acuerdo…"),
            self.add_agreement,
            shortcut="Ins",
            tip=_("Registrar un acuerdo con su responsable, su plazo y su medio de verificación"),
        )
        a.add_action(
            "edit",
            _("Edi&tar…"),
            self.edit_agreement,
            needs_row=True,
            tip=_("Corregir el acuerdo seleccionado (también Intro en la lista)"),
        )
        a.add_action(
            "remove",
            _("&Quitar"),
            self.remove_agreement,
            shortcut="Del",
            needs_row=True,
            tip=_("Quitar el acuerdo seleccionado del acta"),
        )
        a.table.opened.connect(lambda _r: self.edit_agreement())
        self.attachments = ListSection(
            ATTACHMENT_COLUMNS,
            _("Anexos"),
            object_name="attachments",
            description=_(
                "Archivos anexados al acta: el acta firmada, la lista de asistencia, fotos y "
                "documentos. Intro o doble clic abre el anexo seleccionado en el visor del "
                "sistema; Supr lo quita."
            ),
        )
        self.kind = enum_combo(AttachmentKind, AttachmentKind.SIGNED_ACTA)
        self.kind.setObjectName("attachmentKind")
        self.kind.setAccessibleName(_("Tipo de anexo"))
        self.kind.setToolTip(
            _("Qué es el próximo archivo que se adjunte: elíjalo antes de «Adjuntar archivo…»")
        )
        f = self.attachments
        f.add_action(
            "attach",
            _("A&djuntar archivo…"),
            self.attach_file,
            widget=self.kind,
            tip=_(
                "Elegir un archivo del equipo y anexarlo al acta con el tipo elegido arriba; "
                "una foto grande puede reducirse, si usted acepta"
            ),
        )
        f.add_action(
            "open",
            _("A&brir"),
            self.open_attachment,
            needs_row=True,
            tip=_(
                "Abrir una copia del anexo seleccionado en el visor del sistema (también "
                "Intro en la lista)"
            ),
        )
        f.add_action(
            "remove",
            _("&Quitar"),
            self.remove_attachment,
            shortcut="Del",
            needs_row=True,
            tip=_("Quitar el anexo seleccionado del acta"),
        )
        f.table.opened.connect(lambda _r: self.open_attachment())
        self.follow_ups = FollowUpPanel(
            ops,
            FOLLOW_COLUMNS,
            _("Acuerdos anteriores por seguir"),
            object_name="followUps",
            description=_("Acuerdos aún abiertos de las visitas anteriores a esta instancia."),
        )
        # No area of its own: each opening of a visit asks, and it reads once it is on screen.
        self._follow_ups_due = ops.follow(self.follow_ups, (), self._load_follow_ups)

    def attach(self, services: VisitEditing) -> None:
        """Work on an opened profile."""
        self._services = services

    def show(self, detail: VisitDetail) -> None:
        """Fill the tabs from a freshly read visit."""
        self.detail = detail
        self.participants.table.set_records(detail.participants)
        self.agreements.table.set_records(detail.agreements)
        self.attachments.table.set_records(detail.attachments)
        services, visit_id = self._services, detail.visit.id
        if services is None:
            return
        self.follow_ups.attach(services, visit_id)
        self._follow_ups_due.request()  # read when tab 8 is shown: not on every opening

    def _load_follow_ups(self) -> None:
        services, visit_id = self._services, self._visit_id()
        if services is None or visit_id is None:
            return
        self._ops.run(
            lambda: services.agreements_to_follow(visit_id),
            lambda lines: self._show_follow_ups(visit_id, lines),
            self._failed,
            owner=self,
        )

    def _show_follow_ups(self, visit_id: uuid.UUID, lines: tuple[AgreementLine, ...]) -> None:
        if self._visit_id() == visit_id:
            self.follow_ups.set_lines(lines)

    def set_editable(self, editable: bool) -> None:
        """A finalized acta keeps only what reads."""
        self.participants.set_editable(editable)
        self.agreements.set_editable(editable)
        self.attachments.set_editable(editable, keep=("open",))
        self.kind.setEnabled(editable)
        self.follow_ups.set_editable(editable)

    # ------------------------------------------------------------------ helpers
    def _visit_id(self) -> uuid.UUID | None:
        return self.detail.visit.id if self.detail else None

    def _run(self, work: Callable[[], Any], areas: frozenset[Area]) -> None:
        self._ops.run(work, lambda _r: self._ops.announce(areas), self._failed, owner=self)

    def _failed(self, error: Exception) -> None:
        self.message = str(error)
        self._ops.failed.emit(self.message)

    def _open(self, dialog: QDialog, areas: frozenset[Area]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._ops.announce(areas))
        dialog.open()

    # ------------------------------------------------------------------ participants
    def add_participant(self, editing: ParticipantView | None = None) -> None:
        """Open the participant dialog (empty, or on the selected participant)."""
        visit_id = self._visit_id()
        if self._services is None or visit_id is None:
            return
        dialog = ParticipantDialog(self._ops, self._services, visit_id, editing, self._page)
        self._open(dialog, frozenset({Area.VISITS}))

    def edit_participant(self) -> None:
        """Edit the selected participant."""
        selected = self.participants.table.selected_record()
        if selected is not None and self.participants.buttons["edit"].isEnabled():
            self.add_participant(selected)

    def remove_participant(self) -> None:
        """Take the selected participant off the list."""
        selected = self.participants.table.selected_record()
        if self._services is not None and selected is not None:
            services = self._services
            self._run(lambda: services.remove_participant(selected.id), frozenset({Area.VISITS}))

    def move_participant(self, offset: int) -> None:
        """Move the selected participant up or down."""
        selected = self.participants.table.selected_record()
        if self._services is not None and selected is not None:
            services = self._services
            self._run(
                lambda: services.move_participant(selected.id, offset), frozenset({Area.VISITS})
            )

    # ------------------------------------------------------------------ agreements
    def add_agreement(self, editing: AgreementView | None = None) -> None:
        """Open the agreement dialog."""
        visit_id = self._visit_id()
        if self._services is None or visit_id is None or self.detail is None:
            return
        deadline = self.detail.visit.visit_date + dt.timedelta(days=DEFAULT_DEADLINE_DAYS)
        dialog = AgreementDialog(
            self._ops,
            self._services,
            visit_id,
            default_deadline=deadline,
            editing=editing,
            parent=self._page,
        )
        self._open(dialog, frozenset({Area.VISITS, Area.AGREEMENTS}))

    def edit_agreement(self) -> None:
        """Edit the selected agreement."""
        selected = self.agreements.table.selected_record()
        if selected is not None and self.agreements.buttons["edit"].isEnabled():
            self.add_agreement(selected)

    def remove_agreement(self) -> None:
        """Remove the selected agreement."""
        selected = self.agreements.table.selected_record()
        if self._services is not None and selected is not None:
            services = self._services
            self._run(
                lambda: services.remove_agreement(selected.id),
                frozenset({Area.VISITS, Area.AGREEMENTS}),
            )

    # ------------------------------------------------------------------ annexes
    def attach_file(self) -> None:
        """Pick a file and annex it with the chosen kind."""
        visit_id = self._visit_id()
        if self._services is None or visit_id is None:
            return
        path = self._choose_file(self._page)
        if path is None:
            return
        services, kind = self._services, AttachmentKind(self.kind.currentData())
        photo = large_photo(path)
        shrink = photo is not None and self.ask_shrink(
            self._page, path.name, photo, path.stat().st_size / 1_000_000
        )

        def attach() -> object:
            return services.attach_file(visit_id, reduced_copy(path) if shrink else path, kind)

        self._run(attach, frozenset({Area.VISITS}))

    def open_attachment(self) -> None:
        """Open a copy of the annex, under its own name, in the system viewer."""
        selected: AttachmentView | None = self.attachments.table.selected_record()
        if self._services is None or selected is None:
            return
        services = self._services

        def export() -> Path:
            # Decrypted for the viewer: a private temporary folder, the file under its name.
            folder = Path(tempfile.mkdtemp(prefix="anexo-"))
            target = folder / selected.filename
            target.write_bytes(services.annex_content(selected.sha256))
            return target

        def show(target: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

        self._ops.run(export, show, self._failed, owner=self)

    def remove_attachment(self) -> None:
        """Unlink the selected annex."""
        selected = self.attachments.table.selected_record()
        if self._services is not None and selected is not None:
            services = self._services
            self._run(lambda: services.remove_attachment(selected.id), frozenset({Area.VISITS}))

    def _warn(self, warning: str | None) -> None:
        if warning:
            self.message = warning
            self._ops.failed.emit(warning)

    # ------------------------------------------------------------------ stage
    def record_stage(self) -> None:
        """Open the dialog that appends a hito to the instancia's history."""
        visit_id = self._visit_id()
        if self._services is None or visit_id is None or self.detail is None:
            return
        dialog = StageEventDialog(
            self._ops,
            self._services,
            visit_id,
            current=self.detail.instancia.stage,
            types=norm_types(self.detail.instancia.level, self.detail.instancia.ubigeo),
            today=peru_today(),
            norms=self.detail.norms,
            parent=self._page,
        )
        dialog.saved.connect(self._warn)
        self._open(dialog, frozenset({Area.VISITS, Area.INSTANCIAS}))
