"""Heartbeats of the watcher and workers, and ``intake healthcheck`` that reads them."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from config.errors import Misconfigured
from config.settings import Settings
from pipeline import heartbeat
from tests.fixtures.processes import Processes, run_intake, wait_for
from tests.fixtures.services import ServiceUrls, for_service


def _aged(file: Path, seconds: float) -> None:
    """Make ``file`` look last touched ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(file, (then, then))


def test_a_fresh_heartbeat_is_healthy_and_an_old_one_is_not(tmp_path: Path) -> None:
    # Given: a worker's heartbeat just written
    file = heartbeat.heartbeat_file(tmp_path, "worker")
    heartbeat.beat(file)

    # Then: it is healthy now, and not once it is older than the limit
    assert heartbeat.check(tmp_path, "worker", max_age=10).healthy
    _aged(file, 11)
    stale = heartbeat.check(tmp_path, "worker", max_age=10)
    assert not stale.healthy
    assert "old" in stale.message
    # a beat makes it fresh again
    heartbeat.beat(file)
    assert heartbeat.check(tmp_path, "worker", max_age=10).healthy


def test_no_heartbeat_is_unhealthy(tmp_path: Path) -> None:
    health = heartbeat.check(tmp_path, "watcher")
    assert not health.healthy
    assert "no heartbeat" in health.message


def test_the_folder_is_configurable_and_defaults_under_home(tmp_path: Path) -> None:
    assert heartbeat.folder(Settings(home=tmp_path, heartbeat_dir=None)) == tmp_path / "run"
    assert heartbeat.folder(Settings(home=tmp_path, heartbeat_dir=tmp_path / "hb")) == (
        tmp_path / "hb"
    )
    with pytest.raises(ValueError, match="no heartbeat"):
        heartbeat.heartbeat_file(tmp_path, "api")


def test_keep_beating_touches_the_file_until_stopped(tmp_path: Path) -> None:
    # Given: a beating thread for a watcher, its folder not yet made
    settings = Settings(home=tmp_path, heartbeat_dir=tmp_path / "run" / "beats")
    file = heartbeat.heartbeat_file(heartbeat.folder(settings), "watcher")
    stop = threading.Event()
    thread = heartbeat.keep_beating(settings, "watcher", stop, every=0.05)

    # Then: the first beat is there at once, and later ones follow
    assert file.exists()
    _aged(file, 60)

    def fresh() -> bool:
        seconds = heartbeat.age(file)
        return seconds is not None and seconds < 5

    wait_for(fresh, timeout=5)

    # When: stopped, the thread ends
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_keep_beating_refuses_a_folder_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings = Settings(home=tmp_path, heartbeat_dir=blocker / "run")
    with pytest.raises(Misconfigured, match="INTAKE_HEARTBEAT_DIR"):
        heartbeat.keep_beating(settings, "worker", threading.Event())


def test_healthcheck_command_exits_by_the_age_of_the_heartbeat(tmp_path: Path) -> None:
    # Given: a worker heartbeat under INTAKE_HOME/run, the default folder
    home = tmp_path / "home"
    file = heartbeat.heartbeat_file(home / "run", "worker")
    heartbeat.beat(file)

    # Then: healthy while fresh, exit 1 once older than --max-age or when there is none
    fresh = run_intake("healthcheck", "--role", "worker", "--max-age", "30", home=home)
    assert fresh.returncode == 0, fresh.stderr
    assert "worker: heartbeat" in fresh.stdout
    _aged(file, 31)
    stale = run_intake("healthcheck", "--role", "worker", "--max-age", "30", home=home)
    assert stale.returncode == 1
    assert "old" in stale.stderr
    none = run_intake("healthcheck", "--role", "watcher", home=home)
    assert none.returncode == 1
    assert "no heartbeat" in none.stderr
    usage = run_intake("healthcheck", "--role", "api", home=home)
    assert usage.returncode == 2


MAX_AGE = 10.0  # more than heartbeat.EVERY, so that a live watcher never looks stale


@pytest.mark.services
@pytest.mark.slow
def test_a_running_watcher_is_healthy_and_a_stopped_one_goes_stale(
    service_urls: ServiceUrls, processes: Processes, tmp_path: Path, account_tmp: Path
) -> None:
    # Given: a watcher on the real services, its heartbeats in a folder of its own
    drop = for_service(account_tmp / "drop")
    beats = account_tmp / "beats"
    env = service_urls.env(
        for_service(account_tmp / "home"),
        INTAKE_DROP_FOLDERS=str(drop),
        INTAKE_HEARTBEAT_DIR=str(beats),
    )
    watcher = processes.start("watcher", ["watch"], env)

    def healthcheck(role: str = "watcher") -> subprocess.CompletedProcess[str]:
        return run_intake(
            "healthcheck", "--role", role, "--max-age", str(MAX_AGE), home=tmp_path, env=env
        )

    def healthy() -> bool:
        assert watcher.poll() is None, processes.log_text("watcher")
        return healthcheck().returncode == 0

    # When: it has started, Then: it is healthy, and stays so past one beat
    wait_for(healthy, timeout=120, every=0.5)
    time.sleep(heartbeat.EVERY + 1)
    assert healthcheck().returncode == 0
    assert healthcheck("worker").returncode == 1  # no worker runs here

    # When: it is stopped
    watcher.send_signal(signal.SIGTERM)
    watcher.wait(timeout=30)
    stopped = time.monotonic()

    # Then: its heartbeat ages past --max-age, and only then is it unhealthy
    def unhealthy() -> subprocess.CompletedProcess[str] | None:
        result = healthcheck()
        return result if result.returncode == 1 else None

    stale = wait_for(unhealthy, timeout=MAX_AGE + 30, every=0.5)
    assert "old" in stale.stderr
    assert time.monotonic() - stopped >= MAX_AGE - heartbeat.EVERY - 1
