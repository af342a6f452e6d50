"""The production stack in docker-compose.yml and the Dockerfile, checked by Compose itself.

No Docker engine is needed: ``docker-compose config`` validates and renders the file without
one.  The rendered file is read as JSON where the Compose at hand can print it (v2), and
otherwise from its normalised YAML text (docker-compose 1.x), without a YAML library.  The
one-shot rabbitmq-setup.py runs against a RabbitMQ node of the tests' own, over TLS.
"""

from __future__ import annotations

import base64
import importlib.metadata
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pika
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.fixtures.processes import wait_for
from tests.fixtures.services import require
from tests.pipeline.test_api_tls import write_certificates

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
COMPOSE_CONFIG = ROOT / "config" / "compose"
DOCKERFILE = ROOT / "Dockerfile"
LOCK = ROOT / "requirements.lock"

SECRETS = {
    "POSTGRES_PASSWORD": "pgpass-x",
    "MINIO_ROOT_USER": "minio-y",
    "MINIO_ROOT_PASSWORD": "zzzzzzzz",
    "MINIO_APP_USER": "intake-app-u",
    "MINIO_APP_PASSWORD": "apppass-v",
    "RABBITMQ_PASSWORD": "mqpass-w",
    "RABBITMQ_APP_PASSWORD": "mqapp-r",
    "POSTGRES_APP_PASSWORD": "pgapp-t",
    "INTAKE_AUDIT_KEY": "auditkey-s-0123456789",
}
# Required like the secrets, though not secret: where the certificates and keys are.
REQUIRED = {**SECRETS, "INTAKE_TLS_DIR": "/etc/intake/tls"}
APP_SERVICES = ("api", "watcher", "worker")
ONE_SHOT = ("minio-volume-init", "minio-setup", "rabbitmq-setup", "migrate")
LONG_RUNNING = ("minio", "postgres", "rabbitmq", *APP_SERVICES)
SERVICES = {*ONE_SHOT, *LONG_RUNNING}
CA = "/run/secrets/intake_ca.crt"
DIGEST = re.compile(r"^[a-z0-9][\w./-]*:[\w.-]+@sha256:[0-9a-f]{64}$")

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
    compose: list[str],
    folder: Path,
    env: dict[str, str],
    *args: str,
    files: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run ``config`` on the repo's compose file with exactly the given required variables.

    An empty env file stands in for any ``.env`` beside the compose file, and the required
    variables (and INTAKE_API_PUBLISH) of the calling environment are removed, so only
    ``env`` supplies them.  ``files`` are further options before ``config`` (``-f`` ...).
    """
    env_file = folder / "empty.env"
    env_file.write_text("")
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in REQUIRED and k != "INTAKE_API_PUBLISH" and not k.startswith("COMPOSE_")
    }
    return subprocess.run(
        [
            *compose,
            "-f",
            str(COMPOSE_FILE),
            *files,
            "--env-file",
            str(env_file),
            "config",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**base, **env},
        timeout=120,
    )


def parse_text(text: str, section: str = "services") -> dict[str, Service]:
    """The entries of one top-level section (services, networks) of ``docker-compose config``
    YAML: each entry's keys and the lines below them.
    """
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
            in_services = stripped == f"{section}:"
            current = None
            continue
        if not in_services:
            continue
        if service_indent < 0:
            service_indent = indent
        if indent == service_indent and not stripped.startswith("- "):
            current = services.setdefault(stripped.split(":")[0].strip("'\""), {})
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


def scalar(service: Service, key: str) -> str | None:
    """A one-value setting (user, read_only, mem_limit, ...) as text, from either form."""
    value = service.get(key)
    if value is None:
        return None
    if isinstance(value, list):
        return str(value[0]).strip("'\"") if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def items(service: Service, key: str) -> list[str]:
    """A list of plain values (cap_drop, security_opt, command, ...), from either form."""
    value = service.get(key) or []
    if isinstance(value, str):
        return [value]
    return [str(item).removeprefix("- ").strip("'\"") for item in value]


def published(service: Service) -> list[tuple[str, str, str]]:
    """(host address, host port, container port) of each published port."""
    result: list[tuple[str, str, str]] = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            result.append(
                (str(port.get("host_ip", "")), str(port["published"]), str(port["target"]))
            )
            continue
        host, _, rest = str(port).removeprefix("- ").strip("'\"").partition(":")
        host_port, _, target = rest.partition(":")
        result.append((host, host_port, target.split("/")[0]))
    return result


def flat(service: Service, key: str) -> str:
    """A setting as one string, for looking things up in nested values."""
    return json.dumps(service.get(key))


def networks_of(service: Service) -> set[str]:
    """The networks a service joins, from either form of the rendered config."""
    value = service.get("networks") or {}
    if isinstance(value, dict):
        return set(value)
    return {str(line).removeprefix("- ").split(":")[0].strip("'\"") for line in value}


def rendered_sections(
    compose: list[str], folder: Path, *args: str, **extra: str
) -> dict[str, dict[str, Service]]:
    """The rendered services and networks, as JSON where Compose can print it, else from
    the YAML text; ``args`` come before ``config`` (``-f`` an override file, say).
    """
    env = {**REQUIRED, **extra}
    as_json = run_config(compose, folder, env, "--format", "json", files=args)
    if as_json.returncode == 0:
        try:
            data = json.loads(as_json.stdout)
        except json.JSONDecodeError:
            pass
        else:
            return {"services": data["services"], "networks": data.get("networks") or {}}
    as_text = run_config(compose, folder, env, files=args)
    assert as_text.returncode == 0, as_text.stderr
    return {
        "services": parse_text(as_text.stdout),
        "networks": parse_text(as_text.stdout, "networks"),
    }


def rendered(compose: list[str], folder: Path, **extra: str) -> dict[str, Service]:
    """The rendered services, as JSON where Compose can print it, else from the YAML text."""
    return rendered_sections(compose, folder, **extra)["services"]


@pytest.fixture(scope="module")
def stack(
    compose: list[str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Service]]:
    """The stack as Compose renders it with the required variables and nothing else."""
    return rendered_sections(compose, tmp_path_factory.mktemp("compose"))


@pytest.fixture(scope="module")
def services(stack: dict[str, dict[str, Service]]) -> dict[str, Service]:
    """The stack's services."""
    return stack["services"]


def test_compose_config_is_accepted_and_complete(services: dict[str, Service]) -> None:
    assert not SERVICES - services.keys(), services.keys()

    worker = services["worker"]
    assert "container_name" not in worker, "worker must be scalable: no container_name"
    assert "ports" not in worker, "worker must be scalable: no published ports"

    for name in APP_SERVICES:
        service = services[name]
        assert "build" in service
        assert "service_healthy" in flat(service, "depends_on")
        # migrations come first, from the one-shot migrate service, and the broker user
        assert "migrate" in flat(service, "depends_on"), f"{name} does not wait for migrate"
        assert "rabbitmq-setup" in flat(service, "depends_on"), name
        env = environment(service)
        assert env["INTAKE_S3_ENDPOINT"] == "minio:9000"
        assert env["INTAKE_S3_BUCKET"] == "intake"
        assert env["OMP_THREAD_LIMIT"] == "1"

    assert items(services["migrate"], "command") == ["migrate"]
    # the bucket, its policy and the app's user are made before migrate checks the bucket
    assert "minio-setup" in flat(services["migrate"], "depends_on")
    assert "/drop" in environment(services["watcher"])["INTAKE_DROP_FOLDERS"]
    assert "/drop" in flat(services["watcher"], "volumes")
    assert environment(services["postgres"])["POSTGRES_PASSWORD"] == SECRETS["POSTGRES_PASSWORD"]
    assert environment(services["minio"])["MINIO_ROOT_PASSWORD"] == SECRETS["MINIO_ROOT_PASSWORD"]
    assert (
        environment(services["rabbitmq"])["RABBITMQ_DEFAULT_PASS"] == (SECRETS["RABBITMQ_PASSWORD"])
    )


def test_only_migrate_holds_the_database_owner_and_only_the_api_the_audit_key(
    services: dict[str, Service],
) -> None:
    # The owner's password: PostgreSQL itself and the one-shot migrations, nothing else
    holders = {
        name
        for name, service in services.items()
        if SECRETS["POSTGRES_PASSWORD"] in json.dumps(service)
    }
    assert holders == {"postgres", "migrate"}
    assert environment(services["migrate"])["INTAKE_DATABASE_ADMIN_URL"].startswith(
        f"postgresql://intake:{SECRETS['POSTGRES_PASSWORD']}@postgres:5432/intake?sslmode="
    )
    # The audit key: the api alone looks up by person code.  A worker or the watcher that
    # had it, and SELECT on audit_log, could try person codes against the hashes there.
    holders = {
        name
        for name, service in services.items()
        if SECRETS["INTAKE_AUDIT_KEY"] in json.dumps(service)
    }
    assert holders == {"api"}
    assert environment(services["api"])["INTAKE_AUDIT_KEY"] == SECRETS["INTAKE_AUDIT_KEY"]
    for name in ("watcher", "worker", "migrate"):
        assert "INTAKE_AUDIT_KEY" not in environment(services[name]), name


def test_app_services_sign_in_to_minio_as_the_app_user(services: dict[str, Service]) -> None:
    for name in (*APP_SERVICES, "migrate"):
        env = environment(services[name])
        assert env["INTAKE_S3_ACCESS_KEY"] == SECRETS["MINIO_APP_USER"]
        assert env["INTAKE_S3_SECRET_KEY"] == SECRETS["MINIO_APP_PASSWORD"]
        # the root keys are nowhere in the app's configuration
        text = json.dumps(services[name])
        assert SECRETS["MINIO_ROOT_USER"] not in text, name
        assert SECRETS["MINIO_ROOT_PASSWORD"] not in text, name
    # only MinIO itself and the one-shot setup have the root keys
    holders = {
        name
        for name, service in services.items()
        if SECRETS["MINIO_ROOT_PASSWORD"] in json.dumps(service)
    }
    assert holders == {"minio", "minio-setup"}
    setup = environment(services["minio-setup"])
    assert setup["MINIO_APP_USER"] == SECRETS["MINIO_APP_USER"]
    assert setup["MINIO_APP_PASSWORD"] == SECRETS["MINIO_APP_PASSWORD"]
    assert "minio/mc:" in (scalar(services["minio-setup"], "image") or "")
    assert "minio-setup.sh" in flat(services["minio-setup"], "volumes")
    assert "service_completed_successfully" in flat(services["migrate"], "depends_on")


# What storage/objects.py does: head/list the bucket, get/head/put objects (multipart too).
APP_S3_ACTIONS = {
    "s3:GetBucketLocation",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:GetObject",
    "s3:PutObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
}
# What would let the app destroy an archived object, or its earlier versions, after all.
DESTRUCTIVE_S3_ACTIONS = {
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:DeleteBucket",
    "s3:ForceDeleteBucket",
    "s3:PutBucketVersioning",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutObjectRetention",
    "s3:PutObjectLegalHold",
    "s3:BypassGovernanceRetention",
    "s3:PutLifecycleConfiguration",
    "s3:PutReplicationConfiguration",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
}


def test_app_services_sign_in_to_rabbitmq_as_a_user_of_their_own(
    services: dict[str, Service],
) -> None:
    # The app's own user, in every app service's broker URL
    for name in (*APP_SERVICES, "migrate"):
        url = environment(services[name])["INTAKE_BROKER_URL"]
        assert url.startswith(f"amqps://intake-app:{SECRETS['RABBITMQ_APP_PASSWORD']}@"), name
        assert SECRETS["RABBITMQ_PASSWORD"] not in json.dumps(services[name]), name
    # The administrator's password: RabbitMQ itself and the one-shot setup, nothing else
    holders = {
        name
        for name, service in services.items()
        if SECRETS["RABBITMQ_PASSWORD"] in json.dumps(service)
    }
    assert holders == {"rabbitmq", "rabbitmq-setup"}
    assert environment(services["rabbitmq"])["RABBITMQ_DEFAULT_USER"] == "intake"

    setup = services["rabbitmq-setup"]
    env = environment(setup)
    assert env["RABBITMQ_ADMIN_USER"] == "intake"
    assert env["RABBITMQ_PASSWORD"] == SECRETS["RABBITMQ_PASSWORD"]
    assert env["RABBITMQ_APP_USER"] == "intake-app"
    assert env["RABBITMQ_APP_PASSWORD"] == SECRETS["RABBITMQ_APP_PASSWORD"]
    assert env["RABBITMQ_MANAGEMENT_URL"] == "https://rabbitmq:15671"  # TLS, checked with:
    assert env["SSL_CERT_FILE"] == CA
    assert "intake_ca.crt" in flat(setup, "secrets")
    assert items(setup, "entrypoint") == ["python", "-I", "/setup/rabbitmq-setup.py"]
    assert "rabbitmq-setup.py:/setup/rabbitmq-setup.py:ro" in flat(setup, "volumes")
    # the passwords reach it through the environment, not on its command line
    assert SECRETS["RABBITMQ_APP_PASSWORD"] not in flat(setup, "entrypoint") + flat(
        setup, "command"
    )
    assert "service_healthy" in flat(setup, "depends_on")
    assert "rabbitmq" in flat(setup, "depends_on")


def test_the_app_policy_reaches_its_bucket_only() -> None:
    policy = json.loads((COMPOSE_CONFIG / "minio-intake-policy.json").read_text())
    statements = policy["Statement"]
    assert all(s["Effect"] == "Allow" for s in statements)
    assert not [s for s in statements if "NotAction" in s or "NotResource" in s]
    resources = {r for s in statements for r in s["Resource"]}
    assert resources == {"arn:aws:s3:::intake", "arn:aws:s3:::intake/*"}
    actions = {a for s in statements for a in s["Action"]}
    # exactly what the product uses, each named (no wildcard could grant more one day)
    assert actions == APP_S3_ACTIONS, actions
    assert not actions & DESTRUCTIVE_S3_ACTIONS
    assert not {a for a in actions if "Delete" in a or "Policy" in a or "Acl" in a}, actions
    assert not {a for a in actions if "Version" in a or "Retention" in a or "Lock" in a}
    source = (ROOT / "storage" / "objects.py").read_text()
    assert "remove_object" not in source, "the store deletes now: the policy needs DeleteObject"

    script = (COMPOSE_CONFIG / "minio-setup.sh").read_text()
    assert "mc admin user add" in script
    assert "mc admin policy attach" in script
    assert "/setup/minio-intake-policy.json" in script


def _commands(script: str) -> list[str]:
    """The lines of a shell script that are not comments or blank."""
    return [line.strip() for line in script.splitlines() if line.strip()[:1] not in ("", "#")]


def test_the_bucket_is_versioned_so_no_write_destroys_an_original() -> None:
    # The app may put, and a put under a key that is there replaces the current version:
    # with versioning the earlier one stays, and the app may delete no version of it.
    commands = _commands((COMPOSE_CONFIG / "minio-setup.sh").read_text())
    assert "set -eu" in commands  # a failing step fails the setup, so nothing starts
    bucket = commands.index("mc mb --ignore-existing root/intake")
    versioning = commands.index("mc version enable root/intake")
    user = next(n for n, c in enumerate(commands) if c.startswith("mc admin user add"))
    assert bucket < versioning < user  # versioned before the app can write to it
    # nothing in the setup suspends it again or expires versions
    for word in ("version suspend", "mc ilm", "mc rm", "retention clear", "--bypass"):
        assert not [c for c in commands if word in c], word


def test_every_connection_is_tls(services: dict[str, Service]) -> None:
    for name in (*APP_SERVICES, "migrate"):
        env = environment(services[name])
        assert env["INTAKE_DATABASE_URL"] == (
            f"postgresql://intake_app:{SECRETS['POSTGRES_APP_PASSWORD']}@postgres:5432/intake"
            f"?sslmode=verify-full&sslrootcert={CA}"
        )
        assert env["INTAKE_S3_SECURE"] == "true"
        assert env["INTAKE_BROKER_URL"] == (
            f"amqps://intake-app:{SECRETS['RABBITMQ_APP_PASSWORD']}@rabbitmq:5671/"
        )
        assert env["SSL_CERT_FILE"] == CA  # the minio client's and pika's trust
        assert "intake_ca.crt" in flat(services[name], "secrets")

    postgres = items(services["postgres"], "command")
    for option in (
        "ssl=on",
        "ssl_cert_file=/run/secrets/postgres.crt",
        "ssl_key_file=/run/secrets/postgres.key",
        "hba_file=/etc/postgresql/pg_hba.conf",
    ):
        assert option in postgres, option
    assert "pg_hba.conf:/etc/postgresql/pg_hba.conf:ro" in flat(services["postgres"], "volumes")
    rules = [
        line.split()
        for line in (COMPOSE_CONFIG / "pg_hba.conf").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {rule[0] for rule in rules} == {"local", "hostssl"}, "TCP must be TLS only"
    assert all(rule[-1] == "scram-sha-256" for rule in rules)

    minio = services["minio"]
    assert "--certs-dir" in items(minio, "command")
    for target in ("/certs/public.crt", "/certs/private.key", "/certs/CAs/ca.crt"):
        assert target in flat(minio, "secrets"), target

    rabbit_conf = (COMPOSE_CONFIG / "rabbitmq.conf").read_text()
    settings = dict(
        line.split(" = ", 1)
        for line in rabbit_conf.splitlines()
        if " = " in line and line[0] != "#"
    )
    assert settings["listeners.tcp"] == "none"
    assert settings["listeners.ssl.default"] == "5671"
    assert settings["ssl_options.certfile"] == "/run/secrets/rabbitmq.crt"
    assert settings["ssl_options.keyfile"] == "/run/secrets/rabbitmq.key"
    assert "management.ssl.port" in settings and "management.tcp.port" not in settings
    assert "20-intake.conf:ro" in flat(services["rabbitmq"], "volumes")

    api = services["api"]
    assert items(api, "command")[-2:] == ["--port", "8443"]
    env = environment(api)
    assert env["INTAKE_API_TLS_CERTFILE"] == "/run/secrets/api.crt"
    assert env["INTAKE_API_TLS_KEYFILE"] == "/run/secrets/api.key"
    assert "api.key" in flat(api, "secrets")
    assert "https://localhost:8443/healthz" in flat(api, "healthcheck")

    # nothing is published in plain text: not AMQP, the HTTP management UI, nor port 8080;
    # nothing but the API's HTTPS is published at all
    ports = {port for service in services.values() for _, _, port in published(service)}
    assert ports == {"8443"}, ports


def test_api_is_published_on_loopback_unless_configured(
    compose: list[str], services: dict[str, Service], tmp_path: Path
) -> None:
    for name, service in services.items():
        for host, _, _ in published(service):
            assert host == "127.0.0.1", f"{name} publishes on {host or 'every address'}"
    assert published(services["api"]) == [("127.0.0.1", "8443", "8443")]

    configured = rendered(compose, tmp_path, INTAKE_API_PUBLISH="10.20.0.5:443")
    assert published(configured["api"]) == [("10.20.0.5", "443", "8443")]


def test_only_the_api_is_reachable_from_outside_the_stack(
    stack: dict[str, dict[str, Service]],
) -> None:
    services, networks = stack["services"], stack["networks"]
    # Two networks: backend, internal (no route out, nothing can be published from it) ...
    assert set(networks) == {"backend", "frontend"}, networks
    assert scalar(networks["backend"], "internal") == "true", networks["backend"]
    assert scalar(networks["frontend"], "internal") in (None, "false"), networks["frontend"]
    # ... which holds every service but the offline one-shot, and frontend the api alone
    for name, service in services.items():
        if name == "minio-volume-init":
            assert scalar(service, "network_mode") == "none"
            assert not networks_of(service)
            continue
        assert "backend" in networks_of(service), name
        expected = {"backend", "frontend"} if name == "api" else {"backend"}
        assert networks_of(service) == expected, (name, networks_of(service))
        assert scalar(service, "network_mode") in (None, ""), name
    # and the api is the one service with a published port
    assert {name for name, service in services.items() if published(service)} == {"api"}


def test_the_consoles_are_published_on_loopback_only_for_maintenance(
    compose: list[str], tmp_path: Path
) -> None:
    # Given the override for a maintenance session
    override = COMPOSE_CONFIG / "consoles.yml"
    stack = rendered_sections(compose, tmp_path, "-f", str(override))
    services = stack["services"]

    # Then MinIO's console and RabbitMQ's management UI are published, on loopback, over a
    # network of their own, and nothing else changes in what is published
    assert published(services["minio"]) == [("127.0.0.1", "9001", "9001")]
    assert published(services["rabbitmq"]) == [("127.0.0.1", "15671", "15671")]
    assert published(services["api"]) == [("127.0.0.1", "8443", "8443")]
    assert {name for name, service in services.items() if published(service)} == {
        "api",
        "minio",
        "rabbitmq",
    }
    assert networks_of(services["minio"]) == {"backend", "consoles"}
    assert networks_of(services["rabbitmq"]) == {"backend", "consoles"}
    assert scalar(stack["networks"]["consoles"], "internal") in (None, "false")
    assert networks_of(services["worker"]) == {"backend"}


def test_images_are_pinned_by_digest_with_their_source(services: dict[str, Service]) -> None:
    for name, service in services.items():
        image = scalar(service, "image") or ""
        if "build" in service:
            assert image == "intake:latest", name  # built here, from the Dockerfile
            continue
        assert DIGEST.match(image), f"{name}: {image} is not pinned by digest"

    # beside each pinned image, a comment says which public file the digest was read from
    lines = COMPOSE_FILE.read_text().splitlines()
    for number, line in enumerate(lines):
        if "@sha256:" in line and line.strip().startswith("image:"):
            comments = [s.strip() for s in lines[max(0, number - 4) : number] if "#" in s]
            assert any("From " in c for c in comments), f"no source for {line.strip()}"
    dockerfile = DOCKERFILE.read_text()
    base = re.search(r"^FROM (\S+)$", dockerfile, re.MULTILINE)
    assert base and DIGEST.match(base[1]), "the Dockerfile's base image is not pinned"
    assert "repo-info" in dockerfile[: base.start()]


def test_every_service_runs_with_least_privilege(services: dict[str, Service]) -> None:
    for name, service in services.items():
        assert items(service, "cap_drop") == ["ALL"], name
        assert items(service, "security_opt") == ["no-new-privileges:true"], name
        assert scalar(service, "read_only") == "true", name
        assert scalar(service, "mem_limit"), f"{name} has no memory limit"
        user = scalar(service, "user") or ""
        if name == "minio-volume-init":
            # the one root container: it only hands the new volume to minio's uid, offline
            assert user == "0:0"
            assert items(service, "cap_add") == ["CHOWN"]
            assert scalar(service, "network_mode") == "none"
            continue
        assert user and not user.startswith(("0:", "root")) and user != "0", f"{name}: {user}"
        assert "cap_add" not in service, f"{name} adds capabilities"
    assert scalar(services["minio"], "user") == "10002:10002"
    assert "10002:10002" in flat(services["minio-volume-init"], "command")
    assert "nocopy" in flat(services["minio"], "volumes")  # keeps the ownership it was given
    for name in APP_SERVICES:
        assert scalar(services[name], "user") == "10001:10001"
        assert "/tmp" in flat(services[name], "tmpfs")


def test_every_long_running_service_has_a_healthcheck(services: dict[str, Service]) -> None:
    for name in LONG_RUNNING:
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
        assert scalar(services[name], "restart") == "unless-stopped", name
    for role in ("watcher", "worker"):
        check = flat(services[role], "healthcheck")
        for word in ("intake", "healthcheck", "--role", role, "--max-age"):
            assert word in check, (role, check)
    # a one-shot has no healthcheck: it runs to its end, and what needs it waits for that
    for name in ONE_SHOT:
        assert scalar(services[name], "restart") == "no", name
    assert "service_completed_successfully" in flat(services["minio"], "depends_on")
    assert "service_completed_successfully" in flat(services["migrate"], "depends_on")


def test_compose_file_has_no_secret_defaults() -> None:
    text = COMPOSE_FILE.read_text()
    for name in REQUIRED:
        uses = re.findall(r"\$\{" + name + r"(\W[^}]*)?\}", text)
        assert uses, f"{name} is not used"
        for rest in uses:
            assert rest.startswith(":?"), f"${{{name}{rest}}}: a secret must be required"


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_compose_config_refused_without_secret(
    compose: list[str], tmp_path: Path, missing: str
) -> None:
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = run_config(compose, tmp_path, env)
    assert result.returncode != 0, result.stdout
    assert missing in result.stderr


def lock_entries() -> dict[str, tuple[str, list[str]]]:
    """The lock as name: (version, hashes); every entry must be ``name==version`` + hashes."""
    entries: dict[str, tuple[str, list[str]]] = {}
    joined = LOCK.read_text().replace("\\\n", " ")
    for line in joined.splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        entry = re.fullmatch(
            r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s+--hash=sha256:\S+)+)", text
        )
        assert entry, f"not pinned with hashes: {text}"
        hashes = re.findall(r"--hash=sha256:(\S+)", entry[3])
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), text
        entries[canonicalize_name(entry[1])] = (entry[2], hashes)
    return entries


def _needed(requirement: Requirement) -> Iterator[Requirement]:
    """What an installed distribution of ``requirement`` asks for, for this platform."""
    for text in importlib.metadata.requires(requirement.name) or []:
        wanted = Requirement(text)
        extras = {"", *requirement.extras}
        if wanted.marker is None or any(wanted.marker.evaluate({"extra": e}) for e in extras):
            yield wanted


def test_lock_covers_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    locked = lock_entries()
    assert "Python 3.11" in LOCK.read_text().splitlines()[1]
    todo = [Requirement(text) for text in project["project"]["dependencies"]]
    # the build backend too: the Dockerfile installs the project with --no-build-isolation
    todo += [Requirement(text) for text in project["build-system"]["requires"]]
    problems: list[str] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if (name, frozenset(requirement.extras)) in seen:
            continue
        seen.add((name, frozenset(requirement.extras)))
        if name not in locked:
            problems.append(f"{requirement} is not in the lock")
            continue
        version = locked[name][0]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement}, but the lock has {version}")
        # Follow its own requirements where the installed version is the locked one; another
        # version may need other things, which says nothing about the locked one.
        try:
            installed = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if installed == version:
            todo.extend(_needed(requirement))
    assert not problems, problems


def test_dockerfile_installs_exactly_the_lock() -> None:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    installs = [line for line in text.splitlines() if "pip install" in line]
    assert len(installs) == 2, installs
    locked, project = installs
    for flag in ("--require-hashes", "--no-deps", "--only-binary :all:", "-r requirements.lock"):
        assert flag in locked, flag
    for flag in ("--no-deps", "--no-index", "--no-build-isolation"):
        assert flag in project, flag
    assert "COPY requirements.lock" in text
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [p.strip() for p in ignored if p.strip() and not p.startswith("#")]
    assert not [p for p in patterns if "lock" in p], "the lock must reach the build"


# --- rabbitmq-setup.py against a real RabbitMQ node --------------------------------------

# Debian's own scripts: its /usr/sbin wrappers would switch to the rabbitmq user.
RABBITMQ_BIN = Path("/usr/lib/rabbitmq/bin")
RABBITMQ_SETUP = COMPOSE_CONFIG / "rabbitmq-setup.py"
APP_USER = "intake-app"
FULL = {"configure": ".*", "write": ".*", "read": ".*"}


@dataclass(frozen=True)
class Node:
    """A RabbitMQ node of this module's own: AMQP and the management API, both over TLS."""

    management_url: str
    amqp_port: int
    ca: Path
    admin_password: str

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The management API as the administrator; the decoded answer."""
        return _management(self, "intake", self.admin_password, method, path, body)


def _management(
    node: Node, user: str, password: str, method: str, path: str, body: dict[str, Any] | None
) -> Any:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(
        node.management_url + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
        method=method,
    )
    context = ssl.create_default_context(cafile=str(node.ca))
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            data = response.read()
    except urllib.error.HTTPError as exc:
        exc.close()  # its status is all the callers read
        raise
    return json.loads(data) if data else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def rabbitmq_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    """A fresh node with the management plugin, configured the way rabbitmq.conf does."""
    server = RABBITMQ_BIN / "rabbitmq-server"
    require(server.exists(), f"RabbitMQ is not installed ({server})")
    folder = tmp_path_factory.mktemp("rabbitmq")
    ca, cert, key = write_certificates(folder / "tls")
    amqp, management, dist = _free_port(), _free_port(), _free_port()
    password = secrets.token_urlsafe(16)
    (folder / "rabbitmq.conf").write_text(
        f"""listeners.tcp = none
listeners.ssl.default = 127.0.0.1:{amqp}
ssl_options.cacertfile = {ca}
ssl_options.certfile = {cert}
ssl_options.keyfile = {key}
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
management.ssl.ip = 127.0.0.1
management.ssl.port = {management}
management.ssl.cacertfile = {ca}
management.ssl.certfile = {cert}
management.ssl.keyfile = {key}
default_user = intake
default_pass = {password}
"""
    )
    (folder / "enabled_plugins").write_text("[rabbitmq_management].\n")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),  # its own Erlang cookie
        "RABBITMQ_NODENAME": f"intake-compose-{secrets.token_hex(4)}@localhost",
        "RABBITMQ_DIST_PORT": str(dist),
        "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq.conf"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
        "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
        "RABBITMQ_LOG_BASE": str(folder / "log"),
        "RABBITMQ_PID_FILE": str(folder / "node.pid"),
    }
    node = Node(f"https://localhost:{management}", amqp, ca, password)
    with (folder / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [str(server)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def answers() -> bool:
            assert process.poll() is None, (folder / "server.log").read_text()[-2000:]
            try:
                node.call("GET", "/api/whoami")
            except (urllib.error.URLError, OSError):
                return False
            return True

        wait_for(answers, timeout=120, every=0.5)
        yield node
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_setup(node: Node, **env: str) -> subprocess.CompletedProcess[str]:
    """rabbitmq-setup.py as the compose service runs it, its settings in the environment."""
    settings = {
        "RABBITMQ_MANAGEMENT_URL": node.management_url,
        "RABBITMQ_ADMIN_USER": "intake",
        "RABBITMQ_PASSWORD": node.admin_password,
        "RABBITMQ_APP_USER": APP_USER,
        "RABBITMQ_APP_PASSWORD": "app-pass-1",
        "SSL_CERT_FILE": str(node.ca),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-I", str(RABBITMQ_SETUP)],
        env={"PATH": os.environ.get("PATH", ""), **settings},
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )


def _amqp_round_trip(node: Node, password: str) -> bytes:
    """Declare a queue, publish to it and take the message back, as the app's user."""
    context = ssl.create_default_context(cafile=str(node.ca))
    params = pika.URLParameters(f"amqps://{APP_USER}:{password}@localhost:{node.amqp_port}/")
    params.ssl_options = pika.SSLOptions(context, "localhost")
    connection = pika.BlockingConnection(params)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        queue = f"probe.{secrets.token_hex(4)}"
        channel.queue_declare(queue, durable=True)
        channel.basic_publish("", queue, b"capture-id")
        _, _, body = channel.basic_get(queue, auto_ack=True)
        channel.queue_delete(queue)
        return bytes(body)
    finally:
        connection.close()


@pytest.mark.rabbitmq
@pytest.mark.slow
def test_rabbitmq_setup_leaves_the_app_a_user_without_tags_on_one_vhost(
    rabbitmq_node: Node,
) -> None:
    node = rabbitmq_node
    # Given a node where the app's user exists already, an administrator, with a second
    # vhost (what a hand-made or older stack might have)
    node.call("PUT", "/api/vhosts/other", {})
    node.call("PUT", f"/api/users/{APP_USER}", {"password": "old-pass", "tags": "administrator"})
    node.call("PUT", f"/api/permissions/other/{APP_USER}", FULL)

    # When the setup runs, and again (each `docker-compose up` runs it)
    for password in ("app-pass-1", "app-pass-2"):
        result = run_setup(node, RABBITMQ_APP_PASSWORD=password)
        assert result.returncode == 0, result.stderr
        # (neither password is printed)
        output = result.stdout + result.stderr
        assert password not in output
        assert node.admin_password not in output

    # Then the user has no tags and permissions on "/" alone, with the last password
    user = node.call("GET", f"/api/users/{APP_USER}")
    assert user["tags"] in ([], ""), user
    granted = node.call("GET", f"/api/users/{APP_USER}/permissions")
    assert [(p["vhost"], p["configure"], p["write"], p["read"]) for p in granted] == [
        ("/", ".*", ".*", ".*")
    ]
    # it does over AMQPS what the workers do: declare a queue, publish, consume
    assert _amqp_round_trip(node, "app-pass-2") == b"capture-id"
    # but the management API (and so the UI) refuses it
    with pytest.raises(urllib.error.HTTPError) as refused:
        _management(node, APP_USER, "app-pass-2", "GET", "/api/whoami", None)
    assert refused.value.code == 401
    # and the administrator is left as it was
    admin = node.call("GET", "/api/users/intake")
    assert "administrator" in (
        admin["tags"] if isinstance(admin["tags"], list) else [admin["tags"]]
    )


@pytest.mark.rabbitmq
@pytest.mark.slow
@pytest.mark.parametrize(
    ("settings", "said"),
    [
        pytest.param({"RABBITMQ_MANAGEMENT_URL": "http://localhost:1"}, "https://", id="http"),
        pytest.param({"RABBITMQ_APP_USER": "intake"}, "administrator", id="app-is-admin"),
        pytest.param({"RABBITMQ_APP_PASSWORD": "<admin>"}, "RABBITMQ_PASSWORD", id="same-pass"),
        pytest.param({"RABBITMQ_PASSWORD": "wrong-pass"}, "refused", id="wrong-admin-pass"),
        pytest.param({"SSL_CERT_FILE": "<system>"}, "not trusted", id="untrusted-cert"),
        pytest.param({"RABBITMQ_APP_PASSWORD": ""}, "not set", id="no-app-pass"),
    ],
)
def test_rabbitmq_setup_refuses_what_would_weaken_it(
    settings: dict[str, str], said: str, rabbitmq_node: Node
) -> None:
    node = rabbitmq_node
    values = {
        name: {
            "<admin>": node.admin_password,
            "<system>": ssl.get_default_verify_paths().cafile,
        }.get(value, value)
        or ""
        for name, value in settings.items()
    }
    result = run_setup(node, **values)
    assert result.returncode != 0
    assert said in result.stderr, result.stderr
    assert node.admin_password not in result.stdout + result.stderr
