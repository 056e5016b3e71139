"""Numbers and dates as people in Peru write them (es-PE: 1,917; 26/11/2026), and Qt in Spanish."""

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

PERU = QLocale(QLocale.Language.Spanish, QLocale.Country.Peru)
QT_CATALOGUES = ("qtbase",)  # Qt's own texts: dialogs, standard buttons, context menus
_INSTALLED = "instanciasQtSpanish"


def number(value: int) -> str:
    """An integer with the es-PE thousands separator."""
    return PERU.toString(value)


def install_qt_spanish(app: QCoreApplication) -> list[QTranslator]:
    """Load the Spanish translations shipped with PySide6 into ``app``.

    Without them Qt's file and print dialogs, OK/Cancel and the context menu of every text
    field speak English. Returns the installed translators (the caller keeps them alive); a
    missing catalogue is skipped, and the app stays usable in English for those texts.
    """
    if app.property(_INSTALLED):
        return []  # a second window of the same process shares them
    app.setProperty(_INSTALLED, True)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for catalogue in QT_CATALOGUES:
        translator = QTranslator(app)
        if translator.load(PERU, catalogue, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
