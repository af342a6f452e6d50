"""`intake ledger` shows what became of each file since a moment, with counts per outcome."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.ingest import Ingested, ingest_file, reject_file
from storage.db import Database
from storage.objects import ObjectStore
from tests.fixtures.processes import run_intake
from tests.fixtures.services import ServiceUrls

pytestmark = pytest.mark.services


def three_decisions(
    drop: Path, database: Database, store: ObjectStore, unique: str, tmp_path: Path
) -> str:
    """A capture, a duplicate of it and a refused link in ``drop``; returns the capture's hash."""
    data = f"%PDF-1.7\n% ledger {unique}\n%%EOF\n".encode()
    queued: list[str] = []
    for name, expected in (("Avaldus.pdf", Ingested.CAPTURED), ("again.pdf", Ingested.DUPLICATE)):
        (drop / name).write_bytes(data)
        outcome = ingest_file(
            drop / name,
            folder=drop,
            db=database,
            store=store,
            enqueue=queued.append,
            after="delete",
            office="Tallinn",
            scanner="MFP-1",
        )
        assert outcome is expected
    (drop / "link.pdf").symlink_to(tmp_path / "elsewhere.pdf")
    reject_file(drop / "link.pdf", folder=drop, db=database, reason="SYMLINK", office="Tallinn")
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


def test_ledger_json_lines_say_what_became_of_each_file(
    drop: Path,
    database: Database,
    store: ObjectStore,
    service_urls: ServiceUrls,
    unique: str,
    tmp_path: Path,
) -> None:
    # Given a capture, its duplicate and a refused link, decided after a moment we noted
    since = datetime.now(UTC).isoformat()
    sha = three_decisions(drop, database, store, unique, tmp_path)

    # When the ledger since that moment is asked for as JSON Lines
    done = run_intake(
        "ledger", "--since", since, "--json", home=tmp_path, env=service_urls.env(tmp_path)
    )

    # Then each file has one line, saying what became of it
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    mine = [r for r in rows if r["folder"] == str(drop)]
    assert [(r["name"], r["outcome"], r["reason"]) for r in mine] == [
        ("Avaldus.pdf", "captured", None),
        ("again.pdf", "duplicate", None),
        ("link.pdf", "rejected", "SYMLINK"),
    ]
    captured, duplicate, rejected = mine
    assert captured["sha256"] == duplicate["sha256"] == sha
    assert duplicate["capture_id"] == captured["capture_id"] is not None
    assert rejected["capture_id"] is None
    assert {(r["office"], r["scanner"]) for r in mine[:2]} == {("Tallinn", "MFP-1")}
    assert datetime.fromisoformat(captured["decided_at"]) >= datetime.fromisoformat(since)
    # ... and the counts per outcome go to stderr, leaving stdout to the rows
    assert "3 file(s): captured 1, duplicate 1, rejected 1" in done.stderr


def test_ledger_table_ends_with_the_counts_and_can_show_one_outcome(
    drop: Path,
    database: Database,
    store: ObjectStore,
    service_urls: ServiceUrls,
    unique: str,
    tmp_path: Path,
) -> None:
    # Given a capture, its duplicate and a refused link
    since = datetime.now(UTC).isoformat()
    three_decisions(drop, database, store, unique, tmp_path)
    env = service_urls.env(tmp_path)

    # When the ledger is shown as a table, all of it and then only the refusals
    table = run_intake("ledger", "--since", since, home=tmp_path, env=env)
    refused = run_intake(
        "ledger", "--since", since, "--outcome", "rejected", home=tmp_path, env=env
    )

    # Then the table has a header, a line per file with its path, and the counts at the end
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["decided", "outcome", "capture"]
    for name, outcome in (("Avaldus", "captured"), ("again", "duplicate"), ("link", "rejected")):
        (line,) = [ln for ln in lines if ln.endswith(str(drop / f"{name}.pdf"))]
        assert line.split()[2] == outcome
    assert lines[-1] == "3 file(s): captured 1, duplicate 1, rejected 1"
    # ... and asked for refusals only, only the link, with its reason
    assert refused.returncode == 0, refused.stderr
    (line,) = [ln for ln in refused.stdout.splitlines() if str(drop) in ln]
    assert "SYMLINK" in line and line.endswith("link.pdf")
    assert refused.stdout.splitlines()[-1] == "1 file(s): captured 0, duplicate 0, rejected 1"


@pytest.mark.parametrize("since", ["2h", "1d", "30m", "2026-11-25T10:00"])
def test_ledger_takes_an_age_or_a_moment(
    since: str, service_urls: ServiceUrls, tmp_path: Path
) -> None:
    done = run_intake("ledger", "--since", since, home=tmp_path, env=service_urls.env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("decided")


def test_ledger_refuses_a_moment_it_cannot_read(tmp_path: Path) -> None:
    # When --since is neither a moment nor an age
    done = run_intake("ledger", "--since", "last tuesday", home=tmp_path)
    # Then it is a usage error, before any service is asked
    assert done.returncode == 2
    assert "not a moment or an age" in done.stderr
