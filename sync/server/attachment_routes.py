"""The HTTP side of attachments and of the documents the ministry publishes.

Attachments: start (or resume) an upload, send a piece, complete it. Published documents:
form definitions, listed from a cursor.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Response
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
from sync.server.http_auth import Token, authenticate
from sync.server.http_io import ApiError, BodyReader, RawBody

Sha256Path = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 (hex)")]
_REFUSED: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody},
    401: {"model": ErrorBody},
    413: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


def _refused(error: attachments.UploadError) -> ApiError:
    return ApiError(422, "archivo_invalido", str(error))


def add_published_route(
    app: FastAPI, session_factory: sessionmaker[Session], max_body: int
) -> None:
    """Mount the endpoint that lists what the ministry published (form definitions)."""

    @app.post("/v1/published", response_model=PublishedPage, responses=_REFUSED)
    def published_documents(
        token: Token,
        body: Annotated[PublishedRequest, Depends(BodyReader(PublishedRequest, max_body))],
    ) -> PublishedPage:
        """Documents published after the cursor, for every signed-in device."""
        with session_factory.begin() as session:
            authenticate(session, token)
            return published.page(session, body)


def add_attachment_routes(
    app: FastAPI,
    session_factory: sessionmaker[Session],
    clock: Callable[[], dt.datetime],
    max_body: int,
) -> None:
    """Mount the three attachment endpoints on ``app``."""

    @app.post("/v1/attachments/{sha256}", response_model=UploadState, responses=_REFUSED)
    def start_upload(
        token: Token,
        sha256: Sha256Path,
        body: Annotated[UploadStart, Depends(BodyReader(UploadStart, max_body))],
    ) -> UploadState:
        """Start or resume sending a file: the answer says which pieces are already here."""
        with session_factory.begin() as session:
            caller = authenticate(session, token)
            return attachments.start(session, caller, sha256, body, clock())

    @app.put(
        "/v1/attachments/{sha256}/chunks/{index}",
        status_code=204,
        response_class=Response,
        responses=_REFUSED,
    )
    def put_chunk(
        token: Token,
        sha256: Sha256Path,
        index: Annotated[int, Path(ge=0)],
        data: Annotated[bytes, Depends(RawBody(MAX_CHUNK))],
    ) -> Response:
        """One piece of the file (``application/octet-stream``); sending it twice is harmless."""
        with session_factory.begin() as session:
            authenticate(session, token)
            try:
                attachments.put_chunk(session, sha256, index, data)
            except attachments.UploadError as error:
                raise _refused(error) from None
        return Response(status_code=204)

    @app.get("/v1/attachments/{sha256}", response_model=UploadState, responses=_REFUSED)
    def attachment_state(token: Token, sha256: Sha256Path) -> UploadState:
        """What the server holds of a file: to download it, or to know it is not there yet."""
        with session_factory.begin() as session:
            authenticate(session, token)
            found = attachments.state(session, sha256)
        if found is None:
            raise ApiError(404, "no_encontrado", "El servidor aún no tiene este archivo.")
        return found

    @app.get(
        "/v1/attachments/{sha256}/chunks/{index}",
        response_class=Response,
        responses={**_REFUSED, 404: {"model": ErrorBody}},
    )
    def get_chunk(token: Token, sha256: Sha256Path, index: Annotated[int, Path(ge=0)]) -> Response:
        """One piece of a complete file, as bytes."""
        with session_factory.begin() as session:
            authenticate(session, token)
            data = attachments.chunk(session, sha256, index)
        if data is None:
            raise ApiError(404, "no_encontrado", "Esa parte del archivo no está en el servidor.")
        return Response(content=data, media_type="application/octet-stream")

    @app.post("/v1/attachments/{sha256}/complete", response_model=UploadState, responses=_REFUSED)
    def complete_upload(token: Token, sha256: Sha256Path) -> UploadState:
        """Every piece sent: check the whole file's SHA-256 (a damaged file is dropped)."""
        with session_factory.begin() as session:
            authenticate(session, token)
            try:
                state, damaged = attachments.complete(session, sha256)
            except attachments.UploadError as error:
                raise _refused(error) from None
        if damaged:  # its pieces were dropped (committed): it will be sent whole again
            raise ApiError(422, "archivo_invalido", damaged)
        return state
