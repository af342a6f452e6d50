"""``intake up``: start the embedded services and the watcher, a worker and the API; stop all.

Every process it starts is its child and is stopped on Ctrl-C or SIGTERM; a child that
dies is restarted after a pause, and so is an embedded server.  A second ``intake up`` on
the same home reuses the data.  Started by root, it stays root only to start and stop them:
the servers run as the service account, and the watcher, workers and API become it as soon
as they have started.

No other local user may pass for one of intake's servers: the API's port is bound here and
held for as long as ``intake up`` runs (the API serves on the socket it is handed, so the
port stays taken while the API restarts), and the API serves HTTPS with a certificate of the
home's own authority unless one is configured.  An embedded server whose port someone took
while it was down is not started elsewhere: ``intake up`` stops, saying so.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from config.errors import Misconfigured
from config.settings import Settings
from pipeline import certs
from pipeline.accounts import claim_home, service_account
from pipeline.embedded import Embedded
from pipeline.folders import Folder
from pipeline.keys import audit_key
from pipeline.services import build_services, resolve
from storage.roles import set_up

API_TLS = "api-tls"  # the home's folder of the API's certificate when none is configured


@dataclass
class _Child:
    name: str
    args: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started: float = field(default=0.0)
    keep_fds: tuple[int, ...] = ()


def _start(child: _Child, env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "pipeline.cli", *child.args]
    child.process = subprocess.Popen(command, env=env, pass_fds=child.keep_fds)
    child.started = time.monotonic()


def _stop_all(children: list[_Child], timeout: float = 20.0) -> None:
    for child in children:
        if child.process and child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        if child.process is None:
            continue
        try:
            child.process.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


def _listen(host: str, port: int) -> socket.socket:
    """The API's listening socket, bound here; ``OSError`` when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def api_certificate(home: Path, host: str) -> tuple[Path, Path, Path]:
    """The API's certificate, key and authority under ``home/api-tls`` (made once).

    Root's files when root starts intake: the API reads them before it gives up root.
    """
    names = ("api.crt", "api.key", "ca.crt")
    with Folder.open(home, service_account()) as root, root.sub(API_TLS) as tls:
        if not all(tls.exists(name) for name in names):
            hosts = tuple(dict.fromkeys(("127.0.0.1", "localhost", "::1", host)))
            made = certs.issue("intake API", hosts=hosts)
            for name, pem in zip(names, (made.cert_pem, made.key_pem, made.ca_pem), strict=True):
                tls.write_private(name, pem.decode())
        return tls.path / "api.crt", tls.path / "api.key", tls.path / "ca.crt"


def up(settings: Settings, *, port: int, workers: int = 1) -> int:
    """Run everything until a signal; returns the exit code."""
    host = settings.api_host
    try:
        listener = _listen(host, port)
    except OSError:
        print(f"port {port} is in use: stop what uses it or choose --port", file=sys.stderr)
        return 1
    home = claim_home(settings.home, service_account(settings.run_as))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    embedded = Embedded(
        home,
        want_database=settings.database_url is None,
        want_store=settings.s3_endpoint is None,
        want_broker=settings.broker_url is None,
        run_as=settings.run_as,
    )
    children: list[_Child] = []
    try:
        if settings.embedded:
            print(f"starting embedded services under {home} ...", flush=True)
            embedded.start()
        endpoints = resolve(settings)
        set_up(endpoints.database_admin, endpoints.database)
        audit_key(settings)  # made now, if it is made, not by two children at once
        services = build_services(settings, endpoints, with_engine=False)
        services.store.ensure_bucket()
        services.close()
        env = {**os.environ, "INTAKE_HOME": str(home), "OMP_THREAD_LIMIT": "1"}
        authority = ""
        if settings.api_tls_certfile is None:
            cert, key, ca = api_certificate(home, host)
            env.update(INTAKE_API_TLS_CERTFILE=str(cert), INTAKE_API_TLS_KEYFILE=str(key))
            authority = f"  (its certificate authority: {ca})"
        api_args = ["api", "--host", host, "--port", str(port)]
        children = [
            _Child("watcher", ["watch"]),
            *(_Child(f"worker-{i + 1}", ["worker"]) for i in range(workers)),
            _Child(
                "api",
                [*api_args, "--listen-fd", str(listener.fileno())],
                keep_fds=(listener.fileno(),),
            ),
        ]
        for child in children:
            _start(child, env)
        folders = ", ".join(str(f) for f in settings.watch().folders)
        intake = Path(sys.executable).with_name("intake")
        print(
            "\nintake is running.\n"
            f"  drop folder(s): {folders}\n"
            f"  API:            https://{host}:{port}{authority}\n"
            "                  (described at /openapi.json)\n"
            f"  get a token:    INTAKE_HOME={home} {intake} token create --name NAME\n"
            "  stop:           Ctrl-C\n",
            flush=True,
        )
        while not stop.wait(1.0):
            for name in embedded.dead():
                print(f"the embedded {name} stopped; starting it again", file=sys.stderr)
                embedded.revive(name)
            for child in children:
                if child.process is not None and child.process.poll() is not None:
                    pause = min(2 ** min(child.restarts, 5), 30)
                    if time.monotonic() - child.started > pause:
                        print(f"{child.name} exited; restarting", file=sys.stderr, flush=True)
                        child.restarts += 1
                        _start(child, env)
        return 0
    except Misconfigured as error:
        print(f"intake: {error}; stopping everything", file=sys.stderr, flush=True)
        return 1
    finally:
        _stop_all(children)
        embedded.stop()
        listener.close()
