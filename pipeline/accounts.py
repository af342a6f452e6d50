"""The unprivileged account intake runs as when root starts it, and the drop to it.

Started by root, every process of intake (the embedded servers, the watcher, the workers and
the API) runs as one system account, ``intake`` by default (``INTAKE_RUN_AS``), created on
first use; its home folder (``$INTAKE_HOME``) belongs to that account and is mode 0700.
The servers are started straight as the account.  The application's own processes start as
root, because the interpreter and the project may lie in folders only root can enter (a
clone under ``/root``), import everything they will need, and then give up root for good
(:func:`drop_to`): no hostile PDF is ever parsed as root.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import importlib.abc
import importlib.machinery
import logging
import os
import pkgutil
import pwd
import stat
import subprocess
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from config.errors import Misconfigured

log = logging.getLogger(__name__)
DEFAULT_ACCOUNT = "intake"
PRIVATE_UMASK = 0o077  # what the account writes, only the account reads
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_PR_SET_NO_NEW_PRIVS = 38


@dataclass(frozen=True)
class Account:
    """A system account: its name, user id and group id."""

    name: str
    uid: int
    gid: int

    def popen(self) -> dict[str, Any]:
        """``subprocess.Popen`` arguments that start a child as this account."""
        return {"user": self.uid, "group": self.gid, "extra_groups": [], "umask": PRIVATE_UMASK}


def running_as_root() -> bool:
    """Whether this process has root's powers (and so must hand them over)."""
    return os.geteuid() == 0


def service_account(name: str = DEFAULT_ACCOUNT) -> Account | None:
    """The account to run as: ``None`` when not root (we run as who started us).

    Created as a system account (no login, no home folder, a group of its own) when it
    does not exist yet.
    """
    if not running_as_root():
        return None
    if name in ("", "root") or name.isdigit():
        raise Misconfigured(f"INTAKE_RUN_AS must name an unprivileged account, not {name!r}")
    argv = ["useradd", "--system", "--user-group", "--no-create-home",
            "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name]  # fmt: skip
    done: subprocess.CompletedProcess[str] | None = None
    for attempt in range(2):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            if entry.pw_uid == 0 or entry.pw_gid == 0:
                raise Misconfigured(f"the account {name} has root's user or group id")
            return Account(name, entry.pw_uid, entry.pw_gid)
        if attempt == 0:  # a failure is fine if another process created it meanwhile
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
    why = done.stderr.strip() if done else ""
    raise Misconfigured(f"cannot create the account {name}: {why}")


def can_enter(account: Account, folder: Path) -> bool:
    """Whether ``account`` (with only its own group) may search ``folder``."""
    info = folder.stat()
    if info.st_uid == account.uid:
        return bool(info.st_mode & stat.S_IXUSR)
    if info.st_gid == account.gid:
        return bool(info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IXOTH)


def blocked_at(account: Account, path: Path) -> Path | None:
    """The first existing folder on the way to ``path`` that ``account`` cannot pass."""
    path = path.absolute()
    for folder in [*reversed(path.parents), path]:
        if not folder.exists():
            return None  # what is missing, we create open to search (0755)
        if folder.is_dir() and not can_enter(account, folder):
            return folder
    return None


def claim_home(home: Path, account: Account | None) -> Path:
    """Make ``home`` a real folder of the account's, mode 0700; returns its absolute path.

    Missing parents are created open to search (0755), as ``mkdir -p`` does; no existing
    folder outside ``home`` changes mode.  The way is opened folder by folder from ``/``
    without following links (the parents' own links are resolved first), so a link put in
    the way meanwhile is refused, not followed.  ``Misconfigured`` when the account could not
    reach ``home`` (a parent only root may enter: choose another ``INTAKE_HOME``) or when
    ``home`` is a symbolic link or not a folder.
    """
    home = home.absolute()
    home = Path(os.path.realpath(home.parent)) / home.name
    if account is not None and (wall := blocked_at(account, home)) is not None:
        raise Misconfigured(
            f"the account {account.name} cannot reach {home}: {wall} is closed to other"
            " users. Choose an INTAKE_HOME below folders it may enter (e.g. /var/lib/intake)."
        )
    fd = os.open("/", _DIR)
    try:
        parts = home.parts[1:]
        for number, part in enumerate(parts, 1):
            last = number == len(parts)
            try:
                os.mkdir(part, 0o700 if last else 0o755, dir_fd=fd)
                made = True
            except FileExistsError:
                made = False
            try:
                inner = os.open(part, _DIR, dir_fd=fd)
            except OSError:
                where = Path("/", *parts[:number])
                raise Misconfigured(
                    f"{where} must be a folder, not a symbolic link or a file"
                ) from None
            os.close(fd)
            fd = inner
            if made and not last:
                os.fchmod(fd, 0o755)  # whatever the umask: ours, and just made
        info = os.fstat(fd)
        if account is not None and (info.st_uid, info.st_gid) != (account.uid, account.gid):
            os.fchown(fd, account.uid, account.gid)
        if stat.S_IMODE(info.st_mode) != 0o700:
            os.fchmod(fd, 0o700)
    finally:
        os.close(fd)
    return home


def hand_over(path: Path, account: Account | None) -> None:
    """Give ``path`` and everything below it to ``account`` (nothing when not root)."""
    if account is None:
        return
    top = os.open(path, _DIR)
    try:
        hand_over_fd(top, account)
    finally:
        os.close(top)


def hand_over_fd(top: int, account: Account) -> None:
    """Give the open folder ``top`` and everything below it to ``account``.

    Walks without following symbolic links (``os.fwalk``), so a link planted below cannot
    steer the change to a file elsewhere.
    """
    uid, gid = account.uid, account.gid
    os.fchown(top, uid, gid)
    for _root, dirs, files, fd in os.fwalk(dir_fd=top, follow_symlinks=False):
        for name in [*dirs, *files]:
            os.chown(name, uid, gid, dir_fd=fd, follow_symlinks=False)


# What every process may need: the bottom layers, and modules of the standard library that
# libraries import on first use (the codecs by encoding name, among them).
_COMMON = ("config", "storage", "pipeline.logs", "pipeline.services", "encodings", "stringprep",
           "unicodedata", "json", "http.client", "email.parser", "email.feedparser", "uuid",
           "zoneinfo", "concurrent.futures.thread", "tracemalloc", "_strptime")  # fmt: skip
_TOOLS = ("pipeline.bench", "pipeline.chaos", "pipeline.corpus._hostile")  # never imported
_PRODUCT = ("config", "storage", "classifiers", "pipeline")


def _modules(package: str) -> Iterator[str]:
    """``package`` and every module below it, but the measuring tools."""
    try:
        module = importlib.import_module(package)
    except Exception:
        if package.split(".")[0] in _PRODUCT:
            raise
        return
    yield package
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        name = f"{package}.{info.name}"
        if name.startswith(_TOOLS) or info.name == "__main__":  # a __main__ runs on import
            continue
        if info.ispkg:
            yield from _modules(name)
        else:
            yield name


def preload(*packages: str) -> int:
    """Import ``packages`` whole (every module below each), and what every process needs.

    After :func:`drop_to`, the interpreter's and the project's folders may be closed to the
    process; what is imported here is already in memory.  Returns how many modules are
    loaded.
    """
    with warnings.catch_warnings():
        # a library's deprecated corners are loaded too; their warnings are not ours to show
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=r"(?i).*\bdeprecated\b")  # Starlette's own kind
        for package in (*_COMMON, *packages):
            for name in _modules(package):
                try:
                    importlib.import_module(name)
                except Exception:  # a library's optional part, missing what it would need
                    if name.split(".")[0] in _PRODUCT:
                        raise
    with contextlib.suppress(ImportError):
        from PIL import Image

        Image.init()  # every image plugin, which Image.open would import on first use
    return len(sys.modules)


class LateImports(importlib.abc.MetaPathFinder):
    """Reports, once per module, an import made after the drop.

    Such an import fails where the virtual environment is closed to the account, so the
    module belongs in :func:`preload`.
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """Note the name and let the real finders do the work."""
        if fullname not in self.seen:
            self.seen.add(fullname)
            log.warning("module %s imported after the privilege drop", fullname)
        return None


def drop_to(account: Account | None, *, home: Path) -> None:
    """Become ``account`` for good (nothing happens when not root).

    Supplementary groups go, then the group, then the user; ``HOME`` becomes ``home`` and
    files are created private.  Import what you need first (:func:`preload`).
    """
    if account is None:
        return
    os.setgroups([])
    os.setgid(account.gid)
    os.setuid(account.uid)
    if os.geteuid() == 0 or os.getegid() == 0 or 0 in os.getgroups():
        raise Misconfigured("root's powers could not be given up")
    with contextlib.suppress(PermissionError):
        os.setuid(0)
        raise Misconfigured("root's powers came back after the drop")
    # No program it runs may gain a privilege (set-uid, file capabilities) either.
    if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise Misconfigured("the no-new-privileges flag could not be set")
    os.umask(PRIVATE_UMASK)
    os.environ["HOME"] = str(home)
    for variable in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        os.environ.pop(variable, None)
    sys.meta_path.insert(0, LateImports())
    log.info("running as %s (uid %d)", account.name, account.uid)
