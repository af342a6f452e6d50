"""A scan travels from a drop folder to an archived document the API returns, on real services."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import psutil
import pytest

from pipeline.accounts import service_account
from pipeline.corpus import person_code, render_document, write_sample
from storage.captures import FINAL, Capture, capture_by_sha
from storage.db import Database
from storage.objects import ObjectStore
from tests.fixtures.processes import Processes, wait_for, watcher_and_worker
from tests.fixtures.services import ServiceUrls, for_service

ESTONIAN = set("õäöüšž")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _final(database: Database, sha: str) -> Capture | None:
    capture = capture_by_sha(database, sha)
    return capture if capture is not None and capture.status in FINAL else None


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.parametrize("broker", ["embedded", "rabbitmq"])
def test_scan_travels_from_drop_folder_to_api(
    broker: str,
    request: pytest.FixtureRequest,
    service_urls: ServiceUrls,
    database: Database,
    store: ObjectStore,
    processes: Processes,
    tmp_path: Path,
    account_tmp: Path,
    unique: str,
) -> None:
    # Given: a watcher, a worker and the API on real services, and a 2-page Estonian scan
    broker_url = (
        service_urls.broker_url if broker == "embedded" else request.getfixturevalue("rabbitmq_url")
    )
    drop = for_service(account_tmp / "drop")
    port = _free_port()
    env = service_urls.env(
        for_service(account_tmp / "home"),
        INTAKE_BROKER_URL=broker_url,
        INTAKE_DROP_FOLDERS=str(drop),
        INTAKE_SETTLE_SECONDS="0.5",
    )
    processes.start("worker", ["worker"], env)
    processes.start("watcher", ["watch"], env)
    processes.start("api", ["api", "--port", str(port)], env)
    rng = random.Random(unique)
    code = person_code(rng)
    # (the office's own wording: its fixed text holds all six Estonian letters checked below)
    sample = render_document(
        rng, pages=2, language="est", person_codes=[code], signed=True, template=0
    )
    scan = write_sample(sample, tmp_path / "scan.pdf", "pdf")
    data = scan.read_bytes()
    sha = _sha(data)

    # When: the scanner's file lands in the drop folder
    scan.replace(drop / f"skaneering-{unique}.pdf")
    capture = wait_for(lambda: _final(database, sha), timeout=180)

    # Then: archived, gone from the folder, original and artefacts stored with matching hashes
    assert capture.status == "archived", processes.log_text("worker")
    assert list(drop.iterdir()) == []
    assert _sha(store.get(capture.original_key)) == sha
    assert capture.searchable_key and capture.ocr_key
    pdf = store.get(capture.searchable_key)
    ocr = store.get(capture.ocr_key)
    assert _sha(pdf) == capture.searchable_sha256 == store.stat(capture.searchable_key).sha256  # type: ignore[union-attr]
    assert _sha(ocr) == capture.ocr_sha256 == store.stat(capture.ocr_key).sha256  # type: ignore[union-attr]

    # and the OCR read the Estonian text closely, letters õ ä ö ü š ž included
    pages = json.loads(ocr)["pages"]
    assert [p["number"] for p in pages] == [1, 2]
    for page, truth in zip(pages, sample.truth, strict=True):
        lines = "\n".join(line for line in page["text"].splitlines() if line.strip())
        similarity = difflib.SequenceMatcher(None, lines, truth.text, autojunk=False).ratio()
        assert similarity > 0.95, (similarity, lines[:200])
        assert page["words"] and all("box" in w and "confidence" in w for w in page["words"])
    # (the content is random, so a letter may stand once: one misread of it must not fail)
    written = "".join(t.text for t in sample.truth)
    read = "".join(p["text"] for p in pages)
    assert set(written) >= ESTONIAN
    assert {c for c in ESTONIAN if written.count(c) >= 3} <= set(read)
    assert sum(read.count(c) for c in ESTONIAN) >= 0.9 * sum(written.count(c) for c in ESTONIAN)

    # and the searchable PDF's text layer carries the person code
    text_layer = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert code in text_layer

    # and the rows are in PostgreSQL
    with database.transaction() as conn:
        documents = conn.execute(
            "SELECT id::text, page_numbers, verdict FROM documents WHERE capture_id = %s",
            (capture.id,),
        ).fetchall()
        fields = conn.execute(
            "SELECT f.value, f.page FROM fields f JOIN documents d ON d.id = f.document_id"
            " WHERE d.capture_id = %s AND f.name = 'person_code'",
            (capture.id,),
        ).fetchall()
        page_rows = conn.execute(
            "SELECT number, signed FROM pages WHERE capture_id = %s ORDER BY number",
            (capture.id,),
        ).fetchall()
        kinds = [
            r[0]
            for r in conn.execute(
                "SELECT kind FROM events WHERE capture_id = %s ORDER BY id", (capture.id,)
            )
        ]
    assert [(d[1], d[2]) for d in documents] == [([1, 2], "accepted")]
    assert fields == [(code, 1)]
    # (the signature stands on the last page, where the pen ink is recorded as found)
    assert [r[0] for r in page_rows] == [1, 2] and page_rows[-1][1] is True
    assert kinds[0] == "received" and kinds[-1] == "archived"

    # and a case system finds it by person code with a token, and gets 401 without one
    token = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "token", "create", "--name", f"e2e-{unique}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(f"{base}/healthz"), timeout=30)
    with httpx.Client(base_url=base, timeout=30) as client:
        health = client.get("/healthz").json()
        assert health["services"] == {"database": "ok", "store": "ok", "broker": "ok"}
        assert client.get("/api/v1/documents", params={"person_code": code}).status_code == 401
        found = client.get(
            "/api/v1/documents",
            params={"person_code": code},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert found.status_code == 200
        items = found.json()["items"]
        assert [i["id"] for i in items] == [documents[0][0]]
        assert items[0]["person_codes"] == [code]
        file = client.get(
            f"/api/v1/documents/{documents[0][0]}/file",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert file.status_code == 200
        assert file.headers["content-type"] == "application/pdf"
        assert _sha(file.content) == capture.searchable_sha256

    # and the API's log never shows the person code
    assert code not in processes.log_text("api")
    assert code not in processes.log_text("worker")
    assert code not in processes.log_text("watcher")

    # and, started by root, each of the three runs as the service account, having loaded
    # all it needed before it gave up root
    account = service_account()
    for proc in processes.started:
        uids = psutil.Process(proc.pid).uids()
        assert set(uids) == {account.uid if account else os.getuid()}
    for name in ("worker", "watcher", "api"):
        assert "imported after the privilege drop" not in processes.log_text(name), name


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code in (200, 503)
    except httpx.HTTPError:
        return False


@pytest.mark.services
def test_unreadable_drop_goes_to_review_with_the_original_kept(
    service_urls: ServiceUrls,
    database: Database,
    store: ObjectStore,
    processes: Processes,
    account_tmp: Path,
    unique: str,
) -> None:
    # Given a watcher that waits a second for a file that never parses, and a worker
    drop, _env, worker = watcher_and_worker(
        processes, service_urls, account_tmp, INTAKE_MAX_WAIT_SECONDS="1"
    )
    html = f"<html><body>not a scan {unique}</body></html>".encode()
    truncated = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> " + unique.encode()

    # When an HTML page renamed .pdf and a truncated PDF land in the drop folder
    (drop / "scan.pdf").write_bytes(html)
    (drop / "broken.pdf").write_bytes(truncated)
    reviewed = [
        wait_for(functools.partial(_final, database, _sha(data)), timeout=120)
        for data in (html, truncated)
    ]

    # Then each needs review with its reason, the original is kept, and the worker lives on
    assert [(c.status, c.reasons) for c in reviewed] == [
        ("needs_review", ["UNSUPPORTED_FORMAT"]),
        ("needs_review", ["UNREADABLE_FILE"]),
    ]
    assert store.get(reviewed[0].original_key) == html
    assert store.get(reviewed[1].original_key) == truncated
    assert list(drop.iterdir()) == []
    assert worker.poll() is None
