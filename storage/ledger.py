"""The ledger: what became of every file the watcher saw in a drop folder.

Each file ends in exactly one row: ``captured`` (written in the capture's own transaction,
see ``captures.insert_capture``), ``duplicate`` (pointing at the capture whose bytes it
repeats) or ``rejected`` (with a reason code).  Writing the same decision again, as a
re-run after a crash does, adds no second row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import psycopg
from psycopg.rows import class_row

from storage.db import Database

Outcome = Literal["captured", "duplicate", "rejected"]
OUTCOMES: tuple[Outcome, ...] = ("captured", "duplicate", "rejected")


@dataclass(frozen=True)
class FileSeen:
    """One file in a drop folder as the watcher saw it, before the decision."""

    folder: str
    name: str
    size_bytes: int
    mtime_ns: int
    first_seen: datetime
    office: str | None = None
    scanner: str | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger row."""

    id: int
    folder: str
    name: str
    size_bytes: int | None
    mtime_ns: int | None
    sha256: str | None
    office: str | None
    scanner: str | None
    first_seen: datetime
    decided_at: datetime
    outcome: str
    capture_id: str | None
    reason: str | None


_COLUMNS = (
    "id, folder, name, size_bytes, mtime_ns, sha256, office, scanner, first_seen, decided_at,"
    " outcome, capture_id::text, reason"
)


def add_entry(
    conn: psycopg.Connection,
    seen: FileSeen,
    outcome: Outcome,
    *,
    sha256: str | None = None,
    capture_id: str | None = None,
    reason: str | None = None,
) -> int | None:
    """Write one decision inside the caller's transaction; ``None`` if it was written before."""
    row = conn.execute(
        "INSERT INTO ledger (folder, name, size_bytes, mtime_ns, sha256, office, scanner,"
        " first_seen, outcome, capture_id, reason) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
        " ON CONFLICT DO NOTHING RETURNING id",
        (
            seen.folder,
            seen.name,
            seen.size_bytes,
            seen.mtime_ns,
            sha256,
            seen.office,
            seen.scanner,
            seen.first_seen,
            outcome,
            capture_id,
            reason,
        ),
    ).fetchone()
    return int(row[0]) if row else None


def record_rejection(db: Database, seen: FileSeen, reason: str) -> int:
    """Write that the file was refused with ``reason``; returns its row id (old or new)."""
    with db.transaction() as conn:
        added = add_entry(conn, seen, "rejected", reason=reason)
        if added is not None:
            return added
        row = conn.execute(
            "SELECT id FROM ledger WHERE outcome = 'rejected' AND folder = %s AND name = %s"
            " AND size_bytes = %s AND mtime_ns = %s",
            (seen.folder, seen.name, seen.size_bytes, seen.mtime_ns),
        ).fetchone()
    assert row is not None
    return int(row[0])


def decided(db: Database, seen: FileSeen, sha256: str) -> LedgerEntry | None:
    """The capture or duplicate row of this very file (same folder, name, size, mtime, bytes).

    Found when a crash came between the decision and the file's removal.
    """
    with db.transaction() as conn, conn.cursor(row_factory=class_row(LedgerEntry)) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM ledger WHERE folder = %s AND name = %s"
            " AND size_bytes = %s AND mtime_ns = %s AND sha256 = %s"
            " AND outcome IN ('captured', 'duplicate') ORDER BY id LIMIT 1",
            (seen.folder, seen.name, seen.size_bytes, seen.mtime_ns, sha256),
        )
        return cur.fetchone()


def entries_since(
    db: Database, since: datetime, *, outcome: str | None = None
) -> list[LedgerEntry]:
    """Rows decided at or after ``since``, oldest first, optionally of one outcome."""
    with db.transaction() as conn, conn.cursor(row_factory=class_row(LedgerEntry)) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM ledger WHERE decided_at >= %s"
            " AND (%s::text IS NULL OR outcome = %s) ORDER BY decided_at, id",
            (since, outcome, outcome),
        )
        return cur.fetchall()


def entry_of_capture(db: Database, capture_id: str) -> LedgerEntry | None:
    """The ``captured`` row of a capture."""
    with db.transaction() as conn, conn.cursor(row_factory=class_row(LedgerEntry)) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM ledger WHERE capture_id = %s AND outcome = 'captured'",
            (capture_id,),
        )
        return cur.fetchone()
