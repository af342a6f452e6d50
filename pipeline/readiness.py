"""Whether a file that held still may be taken, refused, or waited for.

It may be taken when it is a regular file within the size limit that opens and parses as
far as its kind can be checked cheaply (a PDF ends with ``%%EOF``, a JPEG with its end
marker, a PNG with ``IEND``, a TIFF's strips lie inside the file).  A scanner writing
slowly over a share can leave a file still for longer than the settle time before it is
whole; this is what tells.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO, Literal

from pipeline.model import ReasonCode
from pipeline.stages.rasterise import sniff


@dataclass(frozen=True)
class Verdict:
    """What to do now with a file that held still for its settle time."""

    action: Literal["take", "refuse", "wait", "forget"]
    reason: ReasonCode | None = None
    parsed: bool = True  # False: taken after the maximum wait without parsing


class Readiness(Enum):
    """Whether a file can be read whole."""

    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    DENIED = "denied"


def judge(path: Path, *, waited: float, max_bytes: int, max_wait: float) -> Verdict:
    """Decide about a still file first seen ``waited`` seconds ago; never follows a link."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return Verdict("forget")
    except OSError:
        return Verdict("wait")
    if stat.S_ISDIR(info.st_mode):
        return Verdict("forget")
    if stat.S_ISLNK(info.st_mode):
        return Verdict("refuse", ReasonCode.SYMLINK)
    if not stat.S_ISREG(info.st_mode):
        return Verdict("refuse", ReasonCode.NOT_A_REGULAR_FILE)
    if info.st_size > max_bytes:
        return Verdict("refuse", ReasonCode.FILE_TOO_LARGE)
    ready = readiness(path, info.st_size)
    if ready is Readiness.COMPLETE:
        return Verdict("take")
    if waited < max_wait:
        return Verdict("wait")
    if ready is Readiness.DENIED:
        return Verdict("refuse", ReasonCode.PERMISSION_DENIED)
    return Verdict("take", parsed=False)


def readiness(path: Path, size: int) -> Readiness:
    """Whether the file opens, and parses as far as its kind can be checked cheaply."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except PermissionError:
        return Readiness.DENIED
    except OSError:
        return Readiness.INCOMPLETE
    try:
        with os.fdopen(fd, "rb") as handle:
            return Readiness.COMPLETE if _parses(handle, size) else Readiness.INCOMPLETE
    except OSError:
        return Readiness.INCOMPLETE


_TAIL = 4096


def _parses(handle: BinaryIO, size: int) -> bool:
    """Whether the file ends the way its format ends; unknown formats are left to the worker."""
    if size == 0:
        return False
    head = handle.read(1024)
    handle.seek(max(0, size - _TAIL))
    tail = handle.read(_TAIL)
    kind = sniff(head)
    if kind == "application/pdf":
        return b"%%EOF" in tail
    if kind == "image/jpeg":
        return b"\xff\xd9" in tail
    if kind == "image/png":
        return b"IEND\xaeB`\x82" in tail
    if kind == "image/tiff":
        return _tiff_whole(handle, size, head)
    return True


_TIFF_DATA = ((273, 279), (324, 325))  # strip offsets and byte counts; tile offsets and counts
_TIFF_WIDTH = {3: 2, 4: 4}  # SHORT, LONG
_TIFF_MAX_PAGES = 10_000


def _tiff_whole(handle: BinaryIO, size: int, head: bytes) -> bool:
    """Whether every directory and every strip or tile of the TIFF lies inside the file."""
    order = "<" if head.startswith(b"II") else ">"
    if len(head) < 8 or struct.unpack(f"{order}H", head[2:4])[0] != 42:
        return True  # BigTIFF: nothing cheap to check
    (offset,) = struct.unpack(f"{order}I", head[4:8])
    seen: set[int] = set()
    while offset:
        if offset in seen or len(seen) >= _TIFF_MAX_PAGES:
            return False
        seen.add(offset)
        handle.seek(offset)
        raw = handle.read(2)
        if len(raw) < 2:
            return False
        (count,) = struct.unpack(f"{order}H", raw)
        body = handle.read(12 * count + 4)
        if len(body) < 12 * count + 4:
            return False
        tags = {}
        for i in range(count):
            tag, kind, n = struct.unpack(f"{order}HHI", body[12 * i : 12 * i + 8])
            tags[tag] = (kind, n, body[12 * i + 8 : 12 * i + 12])
        for starts_tag, lengths_tag in _TIFF_DATA:
            if starts_tag in tags and lengths_tag in tags:
                starts = _tiff_values(handle, order, *tags[starts_tag])
                lengths = _tiff_values(handle, order, *tags[lengths_tag])
                if starts is None or lengths is None:
                    return False
                if any(s + n > size for s, n in zip(starts, lengths, strict=False)):
                    return False
        (offset,) = struct.unpack(f"{order}I", body[-4:])
    return True


def _tiff_values(handle: BinaryIO, order: str, kind: int, n: int, field: bytes) -> list[int] | None:
    """The integers of one TIFF field, inline or at the offset it holds."""
    width = _TIFF_WIDTH.get(kind)
    if width is None or n > 1_000_000:
        return None
    if width * n <= 4:
        data = field[: width * n]
    else:
        (where,) = struct.unpack(f"{order}I", field)
        handle.seek(where)
        data = handle.read(width * n)
        if len(data) < width * n:
            return None
    return list(struct.unpack(f"{order}{n}{'H' if width == 2 else 'I'}", data))
