"""The audit key: configured, made once under an embedded home, or a refusal to start."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from config.errors import Misconfigured
from config.settings import load_settings
from pipeline.keys import KEY_FILE, audit_key


@pytest.fixture(autouse=True)
def _no_audit_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INTAKE_AUDIT_KEY", "INTAKE_AUDIT_PERSON_CODES", "INTAKE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_a_configured_key_is_used_and_kept_out_of_the_settings_repr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "k" * 40)
    settings = load_settings()
    assert audit_key(settings) == b"k" * 40
    assert "k" * 40 not in repr(settings)


def test_a_configured_key_too_short_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "short")
    with pytest.raises(Misconfigured, match="at least"):
        audit_key(load_settings())


def test_the_embedded_home_makes_its_key_once_and_keeps_it_private(tmp_path: Path) -> None:
    # Given an embedded home without a key
    settings = load_settings(home=tmp_path)
    assert settings.embedded
    # When the key is asked for twice
    first, second = audit_key(settings), audit_key(settings)
    # Then it was made once, is long, and only its owner may read it
    assert first == second and len(first) >= 32
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


def test_a_link_in_place_of_the_key_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / KEY_FILE).symlink_to(elsewhere)
    with pytest.raises(Misconfigured, match="cannot be read"):
        audit_key(load_settings(home=tmp_path))
    assert not elsewhere.exists()


CONFIGURED = {
    "database_url": "postgresql://a@b/c",
    "s3_endpoint": "s3:9000",
    "s3_access_key": "a",
    "s3_secret_key": "b",
    "broker_url": "redis://r",
}


def test_configured_services_without_a_key_refuse_to_start(tmp_path: Path) -> None:
    with pytest.raises(Misconfigured, match="INTAKE_AUDIT_KEY"):
        audit_key(load_settings(home=tmp_path, **CONFIGURED))
    # ... unless the codes are audited in full, which needs no key
    assert audit_key(load_settings(home=tmp_path, audit_person_codes="full", **CONFIGURED)) == b""
