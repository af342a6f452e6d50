"""Heartbeats: a watcher or worker touches a file every few seconds; a check reads its age.

``intake healthcheck --role worker`` (the container healthcheck in docker-compose.yml) is
healthy while the role's file is younger than ``--max-age``.  A process that has died, been
stopped or frozen stops touching it, and its file ages past the limit.  The files live in
``INTAKE_HEARTBEAT_DIR`` (default ``$INTAKE_HOME/run``); processes of one role that share
that folder share one file, so the check then says that at least one of them is alive.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from config.errors import Misconfigured
from config.settings import Settings

log = logging.getLogger(__name__)

ROLES = ("watcher", "worker")
EVERY = 5.0  # seconds between two beats
MAX_AGE = 30.0  # the check's default: six beats missed


@dataclass(frozen=True)
class Health:
    """What a check found: healthy or not, and a line that says why."""

    healthy: bool
    message: str


def folder(settings: Settings) -> Path:
    """Where the heartbeat files are: ``heartbeat_dir``, else ``home/run``."""
    return settings.heartbeat_dir or settings.home / "run"


def heartbeat_file(where: Path, role: str) -> Path:
    """The file that processes of ``role`` touch."""
    if role not in ROLES:
        raise ValueError(f"no heartbeat for role {role!r}")
    return where / f"{role}.heartbeat"


def beat(file: Path) -> None:
    """Touch ``file`` (its modification time is the heartbeat), making its folder if need be."""
    file.parent.mkdir(parents=True, exist_ok=True)
    file.touch()


def keep_beating(
    settings: Settings, role: str, stop: threading.Event, *, every: float = EVERY
) -> threading.Thread:
    """Beat once now, then every ``every`` seconds from a daemon thread until ``stop`` is set.

    Raises:
        Misconfigured: When the first beat cannot be written: a healthcheck would only ever
            see this process as dead.
    """
    file = heartbeat_file(folder(settings), role)
    try:
        beat(file)
    except OSError as exc:
        raise Misconfigured(
            f"cannot write the heartbeat {file}: {exc.strerror or type(exc).__name__}"
            " (set INTAKE_HEARTBEAT_DIR to a writable folder)"
        ) from exc

    def run() -> None:
        failing = False
        while not stop.wait(every):
            try:
                beat(file)
            except OSError as exc:
                if not failing:  # once per failure, not every few seconds
                    log.warning("heartbeat %s not written: %s", file, exc.strerror)
                failing = True
            else:
                failing = False

    thread = threading.Thread(target=run, name=f"heartbeat-{role}", daemon=True)
    thread.start()
    return thread


def age(file: Path, *, now: float | None = None) -> float | None:
    """Seconds since ``file`` was last touched, or ``None`` when there is no such file."""
    try:
        touched = file.stat().st_mtime
    except FileNotFoundError:
        return None
    return (time.time() if now is None else now) - touched


def check(where: Path, role: str, *, max_age: float = MAX_AGE, now: float | None = None) -> Health:
    """Whether a process of ``role`` has beaten within ``max_age`` seconds."""
    file = heartbeat_file(where, role)
    seconds = age(file, now=now)
    if seconds is None:
        return Health(False, f"{role}: no heartbeat at {file}")
    if seconds > max_age:
        return Health(False, f"{role}: heartbeat {seconds:.1f} s old (more than {max_age:g} s)")
    return Health(True, f"{role}: heartbeat {max(seconds, 0.0):.1f} s old")
