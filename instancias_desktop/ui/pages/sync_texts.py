"""The lines the sync page writes: what waits for the server, the last sync, her territories."""

from instancias_desktop.domain.sync_views import SyncStatus
from instancias_desktop.i18n import _, decimal_text, n_


def kilobytes(count: int) -> str:
    """Bytes as kB with a decimal comma (es-PE)."""
    return decimal_text(count / 1000) + " kB"


def state_text(status: SyncStatus) -> str:
    """«Sincronizado» only when the server confirmed every change made here."""
    conflicts = (
        " "
        + n_(
            "{n} conflicto por resolver (pestaña «Conflictos»).",
            "{n} conflictos por resolver (pestaña «Conflictos»).",
            status.in_conflict,
        )
        if status.in_conflict
        else ""
    )
    if status.pending == 0 and status.rejected == 0 and status.parked == 0:
        if status.last_sync is None:
            return _("No hay cambios por enviar.") + conflicts
        return _("Sincronizado: el servidor confirmó todos los cambios de este equipo.") + conflicts
    parts = []
    if status.pending:
        parts.append(
            n_(
                "{n} pendiente de envío o de confirmación",
                "{n} pendientes de envío o de confirmación",
                status.pending,
            )
        )
    if status.rejected:
        parts.append(
            n_(
                "{n} rechazado por el servidor (pestaña «Rechazos»)",
                "{n} rechazados por el servidor (pestaña «Rechazos»)",
                status.rejected,
            )
        )
    if status.parked:
        parts.append(
            n_(
                "{n} recibido aún sin guardar en este equipo",
                "{n} recibidos aún sin guardar en este equipo",
                status.parked,
            )
        )
    return _("Por sincronizar: {parts}.").format(parts=", ".join(parts)) + conflicts


def last_text(status: SyncStatus) -> str:
    if status.last_sync is None:
        return _("Aún no se ha sincronizado este equipo.")
    return _("Última sincronización: {when}. {result}").format(
        when=status.last_sync.astimezone().strftime("%d/%m/%Y %H:%M"), result=status.last_result
    )


def territories_text(role: str, territories: tuple[str, ...]) -> str:
    if role == "supervisor":
        return _("Supervisión: recibe los datos de todo el país.")
    if not territories:
        return _("Aún no tiene territorios asignados: pídalos a su supervisor.")
    return _("Territorios asignados (ubigeo): {codes}.").format(codes=", ".join(territories))
