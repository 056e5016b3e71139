"""HttpTransport: the sync API over HTTP(S) with requests (timeouts, retries, gzip both ways).

Every request is retried with exponential backoff and jitter on connection errors, timeouts and
502/503/504 (all endpoints are idempotent: a push replays the same op_ids), never on a 4xx.
Refusals become the exceptions of ``sync.errors`` with the server's Spanish message.
"""

import gzip
import random
import time
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

import pydantic
import requests

from sync.errors import (
    WITHDRAWN_CODE,
    DeviceWithdrawn,
    NotAuthorized,
    ProtocolMismatch,
    Refused,
    ServerFailure,
    SyncError,
    Unreachable,
    require_protocol,
)
from sync.protocol import (
    WAITING_HEADER,
    ChangePage,
    ConflictList,
    DigestRequest,
    DigestResponse,
    ErrorBody,
    FetchRequest,
    LoginRequest,
    LoginResponse,
    Message,
    PublishedPage,
    PublishedRequest,
    PullRequest,
    PushRequest,
    PushResponse,
    RecordList,
    UploadStart,
    UploadState,
    Versioned,
)

RETRIED_STATUSES = frozenset({502, 503, 504})
RETRIED_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,  # the answer was cut halfway
    requests.exceptions.ContentDecodingError,  # its gzip stream was cut short
)
INVALID_URL = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
)
TLS_REFUSED = (
    "No se pudo verificar la identidad del servidor de sincronización (certificado TLS). "
    "Revise la fecha y hora de este equipo y la dirección del servidor; si continúa, "
    "comuníquese con soporte. Sus cambios siguen guardados en este equipo."
)
BAD_URL = (
    "La dirección del servidor de sincronización no es válida: revísela en la configuración "
    "(por ejemplo, https://sync.mimp.gob.pe)."
)
GZIP_LEVEL = 6  # zlib's default: 3% larger than level 9 on sync JSON, half the time
MAX_DELAY = 60.0  # seconds: no single wait is longer, whatever the backoff or Retry-After
Answer = TypeVar("Answer", bound=Message)


TOO_MANY_ATTEMPTS = (
    "Demasiadas solicitudes seguidas desde esta conexión. Espere un minuto y vuelva a intentarlo."
)


def _retry_after(response: requests.Response) -> float | None:
    """The server's ``Retry-After`` in seconds, when it is a number."""
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def _refusal(response: requests.Response) -> SyncError:
    """The exception for a non-retried error status, with the server's message if it sent one."""
    try:
        body: ErrorBody | None = ErrorBody.model_validate_json(response.content)
    except pydantic.ValidationError:
        body = None
    message, code = (body.message, body.error) if body else ("", "")
    status = response.status_code
    if code == WITHDRAWN_CODE:
        return DeviceWithdrawn(message, status=status)
    if status == 401:
        return NotAuthorized(message, code=code or "no_autorizado", status=status)
    if status == 409:
        return ProtocolMismatch(message, code=code or "protocolo", status=status)
    if status == 429 and not message:  # the reverse proxy's own limit: no body of ours
        message = TOO_MANY_ATTEMPTS
    if 400 <= status < 500:
        return Refused(message, code=code, status=status, retry_after=_retry_after(response))
    return ServerFailure(message, code=code, status=status)


class HttpTransport:
    """The sync API of one server, through one ``requests.Session`` (close it when done)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = (5, 30),
        retries: int = 4,
        backoff: float = 0.5,
        jitter: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        on_exchange: Callable[[int, int], None] | None = None,
    ) -> None:
        """``timeout`` is (connect, read) seconds; ``retries`` extra attempts after the first.

        ``on_exchange(sent, received)``: the body bytes of every answered request, as they
        crossed the wire (gzip included), for a progress display.
        """
        if retries < 0 or backoff < 0:
            raise ValueError("retries and backoff must not be negative")
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff
        self._jitter = jitter if jitter is not None else random.Random()
        self._sleep = sleep
        self._session = session if session is not None else requests.Session()
        self._on_exchange = on_exchange

    @property
    def token(self) -> str | None:
        """The device token (from ``login`` or the constructor), for the app to keep safely."""
        return self._token

    def login(self, username: str, password: str, device_name: str) -> LoginResponse:
        """Sign this device in; the token is used by every later request."""
        request = LoginRequest(username=username, password=password, device_name=device_name)
        answer = self._call("POST", "/v1/login", request, LoginResponse, auth=False)
        self._token = answer.token
        return answer

    def push(self, request: PushRequest, waiting: int | None = None) -> PushResponse:
        """Send a batch of operations; one receipt per operation, in order."""
        extra = {WAITING_HEADER: str(waiting)} if waiting is not None else None
        return self._call("POST", "/v1/push", request, PushResponse, extra=extra)

    def pull(self, request: PullRequest) -> ChangePage:
        """Fetch the records changed after a cursor."""
        return self._call("POST", "/v1/pull", request, ChangePage)

    def digest(self, request: DigestRequest) -> DigestResponse:
        """Fetch per-kind digests of the caller's scope."""
        return self._call("POST", "/v1/digest", request, DigestResponse)

    def conflicts(self) -> ConflictList:
        """Fetch the caller's open conflicts."""
        return self._call("GET", "/v1/conflicts", None, ConflictList)

    def fetch(self, request: FetchRequest) -> RecordList:
        """The current state of some records (those the caller may read)."""
        return self._call("POST", "/v1/records", request, RecordList)

    def published(self, request: PublishedRequest) -> PublishedPage:
        """Documents the ministry published after a cursor (form definitions)."""
        return self._call("POST", "/v1/published", request, PublishedPage)

    def start_upload(self, sha256: str, size: int, chunk_size: int) -> UploadState:
        """Start or resume sending a file: the answer says which pieces the server holds."""
        request = UploadStart(size=size, chunk_size=chunk_size)
        return self._call("POST", f"/v1/attachments/{sha256}", request, UploadState)

    def put_chunk(self, sha256: str, index: int, data: bytes) -> None:
        """Send one piece of a file as it is (files are compressed already, or nearly)."""
        self._send("PUT", f"/v1/attachments/{sha256}/chunks/{index}", None, auth=True, raw=data)

    def file_state(self, sha256: str) -> UploadState | None:
        """What the server holds of a file (None: nothing yet)."""
        try:
            return self._call("GET", f"/v1/attachments/{sha256}", None, UploadState)
        except Refused as error:
            if error.status == 404:
                return None
            raise

    def get_chunk(self, sha256: str, index: int) -> bytes:
        """One piece of a complete file."""
        response = self._send("GET", f"/v1/attachments/{sha256}/chunks/{index}", None, auth=True)
        return response.content

    def complete_upload(self, sha256: str) -> UploadState:
        """Ask the server to check the whole file."""
        return self._call("POST", f"/v1/attachments/{sha256}/complete", None, UploadState)

    def mark_resolved(self, conflict_id: uuid.UUID) -> None:
        """Tell the server the person looked at a conflict (the value travels as an update)."""
        self._send("POST", f"/v1/conflicts/{conflict_id}/resolved", None, auth=True)

    def close(self) -> None:
        """Release the connections."""
        self._session.close()

    def __enter__(self) -> Self:
        """Use as a context manager that closes the session."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Close the session."""
        self.close()

    def _call(
        self,
        method: str,
        path: str,
        body: Message | None,
        answer: type[Answer],
        *,
        auth: bool = True,
        extra: dict[str, str] | None = None,
    ) -> Answer:
        """Send one request and validate the answer as ``answer`` of this protocol version.

        ``extra``: headers to add to the request.
        """
        response = self._send(method, path, body, auth=auth, extra=extra)
        try:
            parsed = answer.model_validate_json(response.content)
        except pydantic.ValidationError as error:
            raise ServerFailure(code="respuesta_invalida", status=response.status_code) from error
        if isinstance(parsed, Versioned):
            require_protocol(parsed.protocol)
        return parsed

    def _headers(self, *, auth: bool, with_body: bool) -> dict[str, str]:
        """Accept gzip; gzip a JSON body; carry the token when the endpoint needs it."""
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip"}
        if with_body:
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
        if auth:
            if self._token is None:
                raise NotAuthorized(status=None)
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _send(
        self,
        method: str,
        path: str,
        body: Message | None,
        *,
        auth: bool,
        raw: bytes | None = None,
        extra: dict[str, str] | None = None,
    ) -> requests.Response:
        """Send with retries; return a 2xx response or raise the matching ``SyncError``.

        ``raw``: bytes sent as they are (a piece of a file) instead of a JSON body.
        """
        data = raw
        if body is not None:  # nulls are the defaults: left out
            plain = body.model_dump_json(exclude_none=True).encode()
            data = gzip.compress(plain, GZIP_LEVEL, mtime=0)
        headers = self._headers(auth=auth, with_body=data is not None)
        if raw is not None:
            headers["Content-Type"] = "application/octet-stream"
            headers.pop("Content-Encoding", None)
        headers.update(extra or {})
        url = self._base_url + path
        attempt = 0
        while True:
            failure: SyncError
            wait: float | None = None
            try:
                response = self._session.request(
                    method, url, data=data, headers=headers, timeout=self._timeout
                )
            except requests.exceptions.SSLError as error:  # retrying cannot fix a certificate
                raise Unreachable(TLS_REFUSED, code="SSLError") from error
            except INVALID_URL as error:
                raise SyncError(BAD_URL, code="url_invalida") from error
            except RETRIED_ERRORS as error:
                failure = Unreachable(code=type(error).__name__)
                failure.__cause__ = error
            except requests.RequestException as error:  # e.g. an answer that does not decode
                raise ServerFailure(code=type(error).__name__) from error
            else:
                if self._on_exchange is not None:
                    received = response.headers.get("Content-Length", "")
                    self._on_exchange(
                        len(data or b""),
                        int(received) if received.isdigit() else len(response.content),
                    )
                if response.ok:
                    return response
                if response.status_code not in RETRIED_STATUSES:
                    raise _refusal(response)
                failure = Unreachable(
                    "El servidor de sincronización no está disponible en este momento. "
                    "Sus cambios siguen guardados en este equipo; intente de nuevo más tarde.",
                    status=response.status_code,
                )
                wait = _retry_after(response)
                response.close()
            if attempt >= self._retries:
                raise failure
            self._sleep(self._delay(attempt, wait))
            attempt += 1

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with jitter: in [d/2, d] for d = backoff·2^attempt, capped."""
        ceiling = min(self._backoff * 2.0**attempt, MAX_DELAY)
        delay = ceiling * (0.5 + 0.5 * self._jitter.random())
        if retry_after is not None:
            delay = max(delay, min(retry_after, MAX_DELAY))
        return delay

    def health(self) -> dict[str, Any]:
        """``GET /health`` (no token): raises if the server is unreachable or of another version."""
        response = self._send("GET", "/health", None, auth=False)
        try:
            status: dict[str, Any] = response.json()
            require_protocol(int(status["protocol"]))
        except (ValueError, KeyError, TypeError) as error:
            raise ServerFailure(code="respuesta_invalida") from error
        return status
