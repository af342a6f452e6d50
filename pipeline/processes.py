"""Long-running process bodies: the worker, the watcher and the API server."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from functools import partial

from config.errors import Transient
from config.settings import Settings
from pipeline import broker as broker_mod
from pipeline import heartbeat
from pipeline.accounts import Account, claim_home, drop_to, preload, service_account
from pipeline.actors import QUEUE, Actors, declare
from pipeline.heap import return_freed_images
from pipeline.ingest import refuse_found, take_found
from pipeline.keys import audit_key
from pipeline.logs import Outages, outage_of
from pipeline.services import Services, build_services, resolve
from pipeline.warmup import warm_up, warm_up_app
from pipeline.watch import watch
from storage.captures import unfinished
from storage.requeue import mark_requeued, stuck

log = logging.getLogger(__name__)
# Workers look for stuck captures this often, and call a capture stuck when it has been
# unfinished, unclaimed and untouched this long (longer than a queue of scans takes).
SWEEP_EVERY = 60.0
STUCK_AFTER = 900.0


def _stop_event() -> threading.Event:
    """An event set by SIGTERM or SIGINT."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _account(settings: Settings) -> Account | None:
    """The account this process will become (None when not root); its home is claimed."""
    account = service_account(settings.run_as)
    if account is not None:
        claim_home(settings.home, account)
    return account


def _become(account: Account | None, settings: Settings, *packages: str) -> None:
    """Import ``packages`` whole, then give up root for good (nothing when not root).

    Settings, endpoints and secrets are read before, as root; scans only after.
    """
    if account is not None:
        preload(*packages)
        drop_to(account, home=settings.home.absolute())


def _wire(settings: Settings, *, with_engine: bool) -> tuple[Services, Actors]:
    endpoints = resolve(settings)
    services = build_services(settings, endpoints, with_engine=with_engine)
    broker = broker_mod.setup(endpoints.broker_url)
    actors = declare(broker, services)
    services.enqueue = actors.enqueue
    return services, actors


def requeue_unfinished(services: Services) -> int:
    """Queue every capture a crash left ``received`` or ``processing``; returns how many."""
    ids = unfinished(services.db)
    for capture_id in ids:
        services.enqueue(capture_id)
    return len(ids)


def requeue_stuck(services: Services, *, idle_seconds: float) -> int:
    """Queue again the captures left unfinished and unclaimed for ``idle_seconds``."""
    ids = stuck(services.db, idle_seconds=idle_seconds)
    for capture_id in ids:
        services.enqueue(capture_id)
    mark_requeued(services.db, ids)
    return len(ids)


def _requeue_at_start(services: Services, stop: threading.Event) -> int:
    """Re-enqueue what a crash left unfinished, waiting out a database or broker outage."""
    outages = Outages(log)
    delay = 1.0
    while True:
        try:
            count = requeue_unfinished(services)
        except Transient as exc:
            outages.down(outage_of(exc))
            if stop.wait(delay):
                return 0
            delay = min(delay * 2, 60.0)
            continue
        outages.up()
        return count


def _sweep(services: Services, stop: threading.Event) -> None:
    """Every ``SWEEP_EVERY`` seconds, re-enqueue stuck captures; outages only postpone it."""
    while not stop.wait(SWEEP_EVERY):
        try:
            count = requeue_stuck(services, idle_seconds=STUCK_AFTER)
        except Transient as exc:
            log.info("stuck-capture sweep postponed: %s", type(exc).__name__)
            continue
        if count:
            log.warning("%d stuck captures re-enqueued", count)


def run_worker(settings: Settings, *, threads: int) -> None:
    """Consume captures until SIGTERM; re-enqueue what a crash left unfinished first.

    Then, on a timer, captures that stayed unfinished and unclaimed (a lost message) are
    queued again.
    """
    from dramatiq import Worker

    return_freed_images()  # before the first page image: the worker's size stays flat
    account = _account(settings)
    services, actors = _wire(settings, with_engine=True)
    if account is not None and services.model is not None and services.engine is not None:
        # Its cache may be root's, and the code's folders closed to the account after the
        # drop: load the model and read a made-up capture while both can be read.
        model = services.model.keep_generated()
        warm_up(engine=services.engine, config=services.process, model=model)
    # stdnum and reportlab import their parts by name as they go (a module per country for
    # IBANs, font tables): loaded whole.
    _become(account, settings, "pipeline", "classifiers", "stdnum", "reportlab.lib",
            "reportlab.pdfbase", "reportlab.pdfgen")  # fmt: skip
    stop = _stop_event()
    heartbeat.keep_beating(settings, "worker", stop)  # alive, even while services are down
    count = _requeue_at_start(services, stop)
    log.info("worker started; %d unfinished captures re-enqueued", count)
    worker = Worker(actors.process.broker, queues={QUEUE}, worker_threads=threads)
    worker.start()
    sweeper = threading.Thread(target=_sweep, args=(services, stop), daemon=True)
    sweeper.start()
    try:
        stop.wait()
    finally:
        worker.stop(timeout=30_000)
        actors.process.broker.close()
        services.close()


def run_watcher(settings: Settings) -> None:
    """Watch the drop folders until SIGTERM: take stable files, refuse the rest with a reason."""
    account = _account(settings)
    services, _actors = _wire(settings, with_engine=False)
    _become(account, settings, "pipeline.watch", "pipeline.ingest", "pipeline.readiness")
    config = settings.watch()
    stop = _stop_event()
    take = partial(
        take_found,
        db=services.db,
        store=services.store,
        enqueue=services.enqueue,
        after=config.after_ingest,
    )
    refuse = partial(refuse_found, db=services.db)
    log.info("watching %d drop folder(s)", len(config.drops))
    for number, folder in enumerate(config.folders, 1):
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            # A taken file could not leave it (deleted or moved): say so at once, not per file.
            log.warning("drop folder %d is not writable by this process: taken files stay", number)
    heartbeat.keep_beating(settings, "watcher", stop)
    try:
        watch(config, take, refuse, stop)
    finally:
        services.close()


def run_api(settings: Settings, *, host: str, port: int, listen_fd: int | None = None) -> None:
    """Serve the REST API until SIGTERM, on ``host:port`` or the listening socket given."""
    import uvicorn

    from pipeline.web.api import create_app

    account = _account(settings)
    endpoints = resolve(settings)
    services = build_services(settings, endpoints, with_engine=False)
    checks = {
        "database": services.db.ping,
        "store": services.store.ping,
        "broker": lambda: broker_mod.ping(endpoints.broker_url),
    }
    app = create_app(
        services.db,
        services.store,
        checks=checks,
        type_ids=services.process.types.ids,
        audit_key=audit_key(settings),
        audit_person_codes=settings.audit_person_codes,
        max_body_bytes=settings.api_max_body_bytes,
    )
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        loop="asyncio",
        ssl_certfile=settings.api_tls_certfile,
        ssl_keyfile=settings.api_tls_keyfile,
    )
    config.load()  # imports the protocol and loop modules it will use, reads the TLS key
    if account is not None:
        warm_up_app(app, ("/healthz", "/api/v1/documents"))
    _become(account, settings, "pipeline.web", "stdnum", "uvicorn", "anyio", "starlette", "fastapi")
    given = [socket.socket(fileno=listen_fd)] if listen_fd is not None else None
    try:
        uvicorn.Server(config).run(sockets=given)
    finally:
        services.close()
