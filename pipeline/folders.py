"""Folders that root reads and writes in while another account owns them, without links.

When root starts intake, the home folder belongs to the service account, and code running as
that account could plant a link, or swap a folder for a link, between a check and a write.
A :class:`Folder` is an open file descriptor: each folder below it is opened relative to it
with ``O_NOFOLLOW``, and files are made, read, renamed and removed relative to it, so no
later change of the paths can steer root to a file elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any, Self

from config.errors import Misconfigured
from pipeline.accounts import Account, hand_over_fd

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class Folder:
    """An open folder; ``path`` names it for messages and for the servers given it."""

    def __init__(self, fd: int, path: Path, owner: Account | None) -> None:
        self.fd, self.path, self.owner = fd, path, owner

    @classmethod
    def open(cls, path: Path, owner: Account | None) -> Self:
        """Open ``path`` (a real folder, its last part no link), owned by ``owner`` if given."""
        try:
            fd = os.open(path, _DIR)
        except OSError as error:
            raise Misconfigured(f"{path} cannot be opened as a folder: {error.strerror}") from None
        folder = cls(fd, path, owner)
        folder._check_owner()
        return folder

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the descriptor; safe to call twice."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def sub(self, name: str, *, mode: int = 0o700, adopt: bool = False) -> Folder:
        """The folder ``name`` in this one: made (the owner's, ``mode``) when missing.

        ``adopt`` gives a folder of another user's (an earlier version's account) and all in
        it to the owner; otherwise it is refused.
        """
        _plain(name)
        try:
            os.mkdir(name, mode, dir_fd=self.fd)
            made = True
        except FileExistsError:
            made = False
        try:
            fd = os.open(name, _DIR, dir_fd=self.fd)
        except OSError as error:
            raise Misconfigured(
                f"{self.path / name} must be a folder, not a link or a file"
            ) from error
        folder = Folder(fd, self.path / name, self.owner)
        if self.owner is not None:
            uid = os.fstat(fd).st_uid
            if made:
                os.fchown(fd, self.owner.uid, self.owner.gid)
                os.fchmod(fd, mode)
            elif adopt and uid not in (self.owner.uid, 0):
                hand_over_fd(fd, self.owner)
        folder._check_owner()
        return folder

    def exists(self, name: str) -> bool:
        """Whether ``name`` is in this folder (a link counts, and is not followed)."""
        try:
            os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True

    def read(self, name: str) -> bytes | None:
        """The bytes of the regular file ``name``, or None when it is missing."""
        _plain(name)
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise Misconfigured(f"{self.path / name} cannot be read: {error.strerror}") from None
        with os.fdopen(fd, "rb") as kept:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise Misconfigured(f"{self.path / name} is not a regular file")
            return kept.read()

    def read_json(self, name: str) -> dict[str, Any]:
        """The JSON object in ``name``; ``{}`` when the file is missing or not an object."""
        data = self.read(name)
        if data is None:
            return {}
        try:
            found = json.loads(data)
        except ValueError as error:
            raise Misconfigured(f"{self.path / name} is not valid JSON: {error}") from error
        return found if isinstance(found, dict) else {}

    def write_private(self, name: str, data: dict[str, Any] | str, *, shared: bool = False) -> None:
        """Replace ``name`` whole with a file only its owner reads (0600).

        Made new (never opened through a link) and renamed over the old name.  ``shared``
        gives it to the folder's owner (the account, for a file its servers read); else it
        is ours (root's, when root writes: the account cannot read it).
        """
        _plain(name)
        partial = f".{name}.partial"
        self.unlink(partial)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(partial, flags, 0o600, dir_fd=self.fd)
        with os.fdopen(fd, "w") as out:
            if shared and self.owner is not None:
                os.fchown(fd, self.owner.uid, self.owner.gid)
            out.write(data if isinstance(data, str) else json.dumps(data, indent=2) + "\n")
        os.replace(partial, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def append(self, name: str) -> int:
        """A descriptor to append to ``name`` (made 0600 when missing), never through a link."""
        _plain(name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
        return os.open(name, flags, 0o600, dir_fd=self.fd)

    def unlink(self, name: str) -> None:
        """Remove ``name`` if it is there (a link itself, never what it points to)."""
        _plain(name)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name, dir_fd=self.fd)

    def _check_owner(self) -> None:
        """Refuse a folder that is neither the owner's nor root's (someone else's)."""
        if self.owner is None:
            return
        uid = os.fstat(self.fd).st_uid
        if uid not in (self.owner.uid, 0):
            self.close()
            raise Misconfigured(f"{self.path} belongs to another user (uid {uid})")


def _plain(name: str) -> None:
    """A name within the folder: no separators, not ``.`` or ``..``."""
    if not name or "/" in name or name in (".", ".."):
        raise ValueError(f"not a plain name: {name!r}")
