"""Screenshots of every page and the editor's tabs, as a specialist sees them (run by hand).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/screenshots.py OUT
    xvfb-run -a -s "-screen 0 1280x720x24" .venv/bin/python tests/screenshots.py OUT
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 1920x1080x24" ...  (150 % text)

The window is shown maximized on the screen Xvfb gives (a real X server: the same window
manager-less placement a laptop without a desktop has), over a demo profile; each page is
painted and grabbed to OUT/NN-page.png. Look at them: clipped columns, cut labels, text that
does not fit are what no test sees.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("INSTANCIAS_PASSPHRASE", "frase de las capturas 2026")  # the demo's
sys.path[0:1] = [str(ROOT)]  # the project's «sync», not tests/sync
sys.path.append(str(ROOT / "tests"))  # helpers

import pypdfium2  # noqa: E402
from helpers.app import WANCHAQ, instancia  # noqa: E402
from helpers.contrast import high_contrast_palette  # noqa: E402
from helpers.gui_visits import finalize  # noqa: E402
from helpers.instancia_records import complete_record  # noqa: E402
from helpers.profiles import open_profile  # noqa: E402
from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from instancias_desktop.demo.__main__ import main as demo_main  # noqa: E402
from instancias_desktop.domain.enums import ActaState  # noqa: E402
from instancias_desktop.paths import ProfilePaths, resources_dir  # noqa: E402
from instancias_desktop.services.app_services import AppServices  # noqa: E402
from instancias_desktop.settings import Settings  # noqa: E402
from instancias_desktop.ui.areas import Area  # noqa: E402
from instancias_desktop.ui.locale import install_qt_spanish  # noqa: E402
from instancias_desktop.ui.main_window import MainWindow  # noqa: E402
from instancias_desktop.ui.ops import Operations  # noqa: E402
from instancias_desktop.ui.theme import Theme  # noqa: E402


def settle(app: QApplication, ops: Operations, rounds: int = 40) -> None:
    """Let loads finish and the window repaint."""
    for _ in range(rounds):
        ops.wait(50)
        app.processEvents()


def shoot(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    print(path)


def shoot_signing(
    app: QApplication, ops: Operations, window: MainWindow, services: AppServices, out: Path
) -> None:
    """A finalized acta of hers, «por firmar», then signed from a photo of its printed pages."""
    visit = next(
        v for v in services.list_visits() if v.acta_state is ActaState.FINALIZED and v.author
    )
    if services.visit_detail(visit.id).by_me is False:
        visit_id = services.start_visit(visit.instancia_id)
        finalize(services, visit_id)
    else:
        visit_id = visit.id
    window.open_visit(visit_id)
    settle(app, ops)
    shoot(window, out / "21-acta-por-firmar.png")
    document = pypdfium2.PdfDocument(services.acta_document(visit_id).pdf)
    photos = []
    for index in range(len(document)):
        photo = out / f"foto-{index + 1}.jpg"
        document[index].render(scale=150 / 72).to_pil().save(photo, quality=85)
        photos.append(photo)
    document.close()
    services.attach_signed_copy(services.read_signed_copy(visit_id, photos))
    for photo in photos:
        photo.unlink()
    ops.announce({Area.VISITS})
    settle(app, ops)
    shoot(window, out / "22-acta-firmada.png")


def shoot_record(
    app: QApplication, ops: Operations, window: MainWindow, services: AppServices, out: Path
) -> None:
    """Wanchaq's IDC with its whole record typed: each tab of the instancia page."""
    wanchaq = instancia(services, WANCHAQ)
    scan = out / "acta-sesion.pdf"
    scan.write_bytes(services.instancia_report(wanchaq).pdf)  # any PDF stands for the scan
    complete_record(services, wanchaq, scan)
    scan.unlink()
    window.open_instancia(wanchaq)
    settle(app, ops)
    page = window.instancia_page
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        settle(app, ops, 10)
        shoot(window, out / f"3{tab + 1}-instancia-{page.tabs.tabText(tab).lower()}.png")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="", help="e.g. 1280x720 (default: the whole screen)")
    parser.add_argument(
        "--high-contrast", action="store_true", help="white on black, as a high-contrast theme"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    install_qt_spanish(app)
    if args.high_contrast:
        app.setPalette(high_contrast_palette())
    Theme(app, resources_dir() / "style")
    with tempfile.TemporaryDirectory() as folder:
        paths = ProfilePaths(Path(folder) / "perfil")
        demo_main(["--data-dir", str(paths.root), "--visits", "300", "--participants", "2000"])
        opened = open_profile(paths, Settings(author="especialista.demo"))
        services = AppServices(opened.database, paths, Settings(acta_series="D01"))
        services.set_identity("Rosa Huamán Quispe", "Especialista de la DPVLV")
        ops = Operations()
        window = MainWindow(ops)
        if args.size:
            width, height = (int(n) for n in args.size.split("x"))
            window.resize(QSize(width, height))
            window.show()
        else:
            window.showMaximized()
        window.attach(services, services.describe_profile())
        settle(app, ops)
        for index in range(window.nav.count()):
            window.show_section(index)
            settle(app, ops)
            name = window.nav.item(index).text().lower()
            shoot(window, args.out / f"{index + 1:02d}-{name}.png")
        visit = next(v for v in services.list_visits() if v.participant_count)
        window.open_visit(visit.id)
        settle(app, ops)
        for tab in range(window.editor.tabs.count()):
            window.editor.tabs.setCurrentIndex(tab)
            settle(app, ops, 10)
            shoot(window, args.out / f"20-acta-pestaña-{tab + 1}.png")
        shoot_signing(app, ops, window, services, args.out)
        instancia = next(i for i in services.list_instancias() if i.visit_count)
        window.open_instancia(instancia.id)
        settle(app, ops)
        shoot(window, args.out / "30-instancia.png")
        shoot_record(app, ops, window, services, args.out)
        window.close()
        ops.wait()
        opened.database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
