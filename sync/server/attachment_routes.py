"""The HTTP side of attachments and of the documents the ministry publishes.

Attachments: start (or resume) an upload, send a piece, complete it, read a file's state and
pieces. A file that no record readable by the caller names answers 404, exactly as a file the
server does not hold: whether the server holds a file is no one else's business. Published
documents: form definitions and catalogues, listed from a cursor.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

from fastapi import Depends, FastAPI, Path, Request, Response
from sqlalchemy.orm import Session, sessionmaker

from sync.protocol import (
    MAX_CHUNK,
    ErrorBody,
    PublishedPage,
    PublishedRequest,
    UploadStart,
    UploadState,
)
from sync.server import attachments, published
from sync.server.access import Caller
from sync.server.audit import Action
from sync.server.db import begin_writing
from sync.server.http_auth import Authenticator
from sync.server.http_io import ApiError, BodyReader, RawBody, client_address

Sha256Path = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 (hex)")]
_ERROR = {"model": ErrorBody}
_ABSENT: dict[int | str, dict[str, Any]] = {404: _ERROR}  # a file she may not read, or none
_UPLOADING: dict[int | str, dict[str, Any]] = {404: _ERROR, 413: _ERROR, 422: _ERROR}
NOT_HERE = (
    "El servidor no tiene un archivo con esa huella entre los anexos que usted puede ver. "
    "Sincronice primero el acta que lo nombra."
)


def _refused(error: attachments.UploadError) -> ApiError:
    if isinstance(error, attachments.QuotaError):
        return ApiError(413, "cuota", str(error))
    if isinstance(error, attachments.NotStartedError):
        return ApiError(404, "subida_no_iniciada", str(error))
    return ApiError(422, "archivo_invalido", str(error))


def add_published_route(
    app: FastAPI, session_factory: sessionmaker[Session], max_body: int, auth: Authenticator
) -> None:
    """Mount the endpoint that lists what the ministry published (form definitions)."""

    @app.post("/v1/published", response_model=PublishedPage)
    def published_documents(
        _caller: Annotated[Caller, Depends(auth)],
        body: Annotated[PublishedRequest, Depends(BodyReader(PublishedRequest, max_body))],
    ) -> PublishedPage:
        """Documents published after the cursor, for every signed-in device."""
        with session_factory.begin() as session:
            return published.page(session, body)


def add_attachment_routes(
    app: FastAPI,
    session_factory: sessionmaker[Session],
    clock: Callable[[], dt.datetime],
    max_body: int,
    auth: Authenticator,
) -> None:
    """Mount the attachment endpoints on ``app``."""

    @app.post("/v1/attachments/{sha256}", response_model=UploadState, responses=_UPLOADING)
    def start_upload(
        caller: Annotated[Caller, Depends(auth)],
        sha256: Sha256Path,
        body: Annotated[UploadStart, Depends(BodyReader(UploadStart, max_body))],
    ) -> UploadState:
        """Start or resume sending a file: the answer says which pieces are already here."""
        try:
            with session_factory.begin() as session:
                begin_writing(session)
                return attachments.start(session, caller, sha256, body, clock())
        except attachments.NotNamedError:
            raise ApiError(404, "no_encontrado", NOT_HERE) from None
        except attachments.UploadError as error:
            raise _refused(error) from None

    @app.put(
        "/v1/attachments/{sha256}/chunks/{index}",
        status_code=204,
        response_class=Response,
        responses=_UPLOADING,
    )
    def put_chunk(
        caller: Annotated[Caller, Depends(auth)],
        sha256: Sha256Path,
        index: Annotated[int, Path(ge=0, le=1_000_000)],
        data: Annotated[bytes, Depends(RawBody(MAX_CHUNK))],
    ) -> Response:
        """One piece of the file (``application/octet-stream``); sending it twice is harmless."""
        try:
            with session_factory.begin() as session:
                begin_writing(session)
                attachments.put_chunk(session, caller, sha256, index, data=data, now=clock())
        except attachments.UploadError as error:
            raise _refused(error) from None
        return Response(status_code=204)

    @app.get("/v1/attachments/{sha256}", response_model=UploadState, responses=_ABSENT)
    def attachment_state(
        request: Request, caller: Annotated[Caller, Depends(auth)], sha256: Sha256Path
    ) -> UploadState:
        """What the server holds of a file the caller may read: to download it."""
        with session_factory.begin() as session:
            found = attachments.state(session, caller, sha256)
        if found is None:
            not_hers(request, caller, sha256)
        return found

    def not_hers(request: Request, caller: Caller, sha256: str) -> NoReturn:
        auth.trail.note_refusal(
            Action.ACCESS_REFUSED,
            caller.username,
            "anexo",
            device_id=caller.device_id,
            address=client_address(request),
            detail={"ruta": "anexo", "archivo": sha256},
        )
        raise ApiError(404, "no_encontrado", NOT_HERE)

    @app.get(
        "/v1/attachments/{sha256}/chunks/{index}",
        response_class=Response,
        responses={**_ABSENT, 200: {"content": {"application/octet-stream": {}}}},
    )
    def get_chunk(
        request: Request,
        caller: Annotated[Caller, Depends(auth)],
        sha256: Sha256Path,
        index: Annotated[int, Path(ge=0, le=1_000_000)],
    ) -> Response:
        """One piece of a complete file the caller may read, as bytes (each piece audited)."""
        with session_factory.begin() as session:
            data = attachments.chunk(session, caller, sha256, index)
        if data is None:
            not_hers(request, caller, sha256)
        auth.trail.note_caller(
            Action.ANNEX_DOWNLOAD,
            caller,
            address=client_address(request),
            detail={"archivo": sha256, "pieza": index, "bytes": len(data)},
        )
        return Response(content=data, media_type="application/octet-stream")

    @app.post("/v1/attachments/{sha256}/complete", response_model=UploadState, responses=_UPLOADING)
    def complete_upload(
        request: Request, caller: Annotated[Caller, Depends(auth)], sha256: Sha256Path
    ) -> UploadState:
        """Every piece sent: check the whole file's SHA-256 (a damaged upload is dropped)."""
        try:
            with session_factory.begin() as session:
                begin_writing(session)
                state, damaged = attachments.complete(session, caller, sha256, clock())
                if not damaged:
                    auth.trail.note(
                        session,
                        Action.ANNEX_UPLOAD,
                        caller,
                        address=client_address(request),
                        detail={"archivo": sha256, "bytes": state.size},
                    )
        except attachments.UploadError as error:
            raise _refused(error) from None
        if damaged:  # its pieces were dropped (committed): it will be sent whole again
            raise ApiError(422, "archivo_invalido", damaged)
        return state
