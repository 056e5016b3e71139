"""instancias-forms: check the definitions in forms/ and publish a new version.

instancias-forms check [FILE…]      check every definition (or the files given)
instancias-forms publish FILE       check FILE and register it as a released version
"""

import argparse
import sys
from pathlib import Path

from instancias_desktop.domain.clock import peru_today, utc_now
from instancias_desktop.formdefs.errors import FormDefinitionError
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.i18n import _
from instancias_desktop.paths import forms_dir


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="instancias-forms", description=_("Comprueba y publica las fichas de forms/.")
    )
    parser.add_argument(
        "--forms-dir", type=Path, help=_("la carpeta forms/ (por omisión, la del proyecto)")
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help=_("comprueba las fichas"))
    check.add_argument("files", nargs="*", type=Path)
    publish = commands.add_parser("publish", help=_("publica una versión nueva"))
    publish.add_argument("file", type=Path)
    export = commands.add_parser(
        "export", help=_("escribe una ficha como JSON canónico, para el servidor central")
    )
    export.add_argument("file", type=Path)
    export.add_argument("--to", type=Path, required=True, help=_("el archivo JSON a escribir"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; exit 0 when everything is right, 1 with the errors otherwise."""
    args = _parser().parse_args(argv)
    library = FormLibrary(args.forms_dir or forms_dir())
    if args.command == "check":
        errors = library.check_all(args.files or None)
        for error in errors:
            print(error, file=sys.stderr)
        checked = len(args.files) if args.files else len(library.files())
        files = _("1 ficha") if checked == 1 else _("{n} fichas").format(n=checked)
        if errors:
            found = _("1 error") if len(errors) == 1 else _("{n} errores").format(n=len(errors))
            print(_("{errors} en {files}.").format(errors=found, files=files))
            return 1
        print(
            _("1 ficha correcta.") if checked == 1 else _("{files} correctas.").format(files=files)
        )
        return 0
    if args.command == "export":
        return _export(library, args.file, args.to)
    try:
        release = library.publish(args.file, peru_today(utc_now()))
    except FormDefinitionError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        _("Publicada {form} versión {version} (sha256 {sha}).").format(
            form=release.form_id, version=release.version, sha=release.sha256[:12]
        )
    )
    return 0


def _export(library: FormLibrary, source: Path, target: Path) -> int:
    """A checked definition's canonical JSON, as the server publishes it («publish-form»)."""
    try:
        checked = library.check_file(source)
    except FormDefinitionError as error:
        print(error, file=sys.stderr)
        return 1
    target.write_text(checked.canonical, encoding="utf-8")
    print(
        _("{file}: {form} versión {version} (sha256 {sha}).").format(
            file=target,
            form=checked.definition.ref.form_id,
            version=checked.definition.ref.version,
            sha=checked.content_hash[:12],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
