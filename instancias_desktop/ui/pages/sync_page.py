"""«Sincronización»: enrol the laptop once, sync at any time, see honestly what the server has."""

import socket
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.conflict_views import ConflictChoice, ConflictView
from instancias_desktop.domain.sync_views import (
    JournalEntry,
    ParkedView,
    RefusalView,
    SignIn,
    SyncProgress,
    SyncStatus,
    SyncSummary,
)
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.i18n import _
from instancias_desktop.services.api import SyncService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.locale import number
from instancias_desktop.ui.models.record_model import Column
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.sync_texts import (
    kilobytes,
    last_text,
    state_text,
    territories_text,
)
from instancias_desktop.ui.widgets.conflicts_panel import ConflictsPanel, TextAsker, ask_with_dialog
from instancias_desktop.ui.widgets.record_table import RecordTable
from instancias_desktop.ui.widgets.refusals_panel import RefusalsPanel

TargetChooser = Callable[[QWidget, str], Path | None]
# What a sync may change on the other pages.
# A sync may bring every shared kind, newer catalogues and weights, and changes what waits.
CHANGED_BY_SYNC = frozenset(
    {
        Area.INSTANCIAS,
        Area.CATALOGUES,
        Area.VISITS,
        Area.AGREEMENTS,
        Area.CHECKLISTS,
        Area.PRIORITY,
        Area.SYNC,
    }
)
JOURNAL_COLUMNS = (
    Column(_("Fecha y hora"), lambda e: e.at.astimezone().strftime("%d/%m/%Y %H:%M:%S")),
    Column(_("Evento"), lambda e: e.event),
    Column(_("Detalle"), lambda e: e.message, max_width=760),
)


def save_with_dialog(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save a file (None when cancelled)."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, _("Exportar el diario de sincronización"), suggested, _("Texto (*.txt)")
    )
    return Path(chosen) if chosen else None


class _Relay(QObject):
    """Carries progress from the sync's worker thread to the page (queued)."""

    progressed = Signal(object)  # SyncProgress


class SyncPage(QWidget):
    """The enrolment form until the laptop is enrolled; then the sync and its journal."""

    status_shown = Signal(object)  # SyncStatus, once on screen
    synced = Signal(object)  # SyncSummary, or the Exception that stopped the sync

    def __init__(
        self,
        ops: Operations,
        choose_target: TargetChooser = save_with_dialog,
        ask_text: TextAsker = ask_with_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._choose_target = choose_target
        self._ask_text = ask_text
        self._services: SyncService | None = None
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._show_progress)
        title = QLabel(_("Sincronización con el servidor central"))
        title.setObjectName("pageTitle")
        self.stack = QStackedWidget()
        self.stack.setObjectName("syncStack")
        self.stack.addWidget(self._enrolment_form())
        self.stack.addWidget(self._sync_view())
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.stack, 1)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.synchronize)
        ops.follow(self, CHANGED_BY_SYNC, self.reload)

    # ------------------------------------------------------------------ building
    def _enrolment_form(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            _(
                "Inscriba este equipo en el servidor central del MIMP. Se hace una sola vez: "
                "después, «Sincronizar» envía lo registrado en este equipo y recibe lo de su "
                "territorio. La contraseña no se guarda en el equipo."
            ),
            wordWrap=True,
        )
        self.server_url = QLineEdit(placeholderText="https://sincronizacion.ejemplo.gob.pe")
        self.username = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.device_name = QLineEdit(socket.gethostname())
        self.enrol_error = QLabel(wordWrap=True)
        self.enrol_error.setObjectName("fieldError")
        self.enrol_button = QPushButton(_("&Inscribir este equipo"))
        self.enrol_button.setObjectName("enrolLaptop")
        self.enrol_button.setDefault(True)
        self.enrol_button.setToolTip(
            _(
                "Registrar este equipo en el servidor con los datos escritos; después se "
                "sincroniza por primera vez (Intro en cualquier campo)"
            )
        )
        self.enrol_button.clicked.connect(lambda _checked: self.enrol())
        form = QFormLayout()
        for label, field, name, description in (
            (
                _("&Servidor"),
                self.server_url,
                "syncServerUrl",
                _("Dirección web del servidor central del MIMP, tal como se la entregaron"),
            ),
            (_("&Usuario"), self.username, "syncUsername", _("Su usuario del servidor central")),
            (
                _("&Contraseña"),
                self.password,
                "syncPassword",
                _(
                    "La contraseña de su usuario; solo sirve para inscribir el equipo y no se "
                    "guarda en él"
                ),
            ),
            (
                _("&Nombre del equipo"),
                self.device_name,
                "syncDeviceName",
                _(
                    "Cómo se conocerá este equipo en el servidor (por ejemplo «Laptop de la "
                    "oficina»); dice desde qué equipo se hizo cada cambio"
                ),
            ),
        ):
            field.setObjectName(name)
            field.setAccessibleDescription(description)
            form.addRow(label, field)
        for field in (self.server_url, self.username, self.password, self.device_name):
            field.returnPressed.connect(self.enrol)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        fields = QWidget()
        fields.setLayout(form)
        fields.setMaximumWidth(720)
        layout.addWidget(fields)
        layout.addWidget(self.enrol_error)
        row = QHBoxLayout()
        row.addWidget(self.enrol_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _sync_view(self) -> QWidget:
        page = QWidget()
        self.enrolment_label = QLabel(wordWrap=True)
        self.enrolment_label.setObjectName("syncEnrolment")
        self.state_label = QLabel(wordWrap=True)
        self.state_label.setObjectName("syncState")
        self.last_label = QLabel(wordWrap=True)
        self.last_label.setObjectName("syncLast")
        self.sync_button = QPushButton(_("&Sincronizar ahora (F5)"))
        self.sync_button.setObjectName("syncNow")
        self.sync_button.setToolTip(
            _(
                "Enviar al servidor lo registrado en este equipo y recibir lo de su territorio; "
                "puede seguir trabajando mientras tanto"
            )
        )
        self.sync_button.clicked.connect(lambda _checked: self.synchronize())
        self.sync_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Avance de la sincronización"))
        self.progress.setVisible(False)
        self.progress_label = QLabel()
        self.result_label = QLabel(wordWrap=True)
        self.result_label.setObjectName("syncResult")
        journal_tab = self._journal_tab()
        actions = QHBoxLayout()
        actions.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)
        actions.addWidget(self.progress, 1)
        self.conflicts = ConflictsPanel(self._ask_text)
        self.conflicts.chosen.connect(self.resolve)
        self.refusals = RefusalsPanel()
        self.refusals.resend.connect(self.resend)
        self.refusals.dismiss.connect(self.dismiss)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("syncTabs")
        self.tabs.addTab(journal_tab, _("&Diario de sincronización"))
        self.tabs.addTab(self.conflicts, _("&Conflictos"))
        self.tabs.addTab(self.refusals, _("&Rechazos"))
        layout = QVBoxLayout(page)
        for widget in (self.enrolment_label, self.state_label, self.last_label):
            layout.addWidget(widget)
        layout.addLayout(actions)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.tabs, 1)
        return page

    def _journal_tab(self) -> QWidget:
        self.journal = RecordTable(
            JOURNAL_COLUMNS,
            _("Diario de sincronización"),
            description=_(
                "Cada envío, cada recepción y cada error de las sincronizaciones, del más "
                "reciente al más antiguo, con su fecha, su hora y su detalle."
            ),
            parent=self,
        )
        self.journal.setObjectName("syncJournal")
        self.export_button = QPushButton(_("&Exportar el diario…"))
        self.export_button.setObjectName("exportJournal")
        self.export_button.setToolTip(
            _("Guardar el diario en un archivo de texto, para enviarlo a soporte si algo falla")
        )
        self.export_button.clicked.connect(lambda _checked: self.export_journal())
        journal_title = QLabel(_("Lo enviado, lo recibido y cada error, con su motivo."))
        journal_row = QHBoxLayout()
        journal_row.addWidget(journal_title, 1)
        journal_row.addWidget(self.export_button)
        journal_tab = QWidget()
        journal_layout = QVBoxLayout(journal_tab)
        journal_layout.addLayout(journal_row)
        journal_layout.addWidget(self.journal, 1)
        return journal_tab

    # ------------------------------------------------------------------ data
    def attach(self, services: SyncService) -> None:
        """Show the profile's sync state (the shell paints before the profile opens)."""
        self._services = services
        self.reload()

    def reload(self) -> None:
        """Read the state and the journal again."""
        services = self._services
        if services is None:
            return
        self._ops.run(
            lambda: (
                services.sync_status(),
                services.sync_journal(),
                services.open_conflicts(),
                services.refusals(),
                services.received_not_stored(),
            ),
            lambda found: self._show(*found),
            owner=self,
        )

    def _show(
        self,
        status: SyncStatus,
        journal: tuple[JournalEntry, ...],
        conflicts: tuple[ConflictView, ...] = (),
        refusals: tuple[RefusalView, ...] = (),
        parked: tuple[ParkedView, ...] = (),
    ) -> None:
        enrolment = status.enrolment
        self.stack.setCurrentIndex(0 if enrolment is None else 1)
        if enrolment is not None:
            self.enrolment_label.setText(
                _("Equipo «{device}» inscrito en {url} como {user}.").format(
                    device=enrolment.device_name, url=enrolment.server_url, user=enrolment.username
                )
                + " "
                + territories_text(enrolment.role, enrolment.territories)
            )
            self.state_label.setText(state_text(status))
            self.last_label.setText(last_text(status))
            self.journal.set_records(journal)
            self.conflicts.show_conflicts(conflicts)
            self.tabs.setTabText(
                1,
                _("&Conflictos ({n})").format(n=len(conflicts)) if conflicts else _("&Conflictos"),
            )
            self.refusals.show_lists(refusals, parked)
            waiting = len(refusals) + len(parked)
            self.tabs.setTabText(
                2, _("&Rechazos ({n})").format(n=waiting) if waiting else _("&Rechazos")
            )
        self.status_shown.emit(status)

    # ------------------------------------------------------------------ actions
    def enrol(self) -> None:
        """Sign the laptop in with what was typed."""
        services = self._services
        if services is None or not self.enrol_button.isEnabled():
            return
        sign_in = SignIn(
            self.server_url.text(), self.username.text(), self.password.text(),
            self.device_name.text(),
        )  # fmt: skip
        self.enrol_button.setEnabled(False)
        self.enrol_error.setText(_("Conectando con el servidor…"))

        def done(_status: SyncStatus) -> None:
            self.enrol_button.setEnabled(True)
            self.password.clear()
            self.enrol_error.clear()
            self.reload()
            self.stack.setCurrentIndex(1)
            self.synchronize()  # the first sync brings her history, with the progress bar

        def failed(error: Exception) -> None:
            self.enrol_button.setEnabled(True)
            if isinstance(error, ValidationError):
                self.enrol_error.setText("\n".join(e.message for e in error.errors))
            else:
                self.enrol_error.setText(str(error))

        self._ops.run(lambda: services.enrol(sign_in), done, failed, owner=self)

    def synchronize(self) -> None:
        """Sync in the background; the specialist keeps working meanwhile."""
        services = self._services
        if services is None or self.stack.currentIndex() != 1 or not self.sync_button.isEnabled():
            return
        self.sync_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress_label.setText(_("Conectando con el servidor…"))
        self.result_label.clear()
        relay = self._relay

        def done(summary: SyncSummary) -> None:
            self._finish(summary.message, complete=summary.complete)
            self.synced.emit(summary)

        def failed(error: Exception) -> None:
            self._finish(
                _("No se completó la sincronización: {error}").format(error=error), complete=False
            )
            self.synced.emit(error)

        self._ops.run(lambda: services.synchronize(relay.progressed.emit), done, failed, owner=self)

    def resolve(self, conflict_id: uuid.UUID, choice: ConflictChoice, text: str) -> None:
        """Resolve a conflict here; the server hears of it at the next sync."""
        services = self._services
        if services is None:
            return

        def failed(error: Exception) -> None:
            self.show_notice(str(error))

        self._ops.run(
            lambda: services.resolve_conflict(conflict_id, choice, text),
            lambda _done: self._resolved(),
            failed,
            owner=self,
        )

    def resend(self, op_ids: list[uuid.UUID]) -> None:
        """Send these refused changes again at the next sync (the cause was fixed)."""
        services = self._services
        if services is None:
            return
        self._ops.run(
            lambda: services.resend_refusals(op_ids),
            lambda n: self._after_refusals(
                _("{n} cambio(s) se reenviarán al sincronizar.").format(n=n)
            ),
            lambda error: self.show_notice(str(error)),
            owner=self,
        )

    def dismiss(self, op_ids: list[uuid.UUID]) -> None:
        """She read these refusals: they no longer keep the laptop «por sincronizar»."""
        services = self._services
        if services is None:
            return
        self._ops.run(
            lambda: services.dismiss_refusals(op_ids),
            lambda n: self._after_refusals(_("{n} rechazo(s) descartado(s).").format(n=n)),
            lambda error: self.show_notice(str(error)),
            owner=self,
        )

    def _after_refusals(self, notice: str) -> None:
        self.show_notice(notice)
        self._ops.announce(CHANGED_BY_SYNC)
        self.reload()

    def _resolved(self) -> None:
        self.show_notice(_("Conflicto resuelto: se comunicará al servidor al sincronizar."))
        self._ops.announce(CHANGED_BY_SYNC)
        self.reload()

    def busy(self) -> bool:
        """Whether a sync is running."""
        return not self.sync_button.isEnabled()

    def show_notice(self, text: str) -> None:
        """A line for the specialist under the sync button (a reminder, a result)."""
        self.result_label.setText(text)

    def _finish(self, message: str, *, complete: bool) -> None:
        self.sync_button.setEnabled(True)
        self.progress.setVisible(False)
        self.progress_label.clear()
        # A complete sync is told by the state lines above; what went wrong is told here.
        self.result_label.setText("" if complete else message)
        self._ops.announce(CHANGED_BY_SYNC)
        self.reload()

    def _show_progress(self, step: SyncProgress) -> None:
        if step.total:
            self.progress.setRange(0, step.total)
            self.progress.setValue(min(step.done, step.total))
            counts = _("{done} de {total}").format(done=number(step.done), total=number(step.total))
        else:
            self.progress.setRange(0, 0)
            counts = number(step.done)
        self.progress_label.setText(
            _("{stage}: {counts} · {sent} enviados, {received} recibidos").format(
                stage=step.stage,
                counts=counts,
                sent=kilobytes(step.sent_bytes),
                received=kilobytes(step.received_bytes),
            )
        )

    def export_journal(self) -> None:
        """Save the journal as a text file, for support."""
        services = self._services
        target = self._choose_target(self, "diario-sincronizacion.txt")
        if services is None or target is None:
            return
        self._ops.run(
            lambda: services.export_sync_journal(target),
            lambda saved: self.result_label.setText(
                _("Diario exportado a {path}").format(path=saved)
            ),
            owner=self,
        )
