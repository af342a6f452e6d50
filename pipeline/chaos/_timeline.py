"""The faults of a chaos run, carried out when they are due: kills, and one outage at a time."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from pipeline.chaos._fleet import Fleet
from pipeline.chaos._plan import Fault, Plan
from pipeline.embedded import Embedded

RETRY_KILL = 0.2  # seconds: a kill whose target is restarting waits this long

Say = Callable[[str], None]


class Timeline:
    """Carries out the plan's faults at their moments (seconds after ``t0``).

    Call ``step()`` often from the thread that started the embedded services: an outage
    starts the stopped service again from there.
    """

    def __init__(self, plan: Plan, embedded: Embedded, fleet: Fleet, t0: float, say: Say):
        self.pending = list(plan.faults)
        self.embedded, self.fleet, self.t0, self.say = embedded, fleet, t0, say
        self.outages: Counter[str] = Counter()
        self.down: tuple[str, float, float] | None = None  # service, since, until
        self.down_seconds = 0.0

    @property
    def done(self) -> bool:
        """Whether every fault was carried out and every service is up again."""
        return not self.pending and self.down is None

    def step(self) -> None:
        """End an outage whose time is up; carry out the faults that are due."""
        if self.down is not None and time.monotonic() >= self.down[2]:
            self._restore()
        while self.pending and self.t0 + self.pending[0].at <= time.monotonic():
            self._do(self.pending.pop(0))

    def _do(self, fault: Fault) -> None:
        if fault.action == "kill":
            if self.fleet.running(fault.target):
                self.fleet.kill(fault.target, fault.seconds)
                self.say(f"killed {fault.target}; back in {fault.seconds:.1f} s")
            else:  # down already (restarting): the kill waits until it is back
                later = replace(fault, at=time.monotonic() - self.t0 + RETRY_KILL)
                self.pending = sorted([*self.pending, later], key=lambda f: f.at)
            return
        if self.down is not None:
            self._restore()
        self.embedded.stop_service(fault.target)
        self.outages[fault.target] += 1
        now = time.monotonic()
        self.down = (fault.target, now, now + fault.seconds)
        self.say(f"{fault.target} stopped for {fault.seconds:.0f} s")

    def _restore(self) -> None:
        assert self.down is not None
        service, since, _ = self.down
        self.embedded.start_service(service)
        lasted = time.monotonic() - since
        self.down_seconds += lasted
        self.down = None
        self.say(f"{service} back after {lasted:.0f} s")
