"""``instancias-central serve``: the central server with its dashboard, on one port."""

import argparse
import os
import sys

from sync.server.__main__ import app_version
from sync.server.audit import DEFAULT_KEEP_DAYS
from sync.server.http_auth import DEFAULT_TOKEN_DAYS


def main(argv: list[str] | None = None) -> int:
    """Migrate the database, then serve the sync API and the dashboard until interrupted."""
    parser = argparse.ArgumentParser(
        prog="instancias-central",
        description="Servidor central: sincronización de los equipos y panel de seguimiento.",
    )
    parser.add_argument("mode", choices=["serve"])
    parser.add_argument("--database-url", default=None, help="p. ej. postgresql+psycopg://…")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token-days", type=int, default=DEFAULT_TOKEN_DAYS)
    parser.add_argument("--audit-days", type=int, default=DEFAULT_KEEP_DAYS)
    parser.add_argument(
        "--app-minimum",
        type=app_version,
        default="",
        metavar="VERSIÓN",
        help="la versión mínima de la aplicación que puede sincronizar",
    )
    parser.add_argument("--app-latest", type=app_version, default="", metavar="VERSIÓN",
                        help="la última versión publicada de la aplicación")  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=1,
        help="procesos que atienden a la vez (por defecto, 1; con PostgreSQL, p. ej. 4)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    import uvicorn  # noqa: PLC0415  (the web stack only to serve)

    from central.app import create_central_app  # noqa: PLC0415
    from central.summaries import Summaries  # noqa: PLC0415
    from sync.server.__main__ import default_database_url  # noqa: PLC0415
    from sync.server.admin import open_engine  # noqa: PLC0415
    from sync.server.asgi import ServeSettings  # noqa: PLC0415
    from sync.server.db import SchemaRefusedError, migrate, session_factory  # noqa: PLC0415

    engine = open_engine(args.database_url or default_database_url())
    try:
        migrate(engine)
    except SchemaRefusedError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    sessions = session_factory(engine)
    print("Preparando los resúmenes del panel…", file=sys.stderr, flush=True)
    Summaries(sessions).refresh()  # built before serving: no first page waits for them
    if args.workers > 1:  # each worker opens its own engine from the environment
        settings = ServeSettings(engine.url.render_as_string(hide_password=False),
                                 args.token_days, args.audit_days, args.app_minimum,
                                 args.app_latest)  # fmt: skip
        os.environ.update(settings.environment())
        uvicorn.run("central.asgi:central_app", factory=True, workers=args.workers,
                    host=args.host, port=args.port)  # fmt: skip
        return 0
    app = create_central_app(
        sessions, token_days=args.token_days, audit_days=args.audit_days,
        app_versions={"minimum": args.app_minimum, "latest": args.app_latest},
    )  # fmt: skip
    uvicorn.run(app, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
