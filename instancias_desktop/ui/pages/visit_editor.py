"""The visit editor: the acta's parts in tabs, saved as they are typed, finalized for good."""

import uuid
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.identity import Identity
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_views import VisitDetail
from instancias_desktop.i18n import _
from instancias_desktop.services.api import VisitEditing
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.annex_file import FileChooser, choose_with_dialog
from instancias_desktop.ui.dialogs.identity_dialog import IdentityDialog
from instancias_desktop.ui.documents import DocumentActions, Produce, draft_print_prompt
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.pages.checklist_tab import ChecklistTab
from instancias_desktop.ui.pages.visit_lists import VisitLists
from instancias_desktop.ui.prompts import question
from instancias_desktop.ui.widgets.acta_buttons import acta_buttons
from instancias_desktop.ui.widgets.draft_saver import DraftSaver
from instancias_desktop.ui.widgets.signed_copy_bar import (
    PapersChooser,
    SignedCopyBar,
    choose_papers,
)
from instancias_desktop.ui.widgets.typed_input import FieldInputError
from instancias_desktop.ui.widgets.visit_fields import VisitFields

AREAS = frozenset({Area.VISITS, Area.AGREEMENTS, Area.INSTANCIAS})


class VisitEditorPage(QWidget):
    """Edits one visit; every change goes to the database through the services."""

    loaded = Signal()
    back = Signal()
    opened_visit = Signal(object)  # uuid.UUID: another visit (an addendum) should open

    def __init__(
        self,
        ops: Operations,
        choose_file: FileChooser = choose_with_dialog,
        parent: QWidget | None = None,
        choose_papers: PapersChooser = choose_papers,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._services: VisitEditing | None = None
        self.visit_id: uuid.UUID | None = None
        self.detail: VisitDetail | None = None
        self.prompt: QMessageBox | None = None
        self.identity_dialog: IdentityDialog | None = None
        self._loads = Latest(ops, self)
        self.fields = VisitFields(self)
        self.saver = self._saver_for(None)
        self.lists = VisitLists(ops, self, choose_file)
        self.checklist = ChecklistTab(ops, self)
        self.documents = DocumentActions(ops, self, self._keep)
        self.signed_copy = SignedCopyBar(ops, self.documents, choose_papers, self)
        self.buttons = acta_buttons()
        self._build()
        self.fields.edited.connect(self._on_edited)
        self.fields.left.connect(lambda _n: self.saver.flush())
        ops.follow(self, AREAS, self.reload)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.back_button = QPushButton(_("← &Volver"))
        self.back_button.setToolTip(_("Guardar y volver (Alt+←)"))
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addLayout(heading, 1)
        top.addWidget(self.save_state)
        actions = self._action_row()
        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("visitTabs")
        self.instancia_label = QLabel(wordWrap=True)
        general = self.fields.form_page(
            (
                "visit_date",
                "start_time",
                "end_time",
                "place",
                "place_ubigeo",
                "modality",
                "at_type",
            ),
            ((_("N° de acta:"), self.fields.acta_number), (_("Instancia:"), self.instancia_label)),
        )
        self.tabs.addTab(general, _("&1 Datos generales"))
        self.tabs.addTab(self.fields.form_page(("objective", "agenda")), _("&2 Objetivo y agenda"))
        self.tabs.addTab(self.lists.participants, _("&3 Participantes"))
        self.tabs.addTab(
            self.fields.form_page(("development", "instruments", "diagnosis")),
            _("&4 Desarrollo y diagnóstico"),
        )
        self.tabs.addTab(self.checklist, _("&5 Lista de verificación"))
        self.tabs.addTab(self.lists.agreements, _("&6 Acuerdos"))
        self.tabs.addTab(self.lists.attachments, _("&7 Anexos"))
        self.tabs.addTab(self.lists.follow_ups, _("&8 Seguimiento de acuerdos"))
        self.lists.follow_ups.open_visit.connect(self.opened_visit)
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.banner)
        layout.addWidget(self.signed_copy)
        layout.addWidget(self.tabs, 1)
        self.back_button.clicked.connect(self.go_back)
        self.documents.failed.connect(self.save_state.setText)
        self._shortcut(QKeySequence(QKeySequence.StandardKey.Save), self.save_now)
        self._shortcut(QKeySequence("Alt+Left"), self.go_back)
        self._shortcut(QKeySequence(QKeySequence.StandardKey.Print), self.print_acta)

    def _action_row(self) -> QHBoxLayout:
        buttons = self.buttons
        buttons.stage.clicked.connect(self.lists.record_stage)
        buttons.finalize.clicked.connect(self.ask_finalize)
        buttons.addendum.clicked.connect(self.create_addendum)
        buttons.delete.clicked.connect(self.ask_delete)
        buttons.pdf.clicked.connect(lambda _checked: self.view_pdf())
        buttons.print.clicked.connect(lambda _checked: self.print_acta())
        return buttons.row()

    # ------------------------------------------------------------------ loading
    def _shortcut(self, keys: QKeySequence, slot: Callable[[], object]) -> None:
        """A shortcut active while the focus is anywhere on this page."""
        shortcut = QShortcut(keys, self, slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def attach(self, services: VisitEditing) -> None:
        """Work on an opened profile."""
        self._services = services
        self.lists.attach(services)
        self.checklist.attach(services)
        self.signed_copy.set_services(services)
        self._ops.run(services.place_options, self.fields.set_places, owner=self)

    def _saver_for(self, visit_id: uuid.UUID | None) -> DraftSaver:
        """One saver per opened visit: a change typed in one visit can never land in another."""

        def save(changes: Mapping[str, object]) -> object:
            services = self._services
            assert services is not None and visit_id is not None
            return services.update_visit(visit_id, changes)

        saver = DraftSaver(self._ops, save, self)
        saver.saved.connect(self._on_saved)
        saver.rejected.connect(self._on_rejected)
        saver.failed.connect(self._on_save_failed)
        saver.dropped.connect(self._on_save_failed)
        saver.pending_changed.connect(self._show_save_state)
        return saver

    def open_visit(self, visit_id: uuid.UUID) -> None:
        """Show a visit; what was pending on the previous one is saved to that one."""
        previous = self.saver
        previous.flush()
        for signal in (previous.rejected, previous.pending_changed):
            signal.disconnect()  # its messages no longer concern the fields on screen
        if not previous.has_pending():
            previous.deleteLater()
        else:
            previous.pending_changed.connect(lambda busy: None if busy else previous.deleteLater())
        self.saver = self._saver_for(visit_id)
        self.checklist.open_visit(visit_id)
        self.visit_id = visit_id
        self.detail = None
        self.title.setText(_("Cargando el acta…"))
        self.reload()

    def reload(self) -> None:
        """Read the visit again, off the GUI thread."""
        services, visit_id = self._services, self.visit_id
        if services is None or visit_id is None:
            return
        self._loads.run(lambda: services.visit_detail(visit_id), self._show, self._load_failed)

    def _show(self, detail: VisitDetail) -> None:
        if detail.visit.id != self.visit_id:
            return
        first = self.detail is None or self.detail.visit.id != detail.visit.id
        finalized_now = self.detail is not None and detail.finalized and not self.detail.finalized
        self.detail = detail
        if first or finalized_now:
            self.fields.load(detail.visit)  # later reloads keep what is being typed
        visit = detail.visit
        self.title.setText(
            _("Acta {number} — {status}").format(
                number=visit.acta_number, status=detail.acta_state.label
            )
        )
        addendum = (
            _(" · Adenda del acta {n}").format(n=detail.addendum_of_number)
            if detail.addendum_of_number
            else ""
        )
        self.subtitle.setText(f"{detail.instancia.name}{addendum}")
        self.instancia_label.setText(
            f"{detail.instancia.name} ({detail.instancia.level.value}) · "
            + _("estado: {stage}").format(stage=detail.instancia.stage.label)
        )
        self.lists.show(detail)
        self.signed_copy.show_detail(detail, mine=detail.by_me)
        self._set_read_only(detail)
        if finalized_now:  # its button is gone: the focus goes to what comes next, printing
            self.buttons.print.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_save_state(self.saver.has_pending())
        self.loaded.emit()

    def _set_read_only(self, detail: VisitDetail) -> None:
        locked = detail.finalized
        self.fields.set_read_only(locked)
        self.checklist.lock(locked)
        self.lists.set_editable(not locked)
        self.buttons.show_for(finalized=locked)
        if locked:
            when = detail.finalized_at.astimezone() if detail.finalized_at else None
            text = _(
                "Acta finalizada{when}: es de solo lectura y no se puede modificar. "
                "Para corregirla, cree una adenda."
            ).format(when=when.strftime(" el %d/%m/%Y a las %H:%M") if when else "")
            if detail.addenda:
                text += " " + _("Adendas: {list}.").format(list=", ".join(detail.addenda))
            self.banner.setText(text)
        self.banner.setVisible(locked)

    def _load_failed(self, error: Exception) -> None:
        self.title.setText(_("No se pudo abrir el acta"))
        self.subtitle.setText(str(error))

    # ------------------------------------------------------------------ saving
    def _on_edited(self, name: str) -> None:
        binding = self.fields.bindings[name]
        try:
            value = binding.read()
        except FieldInputError as error:
            binding.show_error(error.message)
            self.saver.discard(name)
            return
        binding.show_error("")
        self.saver.change(name, value)

    def _on_saved(self, _visit: object) -> None:
        self._ops.announce({Area.VISITS})

    def _on_rejected(self, error: ValidationError) -> None:
        for e in error.errors:
            if e.field in self.fields.bindings:
                self.fields.bindings[e.field].show_error(e.message)
        self._show_save_state(self.saver.has_pending())

    def _on_save_failed(self, error: Exception) -> None:
        self.save_state.setText(_("No se guardó: {error}").format(error=error))

    def _show_save_state(self, pending: bool) -> None:
        invalid = [
            b.label.replace("&", "")
            for b in self.fields.bindings.values()
            if b.error.isVisibleTo(self)
        ]
        if self.detail is not None and self.detail.finalized:
            text = _("Solo lectura")
        elif pending:
            text = _("Guardando…")
        elif invalid:
            text = _("Sin guardar: corrija {fields}").format(fields=", ".join(invalid))
        elif self.saver.last_saved is not None:
            text = _("Borrador guardado a las {time}").format(
                time=self.saver.last_saved.strftime("%H:%M:%S")
            )
        else:
            text = _("Borrador guardado")
        self.save_state.setText(text)

    def save_now(self) -> None:
        """Ctrl+S: save whatever is pending right away (fields and checklist)."""
        self.saver.flush()
        self.checklist.flush()

    def has_pending(self) -> bool:
        """Whether something typed is not yet stored."""
        return self.saver.has_pending() or self.checklist.saver.has_pending()

    def go_back(self) -> None:
        """Save and return to where the user came from."""
        self.save_now()
        self.back.emit()

    # ------------------------------------------------------------------ the acta on paper
    def _keep(self, name: str, data: bytes) -> Path:
        assert self._services is not None
        return self._services.save_export(name, data)

    def _producer(self) -> Produce | None:
        services, visit_id = self._services, self.visit_id
        if services is None or visit_id is None:
            return None

        def produce() -> tuple[str, bytes]:
            document = services.acta_document(visit_id)
            return document.file_name, document.pdf

        return produce

    def view_pdf(self) -> None:
        """Save what is typed, then open the acta as a PDF (a draft carries BORRADOR)."""
        produce = self._producer()
        if produce is not None:
            self._after_saving(lambda: self.documents.view(produce))

    def print_acta(self) -> None:
        """Save what is typed, then print the acta for everyone to sign (a draft: asked first)."""
        produce = self._producer()
        if produce is None or self.detail is None:
            return
        go = partial(self._after_saving, lambda: self.documents.print(produce))
        if self.detail.finalized:
            go()
            return
        box = draft_print_prompt(self, self.detail.visit.acta_number)
        box.finished.connect(lambda code: self._if_yes(code, go))
        self._open_prompt(box)

    def _after_saving(self, action: Callable[[], None]) -> None:
        self.saver.when_idle(lambda: self.checklist.saver.when_idle(action))

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.checklist:
            self.checklist.focus_first_open()

    # ------------------------------------------------------------------ acta
    def ask_finalize(self) -> None:
        """Who she is first (once), then confirm, since a finalized acta never changes."""
        self.save_now()
        services = self._services
        if services is None:
            return
        self._ops.run(services.identity, self._confirm_finalize, owner=self)

    def _confirm_finalize(self, identity: Identity) -> None:
        services = self._services
        if services is None:
            return
        if not identity.complete:
            dialog = IdentityDialog(self._ops, services, identity, self)
            dialog.saved.connect(self._confirm_finalize)
            dialog.finished.connect(dialog.deleteLater)
            self.identity_dialog = dialog
            dialog.open()
            return
        box = question(
            self,
            name="finalizePrompt",
            title=_("Finalizar el acta"),
            text=_(
                "Una vez finalizada, el acta no se podrá modificar (las correcciones se hacen "
                "con una adenda). Figurará como finalizada por {who}. ¿Finalizar el acta {number}?"
            ).format(
                number=self.detail.visit.acta_number if self.detail else "",
                who=identity.signature,
            ),
            yes=_("&Finalizar"),
            no=_("&Seguir editando"),
        )
        box.finished.connect(lambda code: self._if_yes(code, self._finalize))
        self._open_prompt(box)

    def _finalize(self) -> None:
        services, visit_id = self._services, self.visit_id
        if services is None or visit_id is None:
            return
        self._ops.run(
            lambda: services.finalize_visit(visit_id),
            lambda _r: self._ops.announce({Area.VISITS, Area.AGREEMENTS}),
            self._finalize_refused,
            owner=self,
        )

    def _finalize_refused(self, error: Exception) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("El acta no se puede finalizar todavía"),
            str(error),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.button(QMessageBox.StandardButton.Ok).setText(_("&Aceptar"))  # not Qt's English
        self._open_prompt(box)

    def create_addendum(self) -> None:
        """Start a correction of this finalized acta."""
        services, visit_id = self._services, self.visit_id
        if services is None or visit_id is None:
            return

        def created(new_id: uuid.UUID) -> None:
            self._ops.announce({Area.VISITS})
            self.opened_visit.emit(new_id)

        self._ops.run(lambda: services.create_addendum(visit_id), created, owner=self)

    def ask_delete(self) -> None:
        """Delete a draft after confirmation; its number is not reused."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Eliminar borrador"),
            _("¿Eliminar el borrador {number}? Su número de acta no se volverá a usar.").format(
                number=self.detail.visit.acta_number if self.detail else ""
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(_("&Eliminar"))
        box.button(QMessageBox.StandardButton.No).setText(_("&Conservar"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda code: self._if_yes(code, self._delete))
        self._open_prompt(box)

    def _delete(self) -> None:
        services, visit_id = self._services, self.visit_id
        if services is None or visit_id is None:
            return

        def deleted(_r: object) -> None:
            self.visit_id = None
            self._ops.announce({Area.VISITS})
            self.back.emit()

        self._ops.run(lambda: services.delete_draft(visit_id), deleted, self._finalize_refused)

    @staticmethod
    def _if_yes(code: int, action: Callable[[], None]) -> None:
        if code == QMessageBox.StandardButton.Yes:
            action()

    def _open_prompt(self, box: QMessageBox) -> None:
        self.prompt = box
        # Back to the window once answered, so the keyboard keeps working where she was.
        box.finished.connect(lambda _code: self.window().activateWindow())
        box.open()
