"""Thin Dramatiq actors over :mod:`pipeline.archive`; messages carry ids, never bytes."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import dramatiq
import redis
from dramatiq.middleware import CurrentMessage

from config.errors import BackendUnavailable, Transient
from pipeline.archive import archive_capture
from pipeline.logs import Outages, capture_context, outage_of
from pipeline.services import Services

log = logging.getLogger(__name__)
QUEUE = "captures"
# What sending raises while the broker is down: Dramatiq wraps AMQP's errors, but its Redis
# broker lets redis-py's own through.
BROKER_DOWN = (
    dramatiq.errors.BrokerConnectionError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


@dataclass(frozen=True)
class Actors:
    """The declared actors of one process."""

    process: dramatiq.Actor  # type: ignore[type-arg]

    def enqueue(self, capture_id: str) -> None:
        """Queue a capture for processing."""
        try:
            self.process.send(capture_id)
        except BROKER_DOWN as exc:
            raise BackendUnavailable("broker unavailable") from exc


def declare(broker: dramatiq.Broker, services: Services) -> Actors:
    """Declare the actors on ``broker``, bound to this process's ``services``."""
    max_retries = services.max_retries
    outages = Outages(log)

    def retry_when(retries: int, exc: BaseException) -> bool:
        return isinstance(exc, Transient) and retries < max_retries

    @dramatiq.actor(
        broker=broker,
        actor_name="process_capture",
        queue_name=QUEUE,
        retry_when=retry_when,
        throws=(Transient,),  # expected during outages: no traceback per message
        min_backoff=1_000,
        max_backoff=300_000,
        time_limit=3_600_000,
    )
    def process_capture(capture_id: str) -> None:
        try:
            archive_capture(capture_id, services)
        except Transient as exc:
            outages.down(outage_of(exc))
            message = CurrentMessage.get_current_message()
            retries = message.options.get("retries", 0) if message else 0
            with capture_context(capture_id):
                if retries >= max_retries:
                    # Never final on an outage: the capture stays unfinished, and the
                    # workers' stuck-capture sweep queues it again later.
                    log.warning("retries used up (%s); it will be queued again", exc)
                    return
                log.debug("transient failure (%s), will retry", exc)
            raise
        outages.up()

    return Actors(process=process_capture)
