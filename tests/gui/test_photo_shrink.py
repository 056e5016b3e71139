"""A large photo attached to a visit: reduced with the specialist's consent, or kept as is."""

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.gui_visits import unvisited_idc
from helpers.widgets import page_of
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.image_shrink import MAX_SIDE
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A 3000 × 2000 camera photo (stripes, so it does not compress to nothing)."""
    image = QImage(3000, 2000, QImage.Format.Format_RGB32)
    for x in range(0, 3000, 10):
        for y in range(0, 2000, 500):
            image.setPixelColor(x, y, QColor((x * 7) % 256, (y * 3) % 256, 90))
    image.fill(QColor(200, 180, 160))
    for y in range(0, 2000, 4):
        for x in range(0, 3000, 3):
            image.setPixelColor(x, y, QColor((x * y) % 256, x % 256, y % 256))
    path = tmp_path / "sesion-de-instalacion.jpg"
    assert image.save(str(path), quality=95)
    return path


@pytest.fixture
def editor_window(
    qtbot: QtBot, services: AppServices, photo: Path
) -> Iterator[tuple[MainWindow, Operations]]:
    ops = Operations()
    main = MainWindow(ops, choose_file=lambda _parent: photo)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(page_of(main, InstanciasPage, "instancias").loaded, timeout=10_000):
        main.attach(services, services.describe_profile())
    yield main, ops
    ops.wait()


def attached(
    qtbot: QtBot, window: MainWindow, services: AppServices, visit_id: Any, answer: bool
) -> Any:
    asked: list[tuple[Any, ...]] = []

    def consent(*args: Any) -> bool:
        asked.append(args)
        return answer

    lists = page_of(window, VisitEditorPage, "editor").lists  # the editor's lists: no widget
    lists.ask_shrink = consent
    before = len(services.visit_detail(visit_id).attachments)
    lists.attach_file()
    qtbot.waitUntil(
        lambda: len(services.visit_detail(visit_id).attachments) == before + 1, timeout=15_000
    )
    assert len(asked) == 1 and asked[0][1:3] == ("sesion-de-instalacion.jpg", (3000, 2000))
    return services.visit_detail(visit_id).attachments[-1]


def test_a_large_photo_is_reduced_only_if_the_specialist_agrees(
    qtbot: QtBot,
    editor_window: tuple[MainWindow, Operations],
    services: AppServices,
    photo: Path,
) -> None:
    window, _ops = editor_window
    visit_id = services.start_visit(unvisited_idc(services).id)
    window.open_visit(visit_id)
    lists = page_of(window, VisitEditorPage, "editor").lists
    qtbot.waitUntil(
        lambda: lists.detail is not None and lists.detail.visit.id == visit_id, timeout=10_000
    )

    kept = attached(qtbot, window, services, visit_id, answer=False)
    assert kept.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()  # the original

    reduced = attached(qtbot, window, services, visit_id, answer=True)
    assert reduced.filename == "sesion-de-instalacion.jpg"
    assert reduced.size_bytes < photo.stat().st_size / 3
    stored = QImage.fromData(services.annex_content(reduced.sha256))
    size = stored.size()
    assert (size.width(), size.height()) == (MAX_SIDE, MAX_SIDE * 2 // 3)
    assert photo.stat().st_size > 0  # the original file is untouched
