"""Start the embedded real services (PostgreSQL, SeaweedFS S3, Valkey) under a home folder.

Each server is a foreground child, never daemonised, that the kernel signals if we die.
Secrets and ports live in ``home/{pg,s3}/credentials.json`` and ``home/broker/state.json``
(0600) and are reused, so a restart brings the same data back. ``home/run/endpoints.json``
(0600, with the writer's ``pid``) tells other commands where a running ``intake up`` listens;
a field is ``""`` when that service was not wanted (the caller has its own configuration).
One service can be stopped and started again on its own (``stop_service`` / ``start_service``,
for the chaos suite's outages): it comes back on the same ports with the same data.

Started by root, the servers run as the unprivileged service account (``pipeline.accounts``)
that owns the home folder (0700), from programs it can reach (``pipeline.binaries``); no
folder outside the home changes mode.  Root reads and writes in that folder without
following symbolic links, since the account could plant them.  Every port of the store but
S3 (which checks its keys) demands a client certificate (``pipeline.certs``).
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Self
from urllib.parse import quote

import psutil
import psycopg
import redis
import urllib3
from minio import Minio
from minio.error import MinioException

from config.errors import Misconfigured
from pipeline import binaries, certs
from pipeline.accounts import DEFAULT_ACCOUNT, Account, claim_home, service_account
from pipeline.folders import Folder

BUCKET = "intake"
SERVICES = ("broker", "store", "database")  # in the order they start
APP_ROLE = "intake_app"  # the application's login role (made by the migrations' caller)
_HOST = "127.0.0.1"
_STOP_GRACE = 15.0
# weed's background worker dials the admin gRPC port at admin HTTP port + 10000, whatever
# -admin.port.grpc says, so the two are chosen together.
_ADMIN_GRPC_OFFSET = 10000
_WEED_PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
               "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc")  # fmt: skip
_WEED_JWT = ("jwt.signing", "jwt.signing.read", "jwt.filer_signing", "jwt.filer_signing.read")
_WEED_GRPC = ("master", "volume", "filer", "s3", "admin", "worker", "msg_broker", "msg_agent",
              "mq")  # fmt: skip
_WEED_HTTPS = ("master", "volume", "filer", "admin")
_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_MAX_SOCKET_PATH = 100  # a unix socket's path has room for 107 bytes
_libc = ctypes.CDLL(None, use_errno=True)

Waiter = Callable[[], None]


@dataclass(frozen=True)
class Endpoints:
    """Where the services listen; a field is ``""`` when that service was not started here."""

    database_url: str  # the application's role: no DDL, and the audit log is append-only
    database_admin_url: str  # the superuser, for migrations only
    s3_endpoint: str  # https, with a certificate of s3_ca_file's authority
    s3_ca_file: str
    s3_access_key: str
    s3_secret_key: str
    s3_bucket: str
    broker_url: str


def free_port(avoid: set[int] | frozenset[int] = frozenset()) -> int:
    """Ask the OS for a loopback TCP port that nothing listens on, and not in ``avoid``."""
    while True:
        with socket.socket() as sock:
            sock.bind((_HOST, 0))
            port: int = sock.getsockname()[1]
        if port not in avoid:
            return port


def port_is_free(port: int) -> bool:
    """True when a server could listen on ``port`` of the loopback address now."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do
        try:
            sock.bind((_HOST, port))
        except OSError:
            return False
    return True


def read_endpoints(home: Path) -> Endpoints | None:
    """What a running ``intake up`` on ``home`` wrote, or None when none is running."""
    try:
        with Folder.open(home / "run", None) as run:
            data = run.read_json("endpoints.json")
        os.kill(int(data["pid"]), 0)
    except (Misconfigured, ProcessLookupError, KeyError, ValueError, TypeError):
        return None
    except PermissionError:
        pass  # alive, but another user's
    return Endpoints(**{f.name: str(data.get(f.name, "")) for f in fields(Endpoints)})


class Embedded:
    """Start, watch and stop the wanted embedded services under ``home``.

    Call ``start()`` from a thread that lives as long as the services (normally the main
    thread): the kernel's parent-death signal follows the thread that started a child.
    """

    def __init__(
        self,
        home: Path,
        *,
        want_database: bool = True,
        want_store: bool = True,
        want_broker: bool = True,
        run_as: str = DEFAULT_ACCOUNT,
    ) -> None:
        self.home = home.absolute()
        self._run_as = run_as
        self._account: Account | None = None
        self._programs: binaries.Programs | None = None
        self._want = (want_broker, want_store, want_database)
        self._children: list[tuple[subprocess.Popen[bytes], int]] = []
        self._running: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
        self._ports: dict[str, frozenset[int]] = {}
        self._taken: set[int] = set()
        self._fields: dict[str, str] = {}
        self._lock: int | None = None
        self._root: Folder | None = None
        self._endpoints: Endpoints | None = None

    @property
    def endpoints(self) -> Endpoints:
        """The endpoints of the running services (after ``start()``)."""
        if self._endpoints is None:
            raise RuntimeError("the embedded services are not started")
        return self._endpoints

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def processes(self) -> list[subprocess.Popen[bytes]]:
        """The children, for a supervisor that wants to notice one died."""
        return [proc for proc, _ in self._children]

    def start(self) -> Endpoints:
        """Start what is wanted, wait until each answers, and write ``run/endpoints.json``."""
        if self._lock is not None:
            raise RuntimeError("the embedded services are already started")
        self._account = service_account(self._run_as)
        self.home = claim_home(self.home, self._account)
        self._root = Folder.open(self.home, self._account)
        with self._folder("run") as run:
            lock = os.open("lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600, dir_fd=run.fd)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            self._root.close()
            raise Misconfigured(f"{self.home} is in use by another running intake") from None
        self._lock = lock
        try:
            self._programs = binaries.for_account(self._account)
            # Spawn all, then wait for each, so the servers start side by side.
            wanted = [name for name, want in zip(SERVICES, self._want, strict=True) if want]
            for wait in [self._spawn_service(name) for name in wanted]:
                wait()
        except BaseException:
            self.stop()
            raise
        found = {f.name: self._fields.get(f.name, "") for f in fields(Endpoints)}
        self._endpoints = Endpoints(**found)
        with self._folder("run") as run:
            run.write_private("endpoints.json", {"pid": os.getpid(), **asdict(self._endpoints)})
        return self._endpoints

    def stop(self) -> None:
        """Signal every child, wait up to 15 s, then kill what is left; safe to call twice."""
        for proc, sig in self._children:
            if proc.poll() is None:
                proc.send_signal(sig)
        deadline = time.monotonic() + _STOP_GRACE
        for proc, _ in self._children:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._children.clear()
        self._running.clear()
        _clear_weed_sockets(self._taken)
        self._taken.clear()
        self._ports.clear()
        self._endpoints = None
        if self._lock is not None and self._root is not None:
            with self._folder("run") as run:
                run.unlink("endpoints.json")
            os.close(self._lock)  # which releases the flock
            self._lock = None
        if self._root is not None:
            self._root.close()
            self._root = None

    def running(self) -> tuple[str, ...]:
        """The names (of ``SERVICES``) of the services running now."""
        return tuple(name for name in SERVICES if name in self._running)

    def dead(self) -> tuple[str, ...]:
        """The services started here whose server has exited on its own."""
        return tuple(n for n, (proc, _) in self._running.items() if proc.poll() is not None)

    def revive(self, name: str) -> None:
        """Start the dead service ``name`` again, on its ports and data.

        ``Misconfigured`` when one of its ports was taken meanwhile, by anyone: then no
        client may be sent there.
        """
        self.stop_service(name)
        self.start_service(name)

    def stop_service(self, name: str) -> None:
        """Stop one running service as ``stop()`` would, keeping its ports and data.

        Its clients see it go away; ``start_service(name)`` brings it back.
        """
        child = self._running.pop(name, None)
        if child is None:
            raise RuntimeError(f"the embedded {name} is not running")
        self._children.remove(child)
        proc, sig = child
        if proc.poll() is None:
            proc.send_signal(sig)
        try:
            proc.wait(timeout=_STOP_GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        _clear_weed_sockets(self._ports[name])

    def start_service(self, name: str) -> None:
        """Start a service that ``stop_service`` stopped, on the same ports and data.

        Waits until it answers.  Call it from the thread that called ``start()`` (the
        parent-death signal follows the starting thread).  ``Misconfigured`` when one of its
        ports has been taken meanwhile: its clients would not find it elsewhere.
        """
        if self._lock is None:
            raise RuntimeError("the embedded services are not started")
        if name in self._running or name not in self._ports:
            raise RuntimeError(f"the embedded {name} is running, or was never started here")
        ports = self._ports[name]
        self._taken -= ports
        deadline = time.monotonic() + _STOP_GRACE
        while not all(port_is_free(port) for port in ports):
            if time.monotonic() > deadline:
                self._taken |= ports
                raise Misconfigured(f"a port of the embedded {name} is taken: {sorted(ports)}")
            time.sleep(0.1)
        wait = self._spawn_service(name)
        # A subset: a port tried and passed over at the first start is not asked for again.
        if not self._ports[name] <= ports:  # taken in the instant after the check above
            self.stop_service(name)
            raise Misconfigured(f"a port of the embedded {name} was taken: {sorted(ports)}")
        wait()

    def _spawn_service(self, name: str) -> Waiter:
        """Spawn one of ``SERVICES``, noting its child and the ports it took."""
        spawn = {
            "broker": self._spawn_broker,
            "store": self._spawn_store,
            "database": self._spawn_database,
        }[name]
        before = set(self._taken)
        wait = spawn()
        self._ports[name] = frozenset(self._taken - before)
        self._running[name] = self._children[-1]
        return wait

    def _spawn_database(self) -> Waiter:
        pg = self._folder("pg")
        state = pg.read_json("credentials.json")
        data = self._folder("pg/data")
        initialised = data.exists("PG_VERSION")
        if initialised and "password" not in state:
            raise Misconfigured(f"{pg.path / 'credentials.json'} is missing: the cluster is locked")
        password = str(state.get("password") or secrets.token_urlsafe(24))
        app_password = str(state.get("app_password") or secrets.token_urlsafe(24))
        port = self._port(state.get("port"))
        # Root's own file: the account that runs the servers and the application cannot
        # read the superuser's password.
        pg.write_private(
            "credentials.json", {"password": password, "app_password": app_password, "port": port}
        )
        assert self._programs is not None
        bin_dir = self._programs.pg_bin
        if not initialised:
            self._initdb(bin_dir / "initdb", pg, data, password)
        _clear_stale_pid(data)
        self._fields["database_admin_url"] = _pg_url("intake", password, port)
        self._fields["database_url"] = _pg_url(APP_ROLE, app_password, port)

        def ready() -> bool:
            try:
                with psycopg.connect(
                    host=_HOST, port=port, user="intake", password=password,
                    dbname="postgres", connect_timeout=2, autocommit=True,
                    require_auth="scram-sha-256",
                ) as conn:  # fmt: skip
                    found = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'intake'")
                    if found.fetchone() is None:
                        conn.execute("CREATE DATABASE intake OWNER intake")
            except psycopg.OperationalError as error:
                if "password authentication failed" in str(error):
                    raise Misconfigured(f"{pg.path / 'credentials.json'} does not match") from error
                return False
            return True

        # Errors are logged without the row or statement they concern: those may quote a
        # client's data.
        quiet = ["-c", "log_error_verbosity=terse", "-c", "log_min_error_statement=panic"]
        argv = [bin_dir / "postgres", "-D", data.path, "-h", _HOST, "-p", str(port), "-k", "",
                *quiet]  # fmt: skip
        # SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
        return self._spawn(argv, pg, "postgres.log", data, ready, 30.0, stop=signal.SIGINT)

    def _spawn_store(self) -> Waiter:
        s3 = self._folder("s3")
        state = s3.read_json("credentials.json")
        access = str(state.get("access_key") or secrets.token_hex(10))
        secret = str(state.get("secret_key") or secrets.token_urlsafe(30))
        kept = state.get("jwt")
        kept = kept if isinstance(kept, dict) else {}
        jwt = {part: str(kept.get(part) or secrets.token_hex(32)) for part in _WEED_JWT}
        saved = state.get("ports")
        saved = saved if isinstance(saved, dict) else {}
        ports = {name: self._port(saved.get(name)) for name in _WEED_PORTS}
        ports["admin.port"] = self._admin_port(saved.get("admin.port"))
        ports["admin.port.grpc"] = ports["admin.port"] + _ADMIN_GRPC_OFFSET
        state = {"access_key": access, "secret_key": secret, "jwt": jwt, "ports": ports}
        s3.write_private("credentials.json", state)
        tls = self._store_tls()
        # weed reads ./security.toml (its working folder is s3/): mutual TLS on every HTTP
        # and gRPC port of master, volume, filer, admin and worker, and signed requests to the
        # volume and filer servers.  Only the S3 port answers without a client certificate:
        # it checks the keys, and it too serves TLS, so that no one who takes its port while
        # it is down can pass for it (and be handed the originals).
        s3.write_private("security.toml", _weed_security(tls, jwt), shared=True)
        assert self._programs is not None
        weed_path = self._programs.weed
        endpoint = f"{_HOST}:{ports['s3.port']}"
        ca_file = str(tls / "ca.crt")
        self._fields.update(s3_endpoint=endpoint, s3_access_key=access, s3_secret_key=secret)
        self._fields.update(s3_bucket=BUCKET, s3_ca_file=ca_file)
        # S3 answers before the volume server has told the master about the volumes on disk
        # (its first heartbeat can hit a master not yet leader again): wait for each of them.
        master = f"https://{_HOST}:{ports['master.port']}"
        lookups = [f"{master}/dir/lookup?volumeId={dat.stem.rsplit('_', 1)[-1]}"
                   for dat in s3.path.glob("*.dat")]  # fmt: skip

        def ready() -> bool:
            pool = urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=1, read=5), retries=False,
                cert_reqs="CERT_REQUIRED", ca_certs=ca_file,
            )  # fmt: skip
            inside = urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=1, read=5), retries=False,
                cert_reqs="CERT_REQUIRED", ca_certs=str(tls / "ca.crt"),
                cert_file=str(tls / "node.crt"), key_file=str(tls / "node.key"),
            )  # fmt: skip
            client = Minio(endpoint, access, secret, secure=True, http_client=pool)
            try:
                if not client.bucket_exists(BUCKET):
                    client.make_bucket(BUCKET)
                status = json.loads(inside.request("GET", f"{master}/dir/status").data)
                known = all(inside.request("GET", url).status == 200 for url in lookups)
            except (MinioException, urllib3.exceptions.HTTPError, ValueError):
                return False
            finally:
                pool.clear()
                inside.clear()
            return known and status.get("Topology", {}).get("Max", 0) > 0

        # Every port is explicit: flags beat the mini.options file weed keeps in -dir.
        argv = [weed_path, "-logtostderr", "mini", f"-dir={s3.path}", f"-ip={_HOST}",
                f"-ip.bind={_HOST}", f"-bucket={BUCKET}", "-webdav=false", "-admin.ui=false",
                "-master.telemetry=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
                "-volume.preStopSeconds=0", f"-s3.cert.file={tls / 'node.crt'}",
                f"-s3.key.file={tls / 'node.key'}",
                *(f"-{name}={port}" for name, port in ports.items())]  # fmt: skip
        env = {**self._env(s3.path), "AWS_ACCESS_KEY_ID": access, "AWS_SECRET_ACCESS_KEY": secret}
        return self._spawn(argv, s3, "weed.log", s3, ready, 60.0, env=env)

    def _store_tls(self) -> Path:
        """``s3/tls/``: the store's certificate authority, certificate and key (made once)."""
        with self._folder("s3/tls") as tls:
            files = {"ca.crt": "ca_pem", "node.crt": "cert_pem", "node.key": "key_pem"}
            if not all(tls.exists(name) for name in files):
                made = certs.issue("intake embedded store")
                for name, part in files.items():
                    tls.write_private(name, getattr(made, part).decode(), shared=True)
            return tls.path

    def _spawn_broker(self) -> Waiter:
        broker = self._folder("broker")
        state = broker.read_json("state.json")
        password = str(state.get("password") or secrets.token_urlsafe(24))
        broker.write_private("state.json", {"password": password})
        assert self._programs is not None
        binary = self._programs.valkey
        # A local socket in the home (0700), no TCP port: no other user can reach it, or
        # take its place while it is down and be sent the password.
        sock = broker.path / "valkey.sock"
        if len(str(sock).encode()) > _MAX_SOCKET_PATH:
            raise Misconfigured(f"INTAKE_HOME is too long for the broker's socket: {sock}")
        # A config file, not arguments, so that the password does not show in `ps`.
        lines = ["port 0", f"unixsocket {json.dumps(str(sock), ensure_ascii=False)}",
                 "unixsocketperm 700", f"requirepass {password}", "daemonize no",
                 f"dir {json.dumps(str(broker.path), ensure_ascii=False)}", "appendonly yes",
                 'logfile ""', "protected-mode yes"]  # fmt: skip
        broker.write_private("valkey.conf", "\n".join(lines) + "\n", shared=True)
        self._fields["broker_url"] = f"unix://{quote(str(sock))}?db=0&password={quote(password)}"

        def ready() -> bool:
            client = redis.Redis(unix_socket_path=str(sock), password=password, socket_timeout=2)
            try:
                return bool(client.ping())
            except (redis.exceptions.ConnectionError, OSError):  # not yet, or loading the AOF
                return False
            finally:
                client.close()

        config = broker.path / "valkey.conf"
        return self._spawn([binary, config], broker, "valkey.log", broker, ready, 30.0)

    def _folder(self, relative: str) -> Folder:
        """``home/relative``, opened without links: made (0700, the account's) or checked."""
        assert self._root is not None, "start() opens the home first"
        folder = self._root
        for name in relative.split("/"):
            inner = folder.sub(name, adopt=True)
            if folder is not self._root:
                folder.close()
            folder = inner
        return folder

    def _env(self, folder: Path) -> dict[str, str]:
        """A server's environment: ours, with its own folder as ``HOME``."""
        return {**os.environ, "HOME": str(folder)}

    def _initdb(self, initdb: Path, pg: Folder, data: Folder, password: str) -> None:
        pg.write_private("pwfile", password + "\n", shared=True)
        argv: list[Any] = [initdb, "-D", data.path, "--auth=scram-sha-256",
                           f"--pwfile={pg.path / 'pwfile'}", "--username=intake",
                           "--encoding=UTF8", "--locale=C"]  # fmt: skip
        out = pg.append("postgres.log")
        try:
            done = subprocess.run(
                argv, stdout=out, stderr=subprocess.STDOUT, cwd=data.path, check=False,
                env=self._env(pg.path), **self._as_account(),
            )  # fmt: skip
        finally:
            os.close(out)
            pg.unlink("pwfile")
        if done.returncode != 0:
            log = pg.path / "postgres.log"
            raise RuntimeError(f"initdb failed with {done.returncode}; {log}:\n{_tail(log)}")

    def _as_account(self) -> dict[str, Any]:
        """Popen arguments that run a server as the service account (none when not root)."""
        return self._account.popen() if self._account is not None else {}

    def _port(self, saved: object) -> int:
        """The saved port while it is free, else a new free one."""
        free = isinstance(saved, int) and saved not in self._taken and port_is_free(saved)
        port = saved if free and isinstance(saved, int) else free_port(self._taken)
        self._taken.add(port)
        return port

    def _admin_port(self, saved: object) -> int:
        """A free port whose companion at +10000 is free too (see ``_ADMIN_GRPC_OFFSET``)."""
        port = self._port(saved)
        while (companion := port + _ADMIN_GRPC_OFFSET) > 65535 or not port_is_free(companion):
            port = self._port(None)
        self._taken.add(companion)
        return port

    def _spawn(
        self, argv: list[Any], logs: Folder, log: str, cwd: Folder, ready: Callable[[], bool],
        timeout: float, *, env: dict[str, str] | None = None, stop: int = signal.SIGTERM,
    ) -> Waiter:  # fmt: skip
        """Start a server as the account in ``cwd``, its output appended to ``logs/log``.

        The folders are closed here, once the child holds what it needs.
        """
        out = logs.append(log)
        try:
            # Own process group: a Ctrl-C meant for us reaches the servers through stop(), in
            # order, not straight from the terminal.
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=cwd.path, env=env or self._env(cwd.path), process_group=0,
                **self._as_account(), preexec_fn=functools.partial(_die_with, stop, os.getpid()),
            )  # fmt: skip
        finally:
            os.close(out)
            for folder in {id(logs): logs, id(cwd): cwd}.values():
                folder.close()
        self._children.append((proc, stop))
        log_path = logs.path / log
        return functools.partial(_wait_until, ready, proc, log_path, Path(argv[0]).name, timeout)


def _clear_weed_sockets(ports: set[int] | frozenset[int]) -> None:
    """Remove the unix sockets weed leaves behind in /tmp, named by our ports."""
    for port in ports:
        for leftover in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
            if port_is_free(port):
                leftover.unlink(missing_ok=True)


def _die_with(sig: int, parent: int) -> None:
    """In the child, after it changed user: get ``sig`` when the parent dies.

    Nor may it gain a privilege from any program it runs (no set-uid, no file capabilities).
    """
    _libc.prctl(_PR_SET_PDEATHSIG, sig)
    _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path, what: str, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}; {log}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} was not ready after {timeout:.0f} s; {log}:\n{_tail(log)}")
        time.sleep(0.1)


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(no log: {error})"


def _pg_url(user: str, password: str, port: int) -> str:
    """A URL that gives the password only by SCRAM.

    A server that asks for it in clear, or cannot prove that it knows it (one that took the
    port while ours was down), is refused.
    """
    query = "require_auth=scram-sha-256"
    return f"postgresql://{user}:{quote(password)}@{_HOST}:{port}/intake?{query}"


def _weed_security(tls: Path, jwt: dict[str, str]) -> str:
    """SeaweedFS's security.toml: mutual TLS everywhere, signed volume and filer requests."""
    ca, cert, key = (json.dumps(str(tls / name)) for name in ("ca.crt", "node.crt", "node.key"))
    lines = [
        *(f"[{part}]\nkey = {json.dumps(jwt[part])}\n" for part in _WEED_JWT),
        # Without read keys on it, the filer would list folders to anyone who got through.
        "[filer.expose_directory_metadata]\nenabled = false\n",
        f"[grpc]\nca = {ca}\n",
        *(f"[grpc.{part}]\ncert = {cert}\nkey = {key}\n" for part in _WEED_GRPC),
        f"[grpc.client]\ncert = {cert}\nkey = {key}\n",
        f"[https.client]\nenabled = true\ncert = {cert}\nkey = {key}\nca = {ca}\n",
        *(f"[https.{part}]\ncert = {cert}\nkey = {key}\nca = {ca}\n" for part in _WEED_HTTPS),
    ]
    return "\n".join(lines)


def _clear_stale_pid(data: Folder) -> None:
    """Make way past a postmaster.pid left by a killed run.

    While its pid is dead, PostgreSQL handles the file itself (and frees the shared memory it
    names); it refuses when that pid now belongs to another process, so then the file goes.
    """
    deadline = time.monotonic() + _STOP_GRACE
    try:
        pid = int((data.read("postmaster.pid") or b"").split()[0])
        proc = psutil.Process(pid)
        # An orphan of a killed `intake up` shuts down on its parent-death signal: wait for it.
        while proc.name() == "postgres" and str(data.path) in proc.cmdline():
            if time.monotonic() > deadline:
                raise Misconfigured(f"a PostgreSQL (pid {proc.pid}) still runs on {data.path}")
            time.sleep(0.1)
    except (ValueError, IndexError, psutil.NoSuchProcess):
        return
    data.unlink("postmaster.pid")
