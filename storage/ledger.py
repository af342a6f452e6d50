r"""The ledger: what became of every file the watcher saw in a drop folder.

Each file ends in exactly one row: ``captured`` (written in the capture's own transaction,
see ``captures.insert_capture``), ``duplicate`` (pointing at the capture whose bytes it
repeats) or ``rejected`` (with a reason code, and where the file was moved to).  Writing the
same decision again, as a re-run after a crash does, adds no second row.

File names are what the file system holds: bytes, which need not be UTF-8.  Python hands
such a name over with surrogate escapes, which PostgreSQL text refuses; the row keeps a
readable form (``readable``: each byte that is not UTF-8 shown as ``\xNN``) and, only then,
the name's own bytes beside it.  ``printable`` escapes a name for one line of a terminal.

A refusal's row keeps the inode (and device) the file had when it was found: two files may
share a name, a size and an mtime, never an inode while the first one lies in ``rejected/``,
so each gets a row of its own, and the same file decided again finds its row.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import psycopg
from psycopg.rows import class_row

from storage.db import Database

Outcome = Literal["captured", "duplicate", "rejected"]
OUTCOMES: tuple[Outcome, ...] = ("captured", "duplicate", "rejected")


def readable(name: str) -> str:
    r"""A file name as text PostgreSQL keeps: UTF-8 as it is, any other byte as ``\xNN``.

    ``name`` is as Python has it from the file system (bytes that are not UTF-8 come as
    surrogate escapes).  Lossy only for such names, whose bytes ``own_bytes`` keeps.
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def own_bytes(name: str) -> bytes | None:
    """The bytes of a file name that is not UTF-8 (``None`` when ``readable`` is the name)."""
    raw = os.fsencode(name)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    return None


_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # controls, format, line breaks


def printable(raw: bytes) -> str:
    r"""``raw`` as one line that cannot pass for anything else on a terminal.

    Control and format characters (newlines, escapes, direction overrides) and bytes that are
    not UTF-8 are shown as ``\xNN`` or ``\uNNNN``, and a backslash as two, so that what is
    shown is the name and nothing but the name.
    """
    text = raw.decode("utf-8", "surrogateescape")
    out: list[str] = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char == "\\":
            out.append("\\\\")
        elif unicodedata.category(char) in _UNPRINTABLE:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class FileSeen:
    """One file in a drop folder as the watcher saw it, before the decision.

    ``folder`` and ``name`` are as Python has them from the file system (see ``readable``).
    A sub-folder has no size nor mtime: one row stands for it however often it is seen.
    ``device`` and ``inode`` tell a refused file from another one of the same name, size
    and mtime (``None``: not recorded, as for a sub-folder).
    """

    folder: str
    name: str
    size_bytes: int | None
    mtime_ns: int | None
    first_seen: datetime
    office: str | None = None
    scanner: str | None = None
    device: int | None = None
    inode: int | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger row; ``folder``, ``name`` and ``kept_as`` in their readable form."""

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
    name_bytes: bytes | None = None  # the name's own bytes, when ``name`` is not the name
    kept_as: str | None = None  # where a refused file was moved, relative to its folder
    kept_as_bytes: bytes | None = None

    def file_bytes(self) -> bytes:
        """The path of the file when it was seen, as the bytes the file system has."""
        name = self.name_bytes if self.name_bytes is not None else self.name.encode()
        return self.folder.encode().rstrip(b"/") + b"/" + name

    def kept_path(self) -> str | None:
        """Where a refused file was moved, relative to its folder, as Python opens it."""
        if self.kept_as_bytes is not None:
            return os.fsdecode(self.kept_as_bytes)
        return self.kept_as


_COLUMNS = (
    "id, folder, name, size_bytes, mtime_ns, sha256, office, scanner, first_seen, decided_at,"
    " outcome, capture_id::text, reason, name_bytes, kept_as, kept_as_bytes"
)
# The same file: folder, name (as bytes when they are not the text), size and mtime.
_SAME_FILE = (
    "folder = %s AND name = %s AND name_bytes IS NOT DISTINCT FROM %s::bytea"
    " AND size_bytes IS NOT DISTINCT FROM %s::bigint AND mtime_ns IS NOT DISTINCT FROM %s::bigint"
)


# A refusal of the same file: that, and the same inode (the folder fixes the file system).
_SAME_REFUSAL = f"outcome = 'rejected' AND {_SAME_FILE} AND inode IS NOT DISTINCT FROM %s::numeric"


def _same_file(seen: FileSeen) -> tuple[object, ...]:
    name = seen.name
    return (readable(seen.folder), readable(name), own_bytes(name), seen.size_bytes, seen.mtime_ns)


def _same_refusal(seen: FileSeen) -> tuple[object, ...]:
    return (*_same_file(seen), seen.inode)


def add_entry(
    conn: psycopg.Connection,
    seen: FileSeen,
    outcome: Outcome,
    *,
    sha256: str | None = None,
    capture_id: str | None = None,
    reason: str | None = None,
    kept_as: str | None = None,
) -> int | None:
    """Write one decision inside the caller's transaction; ``None`` if it was written before.

    ``kept_as`` is where a refused file now is, relative to its folder, as Python has it.
    """
    row = conn.execute(
        "INSERT INTO ledger (folder, name, name_bytes, size_bytes, mtime_ns, device, inode,"
        " sha256, office, scanner, first_seen, outcome, capture_id, reason, kept_as,"
        " kept_as_bytes) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
        " ON CONFLICT DO NOTHING RETURNING id",
        (
            readable(seen.folder),
            readable(seen.name),
            own_bytes(seen.name),
            seen.size_bytes,
            seen.mtime_ns,
            seen.device,
            seen.inode,
            sha256,
            seen.office,
            seen.scanner,
            seen.first_seen,
            outcome,
            capture_id,
            reason,
            None if kept_as is None else readable(kept_as),
            None if kept_as is None else own_bytes(kept_as),
        ),
    ).fetchone()
    return int(row[0]) if row else None


def record_rejection(
    db: Database, seen: FileSeen, reason: str, *, kept_as: str | None = None
) -> int:
    """Write that the file was refused with ``reason``; returns its row id (old or new).

    ``kept_as``: where the file is now, relative to its folder (``None``: where it was).
    """
    with db.transaction() as conn:
        added = add_entry(conn, seen, "rejected", reason=reason, kept_as=kept_as)
        if added is not None:
            return added
        row = conn.execute(
            f"SELECT id FROM ledger WHERE {_SAME_REFUSAL}", _same_refusal(seen)
        ).fetchone()
    assert row is not None
    return int(row[0])


def rejection_of(db: Database, seen: FileSeen) -> LedgerEntry | None:
    """The row of this very file's refusal, if one was written (a crash came before its move).

    This very file: the same folder, name, size and mtime, and the same inode.
    """
    with db.transaction() as conn, conn.cursor(row_factory=class_row(LedgerEntry)) as cur:
        cur.execute(f"SELECT {_COLUMNS} FROM ledger WHERE {_SAME_REFUSAL}", _same_refusal(seen))
        return cur.fetchone()


def rejection_without_inode(db: Database, seen: FileSeen) -> LedgerEntry | None:
    """A refusal of a file of this folder, name, size and mtime written without its inode.

    Rows written before migration 0007 kept no inode: such a row may be this file's (a crash
    came before its move) or an earlier file's, which the caller tells by where the row says
    its file went.
    """
    with db.transaction() as conn, conn.cursor(row_factory=class_row(LedgerEntry)) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM ledger WHERE outcome = 'rejected' AND {_SAME_FILE}"
            " AND inode IS NULL ORDER BY id LIMIT 1",
            _same_file(seen),
        )
        return cur.fetchone()


def decided(db: Database, seen: FileSeen, sha256: str) -> LedgerEntry | None:
    """The capture or duplicate row of this very file (same folder, name, size, mtime, bytes).

    Found when a crash came between the decision and the file's removal.
    """
    with db.transaction() as conn, conn.cursor(row_factory=class_row(LedgerEntry)) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM ledger WHERE {_SAME_FILE} AND sha256 = %s"
            " AND outcome IN ('captured', 'duplicate') ORDER BY id LIMIT 1",
            (*_same_file(seen), sha256),
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
