"""The HTTP API (FastAPI), built by ``create_app`` over a session factory; see sync/README.md."""

import contextlib
import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from sync.protocol import (
    PROTOCOL_VERSION,
    WAITING_HEADER,
    ChangePage,
    ConflictList,
    DigestRequest,
    DigestResponse,
    ErrorBody,
    FetchRequest,
    PullRequest,
    PushRequest,
    PushResponse,
    RecordList,
    waiting_of,
)
from sync.server import auth, openapi, service
from sync.server.access import Caller
from sync.server.attachment_routes import add_attachment_routes, add_published_route
from sync.server.audit import DEFAULT_KEEP_DAYS, Action, AuditTrail
from sync.server.db import begin_writing, database_state, loggable, serialize_changes
from sync.server.http_auth import DEFAULT_TOKEN_DAYS, Authenticator
from sync.server.http_io import ApiError, BodyReader, client_address, invalid, validation_message
from sync.server.login_route import add_login_route
from sync.server.throttle import HashGate, LoginLimiter

log = logging.getLogger(__name__)

MAX_BODY = 8_000_000


def utc_now() -> dt.datetime:
    """The server's clock (timezone-aware UTC)."""
    return dt.datetime.now(dt.UTC)


BUSY_RETRY_AFTER = 2  # seconds a client waits before repeating a request refused as busy


def is_busy(error: Exception) -> bool:
    """A lock or pool timeout: the request did nothing and can be repeated."""
    if isinstance(error, SATimeoutError):
        return True
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


def create_app(
    session_factory: sessionmaker[Session],
    *,
    clock: Callable[[], dt.datetime] = utc_now,
    max_body: int = MAX_BODY,
    limiter: LoginLimiter | None = None,
    token_days: int | None = DEFAULT_TOKEN_DAYS,
    audit_days: int | None = DEFAULT_KEEP_DAYS,
    app_versions: dict[str, str] | None = None,
) -> FastAPI:
    """The sync API over ``session_factory``: one database transaction per request.

    ``token_days``: a device unused that long must sign in again (None: tokens never expire).
    ``audit_days``: how long the audit trail keeps an entry (None: for ever).
    ``app_versions``: the app versions ``/health`` announces («minimum», «latest»): below
    the minimum a laptop does not sync and says why; below the latest it says one exists.
    """
    announced = {k: v for k, v in (app_versions or {}).items() if v}
    trail = AuditTrail(session_factory, clock, audit_days)
    app = FastAPI(
        lifespan=_closing(trail),
        title="Servidor de sincronización — Instancias de Concertación (MIMP)",
        version=f"{PROTOCOL_VERSION}",
        description="Sincronización de los equipos sin conexión con el servidor central.",
    )
    app.add_middleware(GZipMiddleware, minimum_size=500)
    login_limiter = limiter if limiter is not None else LoginLimiter()
    app.state.limiter = login_limiter
    _install_error_handlers(app)

    @app.get("/health")
    def health() -> JSONResponse:
        """Liveness and the database's state, no token needed: 503 when it cannot serve."""
        database = database_state(session_factory.kw["bind"])
        body = {"status": "ok" if database["ok"] else "error", "protocol": PROTOCOL_VERSION,
                "database": database, **({"app": announced} if announced else {})}  # fmt: skip
        return JSONResponse(body, status_code=200 if database["ok"] else 503)

    app.state.audit_trail = trail
    add_login_route(
        app,
        session_factory,
        clock,
        limiter=login_limiter,
        gate=HashGate(),
        max_body=max_body,
        trail=trail,
    )
    authenticated = Authenticator(session_factory, clock, token_days, trail)

    @app.post(
        "/v1/push",
        response_model=PushResponse,
    )
    def push(
        request: Request,
        caller: Annotated[Caller, Depends(authenticated)],
        body: Annotated[PushRequest, Depends(BodyReader(PushRequest, max_body))],
    ) -> Response:
        """Apply a batch of operations: one receipt per operation, in order.

        Receipts come without ``op_id`` (they follow the order of the operations) and
        without nulls: the random ids were a fifth of the bytes a push cost.
        """
        with session_factory.begin() as session:
            serialize_changes(session)
            answer = service.push(session, caller, body, clock())
            auth.note_outbox_waiting(
                session, caller.device_id, waiting_of(request.headers.get(WAITING_HEADER)), clock()
            )
            outcomes = Counter(receipt.outcome.value for receipt in answer.receipts)
            trail.note(
                session,
                Action.PUSH,
                caller,
                address=client_address(request),
                detail={"operaciones": len(body.operations), **outcomes},
            )
        return Response(
            answer.model_dump_json(exclude_none=True),
            media_type="application/json",
        )

    @app.post(
        "/v1/pull",
        response_model=ChangePage,
    )
    def pull(
        request: Request,
        caller: Annotated[Caller, Depends(authenticated)],
        body: Annotated[PullRequest, Depends(BodyReader(PullRequest, max_body))],
    ) -> Response:
        """Changes after the cursor within the caller's scope.

        Nulls of optional parts are left out: a record without a parent carries no parent_id.
        """
        with session_factory.begin() as session:
            page = service.pull(session, caller, body)
        trail.note_caller(
            Action.PULL,
            caller,
            address=client_address(request),
            detail={"cambios": len(page.records), "desde": body.cursor, "hasta": page.next_cursor},
        )
        return Response(page.model_dump_json(exclude_none=True), media_type="application/json")

    @app.post(
        "/v1/digest",
        response_model=DigestResponse,
    )
    def digest(
        caller: Annotated[Caller, Depends(authenticated)],
        body: Annotated[DigestRequest, Depends(BodyReader(DigestRequest, max_body))],
    ) -> DigestResponse:
        """Per-kind digests of the caller's scope."""
        with session_factory.begin() as session:
            return service.digest(session, caller, body)

    @app.post(
        "/v1/records",
        response_model=RecordList,
    )
    def records(
        request: Request,
        caller: Annotated[Caller, Depends(authenticated)],
        body: Annotated[FetchRequest, Depends(BodyReader(FetchRequest, max_body))],
    ) -> RecordList:
        """The current state of some records (a laptop puts back what the server refused)."""
        with session_factory.begin() as session:
            found = service.fetch(session, caller, body)
        trail.note_caller(
            Action.READ_RECORDS,
            caller,
            address=client_address(request),
            detail={"pedidos": len(body.keys), "entregados": len(found.records)},
        )
        return found

    _add_conflict_routes(app, session_factory, authenticated, trail)
    add_attachment_routes(app, session_factory, clock, max_body, authenticated)
    add_published_route(app, session_factory, max_body, authenticated)
    app.openapi = lambda: openapi.document(app)  # type: ignore[method-assign]
    return app


def _add_conflict_routes(
    app: FastAPI,
    session_factory: sessionmaker[Session],
    authenticated: Authenticator,
    trail: AuditTrail,
) -> None:
    """The conflicts set aside for the caller, and her word that she looked at one."""

    @app.get("/v1/conflicts", response_model=ConflictList)
    def conflicts(
        request: Request, caller: Annotated[Caller, Depends(authenticated)]
    ) -> ConflictList:
        """Open conflicts whose set-aside value is the caller's."""
        with session_factory.begin() as session:
            found = service.open_conflicts(session, caller)
        trail.note_caller(
            Action.READ_CONFLICTS,
            caller,
            address=client_address(request),
            detail={"conflictos": len(found.conflicts)},
        )
        return found

    @app.post(
        "/v1/conflicts/{conflict_id}/resolved",
        status_code=204,
        response_class=Response,
        responses={404: {"model": ErrorBody}},
    )
    def resolved(
        request: Request, caller: Annotated[Caller, Depends(authenticated)], conflict_id: uuid.UUID
    ) -> Response:
        """The caller looked at the conflict (the chosen value travels as an update)."""
        address = client_address(request)
        try:
            with session_factory.begin() as session:
                begin_writing(session)
                service.resolve_conflict(session, caller, conflict_id)
                trail.note(
                    session,
                    Action.CONFLICT_RESOLVED,
                    caller,
                    address=address,
                    detail={"conflicto": str(conflict_id)},
                )
        except service.ConflictNotFoundError:
            trail.note_caller(
                Action.ACCESS_REFUSED,
                caller,
                address=address,
                detail={"ruta": "conflicto", "conflicto": str(conflict_id)},
            )
            raise ApiError(
                404,
                "no_encontrado",
                "El conflicto no existe o no le corresponde. Sincronice para actualizar "
                "la lista de conflictos.",
            ) from None
        return Response(status_code=204)


def _closing(trail: AuditTrail) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The application's lifespan: a stop writes the audit entries still on their way."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        trail.close()

    return lifespan


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path answers (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def _install_error_handlers(app: FastAPI) -> None:
    """Every refusal is an ``ErrorBody``; nothing unexpected leaks as an HTML or bare 500."""

    async def api_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        return error.response()

    async def validation_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        return invalid(validation_message(list(error.errors()))).response()

    async def http_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        if error.status_code == 404:
            refusal = ApiError(404, "no_encontrado", "La ruta solicitada no existe.")
        elif error.status_code == 405:
            refusal = ApiError(
                405,
                "metodo_no_permitido",
                "Método no permitido en esta ruta.",
                {"Allow": ", ".join(_allowed_methods(_request))},
            )
        else:
            refusal = ApiError(error.status_code, "solicitud_invalida", str(error.detail))
        return refusal.response()

    async def busy(_request: Request, error: Exception) -> JSONResponse:
        # The database was too busy to start this transaction in time (SQLite's write lock,
        # PostgreSQL's pool): nothing was done, and every request is safe to repeat.
        log.warning("database busy: %s", loggable(error).splitlines()[0])
        return ApiError(
            503,
            "ocupado",
            "El servidor está atendiendo a muchos equipos a la vez; nada se perdió."
            " La sincronización se reintentará en unos segundos.",
            {"Retry-After": str(BUSY_RETRY_AFTER)},
        ).response()

    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        if is_busy(error):
            return await busy(_request, error)
        log.error("unexpected error: %s", loggable(error))
        return ApiError(
            500,
            "error_interno",
            "Ocurrió un error en el servidor y no se guardó nada. Intente de nuevo más tarde; "
            "si continúa, comuníquese con soporte.",
        ).response()

    async def gone(_request: Request, _error: Exception) -> Response:
        # The device went away mid-request (its signal dropped): nothing was done, nothing to
        # answer, and nothing worth a traceback in the log.
        log.info("client disconnected before its request was read")
        return Response(status_code=400)

    app.add_exception_handler(ClientDisconnect, gone)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(SATimeoutError, busy)
    app.add_exception_handler(Exception, unexpected)
