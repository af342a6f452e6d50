"""The embedded services start for real, keep their data, and leave no process behind."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psutil
import psycopg
import pytest
import redis
import urllib3
from minio import Minio
from minio.error import S3Error

from config.errors import BackendUnavailable, Misconfigured
from config.settings import StoreConfig
from pipeline.accounts import service_account
from pipeline.embedded import (
    Embedded,
    Endpoints,
    free_port,
    port_is_free,
    read_endpoints,
)
from storage.objects import ObjectStore

pytestmark = pytest.mark.services

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def s3_client(endpoints: Endpoints, *, secret_key: str | None = None) -> Iterator[Minio]:
    pool = urllib3.PoolManager(
        retries=False, cert_reqs="CERT_REQUIRED", ca_certs=endpoints.s3_ca_file
    )
    try:
        yield Minio(
            endpoints.s3_endpoint,
            access_key=endpoints.s3_access_key,
            secret_key=endpoints.s3_secret_key if secret_key is None else secret_key,
            secure=True,
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


def test_all_three_start_keep_their_data_and_stop(account_tmp: Path) -> None:
    # Given a fresh home
    home = account_tmp / "var"

    # When all three services start
    with Embedded(home) as services:
        first = services.endpoints
        pids = [proc.pid for proc in services.processes()]

        # Then each answers, and the endpoints are published privately
        assert read_endpoints(home) == first
        assert private(home / "run" / "endpoints.json")
        assert all(private(home / part) for part in ("pg/credentials.json", "s3/credentials.json"))
        assert first.database_admin_url.startswith("postgresql://intake:")
        assert first.database_url.startswith("postgresql://intake_app:")
        assert first.s3_bucket == "intake"
        with psycopg.connect(first.database_admin_url, autocommit=True) as conn:
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
        with psycopg.connect(again.endpoints.database_admin_url) as conn:
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


def test_only_the_wanted_services_start(account_tmp: Path) -> None:
    # Given a caller that has its own database and store
    tmp_path = account_tmp
    services = Embedded(tmp_path, want_database=False, want_store=False)

    # When it starts
    endpoints = services.start()
    try:
        # Then only the broker runs, and the other fields are empty
        assert len(services.processes()) == 1
        assert endpoints.broker_url.startswith("unix://")
        assert endpoints.database_url == endpoints.s3_endpoint == endpoints.s3_bucket == ""
        assert endpoints.database_admin_url == ""
        assert read_endpoints(tmp_path) == endpoints
        assert not (tmp_path / "pg").exists()
    finally:
        services.stop()
        services.stop()  # a second stop changes nothing
    assert not (tmp_path / "run" / "endpoints.json").exists()


def test_children_die_with_a_killed_parent_and_the_home_starts_again(account_tmp: Path) -> None:
    # Given an `intake up` that started PostgreSQL and the broker
    tmp_path = account_tmp
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
        with psycopg.connect(services.endpoints.database_admin_url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)

        # When PostgreSQL itself is killed, a supervisor notices
        postgres.kill()
        assert postgres.wait(timeout=5) == -signal.SIGKILL

    # Then the home starts again over the postmaster.pid it left, even when its pid has
    # meanwhile gone to another process of the same user (as after a container restart)
    pid_file = tmp_path / "pg" / "data" / "postmaster.pid"
    account = service_account()
    same_user = account.name if account else None
    with subprocess.Popen(["sleep", "60"], user=same_user) as other:
        try:
            lines = pid_file.read_text().splitlines(keepends=True)
            pid_file.write_text("".join([f"{other.pid}\n", *lines[1:]]))
            with (
                Embedded(tmp_path, want_store=False, want_broker=False) as services,
                psycopg.connect(services.endpoints.database_admin_url) as conn,
            ):
                assert conn.execute("SELECT 1").fetchone() == (1,)
        finally:
            other.kill()


def modes_up_to_root(path: Path) -> dict[Path, int]:
    """The mode of every existing folder from ``path`` up to ``/``."""
    return {p: p.stat().st_mode for p in [path, *path.parents] if p.exists()}


def listening_ports(pid: int) -> set[int]:
    """The TCP ports a process (or its threads' children) listens on."""
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    return {
        c.laddr.port
        for proc in procs
        for c in proc.net_connections(kind="tcp")
        if c.status == psutil.CONN_LISTEN
    }


def tls_without_certificate(port: int, path: str) -> bytes | None:
    """What a TLS request without a client certificate gets back; None when refused."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
            context.wrap_socket(raw) as tls,
        ):
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            return tls.recv(4096) or None
    except (ssl.SSLError, ConnectionError, TimeoutError):
        return None


def plain_probes(port: int, key: str) -> list[tuple[str, str]]:
    """What an outsider without certificate or keys would send to a port of the store."""
    return [
        ("GET", f"http://127.0.0.1:{port}/buckets/intake/{key}"),
        ("GET", f"http://127.0.0.1:{port}/intake/{key}"),
        ("GET", f"http://127.0.0.1:{port}/dir/status"),
        ("GET", f"http://127.0.0.1:{port}/?pretty=y"),
        ("PUT", f"http://127.0.0.1:{port}/buckets/intake/planted.txt"),
        ("DELETE", f"http://127.0.0.1:{port}/buckets/intake/{key}"),
        ("DELETE", f"http://127.0.0.1:{port}/intake/{key}"),
    ]


def test_no_port_of_the_store_gives_or_takes_anything_without_keys(account_tmp: Path) -> None:
    # Given the embedded store holding a scan's OCR text with a person code
    secret = b'{"text": "Isikukood 49403136526"}'
    with Embedded(account_tmp / "var", want_database=False, want_broker=False) as services:
        endpoints = services.endpoints
        with s3_client(endpoints) as s3:
            s3.put_object("intake", "derived/x/ocr.json", io.BytesIO(secret), len(secret))
        (weed,) = services.processes()
        ports = listening_ports(weed.pid)
        s3_port = int(endpoints.s3_endpoint.rsplit(":", 1)[1])
        assert s3_port in ports and len(ports) >= 8  # master, volume, filer, admin, gRPC ...

        # When an outsider sends plain requests to every port it opens
        pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=2, read=5))
        answers: dict[tuple[str, str], int] = {}
        for port in sorted(ports):
            for method, url in plain_probes(port, "derived/x/ocr.json"):
                try:
                    reply = pool.request(method, url, body=b"planted" if method == "PUT" else None)
                except urllib3.exceptions.HTTPError:
                    continue  # refused outright
                assert secret not in reply.data and b"49403136526" not in reply.data, url
                answers[(method, url)] = reply.status
        # ... and TLS requests without the store's client certificate
        for port in sorted(ports - {s3_port}):
            assert tls_without_certificate(port, "/dir/status") is None, port

        # Then nothing was given or taken: no answer succeeded, the object is unchanged,
        # and nothing was planted
        assert answers and all(status >= 400 for status in answers.values()), answers
        with s3_client(endpoints) as s3:
            response = s3.get_object("intake", "derived/x/ocr.json")
            try:
                assert response.read() == secret
            finally:
                response.close()
                response.release_conn()
            names = [o.object_name for o in s3.list_objects("intake", recursive=True)]
            assert names == ["derived/x/ocr.json"]
        # ... and its local sockets are the account's alone
        for sock in Path("/tmp").glob("seaweedfs-*.sock"):
            if int(sock.stem.rsplit("-", 1)[1]) in ports:
                assert stat.S_IMODE(sock.stat().st_mode) & 0o077 == 0, sock


@pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the services to an account")
def test_started_by_root_every_server_runs_as_the_account_and_others_read_nothing(
    account_tmp: Path,
) -> None:
    # Given the modes of every folder above a fresh home
    home = account_tmp / "var"
    before = modes_up_to_root(account_tmp)
    account = service_account()
    assert account is not None

    # When root starts the three servers and they keep some data
    with Embedded(home) as services:
        with psycopg.connect(services.endpoints.database_admin_url, autocommit=True) as conn:
            conn.execute("CREATE TABLE scans (code text)")
            conn.execute("INSERT INTO scans VALUES ('49403136526')")
        with s3_client(services.endpoints) as s3:
            s3.put_object("intake", "originals/a.pdf", io.BytesIO(b"49403136526"), 11)

        # Then each server runs as the account, the home is its own, closed to others
        for proc in services.processes():
            assert psutil.Process(proc.pid).uids().real == account.uid
            assert psutil.Process(proc.pid).uids().effective == account.uid
        info = home.stat()
        assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (account.uid, 0o700)

        # ... another unprivileged user can list, read or enter nothing below it
        paths = [str(p) for p in home.rglob("*")]
        assert len(paths) > 20
        probe = (
            "import json, os, sys\n"
            "paths = json.load(sys.stdin)\n"
            "opened = []\n"
            "for path in paths:\n"
            "    try:\n"
            "        os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read(1)\n"
            "        opened.append(path)\n"
            "    except PermissionError:\n"
            "        pass\n"
            "print(json.dumps(opened))\n"
        )
        done = subprocess.run(
            ["/usr/bin/python3", "-c", probe],
            input=json.dumps([str(home), *paths]),
            capture_output=True,
            text=True,
            user="nobody",
            check=True,
        )
        assert json.loads(done.stdout) == []

    # ... and no folder above the home changed its mode
    assert modes_up_to_root(account_tmp) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the services to an account")
def test_a_home_the_account_cannot_reach_is_refused_and_nothing_opened(tmp_path: Path) -> None:
    # Given a home below a folder only root may enter (pytest's own temporary folders are)
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    before = modes_up_to_root(closed)

    # When the services are asked to start there
    with pytest.raises(Misconfigured, match="cannot reach") as refused:
        Embedded(closed / "var").start()

    # Then the folder that blocks the way is named, and no mode was changed to get by
    assert str(closed) in str(refused.value)
    assert modes_up_to_root(closed) == before
    assert not (closed / "var").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root writes in a folder of the account's")
def test_root_follows_no_link_the_account_planted_in_the_home(account_tmp: Path) -> None:
    # Given a home where the account replaced the database's folder with a link elsewhere
    home = account_tmp / "var"
    home.mkdir()
    elsewhere = account_tmp / "elsewhere"
    elsewhere.mkdir()
    (home / "pg").symlink_to(elsewhere)
    (home / "broker").mkdir()
    (home / "broker" / "valkey.log").symlink_to(elsewhere / "log")

    # When root starts the services there
    with pytest.raises((Misconfigured, OSError)):
        Embedded(home, want_store=False, want_broker=False).start()
    with pytest.raises((Misconfigured, OSError)):
        Embedded(home, want_store=False, want_database=False).start()

    # Then nothing was written through the links
    assert list(elsewhere.iterdir()) == []


class Taker(threading.Thread):
    """Someone else's server on a port ours left free: it records every byte it is sent.

    As PostgreSQL, it asks for the password in clear; as anything else it answers each
    request with 200 OK and an empty body (the store would take that for stored).
    """

    def __init__(self, port: int, *, postgres: bool) -> None:
        super().__init__(daemon=True)
        self.server = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.server.settimeout(0.2)
        self.postgres = postgres
        self.received = bytearray()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(3)
                with suppress(OSError):
                    self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        if self.postgres:
            while True:  # SSL and GSS requests get "no"; then the start-up message comes
                head = conn.recv(8)
                self.received += head
                if len(head) == 8 and int.from_bytes(head[4:], "big") in (80877103, 80877104):
                    conn.sendall(b"N")
                    continue
                self.received += conn.recv(int.from_bytes(head[:4], "big") - len(head))
                break
            conn.sendall(b"R" + (8).to_bytes(4, "big") + (3).to_bytes(4, "big"))  # cleartext
        while chunk := conn.recv(65536):
            self.received += chunk
            if not self.postgres:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        self.done.set()
        self.join(timeout=5)
        self.server.close()


def test_who_takes_a_port_while_its_server_is_down_gets_no_password_and_no_scan(
    account_tmp: Path,
) -> None:
    # Given the three services
    with Embedded(account_tmp / "var") as services:
        endpoints = services.endpoints
        pg_port = urlsplit(endpoints.database_url).port
        s3_port = int(endpoints.s3_endpoint.rsplit(":", 1)[1])
        assert pg_port is not None
        password = unquote(urlsplit(endpoints.database_url).password or "")

        # When the database and the store go down and another user takes their ports
        services.stop_service("database")
        services.stop_service("store")
        fake_pg, fake_s3 = Taker(pg_port, postgres=True), Taker(s3_port, postgres=False)
        fake_pg.start()
        fake_s3.start()
        try:
            # Then the application will not give its password to the database's impostor
            with pytest.raises(psycopg.OperationalError):
                psycopg.connect(endpoints.database_url, connect_timeout=3).close()
            # ... nor a scan to the store's
            store = ObjectStore(
                StoreConfig(
                    endpoints.s3_endpoint, endpoints.s3_access_key, endpoints.s3_secret_key,
                    endpoints.s3_bucket, secure=True, ca_file=endpoints.s3_ca_file,
                )
            )  # fmt: skip
            with pytest.raises(BackendUnavailable):
                store.put("originals/taken.pdf", b"%PDF Isikukood 37605030299", content_type="x/y")
        finally:
            fake_pg.close()
            fake_s3.close()
        assert fake_pg.received and password.encode() not in fake_pg.received
        assert fake_s3.received and b"37605030299" not in fake_s3.received

        # ... and the broker has no port to take: it listens on a socket in the home only
        assert endpoints.broker_url.startswith(f"unix://{account_tmp / 'var' / 'broker'}")
        broker_pid = next(p.pid for p in services.processes() if "valkey" in str(p.args))
        assert listening_ports(broker_pid) == set()

        # When the ports are free again, the servers come back on them
        services.start_service("store")
        services.start_service("database")
        with psycopg.connect(endpoints.database_admin_url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_dead_server_is_revived_on_its_port_with_its_data(account_tmp: Path) -> None:
    # Given the database, holding something
    with Embedded(account_tmp / "var", want_store=False, want_broker=False) as services:
        with psycopg.connect(services.endpoints.database_admin_url, autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (n int)")
            conn.execute("INSERT INTO kept VALUES (3)")
        (postgres,) = services.processes()

        # When it dies, the supervisor sees it and revives it
        postgres.kill()
        postgres.wait(timeout=10)
        assert services.dead() == ("database",)
        services.revive("database")

        # Then it answers again on the same endpoint, with its data
        assert services.dead() == ()
        with psycopg.connect(services.endpoints.database_admin_url) as conn:
            assert conn.execute("SELECT n FROM kept").fetchall() == [(3,)]
