"""The ledger on a real PostgreSQL: one row per file, written with its capture, never changed."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from config.settings import DatabaseConfig
from storage.captures import NewCapture, get_capture, insert_capture, record_duplicate
from storage.db import MIGRATIONS, Database, migrate
from storage.ledger import (
    FileSeen,
    LedgerEntry,
    decided,
    entries_since,
    entry_of_capture,
    printable,
    record_rejection,
    rejection_of,
    rejection_without_inode,
)
from tests.fixtures.records import event_kinds
from tests.fixtures.services import ServiceUrls

pytestmark = pytest.mark.services

FIRST_SEEN = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def new_capture(
    unique: str, *, office: str | None = "Tartu", scanner: str | None = "MFP-2"
) -> NewCapture:
    """A capture of bytes unique to the test, dropped in a folder of its own."""
    sha = hashlib.sha256(f"ledger {unique} {uuid.uuid4()}".encode()).hexdigest()
    return NewCapture(
        id=str(uuid.uuid4()),
        sha256=sha,
        drop_folder=f"/srv/drop/{unique}",
        original_name="Avaldus.pdf",
        source_path=f"/srv/drop/{unique}/Avaldus.pdf",
        source_mtime_ns=1_764_064_800_000_000_000,
        size_bytes=2048,
        original_key=f"originals/{sha[:2]}/{sha}",
        office=office,
        scanner=scanner,
        first_seen=FIRST_SEEN,
    )


def seen(unique: str, name: str, *, size: int = 100, mtime_ns: int = 5) -> FileSeen:
    return FileSeen(
        folder=f"/srv/drop/{unique}",
        name=name,
        size_bytes=size,
        mtime_ns=mtime_ns,
        first_seen=FIRST_SEEN,
        office="Narva",
        scanner="MFP-9",
    )


def rows_of_folder(database: Database, unique: str) -> list[LedgerEntry]:
    since = datetime.now(UTC) - timedelta(hours=1)
    return [e for e in entries_since(database, since) if e.folder == f"/srv/drop/{unique}"]


def test_a_capture_is_registered_with_its_origin_and_its_ledger_row(
    database: Database, unique: str
) -> None:
    # Given a new capture from a folder mapped to an office and a scanner
    new = new_capture(unique)

    # When it is registered
    insert_capture(database, new)

    # Then the capture carries its origin
    capture = get_capture(database, new.id)
    assert capture is not None
    assert (capture.office, capture.scanner) == ("Tartu", "MFP-2")
    # ... and the ledger says the file became this capture, with its hash and when first seen
    entry = entry_of_capture(database, new.id)
    assert entry is not None
    assert (entry.outcome, entry.capture_id, entry.sha256) == ("captured", new.id, new.sha256)
    assert (entry.folder, entry.name) == (new.drop_folder, "Avaldus.pdf")
    assert (entry.size_bytes, entry.mtime_ns) == (2048, new.source_mtime_ns)
    assert (entry.office, entry.scanner, entry.reason) == ("Tartu", "MFP-2", None)
    assert entry.first_seen == FIRST_SEEN
    assert entry.decided_at >= entry.first_seen


def test_a_duplicate_row_points_at_its_capture_and_is_written_once(
    database: Database, unique: str
) -> None:
    # Given a registered capture
    new = new_capture(unique)
    insert_capture(database, new)
    again = seen(unique, "scanned-twice.pdf", size=new.size_bytes)

    # When the same bytes under another name are recorded as a duplicate, twice (a re-run)
    record_duplicate(database, new.id, again, new.sha256)
    record_duplicate(database, new.id, again, new.sha256)

    # Then there is one duplicate row, pointing at the capture, and one duplicate event
    rows = rows_of_folder(database, unique)
    assert [(r.outcome, r.name, r.capture_id) for r in rows] == [
        ("captured", "Avaldus.pdf", new.id),
        ("duplicate", "scanned-twice.pdf", new.id),
    ]
    assert event_kinds(database, new.id) == ["received", "duplicate"]
    # ... which a re-run finds as the decision already made about that very file
    found = decided(database, again, new.sha256)
    assert found is not None
    assert (found.outcome, found.capture_id) == ("duplicate", new.id)


def test_a_rejection_is_written_once_with_its_reason(database: Database, unique: str) -> None:
    # Given a refused file
    refused = seen(unique, "link.pdf")

    # When its rejection is recorded twice (a crash came before it was moved away)
    first = record_rejection(database, refused, "SYMLINK")
    second = record_rejection(database, refused, "SYMLINK")

    # Then there is one row, with the reason and no capture
    assert first == second
    (row,) = rows_of_folder(database, unique)
    assert (row.id, row.outcome, row.reason, row.capture_id) == (first, "rejected", "SYMLINK", None)
    assert (row.office, row.scanner, row.sha256) == ("Narva", "MFP-9", None)


def test_another_file_of_the_same_name_is_a_row_of_its_own(database: Database, unique: str) -> None:
    # Given a refused file, and later another file with the same name but another mtime
    record_rejection(database, seen(unique, "scan.pdf", mtime_ns=1), "FILE_TOO_LARGE")
    record_rejection(database, seen(unique, "scan.pdf", mtime_ns=2), "FILE_TOO_LARGE")

    # Then each has its own row
    assert len(rows_of_folder(database, unique)) == 2


def inode_of_row(database: Database, row_id: int) -> tuple[int | None, int | None]:
    """The device and inode a row keeps."""
    with database.transaction() as conn:
        row = conn.execute("SELECT device, inode FROM ledger WHERE id = %s", (row_id,)).fetchone()
    assert row is not None
    return (None if row[0] is None else int(row[0]), None if row[1] is None else int(row[1]))


def test_files_of_one_name_size_and_mtime_are_told_apart_by_their_inode(
    database: Database, unique: str
) -> None:
    # Given two refused files with the same name, size and mtime on other inodes (the second
    # beyond what a signed 64-bit number holds, as overlayfs gives them)
    first = replace(seen(unique, "scan.pdf"), device=2049, inode=11)
    second = replace(first, inode=2**64 - 1)

    # When each is refused, and the first again (a re-run after a crash)
    first_id = record_rejection(database, first, "PERMISSION_DENIED", kept_as="rejected/scan.pdf")
    second_id = record_rejection(
        database, second, "PERMISSION_DENIED", kept_as="rejected/scan.1.pdf"
    )
    again_id = record_rejection(database, first, "PERMISSION_DENIED", kept_as="rejected/x.pdf")

    # Then each file has its own row, and the re-run none of its own
    assert len({first_id, second_id}) == 2
    assert again_id == first_id
    rows = rows_of_folder(database, unique)
    assert [(r.id, r.kept_as) for r in rows] == [
        (first_id, "rejected/scan.pdf"),
        (second_id, "rejected/scan.1.pdf"),
    ]
    # ... each keeping the device and inode it was found with, by which it is found again
    assert inode_of_row(database, first_id) == (2049, 11)
    assert inode_of_row(database, second_id) == (2049, 2**64 - 1)
    assert [getattr(rejection_of(database, s), "id", None) for s in (first, second)] == [
        first_id,
        second_id,
    ]
    # ... and neither is taken for a row written before rows kept inodes
    assert rejection_without_inode(database, first) is None


def test_a_refusal_from_before_rows_kept_inodes_is_found_as_such(
    database: Database, unique: str
) -> None:
    # Given a refusal recorded without an inode (as before migration 0007)
    old_id = record_rejection(database, seen(unique, "scan.pdf"), "SYMLINK")

    # When a file of that name, size and mtime is looked up with its inode
    found = replace(seen(unique, "scan.pdf"), device=2049, inode=12)

    # Then the old row is not its row, only a row that may be
    assert rejection_of(database, found) is None
    earlier = rejection_without_inode(database, found)
    assert earlier is not None
    assert earlier.id == old_id
    assert inode_of_row(database, old_id) == (None, None)


def test_entries_since_filters_by_time_and_outcome(database: Database, unique: str) -> None:
    # Given a capture and a rejection just now
    new = new_capture(unique)
    insert_capture(database, new)
    record_rejection(database, seen(unique, "big.tif"), "FILE_TOO_LARGE")

    # Then both are since an hour ago, one per outcome, and none are from the future
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    mine = {e.outcome for e in entries_since(database, hour_ago) if e.folder == new.drop_folder}
    assert mine == {"captured", "rejected"}
    rejected = entries_since(database, hour_ago, outcome="rejected")
    assert {e.outcome for e in rejected} == {"rejected"}
    assert any(e.name == "big.tif" and e.folder == new.drop_folder for e in rejected)
    assert entries_since(database, datetime.now(UTC) + timedelta(hours=1)) == []


def test_a_capture_without_its_ledger_row_is_refused_by_the_database(
    database: Database, unique: str
) -> None:
    # Given a capture row written around the storage functions, without a ledger row
    new = new_capture(unique)

    # When its transaction commits
    with pytest.raises(psycopg.errors.RaiseException), database.transaction() as conn:
        conn.execute(
            "INSERT INTO captures (id, sha256, drop_folder, original_name, size_bytes,"
            " original_key) VALUES (%s, %s, %s, %s, %s, %s)",
            (new.id, new.sha256, new.drop_folder, new.original_name, 1, new.original_key),
        )

    # Then it was refused: no capture without its ledger row
    assert get_capture(database, new.id) is None


def test_ledger_rows_refuse_update_and_delete(
    database: Database, admin_database: Database, unique: str
) -> None:
    # Given a ledger row
    row_id = record_rejection(database, seen(unique, "x.pdf"), "SYMLINK")

    # Then it can be neither changed nor removed: the application's role may not, and the
    # trigger refuses even the owner
    for sql in (
        "UPDATE ledger SET reason = 'FILE_TOO_LARGE' WHERE id = %s",
        "DELETE FROM ledger WHERE id = %s",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), database.transaction() as conn:
            conn.execute(sql, (row_id,))
        with pytest.raises(psycopg.errors.RaiseException), admin_database.transaction() as conn:
            conn.execute(sql, (row_id,))
    (row,) = rows_of_folder(database, unique)
    assert row.reason == "SYMLINK"


@pytest.fixture
def scratch_database(service_urls: ServiceUrls, unique: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped afterwards."""
    name = f"ledger_{unique}"
    with psycopg.connect(service_urls.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(service_urls.admin_url)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(service_urls.admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_the_migration_writes_rows_for_what_was_decided_before_the_ledger(
    scratch_database: str,
) -> None:
    # Given a database at the schema before the ledger, with a capture and a duplicate of it
    from yoyo import get_backend, read_migrations

    parts = urlsplit(scratch_database)
    backend = get_backend(urlunsplit(parts._replace(scheme="postgresql+psycopg")))
    before = read_migrations(str(MIGRATIONS)).filter(lambda m: m.id < "0003")
    backend.apply_migrations(backend.to_apply(before))
    backend.connection.close()
    capture_id, sha = str(uuid.uuid4()), hashlib.sha256(b"old").hexdigest()
    with psycopg.connect(scratch_database) as conn:
        conn.execute(
            "INSERT INTO captures (id, sha256, drop_folder, original_name, source_path,"
            " source_mtime_ns, size_bytes, original_key) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
            (capture_id, sha, "/srv/drop/a", "old.pdf", "/srv/drop/a/old.pdf", 7, 3, "k"),
        )
        conn.execute(
            "INSERT INTO events (capture_id, kind, detail) VALUES"
            ' (%s, \'duplicate\', \'{"folder": "/srv/drop/b", "original_name": "again.pdf"}\')',
            (capture_id,),
        )

    # When the ledger migration is applied
    assert migrate(DatabaseConfig(scratch_database)) >= 1

    # Then the capture and its duplicate each have their row
    with psycopg.connect(scratch_database) as conn:
        rows = conn.execute(
            "SELECT outcome, folder, name, size_bytes, mtime_ns, sha256, capture_id::text"
            " FROM ledger ORDER BY id"
        ).fetchall()
    assert rows == [
        ("captured", "/srv/drop/a", "old.pdf", 3, 7, sha, capture_id),
        ("duplicate", "/srv/drop/b", "again.pdf", 3, None, sha, capture_id),
    ]


# --- file names: bytes, not always UTF-8 ----------------------------------------------------


def test_a_name_that_reads_like_an_escape_and_the_bytes_it_shows_are_two_files(
    database: Database, unique: str
) -> None:
    # Given a file named with the four characters \xff and one named with the byte 0xff,
    # of the same size and mtime (Python has the byte as a surrogate escape)
    literal = seen(unique, "scan\\xff.pdf")
    raw = seen(unique, os.fsdecode(b"scan\xff.pdf"))

    # When both are refused
    first = record_rejection(database, literal, "FILE_TOO_LARGE")
    second = record_rejection(database, raw, "FILE_TOO_LARGE")

    # Then each has its own row: both read the same, only one keeps bytes of its own
    assert first != second
    rows = rows_of_folder(database, unique)
    assert [(r.id, r.name, r.name_bytes) for r in rows] == [
        (first, "scan\\xff.pdf", None),
        (second, "scan\\xff.pdf", b"scan\xff.pdf"),
    ]
    # ... and a re-run finds each one's row
    assert record_rejection(database, raw, "FILE_TOO_LARGE") == second
    assert record_rejection(database, literal, "FILE_TOO_LARGE") == first


def test_a_capture_of_a_name_that_is_not_utf8_keeps_its_bytes_with_its_ledger_row(
    database: Database, unique: str
) -> None:
    # Given a capture of a file whose name is not UTF-8
    name = os.fsdecode(b"\xc4valdus.pdf")
    new = replace(new_capture(unique), original_name=name, source_path=f"/srv/drop/{unique}/{name}")

    # When it is registered
    insert_capture(database, new)

    # Then the capture and its ledger row read the name and keep its bytes
    capture = get_capture(database, new.id)
    assert capture is not None
    assert (capture.original_name, capture.original_name_bytes) == (
        "\\xc4valdus.pdf",
        b"\xc4valdus.pdf",
    )
    assert capture.source_path == f"/srv/drop/{unique}/\\xc4valdus.pdf"
    entry = entry_of_capture(database, new.id)
    assert entry is not None
    assert (entry.name, entry.name_bytes) == ("\\xc4valdus.pdf", b"\xc4valdus.pdf")
    # ... by which a re-run finds that the very file was decided
    again = decided(database, new.seen(), new.sha256)
    assert again is not None
    assert again.id == entry.id


def test_a_sub_folder_has_one_row_however_often_it_is_seen(database: Database, unique: str) -> None:
    # Given a sub-folder of a drop folder: it has no size nor mtime the ledger keeps
    folder = replace(seen(unique, "inbox"), size_bytes=None, mtime_ns=None)

    # When it is refused each time the watcher starts
    ids = {record_rejection(database, folder, "SUBFOLDER") for _ in range(3)}

    # Then it has the one row
    (row,) = rows_of_folder(database, unique)
    assert ids == {row.id}
    assert (row.reason, row.size_bytes, row.mtime_ns, row.kept_as) == (
        "SUBFOLDER",
        None,
        None,
        None,
    )


def test_where_a_refused_file_was_moved_is_kept_with_its_row(
    database: Database, unique: str
) -> None:
    # Given a refused file moved into rejected/ under another name, one that is not UTF-8
    kept_as = os.fsdecode(b"rejected/big\xff.1.tif")

    # When its refusal is recorded
    row_id = record_rejection(
        database, seen(unique, "big\\xff.tif"), "FILE_TOO_LARGE", kept_as=kept_as
    )

    # Then the row says where it is, readably and exactly
    (row,) = rows_of_folder(database, unique)
    assert row.id == row_id
    assert (row.kept_as, row.kept_as_bytes) == (
        "rejected/big\\xff.1.tif",
        b"rejected/big\xff.1.tif",
    )
    assert row.kept_path() == kept_as


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"Avaldus.pdf", "Avaldus.pdf"),
        ("Ülle Õunapuu.pdf".encode(), "Ülle Õunapuu.pdf"),
        (b"a\nb.pdf", "a\\x0ab.pdf"),
        (b"\r\x1b[2Jx.pdf", "\\x0d\\x1b[2Jx.pdf"),
        (b"\xff\xfe.pdf", "\\xff\\xfe.pdf"),
        (b"back\\slash.pdf", "back\\\\slash.pdf"),
        ("a\u2028b\u202ec\x85.pdf".encode(), "a\\u2028b\\u202ec\\x85.pdf"),
    ],
    ids=["plain", "estonian", "newline", "terminal-escape", "not-utf8", "backslash", "unicode"],
)
def test_printable_shows_a_name_on_one_line_and_nothing_but_the_name(
    raw: bytes, shown: str
) -> None:
    assert printable(raw) == shown
    assert len(shown.splitlines()) == 1
