"""The audit key: the secret that keys the hashes of person codes in the audit log.

Configured deployments set ``INTAKE_AUDIT_KEY`` (and keep it: with another key, old rows
can no longer be searched by a person code).  The embedded mode makes one at first use and
keeps it in ``home/audit.key`` (0600, root's when root started intake, so the account that
serves the API cannot read it back once it has given up root).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from config.errors import Misconfigured
from config.settings import Settings

KEY_FILE = "audit.key"
MIN_BYTES = 16


def audit_key(settings: Settings) -> bytes:
    """The configured key, else the embedded home's (made once), else ``Misconfigured``.

    A key is needed only when person codes are audited hashed.
    """
    if settings.audit_key is not None:
        key = settings.audit_key.get_secret_value().encode()
    elif settings.audit_person_codes == "full":
        return b""
    elif settings.embedded:
        key = _kept(settings.home.absolute() / KEY_FILE)
    else:
        raise Misconfigured(
            "INTAKE_AUDIT_KEY is not set: it keys the hashes of the person codes in the audit"
            " log (or set INTAKE_AUDIT_PERSON_CODES=full)"
        )
    if len(key) < MIN_BYTES:
        raise Misconfigured(f"INTAKE_AUDIT_KEY needs at least {MIN_BYTES} bytes")
    return key


def _kept(path: Path) -> bytes:
    """The key in ``path``, written there first (never through a link) when missing."""
    flags = os.O_RDONLY | os.O_NOFOLLOW
    try:
        with os.fdopen(os.open(path, flags)) as kept:
            return kept.read().strip().encode()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:  # another process made it meanwhile
        return _kept(path)
    with os.fdopen(fd, "w") as out:
        out.write(key + "\n")
    return key.encode()
