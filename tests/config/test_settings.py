from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.settings import load_settings


def test_defaults_leave_services_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given: no INTAKE_* variables
    for name in ("INTAKE_DATABASE_URL", "INTAKE_S3_ENDPOINT", "INTAKE_BROKER_URL", "INTAKE_HOME"):
        monkeypatch.delenv(name, raising=False)
    # When
    settings = load_settings()
    # Then: embedded mode with the drop folder under the home, which is ./var, or a system
    # folder for root (whose processes run as an account that may not enter the clone)
    home = Path("/var/lib/intake") if os.geteuid() == 0 else Path("var")
    assert settings.embedded
    assert settings.home == home
    assert settings.watch().folders == ((home / "drop").absolute(),)
    assert settings.run_as == "intake"
    assert settings.process().languages == "est+eng+rus"


def test_environment_overrides_and_splits_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_DROP_FOLDERS", "/srv/scan-a, /srv/scan-b")
    monkeypatch.setenv("INTAKE_SETTLE_SECONDS", "0.5")
    monkeypatch.setenv("INTAKE_AFTER_INGEST", "move")
    watch = load_settings().watch()
    assert watch.folders == (Path("/srv/scan-a"), Path("/srv/scan-b"))
    assert {drop.settle_seconds for drop in watch.drops} == {0.5}
    assert watch.after_ingest == "move"


def test_site_toml_sits_between_defaults_and_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    site = tmp_path / "site.toml"
    site.write_text('api_port = 9090\ndrop_folders = ["/mnt/office"]\nmax_pages = 7\n')
    monkeypatch.setenv("INTAKE_CONFIG", str(site))
    monkeypatch.setenv("INTAKE_MAX_PAGES", "9")
    settings = load_settings()
    assert settings.api_port == 9090
    assert settings.watch().folders == (Path("/mnt/office"),)
    assert settings.max_pages == 9


def test_invalid_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_AFTER_INGEST", "shred")
    with pytest.raises(ValueError, match="after_ingest"):
        load_settings()
