"""The production-like stack in docker-compose.yml, checked by Compose itself.

No Docker engine is needed: ``docker-compose config`` validates and renders the file without
one.  The rendered file is read as JSON where the Compose at hand can print it (v2), and
otherwise from its normalised YAML text (docker-compose 1.x), without a YAML library.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"

SECRETS = {
    "POSTGRES_PASSWORD": "pgpass-x",
    "MINIO_ROOT_USER": "minio-y",
    "MINIO_ROOT_PASSWORD": "zzzzzzzz",
    "RABBITMQ_PASSWORD": "mqpass-w",
}
SERVICES = {"minio", "postgres", "rabbitmq", "migrate", "api", "watcher", "worker"}
APP_SERVICES = ("api", "watcher", "worker")

# A service's settings: its top-level keys, each with its value (parsed from JSON) or the
# stripped lines under it (from the YAML text).
Service = dict[str, Any]


@pytest.fixture(scope="module")
def compose() -> list[str]:
    """The Compose command line: ``docker-compose``, else the ``docker compose`` plugin."""
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    message = "docker-compose is not installed (Debian package docker-compose)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def run_config(
    compose: list[str], tmp_path: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """Run ``config`` on the repo's compose file with exactly the given secrets.

    An empty env file stands in for any ``.env`` beside the compose file, and the secrets of
    the calling environment are removed, so only ``env`` supplies them.
    """
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    base = {
        k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith("COMPOSE_")
    }
    return subprocess.run(
        [*compose, "-f", str(COMPOSE_FILE), "--env-file", str(env_file), "config", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**base, **env},
        timeout=120,
    )


def parse_text(text: str) -> dict[str, Service]:
    """The services of ``docker-compose config`` YAML: top-level keys and the lines below."""
    services: dict[str, Service] = {}
    lines = [line for line in text.splitlines() if line.strip()]
    in_services = False
    current: Service | None = None
    service_indent = key_indent = -1
    key = ""
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        stripped = line.strip()
        if indent == 0:
            in_services = stripped == "services:"
            current = None
            continue
        if not in_services:
            continue
        if service_indent < 0:
            service_indent = indent
        if indent == service_indent and not stripped.startswith("- "):
            current = services.setdefault(stripped.rstrip(":").strip("'\""), {})
            key_indent = -1
            continue
        if current is None:
            continue
        if key_indent < 0:
            key_indent = indent
        if indent == key_indent and not stripped.startswith("- "):
            key, _, value = stripped.partition(":")
            current[key] = [value.strip()] if value.strip() else []
        else:
            current[key].append(stripped)
    return services


def environment(service: Service) -> dict[str, str]:
    """A service's environment as a mapping, from either form of the rendered config."""
    env = service.get("environment", {})
    if isinstance(env, dict):
        return {str(k): str(v) for k, v in env.items()}
    result: dict[str, str] = {}
    for line in env:
        name, _, value = str(line).removeprefix("- ").partition(":" if ": " in line else "=")
        result[name.strip()] = value.strip().strip("'\"")
    return result


def rendered(compose: list[str], tmp_path: Path) -> dict[str, Service]:
    """The rendered services, as JSON where Compose can print it, else from the YAML text."""
    as_json = run_config(compose, tmp_path, SECRETS, "--format", "json")
    if as_json.returncode == 0:
        try:
            data = json.loads(as_json.stdout)
        except json.JSONDecodeError:
            pass
        else:
            services: dict[str, Service] = data["services"]
            return services
    as_text = run_config(compose, tmp_path, SECRETS)
    assert as_text.returncode == 0, as_text.stderr
    return parse_text(as_text.stdout)


def test_compose_config_is_accepted_and_complete(compose: list[str], tmp_path: Path) -> None:
    services = rendered(compose, tmp_path)
    assert not SERVICES - services.keys(), services.keys()

    worker = services["worker"]
    assert "container_name" not in worker, "worker must be scalable: no container_name"
    assert "ports" not in worker, "worker must be scalable: no published ports"

    for name in ("minio", "postgres", "rabbitmq", "api"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    assert "/healthz" in json.dumps(services["api"]["healthcheck"])
    assert "8080" in json.dumps(services["api"]["ports"])

    for name in APP_SERVICES:
        service = services[name]
        assert "build" in service
        assert "service_healthy" in json.dumps(service["depends_on"])
        # migrations and the bucket come first, from the one-shot migrate service
        assert "migrate" in json.dumps(service["depends_on"]), f"{name} does not wait for migrate"
        env = environment(service)
        assert env["INTAKE_DATABASE_URL"] == (
            f"postgresql://intake:{SECRETS['POSTGRES_PASSWORD']}@postgres:5432/intake"
        )
        assert env["INTAKE_S3_ENDPOINT"] == "minio:9000"
        assert env["INTAKE_S3_ACCESS_KEY"] == SECRETS["MINIO_ROOT_USER"]
        assert env["INTAKE_S3_SECRET_KEY"] == SECRETS["MINIO_ROOT_PASSWORD"]
        assert env["INTAKE_S3_BUCKET"] == "intake"
        assert env["INTAKE_BROKER_URL"] == (
            f"amqp://intake:{SECRETS['RABBITMQ_PASSWORD']}@rabbitmq:5672/"
        )
        assert env["OMP_THREAD_LIMIT"] == "1"

    assert "migrate" in json.dumps(services["migrate"]["command"])
    assert "/drop" in environment(services["watcher"])["INTAKE_DROP_FOLDERS"]
    assert "/drop" in json.dumps(services["watcher"]["volumes"])
    assert environment(services["postgres"])["POSTGRES_PASSWORD"] == SECRETS["POSTGRES_PASSWORD"]
    assert environment(services["minio"])["MINIO_ROOT_PASSWORD"] == SECRETS["MINIO_ROOT_PASSWORD"]
    assert (
        environment(services["rabbitmq"])["RABBITMQ_DEFAULT_PASS"] == (SECRETS["RABBITMQ_PASSWORD"])
    )


def test_compose_file_has_no_secret_defaults() -> None:
    text = COMPOSE_FILE.read_text()
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"(\W[^}]*)?\}", text)
        assert uses, f"{name} is not used"
        for rest in uses:
            assert rest.startswith(":?"), f"${{{name}{rest}}}: a secret must be required"


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_compose_config_refused_without_secret(
    compose: list[str], tmp_path: Path, missing: str
) -> None:
    env = {k: v for k, v in SECRETS.items() if k != missing}
    result = run_config(compose, tmp_path, env)
    assert result.returncode != 0, result.stdout
    assert missing in result.stderr
