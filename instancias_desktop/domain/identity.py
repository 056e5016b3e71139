"""Who uses a profile: one identity, printed as the specialist who finalizes an acta.

The login name of the operating system («root», «usuario») is never printed: the specialist's
full name and post come from her server account at enrolment, or she types them once before.
"""

from dataclasses import dataclass

from instancias_desktop.domain.validation import (
    Collector,
    check_required,
    check_text,
)
from instancias_desktop.i18n import _

IDENTITY_LIMIT = 200


@dataclass(frozen=True)
class Identity:
    """The profile's user: the name records are stamped with, and who she is on paper."""

    username: str
    full_name: str = ""
    post: str = ""

    @property
    def complete(self) -> bool:
        """Whether the acta can say who finalized it."""
        return bool(self.full_name.strip())

    @property
    def signature(self) -> str:
        """«María Quispe Huamán, Especialista DPVLV» (her user name until she gives her name)."""
        if not self.complete:
            return self.username
        return ", ".join(p for p in (self.full_name, self.post) if p)


def check_identity(full_name: str, post: str) -> tuple[str, str]:
    """The name and post as stored (spaces tidied); ValidationError saying what to fix."""
    name, role = " ".join(full_name.split()), " ".join(post.split())
    errors = Collector()
    errors.add("full_name", check_required(name, _("Nombres y apellidos")))
    errors.add("full_name", check_text(name, _("Nombres y apellidos"), IDENTITY_LIMIT))
    errors.add("post", check_required(role, _("Cargo")))
    errors.add("post", check_text(role, _("Cargo"), IDENTITY_LIMIT))
    errors.raise_if_any()
    return name, role
