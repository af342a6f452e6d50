"""Ingest against the real database and store: never lose a file, never take bytes twice."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from config.errors import BackendUnavailable
from config.settings import StoreConfig
from pipeline.embedded import free_port
from pipeline.ingest import Ingested, ingest_file, original_key
from storage.captures import Capture, capture_by_sha
from storage.db import Database
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
