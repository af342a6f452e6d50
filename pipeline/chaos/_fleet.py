"""The watcher and the workers of a chaos run: real ``intake`` subprocesses, killed at will.

A process killed on purpose comes back after its pause; one that exits on its own (a worker
that cannot reach the database while it starts, say) is counted and started again after a
short pause, as ``intake up`` would.  Each writes to ``logs/NAME.log``, with a line from us at
every start and kill, so a log can be read against the run's timeline.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_RESPAWN_PAUSE = 2.0
_STOP_GRACE = 40.0  # a worker finishes its capture for up to 30 s when told to stop


def _die_with_parent() -> None:
    """In the child: SIGKILL when the chaos run dies, so nothing is left behind."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class _Child:
    name: str
    args: tuple[str, ...]
    process: subprocess.Popen[bytes] | None = None
    due: float | None = None  # when to start it again


@dataclass
class Fleet:
    """The run's ``intake`` processes, started with ``env``, logging under ``logs``."""

    env: dict[str, str]
    logs: Path
    cwd: Path
    workers: int
    started_at: float = field(default_factory=time.monotonic)
    kills: Counter[str] = field(default_factory=Counter)
    exits: Counter[str] = field(default_factory=Counter)
    _children: dict[str, _Child] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self._children["watcher"] = _Child("watcher", ("watch",))
        for n in range(self.workers):
            name = f"worker-{n + 1}"
            self._children[name] = _Child(name, ("worker",))

    @property
    def names(self) -> tuple[str, ...]:
        """The processes by name: ``watcher``, ``worker-1``, ..."""
        return tuple(self._children)

    def start_all(self) -> None:
        """Start every process."""
        for child in self._children.values():
            self._start(child)

    def kill(self, name: str, pause: float) -> None:
        """SIGKILL ``name`` now and start it again after ``pause`` seconds."""
        child = self._children[name]
        if child.process is not None and child.process.poll() is None:
            child.process.kill()
            child.process.wait()
            self._note(child, f"SIGKILL (pid {child.process.pid})")
            self.kills[name] += 1
        child.process = None
        child.due = min(child.due or float("inf"), time.monotonic() + pause)

    def tend(self) -> None:
        """Count and restart what exited on its own; start what is due."""
        now = time.monotonic()
        for child in self._children.values():
            if child.process is not None and child.process.poll() is not None:
                self._note(child, f"exited with {child.process.returncode}")
                self.exits[child.name] += 1
                child.process = None
                child.due = now + _RESPAWN_PAUSE
            if child.process is None and child.due is not None and now >= child.due:
                self._start(child)

    def running(self, name: str) -> bool:
        """Whether process ``name`` is up now."""
        process = self._children[name].process
        return process is not None and process.poll() is None

    def all_running(self) -> bool:
        """Whether every process is up (none waiting to be started again)."""
        return all(self.running(name) for name in self._children)

    def stop_all(self) -> None:
        """SIGTERM every process, then SIGKILL what is left after the grace time."""
        running = [c.process for c in self._children.values() if c.process is not None]
        for process in running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + _STOP_GRACE
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for child in self._children.values():
            child.process, child.due = None, None

    def _start(self, child: _Child) -> None:
        with (self.logs / f"{child.name}.log").open("ab") as log:
            child.process = subprocess.Popen(
                [sys.executable, "-m", "pipeline.cli", *child.args],
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        child.due = None
        self._note(child, f"started (pid {child.process.pid})")

    def _note(self, child: _Child, what: str) -> None:
        elapsed = time.monotonic() - self.started_at
        with (self.logs / f"{child.name}.log").open("a") as log:
            log.write(f"--- chaos +{elapsed:.1f} s: {child.name} {what}\n")
