"""Captures and their events: insert (with its ledger row), find, claim, finish.

Folder, name and path are written in their readable form (``ledger.readable``), with the
name's own bytes beside it when they are not UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from config.errors import AlreadyRegistered
from storage.db import Database
from storage.ledger import FileSeen, add_entry, own_bytes, readable

FINAL = ("archived", "needs_review", "failed")


@dataclass(frozen=True)
class NewCapture:
    """What ingest knows about a file before any processing (paths as Python has them)."""

    id: str
    sha256: str
    drop_folder: str
    original_name: str
    source_path: str
    source_mtime_ns: int
    size_bytes: int
    original_key: str
    office: str | None = None
    scanner: str | None = None
    first_seen: datetime | None = None  # when the watcher first saw the file; None: now

    def seen(self) -> FileSeen:
        """The file this capture is made from, as its ledger row records it."""
        return FileSeen(
            folder=self.drop_folder,
            name=self.original_name,
            size_bytes=self.size_bytes,
            mtime_ns=self.source_mtime_ns,
            first_seen=self.first_seen or datetime.now(UTC),
            office=self.office,
            scanner=self.scanner,
        )


@dataclass(frozen=True)
class Capture:
    """A capture row."""

    id: str
    sha256: str
    drop_folder: str
    original_name: str
    source_path: str | None
    source_mtime_ns: int | None
    size_bytes: int
    media_type: str | None
    received_at: datetime
    status: str
    original_key: str
    searchable_key: str | None
    searchable_sha256: str | None
    ocr_key: str | None
    ocr_sha256: str | None
    reasons: list[str]
    error: str | None
    attempts: int
    office: str | None = None
    scanner: str | None = None
    original_name_bytes: bytes | None = None  # the name's own bytes, when not UTF-8


_COLUMNS = (
    "id::text, sha256, drop_folder, original_name, source_path, source_mtime_ns, size_bytes, "
    "media_type, received_at, status, original_key, searchable_key, searchable_sha256, ocr_key, "
    "ocr_sha256, reasons, error, attempts, office, scanner, original_name_bytes"
)


def add_event(
    conn: psycopg.Connection, capture_id: str | None, kind: str, **detail: object
) -> None:
    """Append one event (the events table refuses updates and deletes)."""
    conn.execute(
        "INSERT INTO events (capture_id, kind, detail) VALUES (%s, %s, %s)",
        (capture_id, kind, Jsonb(detail)),
    )


def insert_capture(db: Database, new: NewCapture) -> None:
    """Register a received file and its ledger row; ``AlreadyRegistered`` if its bytes are known.

    One transaction: a capture exists exactly when its ``captured`` ledger row does.
    """
    try:
        with db.transaction() as conn:
            conn.execute(
                "INSERT INTO captures (id, sha256, drop_folder, original_name,"
                " original_name_bytes, source_path, source_mtime_ns, size_bytes, original_key,"
                " office, scanner) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (
                    new.id,
                    new.sha256,
                    readable(new.drop_folder),
                    readable(new.original_name),
                    own_bytes(new.original_name),
                    readable(new.source_path),
                    new.source_mtime_ns,
                    new.size_bytes,
                    new.original_key,
                    new.office,
                    new.scanner,
                ),
            )
            add_entry(conn, new.seen(), "captured", sha256=new.sha256, capture_id=new.id)
            add_event(
                conn, new.id, "received", folder=readable(new.drop_folder), size=new.size_bytes
            )
    except psycopg.errors.UniqueViolation as exc:
        existing = capture_by_sha(db, new.sha256)
        raise AlreadyRegistered(existing.id if existing else "") from exc


def record_duplicate(db: Database, capture_id: str, seen: FileSeen, sha256: str) -> None:
    """Write that ``seen`` repeats the bytes of ``capture_id``: its ledger row and an event.

    Written once per file: a re-run after a crash adds neither a row nor an event.
    """
    with db.transaction() as conn:
        if add_entry(conn, seen, "duplicate", sha256=sha256, capture_id=capture_id) is not None:
            add_event(
                conn,
                capture_id,
                "duplicate",
                folder=readable(seen.folder),
                original_name=readable(seen.name),
            )


def capture_by_sha(db: Database, sha256: str) -> Capture | None:
    """The capture of these bytes, if any."""
    with db.transaction() as conn, conn.cursor(row_factory=class_row(Capture)) as cur:
        cur.execute(f"SELECT {_COLUMNS} FROM captures WHERE sha256 = %s", (sha256,))
        return cur.fetchone()


def get_capture(db: Database, capture_id: str) -> Capture | None:
    """One capture by id."""
    with db.transaction() as conn, conn.cursor(row_factory=class_row(Capture)) as cur:
        cur.execute(f"SELECT {_COLUMNS} FROM captures WHERE id = %s", (capture_id,))
        return cur.fetchone()


def record_event(db: Database, capture_id: str | None, kind: str, **detail: object) -> None:
    """Append one event in its own transaction."""
    with db.transaction() as conn:
        add_event(conn, capture_id, kind, **detail)


def unfinished(db: Database) -> list[str]:
    """Ids of captures not yet in a final state, oldest first (to re-enqueue)."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT id::text FROM captures WHERE status IN ('received', 'processing')"
            " ORDER BY received_at"
        ).fetchall()
    return [r[0] for r in rows]


def take_claim(conn: psycopg.Connection, capture_id: str) -> bool:
    """Take the processing claim of a capture on this session, if nobody holds it."""
    got = conn.execute(
        "SELECT pg_try_advisory_lock(hashtextextended(%s, 7))", (capture_id,)
    ).fetchone()
    return bool(got and got[0])


def release_claim(conn: psycopg.Connection, capture_id: str) -> None:
    """Let go of a claim :func:`take_claim` took on this session."""
    conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 7))", (capture_id,))


@contextmanager
def claimed(db: Database, capture_id: str) -> Iterator[Capture | None]:
    """Hold the processing claim of a capture for the duration of the block.

    The claim is a session-level advisory lock on a dedicated connection: a second delivery
    of the same message finds it taken and gets ``None``, and a worker killed mid-capture
    loses it the moment its connection drops, so a restarted worker can take over.  Yields
    ``None`` too when the capture is unknown or already final.
    """
    with db.session() as conn:
        if not take_claim(conn, capture_id):
            yield None
            return
        try:
            with conn.transaction():
                row = conn.execute(
                    "UPDATE captures SET status = 'processing', attempts = attempts + 1,"
                    " updated_at = now() WHERE id = %s AND status IN ('received', 'processing')"
                    " RETURNING id",
                    (capture_id,),
                ).fetchone()
                if row:
                    add_event(conn, capture_id, "processing")
            yield get_capture(db, capture_id) if row else None
        finally:
            # A dropped connection has released the lock already.
            with suppress(psycopg.Error):
                release_claim(conn, capture_id)


def finish_failed(db: Database, capture_id: str, error: str) -> None:
    """Give up on a capture after its retries: status ``failed`` with the error kind."""
    with db.transaction() as conn:
        changed = conn.execute(
            "UPDATE captures SET status = 'failed', error = %s, updated_at = now()"
            " WHERE id = %s AND status NOT IN ('archived', 'needs_review') RETURNING id",
            (error, capture_id),
        ).fetchone()
        if changed:
            add_event(conn, capture_id, "failed", error=error)
