"""The one error hierarchy: each class says what happens next.

``Rejected`` goes to review and is never retried, ``Transient`` is retried with backoff,
``Misconfigured`` stops the process (``intake check`` reports it).  The hierarchy lives in
``config`` because it is the bottom layer that every package may import.
"""

from __future__ import annotations


class IntakeError(Exception):
    """Base of every error the project raises on purpose."""


class Rejected(IntakeError):
    """Permanent: the input cannot be accepted; it goes to review with ``reason``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class Transient(IntakeError):
    """A store, database, broker or engine is down or crashed: retry later."""


class BackendUnavailable(Transient):
    """A service could not be reached."""


class Misconfigured(IntakeError):
    """A missing binary, language pack or setting: the process cannot work at all."""


class AlreadyRegistered(IntakeError):
    """A row with the same natural key exists already."""

    def __init__(self, existing_id: str) -> None:
        super().__init__(existing_id)
        self.existing_id = existing_id
