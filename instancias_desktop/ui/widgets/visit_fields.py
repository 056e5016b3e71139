"""The header and narrative fields of a visit: each widget with its parser and its error label."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.entities import Visit
from instancias_desktop.domain.enums import AtType, Modality
from instancias_desktop.i18n import _
from instancias_desktop.ui.widgets.date_field import DateField
from instancias_desktop.ui.widgets.typed_input import FieldInputError, parse_time

# objectName of each field's input (tests and accessibility tools find them by it).
OBJECT_NAMES = {
    "visit_date": "visitDate",
    "start_time": "visitStartTime",
    "end_time": "visitEndTime",
    "place": "visitPlace",
    "place_ubigeo": "visitPlaceUbigeo",
    "modality": "visitModality",
    "at_type": "visitAtType",
    "objective": "visitObjective",
    "agenda": "visitAgenda",
    "development": "visitDevelopment",
    "instruments": "visitInstruments",
    "diagnosis": "visitDiagnosis",
}
# What goes in each field, for a screen reader (a text box adds that Tab leaves it).
DESCRIPTIONS = {
    "visit_date": _("Día en que se realizó la visita; no puede ser posterior a hoy."),
    "start_time": _(
        "Hora en que empezó la reunión, como hh:mm (por ejemplo 09:30); se exige para "
        "finalizar el acta."
    ),
    "end_time": _(
        "Hora en que terminó la reunión, como hh:mm (por ejemplo 11:00); se exige para "
        "finalizar el acta."
    ),
    "place": _(
        "Entidad y dirección donde se realizó la reunión, como figurarán en el acta; se exige "
        "para finalizarla."
    ),
    "place_ubigeo": _(
        "Distrito donde se realizó la reunión: escriba parte de su nombre y elíjalo de la lista."
    ),
    "modality": _("Si la asistencia técnica fue presencial o virtual."),
    "at_type": _(
        "Tipo de asistencia técnica brindada: creación, instalación, funcionamiento, seguimiento "
        "o reactivación de la instancia."
    ),
    "objective": _("Para qué se realizó la visita; se exige para finalizar el acta."),
    "agenda": _("Los temas tratados en la reunión; se exige para finalizar el acta."),
    "development": _(
        "Cómo se desarrolló la reunión, tema por tema; se exige para finalizar el acta."
    ),
    "instruments": _("Los documentos, guías o formatos entregados a la instancia (opcional)."),
    "diagnosis": _("Su apreciación de cómo funciona la instancia después de la visita (opcional)."),
}


def error_label() -> QLabel:
    """A red message under a field, hidden while the field is fine."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


@dataclass
class Binding:
    """One field of the visit: how to read, write and lock its widget, and where errors go."""

    name: str
    label: str
    widget: QWidget
    error: QLabel
    read: Callable[[], Any]  # raises FieldInputError for input that cannot be read
    write: Callable[[Any], None]

    def show_error(self, message: str) -> None:
        """Show (or, with '', clear) the message under the field."""
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.widget.setProperty("invalid", bool(message))
        self.widget.style().unpolish(self.widget)
        self.widget.style().polish(self.widget)


class VisitFields(QObject):
    """Builds the widgets; emits ``edited(name)`` when the user changes one."""

    edited = Signal(str)
    left = Signal(str)  # focus left a field: save without waiting

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._loading = False
        self.bindings: dict[str, Binding] = {}
        self._left_by: dict[QObject, str] = {}  # the widget that holds the focus → field
        self.acta_number = QLineEdit(readOnly=True)
        self.acta_number.setObjectName("actaNumber")
        self.acta_number.setAccessibleName(_("N° de acta"))
        self.acta_number.setAccessibleDescription(
            _("Número del acta, que el programa asigna al crear el borrador; no se edita.")
        )
        self._date()
        self._time("start_time", _("Hora de &inicio"), optional=True)
        self._time("end_time", _("Hora de &término"), optional=True)
        self._line("place", _("&Lugar (entidad y dirección)"))
        self._ubigeo()
        self._enum("modality", _("&Modalidad"), Modality)
        self._enum("at_type", _("Tipo de &asistencia"), AtType)
        for name, label in (
            ("objective", _("&Objetivo")),
            ("agenda", _("A&genda")),
            ("development", _("&Desarrollo")),
            ("instruments", _("Instrumentos &entregados")),
            ("diagnosis", _("Dia&gnóstico")),
        ):
            self._text(name, label)

    # ------------------------------------------------------------------ builders
    def _add(self, binding: Binding) -> None:
        binding.widget.setObjectName(OBJECT_NAMES[binding.name])
        binding.widget.setAccessibleName(binding.label.replace("&", ""))
        description = DESCRIPTIONS[binding.name]
        if isinstance(binding.widget, QPlainTextEdit):  # Tab leaves it instead of typing a tab
            description += " " + _("Tab avanza al siguiente campo o botón.")
        binding.widget.setAccessibleDescription(description)
        focused = binding.widget.line if isinstance(binding.widget, DateField) else binding.widget
        focused.installEventFilter(self)
        self._left_by[focused] = binding.name
        self.bindings[binding.name] = binding

    def _notify(self, name: str) -> None:
        if not self._loading:
            self.edited.emit(name)

    def _date(self) -> None:
        widget = DateField()
        widget.edited.connect(lambda: self._notify("visit_date"))
        self._add(
            Binding("visit_date", _("&Fecha"), widget, error_label(), widget.day, widget.set_day)
        )

    def _time(self, name: str, label: str, *, optional: bool) -> None:
        widget = QLineEdit(placeholderText=_("hh:mm"), maxLength=5)
        widget.textEdited.connect(lambda _t: self._notify(name))
        self._add(
            Binding(
                name,
                label,
                widget,
                error_label(),
                lambda: parse_time(widget.text(), optional=optional),
                lambda v: widget.setText(v.strftime("%H:%M") if v else ""),
            )
        )

    def _line(self, name: str, label: str) -> None:
        widget = QLineEdit(maxLength=200)
        widget.textEdited.connect(lambda _t: self._notify(name))
        self._add(Binding(name, label, widget, error_label(), widget.text, widget.setText))

    def _ubigeo(self) -> None:
        widget = QComboBox(editable=True)
        typed = widget.lineEdit()
        assert typed is not None  # an editable combo has its line
        typed.setAccessibleName(_("Ubigeo del lugar"))
        typed.setAccessibleDescription(DESCRIPTIONS["place_ubigeo"])
        widget.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        widget.setMinimumContentsLength(40)
        widget.activated.connect(lambda _i: self._notify("place_ubigeo"))

        def read() -> str:
            data = widget.currentData()
            text = widget.currentText().strip()
            if data and widget.itemText(widget.currentIndex()) == text:
                return str(data)
            found = widget.findText(text)
            if found >= 0:
                return str(widget.itemData(found))
            if text.isdigit():
                return text
            raise FieldInputError(_("Elija el distrito de la lista (escriba parte de su nombre)."))

        def write(code: str) -> None:
            index = widget.findData(code)
            if index < 0:
                widget.addItem(code, code)
                index = widget.count() - 1
            widget.setCurrentIndex(index)

        self._add(
            Binding("place_ubigeo", _("&Ubigeo del lugar"), widget, error_label(), read, write)
        )

    def form_page(self, names: Sequence[str], first: Sequence[tuple[str, QWidget]] = ()) -> QWidget:
        """A page with ``first`` rows, then a row per field: caption, field, error under it."""
        page = QWidget()
        form = QFormLayout(page)
        for caption_text, widget in first:
            form.addRow(caption_text, widget)
        for name in names:
            binding = self.bindings[name]
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(binding.widget)
            column.addWidget(binding.error)
            caption = QLabel(binding.label + ":")
            caption.setBuddy(binding.widget)
            form.addRow(caption, holder)
        return page

    def set_places(self, places: tuple[tuple[str, str], ...]) -> None:
        """Offer every place (ubigeo, 'District, Province, Department') to pick from."""
        widget = self.bindings["place_ubigeo"].widget
        assert isinstance(widget, QComboBox)
        current = widget.currentData()
        widget.blockSignals(True)
        widget.clear()
        for code, where in places:
            widget.addItem(f"{where} ({code})", code)
        completer = QCompleter(widget.model(), widget)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        widget.setCompleter(completer)
        if current:
            self.bindings["place_ubigeo"].write(current)
        widget.blockSignals(False)

    def _enum(self, name: str, label: str, enum: type[Modality] | type[AtType]) -> None:
        widget = QComboBox()
        for member in enum:
            widget.addItem(member.label, member.value)
        widget.currentIndexChanged.connect(lambda _i: self._notify(name))
        self._add(
            Binding(
                name,
                label,
                widget,
                error_label(),
                lambda: enum(widget.currentData()),
                lambda v: widget.setCurrentIndex(widget.findData(v.value)),
            )
        )

    def _text(self, name: str, label: str) -> None:
        widget = QPlainTextEdit()
        widget.setTabChangesFocus(True)
        widget.textChanged.connect(lambda: self._notify(name))
        self._add(
            Binding(
                name,
                label,
                widget,
                error_label(),
                widget.toPlainText,
                lambda v: widget.setPlainText(v) if widget.toPlainText() != v else None,
            )
        )

    # ------------------------------------------------------------------ state
    def load(self, visit: Visit) -> None:
        """Show a visit's stored values (no save is triggered)."""
        self._loading = True
        try:
            self.acta_number.setText(visit.acta_number)
            for name, binding in self.bindings.items():
                binding.write(getattr(visit, name))
                binding.show_error("")
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        """Lock every field (a finalized acta) or unlock them (a draft)."""
        for binding in self.bindings.values():
            widget = binding.widget
            if isinstance(widget, QLineEdit | QPlainTextEdit | DateField):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)

    def eventFilter(self, watched: QObject, event: Any) -> bool:  # noqa: N802
        """Leaving a field saves it at once."""
        if event.type() == event.Type.FocusOut and watched in self._left_by:
            self.left.emit(self._left_by[watched])
        return False
