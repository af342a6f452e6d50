"""Ingest against the real database and store: never lose a file, never take bytes twice."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest

from config.errors import BackendUnavailable
from config.settings import StoreConfig
from pipeline.embedded import free_port
from pipeline.ingest import Ingested, ingest_file, original_key, reject_file
from pipeline.model import ReasonCode
from pipeline.watch import NotYet
from storage.captures import Capture, capture_by_sha
from storage.db import Database
from storage.ledger import FileSeen, LedgerEntry, entries_since, record_rejection
from storage.objects import ObjectStore
from tests.fixtures.files import NAME_MAX, longest_name, raw_named
from tests.fixtures.processes import REPO
from tests.fixtures.records import event_kinds
from tests.fixtures.services import ServiceUrls

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


# --- names the file system allows, however hostile ------------------------------------------

NOT_UTF8 = b"Avaldus \xff\xfe.pdf"  # Latin-1 bytes from an old scanner, say: not UTF-8


def names_in(folder: Path) -> list[bytes]:
    """The names in ``folder`` as the file system has them, sorted."""
    return sorted(os.fsencode(path.name) for path in folder.iterdir())


def test_a_name_that_is_not_utf8_is_captured_and_keeps_its_own_bytes(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given a scan whose name holds bytes that are not UTF-8
    data = scan_bytes(unique)
    path = raw_named(drop, NOT_UTF8)
    path.write_bytes(data)

    # When it is ingested
    outcome = ingest(path, drop, database, store, queue)

    # Then it is captured like any other: stored, queued, and gone from the folder
    assert outcome is Ingested.CAPTURED
    capture = capture_of(database, data)
    assert capture is not None
    assert store.get(capture.original_key) == data
    assert queue.ids == [capture.id]
    assert names_in(drop) == []
    # ... its capture row shows the name readably and keeps the name's own bytes
    assert capture.original_name == "Avaldus \\xff\\xfe.pdf"
    assert capture.original_name_bytes == NOT_UTF8
    assert capture.source_path == f"{drop}/Avaldus \\xff\\xfe.pdf"
    # ... and so does its ledger row
    (entry,) = entries_of(database, drop)
    assert (entry.outcome, entry.capture_id) == ("captured", capture.id)
    assert (entry.name, entry.name_bytes) == ("Avaldus \\xff\\xfe.pdf", NOT_UTF8)
    assert entry.file_bytes() == os.fsencode(drop) + b"/" + NOT_UTF8


def test_a_duplicate_and_a_refusal_with_names_that_are_not_utf8_get_their_rows(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str, tmp_path: Path
) -> None:
    # Given a captured scan, the same bytes again under a name that is not UTF-8, and a link
    # whose name is not UTF-8 either
    data = scan_bytes(unique)
    assert ingest(dropped(drop, "first.pdf", data), drop, database, store, queue) is (
        Ingested.CAPTURED
    )
    again = raw_named(drop, b"again \xe9.pdf")
    again.write_bytes(data)
    link = raw_named(drop, b"link \xe9.pdf")
    link.symlink_to(tmp_path / "elsewhere.pdf")

    # When the duplicate is ingested (twice: a crash came before it was removed) and the
    # link refused
    mtime_ns = again.stat().st_mtime_ns
    assert ingest(again, drop, database, store, queue) is Ingested.DUPLICATE
    again.write_bytes(data)
    os.utime(again, ns=(mtime_ns, mtime_ns))
    assert ingest(again, drop, database, store, queue) is Ingested.DUPLICATE
    kept = reject_file(link, folder=drop, db=database, reason="SYMLINK")

    # Then each has one row, with its readable name and its own bytes
    capture = capture_of(database, data)
    assert capture is not None
    rows = [(e.outcome, e.name, e.name_bytes) for e in entries_of(database, drop)]
    assert rows == [
        ("captured", "first.pdf", None),
        ("duplicate", "again \\xe9.pdf", b"again \xe9.pdf"),
        ("rejected", "link \\xe9.pdf", b"link \xe9.pdf"),
    ]
    assert event_kinds(database, capture.id) == ["received", "duplicate"]
    # ... and the link waits in rejected/ under its very bytes, where its row says
    assert names_in(drop) == [b"rejected"]
    assert names_in(drop / "rejected") == [b"link \xe9.pdf"]
    assert kept.is_symlink()
    refusal = entries_of(database, drop)[-1]
    assert refusal.kept_path() == str(kept.relative_to(drop))
    assert refusal.kept_as == "rejected/link \\xe9.pdf"
    assert refusal.kept_as_bytes == b"rejected/link \xe9.pdf"


@pytest.mark.parametrize(
    "word", ["scan", "Ülle Õunapuu avaldus ", "Заявление "], ids=["ascii", "estonian", "russian"]
)
def test_refused_files_with_the_longest_names_never_jam_nor_clobber_in_rejected(
    word: str, drop: Path, database: Database
) -> None:
    # Given two different files, one after the other, with the same name of NAME_MAX bytes
    name = longest_name(word)
    assert len(name.encode()) == NAME_MAX
    contents = [b"II*\x00 the first", b"II*\x00 the second"]
    kept: list[Path] = []

    # When each is refused
    for data in contents:
        path = dropped(drop, name, data)
        kept.append(reject_file(path, folder=drop, db=database, reason="FILE_TOO_LARGE"))

    # Then both wait in rejected/, the first under its name, the second under a name that
    # keeps as much of it as fits, with a suffix, and is still whole UTF-8
    rejected = drop / "rejected"
    assert kept[0] == rejected / name
    second = kept[1].name.encode()
    assert len(second) <= NAME_MAX
    assert second.decode().endswith(".1.pdf")
    assert name.startswith(second.decode().removesuffix(".1.pdf"))
    assert [p.read_bytes() for p in kept] == contents
    assert sorted(rejected.iterdir()) == sorted(kept)
    assert list(drop.iterdir()) == [rejected]
    # ... and each ledger row says where its file is
    rows = entries_of(database, drop)
    assert [(r.reason, r.kept_path()) for r in rows] == [
        ("FILE_TOO_LARGE", f"rejected/{p.name}") for p in kept
    ]


def test_taken_files_with_the_longest_names_never_jam_nor_clobber_in_processed(
    drop: Path, database: Database, store: ObjectStore, queue: Queue, unique: str
) -> None:
    # Given two different scans, one after the other, with the same name of NAME_MAX bytes
    name = longest_name("Avaldus ")
    first, second = scan_bytes(unique, "first"), scan_bytes(unique, "second")

    # When each is ingested with after="move"
    for data in (first, second):
        path = dropped(drop, name, data)
        assert ingest(path, drop, database, store, queue, after="move") is Ingested.CAPTURED

    # Then both wait in processed/ under names that fit, neither overwriting the other
    processed = drop / "processed"
    kept = sorted(processed.iterdir(), key=lambda p: p.name != name)
    assert [p.read_bytes() for p in kept] == [first, second]
    assert kept[0].name == name
    assert len(kept[1].name.encode()) <= NAME_MAX
    assert list(drop.iterdir()) == [processed]
    assert len(queue.ids) == 2


def test_a_refusal_that_cannot_move_the_file_writes_no_row_and_leaves_the_file(
    drop: Path, database: Database
) -> None:
    # Given a file to refuse, and a plain file where the rejected/ folder would be
    (drop / "rejected").write_bytes(b"not a folder")
    big = dropped(drop, "big.tif", b"II*\x00 too big")

    # When it is refused, the move fails
    with pytest.raises(OSError):
        reject_file(big, folder=drop, db=database, reason="FILE_TOO_LARGE")

    # Then the file is where it was and the ledger says nothing happened to it
    assert big.read_bytes() == b"II*\x00 too big"
    assert ledger_of(database, drop) == []


def seen_of(path: Path, drop: Path, *, inode: bool = True) -> FileSeen:
    """``path`` as ``reject_file`` records it; without its inode, as rows before 0007 were."""
    stat = path.lstat()
    return FileSeen(
        folder=str(drop),
        name=path.name,
        size_bytes=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        first_seen=datetime.now(UTC),
        device=stat.st_dev if inode else None,
        inode=stat.st_ino if inode else None,
    )


@pytest.mark.parametrize("inode", [True, False], ids=["row-with-inode", "row-before-inodes"])
@pytest.mark.parametrize("linked", [True, False], ids=["linked", "not-yet-renamed"])
def test_a_refusal_interrupted_after_its_row_finishes_the_move_it_recorded(
    linked: bool, inode: bool, drop: Path, database: Database
) -> None:
    # Given a refused file that a crash left in the folder after its ledger row was written:
    # linked into rejected/ under the name its row gives, or (where there are no hard links)
    # not yet renamed to it; the row with the file's inode, or from before rows kept one
    big = dropped(drop, "big.tif", b"II*\x00 too big")
    (drop / "rejected").mkdir()
    (drop / "rejected" / "big.tif").write_bytes(b"an earlier big.tif")
    if linked:
        os.link(big, drop / "rejected" / "big.1.tif")
    seen = seen_of(big, drop, inode=inode)
    record_rejection(database, seen, "FILE_TOO_LARGE", kept_as="rejected/big.1.tif")

    # When the restarted watcher refuses it again
    kept = reject_file(big, folder=drop, db=database, reason="FILE_TOO_LARGE")

    # Then the move is finished where the row says, with no second row
    assert kept == drop / "rejected" / "big.1.tif"
    assert not big.exists()
    assert kept.read_bytes() == b"II*\x00 too big"
    assert kept.stat().st_nlink == 1
    assert (drop / "rejected" / "big.tif").read_bytes() == b"an earlier big.tif"
    (row,) = entries_of(database, drop)
    assert row.kept_path() == "rejected/big.1.tif"


def test_a_file_like_one_refused_before_rows_kept_inodes_gets_a_row_of_its_own(
    drop: Path, database: Database
) -> None:
    # Given a file refused before rows kept inodes, in rejected/ where its row says, and
    # then another file of the same name, size and mtime
    first = dropped(drop, "big.tif", b"II*\x00 first")
    seen = seen_of(first, drop, inode=False)
    (drop / "rejected").mkdir()
    first.rename(drop / "rejected" / "big.tif")
    record_rejection(database, seen, "FILE_TOO_LARGE", kept_as="rejected/big.tif")
    second = dropped(drop, "big.tif", b"II*\x00 other")
    assert seen.mtime_ns is not None
    os.utime(second, ns=(seen.mtime_ns, seen.mtime_ns))
    assert (second.stat().st_size, second.stat().st_mtime_ns) == (seen.size_bytes, seen.mtime_ns)

    # When it is refused
    kept = reject_file(second, folder=drop, db=database, reason="FILE_TOO_LARGE")

    # Then it is kept next to the first, and has its own row
    assert kept == drop / "rejected" / "big.1.tif"
    assert kept.read_bytes() == b"II*\x00 other"
    assert (drop / "rejected" / "big.tif").read_bytes() == b"II*\x00 first"
    rows = entries_of(database, drop)
    assert [(r.size_bytes, r.mtime_ns, r.kept_path()) for r in rows] == [
        (seen.size_bytes, seen.mtime_ns, "rejected/big.tif"),
        (seen.size_bytes, seen.mtime_ns, "rejected/big.1.tif"),
    ]


def test_a_sub_folder_is_recorded_once_and_left_with_what_it_holds(
    drop: Path, database: Database
) -> None:
    # Given a sub-folder in the drop folder with a scan in it
    inbox = drop / "inbox"
    inbox.mkdir()
    (inbox / "Avaldus.pdf").write_bytes(b"%PDF-1.7 inside %%EOF")

    # When it is refused as a sub-folder, twice (the watcher restarted in between)
    for _ in range(2):
        kept = reject_file(inbox, folder=drop, db=database, reason=ReasonCode.SUBFOLDER)

    # Then it is where it was, with its scan, and the ledger has one row for it
    assert kept == inbox
    assert [p.name for p in drop.iterdir()] == ["inbox"]
    assert (inbox / "Avaldus.pdf").read_bytes() == b"%PDF-1.7 inside %%EOF"
    (row,) = entries_of(database, drop)
    assert (row.outcome, row.name, row.reason) == ("rejected", "inbox", "SUBFOLDER")
    assert (row.size_bytes, row.mtime_ns, row.kept_as) == (None, None, None)


# Root may hard-link any file; without CAP_FOWNER (and its right to read everything), it may
# link only files it owns or can read (fs.protected_hardlinks), like any other watcher.
WITHOUT_HARD_LINKS = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
REFUSE = """
import sys
from pathlib import Path
from config.settings import DatabaseConfig
from pipeline.ingest import reject_file
from storage.db import Database
db = Database(DatabaseConfig(sys.argv[1]))
print(reject_file(Path(sys.argv[2]), folder=Path(sys.argv[3]), db=db, reason=sys.argv[4]))
db.close()
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a file owned by another user")
def test_a_file_that_may_not_be_hard_linked_is_renamed_into_rejected_without_clobbering(
    drop: Path, database: Database, service_urls: ServiceUrls
) -> None:
    # Given a file nobody may read, owned by another user, and an earlier one of its name in
    # rejected/
    locked = dropped(drop, "locked.pdf", b"%PDF-1.7 locked")
    os.chown(locked, 65534, 65534)
    locked.chmod(0)
    (drop / "rejected").mkdir()
    (drop / "rejected" / "locked.pdf").write_bytes(b"an earlier locked.pdf")

    # When a watcher that may not hard-link it refuses it
    args = [service_urls.database_url, str(locked), str(drop), "PERMISSION_DENIED"]
    done = subprocess.run(
        [*WITHOUT_HARD_LINKS, sys.executable, "-c", REFUSE, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    # Then it was renamed to a free name, the earlier one untouched, and its row says where
    assert done.returncode == 0, done.stderr
    kept = drop / "rejected" / "locked.1.pdf"
    assert done.stdout.strip() == str(kept)
    assert not locked.exists()
    assert kept.stat().st_uid == 65534
    assert (drop / "rejected" / "locked.pdf").read_bytes() == b"an earlier locked.pdf"
    (row,) = entries_of(database, drop)
    assert (row.reason, row.kept_path()) == ("PERMISSION_DENIED", "rejected/locked.1.pdf")


# --- other files with the same name, size and mtime -----------------------------------------

A_WHOLE_SECOND = 1_764_064_800 * 10**9  # an mtime as `touch -d` or a coarse share sets it


def refuse_as(
    path: Path, drop: Path, database: Database, service_urls: ServiceUrls, reason: str, how: str
) -> Path:
    """Refuse ``path`` here (``linked``), or by a watcher that may not hard-link it."""
    if how == "linked":
        return reject_file(path, folder=drop, db=database, reason=reason)
    args = [service_urls.database_url, str(path), str(drop), reason]
    done = subprocess.run(
        [*WITHOUT_HARD_LINKS, sys.executable, "-c", REFUSE, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


HOW = [
    "linked",
    pytest.param(
        "renamed",
        marks=pytest.mark.skipif(os.geteuid() != 0, reason="needs a file owned by another user"),
    ),
]


def test_links_of_one_name_size_and_mtime_dropped_one_after_another_get_a_row_each(
    drop: Path, database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Given three symbolic links to one place (so of one size) with one name of NAME_MAX
    # bytes, dropped one after another, the second and the third with the same mtime
    name = longest_name("Avaldus ")
    kept: list[Path] = []
    for mtime_ns in (None, A_WHOLE_SECOND, A_WHOLE_SECOND):
        link = drop / name
        link.symlink_to(tmp_path / "elsewhere.pdf")
        if mtime_ns is not None:  # as `touch -h -d` sets it
            os.utime(link, ns=(mtime_ns, mtime_ns), follow_symlinks=False)

        # When each is refused as it comes
        kept.append(reject_file(link, folder=drop, db=database, reason="SYMLINK"))

    # Then all three wait in rejected/, each under a name of its own
    rejected = drop / "rejected"
    assert kept[0] == rejected / name
    assert kept[1].name.endswith(".1.pdf")
    assert kept[2].name.endswith(".2.pdf")
    assert sorted(rejected.iterdir()) == sorted(kept)
    assert all(p.is_symlink() for p in kept)
    assert list(drop.iterdir()) == [rejected]
    # ... and each has its own ledger row, which says where it is
    rows = entries_of(database, drop)
    assert [(r.reason, r.kept_path()) for r in rows] == [
        ("SYMLINK", f"rejected/{p.name}") for p in kept
    ]
    assert [r.mtime_ns for r in rows[1:]] == [A_WHOLE_SECOND, A_WHOLE_SECOND]
    assert "another name than row" not in caplog.text


@pytest.mark.parametrize("how", HOW)
def test_an_unreadable_file_dropped_again_with_the_same_mtime_gets_a_row_of_its_own(
    how: str, drop: Path, database: Database, service_urls: ServiceUrls, tmp_path: Path
) -> None:
    # Given a file nobody may read, with a name of NAME_MAX bytes, refused; and then a copy
    # of the same source under the same name, given the first one's mtime (`touch -r`)
    source = tmp_path / "source.pdf"
    source.write_bytes(b"%PDF-1.7 locked %%EOF")
    name = longest_name("b")
    owner = 65534 if how == "renamed" else os.geteuid()

    def drop_a_copy(mtime_ns: int | None) -> Path:
        path = dropped(drop, name, source.read_bytes())
        if mtime_ns is not None:
            os.utime(path, ns=(mtime_ns, mtime_ns))
        if owner != os.geteuid():
            os.chown(path, owner, owner)
        path.chmod(0)
        return path

    first = drop_a_copy(None)
    mtime_ns = first.stat().st_mtime_ns
    kept = [refuse_as(first, drop, database, service_urls, "PERMISSION_DENIED", how)]

    # When the second one is refused
    second = drop_a_copy(mtime_ns)
    assert second.stat().st_mtime_ns == mtime_ns
    kept.append(refuse_as(second, drop, database, service_urls, "PERMISSION_DENIED", how))

    # Then both wait in rejected/, the second next to the first
    rejected = drop / "rejected"
    assert kept[0] == rejected / name
    assert kept[1].name.endswith(".1.pdf")
    assert sorted(rejected.iterdir()) == sorted(kept)
    assert list(drop.iterdir()) == [rejected]
    # ... and each has its own row, with the same name, size and mtime and its own kept_as
    rows = entries_of(database, drop)
    assert [(r.name, r.size_bytes, r.mtime_ns, r.kept_path()) for r in rows] == [
        (name, source.stat().st_size, mtime_ns, f"rejected/{p.name}") for p in kept
    ]
