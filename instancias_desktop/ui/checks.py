"""The window half of «instancias-desktop comprobar»: Qt in Spanish, the main window painted."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from instancias_desktop.ui.locale import install_qt_spanish
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations


def painted_window(services: Any = None) -> Callable[[], None]:
    """The main window shown and painted (over ``services`` when given); answers its closer.

    Raises RuntimeError when Qt's Spanish catalogue did not load (a bundle that lacks it).
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_spanish(app)
    if QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancelar":
        raise RuntimeError("qtbase_es.qm no se cargó: los diálogos de Qt hablarían inglés")
    ops = Operations()
    window = MainWindow(ops)
    if services is not None:
        window.attach(services, services.describe_profile())
    window.show()
    window.repaint()
    app.processEvents()

    def close() -> None:
        window.close()
        ops.wait()

    return close


def printed_pages(pdf: bytes, target: Path) -> int:
    """Print ``pdf`` as «Imprimir…» does, on a printer that writes ``target``; pages sent.

    Proves what printing on the spot needs (Qt's print support, the PDF rasterizer) is there.
    Imported here: ``--window-only`` times a cold start, which prints nothing.
    """
    from PySide6.QtPrintSupport import QPrinter  # noqa: PLC0415

    from instancias_desktop.ui.printing import a4_printer, print_pdf  # noqa: PLC0415

    printer = a4_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    return print_pdf(printer, pdf)
