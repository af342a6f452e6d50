"""Ingest one stable file: hash, store the original, commit the row, enqueue, then remove.

The order is the safety: until the original is in the store and its capture row and ledger
row are committed (one transaction), the file stays in its folder.  A crash after the commit
leaves a ``received`` capture that the workers re-enqueue at start, and the file, which the
next ingest finds in the ledger as the same drop and resumes.  A refused file gets its
ledger row first and is then moved into ``rejected/``; a re-run writes no second row.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from stat import S_ISREG
from typing import Literal

from config.errors import AlreadyRegistered
from pipeline.stages.rasterise import sniff
from pipeline.watch import Found, NotYet
from storage.captures import (
    NewCapture,
    capture_by_sha,
    get_capture,
    insert_capture,
    record_duplicate,
    record_event,
)
from storage.db import Database
from storage.ledger import FileSeen, decided, record_rejection
from storage.objects import ObjectStore, file_sha256

log = logging.getLogger(__name__)

REJECTED = "rejected"
PROCESSED = "processed"


class Ingested(StrEnum):
    """What became of a taken file."""

    CAPTURED = "captured"
    DUPLICATE = "duplicate"
    RESUMED = "resumed"
    REJECTED = "rejected"


def original_key(sha256: str) -> str:
    """Object key of an original: by content, so the same bytes are stored once."""
    return f"originals/{sha256[:2]}/{sha256}"


def ingest_file(
    path: Path,
    *,
    folder: Path,
    db: Database,
    store: ObjectStore,
    enqueue: Callable[[str], None],
    after: Literal["delete", "move"],
    office: str | None = None,
    scanner: str | None = None,
    first_seen: datetime | None = None,
) -> Ingested:
    """Take ``path`` from ``folder`` into the pipeline; ``Transient`` when a service is down.

    ``office`` and ``scanner`` are the origin its drop folder is mapped to; ``first_seen``
    is when the watcher first saw the file (now, when not given).
    """
    stat = path.lstat()
    if not S_ISREG(stat.st_mode):
        raise NotYet  # swapped for a link or something else since the watcher judged it
    seen = _seen(path, stat, folder, office, scanner, first_seen)
    sha256 = file_sha256(str(path))
    for _ in range(2):  # a second pass only when another watcher registered the bytes first
        earlier = decided(db, seen, sha256)
        if earlier is not None and earlier.capture_id is not None:
            return _resume(path, folder, after, db, enqueue, earlier.outcome, earlier.capture_id)
        existing = capture_by_sha(db, sha256)
        if existing is not None:
            record_duplicate(db, existing.id, seen, sha256)
            _leave(path, folder, after)
            log.info("duplicate of %s removed from the drop folder", existing.id)
            return Ingested.DUPLICATE
        capture_id = str(uuid.uuid4())
        with path.open("rb") as handle:
            media_type = sniff(handle.read(1024)) or "application/octet-stream"
        store.put_file(original_key(sha256), str(path), sha256=sha256, content_type=media_type)
        after_upload = path.stat()
        if (after_upload.st_size, after_upload.st_mtime_ns) != (seen.size_bytes, seen.mtime_ns):
            raise NotYet  # written to while it was read: register nothing, wait for it
        try:
            insert_capture(
                db,
                NewCapture(
                    id=capture_id,
                    sha256=sha256,
                    drop_folder=seen.folder,
                    original_name=seen.name,
                    source_path=str(path),
                    source_mtime_ns=seen.mtime_ns,
                    size_bytes=seen.size_bytes,
                    original_key=original_key(sha256),
                    office=office,
                    scanner=scanner,
                    first_seen=seen.first_seen,
                ),
            )
        except AlreadyRegistered:
            continue
        enqueue(capture_id)
        _leave(path, folder, after)
        log.info("captured %s (%d bytes)", capture_id, seen.size_bytes)
        return Ingested.CAPTURED
    raise AlreadyRegistered(sha256)  # pragma: no cover - the second pass always decides


def _resume(
    path: Path,
    folder: Path,
    after: Literal["delete", "move"],
    db: Database,
    enqueue: Callable[[str], None],
    outcome: str,
    capture_id: str,
) -> Ingested:
    """Finish a file decided before a crash: queue its capture again if unfinished, remove it."""
    if outcome == "duplicate":
        _leave(path, folder, after)
        log.info("duplicate of %s removed from the drop folder (after a restart)", capture_id)
        return Ingested.DUPLICATE
    capture = get_capture(db, capture_id)
    if capture is not None and capture.status in ("received", "processing"):
        enqueue(capture_id)
    record_event(db, capture_id, "resumed_ingest")
    _leave(path, folder, after)
    log.info("resumed ingest of %s", capture_id)
    return Ingested.RESUMED


def _seen(
    path: Path,
    stat: os.stat_result,
    folder: Path,
    office: str | None,
    scanner: str | None,
    first_seen: datetime | None,
) -> FileSeen:
    """The ledger's view of a file in a drop folder: where, how big, when, from whom."""
    return FileSeen(
        folder=str(folder),
        name=path.name,
        size_bytes=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        first_seen=first_seen or datetime.now(UTC),
        office=office,
        scanner=scanner,
    )


def reject_file(
    path: Path,
    *,
    folder: Path,
    db: Database,
    reason: str,
    office: str | None = None,
    scanner: str | None = None,
    first_seen: datetime | None = None,
) -> Path:
    """Record why ``path`` is refused, then move it into ``rejected/``; returns where it is.

    The file is never opened nor followed: a symbolic link is moved as the link itself.
    """
    seen = _seen(path, path.lstat(), folder, office, scanner, first_seen)
    entry = record_rejection(db, seen, reason)
    kept = _move_into(path, folder / REJECTED)
    log.info("refused a file (%s): ledger row %d, kept in %s/", reason, entry, REJECTED)
    return kept


def take_found(
    found: Found,
    *,
    db: Database,
    store: ObjectStore,
    enqueue: Callable[[str], None],
    after: Literal["delete", "move"],
) -> Ingested:
    """Ingest a file the watcher found, recording its folder's office and scanner."""
    return ingest_file(
        found.path,
        folder=found.drop.path,
        db=db,
        store=store,
        enqueue=enqueue,
        after=after,
        office=found.drop.office,
        scanner=found.drop.scanner,
        first_seen=found.first_seen,
    )


def refuse_found(found: Found, reason: str, *, db: Database) -> Path:
    """Refuse a file the watcher found, with ``reason``, into its folder's ``rejected/``."""
    return reject_file(
        found.path,
        folder=found.drop.path,
        db=db,
        reason=reason,
        office=found.drop.office,
        scanner=found.drop.scanner,
        first_seen=found.first_seen,
    )


def _leave(path: Path, folder: Path, after: Literal["delete", "move"]) -> None:
    """Remove the taken file from the drop folder, or move it to ``processed/``."""
    if after == "delete":
        path.unlink(missing_ok=True)
        return
    _move_into(path, folder / PROCESSED)


def _move_into(path: Path, target_dir: Path) -> Path:
    """Move ``path`` into ``target_dir`` under its name, or a numbered one if that is taken."""
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    counter = 1
    while target.exists() or target.is_symlink():
        target = target_dir / f"{path.stem}.{counter}{path.suffix}"
        counter += 1
    path.replace(target)
    return target
