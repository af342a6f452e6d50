"""What a chaos run will do, drawn from its seed before anything starts.

The drops (which bytes, into which folder, how written, when) and the faults (which process
is killed, which service goes down, when and for how long) are plain values, so a run can be
told and repeated from its seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

SERVICE_NAMES = ("database", "store", "broker")
CONTENTS = ("text", "lines", "blank", "empty", "truncated", "duplicate")
MODES = ("whole", "slow", "renamed")
MIN_OUTAGE = 3.0
_QUIET_START, _QUIET_END = 0.1, 0.95  # faults happen within these fractions of the window
_SHARES = {"duplicate": 0.08, "empty": 0.02, "truncated": 0.02, "blank": 0.15, "lines": 0.13}
_MODE_SHARES = {"slow": 0.10, "renamed": 0.10}


@dataclass(frozen=True)
class Options:
    """The knobs of one run (the command's arguments)."""

    files: int = 1000
    folders: int = 4
    kills: int = 20
    outages: int = 6
    workers: int = 2
    seed: int = 1
    rate: float = 2.0  # files dropped per second
    max_outage: float = 30.0  # seconds; each outage lasts from MIN_OUTAGE up to this
    settle: float = 2.0  # INTAKE_SETTLE_SECONDS of the watcher
    max_wait: float = 15.0  # INTAKE_MAX_WAIT_SECONDS: a broken file is taken after this
    timeout: float = 1800.0  # seconds after the last drop for everything to be processed
    home: Path | None = None  # a fresh temporary folder when None
    json_file: Path | None = None


@dataclass(frozen=True)
class Drop:
    """One file to drop: its bytes come from drop ``source`` (itself unless a duplicate)."""

    index: int
    name: str
    folder: int
    content: str  # one of CONTENTS
    mode: str  # one of MODES
    fmt: str  # "png", "tiff", "jpeg" or "pdf"
    at: float  # seconds after dropping starts
    source: int


@dataclass(frozen=True)
class Fault:
    """A process killed (restarted after ``seconds``) or a service stopped for ``seconds``."""

    at: float
    action: str  # "kill" or "outage"
    target: str  # "watcher", "worker-N", or one of SERVICE_NAMES
    seconds: float


@dataclass(frozen=True)
class Plan:
    """Everything a run will do."""

    options: Options
    drops: tuple[Drop, ...]
    faults: tuple[Fault, ...]

    @property
    def window(self) -> float:
        """Seconds over which the files are dropped (and the faults happen)."""
        return self.options.files / self.options.rate


_SUFFIX = {"png": "png", "tiff": "tif", "jpeg": "jpg", "pdf": "pdf"}


def _counted(total: int, shares: dict[str, float], rest: str) -> list[str]:
    """``total`` labels: each share rounded (at least one when there are 20 or more)."""
    labels: list[str] = []
    for label, share in shares.items():
        labels += [label] * max(round(total * share), 1 if total >= 20 else 0)
    labels = labels[:total]
    return labels + [rest] * (total - len(labels))


def plan_drops(options: Options, rng: random.Random) -> tuple[Drop, ...]:
    """The files in the order they are dropped, with duplicates after their originals."""
    contents = _counted(options.files, _SHARES, "text")
    modes = _counted(options.files, _MODE_SHARES, "whole")
    rng.shuffle(contents)
    rng.shuffle(modes)
    # A duplicate needs an earlier original: move any from the front behind one.
    while contents and contents[0] == "duplicate":
        contents.append(contents.pop(0))
    drops: list[Drop] = []
    for index, (content, mode) in enumerate(zip(contents, modes, strict=True)):
        folder = rng.randrange(options.folders)
        source = index
        fmt = rng.choice(tuple(_SUFFIX))
        if content == "duplicate":
            original = drops[rng.choice([d.index for d in drops if d.content != "duplicate"])]
            source, fmt = original.index, original.fmt
            if options.folders > 1:  # the same bytes, dropped into another folder
                folder = rng.choice([f for f in range(options.folders) if f != original.folder])
        at = index / options.rate + rng.uniform(0.0, 0.5 / options.rate)
        name = f"scan-{index:05d}.{_SUFFIX[fmt]}"
        drops.append(Drop(index, name, folder, content, mode, fmt, at, source))
    return tuple(drops)


def plan_faults(options: Options, window: float, rng: random.Random) -> tuple[Fault, ...]:
    """Kills at random moments; outages one at a time, each in its own slice of the window.

    Nothing happens in the first tenth of the window, while the processes start.
    """
    workers = [f"worker-{n + 1}" for n in range(options.workers)]
    begin, end = _QUIET_START * window, _QUIET_END * window
    faults = [
        Fault(
            at=rng.uniform(begin, end),
            action="kill",
            target="watcher" if k % 2 == 0 or not workers else rng.choice(workers),
            seconds=rng.uniform(0.0, 2.0),
        )
        for k in range(options.kills)
    ]
    services: list[str] = []
    while len(services) < options.outages:
        services += rng.sample(SERVICE_NAMES, len(SERVICE_NAMES))
    slot = (end - begin) / max(options.outages, 1)
    for n, service in enumerate(services[: options.outages]):
        longest = max(min(options.max_outage, slot * 0.8), MIN_OUTAGE)
        seconds = rng.uniform(min(MIN_OUTAGE, longest), longest)
        start = begin + n * slot + rng.uniform(0.0, max(slot - seconds, 0.0))
        faults.append(Fault(at=start, action="outage", target=service, seconds=seconds))
    return tuple(sorted(faults, key=lambda f: f.at))


def make_plan(options: Options) -> Plan:
    """Draw the drops and the faults from ``options.seed``."""
    rng = random.Random(options.seed)
    drops = plan_drops(options, rng)
    faults = plan_faults(options, options.files / options.rate, rng)
    return Plan(options, drops, faults)
