"""«Datos de la instancia» on the instancia page: typed, saved, shown; a refusal said in Spanish."""

import uuid
from collections.abc import Callable

from helpers.widgets import child, page_of
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.instancia_page import InstanciaPage
from sync.kinds import INSTANCIA

TIMEOUT = 10_000
Typist = Callable[[QWidget, str], None]  # the fixture in conftest.py
FIELDS = {
    "chair_name": "instanciaChairName",
    "chair_post": "instanciaChairPost",
    "secretariat_unit": "instanciaSecretariatUnit",
    "secretariat_person": "instanciaSecretariatPerson",
}


def opened(qtbot: QtBot, window: MainWindow, services: AppServices) -> InstanciaPage:
    """The page of an instancia of the demo profile, loaded."""
    first = services.list_instancias()[0]
    page = page_of(window, InstanciaPage, "instancia_page")
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        window.open_instancia(first.id)
    return page


def field(page: QWidget, name: str) -> QLineEdit:
    return child(page, QLineEdit, FIELDS[name])


def button(page: QWidget, name: str) -> QPushButton:
    return child(page, QPushButton, name)


def stored(services: AppServices, instancia_id: uuid.UUID) -> tuple[str, ...]:
    detail = services.instancia_detail(instancia_id)
    return tuple(getattr(detail, name) for name in FIELDS)


def shown_errors(page: QWidget) -> list[str]:
    return [e.text() for e in page.findChildren(QLabel, "fieldError") if e.isVisibleTo(page)]


def test_the_data_is_typed_saved_and_shown(
    qtbot: QtBot, typist: Typist, window: MainWindow, services: AppServices
) -> None:
    page = opened(qtbot, window, services)
    assert page.detail is not None
    instancia_id = page.detail.summary.id
    section = child(page, QGroupBox, "instanciaData")
    assert section.title() == "Datos de la instancia"
    save = button(page, "saveInstanciaData")
    assert not save.isEnabled()  # nothing to save yet

    # Alt+M reaches the chair's name; Tab walks through the four fields in order.
    qtbot.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert field(page, "chair_name").hasFocus()
    typist(field(page, "chair_name"), "  Rosa Quispe Huamán ")
    qtbot.keyClick(field(page, "chair_name"), Qt.Key.Key_Tab)
    assert field(page, "chair_post").hasFocus()
    typist(field(page, "chair_post"), "Alcaldesa distrital")
    field(page, "secretariat_unit").setText("Gerencia de Desarrollo Social")
    assert save.isEnabled()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(
        lambda: field(page, "chair_name").text() == "Rosa Quispe Huamán", timeout=TIMEOUT
    )
    assert stored(services, instancia_id) == (
        "Rosa Quispe Huamán", "Alcaldesa distrital", "Gerencia de Desarrollo Social", "",
    )  # fmt: skip
    assert page.detail.secretariat_unit == "Gerencia de Desarrollo Social"
    assert child(page, QLabel, "saveState").text() == "Datos guardados."
    assert not save.isEnabled() and shown_errors(page) == []

    # Enter in a field saves it too; Esc puts back what is stored.
    typist(field(page, "secretariat_person"), "Luis Mamani")
    qtbot.keyClick(field(page, "secretariat_person"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(services, instancia_id)[3] == "Luis Mamani", timeout=TIMEOUT)
    typist(field(page, "chair_post"), " (e)")
    qtbot.keyClick(field(page, "chair_post"), Qt.Key.Key_Escape)
    assert field(page, "chair_post").text() == "Alcaldesa distrital"
    assert not save.isEnabled()

    # Coming back to the page shows what was saved.
    window.go_back()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        window.open_instancia(instancia_id)
    assert [field(page, n).text() for n in FIELDS] == list(stored(services, instancia_id))


def test_an_over_long_value_is_refused_in_spanish_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    page = opened(qtbot, window, services)
    assert page.detail is not None
    instancia_id = page.detail.summary.id
    before = stored(services, instancia_id)
    limit = INSTANCIA.fields["chair_post"].max_length
    field(page, "chair_name").setText("Rosa Quispe")
    field(page, "chair_post").setText("x" * (limit + 1))
    qtbot.mouseClick(button(page, "saveInstanciaData"), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: bool(shown_errors(page)), timeout=TIMEOUT)
    assert shown_errors(page) == [
        f"«Presidencia (cargo)» admite hasta {limit} caracteres; tiene {limit + 1}."
    ]
    assert field(page, "chair_post").hasFocus()
    assert stored(services, instancia_id) == before
    assert field(page, "chair_post").text() == "x" * (limit + 1)  # kept, to be corrected

    field(page, "chair_post").setText("Alcalde")
    qtbot.mouseClick(button(page, "saveInstanciaData"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored(services, instancia_id)[1] == "Alcalde", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: shown_errors(page) == [], timeout=TIMEOUT)
    assert stored(services, instancia_id)[0] == "Rosa Quispe"
