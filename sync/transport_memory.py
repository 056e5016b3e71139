"""MemoryTransport: the server's service layer called in-process (tests, contract, the model).

Unlike the rest of the client this module uses the server: it is left out of the
"client stands without the server" import contract, and it imports ``sync.server`` lazily,
inside its methods, so importing it costs nothing where the server is not installed. Each call
is what one HTTP request of ``sync.server.app`` does: one transaction, the caller resolved in
it (from the device token, so a revoked device is refused), one service function.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from sync.errors import DeviceWithdrawn, NotAuthorized, Refused, require_protocol
from sync.protocol import (
    ChangePage,
    ConflictList,
    DigestRequest,
    DigestResponse,
    FetchRequest,
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

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from sync.server.access import Caller

Answer = TypeVar("Answer")


def _utc_now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class MemoryTransport:
    """A ``Transport`` over ``sync.server.service`` in this process, as one signed-in caller.

    ``caller`` is a device token (resolved in every request, as over HTTP), the server's
    ``Caller`` itself, or a function resolving it in the request's session (None: refused).
    """

    def __init__(
        self,
        session_factory: "sessionmaker[Session]",
        caller: "str | Caller | Callable[[Session], Caller | None]",
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        """``session_factory`` is the server's (``sync.server.db.session_factory(engine)``)."""
        self._sessions = session_factory
        self._caller = caller
        self._clock = clock

    def push(self, request: PushRequest, waiting: int | None = None) -> PushResponse:
        """``service.push`` in one serialized transaction, at the transport's clock."""
        from sync.server import auth, service  # noqa: PLC0415  (lazy: see the module docstring)

        require_protocol(request.protocol)  # the HTTP layer refuses it with a 409

        def pushed(session: "Session", caller: "Caller") -> PushResponse:
            answer = service.push(session, caller, request, self._clock())
            auth.note_outbox_waiting(session, caller.device_id, waiting, self._clock())
            return answer

        return self._run(pushed, writes=True)

    def pull(self, request: PullRequest) -> ChangePage:
        """``service.pull`` in one transaction."""
        from sync.server import service  # noqa: PLC0415

        require_protocol(request.protocol)
        return self._run(lambda s, c: service.pull(s, c, request))

    def digest(self, request: DigestRequest) -> DigestResponse:
        """``service.digest`` in one transaction."""
        from sync.server import service  # noqa: PLC0415

        require_protocol(request.protocol)
        return self._run(lambda s, c: service.digest(s, c, request))

    def conflicts(self) -> ConflictList:
        """``service.open_conflicts`` in one transaction."""
        from sync.server import service  # noqa: PLC0415

        return self._run(service.open_conflicts)

    def fetch(self, request: FetchRequest) -> RecordList:
        """``service.fetch`` in one transaction."""
        from sync.server import service  # noqa: PLC0415

        require_protocol(request.protocol)
        return self._run(lambda s, c: service.fetch(s, c, request))

    def published(self, request: PublishedRequest) -> PublishedPage:
        """``published.page`` in one transaction."""
        from sync.server import published  # noqa: PLC0415

        return self._run(lambda s, _c: published.page(s, request))

    def start_upload(self, sha256: str, size: int, chunk_size: int) -> UploadState:
        """``attachments.start``; a file no record of hers names is ``Refused`` (404)."""
        request = UploadStart(size=size, chunk_size=chunk_size)
        found: UploadState = self._attachment(
            lambda s, c: attachments_module().start(s, c, sha256, request, self._clock())
        )
        return found

    def put_chunk(self, sha256: str, index: int, data: bytes) -> None:
        """``attachments.put_chunk``; a piece the server cannot take is ``Refused`` (422)."""
        self._attachment(
            lambda s, c: attachments_module().put_chunk(
                s, c, sha256, index, data=data, now=self._clock()
            )
        )

    def file_state(self, sha256: str) -> UploadState | None:
        """``attachments.state`` in one transaction."""
        found: UploadState | None = self._attachment(
            lambda s, c: attachments_module().state(s, c, sha256)
        )
        return found

    def get_chunk(self, sha256: str, index: int) -> bytes:
        """``attachments.chunk``; a piece the server lacks is ``Refused`` (404)."""
        data: bytes | None = self._attachment(
            lambda s, c: attachments_module().chunk(s, c, sha256, index)
        )
        if data is None:
            raise Refused("Esa parte del archivo no está en el servidor.", status=404)
        return data

    def complete_upload(self, sha256: str) -> UploadState:
        """``attachments.complete``; a damaged file is ``Refused`` (422)."""
        state: UploadState
        state, damaged = self._attachment(
            lambda s, c: attachments_module().complete(s, c, sha256, self._clock())
        )
        if damaged:  # its pieces were dropped (committed): it will be sent whole again
            raise Refused(damaged, code="archivo_invalido", status=422)
        return state

    def _attachment(self, call: "Callable[[Session, Caller], Any]") -> Any:
        module = attachments_module()
        try:
            return self._run(call, files=True)
        except module.NotNamedError:
            raise Refused(
                "El servidor no tiene un archivo con esa huella entre los anexos que usted "
                "puede ver.",
                code="no_encontrado",
                status=404,
            ) from None
        except module.QuotaError as error:
            raise Refused(str(error), code="cuota", status=413) from None
        except module.NotStartedError as error:
            raise Refused(str(error), code="subida_no_iniciada", status=404) from None
        except module.UploadError as error:
            raise Refused(str(error), code="archivo_invalido", status=422) from None

    def mark_resolved(self, conflict_id: uuid.UUID) -> None:
        """``service.resolve_conflict``; ``Refused`` (404) when it is not the caller's."""
        from sync.server import service  # noqa: PLC0415

        try:
            self._run(lambda s, c: service.resolve_conflict(s, c, conflict_id), writes=True)
        except service.ConflictNotFoundError:
            raise Refused(
                "El conflicto no existe o no le corresponde. Sincronice para actualizar "
                "la lista de conflictos.",
                code="no_encontrado",
                status=404,
            ) from None

    def close(self) -> None:
        """Nothing to release (a session lives for one call); as HttpTransport.close."""

    def __enter__(self) -> Self:
        """Use as a context manager, like HttpTransport."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Nothing to release."""

    def _resolve(self, session: "Session") -> "Caller":
        """The caller of this request; ``NotAuthorized`` for an unknown or revoked device."""
        from sync.server import auth  # noqa: PLC0415

        if isinstance(self._caller, str):
            checked = auth.check_token(session, self._caller, dt.datetime.now(dt.UTC), None)
            if checked.withdrawn:
                raise DeviceWithdrawn()
            caller = checked.caller
        elif callable(self._caller):
            caller = self._caller(session)
        else:
            caller = self._caller
        if caller is None:
            raise NotAuthorized(
                "El token de acceso no es válido o este equipo fue dado de baja. "
                "Inicie sesión de nuevo."
            )
        return caller

    def _run(
        self,
        call: "Callable[[Session, Caller], Answer]",
        *,
        writes: bool = False,
        files: bool = False,
    ) -> Answer:
        """Open one transaction, serialize it when it writes, resolve the caller, call.

        ``writes``: it changes records (serialized with every push); ``files``: it changes
        uploads (SQLite's write lock only, as the HTTP app does).
        """
        from sync.server.db import begin_writing, serialize_changes  # noqa: PLC0415

        with self._sessions.begin() as session:
            if writes:
                serialize_changes(session)  # before any read, as the HTTP app does
            elif files:
                begin_writing(session)
            answer = call(session, self._resolve(session))
        if isinstance(answer, Versioned):
            require_protocol(answer.protocol)
        return answer


def attachments_module() -> ModuleType:
    """The server's attachment service, imported only when an upload happens in-process."""
    from sync.server import attachments  # noqa: PLC0415

    return attachments
