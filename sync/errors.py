"""Client-side sync failures: each carries a Spanish message that tells the person what to do.

Every transport raises these (and only these) so the engine and the app never see ``requests``
or server internals. ``str(error)`` is the message to show; ``code`` and ``status`` are for the
sync journal a person can export for support.
"""

from sync.protocol import PROTOCOL_VERSION

RETRY_LATER = "Sus cambios siguen guardados en este equipo; intente sincronizar de nuevo más tarde."


class SyncError(Exception):
    """Base of every sync failure; ``str()`` is a Spanish message for the user."""

    default_message = "No se pudo completar la sincronización. " + RETRY_LATER

    def __init__(self, message: str = "", *, code: str = "", status: int | None = None) -> None:
        """Keep the message to show, the server's error code and the HTTP status, if any."""
        self.message = message or self.default_message
        self.code = code
        self.status = status
        super().__init__(self.message)


class ProtocolMismatch(SyncError):  # noqa: N818  (names of the sync contract)
    """The server speaks another protocol version (HTTP 409): the app must be updated."""

    default_message = (
        "Esta versión de la aplicación no es compatible con el servidor de sincronización: "
        "actualice la aplicación e intente de nuevo. Sus cambios siguen guardados en este equipo."
    )

    def __init__(
        self, message: str = "", *, code: str = "protocolo", status: int | None = 409
    ) -> None:
        """Default to the server's 409 ``protocolo`` refusal."""
        super().__init__(message, code=code, status=status)


class NotAuthorized(SyncError):  # noqa: N818  (names of the sync contract)
    """No token, an unknown or revoked token, or a wrong password (HTTP 401)."""

    default_message = (
        "El servidor no reconoce este equipo o su sesión: inicie sesión de nuevo. "
        "Si el problema continúa, pida a su supervisor que revise el acceso de este equipo."
    )

    def __init__(
        self, message: str = "", *, code: str = "no_autorizado", status: int | None = 401
    ) -> None:
        """Default to the server's 401 ``no_autorizado`` refusal."""
        super().__init__(message, code=code, status=status)


WITHDRAWN_CODE = "equipo_dado_de_baja"


class DeviceWithdrawn(NotAuthorized):
    """An administrator withdrew this device (lost, stolen, handed back): it must lock itself.

    Distinct from a token that merely expired or a password that changed (sign in again).
    """

    default_message = (
        "Este equipo fue dado de baja por el administrador del servidor: ya no puede "
        "sincronizar. Exporte los cambios no enviados para su supervisor(a) antes de borrar "
        "los datos."
    )

    def __init__(self, message: str = "", *, status: int | None = 401) -> None:
        """The server's ``equipo_dado_de_baja`` refusal."""
        super().__init__(message, code=WITHDRAWN_CODE, status=status)


class Refused(SyncError):  # noqa: N818  (names of the sync contract)
    """Any other 4xx refusal, with the server's ``ErrorBody`` message (nothing was stored)."""

    default_message = "El servidor rechazó la solicitud. " + RETRY_LATER

    def __init__(
        self,
        message: str = "",
        *,
        code: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Keep the server's ``Retry-After`` (seconds) when it sent one (HTTP 429)."""
        super().__init__(message, code=code, status=status)
        self.retry_after = retry_after


class Unreachable(SyncError):  # noqa: N818  (names of the sync contract)
    """The network is down, the server timed out or stayed unavailable after every retry."""

    default_message = (
        "No se pudo conectar con el servidor de sincronización. Revise su conexión a internet. "
        + RETRY_LATER
    )


class ServerFailure(SyncError):  # noqa: N818  (names of the sync contract)
    """The server failed (HTTP 500) or answered something this protocol does not allow."""

    default_message = (
        "El servidor de sincronización tuvo un problema y no completó la operación. "
        + RETRY_LATER
        + " Si continúa, exporte el registro de sincronización y envíelo a soporte."
    )


def require_protocol(version: int) -> None:
    """Refuse a message of another protocol version before anything of it is used."""
    if version != PROTOCOL_VERSION:
        raise ProtocolMismatch(status=None)
