"""requeue: unfinished captures that nobody works on are found, and found once per wait."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from storage.captures import NewCapture, claimed, finish_failed, insert_capture
from storage.db import Database
from storage.requeue import mark_requeued, stuck

pytestmark = pytest.mark.services


def _capture(database: Database, *, idle_minutes: float) -> str:
    """A received capture whose row was last touched ``idle_minutes`` ago."""
    capture_id = str(uuid.uuid4())
    sha = hashlib.sha256(capture_id.encode()).hexdigest()
    insert_capture(
        database,
        NewCapture(
            id=capture_id,
            sha256=sha,
            drop_folder="/drop",
            original_name="scan.pdf",
            source_path="/drop/scan.pdf",
            source_mtime_ns=1,
            size_bytes=10,
            original_key=f"originals/{sha[:2]}/{sha}",
        ),
    )
    with database.transaction() as conn:
        conn.execute(
            "UPDATE captures SET updated_at = now() - make_interval(mins => %s) WHERE id = %s",
            (idle_minutes, capture_id),
        )
    return capture_id


def test_an_idle_unclaimed_capture_is_stuck_and_a_recent_one_is_not(database: Database) -> None:
    # Given a capture untouched for 20 minutes and one touched a minute ago
    idle = _capture(database, idle_minutes=20)
    recent = _capture(database, idle_minutes=1)
    # When workers look for captures idle for 10 minutes
    found = stuck(database, idle_seconds=600)
    # Then only the idle one is stuck
    assert idle in found
    assert recent not in found


def test_a_capture_a_worker_holds_is_not_stuck(database: Database) -> None:
    # Given an idle capture that a worker is processing right now
    capture_id = _capture(database, idle_minutes=20)
    with claimed(database, capture_id) as capture:
        assert capture is not None
        with database.transaction() as conn:
            conn.execute(
                "UPDATE captures SET updated_at = now() - interval '20 minutes' WHERE id = %s",
                (capture_id,),
            )
        # Then it is not stuck while the claim is held
        assert capture_id not in stuck(database, idle_seconds=600)
    # And it is once the worker let go without finishing it
    assert capture_id in stuck(database, idle_seconds=600)


def test_a_final_capture_is_never_stuck(database: Database) -> None:
    capture_id = _capture(database, idle_minutes=20)
    finish_failed(database, capture_id, "BackendUnavailable")
    with database.transaction() as conn:
        conn.execute(
            "UPDATE captures SET updated_at = now() - interval '20 minutes' WHERE id = %s",
            (capture_id,),
        )
    assert capture_id not in stuck(database, idle_seconds=600)


def test_a_requeued_capture_waits_anew_and_the_requeue_is_recorded(database: Database) -> None:
    # Given a stuck capture
    capture_id = _capture(database, idle_minutes=20)
    # When it is queued again
    mark_requeued(database, [capture_id])
    # Then the next sweep does not queue it again at once, and the event log says so
    assert capture_id not in stuck(database, idle_seconds=600)
    with database.transaction() as conn:
        kinds = conn.execute(
            "SELECT kind FROM events WHERE capture_id = %s ORDER BY id", (capture_id,)
        ).fetchall()
    assert ("requeued",) in kinds
