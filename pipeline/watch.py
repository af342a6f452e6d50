"""Watch drop folders: watchdog events and rescans → stability tracker → ingest.

A file is taken only when it is *stable*: its size and mtime have not changed, and no event
has touched it, for the settle time.  Temporary names that scanners and copy tools use are
ignored until renamed.  The clock is injected so the tracker is tested without sleeping.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from config.errors import Transient
from config.settings import WatchConfig

log = logging.getLogger(__name__)

_TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", "~")


def is_temporary(name: str) -> bool:
    """Names that scanners and copy tools use while a file is still being written."""
    lower = name.lower()
    return lower.startswith((".", "~$")) or lower.endswith(_TEMP_SUFFIXES)


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float
    not_before: float = 0.0


class StabilityTracker:
    """Candidates and when each last changed; ``due()`` returns those stable for ``settle``."""

    def __init__(self, settle: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.settle = settle
        self.clock = clock
        self._seen: dict[Path, _Seen] = {}
        self._lock = threading.Lock()

    def touch(self, path: Path) -> None:
        """An event or a scan saw ``path``: (re)start its settle time."""
        if is_temporary(path.name):
            return
        with self._lock:
            entry = self._seen.get(path)
            if entry is None:
                self._seen[path] = _Seen(size=-1, mtime_ns=-1, since=self.clock())
            else:
                entry.since = self.clock()

    def forget(self, path: Path) -> None:
        """Stop tracking ``path`` (taken, or gone)."""
        with self._lock:
            self._seen.pop(path, None)

    def postpone(self, path: Path, seconds: float) -> None:
        """Try ``path`` again no sooner than ``seconds`` from now (a service was down)."""
        with self._lock:
            entry = self._seen.get(path)
            if entry is not None:
                entry.not_before = self.clock() + seconds

    def due(self) -> list[Path]:
        """Paths whose size and mtime held still for the settle time, oldest first."""
        now = self.clock()
        ready: list[tuple[float, Path]] = []
        with self._lock:
            for path, entry in list(self._seen.items()):
                try:
                    stat = path.lstat()
                except FileNotFoundError:
                    del self._seen[path]
                    continue
                except OSError:
                    continue
                if not path.is_file() or path.is_symlink():
                    del self._seen[path]
                    continue
                if (stat.st_size, stat.st_mtime_ns) != (entry.size, entry.mtime_ns):
                    entry.size, entry.mtime_ns, entry.since = stat.st_size, stat.st_mtime_ns, now
                    continue
                if now - entry.since >= self.settle and now >= entry.not_before:
                    ready.append((entry.since, path))
        return [p for _, p in sorted(ready)]

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)


class _Handler(FileSystemEventHandler):
    def __init__(self, folder: Path, tracker: StabilityTracker) -> None:
        self.folder = folder
        self.tracker = tracker

    def _note(self, raw: str | bytes) -> None:
        path = Path(raw.decode() if isinstance(raw, bytes) else raw)
        if path.parent == self.folder:
            self.tracker.touch(path)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        self._note(event.src_path)
        dest = getattr(event, "dest_path", "")
        if dest:
            self._note(dest)


def scan(folders: Iterable[Path], tracker: StabilityTracker) -> None:
    """Put every regular file directly in the folders under watch (start-up and safety net)."""
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError as exc:
            log.warning("cannot list a drop folder: %s", type(exc).__name__)
            continue
        for entry in entries:
            if entry.is_file() and not entry.is_symlink():
                tracker.touch(entry)


def watch(
    config: WatchConfig,
    take: Callable[[Path, Path], None],
    stop: threading.Event,
    *,
    tick: float = 0.25,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Observe ``config.folders`` until ``stop`` is set, calling ``take(path, folder)``.

    ``take`` raising ``Transient`` leaves the file where it is and tries it again later,
    with backoff; any other error is logged and the file is tried again after a minute.
    """
    tracker = StabilityTracker(config.settle_seconds, clock)
    observer = PollingObserver(timeout=config.poll_interval) if config.poll else Observer()
    folder_of: dict[Path, Path] = {}
    for folder in config.folders:
        folder.mkdir(parents=True, exist_ok=True)
        observer.schedule(_Handler(folder, tracker), str(folder), recursive=False)
        folder_of[folder] = folder
    observer.start()
    backoff: dict[Path, float] = {}
    try:
        scan(config.folders, tracker)
        last_scan = clock()
        while not stop.wait(tick):
            if clock() - last_scan >= config.rescan_interval:
                scan(config.folders, tracker)
                last_scan = clock()
            for path in tracker.due():
                try:
                    take(path, folder_of.get(path.parent, path.parent))
                except FileNotFoundError:
                    tracker.forget(path)
                except Transient as exc:
                    delay = min(backoff.get(path, 0.5) * 2, 60.0)
                    backoff[path] = delay
                    tracker.postpone(path, delay)
                    log.warning("service unavailable (%s); retry in %.0f s", exc, delay)
                except Exception as exc:
                    tracker.postpone(path, 60.0)
                    log.exception("ingest failed: %s", type(exc).__name__)
                else:
                    tracker.forget(path)
                    backoff.pop(path, None)
    finally:
        observer.stop()
        observer.join(timeout=5)
