"""The central server (sync API and dashboard) as an ASGI factory for several workers."""

from fastapi import FastAPI


def central_app() -> FastAPI:
    """A worker's app (``instancias-central serve --workers N``): settings from the parent."""
    from central.app import create_central_app  # noqa: PLC0415
    from sync.server.asgi import from_environment  # noqa: PLC0415

    return from_environment(create_central_app)
