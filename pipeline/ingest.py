"""Ingest one stable file: hash, store the original, commit the row, enqueue, then remove.

The order is the safety: until the original is in the store and its row is committed, the
file stays in its folder; a crash after the commit leaves a ``received`` capture that the
workers re-enqueue at start, and the file, which the next ingest recognises as the same drop.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Literal

from config.errors import AlreadyRegistered
from pipeline.stages.rasterise import sniff
from storage.captures import Capture, NewCapture, capture_by_sha, insert_capture, record_event
from storage.db import Database
from storage.objects import ObjectStore, file_sha256

log = logging.getLogger(__name__)


class Ingested(StrEnum):
    """What became of a taken file."""

    CAPTURED = "captured"
    DUPLICATE = "duplicate"
    RESUMED = "resumed"


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
) -> Ingested:
    """Take ``path`` from ``folder`` into the pipeline; ``Transient`` when a service is down."""
    stat = path.stat()
    sha256 = file_sha256(str(path))
    existing = capture_by_sha(db, sha256)
    if existing is None:
        capture_id = str(uuid.uuid4())
        with path.open("rb") as handle:
            media_type = sniff(handle.read(1024)) or "application/octet-stream"
        store.put_file(original_key(sha256), str(path), sha256=sha256, content_type=media_type)
        try:
            insert_capture(
                db,
                NewCapture(
                    id=capture_id,
                    sha256=sha256,
                    drop_folder=str(folder),
                    original_name=path.name,
                    source_path=str(path),
                    source_mtime_ns=stat.st_mtime_ns,
                    size_bytes=stat.st_size,
                    original_key=original_key(sha256),
                ),
            )
        except AlreadyRegistered:
            existing = capture_by_sha(db, sha256)  # another watcher won the race
        else:
            enqueue(capture_id)
            _leave(path, folder, after)
            log.info("captured %s (%d bytes)", capture_id, stat.st_size)
            return Ingested.CAPTURED
    assert existing is not None
    if _same_drop(existing, path, stat.st_mtime_ns, stat.st_size):
        if existing.status in ("received", "processing"):
            enqueue(existing.id)
        record_event(db, existing.id, "resumed_ingest")
        _leave(path, folder, after)
        log.info("resumed ingest of %s", existing.id)
        return Ingested.RESUMED
    record_event(db, existing.id, "duplicate", folder=str(folder), original_name=path.name)
    _leave(path, folder, after)
    log.info("duplicate of %s removed from the drop folder", existing.id)
    return Ingested.DUPLICATE


def _same_drop(capture: Capture, path: Path, mtime_ns: int, size: int) -> bool:
    """Whether ``path`` is the very file this capture was made from (a crash before removal)."""
    return (
        capture.source_path == str(path)
        and capture.source_mtime_ns == mtime_ns
        and capture.size_bytes == size
    )


def _leave(path: Path, folder: Path, after: Literal["delete", "move"]) -> None:
    """Remove the taken file from the drop folder, or move it to ``processed/``."""
    if after == "delete":
        path.unlink(missing_ok=True)
        return
    target_dir = folder / "processed"
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    counter = 1
    while target.exists():
        target = target_dir / f"{path.stem}.{counter}{path.suffix}"
        counter += 1
    path.replace(target)
