"""A scripted HTTP server on 127.0.0.1 (a thread) for HttpTransport tests.

Each request is recorded (with its body un-gzipped) and answered by the next scripted ``Reply``,
or by ``fallback`` when the script is empty. Replies may be delayed (timeouts) or gzipped.
"""

import gzip
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    raw: bytes  # as sent on the wire
    body: bytes  # un-gzipped

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes | BaseModel | dict[str, Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    compress: bool = True  # gzip when the client accepts it

    def payload(self) -> bytes:
        if isinstance(self.body, BaseModel):
            return self.body.model_dump_json().encode()
        if isinstance(self.body, dict):
            return json.dumps(self.body).encode()
        return self.body


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.replies: deque[Reply] = deque()
        self.seen: list[Seen] = []
        self.fallback: Callable[[Seen], Reply] = lambda seen: Reply(404, b"{}")
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def answer(self, seen: Seen) -> Reply:
        with self.lock:
            self.seen.append(seen)
            reply = self.replies.popleft() if self.replies else None
        return reply if reply is not None else self.fallback(seen)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out closed its socket: nothing to report."""


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _handle(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
        seen = Seen(self.command, self.path, dict(self.headers.items()), raw, body)
        reply = self.server.answer(seen)
        if reply.delay:
            time.sleep(reply.delay)
        payload = reply.payload()
        self.send_response(reply.status)
        if reply.compress and "gzip" in self.headers.get("Accept-Encoding", "") and payload:
            payload = gzip.compress(payload)
            self.send_header("Content-Encoding", "gzip")
        if payload:
            self.send_header("Content-Type", "application/json")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()


@contextmanager
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
