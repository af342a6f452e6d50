"""One chaos run: services, watcher and workers for real; drops, kills and outages; the check.

The run owns everything it starts: a fresh home, embedded PostgreSQL, SeaweedFS S3 and
Valkey broker (each stopped and started again on its own ports for an outage), and the
``intake watch`` / ``intake worker`` processes (``OMP_THREAD_LIMIT=1``), so it needs nothing
else running on the machine.  The main thread keeps the timeline (kills, outages, restarts)
while a second thread drops the files at a steady pace.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from config.errors import BackendUnavailable
from config.settings import DatabaseConfig, StoreConfig
from pipeline.accounts import claim_home, hand_over, service_account
from pipeline.chaos._check import Findings, check
from pipeline.chaos._files import Staged, stage, write_drop
from pipeline.chaos._fleet import Fleet
from pipeline.chaos._plan import Options, make_plan
from pipeline.chaos._report import Figures, table, write_json
from pipeline.chaos._timeline import Say, Timeline
from pipeline.embedded import Embedded, Endpoints
from storage.captures import unfinished
from storage.db import Database
from storage.objects import ObjectStore
from storage.roles import set_up

_TICK = 0.2
_PROGRESS_EVERY = 30.0
_KEPT_ON_SUCCESS = ("logs", "summary.json")


class _Dropper(threading.Thread):
    """Writes the staged files into their folders, each at its planned moment."""

    def __init__(self, staged: Mapping[int, Staged], options: Options, t0: float) -> None:
        super().__init__(name="chaos-dropper", daemon=True)
        self.staged, self.options, self.t0 = staged, options, t0
        self.dropped = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        writers: list[threading.Thread] = []
        for index in sorted(self.staged):
            item = self.staged[index]
            time.sleep(max(self.t0 + item.drop.at - time.monotonic(), 0.0))
            if item.drop.mode == "whole":
                self._write(item)
            else:  # written over a second or so: in its own thread, to keep the pace
                writer = threading.Thread(target=self._write, args=(item,), daemon=True)
                writer.start()
                writers.append(writer)
            self.dropped += 1
        for writer in writers:
            writer.join()

    def _write(self, item: Staged) -> None:
        """Write one file; a failure is kept for the main thread (it would pass for a loss)."""
        try:
            rng = random.Random(f"{self.options.seed}-write-{item.drop.index}")
            write_drop(item, rng, self.options.settle)
        except BaseException as exc:
            self.error = exc


@dataclass(frozen=True)
class _Phases:
    """When the dropping started and ended, when all was processed, and whether in time."""

    t0: float
    dropped_at: float
    drained_at: float
    timed_out: bool


def _env(home: Path, endpoints: Endpoints, folders: list[Path], options: Options) -> dict[str, str]:
    """The environment of the run's ``intake`` processes: its services, folders, one thread."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    if "INTAKE_MODEL_CACHE" in os.environ:  # the trained type model, shared with `intake process`
        env["INTAKE_MODEL_CACHE"] = os.environ["INTAKE_MODEL_CACHE"]
    env.update(
        INTAKE_HOME=str(home),
        INTAKE_DATABASE_URL=endpoints.database_url,
        INTAKE_S3_ENDPOINT=endpoints.s3_endpoint,
        INTAKE_S3_ACCESS_KEY=endpoints.s3_access_key,
        INTAKE_S3_SECRET_KEY=endpoints.s3_secret_key,
        INTAKE_S3_BUCKET=endpoints.s3_bucket,
        INTAKE_S3_SECURE="true",
        INTAKE_S3_CA_FILE=endpoints.s3_ca_file,
        INTAKE_BROKER_URL=endpoints.broker_url,
        INTAKE_DROP_FOLDERS=",".join(str(f) for f in folders),
        INTAKE_SETTLE_SECONDS=str(options.settle),
        INTAKE_MAX_WAIT_SECONDS=str(options.max_wait),
        INTAKE_AFTER_INGEST="delete",
        INTAKE_LOG_LEVEL="INFO",
        OMP_THREAD_LIMIT="1",
    )
    return env


def _files_in(folders: list[Path]) -> int:
    return sum(1 for folder in folders for entry in folder.iterdir() if not entry.is_dir())


class _Progress:
    """One line every half minute: dropped, waiting in the folders, not yet final."""

    def __init__(self, db: Database, embedded: Embedded, folders: list[Path], say: Say):
        self.db, self.embedded, self.folders, self.say = db, embedded, folders, say
        self.last = time.monotonic()

    def __call__(self, dropped: int | None) -> None:
        """Say how it goes, if it is time; ``dropped`` is None once all are."""
        if time.monotonic() - self.last < _PROGRESS_EVERY:
            return
        self.last = time.monotonic()
        waiting = "database down"
        if "database" in self.embedded.running():
            try:
                waiting = f"{len(unfinished(self.db))} captures not final"
            except BackendUnavailable:
                waiting = "database unavailable"
        done = "all" if dropped is None else str(dropped)
        self.say(f"{done} dropped, {_files_in(self.folders)} in the folders, {waiting}")


def _storm(timeline: Timeline, dropper: _Dropper, fleet: Fleet, progress: _Progress) -> None:
    """Drop the files while the faults happen; return when both are over."""
    dropper.start()
    while dropper.is_alive() or not timeline.done:
        timeline.step()
        fleet.tend()
        progress(dropper.dropped)
        time.sleep(_TICK)
    dropper.join()
    if dropper.error is not None:
        raise dropper.error


def _drain(
    fleet: Fleet, db: Database, folders: list[Path], progress: _Progress, until: float
) -> bool:
    """Wait until the folders are empty and every capture is final; False when out of time.

    Then nothing is left to do: a file leaves its folder only once its capture (or its
    duplicate record) is committed, and a capture that is not final is still to be worked on.
    """
    while True:
        fleet.tend()
        try:
            if fleet.all_running() and not _files_in(folders) and not unfinished(db):
                return True
        except BackendUnavailable:
            pass
        if time.monotonic() > until:
            return False
        progress(None)
        time.sleep(1.0)


def _open(endpoints: Endpoints) -> tuple[Database, ObjectStore]:
    """Migrate the fresh database and make the bucket; the run's own database and store."""
    set_up(DatabaseConfig(endpoints.database_admin_url), DatabaseConfig(endpoints.database_url))
    store = ObjectStore(
        StoreConfig(
            endpoints.s3_endpoint,
            endpoints.s3_access_key,
            endpoints.s3_secret_key,
            endpoints.s3_bucket,
            secure=True,
            ca_file=endpoints.s3_ca_file,
        )
    )
    store.ensure_bucket()
    return Database(DatabaseConfig(endpoints.database_url), max_size=2, timeout=5.0), store


def _clear(home: Path) -> None:
    """Remove the services' data and the staged files; the logs and the summary stay."""
    for entry in home.iterdir():
        if entry.name not in _KEPT_ON_SUCCESS:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def run(options: Options, out: TextIO = sys.stdout) -> Figures:
    """Do one chaos run as ``options`` say and return its figures (printed to ``out``)."""
    started = time.monotonic()
    plan = make_plan(options)
    home = (options.home or Path(tempfile.mkdtemp(prefix="intake-chaos-"))).absolute()
    account = service_account()
    claim_home(home, account)  # the watcher and workers run as the account when we are root
    logs = home / "logs"
    folders = [home / "drop" / f"scanner-{n + 1}" for n in range(options.folders)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    hand_over(home / "drop", account)

    def say(text: str) -> None:
        print(f"[chaos +{time.monotonic() - started:6.1f} s] {text}", file=out, flush=True)

    say(f"home {home}; making {options.files} files")
    staged = stage(plan.drops, home / "staging", folders, options.seed)
    embedded = Embedded(home)
    fleet: Fleet | None = None
    db: Database | None = None
    try:
        say("starting PostgreSQL, the S3 server and the broker")
        endpoints = embedded.start()
        db, store = _open(endpoints)
        env = _env(home, endpoints, folders, options)
        fleet = Fleet(env, logs, home, options.workers, started_at=started)
        say(f"starting the watcher and {options.workers} workers; logs in {logs}")
        fleet.start_all()
        progress = _Progress(db, embedded, folders, say)
        t0 = time.monotonic()
        dropper = _Dropper(staged, options, t0)
        timeline = Timeline(plan, embedded, fleet, t0, say)
        _storm(timeline, dropper, fleet, progress)
        dropped_at = time.monotonic()
        say(f"all {options.files} files dropped; waiting for them to be processed")
        in_time = _drain(fleet, db, folders, progress, dropped_at + options.timeout)
        phases = _Phases(t0, dropped_at, time.monotonic(), timed_out=not in_time)
        say("stopping the watcher and workers; checking")
        fleet.stop_all()
        findings = check(db, store, staged, folders, logs)
    finally:
        if fleet is not None:
            fleet.stop_all()
        if db is not None:
            db.close()
        embedded.stop()
    figures = _figures(options, staged, fleet, timeline, findings, phases, started, home)
    print(table(figures), file=out, flush=True)
    write_json(figures, home / "summary.json")
    if options.json_file is not None:
        write_json(figures, options.json_file)
    if figures.ok:
        _clear(home)
    return figures


def _figures(
    options: Options,
    staged: Mapping[int, Staged],
    fleet: Fleet,
    timeline: Timeline,
    findings: Findings,
    phases: _Phases,
    started: float,
    home: Path,
) -> Figures:
    kinds = Counter(s.drop.content for s in staged.values())
    kinds.update(s.drop.mode for s in staged.values() if s.drop.mode != "whole")
    return Figures(
        files=options.files,
        distinct=len({s.sha256 for s in staged.values()}),
        folders=options.folders,
        workers=options.workers,
        seed=options.seed,
        kinds=dict(kinds),
        kills=dict(fleet.kills),
        outages=dict(timeline.outages),
        outage_seconds=round(timeline.down_seconds, 1),
        unplanned_exits=dict(fleet.exits),
        wall_seconds=round(time.monotonic() - started, 1),
        dropping_seconds=round(phases.dropped_at - phases.t0, 1),
        drain_seconds=round(phases.drained_at - phases.dropped_at, 1),
        timed_out=phases.timed_out,
        findings=findings,
        home=str(home),
        logs=str(home / "logs"),
    )
