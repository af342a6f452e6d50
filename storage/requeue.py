"""Find captures that are stuck: unfinished, untouched for a while, and claimed by no worker.

A capture whose queue message was lost (a broker that lost its data, a worker killed after
it took the message) would otherwise wait for the next worker start.  Workers look for
such captures on a timer and queue them again; the processing claim (see
``captures.claimed``) makes a second delivery of a live message harmless.
"""

from __future__ import annotations

from storage.captures import add_event, release_claim, take_claim
from storage.db import Database


def stuck(db: Database, *, idle_seconds: float) -> list[str]:
    """Ids of unfinished captures not updated for ``idle_seconds`` and claimed by no one."""
    with db.session() as conn:
        rows = conn.execute(
            "SELECT id::text FROM captures WHERE status IN ('received', 'processing')"
            " AND updated_at < now() - make_interval(secs => %s) ORDER BY received_at",
            (idle_seconds,),
        ).fetchall()
        free: list[str] = []
        for (capture_id,) in rows:
            if take_claim(conn, capture_id):
                release_claim(conn, capture_id)
                free.append(capture_id)
    return free


def mark_requeued(db: Database, capture_ids: list[str]) -> None:
    """Note that these captures were queued again, so the next sweep waits for them anew."""
    if not capture_ids:
        return
    with db.transaction() as conn:
        conn.execute(
            "UPDATE captures SET updated_at = now() WHERE id = ANY(%s::uuid[])"
            " AND status IN ('received', 'processing')",
            (capture_ids,),
        )
        for capture_id in capture_ids:
            add_event(conn, capture_id, "requeued")
