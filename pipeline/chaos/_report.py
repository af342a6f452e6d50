"""The figures of a chaos run: a table for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.chaos._check import Findings


@dataclass(frozen=True)
class Figures:
    """What was done to the pipeline and what became of the files."""

    files: int
    distinct: int  # different contents among the files: as many captures are due
    folders: int
    workers: int
    seed: int
    kinds: Mapping[str, int]  # drops by content and by way of writing
    kills: Mapping[str, int]  # by process
    outages: Mapping[str, int]  # by service
    outage_seconds: float
    unplanned_exits: Mapping[str, int]  # processes that exited on their own, restarted
    wall_seconds: float
    dropping_seconds: float
    drain_seconds: float  # from the last drop until everything was processed
    timed_out: bool
    findings: Findings
    home: str
    logs: str

    @property
    def ok(self) -> bool:
        """Whether the run found nothing wrong and finished in time."""
        return self.findings.ok and not self.timed_out


def _by(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()) if n) or "-"


def table(figures: Figures, *, problems: int = 20) -> str:
    """The summary table, and the first ``problems`` problems found."""
    f = figures.findings
    rows = [
        ("files dropped", figures.files, _by(figures.kinds)),
        ("duplicates", figures.files - figures.distinct, "the same bytes as an earlier file"),
        ("distinct contents", figures.distinct, "one capture each"),
        ("drop folders", figures.folders, f"{figures.workers} workers, seed {figures.seed}"),
        ("kills (SIGKILL)", sum(figures.kills.values()), _by(figures.kills)),
        (
            "service outages",
            sum(figures.outages.values()),
            f"{_by(figures.outages)}; {figures.outage_seconds:.0f} s down in all",
        ),
        ("unplanned exits", sum(figures.unplanned_exits.values()), _by(figures.unplanned_exits)),
        ("captures", sum(f.statuses.values()), _by(f.statuses)),
        (
            "wall time (s)",
            round(figures.wall_seconds),
            f"dropping {figures.dropping_seconds:.0f} s, draining {figures.drain_seconds:.0f} s"
            + (" (timed out)" if figures.timed_out else ""),
        ),
        ("lost", f.lost, ""),
        ("doubled", f.doubled, ""),
        ("stuck", f.stuck, ""),
        ("bad objects", f.bad_objects, ""),
        ("folders not empty", f.not_empty, "files left in the drop folders"),
        ("unexpected captures", f.unexpected, "bytes that were never dropped"),
        ("person codes in logs", f.personal_in_logs, ""),
        ("error lines in logs", sum(f.log_errors.values()), _by(f.log_errors)),
    ]
    width = max(len(name) for name, _, _ in rows)
    lines = [f"  {name:<{width}}  {value!s:>6}  {note}".rstrip() for name, value, note in rows]
    lines.append(f"  {'result':<{width}}  {'PASS' if figures.ok else 'FAIL':>6}")
    lines += [f"  ! {p}" for p in f.problems[:problems]]
    if len(f.problems) > problems:
        lines.append(f"  ! ... and {len(f.problems) - problems} more")
    lines.append(f"logs: {figures.logs}")
    return "\n".join(lines)


def to_json(figures: Figures) -> dict[str, object]:
    """The figures as a JSON object (counts as numbers, problems as strings)."""
    data = asdict(figures)
    findings = data.pop("findings")
    data.update(findings)
    data.update(ok=figures.ok, problems=list(figures.findings.problems))
    return data


def write_json(figures: Figures, path: Path) -> None:
    """Write the figures to ``path``."""
    path.write_text(json.dumps(to_json(figures), indent=2, sort_keys=True) + "\n")
