"""The visit's checklist tab: items, the score as they are answered, the last visit, upgrades."""

import uuid
from collections.abc import Mapping
from typing import cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.checklist_views import ChecklistView
from instancias_desktop.domain.form_changes import ChecklistComparison, FormUpgrade, Trend
from instancias_desktop.domain.forms import Applicability, FormRef, ItemAnswer, applicability
from instancias_desktop.domain.scoring import REFERENCE_NOTE, ScoreResult, evaluate, score_text
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.i18n import _
from instancias_desktop.services.api import ChecklistService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.widgets.checklist_widget import ChecklistWidget
from instancias_desktop.ui.widgets.draft_saver import DraftSaver
from instancias_desktop.ui.widgets.typed_input import FieldInputError

AREAS = frozenset({Area.VISITS})  # annexes come and go with the visit
SHOWN_SHORTFALLS = 3


class ChecklistTab(QWidget):
    """Fills the functioning checklist of one visit; every answer is saved as it is given."""

    loaded = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistTab")
        self._ops = ops
        self._services: ChecklistService | None = None
        self.visit_id: uuid.UUID | None = None
        self.view: ChecklistView | None = None
        self.prompt: QMessageBox | None = None
        self._loads = Latest(ops, self)
        self._shown_visit: uuid.UUID | None = None
        self._shown_refs: dict[uuid.UUID, FormRef] = {}  # the version each visit was shown with
        self._locked = False  # the editor saw the acta finalized: no input, even before a reload
        self.saver = self._saver_for(None)
        self.widget = ChecklistWidget()
        self.widget.edited.connect(self._on_edited)
        self._build()
        self._follower = ops.follow(self, AREAS, self.reload)

    @staticmethod
    def _line(name: str = "") -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    @staticmethod
    def _comparison_tree() -> QTreeWidget:
        """Each item against the previous visit's answer (hidden until asked for)."""
        tree = QTreeWidget()
        tree.setObjectName("checklistComparison")
        tree.setAccessibleName(_("Comparación con la visita anterior"))
        tree.setAccessibleDescription(
            _(
                "Cada ítem frente a la visita anterior: la respuesta de antes, la de ahora y si "
                "mejoró, empeoró o siguió igual."
            )
        )
        tree.setHeaderLabels([_("Ítem"), _("Antes"), _("Ahora"), _("Cambio")])
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        tree.setRootIsDecorated(False)
        tree.setMaximumHeight(220)
        tree.hide()
        return tree

    def _build(self) -> None:
        self.score = self._line("checklistScore")
        self.records_stage = self._line("checklistRecordsStage")
        self.shortfalls = self._line("checklistShortfalls")
        self.missing = self._line("evidenceWarning")
        self.save_error = self._line("checklistSaveError")
        self.save_error.hide()
        self.version = self._line("hint")
        self.upgrade_button = QPushButton()
        self.upgrade_button.setObjectName("upgradeChecklist")
        self.upgrade_button.setAccessibleName(_("Actualizar la lista a la versión vigente"))
        self.upgrade_button.setToolTip(
            _(
                "Pasar las respuestas de este borrador a la versión más reciente de la ficha; "
                "antes se muestra qué cambia y se puede mantener la versión actual"
            )
        )
        self.upgrade_button.clicked.connect(lambda _c: self.ask_upgrade())
        self.comparison = self._comparison_tree()
        self.compare_button = QPushButton()
        self.compare_button.setObjectName("compareChecklist")
        self.compare_button.setAccessibleName(_("Comparar con la visita anterior"))
        self.compare_button.setToolTip(
            _(
                "Mostrar u ocultar la comparación, ítem por ítem, con el acta anterior de esta "
                "instancia"
            )
        )
        self.compare_button.setCheckable(True)
        self.compare_button.toggled.connect(self.comparison.setVisible)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.hide()
        heading = QHBoxLayout()
        heading.addWidget(self.version, 1)
        heading.addWidget(self.compare_button)
        heading.addWidget(self.upgrade_button)
        self.items_area = QScrollArea()
        self.items_area.setObjectName("checklistItems")
        self.items_area.setWidgetResizable(True)
        self.items_area.setWidget(self.widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.score)
        layout.addWidget(self.records_stage)
        layout.addWidget(self.shortfalls)
        layout.addWidget(self.missing)
        layout.addWidget(self.save_error)
        layout.addLayout(heading)
        layout.addWidget(self.comparison)
        layout.addWidget(self.empty)
        layout.addWidget(self.items_area, 1)

    # ------------------------------------------------------------------ loading
    def attach(self, services: ChecklistService) -> None:
        """Work on an opened profile."""
        self._services = services

    def _saver_for(self, visit_id: uuid.UUID | None) -> DraftSaver:
        """One saver per visit, bound to the version on screen when the answer was given."""

        def save(batch: Mapping[str, object]) -> ChecklistView:
            services = self._services
            assert services is not None and visit_id is not None
            answers = cast(Mapping[str, ItemAnswer | None], batch)
            # The version shown for that visit, even if another visit is on screen by now.
            return services.save_checklist_answers(visit_id, self._shown_refs[visit_id], answers)

        saver = DraftSaver(self._ops, save, self)
        saver.saved.connect(self._on_saved)
        saver.rejected.connect(self._on_rejected)
        for signal in (saver.failed, saver.dropped):
            signal.connect(self._not_saved)
        return saver

    def _not_saved(self, error: Exception) -> None:
        self.save_error.setText(_("No se guardó: {e}").format(e=error))
        self.save_error.show()

    def lock(self, locked: bool) -> None:
        """The acta on screen is finalized (or a draft again): rows take no input at once."""
        self._locked = locked
        if locked:
            for row in self.widget.rows.values():
                row.set_editable(False)

    def _editable(self, view: ChecklistView) -> bool:
        return view.editable and not self._locked

    def open_visit(self, visit_id: uuid.UUID) -> None:
        """Show another visit's checklist; what was pending is saved to the previous visit."""
        previous = self.saver
        previous.flush()
        previous.rejected.disconnect()
        self.saver = self._saver_for(visit_id)
        self.visit_id = visit_id
        self.view = None
        self._locked = False
        self.save_error.hide()
        self._follower.request()  # read when the tab is shown: not on every opening

    def flush(self) -> None:
        """Save what is pending now."""
        self.saver.flush()

    def reload(self) -> None:
        """Read the checklist again, off the GUI thread."""
        services, visit_id = self._services, self.visit_id
        if services is None or visit_id is None:
            return
        self._loads.run(lambda: services.checklist(visit_id), lambda v: self._show(visit_id, v))

    def _show(self, visit_id: uuid.UUID, view: ChecklistView | None) -> None:
        if visit_id != self.visit_id:
            return
        if view is None or (not view.pinned and not view.editable):
            self._show_empty(view)
            return
        fresh = (
            self._shown_visit != visit_id
            or self.view is None
            or self.view.definition.ref != view.definition.ref
            or self.view.editable != view.editable
        )
        self.view = view
        self._shown_refs[visit_id] = view.definition.ref
        self.empty.hide()
        self.items_area.show()
        self.widget.show_definition(view.definition)
        if fresh:
            self.widget.load(view.answers, view.attachments)
            self._shown_visit = visit_id
        else:  # keep what is being typed; only the annexes to choose from may have changed
            for row in self.widget.rows.values():
                row.set_attachments(view.attachments)
        for row in self.widget.rows.values():
            row.set_editable(self._editable(view))
        self.widget.offer(view.suggestions, self._editable(view))
        self._show_header(view)
        self._apply(view.result)
        focus = QApplication.focusWidget()
        if (
            fresh
            and self.isVisible()
            and (focus is None or not self.items_area.isAncestorOf(focus))
        ):
            # Rows made while the tab is on screen are shown by Qt at the next turn of the
            # event loop; the focus goes to the first open item then.
            QTimer.singleShot(0, self, self.focus_first_open)
        self.loaded.emit()

    def _show_empty(self, view: ChecklistView | None) -> None:
        self.view = view
        self._shown_visit = None
        self.items_area.hide()
        for widget in (
            self.score,
            self.records_stage,
            self.shortfalls,
            self.missing,
            self.upgrade_button,
        ):
            widget.hide()
        self.compare_button.hide()
        self.comparison.hide()
        self.version.setText("")
        self.empty.setText(
            _("No hay una ficha publicada para este nivel de instancia.")
            if view is None
            else _("Esta acta se finalizó sin lista de verificación.")
        )
        self.empty.show()
        self.loaded.emit()

    def _show_header(self, view: ChecklistView) -> None:
        form = view.definition
        state = (
            _("en uso en esta visita") if view.pinned else _("se fijará con la primera respuesta")
        )
        self.version.setText(
            _("Ficha: {title} — versión {version} ({state}).").format(
                title=form.title, version=form.version, state=state
            )
        )
        self.upgrade_button.setVisible(view.newer is not None and view.editable)
        if view.newer is not None:
            self.upgrade_button.setText(
                _("Actualizar a la versión {v}…").format(v=view.newer.version)
            )
        self._show_comparison(view.comparison)

    def _show_comparison(self, comparison: ChecklistComparison | None) -> None:
        self.compare_button.setVisible(comparison is not None)
        self.comparison.clear()
        if comparison is None:
            self.comparison.hide()
            return
        self.compare_button.setText(
            _(
                "Frente al acta {acta} ({date}): mejoró {up}, empeoró {down}; puntaje {old} → {new}"
            ).format(
                acta=comparison.previous_acta,
                date=comparison.previous_date,
                up=comparison.count(Trend.IMPROVED),
                down=comparison.count(Trend.WORSENED),
                old=score_text(comparison.previous_score),
                new=score_text(comparison.score),
            )
        )
        form = self.view.definition if self.view else None
        for change in comparison.changes:
            item = form.item(change.code) if form else None
            title = f"{item.number}. {change.text}" if item else change.text
            row = QTreeWidgetItem(
                [title, change.before or "—", change.after or "—", _(change.trend.value)]
            )
            row.setToolTip(0, title)
            self.comparison.addTopLevelItem(row)
        self.comparison.setVisible(self.compare_button.isChecked())

    # ------------------------------------------------------------------ scoring
    def _current_answers(self) -> dict[str, ItemAnswer]:
        answers = {}
        for code, row in self.widget.rows.items():
            try:
                value = row.value()
            except FieldInputError:
                value = self.view.answers.get(code) if self.view else None
            if value is not None:
                answers[code] = value
        return answers

    def _apply(self, result: ScoreResult) -> None:
        view = self.view
        if view is None:
            return
        form = view.definition
        answers = self._current_answers()
        for code, row in self.widget.rows.items():
            state = applicability(form, row.item, view.level, answers)
            row.setVisible(code in result.visible)
            when = row.item.when
            parent = form.item(when.item) if when and when.item else None
            row.set_blocked(
                _("Se responde cuando el ítem {n} sea «{answer}».").format(
                    n=parent.number, answer=parent.choice_label(when.at_least)
                )
                if state is Applicability.BLOCKED and parent is not None and when is not None
                else ""
            )
            if not self._editable(view):
                row.set_editable(False)
            row.warning.setVisible(row.item in result.missing_evidence)
        self.score.setText(
            _(
                "Puntaje de funcionamiento (referencial): {score} / 100 · {band} · Estado "
                "sugerido (referencial): {stage} · {answered} de {total} ítems respondidos"
                " · ficha {form}"
            ).format(
                score=score_text(result.score),
                band=result.band or "—",
                stage=result.suggested_stage.label,
                answered=result.answered,
                total=result.applicable,
                form=form.ref,
            )
        )
        records = self.view.records_stage if self.view is not None else None
        self.records_stage.setText(
            _(
                "Según los registros de la instancia (integrantes, normas, sesiones, "
                "instrumentos), el estado sugerido sería: {stage} (referencial, ficha {form})."
            ).format(stage=records.label, form=form.ref)
            if records is not None
            else ""
        )
        self.records_stage.setVisible(records is not None)
        self.score.setToolTip(REFERENCE_NOTE)  # and for a screen reader:
        self.score.setAccessibleDescription(REFERENCE_NOTE)
        worst = [
            _("{n}. {text} ({answer}) −{points}").format(
                n=s.item.number,
                text=s.item.text,
                answer=s.item.choice_label(s.answer_code) if s.answer_code else _("sin respuesta"),
                points=f"{s.points:.0f}",
            )
            for s in result.shortfalls[:SHOWN_SHORTFALLS]
        ]
        self.shortfalls.setText(
            _("Lo que más baja el puntaje: {items}").format(items="; ".join(worst)) if worst else ""
        )
        self.missing.setText(
            _(
                "Falta el medio de verificación en los ítems {numbers}:"
                " se exige para finalizar el acta."
            ).format(numbers=", ".join(str(i.number) for i in result.missing_evidence))
            if result.missing_evidence
            else ""
        )
        for label in (self.score, self.shortfalls, self.missing):
            label.setVisible(bool(label.text()))

    # ------------------------------------------------------------------ saving
    def _on_edited(self, code: str, answer_changed: bool) -> None:
        if self.view is None or not self._editable(self.view):
            return  # a finalized acta takes no input; the rows are locked as well
        row = self.widget.rows[code]
        try:
            value = row.value()
        except FieldInputError as error:
            row.error.setText(error.message)
            row.error.show()
            self.saver.discard(code)
            return
        row.error.hide()
        self.saver.change(code, value)
        if answer_changed:
            self.saver.flush()  # an answer is saved at once; typing waits for a pause
        if self.view is not None:
            self._apply(evaluate(self.view.definition, self.view.level, self._current_answers()))

    def _on_saved(self, view: ChecklistView) -> None:
        if view.visit_id != self.visit_id:
            return
        self.save_error.hide()
        self.view = view
        self._show_header(view)
        self._apply(evaluate(view.definition, view.level, self._current_answers()))
        self._ops.announce({Area.CHECKLISTS})

    def _on_rejected(self, error: ValidationError) -> None:
        for e in error.errors:
            row = self.widget.rows.get(e.field)
            if row is not None:
                row.error.setText(e.message)
                row.error.show()

    def focus_first_open(self) -> None:
        """Put the focus on the first unanswered item (or the first item)."""
        rows = [r for r in self.widget.rows.values() if r.isVisibleTo(self) and r.buttons_enabled()]
        target = next((r for r in rows if not r.chosen()), rows[0] if rows else None)
        if target is not None:
            target.focus_answer()

    # ------------------------------------------------------------------ upgrade
    def ask_upgrade(self) -> None:
        """Show what a newer version changes before moving this draft to it."""
        services, visit_id = self._services, self.visit_id
        if services is None or visit_id is None:
            return
        self.saver.flush()
        self._ops.run(
            lambda: services.checklist_upgrade_plan(visit_id), self._confirm_upgrade, owner=self
        )

    def _confirm_upgrade(self, plan: FormUpgrade | None) -> None:
        if plan is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Actualizar la ficha"),
            _("¿Pasar esta lista de la versión {old} a la {new}? Esto cambia:").format(
                old=plan.old.version, new=plan.new.version
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("upgradePrompt")
        box.setInformativeText(
            "\n".join(f"• {line}" for line in plan.describe()) or _("Nada visible.")
        )
        box.button(QMessageBox.StandardButton.Yes).setText(_("&Actualizar"))
        box.button(QMessageBox.StandardButton.No).setText(
            _("&Mantener la versión {v}").format(v=plan.old.version)
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(
            lambda code: self._upgrade(plan) if code == QMessageBox.StandardButton.Yes else None
        )
        self.prompt = box
        box.open()

    def _upgrade(self, plan: FormUpgrade) -> None:
        services, visit_id = self._services, self.visit_id
        if services is None or visit_id is None:
            return
        self._loads.run(  # supersedes any reload still on its way
            lambda: services.upgrade_checklist(visit_id, plan.new.ref),
            lambda view: self._show(visit_id, view),
        )
