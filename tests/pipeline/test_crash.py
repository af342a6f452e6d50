"""A worker killed with SIGKILL mid-capture leaves a capture that completes after restart."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from pipeline.corpus import person_code, render_document, write_sample
from storage.captures import capture_by_sha
from storage.db import Database
from tests.fixtures.processes import Processes, wait_for, watcher_and_worker
from tests.fixtures.services import ServiceUrls


def _status(database: Database, sha: str) -> str | None:
    capture = capture_by_sha(database, sha)
    return capture.status if capture else None


@pytest.mark.services
@pytest.mark.slow
def test_worker_killed_mid_capture_completes_after_restart(
    service_urls: ServiceUrls,
    database: Database,
    processes: Processes,
    tmp_path: Path,
    account_tmp: Path,
    unique: str,
) -> None:
    # Given: a watcher and a worker, and a 6-page scan that takes the worker several seconds
    drop, env, worker = watcher_and_worker(processes, service_urls, account_tmp)
    rng = random.Random(unique)
    sample = render_document(
        rng, pages=6, language="est", person_codes=[person_code(rng)], signed=True
    )
    scan = write_sample(sample, tmp_path / "scan.tiff", "tiff")
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    scan.replace(drop / f"kill-{unique}.tiff")

    # When: the worker is killed while it processes the capture
    wait_for(lambda: _status(database, sha) == "processing", timeout=120, every=0.05)
    worker.kill()
    worker.wait()

    # Then: nothing is archived yet, the capture is kept
    capture = capture_by_sha(database, sha)
    assert capture is not None and capture.status == "processing"
    with database.transaction() as conn:
        none_yet = conn.execute(
            "SELECT count(*) FROM documents WHERE capture_id = %s", (capture.id,)
        ).fetchone()
    assert none_yet == (0,)

    # When: a new worker starts
    processes.start("worker-2", ["worker"], env)

    # Then: the capture completes, once
    wait_for(lambda: _status(database, sha) == "archived", timeout=240)
    with database.transaction() as conn:
        documents = conn.execute(
            "SELECT count(*) FROM documents WHERE capture_id = %s", (capture.id,)
        ).fetchone()
        pages = conn.execute(
            "SELECT count(*) FROM pages WHERE capture_id = %s", (capture.id,)
        ).fetchone()
        archived_events = conn.execute(
            "SELECT count(*) FROM events WHERE capture_id = %s AND kind = 'archived'",
            (capture.id,),
        ).fetchone()
    assert documents == (1,)
    assert pages == (6,)
    assert archived_events == (1,)
