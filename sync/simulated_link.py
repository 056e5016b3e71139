"""A slow, lossy link for tests and benchmarks: a ``requests.Session`` that behaves like one.

Each request costs the link's latency (one round trip) plus its bytes and its answer's bytes
at the link's bandwidth; a share of requests fails, either before reaching the server (the
request is lost) or after the server answered (the answer is lost: the server did act).
Time is spent through ``sleep``, so a test can count simulated seconds instead of waiting.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests


@dataclass(frozen=True)
class LinkProfile:
    """What the link is like: bits per second, round-trip seconds, share of lost requests."""

    bandwidth_bps: float = 256_000
    latency_s: float = 0.4
    failure_rate: float = 0.05


class SimulatedLink(requests.Session):
    """Sends through the real network stack, then makes it slow and lossy (seeded)."""

    def __init__(
        self,
        profile: LinkProfile,
        *,
        seed: int = 0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__()
        self.profile = profile
        self._random = random.Random(seed)
        self._sleep = sleep
        self.cut = False  # while True, nothing gets through (the signal is gone)
        self.cut_after_answers: int | None = None  # cut once this many answers went through
        self.sent_bytes = 0
        self.received_bytes = 0
        self.lost_requests = 0
        self.lost_answers = 0

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """The request over the simulated link: delayed, and sometimes lost either way."""
        body = request.body or b""
        size = len(body.encode() if isinstance(body, str) else body)
        self._sleep(self.profile.latency_s / 2 + self._transfer(size))
        if self.cut or self._lost():
            self.lost_requests += 1
            raise requests.ConnectionError("simulated link: the request was lost")
        self.sent_bytes += size
        response = super().send(request, **kwargs)
        wire = response.headers.get("Content-Length", "")
        answer = int(wire) if wire.isdigit() else len(response.content)  # gzip as it travelled
        response.content  # noqa: B018  (read the whole answer inside the link's time)
        self._sleep(self.profile.latency_s / 2 + self._transfer(answer))
        if self.cut_after_answers is not None and self.cut_after_answers <= 0:
            self.cut = True  # the server acted; the signal went before its answer arrived
        if self.cut or self._lost():
            self.lost_answers += 1
            response.close()
            raise requests.ConnectionError("simulated link: the answer was lost")
        if self.cut_after_answers is not None:
            self.cut_after_answers -= 1
        self.received_bytes += answer
        return response

    def _transfer(self, size: int) -> float:
        return size * 8 / self.profile.bandwidth_bps

    def _lost(self) -> bool:
        return self._random.random() < self.profile.failure_rate / 2  # each way: half the share


class VirtualClock:
    """Seconds spent on a simulated link, added up instead of waited for."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def sleep(self, seconds: float) -> None:
        """Pass ``seconds`` of simulated time."""
        self.seconds += max(0.0, seconds)
