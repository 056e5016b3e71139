"""``instancias-sync-server``: ``serve`` the sync API, or ``admin`` users and devices."""

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

import platformdirs
from sqlalchemy import Engine

from sync.protocol import version_key
from sync.server.admin import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_admin_commands,
    open_engine,
    run_admin,
)
from sync.server.admin_audit import positive_number
from sync.server.audit import DEFAULT_KEEP_DAYS

APP_NAME, APP_AUTHOR = "instancias_sync_server", "MIMP"


class _SpanishParser(argparse.ArgumentParser):
    """Usage errors in Spanish, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and a Spanish note, then exit with code 2."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: uso incorrecto ({message}). Vea --help.\n")


def default_database_url() -> str:
    """An SQLite file in the server's data folder (created when missing)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'sync.sqlite3'}"


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``serve`` and ``admin …``."""
    parser = _SpanishParser(
        prog="instancias-sync-server",
        description="Servidor central de sincronización de Instancias de Concertación (MIMP).",
    )
    commands = parser.add_subparsers(
        dest="mode", required=True, metavar="{serve,admin}", parser_class=_SpanishParser
    )
    serve = commands.add_parser("serve", help="atender a los equipos por HTTP")
    admin = commands.add_parser("admin", help="administrar usuarios, territorios y equipos")
    for sub in (serve, admin):
        sub.add_argument(
            "--database-url",
            help="sqlite:///RUTA o postgresql+psycopg://… (por defecto, un archivo SQLite "
            "en la carpeta de datos del servidor)",
        )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    for option, meaning in (
        ("--app-minimum", "la versión mínima de la aplicación que puede sincronizar"),
        (
            "--app-latest",
            "la última versión publicada de "
            "la aplicación (las anteriores avisan que hay una nueva)",
        ),
    ):
        serve.add_argument(option, type=app_version, default="", metavar="VERSIÓN",
                           help=f"{meaning}; p. ej. 0.2.0")  # fmt: skip
    serve.add_argument(
        "--workers",
        type=positive_number,
        default=1,
        metavar="N",
        help="procesos que atienden a la vez (por defecto, 1; con PostgreSQL, p. ej. 4)",
    )
    serve.add_argument(
        "--audit-days",
        type=positive_number,
        default=DEFAULT_KEEP_DAYS,
        metavar="DÍAS",
        help=f"cuántos días se guarda cada entrada de la auditoría (por defecto, "
        f"{DEFAULT_KEEP_DAYS}; «admin audit» la consulta)",
    )
    serve.add_argument(
        "--token-days",
        type=positive_number,
        default=90,
        metavar="DÍAS",
        help="un equipo que no sincroniza en tantos días debe iniciar sesión de nuevo "
        "(por defecto, 90; el plazo se renueva con cada uso)",
    )
    add_admin_commands(admin)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; answer the exit code (0 done, 1 failed, 2 wrong usage)."""
    err = stderr if stderr is not None else sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    url = args.database_url or default_database_url()
    try:
        engine = open_engine(url)
        try:
            if args.mode == "serve":
                return _serve(engine, args)
            return run_admin(
                args,
                engine,
                stdin=stdin if stdin is not None else sys.stdin,
                stdout=stdout if stdout is not None else sys.stdout,
                now=dt.datetime.now(dt.UTC),
            )
        finally:
            engine.dispose()
    except CommandError as error:
        print(f"Error: {error}", file=err)
        return error.code


def _serve(engine: Engine, args: argparse.Namespace) -> int:
    """Migrate, then serve until interrupted."""
    import uvicorn  # noqa: PLC0415  (admin commands do not need the web stack)

    from sync.server.app import create_app  # noqa: PLC0415
    from sync.server.asgi import ServeSettings  # noqa: PLC0415
    from sync.server.db import SchemaRefusedError, migrate, session_factory  # noqa: PLC0415

    try:
        migrate(engine)
    except SchemaRefusedError as error:
        raise CommandError(str(error)) from None
    if args.workers > 1:  # each worker opens its own engine from the environment
        settings = ServeSettings(str(engine.url.render_as_string(hide_password=False)),
                                 args.token_days, args.audit_days, args.app_minimum,
                                 args.app_latest)  # fmt: skip
        os.environ.update(settings.environment())
        uvicorn.run("sync.server.asgi:sync_app", factory=True, workers=args.workers,
                    host=args.host, port=args.port)  # fmt: skip
        return EXIT_OK
    app = create_app(
        session_factory(engine), token_days=args.token_days, audit_days=args.audit_days,
        app_versions={"minimum": args.app_minimum, "latest": args.app_latest},
    )  # fmt: skip
    uvicorn.run(app, host=args.host, port=args.port)
    return EXIT_OK


def app_version(text: str) -> str:
    """A version for ``--app-minimum``/``--app-latest`` («0.2.0»; empty: none), or refused."""
    if text.strip() and version_key(text) is None:
        raise argparse.ArgumentTypeError(f"«{text}» no es una versión: use números y puntos, "
                                         "p. ej. 0.2.0")  # fmt: skip
    return text.strip()


if __name__ == "__main__":
    sys.exit(main())
