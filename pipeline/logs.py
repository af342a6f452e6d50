"""Logging: every line carries the capture id from a ContextVar, never personal data.

Log ids, counts, reason codes and error kinds; never file names, OCR text, names or person
codes (a file name may well contain a client's name).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
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
    for noisy in ("urllib3", "pika", "uvicorn.access", "watchdog"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@contextmanager
def capture_context(capture_id: str) -> Iterator[None]:
    """Tag every log line in the block with ``capture_id``."""
    token = capture_id_var.set(capture_id)
    try:
        yield
    finally:
        capture_id_var.reset(token)
