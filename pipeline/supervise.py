"""``intake up``: start the embedded services and the watcher, a worker and the API; stop all.

Every process it starts is its child and is stopped on Ctrl-C or SIGTERM; a child that
dies is restarted after a pause.  A second ``intake up`` on the same home reuses the data.
Started by root, it stays root only to start and stop them: the servers run as the service
account, and the watcher, workers and API become it as soon as they have started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from config.settings import Settings
from pipeline.accounts import claim_home, service_account
from pipeline.embedded import Embedded, port_is_free
from pipeline.keys import audit_key
from pipeline.services import build_services, resolve
from storage.roles import set_up


@dataclass
class _Child:
    name: str
    args: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started: float = field(default=0.0)


def _start(child: _Child, env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "pipeline.cli", *child.args]
    child.process = subprocess.Popen(command, env=env)
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


def up(settings: Settings, *, port: int, workers: int = 1) -> int:
    """Run everything until a signal; returns the exit code."""
    if not port_is_free(port):
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
        children = [
            _Child("watcher", ["watch"]),
            *(_Child(f"worker-{i + 1}", ["worker"]) for i in range(workers)),
            _Child("api", ["api", "--host", settings.api_host, "--port", str(port)]),
        ]
        for child in children:
            _start(child, env)
        folders = ", ".join(str(f) for f in settings.watch().folders)
        intake = Path(sys.executable).with_name("intake")
        print(
            "\nintake is running.\n"
            f"  drop folder(s): {folders}\n"
            f"  API:            http://{settings.api_host}:{port}  (described at /openapi.json)\n"
            f"  get a token:    INTAKE_HOME={home} {intake} token create --name NAME\n"
            "  stop:           Ctrl-C\n",
            flush=True,
        )
        while not stop.wait(1.0):
            for child in children:
                if child.process is not None and child.process.poll() is not None:
                    pause = min(2 ** min(child.restarts, 5), 30)
                    if time.monotonic() - child.started > pause:
                        print(f"{child.name} exited; restarting", file=sys.stderr, flush=True)
                        child.restarts += 1
                        _start(child, env)
        return 0
    finally:
        _stop_all(children)
        embedded.stop()
