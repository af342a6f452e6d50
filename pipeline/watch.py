"""Watch drop folders: events, polls and rescans → stability tracker → judge → take or refuse.

A file is taken only when it is *stable*: its size and mtime have not changed, and no event
has touched it, for its folder's settle time, *and* it opens and parses (a PDF has its end
marker, a TIFF all its strips, ...), so a scanner that pauses while writing is waited for.
A still file that never parses is taken anyway after ``max_wait_seconds`` (the worker sends
it to review), so no file waits forever.  Temporary and hidden names are ignored until
renamed.  Symbolic links (never followed), other non-regular files, files over the size
limit and files that stay unreadable are refused with a reason.  Sub-folders are not
watched; each one other than ``rejected/`` and ``processed/`` is reported once (refused as
``SUBFOLDER``, which leaves it and what it holds where they are).  Names are taken as the
file system has them (bytes that are not UTF-8 come as surrogate escapes, which ``open``,
``rename`` and ``unlink`` turn back into the same bytes).

Each folder is observed with inotify or, on network shares where inotify sees nothing, by
listing it every ``poll_interval``.  A full rescan every ``rescan_interval`` is the safety
net; it also notices a folder that was removed and re-created (its inotify watch died with
it) and watches it again.  When a service is down nothing is taken, so nothing leaves the
folders; the outage is logged when it starts, summarised now and then, and logged when it
ends.  Logs name folders, counts and error kinds, never files.  The clock is injected so the
tracker is tested without sleeping.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_MOVED,
    EVENT_TYPE_OPENED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from config.errors import IntakeError, Transient
from config.settings import DropFolder, WatchConfig
from pipeline.model import ReasonCode
from pipeline.readiness import judge

log = logging.getLogger(__name__)

REJECTED = "rejected"  # the sub-folder refused files are moved to
PROCESSED = "processed"  # the sub-folder taken files are moved to, when so configured

_TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", "~")


def is_temporary(name: str) -> bool:
    """Names that scanners and copy tools use while a file is still being written."""
    lower = name.lower()
    return lower.startswith((".", "~$")) or lower.endswith(_TEMP_SUFFIXES)


class NotYet(IntakeError):
    """Raised by ``take`` when the file changed while it was read: wait for it to settle again."""


@dataclass(frozen=True)
class Found:
    """A file the watcher takes or refuses: where it is, its folder, when it was first seen."""

    path: Path
    drop: DropFolder
    first_seen: datetime


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float
    first: float
    not_before: float = 0.0


class StabilityTracker:
    """Candidates and when each last changed; ``due()`` returns those stable for ``settle``."""

    def __init__(self, settle: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.settle = settle
        self.clock = clock
        self._seen: dict[Path, _Seen] = {}
        self._lock = threading.Lock()

    def touch(self, path: Path) -> None:
        """An event about ``path``: (re)start its settle time."""
        self._note(path, restart=True)

    def see(self, path: Path) -> None:
        """A listing shows ``path``: track it if new (its size and mtime tell the rest)."""
        self._note(path, restart=False)

    def _note(self, path: Path, *, restart: bool) -> None:
        if is_temporary(path.name):
            return
        with self._lock:
            entry = self._seen.get(path)
            now = self.clock()
            if entry is None:
                self._seen[path] = _Seen(size=-1, mtime_ns=-1, since=now, first=now)
            elif restart:
                entry.since = now

    def forget(self, path: Path) -> None:
        """Stop tracking ``path`` (taken, refused, or gone)."""
        with self._lock:
            self._seen.pop(path, None)

    def postpone(self, path: Path, seconds: float) -> None:
        """Look at ``path`` again no sooner than ``seconds`` from now."""
        with self._lock:
            entry = self._seen.get(path)
            if entry is not None:
                entry.not_before = self.clock() + seconds

    def waited(self, path: Path) -> float:
        """Seconds since ``path`` was first seen (0 when it is not tracked)."""
        with self._lock:
            entry = self._seen.get(path)
            return self.clock() - entry.first if entry else 0.0

    def due(self) -> list[Path]:
        """Paths whose size and mtime held still for the settle time, oldest first."""
        now = self.clock()
        ready: list[tuple[float, Path]] = []
        with self._lock:
            for path, entry in list(self._seen.items()):
                if now < entry.not_before:
                    continue
                try:
                    info = path.lstat()
                except FileNotFoundError:
                    del self._seen[path]
                    continue
                except OSError:
                    continue
                if stat.S_ISDIR(info.st_mode):
                    del self._seen[path]
                    continue
                if (info.st_size, info.st_mtime_ns) != (entry.size, entry.mtime_ns):
                    entry.size, entry.mtime_ns, entry.since = info.st_size, info.st_mtime_ns, now
                    continue
                if now - entry.since >= self.settle:
                    ready.append((entry.since, path))
        return [p for _, p in sorted(ready)]

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)


class _Handler(FileSystemEventHandler):
    """Events that change a file restart its wait; reading it (as the judge does) does not.

    A folder created or moved into the drop folder is handed to ``subfolder``.
    """

    _READS = frozenset({EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE})
    _ARRIVALS = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_MOVED})

    def __init__(
        self, folder: Path, tracker: StabilityTracker, subfolder: Callable[[Path], None]
    ) -> None:
        self.folder = folder
        self.tracker = tracker
        self.subfolder = subfolder

    def _here(self, raw: str | bytes) -> Path | None:
        path = Path(os.fsdecode(raw))
        return path if path.parent == self.folder else None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in self._READS:
            return
        dest = getattr(event, "dest_path", "")
        if event.is_directory:
            arrived = self._here(dest or event.src_path)
            if event.event_type in self._ARRIVALS and arrived is not None:
                self.subfolder(arrived)
            return
        for raw in (event.src_path, dest):
            path = self._here(raw) if raw else None
            if path is not None:
                self.tracker.touch(path)


class _Folder:
    """One drop folder under watch: its tracker, its inotify watch, and what was last logged."""

    def __init__(self, drop: DropFolder, clock: Callable[[], float], observer: BaseObserver):
        self.drop = drop
        self.tracker = StabilityTracker(drop.settle_seconds, clock)
        self.observer = observer
        self.polling = drop.poll
        self.watch: ObservedWatch | None = None
        self.identity: tuple[int, int] | None = None
        self.missing = False
        self.unlistable = False
        self.last_listed = float("-inf")
        self._lock = threading.Lock()  # the sub-folders below, noted by the inotify thread too
        self._subfolders: dict[Path, float] = {}  # to report → when to try (clock time)
        self._reported: set[Path] = set()

    def note_subfolder(self, path: Path) -> None:
        """A folder inside the drop folder: to report once, unless it is where files are kept."""
        if path.name in (REJECTED, PROCESSED):
            return
        with self._lock:
            if path not in self._reported:
                self._subfolders.setdefault(path, float("-inf"))

    def subfolders_due(self, now: float) -> list[Path]:
        """The sub-folders to report now."""
        with self._lock:
            return [path for path, when in self._subfolders.items() if when <= now]

    def subfolder_done(self, path: Path, *, reported: bool) -> None:
        """Stop trying to report ``path``; when ``reported``, never report it again."""
        with self._lock:
            self._subfolders.pop(path, None)
            if reported:
                self._reported.add(path)

    def report_later(self, path: Path, when: float) -> None:
        """Try to report ``path`` again no sooner than ``when``."""
        with self._lock:
            if path in self._subfolders:
                self._subfolders[path] = when

    def refresh(self, now: float, rescan_interval: float) -> bool:
        """Poll, rescan or watch again when it is time; whether the folder was listed.

        A folder in trouble (missing, unlistable, its inotify watch lost) is looked at every
        poll interval, so that it is back in service soon after it is fixed.
        """
        troubled = self.missing or self.unlistable or not (self.polling or self._watching())
        interval = self.drop.poll_interval if self.polling or troubled else rescan_interval
        if now - self.last_listed < interval:
            return False
        self.last_listed = now
        if self._present():
            self._list()
        return True

    def _watching(self) -> bool:
        return self.watch is not None and any(
            e.watch == self.watch and e.is_alive() for e in list(self.observer.emitters)
        )

    def _present(self) -> bool:
        """Whether the folder is there; (re)start its inotify watch when it is new or lost."""
        path = self.drop.path
        try:
            info = path.stat()
            here = stat.S_ISDIR(info.st_mode)
        except OSError:
            here = False
        if not here:
            if not self.missing:
                log.warning("drop folder %s is missing; watching for it to come back", path)
                self.missing = True
            self._unwatch()
            return False
        if self.missing:
            log.info("drop folder %s is back", path)
            self.missing = False
        identity = (info.st_dev, info.st_ino)
        if not self.polling and (identity != self.identity or not self._watching()):
            self._rewatch()
        self.identity = identity
        return True

    def _rewatch(self) -> None:
        self._unwatch()
        path = self.drop.path
        try:
            self.watch = self.observer.schedule(
                _Handler(path, self.tracker, self.note_subfolder), str(path), recursive=False
            )
        except FileNotFoundError:
            return  # gone again: the next refresh notices
        except OSError as exc:  # e.g. no inotify watches left: polling works everywhere
            log.warning("cannot watch %s with inotify (%s); polling it", path, type(exc).__name__)
            self.polling = True

    def _unwatch(self) -> None:
        if self.watch is not None:
            with contextlib.suppress(KeyError):
                self.observer.unschedule(self.watch)
            self.watch = None

    def _list(self) -> None:
        path = self.drop.path
        try:
            with os.scandir(path) as entries:
                listed = [(Path(e.path), e.is_dir(follow_symlinks=False)) for e in entries]
        except OSError as exc:
            if not self.unlistable:
                log.warning(
                    "cannot list drop folder %s (%s); trying again", path, type(exc).__name__
                )
                self.unlistable = True
            return
        if self.unlistable:
            log.info("drop folder %s can be listed again", path)
            self.unlistable = False
        for entry, is_dir in listed:
            if is_dir:
                self.note_subfolder(entry)
            else:
                self.tracker.see(entry)


class _Outage:
    """A service that is down: logged when it starts, now and then, and when it ends."""

    def __init__(self, first: float, most: float, summary_every: float) -> None:
        self.first, self.most, self.summary_every = first, most, summary_every
        self.since: float | None = None
        self.delay = first
        self.retry_at = 0.0
        self.last_logged = 0.0
        self.error = ""

    def holding(self, now: float) -> bool:
        """Whether taking waits for the next retry."""
        return self.since is not None and now < self.retry_at

    def failed(self, exc: Transient, now: float, waiting: int) -> None:
        """A take found a service down: back off, and say so when the outage is new."""
        self.error = str(exc)
        if self.since is None:
            self.since, self.delay, self.last_logged = now, self.first, now
            log.warning(
                "service unavailable (%s): %d file(s) wait in the drop folders until it is back",
                self.error,
                waiting,
            )
        else:
            self.delay = min(self.delay * 2, self.most)
        self.retry_at = now + self.delay

    def summarise(self, now: float, waiting: int) -> None:
        """Now and then during an outage, one line on how long and how much is waiting."""
        if self.since is not None and now - self.last_logged >= self.summary_every:
            self.last_logged = now
            log.warning(
                "still unavailable after %.0f s (%s): %d file(s) waiting",
                now - self.since,
                self.error,
                waiting,
            )

    def succeeded(self, now: float, waiting: int) -> None:
        """A take worked: if an outage was on, it is over."""
        if self.since is not None:
            log.info(
                "service back after %.0f s: taking the %d file(s) waiting",
                now - self.since,
                waiting,
            )
            self.since, self.delay = None, self.first


Take = Callable[[Found], object]
Refuse = Callable[[Found, ReasonCode], object]


def watch(
    config: WatchConfig,
    take: Take,
    refuse: Refuse,
    stop: threading.Event,
    *,
    tick: float = 0.25,
    clock: Callable[[], float] = time.monotonic,
    retry: tuple[float, float] = (1.0, 60.0),
    summary_every: float = 300.0,
) -> None:
    """Observe ``config.drops`` until ``stop`` is set, calling ``take`` or ``refuse``.

    Either raising ``Transient`` means a service is down: nothing more is tried until the
    next retry (``retry`` is the first and the longest wait between them).  Any other error
    is logged once for that file, which is tried again every minute.
    """
    observer = Observer()
    observer.start()
    folders = [_Folder(drop, clock, observer) for drop in config.drops]
    for folder in folders:
        try:
            folder.drop.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("cannot create drop folder %s (%s)", folder.drop.path, type(exc).__name__)
    attend = _Attendant(config, take, refuse, clock, _Outage(*retry, summary_every))
    try:
        while True:
            due: list[tuple[_Folder, Path]] = []
            for folder in folders:
                listed = folder.refresh(clock(), config.rescan_interval)
                if listed or not folder.polling:
                    due += [(folder, path) for path in folder.tracker.due()]
            waiting = sum(len(folder.tracker) for folder in folders)
            attend.outage.summarise(clock(), waiting)
            if not attend.outage.holding(clock()):
                subfolders = [(f, path) for f in folders for path in f.subfolders_due(clock())]
                for folder, path in due:
                    if not attend(folder, path, waiting):
                        break
                else:
                    for folder, path in subfolders:
                        if not attend.report(folder, path, waiting):
                            break
            if stop.wait(tick):
                break
    finally:
        observer.stop()
        observer.join(timeout=5)


@dataclass
class _Attendant:
    """Judges one due file and takes or refuses it, keeping the outage and error logs quiet."""

    config: WatchConfig
    take: Take
    refuse: Refuse
    clock: Callable[[], float]
    outage: _Outage
    reported: set[Path] = field(default_factory=set)  # files whose error was logged once

    def __call__(self, folder: _Folder, path: Path, waiting: int) -> bool:
        """Deal with ``path``; False when a service is down and nothing more should be tried."""
        tracker = folder.tracker
        waited = tracker.waited(path)
        verdict = judge(
            path,
            waited=waited,
            max_bytes=self.config.max_file_bytes,
            max_wait=self.config.max_wait_seconds,
        )
        if verdict.action == "forget":
            tracker.forget(path)
            return True
        if verdict.action == "wait":
            tracker.postpone(path, max(folder.drop.settle_seconds, 0.5))
            return True
        found = Found(path, folder.drop, datetime.now(UTC) - timedelta(seconds=waited))
        try:
            if verdict.reason is not None:
                self.refuse(found, verdict.reason)
            else:
                self.take(found)
        except FileNotFoundError:
            tracker.forget(path)
        except NotYet:
            tracker.touch(path)
        except Transient as exc:
            self.outage.failed(exc, self.clock(), waiting)
            return False
        except Exception as exc:
            tracker.postpone(path, 60.0)
            if path not in self.reported:
                self.reported.add(path)
                log.error(
                    "a file in %s could not be %s (%s); trying again every minute",
                    folder.drop.path,
                    "refused" if verdict.reason else "taken",
                    type(exc).__name__,
                )
        else:
            tracker.forget(path)
            self.reported.discard(path)
            self.outage.succeeded(self.clock(), waiting - 1)
            if not verdict.parsed:
                log.warning(
                    "a file in %s did not parse within %.0f s: taken anyway, for review",
                    folder.drop.path,
                    self.config.max_wait_seconds,
                )
        return True

    def report(self, folder: _Folder, path: Path, waiting: int) -> bool:
        """Report a sub-folder once, leaving it be; False when a service is down."""
        try:
            self.refuse(Found(path, folder.drop, datetime.now(UTC)), ReasonCode.SUBFOLDER)
        except (FileNotFoundError, NotYet):  # gone, or no folder now: a listing tells the rest
            folder.subfolder_done(path, reported=False)
        except Transient as exc:
            self.outage.failed(exc, self.clock(), waiting)
            return False
        except Exception as exc:
            folder.report_later(path, self.clock() + 60.0)
            if path not in self.reported:
                self.reported.add(path)
                log.error(
                    "a sub-folder of %s could not be reported (%s); trying again every minute",
                    folder.drop.path,
                    type(exc).__name__,
                )
        else:
            folder.subfolder_done(path, reported=True)
            self.reported.discard(path)
            self.outage.succeeded(self.clock(), waiting)
        return True
