"""logs: an outage is one line when it starts and one when it ends, however many retries."""

from __future__ import annotations

import logging

import pytest

from pipeline.logs import Outages


def test_an_outage_is_logged_once_and_its_end_once(caplog: pytest.LogCaptureFixture) -> None:
    # Given a clock and the outage log of a worker
    now = [100.0]
    outages = Outages(logging.getLogger("test.outages"), clock=lambda: now[0])
    caplog.set_level(logging.INFO, logger="test.outages")
    # When 300 retries fail on the same database outage, and then one call succeeds
    for _ in range(300):
        outages.down("database unavailable")
    now[0] = 142.0
    outages.up()
    outages.up()
    # Then there are two lines: the start, and the end with how long it lasted
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "database unavailable; retrying with backoff until it is back",
        "database unavailable no more, after 42 s",
    ]


def test_two_services_down_are_two_outages(caplog: pytest.LogCaptureFixture) -> None:
    outages = Outages(logging.getLogger("test.outages2"))
    caplog.set_level(logging.INFO, logger="test.outages2")
    outages.down("database unavailable")
    outages.down("broker unavailable")
    outages.down("database unavailable")
    assert len(caplog.records) == 2
