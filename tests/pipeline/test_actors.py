"""actors: sending while the broker is down is an outage (retried), whatever the broker."""

from __future__ import annotations

import socket

import dramatiq
import pytest

from config.errors import BackendUnavailable
from pipeline import broker as broker_mod
from pipeline.actors import Actors


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("scheme", ["redis", "amqp"])
def test_sending_to_a_broker_that_is_down_is_backend_unavailable(scheme: str) -> None:
    # Given an actor on a real broker client whose server is not running
    url = f"{scheme}://127.0.0.1:{_closed_port()}/" + ("0" if scheme == "redis" else "")
    broker = broker_mod.setup(url)

    def noop(capture_id: str) -> None:
        del capture_id

    actor = dramatiq.actor(broker=broker, actor_name=f"noop_{scheme}", queue_name="noop")(noop)
    # When a capture is queued, Then the failure is an outage the watcher backs off from
    with pytest.raises(BackendUnavailable):
        Actors(process=actor).enqueue("capture-id")
