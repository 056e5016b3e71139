"""``instancias-desktop comprobar``: prove an install lacks nothing, from start to sync.

Run by the bundle's smoke test (and by support on a laptop): on a fresh profile in
``--data-dir`` it opens the main window (offscreen where there is no display) with Qt in
Spanish, loads the catalogues, creates a visit with an annex and finalizes it, renders its
acta to PDF, keeps it in exports and prints it (onto a PDF printer), enrols against
``--server`` and syncs. Each step prints a line in Spanish; the exit code is 0 only when
every step worked.
"""

import argparse
import datetime as dt
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

from instancias_desktop import __version__
from instancias_desktop.domain.enums import AttachmentKind, DocumentType, ParticipantRole
from instancias_desktop.domain.sync_views import SignIn
from instancias_desktop.domain.visit_inputs import ParticipantInput
from instancias_desktop.i18n import _
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.profile import open_services
from instancias_desktop.settings import Settings
from instancias_desktop.vault.profile_key import new_key_file, write_key_file


def _say(text: str) -> None:
    print(text, flush=True)


def run(argv: Sequence[str]) -> int:
    """The check; 0 when every step worked, 1 when one failed (said on stderr)."""
    parser = argparse.ArgumentParser(prog="instancias-desktop comprobar")
    parser.add_argument(
        "--window-only",
        action="store_true",
        help=_("solo abrir y pintar la ventana, y salir (mide el arranque)"),
    )
    parser.add_argument("--data-dir", help=_("carpeta nueva para el perfil"))
    parser.add_argument("--server", help=_("dirección del servidor central"))
    parser.add_argument("--user")
    parser.add_argument("--password-file", type=Path)
    args = parser.parse_args(argv)
    if args.window_only:
        return _window_only()
    if not (args.data_dir and args.server and args.user and args.password_file):
        parser.error(_("faltan --data-dir, --server, --user y --password-file"))
    try:
        _check(args)
    except Exception as error:
        print(_("Comprobación fallida: {error!r}").format(error=error), file=sys.stderr)
        return 1
    _say(_("Comprobación completa."))
    return 0


def _window_only() -> int:
    """The main window, shown and painted, then closed: what a cold start costs at least."""
    from instancias_desktop.ui.checks import painted_window  # noqa: PLC0415

    painted_window()()
    return 0


def _check(args: argparse.Namespace) -> None:
    from instancias_desktop.ui.checks import painted_window, printed_pages  # noqa: PLC0415

    _say(_("Versión {version}").format(version=__version__))
    paths = ProfilePaths(Path(args.data_dir)).ensure()
    key_file, key = new_key_file(secrets.token_urlsafe(24))
    write_key_file(paths.key_file, key_file)
    services = open_services(paths, Settings(author=args.user), _say, key=key)
    try:
        close_window = painted_window(services)
        about = services.about()
        _say(_("Catálogos: {n}; fichas: {m}").format(n=len(about.catalogues), m=len(about.forms)))
        services.set_identity("Comprobación de la instalación", "Soporte")
        first = services.list_instancias()[0]
        visit = services.start_visit(first.id)
        services.update_visit(visit, {"start_time": dt.time(9), "end_time": dt.time(11),
                                      "objective": "Comprobar la instalación", "agenda": "1",
                                      "development": "Comprobación automática."})  # fmt: skip
        services.save_participant(visit, ParticipantInput(
            DocumentType.DNI, "45678912", "Persona de Prueba", "Soporte", "Técnica",
            ParticipantRole.CHAIR, consent=True))  # fmt: skip
        annex = paths.root / "Lista de asistencia – Ñahui, Peña.txt"  # a name Windows keeps
        annex.write_text("Lista de asistencia de la comprobación.\n", encoding="utf-8")
        services.attach_file(visit, annex, AttachmentKind.ATTENDANCE)
        annex.unlink()
        services.finalize_visit(visit)
        acta = services.acta_document(visit)
        if not acta.pdf.startswith(b"%PDF"):
            raise RuntimeError("el acta no es un PDF")
        kept = services.save_export(acta.file_name, acta.pdf)
        if services.save_export(acta.file_name, acta.pdf) != kept:  # viewing it again
            raise RuntimeError("el mismo PDF se guardó con otro nombre")
        _say(_("Acta {number}: {size} bytes en {path}").format(
            number=acta.acta_number, size=len(acta.pdf), path=kept))  # fmt: skip
        printed = paths.root / "impresion-de-prueba.pdf"
        pages = printed_pages(acta.pdf, printed)
        if pages < 1 or not printed.read_bytes().startswith(b"%PDF"):
            raise RuntimeError("la impresión no produjo páginas")
        printed.unlink()
        _say(_("Impresión: {pages} página(s) enviadas").format(pages=pages))
        password = args.password_file.read_text(encoding="utf-8").strip()
        services.enrol(SignIn(args.server, args.user, password, "Comprobación"))
        summary = services.synchronize(lambda _progress: None)
        if not summary.complete:
            raise RuntimeError(summary.message)
        _say(summary.message)
        close_window()
    finally:
        services.close()
