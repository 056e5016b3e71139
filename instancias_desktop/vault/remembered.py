"""The profile's key in the system's credential store, when she asks to be remembered.

Windows Credential Manager, macOS Keychain or the Secret Service, through ``keyring``: the key
(never the passphrase) is kept under the profile's folder, so each profile has its own. A
store that is missing or locked only means the passphrase is asked for, as without it.
"""

import hashlib
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SERVICE = "instancias-desktop"


def _keyring() -> Any:
    import keyring  # noqa: PLC0415  (slow to import: only when a profile is unlocked)

    return keyring


def _account(root: Path) -> str:
    """One entry per profile folder (the path itself is not written in the store)."""
    return "perfil-" + hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:24]


def available() -> bool:
    """Whether this system offers a credential store the app can use."""
    try:
        from keyring.backends import fail  # noqa: PLC0415

        return not isinstance(_keyring().get_keyring(), fail.Keyring)
    except Exception:  # no keyring at all: the passphrase is asked for
        log.info("no credential store", exc_info=True)
        return False


def remember(root: Path, key: bytes) -> bool:
    """Keep the key for this profile; whether the store took it."""
    try:
        _keyring().set_password(SERVICE, _account(root), key.hex())
    except Exception:
        log.warning("the credential store refused the key", exc_info=True)
        return False
    return True


def recall(root: Path) -> bytes | None:
    """The key kept for this profile, or None (none kept, store missing or locked)."""
    try:
        kept = _keyring().get_password(SERVICE, _account(root))
        return bytes.fromhex(kept) if kept else None
    except Exception:
        log.info("no key recalled from the credential store", exc_info=True)
        return None


def forget(root: Path) -> None:
    """Drop the key kept for this profile (the passphrase is asked for again)."""
    try:
        _keyring().delete_password(SERVICE, _account(root))
    except Exception:
        log.info("nothing to forget in the credential store", exc_info=True)
