"""Long-running process bodies: the worker, the watcher and the API server."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from config.settings import Settings
from pipeline import broker as broker_mod
from pipeline.actors import QUEUE, Actors, declare
from pipeline.ingest import ingest_file
from pipeline.services import Services, build_services, resolve
from pipeline.watch import watch
from storage.captures import unfinished

log = logging.getLogger(__name__)


def _stop_event() -> threading.Event:
    """An event set by SIGTERM or SIGINT."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


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


def run_worker(settings: Settings, *, threads: int) -> None:
    """Consume captures until SIGTERM; re-enqueue what a crash left unfinished first."""
    from dramatiq import Worker

    services, actors = _wire(settings, with_engine=True)
    stop = _stop_event()
    count = requeue_unfinished(services)
    log.info("worker started; %d unfinished captures re-enqueued", count)
    worker = Worker(actors.process.broker, queues={QUEUE}, worker_threads=threads)
    worker.start()
    try:
        stop.wait()
    finally:
        worker.stop(timeout=30_000)
        actors.process.broker.close()
        services.close()


def run_watcher(settings: Settings) -> None:
    """Watch the drop folders until SIGTERM."""
    services, _actors = _wire(settings, with_engine=False)
    config = settings.watch()
    stop = _stop_event()

    def take(path: Path, folder: Path) -> None:
        ingest_file(
            path,
            folder=folder,
            db=services.db,
            store=services.store,
            enqueue=services.enqueue,
            after=config.after_ingest,
        )

    log.info("watching %d drop folder(s)", len(config.folders))
    try:
        watch(config, take, stop)
    finally:
        services.close()


def run_api(settings: Settings, *, host: str, port: int) -> None:
    """Serve the REST API until SIGTERM."""
    import uvicorn

    from pipeline.web.api import create_app

    endpoints = resolve(settings)
    services = build_services(settings, endpoints, with_engine=False)
    checks = {
        "database": services.db.ping,
        "store": services.store.ping,
        "broker": lambda: broker_mod.ping(endpoints.broker_url),
    }
    app = create_app(
        services.db, services.store, checks=checks, type_ids=services.process.types.ids
    )
    try:
        uvicorn.run(app, host=host, port=port, access_log=False, log_config=None)
    finally:
        services.close()
