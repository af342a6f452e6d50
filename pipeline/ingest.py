"""Ingest one stable file: hash, store the original, commit the row, enqueue, then remove.

The order is the safety: until the original is in the store and its capture row and ledger
row are committed (one transaction), the file stays in its folder.  A crash after the commit
leaves a ``received`` capture that the workers re-enqueue at start, and the file, which the
next ingest finds in the ledger as the same drop and resumes.  A refused file is given a
free name in ``rejected/`` (a hard link, which never replaces another file), then its ledger
row says why and under which name, and only then does the file leave the folder; a re-run
finds the row, finishes the move and writes no second row.  The row keeps the file's inode,
by which the re-run finds it: another file of the same name, size and mtime (dropped again
after the first was refused, or on a share with coarse timestamps) has another inode and a
row of its own.  A sub-folder gets its row and stays where it is.  Names that are too long
for a suffix are shortened to fit NAME_MAX.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import Literal

from config.errors import AlreadyRegistered
from pipeline.model import ReasonCode
from pipeline.stages.rasterise import sniff
from pipeline.watch import PROCESSED, REJECTED, Found, NotYet
from storage.captures import (
    NewCapture,
    capture_by_sha,
    get_capture,
    insert_capture,
    record_duplicate,
    record_event,
)
from storage.db import Database
from storage.ledger import (
    FileSeen,
    LedgerEntry,
    decided,
    record_rejection,
    rejection_of,
    rejection_without_inode,
)
from storage.objects import ObjectStore, file_sha256

log = logging.getLogger(__name__)


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
        if (after_upload.st_size, after_upload.st_mtime_ns) != (stat.st_size, stat.st_mtime_ns):
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
                    source_mtime_ns=stat.st_mtime_ns,
                    size_bytes=stat.st_size,
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
        log.info("captured %s (%d bytes)", capture_id, stat.st_size)
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
    """Move ``path`` into ``rejected/`` and record why and where; returns where it is.

    The ledger row is written once the file has its free name in ``rejected/`` and before
    it loses the old one, so it says what happened, and a crash in between leaves the file
    in the folder for a re-run that finishes the move.  Where the file system makes no hard
    links the free name is recorded first and then taken by a rename.  The re-run knows the
    row by the file's inode as well as its name, size and mtime, so another file that
    shares those gets a row of its own.  A sub-folder is recorded (``SUBFOLDER``) and left
    as it is.  The file is never opened nor followed: a symbolic link is moved as the link
    itself.
    """
    info = path.lstat()
    if S_ISDIR(info.st_mode):
        return _note_subfolder(path, folder, db, office, scanner, first_seen)
    if reason == ReasonCode.SUBFOLDER:
        raise NotYet  # a folder when it was listed, a file now: the watcher will judge it
    seen = replace(
        _seen(path, info, folder, office, scanner, first_seen),
        device=info.st_dev,
        inode=info.st_ino,
    )
    entry = rejection_of(db, seen) or _before_inodes(
        rejection_without_inode(db, seen), folder, info
    )
    if entry is None:
        target, linked = _reserve(path, folder / REJECTED)
        reserved = str(target.relative_to(folder))
        try:
            record_rejection(db, seen, reason, kept_as=reserved)
            entry = rejection_of(db, seen)
        except Exception:
            if linked:
                with contextlib.suppress(OSError):
                    target.unlink()
            raise
        assert entry is not None
        if linked and entry.kept_path() != reserved:  # another watcher decided it first
            target.unlink()
    kept_as = entry.kept_path()
    if kept_as is not None and _complete(path, folder / kept_as):
        kept = folder / kept_as
    else:  # a row from before rows said where, or another file took that name since
        kept = _move_into(path, folder / REJECTED)
        if kept_as is not None:
            log.warning("a refused file is kept under another name than row %d says", entry.id)
    log.info("refused a file (%s): ledger row %d, kept in %s/", reason, entry.id, REJECTED)
    return kept


def _before_inodes(
    entry: LedgerEntry | None, folder: Path, here: os.stat_result
) -> LedgerEntry | None:
    """``entry``, a refusal recorded without an inode, if it may be the file ``here``.

    It is an earlier file's when another file has the name it gives in ``rejected/``: had a
    crash come before this file's move, the name would be this file's too, or free.  A row
    from before rows said where cannot tell, and is taken as this file's.
    """
    kept_as = None if entry is None else entry.kept_path()
    if kept_as is None:
        return entry
    kept = folder / kept_as
    return entry if _same(kept, here) or not os.path.lexists(kept) else None


def _note_subfolder(
    path: Path,
    folder: Path,
    db: Database,
    office: str | None,
    scanner: str | None,
    first_seen: datetime | None,
) -> Path:
    """Record that a sub-folder is not watched; it and what it holds stay where they are."""
    seen = FileSeen(
        folder=str(folder),
        name=path.name,
        size_bytes=None,
        mtime_ns=None,
        first_seen=first_seen or datetime.now(UTC),
        office=office,
        scanner=scanner,
    )
    entry = record_rejection(db, seen, ReasonCode.SUBFOLDER)
    log.warning(
        "drop folder %s has a sub-folder, which is not watched: what it holds stays there"
        " (ledger row %d)",
        folder,
        entry,
    )
    return path


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
    """Move ``path`` into ``target_dir`` under a free name, never replacing a file there."""
    while True:  # again only when another process took the free name first
        target, _ = _reserve(path, target_dir)
        if _complete(path, target):
            return target


_Claim = Literal["linked", "taken", "free"]
# What link(2) says when the file system (or fs.protected_hardlinks) makes no hard link
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV, errno.ENOSYS}
)
_LONGEST_EXTENSION = 16  # bytes; a longer "extension" is part of the name


def _reserve(path: Path, target_dir: Path) -> tuple[Path, bool]:
    """The first free name for ``path`` in ``target_dir``; True when ``path`` has it already.

    A hard link takes the name at once, so two watchers never pick the same one; where the
    file system makes no hard links, the name is only free, for ``_complete`` to take.
    """
    target_dir.mkdir(exist_ok=True)
    here = path.lstat()
    for name in _free_names(path.name, _name_max(target_dir)):
        target = target_dir / name
        claim = _claim(path, target, here)
        if claim != "taken":
            return target, claim == "linked"
    raise AssertionError("unreachable: there is always another name")  # pragma: no cover


def _complete(path: Path, target: Path) -> bool:
    """Finish moving ``path`` to ``target``; False when another file has that name."""
    target.parent.mkdir(exist_ok=True)
    claim = _claim(path, target, path.lstat())
    if claim == "taken":
        return False
    if claim == "linked":
        path.unlink()
    else:
        path.rename(target)  # no hard links: free a moment ago, and nobody else moves here
    return True


def _claim(path: Path, target: Path, here: os.stat_result) -> _Claim:
    """Give ``path`` the name ``target`` as well, by a hard link, which never replaces a file.

    ``linked``: ``target`` is ``path`` now (or was already, from a try before a crash);
    ``taken``: another file has that name; ``free``: no file has it, but this file system
    makes no hard links (or not of this file, e.g. under ``fs.protected_hardlinks``).
    """
    try:
        os.link(path, target, follow_symlinks=False)
    except FileExistsError:
        return "linked" if _same(target, here) else "taken"
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise  # e.g. rejected/ may not be written to: nothing happened, nothing is recorded
        return "taken" if os.path.lexists(target) else "free"
    return "linked"


def _same(path: Path, info: os.stat_result) -> bool:
    """Whether ``path`` is the file ``info`` describes (one inode under two names)."""
    try:
        return os.path.samestat(path.lstat(), info)
    except FileNotFoundError:
        return False


def _free_names(name: str, name_max: int) -> Iterator[str]:
    """``name``, then ``stem.1.ext``, ``stem.2.ext`` …, the stem cut short to fit ``name_max``.

    Lengths are counted in the bytes the file system stores, and a UTF-8 character is never
    cut in two.
    """
    raw = os.fsencode(name)
    if len(raw) <= name_max:
        yield name
    dot = raw.rfind(b".")
    stem, extension = (raw[:dot], raw[dot:]) if dot > 0 else (raw, b"")
    if len(extension) > _LONGEST_EXTENSION:
        stem, extension = raw, b""
    for counter in itertools.count(1):
        tag = b".%d" % counter
        keep = _cut(stem, name_max - len(tag) - len(extension))
        yield os.fsdecode(stem[:keep] + tag + extension)


def _cut(raw: bytes, limit: int) -> int:
    """How many bytes of ``raw`` to keep for at most ``limit``, ending on a character."""
    if len(raw) <= limit:
        return len(raw)
    cut = max(limit, 0)
    for _ in range(3):  # a UTF-8 character has at most three continuation bytes
        if cut == 0 or raw[cut] & 0xC0 != 0x80:
            break
        cut -= 1
    return cut


def _name_max(directory: Path) -> int:
    """The longest name, in bytes, that the file system of ``directory`` takes."""
    try:
        longest = os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255
    return longest if longest > 0 else 255
