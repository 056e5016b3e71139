"""A TCP proxy on 127.0.0.1 that cuts connections at random byte offsets, reproducibly by seed.

Tests put it between a sync client and the real HTTP server to check that a connection lost at
any point (request half sent, response headers half received, body half received) never makes
the client accept a truncated answer, and that the next clean sync converges.

How a connection is treated. For every accepted connection, in accept order, the proxy draws
three numbers from its own ``random.Random(seed)`` (always three, whatever the ``cut_rate``, so
the sequence of decisions depends only on the seed and the number of connections):

- ``random() < cut_rate`` decides whether this connection is cut;
- the direction: client→server or server→client, each with probability 1/2;
- the offset: uniform in ``[0, max_offset)`` (4096 by default).

A cut connection forwards exactly ``offset`` bytes in the chosen direction; when more bytes
arrive in that direction, they are dropped and both sockets are closed abruptly (SO_LINGER 0, so
each peer receives a RST, never a clean FIN that could pass for the end of a body). A direction
that carries ``offset`` bytes or fewer is never cut: the connection then ends normally. The
other direction is never limited. An offset of 0 client→server means the server sees nothing of
the request; 0 server→client means the server received the whole request (and may have applied
it) but the client receives nothing of the answer.

Cuts are per TCP connection, not per request: through a keep-alive connection (a
``requests.Session``, an HTTP/1.1 server) the offset counts every byte the connection carried in
that direction, over several requests. Decisions are reproducible for a given seed only when the
connections are opened one after the other (parallel connections are accepted in any order).

Also: ``max_offset`` should exceed the largest exchange a test wants to cut inside (a response of
100 KB is cut in its first 4 KB only with the default); when the target refuses a connection, the
client's connection is reset (still counted as a connection, with its decision); a pump blocked
in send on a cut connection (its peer reads nothing) ends when the peer reads or closes, or at
``stop()``; ``stop()`` resets every open connection (pooled keep-alive connections included) and
joins every thread it started, whose names all begin with ``THREAD_PREFIX``.
"""

import contextlib
import dataclasses
import enum
import random
import selectors
import socket
import struct
import threading
from types import TracebackType
from typing import Self

MAX_CUT_OFFSET = 4096  # default upper bound (exclusive) of a cut's byte offset
THREAD_PREFIX = "cutting-proxy"  # every thread the proxy starts has a name beginning with this
JOIN_TIMEOUT = 10.0  # seconds stop() waits for each thread before reporting a stuck one
_CHUNK = 65536
_CONNECT_TIMEOUT = 5.0
_ABORT_GRACE = 1.0  # seconds stop() lets aborted pumps end before shutting their sockets
_LINGER_ABORT = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST


class Direction(enum.Enum):
    """The direction in which the bytes of a connection travel."""

    TO_SERVER = "client->server"
    TO_CLIENT = "server->client"


@dataclasses.dataclass(frozen=True)
class Cut:
    """The decision to cut a connection after ``offset`` bytes in ``direction``."""

    direction: Direction
    offset: int


@dataclasses.dataclass(frozen=True)
class ProxyStats:
    """A snapshot of the proxy's counters."""

    connections: int  # accepted
    cuts_planned: int  # connections that drew a cut
    cuts: int  # cuts that happened (their direction carried more than the offset)
    bytes_to_server: int  # passed on to the server (counted before a peer can receive them)
    bytes_to_client: int  # passed on to the client (idem)


class CuttingProxy:
    """A TCP proxy from 127.0.0.1 (random port) to ``target_host:target_port`` that cuts.

    ``cut_rate`` is the probability that a connection is cut; it may be changed at any time and
    applies to the connections accepted afterwards. See the module docstring for the details.
    """

    def __init__(
        self,
        target_host: str,
        target_port: int,
        *,
        seed: int,
        cut_rate: float = 0.0,
        max_offset: int = MAX_CUT_OFFSET,
        plan: "list[Cut | None] | None" = None,
    ) -> None:
        """Prepare the proxy; nothing listens before ``start()``.

        ``plan``: the decisions of the first connections, in order, instead of drawn ones (a
        test that must cut at an exact byte); the draws go on as usual, so later decisions
        stay those of the seed.
        """
        if max_offset < 1:
            raise ValueError(f"max_offset must be at least 1, not {max_offset}")
        self._target = (target_host, target_port)
        self._max_offset = max_offset
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._cut_rate = _checked_rate(cut_rate)
        self._decisions: list[Cut | None] = []
        self._plan = list(plan or [])
        self._connections: list[_Connection] = []
        self._cuts = 0
        self._bytes = dict.fromkeys(Direction, 0)
        self._listener: socket.socket | None = None
        self._wake_reader: socket.socket | None = None
        self._wake_writer: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._port = 0
        self._started = False
        self._stopped = False

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> str:
        """Listen on 127.0.0.1 (a free port), start accepting; the base URL of the proxy."""
        with self._lock:
            if self._started or self._stopped:
                raise RuntimeError("a CuttingProxy starts only once")
            self._started = True
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            listener.setblocking(False)
        except OSError:
            listener.close()
            raise
        self._listener = listener
        self._port = listener.getsockname()[1]
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"{THREAD_PREFIX}-{self._port}-accept", daemon=True
        )
        self._accept_thread.start()
        return self.url

    def stop(self) -> None:
        """Close the listener and every open connection; return once every thread has ended.

        Open connections are closed abruptly: both peers see a reset. Idempotent.
        Raises ``RuntimeError`` if a thread is still alive after ``JOIN_TIMEOUT`` seconds.
        """
        with self._lock:
            if not self._started or self._stopped:
                self._stopped = True
                return
            self._stopped = True
        assert self._wake_writer is not None
        assert self._accept_thread is not None
        with contextlib.suppress(OSError):  # the accept thread has already ended
            self._wake_writer.send(b"x")
        stuck: list[str] = []
        self._accept_thread.join(JOIN_TIMEOUT)
        if self._accept_thread.is_alive():
            stuck.append(self._accept_thread.name)
        # The accept thread has ended: no connection can be added any more.
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.abort()  # a RST for both peers; wakes every pump blocked in recv
        for connection in connections:
            if connection.join(_ABORT_GRACE):
                connection.force_shutdown()  # a pump blocked in send: wake it, FIN or not
                stuck.extend(connection.join(JOIN_TIMEOUT))
        for sock in (self._listener, self._wake_reader, self._wake_writer):
            if sock is not None:
                sock.close()
        if stuck:
            raise RuntimeError(f"CuttingProxy threads still alive after stop(): {stuck}")

    def __enter__(self) -> Self:
        """Start the proxy (its URL is ``self.url``)."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the proxy."""
        self.stop()

    # ------------------------------------------------------------------ state

    @property
    def url(self) -> str:
        """The base URL of the proxy, ``http://127.0.0.1:PORT``."""
        if not self._port:
            raise RuntimeError("the proxy has not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def port(self) -> int:
        """The port the proxy listens on (0 before ``start()``)."""
        return self._port

    @property
    def cut_rate(self) -> float:
        """The probability that a connection accepted from now on is cut."""
        with self._lock:
            return self._cut_rate

    @cut_rate.setter
    def cut_rate(self, value: float) -> None:
        with self._lock:
            self._cut_rate = _checked_rate(value)

    def decisions(self) -> list[Cut | None]:
        """One entry per accepted connection, in accept order: its cut, or None."""
        with self._lock:
            return list(self._decisions)

    def stats(self) -> ProxyStats:
        """A consistent snapshot of the counters."""
        with self._lock:
            return ProxyStats(
                connections=len(self._decisions),
                cuts_planned=sum(1 for cut in self._decisions if cut is not None),
                cuts=self._cuts,
                bytes_to_server=self._bytes[Direction.TO_SERVER],
                bytes_to_client=self._bytes[Direction.TO_CLIENT],
            )

    # ------------------------------------------------------------------ internals

    def _decide(self) -> tuple[int, Cut | None]:
        """The index and the cut decision of the next accepted connection."""
        with self._lock:
            # Always three draws, so the sequence depends only on the number of connections.
            roll = self._random.random()
            direction = (Direction.TO_SERVER, Direction.TO_CLIENT)[self._random.randrange(2)]
            offset = self._random.randrange(self._max_offset)
            cut = Cut(direction, offset) if roll < self._cut_rate else None
            if self._plan:
                cut = self._plan.pop(0)
            self._decisions.append(cut)
            return len(self._decisions) - 1, cut

    def _count(self, direction: Direction, size: int) -> None:
        with self._lock:
            self._bytes[direction] += size

    def _count_cut(self) -> None:
        with self._lock:
            self._cuts += 1

    def _accept_loop(self) -> None:
        assert self._listener is not None
        assert self._wake_reader is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while True:
                events = selector.select()
                if any(key.fileobj is self._wake_reader for key, _ in events):
                    return
                try:
                    client, _ = self._listener.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                self._serve(client)

    def _serve(self, client: socket.socket) -> None:
        """Connect the accepted client to the target and start its two pumps."""
        client.setblocking(True)
        index, cut = self._decide()
        try:
            upstream = socket.create_connection(self._target, timeout=_CONNECT_TIMEOUT)
        except OSError:
            _abort_socket(client)  # the target is down: the client sees a reset
            return
        upstream.settimeout(None)
        connection = _Connection(self, index, client, upstream, cut)
        with self._lock:
            self._connections = [c for c in self._connections if c.alive()]
            self._connections.append(connection)
        connection.start()


class _Connection:
    """One proxied connection: a client socket, an upstream socket and two pump threads."""

    def __init__(
        self,
        proxy: CuttingProxy,
        index: int,
        client: socket.socket,
        upstream: socket.socket,
        cut: Cut | None,
    ) -> None:
        self._proxy = proxy
        self._client = client
        self._upstream = upstream
        self._cut = cut
        self._lock = threading.Lock()
        self._aborted = False  # cut, failed or terminated: no clean half-close any more
        self._closed = False
        self._running = 2
        name = f"{THREAD_PREFIX}-{proxy.port}-{index}"
        self._threads = [
            threading.Thread(
                target=self._pump,
                args=(client, upstream, Direction.TO_SERVER),
                name=f"{name}-to-server",
                daemon=True,
            ),
            threading.Thread(
                target=self._pump,
                args=(upstream, client, Direction.TO_CLIENT),
                name=f"{name}-to-client",
                daemon=True,
            ),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def alive(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def join(self, timeout: float) -> list[str]:
        """Wait for both pumps; the names of those still alive after ``timeout`` each."""
        for thread in self._threads:
            thread.join(timeout)
        return [thread.name for thread in self._threads if thread.is_alive()]

    def force_shutdown(self) -> None:
        """Shut both sockets down both ways: wakes a pump blocked in send too."""
        with self._lock:
            self._aborted = True
            if self._closed:
                return
            for sock in (self._client, self._upstream):
                with contextlib.suppress(OSError):  # already reset by the peer
                    sock.shutdown(socket.SHUT_RDWR)

    def _pump(self, source: socket.socket, target: socket.socket, direction: Direction) -> None:
        """Copy ``source`` to ``target``; pass a clean EOF on, abort on an error or the cut."""
        try:
            if self._copy(source, target, direction):
                self._half_close(target)
            else:
                self.abort()
        finally:
            self._finished()

    def _copy(self, source: socket.socket, target: socket.socket, direction: Direction) -> bool:
        """Copy until EOF (True), or until an error or the cut (False)."""
        cut = self._cut
        limit = cut.offset if cut is not None and cut.direction is direction else None
        forwarded = 0
        try:
            while data := source.recv(_CHUNK):
                if limit is not None and forwarded + len(data) > limit:
                    head = data[: limit - forwarded]
                    if head:
                        self._proxy._count(direction, len(head))
                        target.sendall(head)
                    self._proxy._count_cut()
                    return False
                # Counted before sending: a peer never sees bytes the counters do not show.
                self._proxy._count(direction, len(data))
                target.sendall(data)
                forwarded += len(data)
        except OSError:
            return False  # a peer reset, or the proxy aborted: the whole connection goes
        return True

    def _half_close(self, target: socket.socket) -> None:
        """Pass a clean EOF on: the peer may still answer in the other direction."""
        with self._lock:
            if self._aborted or self._closed:
                return
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)

    def abort(self) -> None:
        """Arrange a RST for both peers and wake a pump blocked in recv, without sending a FIN."""
        with self._lock:
            if self._aborted or self._closed:
                self._aborted = True
                return
            self._aborted = True
            for sock in (self._client, self._upstream):
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ABORT)
                with contextlib.suppress(OSError):
                    # SHUT_RD wakes a recv blocked in the other pump and sends nothing.
                    sock.shutdown(socket.SHUT_RD)

    def _finished(self) -> None:
        """The last pump out closes both sockets (with a RST when the connection aborted)."""
        with self._lock:
            self._running -= 1
            if self._running or self._closed:
                return
            self._closed = True
            self._client.close()
            self._upstream.close()


def _abort_socket(sock: socket.socket) -> None:
    """Close a socket with a RST."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ABORT)
    sock.close()


def _checked_rate(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"cut_rate must lie in [0, 1], not {value}")
    return float(value)
