"""setup(url): the Redis or RabbitMQ broker, set before any actor is declared."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage

from config.errors import Misconfigured


def setup(url: str) -> dramatiq.Broker:
    """A broker for ``redis://``/``rediss://``/``unix://`` or ``amqp://``/``amqps://`` URLs."""
    broker: dramatiq.Broker
    if url.startswith(("redis://", "rediss://", "unix://")):
        # A worker that dies loses its heartbeat; its unacked messages return after 30 s.
        broker = RedisBroker(url=url, heartbeat_timeout=30_000)  # type: ignore[no-untyped-call]
    elif url.startswith(("amqp://", "amqps://")):
        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    else:
        raise Misconfigured("INTAKE_BROKER_URL must start with redis:// or amqp://")
    broker.add_middleware(CurrentMessage())
    dramatiq.set_broker(broker)
    return broker


def ping(url: str, timeout: float = 3.0) -> None:
    """Raise ``BackendUnavailable`` unless the broker at ``url`` answers."""
    from config.errors import BackendUnavailable

    try:
        if url.startswith(("amqp://", "amqps://")):
            import pika

            params = pika.URLParameters(url)
            params.socket_timeout = timeout
            params.blocked_connection_timeout = timeout
            pika.BlockingConnection(params).close()
        else:
            import redis

            client = redis.Redis.from_url(
                url, socket_timeout=timeout, socket_connect_timeout=timeout
            )
            try:
                client.ping()
            finally:
                client.close()
    except Exception as exc:
        raise BackendUnavailable(f"broker unavailable: {type(exc).__name__}") from exc
