"""The server in a background thread on 127.0.0.1 and a free port: for tests, demos, benches.

``instancias-sync-server serve`` is how it runs for real; this serves the same app in-process.
"""

import socket
import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI


class LocalServer:
    """``create_app(...)`` under uvicorn in a thread; ``start()`` answers its base URL."""

    def __init__(self, app: FastAPI, port: int = 0) -> None:
        """``port`` 0: a free one (the usual case; a test may reopen a port it used)."""
        # proto IPPROTO_TCP, as uvicorn's own sockets: only then does asyncio set TCP_NODELAY on
        # accepted connections (otherwise every small answer waits for a delayed ACK).
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", port))
        self._app = app
        config = uvicorn.Config(app, log_level="critical", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._listener]}, daemon=True
        )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._listener.getsockname()
        return f"http://{host}:{port}"

    def start(self, timeout: float = 10) -> str:
        """Serve, and answer the base URL once the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the sync server did not start")
            time.sleep(0.005)
        return self.url

    def stop(self) -> None:
        """Finish the requests under way and stop (the thread is joined).

        The app's lifespan does not run here, so what it would do on a stop is done here:
        the audit entries still on their way are written and their writer thread ends.
        """
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._listener.close()
        trail = getattr(self._app.state, "audit_trail", None)
        if trail is not None:
            trail.close()

    def __enter__(self) -> "LocalServer":
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
