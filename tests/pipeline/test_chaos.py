"""The chaos suite: its plan, its check, the outages it causes, and a small run of it."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import redis

from config.settings import StoreConfig
from pipeline.chaos import main
from pipeline.chaos._check import account
from pipeline.chaos._files import Staged
from pipeline.chaos._plan import Drop, Options, make_plan
from pipeline.embedded import SERVICES, Embedded
from storage.audit import CaptureAudit
from storage.ledger import LedgerEntry
from storage.objects import ObjectStore


def test_plan_has_every_kind_and_duplicates_follow_their_originals() -> None:
    # Given a plan of 50 files over 3 folders
    plan = make_plan(Options(files=50, folders=3, kills=4, outages=3, seed=11))

    # Then every kind of content and of writing is there
    assert {d.content for d in plan.drops} == {
        "text", "lines", "blank", "empty", "truncated", "duplicate",
    }  # fmt: skip
    assert {d.mode for d in plan.drops} == {"whole", "slow", "renamed"}
    # and each duplicate comes after its original, into another folder
    by_index = {d.index: d for d in plan.drops}
    for drop in plan.drops:
        if drop.content == "duplicate":
            original = by_index[drop.source]
            assert original.index < drop.index and original.at < drop.at
            assert original.folder != drop.folder and original.content != "duplicate"
    # and the outages are one at a time, one per service, inside the dropping window
    outages = [f for f in plan.faults if f.action == "outage"]
    assert sorted(f.target for f in outages) == sorted(SERVICES)
    for first, second in itertools.pairwise(outages):
        assert first.at + first.seconds <= second.at
    assert all(0 <= f.at <= plan.window for f in plan.faults)
    assert Counter(f.action for f in plan.faults) == {"kill": 4, "outage": 3}


def _staged(tmp_path: Path, index: int, sha: str, folder: Path) -> Staged:
    drop = Drop(index, f"scan-{index:05d}.png", 0, "text", "whole", "png", float(index), index)
    return Staged(drop, folder, tmp_path / drop.name, sha, 10, ())


def _capture(capture_id: str, sha: str, duplicates: int = 0) -> CaptureAudit:
    return CaptureAudit(
        capture_id, sha, "archived", f"originals/{sha}", None, None, None, None,
        documents=1, pages=1, final_events=1, duplicate_events=duplicates,
        registered_documents=1, registered_pages=1,
    )  # fmt: skip


def _row(row_id: int, folder: Path, name: str, sha: str, capture_id: str) -> LedgerEntry:
    now = datetime.now(UTC)
    outcome = "captured" if row_id == 1 else "duplicate"
    return LedgerEntry(
        row_id, str(folder), name, 10, 1, sha, None, None, now, now, outcome, capture_id, None
    )


def test_check_counts_what_is_lost_doubled_or_still_waiting(tmp_path: Path) -> None:
    # Given four dropped files: a, its duplicate a', b, and c
    folder = tmp_path / "drop"
    folder.mkdir()
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    staged = {
        0: _staged(tmp_path, 0, a, folder),
        1: _staged(tmp_path, 1, a, folder),
        2: _staged(tmp_path, 2, b, folder),
        3: _staged(tmp_path, 3, c, folder),
    }
    names = {i: s.drop.name for i, s in staged.items()}
    captures = [_capture("id-a", a, duplicates=1)]
    ledger = [_row(1, folder, names[0], a, "id-a"), _row(2, folder, names[1], a, "id-a")]

    # When a and its duplicate are recorded, b has no record and c is still in its folder
    lost, doubled, problems = account(staged, captures, ledger, [folder / names[3]], Counter())

    # Then b is lost, c is not (it waits), and nothing is doubled
    assert (lost, doubled) == (1, 0)
    assert problems == [f"lost: {names[2]} (scanner-1, text)"]

    # When the duplicate's file got a second ledger row
    ledger.append(_row(3, folder, names[1], a, "id-a"))
    lost, doubled, _ = account(staged, captures, ledger, [folder / names[3]], Counter())

    # Then it is doubled
    assert doubled == 1

    # When a file was taken half-written: its row holds other bytes than the file's
    ledger = [_row(1, folder, names[0], "d" * 64, "id-d"), _row(2, folder, names[1], a, "id-a")]
    lost, doubled, problems = account(staged, captures, ledger, [folder / names[3]], Counter())

    # Then that file is lost too
    assert lost == 2
    assert f"lost: {names[0]} (scanner-1, text)" in problems


@pytest.mark.services
def test_a_service_stopped_alone_comes_back_on_its_port_with_its_data(account_tmp: Path) -> None:
    # Given the three embedded services, each holding something
    with Embedded(account_tmp / "home") as services:
        endpoints = services.endpoints
        with psycopg.connect(endpoints.database_admin_url, autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (n int)")
            conn.execute("INSERT INTO kept VALUES (7)")
        config = StoreConfig(
            endpoints.s3_endpoint,
            endpoints.s3_access_key,
            endpoints.s3_secret_key,
            "intake",
            secure=True,
            ca_file=endpoints.s3_ca_file,
        )
        ObjectStore(config).put("kept.txt", b"scan", content_type="text/plain")
        broker = redis.Redis.from_url(endpoints.broker_url)
        broker.rpush("queue", b"message")
        broker.close()

        for name in SERVICES:
            # When one is stopped
            services.stop_service(name)

            # Then it is down and the others are not
            assert services.running() == tuple(s for s in SERVICES if s != name)

            # When it is started again
            services.start_service(name)

            # Then it is up on the same endpoint
            assert services.running() == SERVICES
            assert services.endpoints == endpoints

        # and every service still holds what it held
        with psycopg.connect(endpoints.database_admin_url) as conn:
            assert conn.execute("SELECT n FROM kept").fetchall() == [(7,)]
        assert ObjectStore(config).get("kept.txt") == b"scan"
        broker = redis.Redis.from_url(endpoints.broker_url)
        assert broker.lrange("queue", 0, -1) == [b"message"]
        broker.close()


@pytest.mark.services
@pytest.mark.slow
def test_small_chaos_run_loses_doubles_and_leaves_nothing(
    tmp_path: Path, account_tmp: Path
) -> None:
    # Given 50 files over 3 folders, two SIGKILLs and one service outage
    figures_file = tmp_path / "chaos.json"
    argv = [
        "--files", "50", "--folders", "3", "--kills", "2", "--outages", "1",
        "--workers", "2", "--rate", "1", "--max-outage", "15", "--seed", "9",
        "--timeout", "150", "--home", str(account_tmp / "home"), "--json", str(figures_file),
    ]  # fmt: skip

    # When the chaos suite runs
    code = main(argv)

    # Then the faults happened
    figures = json.loads(figures_file.read_text())
    assert sum(figures["kills"].values()) == 2
    assert sum(figures["outages"].values()) == 1
    # and every file was accounted for once, every capture is final and archived soundly
    assert figures["problems"] == []
    assert (figures["lost"], figures["doubled"], figures["stuck"]) == (0, 0, 0)
    assert (figures["bad_objects"], figures["not_empty"], figures["unexpected"]) == (0, 0, 0)
    assert sum(figures["statuses"].values()) == figures["distinct"]
    assert not figures["timed_out"]
    assert code == 0
