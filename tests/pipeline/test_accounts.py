"""The account root hands over to: made once, a private home, and no way back."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.errors import Misconfigured
from pipeline.accounts import Account, blocked_at, claim_home, service_account

REPO = Path(__file__).resolve().parents[2]
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="only root hands over to an account")
NOBODY = Account("nobody", 65534, 65534)


def test_the_first_closed_folder_on_the_way_is_named(tmp_path: Path) -> None:
    # Given a folder other users may not enter, with a home inside
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    # When asked whether another account gets there
    # Then the first folder in its way is named, and an open path has none
    assert blocked_at(NOBODY, closed / "deeper" / "home") in (closed, tmp_path, *tmp_path.parents)
    open_ = tmp_path / "open"
    open_.mkdir(mode=0o755)
    if blocked_at(NOBODY, tmp_path) is None:
        assert blocked_at(NOBODY, open_ / "home") is None


@as_root
def test_root_refuses_to_run_as_root_under_another_name() -> None:
    for name in ("root", "", "0"):
        with pytest.raises(Misconfigured):
            service_account(name)


@as_root
def test_a_claimed_home_is_the_accounts_and_private_and_its_new_parents_open(
    account_tmp: Path,
) -> None:
    # Given an account and a home two folders below an existing one
    account = service_account()
    assert account is not None
    home = account_tmp / "new" / "home"
    # When the home is claimed
    claimed = claim_home(home, account)
    # Then it is the account's, mode 0700, and the folder made on the way opens for search
    info = claimed.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (
        account.uid,
        account.gid,
        0o700,
    )
    assert stat.S_IMODE((account_tmp / "new").stat().st_mode) == 0o755
    # ... and a link in its place is refused
    link = account_tmp / "link"
    link.symlink_to(home)
    with pytest.raises(Misconfigured, match="symbolic link"):
        claim_home(link, account)


DROP = """
import logging, os, sys
from pathlib import Path
from pipeline.accounts import drop_to, service_account
from pipeline.logs import setup_logging
setup_logging("INFO")
account = service_account()
drop_to(account, home=Path(sys.argv[1]))
print(os.getuid(), os.geteuid(), os.getgid(), os.getgroups(), oct(os.umask(0o077)), flush=True)
try:
    os.setuid(0)
    print("came back", flush=True)
except PermissionError:
    print("stays", flush=True)
print(os.environ["HOME"], flush=True)
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
print(status["NoNewPrivs"].strip(), status["CapEff"].strip(), flush=True)
try:
    import xml.dom.minidom
except ImportError:
    pass
"""


@as_root
def test_a_process_that_drops_root_cannot_take_it_back_and_says_what_it_imports_late(
    account_tmp: Path,
) -> None:
    # Given the account
    account = service_account()
    assert account is not None
    # When a process started as root gives up root, then tries to take it back and imports
    done = subprocess.run(
        [sys.executable, "-c", DROP, str(account_tmp)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # Then it is the account for good, writes private files, lives in its home ...
    assert done.returncode == 0, done.stderr
    ids, stays, home, privileges = done.stdout.splitlines()
    assert ids == f"{account.uid} {account.uid} {account.gid} [] 0o77"
    assert stays == "stays"
    assert home == str(account_tmp)
    # ... with no capability left, and none to be had from a set-uid program
    assert privileges == "1 0000000000000000"
    # ... and an import after the drop is reported (it may fail where the code is closed)
    assert "module xml imported after the privilege drop" in done.stderr


PRELOAD = """
import sys, warnings
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("always")
from pipeline.accounts import preload
preload("quietpkg")
print(sorted(name for name in sys.modules if name.startswith("quietpkg")), flush=True)
"""


def test_preloading_a_package_runs_none_of_its_main_and_shows_none_of_its_deprecations(
    tmp_path: Path,
) -> None:
    # Given a library with a __main__ that would print, a deprecated module and a plain one
    package = tmp_path / "quietpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text("print('RAN MAIN')\n")
    (package / "old.py").write_text(
        "import warnings\n"
        "warnings.warn('quietpkg.old is deprecated', UserWarning)\n"
        "warnings.warn('going away', DeprecationWarning)\n"
    )
    (package / "plain.py").write_text("import warnings\nwarnings.warn('plain says so')\n")
    # When a process preloads it
    done = subprocess.run(
        [sys.executable, "-c", PRELOAD, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Then every module but __main__ is loaded, the deprecations are silent, the rest is not
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["['quietpkg', 'quietpkg.old', 'quietpkg.plain']"]
    assert "RAN MAIN" not in done.stdout + done.stderr
    assert "deprecated" not in done.stderr and "going away" not in done.stderr
    assert "plain says so" in done.stderr
