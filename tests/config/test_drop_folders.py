"""The drop-folder map: plain folders, folders mapped to office and scanner, per-folder polling."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import DropFolder, load_settings


@pytest.fixture(autouse=True)
def _no_site_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INTAKE_CONFIG", "INTAKE_DROP_FOLDERS", "INTAKE_POLL", "INTAKE_SETTLE_SECONDS"):
        monkeypatch.delenv(name, raising=False)


def test_a_plain_list_of_folders_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the plain comma-separated form
    monkeypatch.setenv("INTAKE_DROP_FOLDERS", "/srv/scan-a, /srv/scan-b")

    # Then each folder is watched with the global settings and no origin
    drops = load_settings().watch().drops
    assert drops == (
        DropFolder(path=Path("/srv/scan-a"), settle_seconds=2.0),
        DropFolder(path=Path("/srv/scan-b"), settle_seconds=2.0),
    )


def test_folders_mapped_to_office_and_scanner_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given folders mapped in INTAKE_DROP_FOLDERS, one of them a share to poll, and a plain one
    monkeypatch.setenv(
        "INTAKE_DROP_FOLDERS",
        "/srv/drop/tallinn-1=office:Tallinn,scanner:MFP-1;"
        " /mnt/tartu=office:Tartu,scanner:Kyocera 2,poll:true,poll_interval:7.5,settle_seconds:9;"
        " /srv/drop/plain",
    )
    monkeypatch.setenv("INTAKE_SETTLE_SECONDS", "3")

    # Then each has its origin, and the share its own polling and settle time
    tallinn, tartu, plain = load_settings().watch().drops
    assert tallinn == DropFolder(
        path=Path("/srv/drop/tallinn-1"), office="Tallinn", scanner="MFP-1", settle_seconds=3.0
    )
    assert tartu == DropFolder(
        path=Path("/mnt/tartu"),
        office="Tartu",
        scanner="Kyocera 2",
        poll=True,
        poll_interval=7.5,
        settle_seconds=9.0,
    )
    assert (plain.path, plain.office, plain.poll) == (Path("/srv/drop/plain"), None, False)


def test_folders_mapped_in_the_site_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Given a site file with a table per drop folder, and a plain one among them
    site = tmp_path / "site.toml"
    site.write_text(
        "poll = true\n"
        "drop_folders = [\n"
        '  { path = "/srv/drop/narva", office = "Narva", scanner = "MFP-7", poll = false },\n'
        '  "/mnt/office",\n'
        "]\n"
        "max_wait_seconds = 120\n"
        "max_file_bytes = 1000\n"
    )
    monkeypatch.setenv("INTAKE_CONFIG", str(site))

    # Then the map and the limits are read from it, the global poll applying where unset
    watch = load_settings().watch()
    narva, office = watch.drops
    assert (narva.office, narva.scanner, narva.poll) == ("Narva", "MFP-7", False)
    assert (office.path, office.office, office.poll) == (Path("/mnt/office"), None, True)
    assert (watch.max_wait_seconds, watch.max_file_bytes) == (120.0, 1000)
    assert watch.folders == (Path("/srv/drop/narva"), Path("/mnt/office"))


def test_an_array_of_tables_in_the_site_toml(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    site = tmp_path / "site.toml"
    site.write_text(
        '[[drop_folders]]\npath = "/srv/a"\noffice = "Pärnu"\n\n'
        '[[drop_folders]]\npath = "/srv/b"\nscanner = "MFP-2"\nsettle_seconds = 0.5\n'
    )
    monkeypatch.setenv("INTAKE_CONFIG", str(site))
    a, b = load_settings().watch().drops
    assert (a.office, b.scanner, b.settle_seconds) == ("Pärnu", "MFP-2", 0.5)


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("/srv/a=office:X,colour:blue", "colour"),
        ("/srv/a=office", "key:value"),
        ("/srv/a=poll_interval:0", "poll_interval"),
        ("/srv/a=office:X;/srv/a=office:Y", "listed twice"),
    ],
)
def test_a_bad_map_is_refused_with_what_is_wrong(
    value: str, complaint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTAKE_DROP_FOLDERS", value)
    with pytest.raises(ValueError, match=complaint):
        load_settings()
