"""The servers' programs, installed where an unprivileged account can run them."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.accounts import Account, blocked_at, service_account
from pipeline.binaries import Programs, bundled, for_account, install, reachable

NOBODY = Account("nobody", 65534, 65534)


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A new folder below /tmp that every user may enter, as /usr/local/lib is."""
    folder = Path(tempfile.mkdtemp(prefix="intake-lib-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_programs_are_installed_once_open_to_all_and_written_by_none(open_tmp: Path) -> None:
    # Given the bundled programs and a place to install them
    found = bundled()
    before = {path: path.stat().st_mode for path in (found.weed, found.valkey)}
    folder = open_tmp / "lib" / "intake"

    # When they are installed twice
    installed = install(found, folder)
    again = install(found, folder)

    # Then they are installed once, below folders open to all, written by no one but root,
    # and the originals keep their modes
    assert again == installed
    assert installed.weed.parent.parent == folder
    assert len(list(folder.iterdir())) == 1
    for path in (installed.pg_bin / "postgres", installed.weed, installed.valkey):
        info = path.stat()
        assert info.st_mode & 0o555 == 0o555 and not info.st_mode & 0o022, path
    assert {path: path.stat().st_mode for path in (found.weed, found.valkey)} == before
    assert reachable(NOBODY, installed)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_programs_the_account_can_reach_are_used_where_they_are() -> None:
    found = bundled()
    here = Programs(pg_bin=found.pg_bin, weed=found.weed, valkey=found.valkey)
    if reachable(NOBODY, here):
        assert for_account(NOBODY, programs=here) == here
    assert for_account(None, programs=here) == here  # not root: nothing to hand over


def test_programs_behind_a_closed_folder_are_installed_for_the_account(open_tmp: Path) -> None:
    # Given programs that lie behind a folder other users may not enter (a clone under /root)
    closed = open_tmp / "closed"
    closed.mkdir(mode=0o755)
    hidden = install(bundled(), closed / "venv")
    closed.chmod(0o700)
    assert blocked_at(NOBODY, hidden.weed) == closed

    # When they are asked for on the account's behalf
    lib = open_tmp / "lib"
    programs = for_account(NOBODY, folder=lib, programs=hidden)

    # Then the account gets copies it can reach, outside the closed folder
    assert programs != hidden
    assert programs.weed.is_relative_to(lib)
    assert reachable(NOBODY, programs)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the servers as an account")
def test_the_account_runs_each_installed_program(open_tmp: Path) -> None:
    # Given the programs installed for the service account
    account = service_account()
    assert account is not None
    installed = install(bundled(), open_tmp / "lib")

    # When the account runs each of them
    # Then each starts (finding its libraries and data beside it) and says its version
    argvs: list[list[str | Path]] = [
        [installed.pg_bin / "postgres", "--version"],
        [installed.pg_bin / "initdb", "--version"],
        [installed.weed, "version"],
        [installed.valkey, "--version"],
    ]
    for argv in argvs:
        done = subprocess.run(argv, capture_output=True, text=True, check=False, **account.popen())
        assert done.returncode == 0, (argv, done.stderr)
        assert done.stdout.strip(), argv
