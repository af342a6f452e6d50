"""The audit key: the secret that keys the hashes of person codes in the audit log.

Configured deployments set ``INTAKE_AUDIT_KEY`` (and keep it: with another key, old rows
can no longer be searched by a person code).  The embedded mode makes one at first use and
keeps it in ``home/audit.key`` (0600, root's when root started intake, so the account that
serves the API cannot read it back once it has given up root).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from config.errors import Misconfigured
from config.settings import Settings
from pipeline.folders import Folder

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
        key = _kept(settings.home.absolute())
    else:
        raise Misconfigured(
            "INTAKE_AUDIT_KEY is not set: it keys the hashes of the person codes in the audit"
            " log (or set INTAKE_AUDIT_PERSON_CODES=full)"
        )
    if len(key) < MIN_BYTES:
        raise Misconfigured(f"INTAKE_AUDIT_KEY needs at least {MIN_BYTES} bytes")
    return key


def _kept(home: Path) -> bytes:
    """The key in ``home/audit.key``, made there first when missing (never through a link).

    ``intake up`` asks for it before it starts the API, so that only one process makes it.
    """
    with Folder.open(home, None) as folder:
        kept = folder.read(KEY_FILE)
        if kept is None:
            folder.write_private(KEY_FILE, secrets.token_urlsafe(32) + "\n")
            kept = folder.read(KEY_FILE) or b""
    return kept.strip()
