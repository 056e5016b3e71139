"""The instancia's own record on its page: members, norms, sessions and instruments.

Each is a tab with its actions; the composition's gaps show above the members.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout, QWidget

from instancias_desktop.domain.instancia_records import InstrumentView, MemberView, norm_types
from instancias_desktop.domain.instancia_standing import instrument_status, period_text
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.i18n import _
from instancias_desktop.services.api import InstanciaReading
from instancias_desktop.ui.dialogs.instrument_dialog import InstrumentDialog
from instancias_desktop.ui.dialogs.member_dialog import MemberDialog
from instancias_desktop.ui.dialogs.norm_dialog import NormDialog
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.dialogs.session_dialog import SessionDialog
from instancias_desktop.ui.models.record_model import Column, date_text
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.record_files import OWNER, RecordFiles, files_text
from instancias_desktop.ui.widgets.list_section import ListSection


def _tenure(m: MemberView) -> str:
    """«Vigente desde 01/11/2025», or «01/11/2025 – 07/09/2026 (anterior)» for history."""
    since = date_text(m.since) or "…"
    if m.until is None:
        return _("Vigente desde {day}").format(day=since) if m.since else _("Vigente")
    return _("{since} – {until} (anterior)").format(since=since, until=date_text(m.until))


def _document(m: MemberView) -> str:
    return f"{m.document_type.label} {m.document_number}" if m.document_number else "—"


def _designation(m: MemberView) -> str:
    day = f" ({date_text(m.designated_on)})" if m.designated_on else ""
    return (m.designation_document or "—") + day


MEMBER_COLUMNS = (
    Column(_("Entidad"), lambda m: m.entity_name, max_width=260),
    Column(_("Condición"), lambda m: m.seat.label),
    Column(_("Representante"), lambda m: m.person_name or "—", max_width=220),
    # Right after the person: who holds the seat now shows without scrolling sideways.
    Column(_("Vigencia"), _tenure, lambda m: (m.until is not None, m.since or dt.date.min)),
    Column(_("Documento"), _document),
    Column(_("Cargo"), lambda m: m.post or "—", max_width=180),
    Column(_("Designación"), _designation, max_width=240),
)
NORM_COLUMNS = (
    Column(_("Norma"), lambda n: n.title, max_width=320),
    Column(_("Objeto"), lambda n: n.role.label),
    Column(_("Fecha"), lambda n: date_text(n.issued_on), lambda n: n.issued_on),
    Column(_("Emitida por"), lambda n: n.issuing_body or "—", max_width=260),
    Column(_("Archivos"), files_text, max_width=240),
)


def session_columns(detail: Callable[[], InstanciaDetail | None]) -> tuple[Column, ...]:
    """The sessions' columns; «Asistentes» counts the members present."""
    return (
        Column(_("Fecha"), lambda s: date_text(s.held_on), lambda s: s.held_on),
        Column(_("Tipo"), lambda s: s.session_type.label),
        Column(_("Quórum"), lambda s: _("Sí") if s.quorum else _("No")),
        Column(_("Asistentes"), lambda s: str(len(s.attendee_ids)), numeric=True),
        Column(_("Agenda"), lambda s: s.agenda.replace("\n", " ") or "—", max_width=300),
        Column(_("Acta"), lambda s: s.acta_reference or "—", max_width=220),
        Column(_("Archivos"), files_text, max_width=220),
    )


def instrument_columns(detail: Callable[[], InstanciaDetail | None]) -> tuple[Column, ...]:
    """The instruments' columns; «Estado» is derived from the dates against today."""

    def status(i: InstrumentView) -> str:
        shown = detail()
        if shown is None or shown.today is None:
            return ""
        return instrument_status(i, shown.today, shown.instruments)

    return (
        Column(_("Tipo"), lambda i: i.instrument_type.label),
        Column(_("Título"), lambda i: i.title, max_width=260),
        Column(_("Estado"), status),  # beside the title: what counts shows without scrolling
        Column(_("Periodo"), period_text),
        Column(_("Aprobado por"), lambda i: i.norm_title or "—", max_width=260),
        Column(_("Aprobación"), lambda i: date_text(i.approved_on) or "—", lambda i: i.approved_on),
        Column(_("Dirigido a"), lambda i: i.recipient or "—", max_width=200),
        Column(_("Archivos"), files_text, max_width=220),
    )


class InstanciaRecords:
    """Builds the four sections and opens their dialogs; ``saved`` gets the stored page."""

    def __init__(
        self, ops: Operations, parent: QWidget, saved: Callable[[InstanciaDetail], None]
    ) -> None:
        self._ops, self._parent, self._saved = ops, parent, saved
        self.services: InstanciaReading | None = None
        self.detail: InstanciaDetail | None = None
        self.files = RecordFiles(ops, parent, lambda: self.services, saved)
        self.gaps = QLabel()
        self.gaps.setObjectName("compositionGaps")
        self.gaps.setWordWrap(True)
        self.members = self._section(MEMBER_COLUMNS, _("Integrantes"), "members", _(
            "Las entidades que integran la instancia y quién las representa: titular y "
            "alterno, con su documento, cargo y designación. Un cambio de representante "
            "cierra la vigencia del anterior, que queda en la lista como historial."
        ))  # fmt: skip
        self.members.add_action("change", _("Ca&mbiar representante"), self._change,
                                tip=_("Otra persona pasa a ocupar el asiento seleccionado"),
                                needs_row=True)  # fmt: skip
        self.norms = self._section(NORM_COLUMNS, _("Normas"), "norms", _(
            "Las normas de la instancia: la que la crea y las que la modifican, derogan o "
            "aprueban su reglamento, con su tipo, número, fecha y quién la emitió."
        ))  # fmt: skip
        current = lambda: self.detail  # noqa: E731
        self.sessions = self._section(session_columns(current), _("Sesiones"), "sessions", _(
            "Las sesiones de la instancia: fecha, tipo, quórum, asistentes, agenda y acta."
        ))  # fmt: skip
        self.instruments = self._section(
            instrument_columns(current), _("Instrumentos"), "instruments", _(
                "Reglamento interno, planes de trabajo o de acción e informes; su estado "
                "(vigente, vencido…) sale de sus fechas."
            ),
        )  # fmt: skip
        self.members_tab = QWidget()
        column = QVBoxLayout(self.members_tab)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.gaps)
        column.addWidget(self.members, 1)

    def _section(self, columns: Any, name: str, key: str, description: str) -> ListSection:
        section = ListSection(
            columns, name, self._parent, object_name=key,
            description=description + " " + _("Insert agrega; Intro corrige el seleccionado."),
        )  # fmt: skip
        section.add_action("add", _("&Agregar"), lambda: self._open(key, None),
                           tip=_("Registrar uno nuevo"), shortcut="Insert")  # fmt: skip
        section.add_action("edit", _("&Corregir"), lambda: self._open(key, section),
                           tip=_("Corregir el seleccionado"), needs_row=True)  # fmt: skip
        section.add_action("remove", _("&Quitar"), lambda: self._remove(key, section),
                           tip=_("Quitar el seleccionado, registrado por error"),
                           needs_row=True, shortcut="Delete")  # fmt: skip
        section.table.opened.connect(lambda _record: self._open(key, section))
        if key in OWNER:
            self.files.add_to(section, key)
        return section

    def show_detail(self, detail: InstanciaDetail) -> None:
        """Fill the sections and say what the composition lacks."""
        self.detail = detail
        self.members.table.set_records(detail.members)
        self.norms.table.set_records(detail.norms)
        self.sessions.table.set_records(detail.sessions)
        self.instruments.table.set_records(detail.instruments)
        if detail.composition_gaps:
            self.gaps.setText(
                _("Composición según el catálogo (titulares vigentes):")
                + "\n"
                + "\n".join(f"• {gap}" for gap in detail.composition_gaps)
            )
        else:
            self.gaps.setText(_("Composición completa según el catálogo (titulares vigentes)."))

    def _dialog(self, key: str, editing: Any) -> ServiceDialog | None:
        services, detail = self.services, self.detail
        if services is None or detail is None or detail.today is None:
            return None
        instancia, today, parent = detail.summary.id, detail.today, self._parent
        if key == "members":
            return MemberDialog(self._ops, services, instancia, detail.entity_types,
                                today=today, editing=editing, parent=parent)  # fmt: skip
        if key == "norms":
            types = norm_types(detail.summary.level, detail.summary.ubigeo)
            return NormDialog(self._ops, services, instancia, types,
                              today=today, editing=editing, parent=parent)  # fmt: skip
        if key == "sessions":
            return SessionDialog(self._ops, services, instancia, detail.members,
                                 today=today, editing=editing, parent=parent)  # fmt: skip
        return InstrumentDialog(self._ops, services, instancia, detail.norms,
                                today=today, editing=editing, parent=parent)  # fmt: skip

    def _open(self, key: str, section: ListSection | None) -> None:
        editing = section.table.selected_record() if section is not None else None
        if section is not None and editing is None:
            return
        dialog = self._dialog(key, editing)
        if dialog is not None:
            dialog.saved.connect(self._saved)
            dialog.open()

    def _change(self) -> None:
        services, detail = self.services, self.detail
        member = self.members.table.selected_record()
        if services is None or detail is None or detail.today is None or member is None:
            return
        dialog = MemberDialog(self._ops, services, detail.summary.id, detail.entity_types,
                              today=detail.today, changing=member, parent=self._parent)  # fmt: skip
        dialog.saved.connect(self._saved)
        dialog.open()

    def _remove(self, key: str, section: ListSection) -> None:
        record, services = section.table.selected_record(), self.services
        if record is None or services is None:
            return
        answer = QMessageBox.question(
            self._parent,
            _("Quitar"),
            _("¿Quitar el registro seleccionado? Use «Quitar» solo para lo registrado por "
              "error: desaparece también en los demás equipos al sincronizar."),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        what = {"members": "member", "norms": "norm", "sessions": "session"}.get(key, "instrument")
        record_id: uuid.UUID = record.id
        self._ops.run(lambda: services.remove_record(what, record_id), self._saved,
                      owner=self._parent)  # fmt: skip
