"""The watcher takes a file once it held still and parses, refuses what it must, and keeps going.

The tracker is tested on a fake clock (the judge, in test_readiness.py); ``watch()`` runs in a
thread on real folders with a ``take`` that records what it was given, and, at the end, with the
real ingest on the real database and store, and as a real ``intake watch`` process without
root's rights.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from config.errors import BackendUnavailable
from config.settings import DropFolder, WatchConfig
from pipeline.ingest import refuse_found, take_found
from pipeline.model import ReasonCode
from pipeline.watch import Found, StabilityTracker, is_temporary, watch
from storage.captures import Capture, capture_by_sha
from storage.db import Database
from storage.ledger import LedgerEntry, entries_since
from storage.objects import ObjectStore
from tests.fixtures.files import image_bytes, pdf_of_size, raw_named
from tests.fixtures.processes import Processes, wait_for
from tests.fixtures.services import ServiceUrls, for_service

SETTLE = 5.0
MAX_WAIT = 60.0
MAX_BYTES = 1 << 20


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


def test_a_listing_that_shows_the_file_again_does_not_restart_the_wait(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a file that has almost settled
    scan = almost_settled(tracker, clock, tmp_path / "scan.pdf", b"%PDF-1.7 steady")

    # When a poll of its folder lists it again, unchanged
    tracker.see(scan)

    # Then it is due at its old deadline: polling every second never holds a file back
    assert settle(tracker, clock, 1) == [scan]


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


def test_a_symlink_is_tracked_by_the_link_itself_and_its_wait_counts_from_first_seen(
    tracker: StabilityTracker, clock: FakeClock, tmp_path: Path
) -> None:
    # Given a symbolic link in the folder, pointing at a file that keeps changing
    target = tmp_path / "elsewhere.pdf"
    target.write_bytes(b"%PDF-1.7 target")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    tracker.see(link)
    tracker.due()

    # When the target changes, the link does not
    clock.advance(SETTLE / 2)
    append(target, b" more")

    # Then the link is due after the settle time (to be refused), first seen a while ago
    assert settle(tracker, clock, SETTLE / 2) == [link]
    assert tracker.waited(link) == SETTLE


# --- watch() in a thread, on a real folder and the real clock ------------------------------


@dataclass
class Taker:
    """A ``take`` that moves each file out of the drop folder; a ``refuse`` that records."""

    outbox: Path
    taken: list[tuple[str, int]] = field(default_factory=list)
    refused: list[tuple[str, ReasonCode]] = field(default_factory=list)
    origins: list[tuple[str | None, str | None]] = field(default_factory=list)
    failures_left: int = 0
    attempted: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, found: Found) -> None:
        path = found.path
        assert path.parent == found.drop.path
        with self.lock:
            self.attempted.append(path.name)
            if self.failures_left:
                self.failures_left -= 1
                raise BackendUnavailable("store down (test)")
            size = path.stat().st_size
            path.rename(self.outbox / path.name)
            self.taken.append((path.name, size))
            self.origins.append((found.drop.office, found.drop.scanner))

    def refuse(self, found: Found, reason: ReasonCode) -> None:
        with self.lock:
            if not found.path.is_dir():  # a sub-folder stays where it is
                found.path.rename(self.outbox / f"refused-{found.path.name}")
            self.refused.append((found.path.name, reason))

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

    def start(
        *,
        settle: float = 0.5,
        poll: bool = False,
        failures: int = 0,
        rescan: float = 3600.0,
        max_wait: float = 600.0,
        office: str | None = None,
        scanner: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        retry: tuple[float, float] = (0.05, 0.2),
    ) -> Watcher:
        folder = tmp_path / "drop"
        outbox = tmp_path / "taken"
        folder.mkdir(exist_ok=True)
        outbox.mkdir(exist_ok=True)
        drop = DropFolder(
            path=folder,
            office=office,
            scanner=scanner,
            poll=poll,
            poll_interval=0.1,
            settle_seconds=settle,
        )
        config = WatchConfig(
            drops=(drop,),
            rescan_interval=rescan,
            after_ingest="delete",
            max_file_bytes=MAX_BYTES,
            max_wait_seconds=max_wait,
        )
        taker = Taker(outbox=outbox, failures_left=failures)
        stop = threading.Event()
        thread = threading.Thread(
            target=watch,
            args=(config, taker, taker.refuse, stop),
            kwargs={"tick": 0.05, "retry": retry, "clock": clock},
            daemon=True,
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
def test_a_file_present_at_start_is_taken_with_its_folder_origin(
    poll: bool, start_watcher: Callable[..., Watcher], tmp_path: Path
) -> None:
    # Given a scan already in a drop folder mapped to an office and scanner
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "waiting.pdf").write_bytes(b"%PDF-1.7 waiting since last night %%EOF")

    # When the watcher starts
    watcher = start_watcher(poll=poll, office="Tallinn", scanner="MFP-1")

    # Then the file is taken, whole, with its folder's office and scanner
    watcher.wait_taken("waiting.pdf")
    assert watcher.taker.taken == [("waiting.pdf", 39)]
    assert watcher.taker.origins == [("Tallinn", "MFP-1")]


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
    (watcher.folder / "later.pdf").write_bytes(b"%PDF-1.7 later %%EOF")
    watcher.wait_taken("later.pdf")
    assert watcher.taker.taken == [("slow.tif", 10 * len(chunk)), ("later.pdf", 20)]


def test_a_scanner_pausing_longer_than_the_settle_time_is_waited_for_until_the_file_parses(
    start_watcher: Callable[..., Watcher],
) -> None:
    # Given a running watcher with a short settle time
    watcher = start_watcher(settle=0.2)
    data = image_bytes("PDF")

    # When a scanner writes the first half of a PDF and pauses
    scan = watcher.folder / "paused.pdf"
    scan.write_bytes(data[: len(data) // 2])
    # ... long enough that a file dropped after it has settled and been taken
    (watcher.folder / "after.pdf").write_bytes(b"%PDF-1.7 after %%EOF")
    watcher.wait_taken("after.pdf")

    # Then the half-written file is still in the folder
    assert watcher.taker.names() == ["after.pdf"]
    assert scan.exists()

    # And once the scanner writes the rest, it is taken whole
    append(scan, data[len(data) // 2 :])
    watcher.wait_taken("paused.pdf")
    assert watcher.taker.taken[-1] == ("paused.pdf", len(data))


def test_a_file_that_never_parses_is_taken_after_the_maximum_wait_in_the_watcher(
    start_watcher: Callable[..., Watcher],
) -> None:
    # Given a watcher that waits at most one second for a still file to parse
    watcher = start_watcher(settle=0.1, max_wait=1.0)

    # When a PDF cut short is dropped and never completed
    (watcher.folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")

    # Then it is taken all the same (the worker will send it to review)
    watcher.wait_taken("broken.pdf")
    assert watcher.taker.refused == []


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_a_part_file_renamed_to_pdf_is_taken_under_the_new_name(
    poll: bool, start_watcher: Callable[..., Watcher]
) -> None:
    # Given a running watcher and a scan still under its temporary name
    watcher = start_watcher(poll=poll)
    part = watcher.folder / "scan-0001.part"
    part.write_bytes(b"%PDF-1.7 finished scan %%EOF")

    # When the scanner renames it once complete
    part.rename(watcher.folder / "scan-0001.pdf")

    # Then it is taken under the final name only
    watcher.wait_taken("scan-0001.pdf")
    (watcher.folder / "after.pdf").write_bytes(b"%PDF-1.7 after %%EOF")
    watcher.wait_taken("after.pdf")
    assert watcher.taker.names() == ["scan-0001.pdf", "after.pdf"]


def test_a_symlink_and_an_oversized_file_are_refused_with_their_reasons(
    start_watcher: Callable[..., Watcher], tmp_path: Path
) -> None:
    # Given a running watcher
    watcher = start_watcher(settle=0.1)
    target = tmp_path / "outside.pdf"
    target.write_bytes(b"%PDF-1.7 outside %%EOF")

    # When a link and a file over the size limit appear, then an ordinary scan
    (watcher.folder / "link.pdf").symlink_to(target)
    (watcher.folder / "huge.pdf").write_bytes(pdf_of_size(MAX_BYTES + 1))
    (watcher.folder / "fine.pdf").write_bytes(b"%PDF-1.7 fine %%EOF")
    watcher.wait_taken("fine.pdf")
    wait_for(lambda: len(watcher.taker.refused) == 2, timeout=20, every=0.05)

    # Then each was refused once, with its reason, and the link's target is untouched
    assert sorted(watcher.taker.refused) == [
        ("huge.pdf", ReasonCode.FILE_TOO_LARGE),
        ("link.pdf", ReasonCode.SYMLINK),
    ]
    assert target.read_bytes() == b"%PDF-1.7 outside %%EOF"


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_a_sub_folder_is_reported_once_and_left_alone_but_rejected_and_processed_are_not(
    poll: bool, start_watcher: Callable[..., Watcher], tmp_path: Path
) -> None:
    # Given a drop folder that holds a sub-folder with a scan in it, next to the rejected/
    # and processed/ folders the watcher keeps files in
    drop = tmp_path / "drop"
    for name in ("Mari Maasikas", "rejected", "processed"):
        (drop / name).mkdir(parents=True)
    (drop / "Mari Maasikas" / "scan.pdf").write_bytes(b"%PDF-1.7 inside %%EOF")

    # When the watcher runs (polling lists the folder ten times a second), and another
    # sub-folder is made while it runs
    watcher = start_watcher(settle=0.1, poll=poll)
    wait_for(lambda: len(watcher.taker.refused) == 1, timeout=20, every=0.05)
    (drop / "later").mkdir()
    wait_for(lambda: len(watcher.taker.refused) == 2, timeout=20, every=0.05)
    (drop / "after.pdf").write_bytes(b"%PDF-1.7 after %%EOF")
    watcher.wait_taken("after.pdf")
    time.sleep(0.5)

    # Then each of the two was reported once, as a sub-folder, and nothing was taken from them
    assert watcher.taker.refused == [
        ("Mari Maasikas", ReasonCode.SUBFOLDER),
        ("later", ReasonCode.SUBFOLDER),
    ]
    assert watcher.taker.names() == ["after.pdf"]
    assert (drop / "Mari Maasikas" / "scan.pdf").read_bytes() == b"%PDF-1.7 inside %%EOF"
    assert sorted(p.name for p in drop.iterdir()) == [
        "Mari Maasikas",
        "later",
        "processed",
        "rejected",
    ]


def test_a_file_stays_and_is_taken_again_when_take_finds_a_service_down(
    start_watcher: Callable[..., Watcher],
) -> None:
    # Given a watcher whose first take fails because a service is down
    watcher = start_watcher(settle=0.2, failures=1)

    # When a scan arrives
    scan = watcher.folder / "retry.pdf"
    scan.write_bytes(b"%PDF-1.7 retry %%EOF")

    # Then the file waits in the folder and is taken on a later try
    watcher.wait_taken("retry.pdf")
    assert watcher.taker.failures_left == 0
    assert watcher.taker.taken == [("retry.pdf", 20)]


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(
    start_watcher: Callable[..., Watcher], caplog: pytest.LogCaptureFixture
) -> None:
    # Given three scans waiting, and a service that is down for the next eight tries
    caplog.set_level(logging.INFO, logger="pipeline.watch")
    watcher = start_watcher(settle=0.1, failures=8)
    names = [f"client-name-{i}.pdf" for i in range(3)]
    for name in names:
        (watcher.folder / name).write_bytes(f"%PDF-1.7 {name} %%EOF".encode())

    # When the service comes back after those tries
    for name in names:
        watcher.wait_taken(name)

    # Then every file was taken, after at least eight failed tries
    assert len(watcher.taker.attempted) >= 8 + 3
    # ... and the log says it twice: when the outage began and when it ended, naming no file
    messages = [r.getMessage() for r in caplog.records if r.name == "pipeline.watch"]
    assert len([m for m in messages if m.startswith("service unavailable")]) == 1
    assert len([m for m in messages if m.startswith("service back")]) == 1
    assert not any("client-name" in m for m in messages)


def test_a_long_outage_is_summarised_every_five_minutes_not_on_every_try(
    start_watcher: Callable[..., Watcher], caplog: pytest.LogCaptureFixture
) -> None:
    # Given a watcher on a fake clock, a scan waiting and a service that stays down
    caplog.set_level(logging.INFO, logger="pipeline.watch")
    clock = FakeClock()
    watcher = start_watcher(settle=1.0, failures=10_000, clock=clock, retry=(60.0, 60.0))
    (watcher.folder / "scan.pdf").write_bytes(b"%PDF-1.7 waiting %%EOF")

    def tries() -> int:
        with watcher.taker.lock:
            return len(watcher.taker.attempted)

    def first_try() -> int:
        clock.advance(1.0)
        return tries()

    def more_than(count: int) -> Callable[[], bool]:
        return lambda: tries() > count

    # When twenty minutes pass on the clock, a minute at a time, each minute seeing a try
    wait_for(first_try, timeout=20, every=0.05)
    for _ in range(20):
        before = tries()
        clock.advance(60.0)
        wait_for(more_than(before), timeout=20, every=0.02)

    # Then the outage was logged once when it began, and then once per five minutes
    messages = [r.getMessage() for r in caplog.records if r.name == "pipeline.watch"]
    assert len([m for m in messages if m.startswith("service unavailable")]) == 1
    summaries = [m for m in messages if m.startswith("still unavailable")]
    assert len(summaries) == 4
    assert tries() == 21
    assert (watcher.folder / "scan.pdf").exists()


def test_while_a_service_is_down_each_try_is_one_file_and_every_file_stays(
    start_watcher: Callable[..., Watcher],
) -> None:
    # Given ten scans that have settled, and a service that stays down
    watcher = start_watcher(settle=0.1, failures=10_000)
    for i in range(10):
        (watcher.folder / f"scan-{i}.pdf").write_bytes(f"%PDF-1.7 {i} %%EOF".encode())
    wait_for(lambda: len(watcher.taker.attempted) >= 1, timeout=20, every=0.05)

    # When the watcher has tried several times
    wait_for(lambda: len(watcher.taker.attempted) >= 6, timeout=20, every=0.05)

    # Then every try was on the same, oldest file (not on all ten each time) and all stay
    with watcher.taker.lock:
        assert set(watcher.taker.attempted) == {"scan-0.pdf"}, watcher.taker.attempted
    assert watcher.taker.taken == []
    assert len(list(watcher.folder.glob("scan-*.pdf"))) == 10


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_a_drop_folder_removed_and_created_again_is_watched_again(
    poll: bool, start_watcher: Callable[..., Watcher], caplog: pytest.LogCaptureFixture
) -> None:
    # Given a running watcher that has taken a first scan
    caplog.set_level(logging.INFO, logger="pipeline.watch")
    watcher = start_watcher(settle=0.1, poll=poll)
    (watcher.folder / "first.pdf").write_bytes(b"%PDF-1.7 first %%EOF")
    watcher.wait_taken("first.pdf")

    # When the folder is removed (its watch dies with it) and created again
    shutil.rmtree(watcher.folder)
    wait_for(lambda: "is missing" in caplog.text, timeout=20, every=0.05)
    watcher.folder.mkdir()

    # Then a scan dropped into the new folder is taken
    (watcher.folder / "second.pdf").write_bytes(b"%PDF-1.7 second %%EOF")
    watcher.wait_taken("second.pdf")
    # ... and the log said once that it went and once that it came back
    assert caplog.text.count("is missing") == 1
    assert caplog.text.count("is back") == 1


def test_a_drop_folder_renamed_away_and_replaced_is_found_by_the_rescan(
    start_watcher: Callable[..., Watcher], tmp_path: Path
) -> None:
    # Given a running inotify watcher with a short rescan interval
    watcher = start_watcher(settle=0.1, rescan=0.2)
    (watcher.folder / "first.pdf").write_bytes(b"%PDF-1.7 first %%EOF")
    watcher.wait_taken("first.pdf")

    # When the folder is renamed away (its inotify watch follows it) and a new one made
    watcher.folder.rename(tmp_path / "old-drop")
    watcher.folder.mkdir()

    # Then a scan in the new folder is taken
    (watcher.folder / "second.pdf").write_bytes(b"%PDF-1.7 second %%EOF")
    watcher.wait_taken("second.pdf")


def test_a_drop_folder_replaced_by_a_plain_file_is_reported_once_and_watched_again(
    start_watcher: Callable[..., Watcher], caplog: pytest.LogCaptureFixture
) -> None:
    # Given a polling watcher (permission errors proper need a watcher without root's
    # rights: see the test that runs `intake watch` as nobody, below)
    caplog.set_level(logging.INFO, logger="pipeline.watch")
    watcher = start_watcher(settle=0.1, poll=True)

    # When the folder is replaced by a plain file, so that listing it fails (the watcher may
    # re-create a missing folder at any moment, so the file is renamed into its place)
    plain = watcher.folder.with_name("plain")
    plain.write_bytes(b"not a folder")

    def replaced() -> bool | None:
        with contextlib.suppress(OSError):
            watcher.folder.rmdir()
        try:
            plain.rename(watcher.folder)
        except OSError:
            return None
        return True

    wait_for(replaced, timeout=10, every=0.01)
    wait_for(lambda: "is missing" in caplog.text, timeout=20, every=0.05)

    # Then the watcher lives on, and takes files once the folder is a folder again
    assert watcher.thread.is_alive()
    watcher.folder.unlink()
    watcher.folder.mkdir(exist_ok=True)
    (watcher.folder / "back.pdf").write_bytes(b"%PDF-1.7 back %%EOF")
    watcher.wait_taken("back.pdf")
    assert caplog.text.count("is missing") == 1


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
    late.write_bytes(b"%PDF-1.7 late %%EOF")
    assert late.exists()
    assert watcher.taker.taken == []


# --- watch() with the real ingest, on the real database and store --------------------------


@dataclass
class Running:
    """A watch() thread taking files into the real database and store."""

    folder: Path
    stop: threading.Event
    thread: threading.Thread
    queued: list[str]


@pytest.fixture
def start_real_watcher(tmp_path: Path, database: Database) -> Iterator[Callable[..., Running]]:
    """Start watch() in a thread whose take and refuse are the real ingest's."""
    started: list[Running] = []

    def start(
        store: ObjectStore,
        *,
        office: str | None = None,
        scanner: str | None = None,
        rescan: float = 3600.0,
    ) -> Running:
        folder = tmp_path / "drop"
        folder.mkdir(exist_ok=True)
        drop = DropFolder(path=folder, office=office, scanner=scanner, settle_seconds=0.1)
        config = WatchConfig(
            drops=(drop,),
            rescan_interval=rescan,
            after_ingest="delete",
            max_file_bytes=MAX_BYTES,
            max_wait_seconds=600.0,
        )
        queued: list[str] = []
        take = partial(take_found, db=database, store=store, enqueue=queued.append, after="delete")
        refuse = partial(refuse_found, db=database)
        stop = threading.Event()
        thread = threading.Thread(
            target=watch,
            args=(config, take, refuse, stop),
            kwargs={"tick": 0.05, "retry": (0.05, 0.2)},
            daemon=True,
        )
        thread.start()
        running = Running(folder=folder, stop=stop, thread=thread, queued=queued)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop.set()
        running.thread.join(timeout=10)
        assert not running.thread.is_alive()


def ledger_rows(database: Database, folder: Path) -> list[LedgerEntry]:
    since = datetime.now(UTC) - timedelta(hours=1)
    return [e for e in entries_since(database, since) if e.folder == str(folder)]


def captured(database: Database, data: bytes) -> Capture | None:
    return capture_by_sha(database, hashlib.sha256(data).hexdigest())


@pytest.mark.services
def test_files_end_as_a_capture_with_its_origin_or_in_rejected_with_their_reason(
    start_real_watcher: Callable[..., Running],
    database: Database,
    store: ObjectStore,
    tmp_path: Path,
    unique: str,
) -> None:
    # Given a watcher on a folder mapped to an office and scanner, with the real ingest
    watcher = start_real_watcher(store, office="Pärnu", scanner="MFP-3")
    target = tmp_path / "outside.pdf"
    target.write_bytes(b"%PDF-1.7 outside %%EOF")

    # When a scan, a link and a file over the size limit are dropped
    scan = f"%PDF-1.7 {unique} %%EOF".encode()
    (watcher.folder / "Avaldus.pdf").write_bytes(scan)
    (watcher.folder / "link.pdf").symlink_to(target)
    (watcher.folder / "huge.pdf").write_bytes(pdf_of_size(MAX_BYTES + 1))
    wait_for(lambda: len(ledger_rows(database, watcher.folder)) == 3, timeout=30)

    # Then the scan is a capture that records its office and scanner
    capture = captured(database, scan)
    assert capture is not None
    assert (capture.office, capture.scanner) == ("Pärnu", "MFP-3")
    assert watcher.queued == [capture.id]
    # ... the link and the big file wait in rejected/, the link as a link, the target untouched
    rejected = watcher.folder / "rejected"
    assert (rejected / "link.pdf").is_symlink()
    assert (rejected / "link.pdf").readlink() == target
    assert (rejected / "huge.pdf").stat().st_size == MAX_BYTES + 1
    assert target.read_bytes() == b"%PDF-1.7 outside %%EOF"
    # ... the drop folder holds nothing else, and the ledger says what became of each, once
    assert [p.name for p in watcher.folder.iterdir()] == ["rejected"]
    rows = sorted(
        (r.name, r.outcome, r.reason, r.capture_id) for r in ledger_rows(database, watcher.folder)
    )
    assert rows == [
        ("Avaldus.pdf", "captured", None, capture.id),
        ("huge.pdf", "rejected", "FILE_TOO_LARGE", None),
        ("link.pdf", "rejected", "SYMLINK", None),
    ]


@pytest.mark.services
def test_names_that_are_not_utf8_are_captured_or_refused_by_their_very_bytes(
    start_real_watcher: Callable[..., Running],
    database: Database,
    store: ObjectStore,
    unique: str,
) -> None:
    # Given a watcher with the real ingest
    watcher = start_real_watcher(store)

    # When a scan and a file over the size limit are dropped under names that are not UTF-8
    scan = f"%PDF-1.7 {unique} %%EOF".encode()
    raw_named(watcher.folder, b"Avaldus \xff.pdf").write_bytes(scan)
    raw_named(watcher.folder, b"suur \xe4.pdf").write_bytes(pdf_of_size(MAX_BYTES + 1))
    wait_for(lambda: len(ledger_rows(database, watcher.folder)) == 2, timeout=20)

    # Then the scan is a capture, queued, and the big file waits in rejected/ by its bytes
    capture = captured(database, scan)
    assert capture is not None
    assert watcher.queued == [capture.id]
    assert capture.original_name_bytes == b"Avaldus \xff.pdf"
    assert [os.fsencode(p.name) for p in watcher.folder.iterdir()] == [b"rejected"]
    kept = raw_named(watcher.folder / "rejected", b"suur \xe4.pdf")
    assert kept.stat().st_size == MAX_BYTES + 1
    # ... and the ledger says so, with each name readable and its bytes kept
    rows = sorted(
        (r.name, r.name_bytes, r.outcome, r.kept_as) for r in ledger_rows(database, watcher.folder)
    )
    assert rows == [
        ("Avaldus \\xff.pdf", b"Avaldus \xff.pdf", "captured", None),
        ("suur \\xe4.pdf", b"suur \xe4.pdf", "rejected", "rejected/suur \\xe4.pdf"),
    ]


@pytest.mark.services
def test_a_sub_folder_gets_one_ledger_row_and_one_log_line_naming_no_file(
    start_real_watcher: Callable[..., Running],
    database: Database,
    store: ObjectStore,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    # Given a drop folder with a sub-folder named after a person, a scan in it, rescanned
    # five times a second
    caplog.set_level(logging.INFO)
    inbox = tmp_path / "drop" / "Mari Maasikas 49001011234"
    inbox.mkdir(parents=True)
    (inbox / "Avaldus.pdf").write_bytes(b"%PDF-1.7 inside %%EOF")
    watcher = start_real_watcher(store, rescan=0.2)

    # When the watcher has listed the folder many times
    wait_for(lambda: ledger_rows(database, watcher.folder), timeout=20)
    time.sleep(2.0)

    # Then the sub-folder has one ledger row, a refusal that says it is a sub-folder
    (row,) = ledger_rows(database, watcher.folder)
    assert (row.outcome, row.reason, row.name) == (
        "rejected",
        "SUBFOLDER",
        "Mari Maasikas 49001011234",
    )
    assert row.kept_as is None
    # ... it and its scan are where they were, and nothing was moved or taken
    assert (inbox / "Avaldus.pdf").read_bytes() == b"%PDF-1.7 inside %%EOF"
    assert [p.name for p in watcher.folder.iterdir()] == [inbox.name]
    assert watcher.queued == []
    # ... and one log line said so, naming the folder and the row, not the sub-folder
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("pipeline.")]
    (said,) = [m for m in messages if "sub-folder" in m]
    assert str(watcher.folder) in said and f"ledger row {row.id}" in said
    assert not any("Maasikas" in m or "49001011234" in m for m in messages)


class Relay:
    """A TCP relay in front of a real service, to cut it off from the watcher and back.

    While down it accepts each connection and closes it at once, as a service that is not
    answering does (and counts them); while up it relays bytes both ways.
    """

    def __init__(self, target: str) -> None:
        host, port = target.rsplit(":", 1)
        self.target = (host, int(port))
        self.server = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.up = threading.Event()
        self.refused = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.up.is_set():
                self.refused += 1
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(1 << 16):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            source.close()
            sink.close()

    def close(self) -> None:
        self.server.close()


@pytest.mark.services
def test_with_the_store_down_files_stay_the_outage_is_logged_once_and_work_resumes(
    start_real_watcher: Callable[..., Running],
    database: Database,
    service_urls: ServiceUrls,
    caplog: pytest.LogCaptureFixture,
    unique: str,
) -> None:
    # Given a watcher whose object store is cut off, and three scans waiting
    caplog.set_level(logging.INFO, logger="pipeline.watch")
    relay = Relay(service_urls.store.endpoint)
    cut_off = ObjectStore(replace(service_urls.store, endpoint=relay.endpoint))
    watcher = start_real_watcher(cut_off)
    scans = {f"Client Name {i}.pdf": f"%PDF-1.7 {unique} {i} %%EOF".encode() for i in range(3)}
    for name, data in scans.items():
        (watcher.folder / name).write_bytes(data)

    try:
        # When the watcher has tried several times
        wait_for(lambda: relay.refused >= 9, timeout=60, every=0.05)

        # Then every file is still in the folder, nothing is registered, one line was logged
        assert sorted(p.name for p in watcher.folder.iterdir()) == sorted(scans)
        assert all(captured(database, data) is None for data in scans.values())
        assert ledger_rows(database, watcher.folder) == []
        unavailable = [r for r in caplog.records if r.getMessage().startswith("service unavail")]
        assert len(unavailable) == 1

        # When the store is reachable again
        relay.up.set()

        # Then every file is taken by itself, and the end of the outage is logged once
        wait_for(lambda: not any(watcher.folder.iterdir()), timeout=60)
        assert all(captured(database, data) is not None for data in scans.values())
        messages = [r.getMessage() for r in caplog.records if r.name == "pipeline.watch"]
        assert len([m for m in messages if m.startswith("service unavailable")]) == 1
        assert len([m for m in messages if m.startswith("service back")]) == 1
        assert not any("Client Name" in m for m in messages)
    finally:
        relay.close()


@pytest.mark.services
@pytest.mark.slow
def test_permission_errors_do_not_stop_the_watcher(
    service_urls: ServiceUrls,
    database: Database,
    processes: Processes,
    account_tmp: Path,
    unique: str,
) -> None:
    # Given two drop folders of the watcher's account: in one a file that nobody may read
    # next to an ordinary scan, the other one nobody may list, with a scan in it
    readable, locked, later = (
        f"%PDF-1.7 {unique} {name} %%EOF".encode() for name in ("readable", "locked", "later")
    )
    open_folder = for_service(account_tmp / "open")
    closed_folder = for_service(account_tmp / "closed")
    (open_folder / "readable.pdf").write_bytes(readable)
    (open_folder / "locked.pdf").write_bytes(locked)
    (open_folder / "locked.pdf").chmod(0)
    (closed_folder / "later.pdf").write_bytes(later)
    closed_folder.chmod(0)
    # ... and, when root starts the watcher, a third one of root's that it may read only
    kept_folder = account_tmp / "roots"
    kept_folder.mkdir(mode=0o755)
    env = service_urls.env(
        for_service(account_tmp / "home"),
        INTAKE_DROP_FOLDERS=(
            f"{open_folder}=office:Tartu,scanner:P-1;{closed_folder}=office:Tartu,scanner:P-2;"
            f"{kept_folder}=office:Tartu,scanner:P-3"
        ),
        INTAKE_SETTLE_SECONDS="0.2",
        INTAKE_MAX_WAIT_SECONDS="1",
        INTAKE_POLL_INTERVAL="0.3",
    )

    # When a watcher starts (started by root, it gives up root's right to read everything
    # and is held to the modes like anyone else)
    watcher = processes.start("watcher", ["watch"], env)

    try:
        # Then the readable scan is captured, and the unreadable one, after the maximum
        # wait, is refused and kept in rejected/
        wait_for(lambda: captured(database, readable), timeout=60)
        wait_for(lambda: (open_folder / "rejected" / "locked.pdf").exists(), timeout=60)
        (refusal,) = [r for r in ledger_rows(database, open_folder) if r.outcome == "rejected"]
        assert (refusal.name, refusal.reason) == ("locked.pdf", "PERMISSION_DENIED")
        # ... the folder that cannot be listed is reported, and the watcher lives on
        wait_for(lambda: "cannot list drop folder" in processes.log_text("watcher"), timeout=30)
        assert watcher.poll() is None

        # When the closed folder is opened
        closed_folder.chmod(0o755)

        # Then its scan is captured, with that folder's scanner
        capture = wait_for(lambda: captured(database, later), timeout=60)
        assert (capture.office, capture.scanner) == ("Tartu", "P-2")
        text = processes.log_text("watcher")
        assert text.count("cannot list drop folder") == 1
        assert not any(name in text for name in ("readable.pdf", "locked.pdf", "later.pdf"))
        # ... and the folder its files could not leave was named once, at the start
        warned = "drop folder 3 is not writable by this process"
        assert text.count(warned) == (1 if os.geteuid() == 0 else 0)
    finally:
        closed_folder.chmod(0o755)  # so that pytest can clean up
