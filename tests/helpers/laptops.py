"""One specialist's laptops as devices of the central server, for the sync integration tests."""

import uuid

from sync.server.access import Caller, Role

USER = "especialista.prueba"


def device(name: str) -> Caller:
    """The same specialist on one of her laptops (each laptop is its own device)."""
    return Caller(
        USER, Role.ESPECIALISTA, territories=("08",), device_id=uuid.uuid5(uuid.NAMESPACE_URL, name)
    )
