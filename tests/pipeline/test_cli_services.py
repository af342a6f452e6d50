"""The `intake` commands that talk to the services: migrate, token create, and `up`'s checks."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from storage.access import token_owner
from storage.db import Database
from tests.fixtures.processes import run_intake
from tests.fixtures.services import ServiceUrls


def _intake(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_intake(*args, home=Path(env.get("INTAKE_HOME", ".")), env=env, timeout=120)


@pytest.mark.services
def test_migrate_is_repeatable(service_urls: ServiceUrls, tmp_path: Path) -> None:
    # Given a database the session fixture migrated already
    env = service_urls.env(tmp_path)
    # When migrate runs again
    done = _intake(["migrate"], env)
    # Then nothing is applied twice and the bucket is there
    assert done.returncode == 0, done.stderr
    assert "0 migration(s) applied" in done.stdout
    assert f"bucket {service_urls.store.bucket} ready" in done.stdout


@pytest.mark.services
def test_token_create_prints_a_token_stored_only_as_a_hash(
    service_urls: ServiceUrls, database: Database, tmp_path: Path, unique: str
) -> None:
    env = service_urls.env(tmp_path)
    # When a token is created
    created = _intake(["token", "create", "--name", f"case-system-{unique}"], env)
    # Then it is printed once, works, and is not in the table in clear
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert len(token) >= 32
    assert token_owner(database, token) == f"case-system-{unique}"
    with database.transaction() as conn:
        stored = conn.execute("SELECT count(*) FROM api_tokens WHERE token_sha256 = %s", (token,))
        assert stored.fetchone() == (0,)
    # And the same name twice is refused
    again = _intake(["token", "create", "--name", f"case-system-{unique}"], env)
    assert again.returncode == 1
    assert "exists already" in again.stderr


def test_commands_without_services_say_how_to_start_them(tmp_path: Path) -> None:
    # Given no configured service and no running `intake up` under this home
    env = service_env_free()
    env["INTAKE_HOME"] = str(tmp_path)
    # When a command needs the database
    done = _intake(["token", "create", "--name", "x"], env)
    # Then it fails with a plain explanation, not a traceback
    assert done.returncode == 1
    assert "intake up" in done.stderr
    assert "Traceback" not in done.stderr


def test_up_refuses_a_port_in_use(tmp_path: Path) -> None:
    # Given something already listening on the API port
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = service_env_free()
        env["INTAKE_HOME"] = str(tmp_path)
        # When intake up is asked to use it
        done = _intake(["up", "--port", str(port)], env)
    # Then it stops at once with the reason, starting nothing
    assert done.returncode == 1
    assert "in use" in done.stderr
    assert not (tmp_path / "pg").exists()


def service_env_free() -> dict[str, str]:
    """The environment without any INTAKE_ service setting."""
    return {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
