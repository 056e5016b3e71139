"""The profile's one identity: the user name its records carry and the name printed on actas.

Before enrolment the records carry the name the app started with; at enrolment they take the
server's user name (the name the server stamps them with), so that «mis borradores» stay hers
after a sync. Her full name and post come from the server account when the administrator
recorded them, or from what she typed once.
"""

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.identity import Identity, check_identity
from instancias_desktop.domain.sync_views import enrolment_setting
from instancias_desktop.i18n import _

FULL_NAME, POST = "identity.full_name", "identity.post"
ENROLLED_USER = enrolment_setting("username")
IDENTITY_MISSING = _(
    "Su nombre completo y cargo, que el acta imprime como quien la finaliza "
    "(se registran una vez en este equipo o los trae su cuenta al inscribirlo)."
)
ADOPTED = "identity.adopted"  # the user name the profile's records were last stamped with


def profile_actor(database: Database, started_as: str) -> str:
    """The user name records are stamped with: the server's once enrolled.

    An enrolment whose renaming did not complete (a crash between the two) is finished here.
    """
    with database.reader() as uow:
        enrolled, adopted = uow.sync.value(ENROLLED_USER), uow.sync.value(ADOPTED)
    if enrolled is None:
        return started_as
    if adopted != enrolled:
        database.actor = started_as
        adopt_server_identity(database, enrolled, "", "")
    return enrolled


def identity_in(uow: UnitOfWork) -> Identity:
    """Who works in this unit of work's profile."""
    return Identity(uow.actor, uow.sync.value(FULL_NAME) or "", uow.sync.value(POST) or "")


def identity_of(database: Database) -> Identity:
    """Who uses the profile."""
    with database.reader() as uow:
        return identity_in(uow)


def set_identity(database: Database, full_name: str, post: str) -> Identity:
    """Record the name and post she typed (ValidationError with what to fix)."""
    name, role = check_identity(full_name, post)
    with database.unit_of_work(record=False) as uow:
        uow.sync.set_value(FULL_NAME, name)
        uow.sync.set_value(POST, role)
        uow.commit()
    return Identity(database.actor, name, role)


def enrolled_actor(database: Database) -> str | None:
    """The server user name of an enrolled profile (None before enrolment)."""
    with database.reader() as uow:
        return uow.sync.value(ENROLLED_USER)


def adopt_server_identity(database: Database, username: str, full_name: str, post: str) -> None:
    """At enrolment: one identity from now on, the server's user, named as her account says."""
    previous = database.actor
    with database.unit_of_work(record=False) as uow:
        if previous != username:
            uow.sync.rename_author(previous, username)
        uow.sync.set_value(ADOPTED, username)
        # Recorded by the administrator: each wins over what she typed; blank keeps hers.
        for key, value in ((FULL_NAME, full_name), (POST, post)):
            tidy = " ".join(value.split())
            if tidy:
                uow.sync.set_value(key, tidy)
        uow.commit()
    database.actor = username
