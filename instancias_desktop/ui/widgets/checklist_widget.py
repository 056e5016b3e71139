"""Renders any valid checklist definition: one row per item, answered with the keyboard.

In an item, S/P/N/A (or the option's number) choose the answer, Tab reaches the evidence and the
note, and Enter moves to the next item. The widget only reports what the user changed; saving,
scoring and conditions are decided elsewhere from the same definition.
"""

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.enums import Answer
from instancias_desktop.domain.forms import (
    AnswerType,
    FormDefinition,
    FormItem,
    ItemAnswer,
    answer_for,
)
from instancias_desktop.domain.record_evidence import Suggestion
from instancias_desktop.i18n import _
from instancias_desktop.ui.widgets.suggestion_bar import SuggestionBar
from instancias_desktop.ui.widgets.typed_input import FieldInputError, parse_day
from instancias_desktop.ui.widgets.visit_fields import error_label

_LETTERS = {
    Qt.Key.Key_S: Answer.YES.value,
    Qt.Key.Key_P: Answer.PARTIAL.value,
    Qt.Key.Key_N: Answer.NO.value,
    Qt.Key.Key_A: Answer.NOT_APPLICABLE.value,
}
_LETTER_OF = {code: chr(key.value) for key, code in _LETTERS.items()}  # «si» → «S»
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _sentence(text: str) -> str:
    """``text`` ending as a sentence, so that what a screen reader reads after it stands apart."""
    return text if text.endswith((".", "?", "!", "…", ":")) else text + "."


class ItemRow(QFrame):
    """One item: its question, the answer buttons, the evidence and a note.

    Its inputs are named after the item («evidenceDate-norma_creacion», «answer-presidencia-si»),
    so each is unique in the window; its labels keep the names the style sheet knows. Each input
    is described by the item it belongs to, so a screen reader says what is being answered.
    """

    edited = Signal(str, bool)  # item code; True when the answer itself changed (save at once)
    advance = Signal(str)  # Enter: go to the item after this one

    def __init__(self, item: FormItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("checklistItem")
        self._loading = False
        # An item that rests on an assumption says so where it is read, not only on hover.
        supposed = _(" (supuesto, a confirmar por el MIMP)") if item.assumption else ""
        title = QLabel(f"{item.number}. {item.text}{supposed}")
        title.setObjectName("itemTitle")
        title.setWordWrap(True)
        if item.basis:
            title.setToolTip(_("Sustento: {basis}").format(basis=item.basis))
            title.setAccessibleDescription(title.toolTip())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(title)
        if item.help:
            hint = QLabel(item.help)
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        self.blocked_note = QLabel()
        self.blocked_note.setObjectName("hint")
        self.blocked_note.hide()
        layout.addWidget(self.blocked_note)
        self.suggestion = SuggestionBar(item, self)
        self.suggestion.use.connect(self._use)
        layout.addWidget(self.suggestion)
        layout.addLayout(self._answer_row())
        self.evidence_box = self._evidence_row()
        layout.addWidget(self.evidence_box)
        self.note = QLineEdit()
        self.note.setObjectName(f"itemNote-{item.code}")
        self.note.setPlaceholderText(_("Nota (opcional)"))
        self.note.setAccessibleName(_("Nota del ítem {n}").format(n=item.number))
        self.note.setAccessibleDescription(
            _("Observación sobre el ítem {n} (opcional); Intro pasa al ítem siguiente.").format(
                n=item.number
            )
        )
        layout.addWidget(self.note)
        self.warning = QLabel(
            _("Falta el medio de verificación: tipo de documento y su número, fecha o archivo.")
        )
        self.warning.setObjectName("evidenceWarning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        layout.addWidget(self.warning)
        self.error = error_label()
        layout.addWidget(self.error)
        for editor in (
            self.type_line,
            self.evidence_number,
            self.evidence_date,
            self.note,
        ):
            editor.textEdited.connect(lambda _t: self._changed(answer=False))
            editor.installEventFilter(self)
        self.evidence_file.activated.connect(lambda _i: self._changed(answer=False))
        for combo in (self.evidence_type, self.evidence_file):
            combo.installEventFilter(self)

    # ------------------------------------------------------------------ layout
    def _question(self) -> str:
        """The item as a screen reader describes its inputs: its statement and its help."""
        return " ".join(_sentence(text) for text in (self.item.text, self.item.help) if text)

    def _answer_keys(self) -> str:
        """The keys that answer this item, as its eventFilter reads them."""
        if self.item.answer_type is AnswerType.CHOICE:
            return _("El número de una opción la elige; Intro pasa al ítem siguiente.")
        *some, last = [_LETTER_OF[code] for code in self.buttons if code in _LETTER_OF]
        letters = _("{some} o {last}").format(some=", ".join(some), last=last) if some else last
        return _("Las teclas {letters} eligen la respuesta; Intro pasa al ítem siguiente.").format(
            letters=letters
        )

    def _answer_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        codes = list(self.item.choices())
        if self.item.not_applicable:
            codes.append(Answer.NOT_APPLICABLE.value)
        for position, code in enumerate(codes, start=1):
            label = self.item.choice_label(code)
            if self.item.answer_type is AnswerType.CHOICE and code != Answer.NOT_APPLICABLE.value:
                label = f"{position}. {label}"
            button = QRadioButton(label)
            button.setObjectName(f"answer-{self.item.code}-{code}")
            button.setAccessibleName(
                _("Ítem {n}: {answer}").format(n=self.item.number, answer=label)
            )
            button.installEventFilter(self)
            self.group.addButton(button)
            self.buttons[code] = button
            row.addWidget(button)
        described = f"{self._question()} {self._answer_keys()}"
        for button in self.buttons.values():
            button.setAccessibleDescription(described)
        self.group.buttonToggled.connect(self._toggled)
        self.clear_button = QToolButton()
        self.clear_button.setObjectName(f"clearAnswer-{self.item.code}")
        self.clear_button.setText(_("Quitar respuesta"))
        self.clear_button.setToolTip(
            _("Dejar el ítem {n} sin respuesta").format(n=self.item.number)
        )
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(lambda _c: self.clear())
        row.addStretch(1)
        row.addWidget(self.clear_button)
        return row

    def _evidence_row(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(_("Medio de verificación:"))
        code = self.item.code
        self.evidence_type = QComboBox()
        self.evidence_type.setObjectName(f"evidenceType-{code}")
        self.evidence_type.setEditable(True)
        self.evidence_type.addItems(["", *self.item.evidence.types])
        self.evidence_type.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.evidence_type.setMinimumContentsLength(18)
        self.type_line = self.evidence_type.lineEdit() or QLineEdit()  # editable: always there
        self.type_line.setPlaceholderText(_("Tipo de documento"))
        self.evidence_type.setAccessibleName(_("Tipo de documento"))
        self.type_line.setAccessibleName(
            _("Tipo de documento del ítem {n}").format(n=self.item.number)
        )
        n, question = self.item.number, _sentence(self.item.text)
        for widget in (self.evidence_type, self.type_line):
            widget.setAccessibleDescription(
                _(
                    "Tipo del documento que sustenta el ítem {n}: {question} Elíjalo de la lista "
                    "o escríbalo."
                ).format(n=n, question=question)
            )
        self.evidence_number = QLineEdit()
        self.evidence_number.setObjectName(f"evidenceNumber-{code}")
        self.evidence_number.setPlaceholderText(_("N°"))
        self.evidence_number.setAccessibleName(_("Número del documento"))
        self.evidence_number.setAccessibleDescription(
            _("Número del documento que sustenta el ítem {n}.").format(n=n)
        )
        self.evidence_date = QLineEdit()
        self.evidence_date.setObjectName(f"evidenceDate-{code}")
        self.evidence_date.setPlaceholderText(_("dd/mm/aaaa"))
        self.evidence_date.setAccessibleName(_("Fecha del documento"))
        self.evidence_date.setAccessibleDescription(
            _("Fecha del documento que sustenta el ítem {n}, como dd/mm/aaaa.").format(n=n)
        )
        self.evidence_date.setMaximumWidth(110)
        self.evidence_file = QComboBox()
        self.evidence_file.setObjectName(f"evidenceFile-{code}")
        self.evidence_file.setAccessibleName(_("Archivo anexo"))
        self.evidence_file.setAccessibleDescription(
            _(
                "Archivo que sustenta el ítem {n}: {question} Se elige entre los anexos del "
                "acta, que se adjuntan en la pestaña «7 Anexos»."
            ).format(n=n, question=question)
        )
        self.evidence_file.setMinimumContentsLength(14)
        caption.setBuddy(self.evidence_type)
        row.addWidget(caption)
        row.addWidget(self.evidence_type, 2)
        row.addWidget(self.evidence_number, 1)
        row.addWidget(self.evidence_date)
        row.addWidget(self.evidence_file, 1)
        return box

    # ------------------------------------------------------------------ values
    def set_attachments(self, attachments: tuple[tuple[str, str], ...]) -> None:
        """The visit's annexes, to choose one as the evidence file."""
        chosen = self.evidence_file.currentData()
        self.evidence_file.clear()
        self.evidence_file.addItem(_("— sin archivo —"), "")
        for key, name in attachments:
            self.evidence_file.addItem(name, key)
        found = self.evidence_file.findData(chosen)
        self.evidence_file.setCurrentIndex(max(found, 0))

    def load(self, answer: ItemAnswer | None) -> None:
        """Show a stored answer (no change is reported)."""
        self._loading = True
        try:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
            if answer is not None and answer.code in self.buttons:
                self.buttons[answer.code].setChecked(True)
            given = answer or ItemAnswer(Answer.NO)
            self.evidence_type.setEditText(given.evidence_type)
            self.evidence_number.setText(given.evidence_number)
            self.evidence_date.setText(
                given.evidence_date.strftime("%d/%m/%Y") if given.evidence_date else ""
            )
            self.evidence_file.setCurrentIndex(
                max(self.evidence_file.findData(given.evidence_attachment), 0)
            )
            self.note.setText(given.note)
            self.error.hide()
        finally:
            self._loading = False
        self._sync_enabled()

    def _use(self, answer: ItemAnswer) -> None:
        """Take the records' answer as if she had typed it (saved at once)."""
        self.load(answer)
        self.suggestion.hide()
        self._changed(answer=True)
        self.focus_answer()

    def chosen(self) -> str:
        """The answer code selected, or "" when unanswered."""
        button = self.group.checkedButton()
        return next((c for c, b in self.buttons.items() if b is button), "")

    def value(self) -> ItemAnswer | None:
        """What the row holds now (FieldInputError for a date that cannot be read)."""
        code = self.chosen()
        if not code:
            return None
        try:
            day = parse_day(self.evidence_date.text(), optional=True)
        except FieldInputError as error:
            raise FieldInputError(error.message, self.item.code) from error
        option = (
            code
            if self.item.answer_type is AnswerType.CHOICE
            and code in {o.code for o in self.item.options}
            else ""
        )
        return ItemAnswer(
            answer=answer_for(self.item, code),
            option=option,
            evidence_type=self.evidence_type.currentText().strip(),
            evidence_number=self.evidence_number.text().strip(),
            evidence_date=day,
            evidence_attachment=self.evidence_file.currentData() or "",
            note=self.note.text().strip(),
        )

    def clear(self) -> None:
        """Withdraw the answer."""
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self._changed(answer=True)

    def choose(self, code: str) -> None:
        """Select an answer as the user would."""
        button = self.buttons.get(code)
        if button is not None and button.isEnabled():
            button.setChecked(True)
            button.setFocus()

    def focus_answer(self) -> None:
        """Put the focus on the answer (the chosen one, else the first)."""
        button = self.group.checkedButton() or next(iter(self.buttons.values()))
        button.setFocus(Qt.FocusReason.TabFocusReason)

    def buttons_enabled(self) -> bool:
        """Whether the item can be answered now."""
        return any(b.isEnabled() for b in self.buttons.values())

    def set_blocked(self, reason: str) -> None:
        """An item that waits for an earlier answer cannot be answered yet."""
        self.blocked_note.setText(reason)
        self.blocked_note.setVisible(bool(reason))
        for button in self.buttons.values():
            button.setEnabled(not reason)

    def set_editable(self, editable: bool) -> None:
        """A finalized acta shows its checklist read-only."""
        for widget in (self.evidence_type, self.evidence_file):
            widget.setEnabled(editable)
        for line in (self.evidence_number, self.evidence_date, self.note):
            line.setReadOnly(not editable)
        for button in self.buttons.values():
            button.setEnabled(editable and not self.blocked_note.isVisible())
        self.clear_button.setVisible(editable)

    def _sync_enabled(self) -> None:
        answered = bool(self.chosen())
        not_applicable = self.chosen() == Answer.NOT_APPLICABLE.value
        self.evidence_box.setEnabled(answered and not not_applicable)
        self.clear_button.setEnabled(answered)

    # ------------------------------------------------------------------ events
    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._changed(answer=True)

    def _changed(self, *, answer: bool) -> None:
        self._sync_enabled()
        if not self._loading:
            self.edited.emit(self.item.code, answer)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Letters choose the answer on the buttons; Enter goes on to the next item."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key in _ENTER and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.advance.emit(self.item.code)
            return True
        if (
            isinstance(watched, QRadioButton)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            code = self._code_for_key(key)
            if code:
                self.choose(code)
                return True
        return False

    def _code_for_key(self, key: int) -> str:
        if self.item.answer_type is AnswerType.CHOICE and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            codes = self.item.choices()
            position = key - Qt.Key.Key_1
            return codes[position] if position < len(codes) else ""
        code = _LETTERS.get(Qt.Key(key), "")
        return code if code in self.buttons else ""


class ChecklistWidget(QWidget):
    """All the items of a definition, grouped by section."""

    edited = Signal(str, bool)  # item code; whether the answer itself changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definition: FormDefinition | None = None
        self.rows: dict[str, ItemRow] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def show_definition(self, definition: FormDefinition) -> None:
        """Build the rows of a definition (kept while the same version is shown)."""
        if self.definition is not None and self.definition.ref == definition.ref:
            return
        while (child := self._layout.takeAt(0)) is not None:
            if widget := child.widget():
                widget.deleteLater()
        self.rows = {}
        self.definition = definition
        for section in definition.sections:
            box = QGroupBox(section.title)
            column = QVBoxLayout(box)
            for item in section.items:
                row = ItemRow(item, box)
                row.edited.connect(self.edited)
                row.advance.connect(self._advance)
                self.rows[item.code] = row
                column.addWidget(row)
            self._layout.addWidget(box)
        self._layout.addStretch(1)

    def load(
        self, answers: Mapping[str, ItemAnswer], attachments: tuple[tuple[str, str], ...]
    ) -> None:
        """Show stored answers; rows being edited are left alone by the caller."""
        for code, row in self.rows.items():
            row.set_attachments(attachments)
            row.load(answers.get(code))

    def offer(self, suggestions: Mapping[str, Suggestion], editable: bool) -> None:
        """Under each item the records speak to, what they support (unless already answered)."""
        for code, row in self.rows.items():
            row.suggestion.offer(suggestions.get(code), row.chosen(), editable)

    def _advance(self, code: str) -> None:
        codes = list(self.rows)
        for later in codes[codes.index(code) + 1 :]:
            row = self.rows[later]
            if row.isVisible() and row.buttons_enabled():
                row.focus_answer()
                return

    def first_row(self) -> ItemRow | None:
        """The first item that can be answered."""
        return next(
            (r for r in self.rows.values() if r.isVisible() and r.buttons_enabled()),
            None,
        )
