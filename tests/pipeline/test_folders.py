"""Folders root writes in while another account owns them: no link is ever followed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from config.errors import Misconfigured
from pipeline.folders import Folder


def test_a_folder_swapped_for_a_link_after_it_was_opened_steers_no_write(tmp_path: Path) -> None:
    # Given a home and a folder in it, opened, and a place the writes must never reach
    home = tmp_path / "home"
    home.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with Folder.open(home, None) as root, root.sub("broker") as broker:
        # When the folder is moved away and a link to elsewhere put in its place (the race
        # an account that owns the home can run against root)
        (home / "broker").rename(home / "moved")
        (home / "broker").symlink_to(elsewhere)
        broker.write_private("valkey.conf", "requirepass x\n")
        log = broker.append("valkey.log")
        log_file = Path(f"/proc/self/fd/{log}").resolve()

        # Then the files land in the folder that was opened, not where the link points
        assert list(elsewhere.iterdir()) == []
        assert (home / "moved" / "valkey.conf").read_text() == "requirepass x\n"
        assert stat.S_IMODE((home / "moved" / "valkey.conf").stat().st_mode) == 0o600
        assert log_file == home / "moved" / "valkey.log"

        # ... and the link is refused as a folder when it is opened again
        with pytest.raises(Misconfigured, match="not a link"):
            root.sub("broker")


def test_links_and_fifos_in_place_of_files_are_refused(tmp_path: Path) -> None:
    import os

    # Given a folder with a link to a secret and a FIFO where files are expected
    secret = tmp_path / "secret"
    secret.write_text("root's")
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "state.json").symlink_to(secret)
    os.mkfifo(folder / "audit.key")
    with Folder.open(folder, None) as opened:
        # Then neither is read (the FIFO does not hang the reader) nor written through
        with pytest.raises(Misconfigured):
            opened.read("state.json")
        with pytest.raises(Misconfigured, match="not a regular file"):
            opened.read("audit.key")
        opened.write_private("state.json", {"port": 1})
    assert secret.read_text() == "root's"
    assert not (folder / "state.json").is_symlink()


def test_names_with_a_separator_are_refused(tmp_path: Path) -> None:
    with Folder.open(tmp_path, None) as opened:
        for name in ("../x", "a/b", "..", ""):
            with pytest.raises(ValueError, match="plain name"):
                opened.write_private(name, "x")
