"""The window's pages, declared once: title (a navigation section, Ctrl+N by its place), key, build.

A page is built, and its module imported, the first time it is shown or asked for: the window
paints before any of them but the registry, and a page nobody opens costs nothing.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

from instancias_desktop.i18n import _
from instancias_desktop.ui.ops import Operations

if TYPE_CHECKING:  # the page modules load when their page is built
    from instancias_desktop.ui.dialogs.annex_file import FileChooser
    from instancias_desktop.ui.exports import ExportChooser
    from instancias_desktop.ui.pages.priorities_page import CsvChooser
    from instancias_desktop.ui.pages.sync_page import TargetChooser
    from instancias_desktop.ui.widgets.signed_copy_bar import PapersChooser


@dataclass(frozen=True)
class Choosers:
    """The file dialogs pages open (tests give their own; None: the real dialog)."""

    file: "FileChooser | None" = None
    target: "TargetChooser | None" = None
    export: "ExportChooser | None" = None
    figures: "CsvChooser | None" = None
    papers: "PapersChooser | None" = None  # scans or photos of signed actas


class Navigator(Protocol):
    """What a page asks of the window: move to another page."""

    def open_instancia(self, instancia_id: uuid.UUID) -> None:
        """Show one instancia's page."""

    def open_visit(self, visit_id: uuid.UUID) -> None:
        """Open a visit in the editor."""

    def start_visit(self, instancia_id: uuid.UUID) -> None:
        """Create a draft for an instancia and open it."""

    def go_back(self) -> None:
        """Return to the page the user came from."""

    def show_page(self, key: str) -> None:
        """Switch to a section by its key."""

    def verify_acta(self) -> None:
        """Open the check of a printed acta's code."""


Build = Callable[[Operations, Choosers, Navigator], QWidget]


@dataclass(frozen=True)
class PageSpec:
    """One page: its key, its section title ("" when reached only from another page)."""

    key: str
    title: str
    build: Build = field(repr=False)


def _home(ops: Operations, _c: Choosers, nav: Navigator) -> QWidget:
    from instancias_desktop.ui.pages.home_page import HomePage  # noqa: PLC0415

    page = HomePage(ops)
    page.open_visit.connect(nav.open_visit)
    page.go_sync.connect(lambda: nav.show_page("sync"))
    return page


def _instancias(ops: Operations, _c: Choosers, nav: Navigator) -> QWidget:
    from instancias_desktop.ui.pages.instancias_page import InstanciasPage  # noqa: PLC0415

    page = InstanciasPage(ops)
    page.open_instancia.connect(nav.open_instancia)
    return page


def _visits(ops: Operations, choosers: Choosers, nav: Navigator) -> QWidget:
    from instancias_desktop.ui.exports import choose_export_target  # noqa: PLC0415
    from instancias_desktop.ui.pages.visits_page import VisitsPage  # noqa: PLC0415
    from instancias_desktop.ui.widgets.signed_copy_bar import choose_papers  # noqa: PLC0415

    page = VisitsPage(
        ops, choosers.papers or choose_papers, choosers.export or choose_export_target
    )
    page.open_visit.connect(nav.open_visit)
    page.verify_requested.connect(nav.verify_acta)
    return page


def _agreements(ops: Operations, choosers: Choosers, nav: Navigator) -> QWidget:
    from instancias_desktop.ui.exports import choose_export_target  # noqa: PLC0415
    from instancias_desktop.ui.pages.agreements_page import AgreementsPage  # noqa: PLC0415

    page = AgreementsPage(ops, choosers.export or choose_export_target)
    page.open_visit.connect(nav.open_visit)
    return page


def _priorities(ops: Operations, choosers: Choosers, nav: Navigator) -> QWidget:
    from instancias_desktop.ui.exports import choose_export_target  # noqa: PLC0415
    from instancias_desktop.ui.pages.priorities_page import PrioritiesPage, choose_csv  # noqa: PLC0415

    page = PrioritiesPage(
        ops, choosers.export or choose_export_target, choosers.figures or choose_csv
    )
    page.open_visit.connect(nav.open_visit)
    return page


def _sync(ops: Operations, choosers: Choosers, _nav: Navigator) -> QWidget:
    from instancias_desktop.ui.pages.sync_page import SyncPage, save_with_dialog  # noqa: PLC0415

    return SyncPage(ops, choosers.target or save_with_dialog)


def _instancia(ops: Operations, _c: Choosers, nav: Navigator) -> QWidget:
    from instancias_desktop.ui.pages.instancia_page import InstanciaPage  # noqa: PLC0415

    page = InstanciaPage(ops)
    page.open_visit.connect(nav.open_visit)
    page.new_visit.connect(nav.start_visit)
    page.back.connect(nav.go_back)
    return page


def _editor(ops: Operations, choosers: Choosers, nav: Navigator) -> QWidget:
    from instancias_desktop.ui.dialogs.annex_file import choose_with_dialog  # noqa: PLC0415
    from instancias_desktop.ui.pages.visit_editor import VisitEditorPage  # noqa: PLC0415
    from instancias_desktop.ui.widgets.signed_copy_bar import choose_papers  # noqa: PLC0415

    page = VisitEditorPage(
        ops, choosers.file or choose_with_dialog, choose_papers=choosers.papers or choose_papers
    )
    page.back.connect(nav.go_back)
    page.opened_visit.connect(nav.open_visit)
    return page


PAGES = (
    PageSpec("home", _("Inicio"), _home),
    PageSpec("instancias", _("Instancias"), _instancias),
    PageSpec("visits", _("Visitas"), _visits),
    PageSpec("agreements", _("Acuerdos"), _agreements),
    PageSpec("priorities", _("Prioridades"), _priorities),
    PageSpec("sync", _("Sincronización"), _sync),
    PageSpec("instancia_page", "", _instancia),
    PageSpec("editor", "", _editor),
)
SECTIONS = tuple(spec for spec in PAGES if spec.title)  # the navigation list, Ctrl+1…Ctrl+6
SECTION_OF = {"instancia_page": "instancias", "editor": "visits"}  # where a deeper page belongs


def section_index(key: str) -> int:
    """The navigation row of a page (a deeper page: the row of its section)."""
    key = SECTION_OF.get(key, key)
    return next(i for i, spec in enumerate(SECTIONS) if spec.key == key)
