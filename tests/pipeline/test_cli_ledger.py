"""`intake ledger` shows what became of each file since a moment, with counts per outcome."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.ingest import Ingested, ingest_file, reject_file
from storage.db import Database
from storage.objects import ObjectStore
from tests.fixtures.files import raw_named
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


# Names a hostile scanner or person can give a file: one that forges a ledger line, one that
# drives the terminal, line breaks outside ASCII and a direction override; and bytes that are
# not UTF-8.  Each with how the table shows it.
FORGED = "x.pdf\n1999-12-31 23:59:59  captured  forged"
CONTROLS = {
    FORGED.encode(): "x.pdf\\x0a1999-12-31 23:59:59  captured  forged",
    b"\x1b[2J\rclear.pdf": "\\x1b[2J\\x0dclear.pdf",
    "par\u2028sep\u202efdp.exe\x85.pdf".encode(): "par\\u2028sep\\u202efdp.exe\\x85.pdf",
}
NOT_UTF8 = {b"Avaldus \xff.pdf": "Avaldus \\xff.pdf", b"\xe9\n.pdf": "\\xe9\\x0a.pdf"}
HOSTILE = pytest.mark.parametrize("names", [CONTROLS, NOT_UTF8], ids=["controls", "not-utf8"])


def refuse_files_named(drop: Path, database: Database, names: dict[bytes, str]) -> None:
    """Refuse one file under each of ``names``."""
    for raw in names:
        path = raw_named(drop, raw)
        path.write_bytes(b"II*\x00 too big")
        reject_file(path, folder=drop, db=database, reason="FILE_TOO_LARGE")


@HOSTILE
def test_ledger_table_shows_hostile_names_escaped_one_line_each(
    names: dict[bytes, str],
    drop: Path,
    database: Database,
    service_urls: ServiceUrls,
    tmp_path: Path,
) -> None:
    # Given files refused under names that hold control characters or bytes not UTF-8
    since = datetime.now(UTC).isoformat()
    refuse_files_named(drop, database, names)

    # When the ledger is shown as a table
    table = run_intake("ledger", "--since", since, home=tmp_path, env=service_urls.env(tmp_path))

    # Then each file is one line, ending with its path with those characters escaped
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    mine = [line for line in lines if str(drop) in line]
    assert sorted(line.split(f"{drop}/", 1)[1] for line in mine) == sorted(names.values())
    # ... nothing a name holds moves the cursor or starts a line, and nothing is forged:
    # between the header and the counts, one line per file, each starting with its moment
    assert not any(char in table.stdout for char in "\r\x1b\x85\u2028\u202e")
    rows = lines[1:-2]
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  [a-z]", row) for row in rows)
    assert not any(line.startswith("1999-") for line in lines)
    assert lines[-2:] == ["", lines[-1]]
    assert lines[-1].startswith(f"{len(rows)} file(s): ")


@HOSTILE
def test_ledger_json_keeps_hostile_names_exact_one_line_each(
    names: dict[bytes, str],
    drop: Path,
    database: Database,
    service_urls: ServiceUrls,
    tmp_path: Path,
) -> None:
    # Given files refused under names that hold control characters or bytes not UTF-8
    since = datetime.now(UTC).isoformat()
    refuse_files_named(drop, database, names)

    # When the ledger is asked for as JSON Lines
    done = run_intake(
        "ledger", "--since", since, "--json", home=tmp_path, env=service_urls.env(tmp_path)
    )

    # Then there is one JSON object per file, even to a reader that breaks lines at U+2028
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    mine = [r for r in rows if r["folder"] == str(drop)]
    assert len(mine) == len(names)
    assert f"{len(rows)} file(s): " in done.stderr
    # ... and each name's bytes come back exactly: the name itself, or its own bytes in hex
    exact = {
        bytes.fromhex(r["name_bytes"]) if r["name_bytes"] else r["name"].encode() for r in mine
    }
    assert exact == set(names)
    kept = {
        bytes.fromhex(r["kept_as_bytes"]) if r["kept_as_bytes"] else r["kept_as"].encode()
        for r in mine
    }
    assert kept == {b"rejected/" + raw for raw in names}
