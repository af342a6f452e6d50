"""Logging: every line carries the capture id from a ContextVar, never personal data.

Log ids, counts, reason codes and error kinds; never file names, OCR text, names or person
codes (a file name may well contain a client's name).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

capture_id_var: ContextVar[str] = ContextVar("capture_id", default="-")


class _CaptureFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.capture_id = capture_id_var.get()
        return True


def setup_logging(level: str = "INFO") -> None:
    """Configure the root logger once per process."""
    handler = logging.StreamHandler()
    handler.addFilter(_CaptureFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(capture_id)s] %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Libraries that would log URLs with query strings or payloads stay quiet.
    # Dramatiq logs every retry of every message; an outage is logged once by ``Outages``.
    for noisy in ("urllib3", "pika", "uvicorn.access", "watchdog", "dramatiq"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@contextmanager
def capture_context(capture_id: str) -> Iterator[None]:
    """Tag every log line in the block with ``capture_id``."""
    token = capture_id_var.set(capture_id)
    try:
        yield
    finally:
        capture_id_var.reset(token)


def outage_of(error: Exception) -> str:
    """The service an outage error names ("database unavailable: PoolTimeout" → its head)."""
    return str(error).split(":")[0]


class Outages:
    """Log a service outage once when it starts and once when it ends, not once per retry.

    With hundreds of captures waiting, a line per retry would bury everything else.
    """

    def __init__(self, logger: logging.Logger, clock: Callable[[], float] = time.monotonic):
        self._log = logger
        self._clock = clock
        self._since: dict[str, float] = {}
        self._lock = threading.Lock()

    def down(self, service: str) -> None:
        """A call failed because ``service`` is unavailable."""
        with self._lock:
            if service in self._since:
                return
            self._since[service] = self._clock()
        self._log.warning("%s; retrying with backoff until it is back", service)

    def up(self) -> None:
        """A call succeeded: every outage seen so far is over."""
        with self._lock:
            ended, self._since = self._since, {}
        now = self._clock()
        for service, since in ended.items():
            self._log.warning("%s no more, after %.0f s", service, now - since)
