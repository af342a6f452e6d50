"""The watcher takes a file once it held still, ignores temporary names, stops on request."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from config.errors import BackendUnavailable
from config.settings import WatchConfig
from pipeline.watch import StabilityTracker, is_temporary, watch
from tests.fixtures.processes import wait_for

SETTLE = 5.0


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tracker(clock: FakeClock) -> StabilityTracker:
    return StabilityTracker(SETTLE, clock)


def append(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)


def settle(tracker: StabilityTracker, clock: FakeClock, seconds: float) -> list[Path]:
    """Let ``seconds`` pass on the fake clock and ask what is due then."""
    clock.advance(seconds)
    return tracker.due()


def tracked(tracker: StabilityTracker, path: Path, data: bytes) -> Path:
    """Write ``path`` and let the tracker see it: an event, then a first measure of it."""
    path.write_bytes(data)
    tracker.touch(path)
    tracker.due()
    return path


def almost_settled(tracker: StabilityTracker, clock: FakeClock, path: Path, data: bytes) -> Path:
    """A tracked file that needs one more second to settle."""
    tracked(tracker, path, data)
    clock.advance(SETTLE - 1)
    return path


# --- the stability tracker, on a fake clock ------------------------------------------------


def test_a_file_is_due_only_after_it_held_still_for_the_settle_time(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a file seen by a scan, and its size and mtime first measured
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7 complete")
    tracker.touch(scan)
    assert tracker.due() == []

    # When less than the settle time passes, it is not due
    assert settle(tracker, clock, SETTLE - 0.1) == []

    # Then once the settle time has passed it is
    assert settle(tracker, clock, 0.1) == [scan]


def test_a_growing_file_restarts_the_wait(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a file being written that has almost settled
    scan = almost_settled(tracker, clock, tmp_path / "scan.tif", b"II*\x00first strip")

    # When it grows
    append(scan, b" second strip")

    # Then it is not due at the old deadline, but a full settle time after it grew
    assert settle(tracker, clock, 1) == []
    assert settle(tracker, clock, SETTLE - 0.1) == []
    assert settle(tracker, clock, 0.1) == [scan]


def test_a_new_mtime_with_the_same_size_restarts_the_wait(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a settled-looking file
    scan = almost_settled(tracker, clock, tmp_path / "scan.jpg", b"\xff\xd8\xff 1234")

    # When it is rewritten in place with as many bytes (only the mtime changes)
    stat = scan.stat()
    os.utime(scan, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    # Then the wait starts over
    assert settle(tracker, clock, 1) == []
    assert settle(tracker, clock, SETTLE) == [scan]


def test_an_event_restarts_the_wait(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a file that has almost settled
    scan = almost_settled(tracker, clock, tmp_path / "scan.png", b"\x89PNG\r\n\x1a\n")

    # When another event about it arrives
    tracker.touch(scan)

    # Then it needs a full settle time from that event
    assert settle(tracker, clock, 1) == []
    assert settle(tracker, clock, SETTLE) == [scan]


@pytest.mark.parametrize(
    "name",
    [
        "scan.pdf.tmp",
        "scan.part",
        "SCAN.PDF.PART",
        "~$x.docx",
        ".hidden",
        ".scan.pdf.swp",
        "x.crdownload",
        "scan.pdf~",
    ],
)
def test_temporary_names_are_never_due(
    name: str, tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a file with a name copy tools and scanners use while writing
    assert is_temporary(name)

    # When it is seen and then left alone for a long time
    tracked(tracker, tmp_path / name, b"%PDF-1.7 half")

    # Then it is never due, nor even tracked
    assert settle(tracker, clock, SETTLE * 10) == []
    assert len(tracker) == 0


@pytest.mark.parametrize("name", ["scan.pdf", "Avaldus 2024.tif", "part.pdf", "tmp.jpg"])
def test_ordinary_names_are_not_temporary(name: str) -> None:
    assert not is_temporary(name)


def test_a_deleted_file_is_dropped(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a tracked file
    scan = tracked(tracker, tmp_path / "scan.pdf", b"%PDF-1.7")

    # When it is deleted before it settles
    scan.unlink()

    # Then it is never due and no longer tracked
    assert settle(tracker, clock, SETTLE) == []
    assert len(tracker) == 0


def test_postpone_holds_a_due_file_back(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a due file whose ingest found a service down
    scan = tracked(tracker, tmp_path / "scan.pdf", b"%PDF-1.7")
    assert settle(tracker, clock, SETTLE) == [scan]

    # When it is postponed by 30 seconds
    tracker.postpone(scan, 30)

    # Then it is due again only after those 30 seconds
    assert settle(tracker, clock, 29.9) == []
    assert settle(tracker, clock, 0.1) == [scan]


def test_due_files_come_oldest_first_and_forget_removes_one(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given two files that settled at different times
    older = tracked(tracker, tmp_path / "b-older.pdf", b"%PDF-1.7 old")
    clock.advance(1)
    newer = tracked(tracker, tmp_path / "a-newer.pdf", b"%PDF-1.7 new")

    # Then both are due, the older first, and a forgotten one no longer is
    assert settle(tracker, clock, SETTLE) == [older, newer]
    tracker.forget(older)
    assert tracker.due() == [newer]


# --- watch() in a thread, on a real folder and the real clock ------------------------------


@dataclass
class Taker:
    """A ``take`` that moves each file out of the drop folder, recording name and size."""

    outbox: Path
    taken: list[tuple[str, int]] = field(default_factory=list)
    failures_left: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, path: Path, folder: Path) -> None:
        assert path.parent == folder
        with self.lock:
            if self.failures_left:
                self.failures_left -= 1
                raise BackendUnavailable("store down (test)")
            size = path.stat().st_size
            path.rename(self.outbox / path.name)
            self.taken.append((path.name, size))

    def names(self) -> list[str]:
        with self.lock:
            return [name for name, _ in self.taken]


@dataclass
class Watcher:
    """A running watch() thread over ``folder``."""

    folder: Path
    taker: Taker
    stop: threading.Event
    thread: threading.Thread

    def wait_taken(self, name: str) -> None:
        wait_for(lambda: name in self.taker.names(), timeout=20, every=0.05)


@pytest.fixture
def start_watcher(tmp_path: Path) -> Iterator[Callable[..., Watcher]]:
    """Start watch() in a thread on ``tmp_path/drop``; stopped (and checked) at the end."""
    started: list[Watcher] = []

    def start(*, settle: float = 0.5, poll: bool = False, failures: int = 0) -> Watcher:
        folder = tmp_path / "drop"
        outbox = tmp_path / "taken"
        folder.mkdir(exist_ok=True)
        outbox.mkdir(exist_ok=True)
        config = WatchConfig(
            folders=(folder,),
            settle_seconds=settle,
            poll=poll,
            poll_interval=0.1,
            rescan_interval=3600.0,
            after_ingest="delete",
        )
        taker = Taker(outbox=outbox, failures_left=failures)
        stop = threading.Event()
        thread = threading.Thread(
            target=watch, args=(config, taker, stop), kwargs={"tick": 0.05}, daemon=True
        )
        thread.start()
        watcher = Watcher(folder=folder, taker=taker, stop=stop, thread=thread)
        started.append(watcher)
        return watcher

    yield start
    for watcher in started:
        watcher.stop.set()
        watcher.thread.join(timeout=10)
        assert not watcher.thread.is_alive()


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_a_file_present_at_start_is_taken(
    poll: bool, start_watcher: Callable[..., Watcher], tmp_path: Path
) -> None:
    # Given a scan already in the drop folder before the watcher starts
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "waiting.pdf").write_bytes(b"%PDF-1.7 waiting since last night")

    # When the watcher starts
    watcher = start_watcher(poll=poll)

    # Then the file is taken, whole
    watcher.wait_taken("waiting.pdf")
    assert watcher.taker.taken == [("waiting.pdf", 33)]


def test_a_file_written_slowly_is_taken_once_after_it_stopped_growing(
    start_watcher: Callable[..., Watcher],
) -> None:
    # Given a running watcher whose settle time is far longer than the pauses between chunks
    watcher = start_watcher(settle=1.5)
    chunk = b"x" * 4096

    # When a scanner writes a file in ten chunks, pausing between them
    scan = watcher.folder / "slow.tif"
    with scan.open("wb") as handle:
        for _ in range(10):
            handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
            time.sleep(0.05)

    # Then it is taken with all its bytes
    watcher.wait_taken("slow.tif")
    # ... and once: a later file is taken without the first coming back
    (watcher.folder / "later.pdf").write_bytes(b"%PDF-1.7 later")
    watcher.wait_taken("later.pdf")
    assert watcher.taker.taken == [("slow.tif", 10 * len(chunk)), ("later.pdf", 14)]


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_a_part_file_renamed_to_pdf_is_taken_under_the_new_name(
    poll: bool, start_watcher: Callable[..., Watcher]
) -> None:
    # Given a running watcher and a scan still under its temporary name
    watcher = start_watcher(poll=poll)
    part = watcher.folder / "scan-0001.part"
    part.write_bytes(b"%PDF-1.7 finished scan")

    # When the scanner renames it once complete
    part.rename(watcher.folder / "scan-0001.pdf")

    # Then it is taken under the final name only
    watcher.wait_taken("scan-0001.pdf")
    (watcher.folder / "after.pdf").write_bytes(b"%PDF-1.7 after")
    watcher.wait_taken("after.pdf")
    assert watcher.taker.names() == ["scan-0001.pdf", "after.pdf"]


def test_a_file_stays_and_is_taken_again_when_take_finds_a_service_down(
    start_watcher: Callable[..., Watcher],
) -> None:
    # Given a watcher whose first take fails because a service is down
    watcher = start_watcher(settle=0.2, failures=1)

    # When a scan arrives
    scan = watcher.folder / "retry.pdf"
    scan.write_bytes(b"%PDF-1.7 retry")

    # Then the file waits in the folder and is taken on a later try
    watcher.wait_taken("retry.pdf")
    assert watcher.taker.failures_left == 0
    assert watcher.taker.taken == [("retry.pdf", 14)]


def test_setting_the_stop_event_ends_the_thread(
    start_watcher: Callable[..., Watcher],
) -> None:
    # Given a running watcher
    watcher = start_watcher()
    assert watcher.thread.is_alive()

    # When its stop event is set
    watcher.stop.set()
    watcher.thread.join(timeout=10)

    # Then the thread has ended and files dropped afterwards stay where they are
    assert not watcher.thread.is_alive()
    late = watcher.folder / "late.pdf"
    late.write_bytes(b"%PDF-1.7 late")
    assert late.exists()
    assert watcher.taker.taken == []
