"""Tooltips name keys as a Spanish keyboard prints them (Supr, Insert), not as Qt spells them."""

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.sections import PAGES


def test_tooltips_name_the_keys_printed_on_her_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    for spec in PAGES:  # every page, built as when she opens it
        window.page(spec.key)
    tips = [b.toolTip() for b in window.findChildren(QPushButton) if b.toolTip()]
    assert "Quitar el anexo seleccionado del acta (Supr)" in tips  # an annex
    assert "Planificar la visita a las instancias seleccionadas (Insert)" in tips
    named = [t for t in tips if "(" in t]
    assert not [t for t in named if "(Del" in t or "(Ins)" in t or "+Del" in t], named
