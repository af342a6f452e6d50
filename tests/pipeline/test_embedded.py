"""The embedded services start for real, keep their data, and leave no process behind."""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg
import pytest
import redis
import urllib3
from minio import Minio
from minio.error import S3Error

from pipeline.embedded import (
    PG_ACCOUNT,
    Embedded,
    Endpoints,
    free_port,
    port_is_free,
    read_endpoints,
)

pytestmark = pytest.mark.services

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def s3_client(endpoints: Endpoints, *, secret_key: str | None = None) -> Iterator[Minio]:
    pool = urllib3.PoolManager(retries=False)
    try:
        yield Minio(
            endpoints.s3_endpoint,
            access_key=endpoints.s3_access_key,
            secret_key=endpoints.s3_secret_key if secret_key is None else secret_key,
            secure=False,
            http_client=pool,
        )
    finally:
        pool.clear()


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_gone(pids: list[int], timeout: float = 20.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := [pid for pid in pids if not gone(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_free_port_can_be_listened_on() -> None:
    port = free_port()
    assert port_is_free(port)
    assert free_port({port}) != port


def test_all_three_start_keep_their_data_and_stop(tmp_path: Path) -> None:
    # Given a fresh home
    home = tmp_path / "var"

    # When all three services start
    with Embedded(home) as services:
        first = services.endpoints
        pids = [proc.pid for proc in services.processes()]

        # Then each answers, and the endpoints are published privately
        assert read_endpoints(home) == first
        assert private(home / "run" / "endpoints.json")
        assert all(private(home / part) for part in ("pg/credentials.json", "s3/credentials.json"))
        assert first.database_url.startswith("postgresql://intake:")
        assert first.s3_bucket == "intake"
        with psycopg.connect(first.database_url, autocommit=True) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            conn.execute("CREATE TABLE kept (n int)")
            conn.execute("INSERT INTO kept VALUES (42)")
        with s3_client(first) as s3:
            s3.put_object("intake", "kept.txt", io.BytesIO(b"scan"), length=4)
        with s3_client(first, secret_key="wrong-secret-key") as s3, pytest.raises(S3Error) as no:
            s3.bucket_exists("intake")
        assert no.value.code == "SignatureDoesNotMatch"
        broker = redis.Redis.from_url(first.broker_url)
        try:
            assert broker.ping()
            broker.rpush("queue", b"message")
        finally:
            broker.close()

    # When they stop, no child is left and nothing is published
    assert wait_gone(pids, timeout=1.0) == []
    assert read_endpoints(home) is None

    # When they start again on the same home, the same data comes back
    with Embedded(home) as again:
        assert again.endpoints.database_url.split("@")[0] == first.database_url.split("@")[0]
        assert again.endpoints.s3_secret_key == first.s3_secret_key
        with psycopg.connect(again.endpoints.database_url) as conn:
            assert conn.execute("SELECT n FROM kept").fetchall() == [(42,)]
        with s3_client(again.endpoints) as s3:
            response = s3.get_object("intake", "kept.txt")
            try:
                assert response.read() == b"scan"
            finally:
                response.close()
                response.release_conn()
        broker = redis.Redis.from_url(again.endpoints.broker_url)
        try:
            assert broker.lrange("queue", 0, -1) == [b"message"]
        finally:
            broker.close()
        pids = [proc.pid for proc in again.processes()]
    assert wait_gone(pids, timeout=1.0) == []


def test_only_the_wanted_services_start(tmp_path: Path) -> None:
    # Given a caller that has its own database and store
    services = Embedded(tmp_path, want_database=False, want_store=False)

    # When it starts
    endpoints = services.start()
    try:
        # Then only the broker runs, and the other fields are empty
        assert len(services.processes()) == 1
        assert endpoints.broker_url.startswith("redis://:")
        assert endpoints.database_url == endpoints.s3_endpoint == endpoints.s3_bucket == ""
        assert read_endpoints(tmp_path) == endpoints
        assert not (tmp_path / "pg").exists()
    finally:
        services.stop()
        services.stop()  # a second stop changes nothing
    assert not (tmp_path / "run" / "endpoints.json").exists()


def test_children_die_with_a_killed_parent_and_the_home_starts_again(tmp_path: Path) -> None:
    # Given an `intake up` that started PostgreSQL and the broker
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from pipeline.embedded import Embedded\n"
        "services = Embedded(Path(sys.argv[1]), want_store=False)\n"
        "services.start()\n"
        "print(*(proc.pid for proc in services.processes()), flush=True)\n"
        "time.sleep(600)\n"
    )
    argv = [sys.executable, "-c", script, str(tmp_path)]
    with subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE) as parent:
        assert parent.stdout is not None
        pids = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(pids) == 2

        # When it is killed without a chance to clean up
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()

    # Then its children die too, and the home starts again
    assert wait_gone(pids) == []
    assert read_endpoints(tmp_path) is None
    with Embedded(tmp_path, want_store=False) as services:
        postgres = next(proc for proc in services.processes() if "postgres" in str(proc.args))
        with psycopg.connect(services.endpoints.database_url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)

        # When PostgreSQL itself is killed, a supervisor notices
        postgres.kill()
        assert postgres.wait(timeout=5) == -signal.SIGKILL

    # Then the home starts again over the postmaster.pid it left, even when its pid has
    # meanwhile gone to another process of the same user (as after a container restart)
    pid_file = tmp_path / "pg" / "data" / "postmaster.pid"
    same_user = PG_ACCOUNT if os.geteuid() == 0 else None
    with subprocess.Popen(["sleep", "60"], user=same_user) as other:
        try:
            lines = pid_file.read_text().splitlines(keepends=True)
            pid_file.write_text("".join([f"{other.pid}\n", *lines[1:]]))
            with (
                Embedded(tmp_path, want_store=False, want_broker=False) as services,
                psycopg.connect(services.endpoints.database_url) as conn,
            ):
                assert conn.execute("SELECT 1").fetchone() == (1,)
        finally:
            other.kill()
