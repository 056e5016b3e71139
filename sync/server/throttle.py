"""Sign-in throttling that holds under concurrency, and a gate on password hashing.

An attempt takes its place before its password is hashed: twenty wrong passwords sent at once
count as twenty at once, not as none until the first one finishes. A sign-in from a device the
user already enrolled (it shows its token) is not held back by failures made from elsewhere
under her name, so a stranger's wrong passwords never lock her out of her own laptop. At most
a few passwords are hashed at a time (scrypt takes 16 MB each): a burst waits or is told to
come back, instead of growing the server's memory by hundreds of megabytes.

Kept in memory by one app (thread-safe); each server process counts its own.
"""

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MAX_KEYS = 10_000  # past this many counted names and addresses, the expired ones are dropped


class TooManyAttemptsError(Exception):
    """Too many failed sign-ins: ``wait`` seconds before the next one is heard."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


class HashingBusyError(Exception):
    """Every password-hashing slot stayed taken too long: the client repeats later."""


@dataclass(frozen=True)
class Attempt:
    """A sign-in under way: the keys it was counted under and when."""

    keys: tuple[str, ...]
    at: float


class LoginLimiter:
    """At most ``max_failures`` failed sign-ins per user name, per address and per both.

    ``begin`` counts an attempt as failed from the start; ``succeeded`` takes it back and
    clears that address's failures for the name.
    """

    def __init__(
        self,
        max_failures: int = 5,
        window_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max = max_failures
        self._window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def begin(self, username: str, address: str, *, known_device: bool = False) -> Attempt:
        """Count an attempt before it is checked (``TooManyAttemptsError`` when held back).

        ``known_device``: the request shows the token of a device of this user, so failures
        made under her name from other addresses do not hold it back.
        """
        keys = self._keys(username, address, known_device)
        now = self._clock()
        with self._lock:
            wait = max(self._wait(key, now) for key in keys)
            if wait:
                raise TooManyAttemptsError(wait)
            for key in keys:
                self._failures.setdefault(key, deque(maxlen=self._max)).append(now)
            if len(self._failures) > MAX_KEYS:
                self._forget_expired(now)
        return Attempt(keys, now)

    def failed(self, attempt: Attempt) -> None:
        """The password was wrong: the attempt stays counted."""
        del attempt

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: the attempt, and this address's failures for it, go."""
        with self._lock:
            self._take_back(attempt)
            self._failures.pop(attempt.keys[0], None)  # the name at this address

    def abandoned(self, attempt: Attempt) -> None:
        """The attempt never got an answer (the server failed): it is not counted."""
        with self._lock:
            self._take_back(attempt)

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until a sign-in of ``username`` from ``address`` is heard (0: now)."""
        now = self._clock()
        with self._lock:
            return max(self._wait(key, now) for key in self._keys(username, address, False))

    def _take_back(self, attempt: Attempt) -> None:
        for key in attempt.keys:
            failures = self._failures.get(key)
            if failures is not None and attempt.at in failures:
                failures.remove(attempt.at)

    @staticmethod
    def _keys(username: str, address: str, known_device: bool) -> tuple[str, ...]:
        name = username.casefold()
        keys = (f"user@addr:{name}@{address}", f"addr:{address}")
        return keys if known_device else (*keys, f"user:{name}")

    def _wait(self, key: str, now: float) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return 0
        if len(failures) < self._max:
            return 0
        return max(1, math.ceil(failures[0] + self._window - now))

    def _forget_expired(self, now: float) -> None:
        for key in list(self._failures):
            self._wait(key, now)


class HashGate:
    """At most ``slots`` password hashes at a time; a hash waits ``patience`` seconds at most."""

    def __init__(self, slots: int = 2, patience: float = 10.0) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self._patience = patience

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a hashing slot (``HashingBusyError`` when none frees up in time)."""
        if not self._slots.acquire(timeout=self._patience):
            raise HashingBusyError()
        try:
            yield
        finally:
            self._slots.release()
