"""Ingest against the real database and store: never lose a file, never take bytes twice."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest

from config.errors import BackendUnavailable
from config.settings import StoreConfig
from pipeline.embedded import free_port
from pipeline.ingest import Ingested, ingest_file, original_key, reject_file
from pipeline.watch import NotYet
from storage.captures import Capture, capture_by_sha
from storage.db import Database
from storage.ledger import FileSeen, LedgerEntry, entries_since, record_rejection
from storage.objects import ObjectStore
from tests.fixtures.records import event_kinds

pytestmark = pytest.mark.services


@dataclass
class Queue:
    """An ``enqueue`` that records the capture ids it was given, or fails like a down broker."""

    ids: list[str] = field(default_factory=list)
    down: bool = False

    def __call__(self, capture_id: str) -> None:
        if self.down:
            raise BackendUnavailable("broker unavailable (test)")
        self.ids.append(capture_id)


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


@pytest.fixture
def queue() -> Queue:
    return Queue()


def scan_bytes(unique: str, variant: str = "") -> bytes:
    """PDF-looking bytes that no other test drops."""
    return f"%PDF-1.7\n% scan {unique} {variant}\n%%EOF\n".encode()


def ingest(
    path: Path,
    drop: Path,
    database: Database,
    store: ObjectStore,
    queue: Queue,
    after: Literal["delete", "move"] = "delete",
) -> Ingested:
    return ingest_file(path, folder=drop, db=database, store=store, enqueue=queue, after=after)


def dropped(drop: Path, name: str, data: bytes) -> Path:
    """Put a scan of ``data`` called ``name`` in the drop folder."""
    path = drop / name
    path.write_bytes(data)
    return path


def capture_of(database: Database, data: bytes) -> Capture | None:
    """The capture row of the bytes ``data``, if any."""
    return capture_by_sha(database, hashlib.sha256(data).hexdigest())


def ledger_of(database: Database, drop: Path) -> list[tuple[str, str, str | None]]:
    """(outcome, name, capture id or reason) of each ledger row of the folder, oldest first."""
    return [(e.outcome, e.name, e.capture_id or e.reason) for e in entries_of(database, drop)]


def entries_of(database: Database, drop: Path) -> list[LedgerEntry]:
    since = datetime.now(UTC) - timedelta(hours=1)
    return [e for e in entries_since(database, since) if e.folder == str(drop)]


def ingest_while_down(
    path: Path, drop: Path, database: Database, store: ObjectStore, queue: Queue
) -> None:
    """Ingest ``path`` with a service down: the failure is one to retry, the file untouched."""
    data = path.read_bytes()
    with pytest.raises(BackendUnavailable):
        ingest(path, drop, database, store, queue)
    assert path.read_bytes() == data


def test_a_dropped_file_is_captured_stored_enqueued_and_removed(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given a scan in the drop folder
    data = scan_bytes(unique)
    sha = hashlib.sha256(data).hexdigest()
    path = dropped(drop, "Avaldus.pdf", data)
    mtime_ns = path.stat().st_mtime_ns

    # When it is ingested
    outcome = ingest(path, drop, database, store, queue)

    # Then the original is in the store under its hash, with that hash recorded
    assert outcome is Ingested.CAPTURED
    key = original_key(sha)
    assert key == f"originals/{sha[:2]}/{sha}"
    stored = store.stat(key)
    assert stored is not None
    assert (stored.size, stored.sha256) == (len(data), sha)
    assert store.get(key) == data
    # ... the capture row is 'received', with where the file came from
    capture = capture_by_sha(database, sha)
    assert capture is not None
    assert capture.status == "received"
    assert (capture.original_name, capture.drop_folder) == ("Avaldus.pdf", str(drop))
    assert (capture.source_path, capture.source_mtime_ns) == (str(path), mtime_ns)
    assert (capture.size_bytes, capture.original_key) == (len(data), key)
    # ... its id was enqueued, and the file has left the drop folder
    assert queue.ids == [capture.id]
    assert not path.exists()
    assert list(drop.iterdir()) == []


def test_move_puts_taken_files_in_processed_under_distinct_names(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given two different scans, one after the other, both called scan.pdf
    first, second = scan_bytes(unique, "first"), scan_bytes(unique, "second")
    path = drop / "scan.pdf"

    # When each is ingested with after="move"
    path.write_bytes(first)
    assert ingest(path, drop, database, store, queue, after="move") is Ingested.CAPTURED
    path.write_bytes(second)
    assert ingest(path, drop, database, store, queue, after="move") is Ingested.CAPTURED

    # Then both wait in processed/, neither overwriting the other
    processed = drop / "processed"
    kept = sorted(processed.iterdir())
    assert len(kept) == 2
    assert len({p.name for p in kept}) == 2
    assert sorted(p.read_bytes() for p in kept) == sorted([first, second])
    assert (processed / "scan.pdf").read_bytes() == first
    assert not path.exists()
    assert len(queue.ids) == 2


def test_the_same_bytes_under_another_name_are_a_duplicate(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given a scan already captured
    data = scan_bytes(unique)
    first = dropped(drop, "first.pdf", data)
    assert ingest(first, drop, database, store, queue) is Ingested.CAPTURED
    capture = capture_of(database, data)
    assert capture is not None
    queue.ids.clear()

    # When the same bytes are dropped again under another name
    again = dropped(drop, "scanned-twice.pdf", data)
    outcome = ingest(again, drop, database, store, queue)

    # Then it is a duplicate of the first capture: recorded, removed, not queued again
    assert outcome is Ingested.DUPLICATE
    assert event_kinds(database, capture.id) == ["received", "duplicate"]
    assert not again.exists()
    assert queue.ids == []
    still = capture_by_sha(database, capture.sha256)
    assert still is not None
    assert (still.id, still.original_name) == (capture.id, "first.pdf")


def test_a_file_left_behind_by_a_crash_is_resumed(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given a scan that was captured and enqueued, and then a crash before it was removed:
    # the very file (same path, bytes and mtime) is back in the folder
    data = scan_bytes(unique)
    path = dropped(drop, "crash.pdf", data)
    mtime_ns = path.stat().st_mtime_ns
    assert ingest(path, drop, database, store, queue) is Ingested.CAPTURED
    (capture_id,) = queue.ids
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))

    # When the restarted watcher ingests it again
    outcome = ingest(path, drop, database, store, queue)

    # Then the capture is resumed: enqueued again, recorded, and the file removed
    assert outcome is Ingested.RESUMED
    assert queue.ids == [capture_id, capture_id]
    assert event_kinds(database, capture_id) == ["received", "resumed_ingest"]
    assert not path.exists()


def test_a_store_that_is_down_leaves_the_file_and_writes_no_row(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given a store at a port nothing listens on
    down = ObjectStore(
        StoreConfig(
            endpoint=f"127.0.0.1:{free_port()}",
            access_key="intake",
            secret_key="intake-secret",
            bucket="intake",
        )
    )
    data = scan_bytes(unique)
    path = dropped(drop, "keep-me.pdf", data)

    # When the scan is ingested, the failure is one to retry, leaving the file untouched
    ingest_while_down(path, drop, database, down, queue)

    # Then the file is still in the folder, and nothing was registered or queued
    assert capture_of(database, data) is None
    assert queue.ids == []

    # And once the store is back the same file is captured normally
    assert ingest(path, drop, database, store, queue) is Ingested.CAPTURED
    assert not path.exists()


def test_a_broker_that_is_down_leaves_the_file_and_a_retry_resumes(
    drop: Path, database: Database, store: ObjectStore, unique: str
) -> None:
    # Given a broker that is down
    broker = Queue(down=True)
    data = scan_bytes(unique)
    path = dropped(drop, "queued-later.pdf", data)

    # When the scan is ingested, the failure leaves the file untouched
    ingest_while_down(path, drop, database, store, broker)

    # Then the file stays in the folder (its capture row waits as 'received')
    capture = capture_of(database, data)
    assert capture is not None
    assert capture.status == "received"

    # And when the broker is back, the retry resumes that capture and takes the file
    broker.down = False
    assert ingest(path, drop, database, store, broker) is Ingested.RESUMED
    assert broker.ids == [capture.id]
    assert not path.exists()


# --- the ledger and the origin --------------------------------------------------------------


def test_a_capture_records_its_origin_and_its_ledger_row_with_the_hash(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given a scan in a drop folder mapped to an office and a scanner, first seen a minute ago
    data = scan_bytes(unique)
    path = dropped(drop, "Avaldus.pdf", data)
    first_seen = datetime.now(UTC) - timedelta(minutes=1)

    # When it is ingested
    outcome = ingest_file(
        path,
        folder=drop,
        db=database,
        store=store,
        enqueue=queue,
        after="delete",
        office="Tallinn",
        scanner="MFP-1",
        first_seen=first_seen,
    )

    # Then the capture carries its origin
    assert outcome is Ingested.CAPTURED
    capture = capture_of(database, data)
    assert capture is not None
    assert (capture.office, capture.scanner) == ("Tallinn", "MFP-1")
    # ... and the ledger has one row: captured, with the SHA-256 and when it was first seen
    (entry,) = entries_of(database, drop)
    assert (entry.outcome, entry.capture_id) == ("captured", capture.id)
    assert entry.sha256 == hashlib.sha256(data).hexdigest()
    assert (entry.office, entry.scanner, entry.size_bytes) == ("Tallinn", "MFP-1", len(data))
    assert entry.first_seen == first_seen


def test_each_file_ends_in_one_ledger_row_captured_or_duplicate_or_rejected(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str, tmp_path: Path
) -> None:
    # Given a scan, the same bytes again under another name, and a symbolic link
    data = scan_bytes(unique)
    first = dropped(drop, "first.pdf", data)
    again = dropped(drop, "again.pdf", data)
    link = drop / "link.pdf"
    link.symlink_to(tmp_path / "elsewhere.pdf")

    # When the watcher takes the two files and refuses the link
    assert ingest(first, drop, database, store, queue) is Ingested.CAPTURED
    assert ingest(again, drop, database, store, queue) is Ingested.DUPLICATE
    reject_file(link, folder=drop, db=database, reason="SYMLINK")

    # Then the ledger says what became of each, the duplicate pointing at the capture
    capture = capture_of(database, data)
    assert capture is not None
    assert ledger_of(database, drop) == [
        ("captured", "first.pdf", capture.id),
        ("duplicate", "again.pdf", capture.id),
        ("rejected", "link.pdf", "SYMLINK"),
    ]
    # ... and the drop folder holds nothing but the rejected/ folder
    assert [p.name for p in drop.iterdir()] == ["rejected"]


def test_a_resumed_file_adds_no_ledger_row(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given a captured scan whose removal a crash prevented (the very file is back)
    data = scan_bytes(unique)
    path = dropped(drop, "crash.pdf", data)
    mtime_ns = path.stat().st_mtime_ns
    assert ingest(path, drop, database, store, queue) is Ingested.CAPTURED
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))

    # When it is ingested again
    assert ingest(path, drop, database, store, queue) is Ingested.RESUMED

    # Then the ledger still has the one row of its capture
    assert [outcome for outcome, _, _ in ledger_of(database, drop)] == ["captured"]


def test_a_duplicate_left_behind_by_a_crash_is_removed_without_a_second_row(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given a duplicate whose row was written when a crash prevented its removal
    data = scan_bytes(unique)
    assert ingest(dropped(drop, "first.pdf", data), drop, database, store, queue) is (
        Ingested.CAPTURED
    )
    again = dropped(drop, "again.pdf", data)
    mtime_ns = again.stat().st_mtime_ns
    assert ingest(again, drop, database, store, queue) is Ingested.DUPLICATE
    again.write_bytes(data)
    os.utime(again, ns=(mtime_ns, mtime_ns))

    # When the restarted watcher ingests it again
    outcome = ingest(again, drop, database, store, queue)

    # Then it is removed as the duplicate it was, with no second row nor event
    assert outcome is Ingested.DUPLICATE
    assert not again.exists()
    capture = capture_of(database, data)
    assert capture is not None
    assert [o for o, _, _ in ledger_of(database, drop)] == ["captured", "duplicate"]
    assert event_kinds(database, capture.id) == ["received", "duplicate"]


def test_a_refused_link_is_moved_as_a_link_into_rejected(
    drop: Path, database: Database, tmp_path: Path
) -> None:
    # Given a symbolic link in the drop folder to a file outside it
    target = tmp_path / "outside.pdf"
    target.write_bytes(b"%PDF-1.7 not for the archive")
    link = drop / "link.pdf"
    link.symlink_to(target)

    # When it is refused
    kept = reject_file(link, folder=drop, db=database, reason="SYMLINK", office="Tartu")

    # Then the link itself waits in rejected/, still pointing where it did, target untouched
    assert kept == drop / "rejected" / "link.pdf"
    assert kept.is_symlink()
    assert kept.readlink() == target
    assert target.read_bytes() == b"%PDF-1.7 not for the archive"
    assert not link.is_symlink()
    (entry,) = entries_of(database, drop)
    assert (entry.outcome, entry.reason, entry.office) == ("rejected", "SYMLINK", "Tartu")


def test_a_refusal_repeated_after_a_crash_moves_the_file_and_writes_no_second_row(
    drop: Path, database: Database
) -> None:
    # Given a refused file whose row was written before a crash prevented the move,
    # and a file of the same name refused earlier waiting in rejected/
    big = dropped(drop, "big.tif", b"II*\x00 too big")
    stat = big.lstat()
    seen = FileSeen(
        folder=str(drop),
        name="big.tif",
        size_bytes=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        first_seen=datetime.now(UTC),
    )
    record_rejection(database, seen, "FILE_TOO_LARGE")
    (drop / "rejected").mkdir()
    (drop / "rejected" / "big.tif").write_bytes(b"an earlier big.tif")

    # When the restarted watcher refuses it again
    kept = reject_file(big, folder=drop, db=database, reason="FILE_TOO_LARGE")

    # Then it is kept next to the earlier one, and the ledger has one row for it
    assert kept == drop / "rejected" / "big.1.tif"
    assert kept.read_bytes() == b"II*\x00 too big"
    assert (drop / "rejected" / "big.tif").read_bytes() == b"an earlier big.tif"
    assert ledger_of(database, drop) == [("rejected", "big.tif", "FILE_TOO_LARGE")]


def test_a_file_swapped_for_a_link_after_it_was_judged_is_not_taken(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, tmp_path: Path, unique: str
) -> None:
    # Given a scan that was replaced by a link to a file elsewhere after the watcher judged it
    target = tmp_path / "elsewhere.pdf"
    target.write_bytes(scan_bytes(unique))
    link = drop / "scan.pdf"
    link.symlink_to(target)

    # When it is ingested
    with pytest.raises(NotYet):
        ingest(link, drop, database, store, queue)

    # Then nothing was read through the link: no capture, no ledger row, the link still there
    assert capture_of(database, target.read_bytes()) is None
    assert ledger_of(database, drop) == []
    assert link.is_symlink()
