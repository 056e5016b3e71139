"""Under a checklist item: the answer the instancia's records support, and «Usar» to take it.

Nothing is answered for her: the offer shows what the records say and why, and the answer is
stored only when she takes it (then she may still change it).
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from instancias_desktop.domain.forms import FormItem, ItemAnswer
from instancias_desktop.domain.record_evidence import Suggestion
from instancias_desktop.i18n import _


class SuggestionBar(QFrame):
    """«Según los registros de la instancia: Sí — …» with «Usar esta respuesta»."""

    use = Signal(object)  # ItemAnswer

    def __init__(self, item: FormItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"suggestion-{item.code}")
        self._item = item
        self._offer: Suggestion | None = None
        self.text = QLabel()
        self.text.setObjectName("suggestionText")
        self.text.setWordWrap(True)
        self.button = QPushButton(_("Usar esta respuesta"))
        self.button.setObjectName(f"useSuggestion-{item.code}")
        self.button.setToolTip(
            _("Responder el ítem {n} con lo que muestran los registros; luego puede cambiarlo")
            .format(n=item.number)
        )  # fmt: skip
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(self._take)
        self.hide()

    def offer(self, suggestion: Suggestion | None, chosen: str, editable: bool) -> None:
        """Show the offer unless the item already holds that answer or cannot be changed."""
        self._offer = suggestion
        if suggestion is None or not editable or chosen == suggestion.answer.code:
            self.hide()
            return
        label = self._item.choice_label(suggestion.answer.code)
        self.text.setText(
            _("Según los registros de la instancia: <b>{answer}</b> — {reason}").format(
                answer=label, reason=suggestion.reason
            )
        )
        self.button.setAccessibleDescription(self.text.text())
        self.show()

    def _take(self) -> None:
        if self._offer is not None:
            answer: ItemAnswer = self._offer.answer
            self.use.emit(answer)
