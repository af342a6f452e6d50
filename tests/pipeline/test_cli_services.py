"""The `intake` commands that talk to the services: migrate, token create, and `up`'s checks."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from pipeline.embedded import free_port, port_is_free
from storage.access import token_owner
from storage.db import Database
from tests.fixtures.processes import Processes, run_intake, wait_for
from tests.fixtures.services import ServiceUrls, for_service


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


@pytest.mark.services
@pytest.mark.slow
def test_up_serves_https_on_a_port_it_holds_and_revives_a_dead_server(
    processes: Processes, account_tmp: Path
) -> None:
    # Given `intake up` on a fresh home, with no service configured
    home = for_service(account_tmp / "home")
    port = free_port()
    env = {**service_env_free(), "INTAKE_HOME": str(home), "OMP_THREAD_LIMIT": "1"}
    up = processes.start("up", ["up", "--port", str(port)], env)
    ca = home / "api-tls" / "ca.crt"
    trusting = None

    def health() -> dict[str, Any] | None:
        nonlocal trusting
        assert up.poll() is None, processes.log_text("up")
        if not ca.exists():
            return None
        trusting = trusting or ssl.create_default_context(cafile=str(ca))
        try:
            reply = httpx.get(f"https://127.0.0.1:{port}/healthz", verify=trusting, timeout=5)
        except httpx.HTTPError:
            return None
        body: dict[str, Any] = reply.json()
        return body if body["status"] == "ok" else None

    # When it has started
    wait_for(health, timeout=240, every=1.0)

    # Then the API answers over HTTPS only, with a certificate of the home's own authority,
    # on a port the supervisor itself holds (no one may take it while the API restarts)
    assert f"https://127.0.0.1:{port}" in processes.log_text("up")
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    supervisor = psutil.Process(up.pid)
    held = [c for c in supervisor.net_connections("tcp") if c.status == psutil.CONN_LISTEN]
    assert [c.laddr.port for c in held] == [port]

    # When its PostgreSQL dies
    (postgres,) = [
        p for p in supervisor.children(recursive=True) if p.name() == "postgres" and
        p.ppid() == up.pid
    ]  # fmt: skip
    postgres.kill()

    # Then the supervisor starts it again, and the services are all up once more
    def revived() -> bool:
        again = [p for p in supervisor.children() if p.name() == "postgres"]
        return bool(again) and again[0].pid != postgres.pid and health() is not None

    wait_for(revived, timeout=120, every=1.0)
    assert "the embedded database stopped; starting it again" in processes.log_text("up")

    # When it is stopped, it stops everything and frees the port
    up.send_signal(signal.SIGINT)
    assert up.wait(timeout=60) == 0
    assert port_is_free(port)
