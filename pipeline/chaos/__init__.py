"""The chaos suite: drop many files while killing processes and stopping services, then count.

``python -m pipeline.chaos`` (``make chaos``) starts its own embedded PostgreSQL, S3 server and
broker under a fresh home, real ``intake watch`` and ``intake worker`` processes, and drops
generated scans over several folders at a steady pace, while it SIGKILLs the watcher and the
workers at random moments and stops PostgreSQL, the object store or the broker for a few
seconds up to tens of seconds.  Then it waits until everything is processed and checks:
every dropped file is one capture or one duplicate record of it (lost, doubled), every
capture is final (stuck), every archived object is in the store with its checksum (bad), the
drop folders are empty.  Exit 0 only when all of these are 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.chaos._plan import Options
from pipeline.chaos._report import Figures
from pipeline.chaos._run import run

__all__ = ["Figures", "Options", "main", "run"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline.chaos", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--files", type=int, default=1000, help="files to drop (1000)")
    parser.add_argument("--folders", type=int, default=4, help="drop folders (4)")
    parser.add_argument("--kills", type=int, default=None, help="SIGKILLs (files / 50)")
    parser.add_argument("--outages", type=int, default=None, help="service outages (files / 150)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--seed", type=int, default=1, help="draws the files and the faults")
    parser.add_argument("--rate", type=float, default=2.0, help="files dropped per second (2)")
    parser.add_argument("--max-outage", type=float, default=30.0, help="longest outage, s (30)")
    parser.add_argument("--timeout", type=float, default=None, help="drain time after dropping, s")
    parser.add_argument("--home", type=Path, default=None, help="run folder (a new temp folder)")
    parser.add_argument("--json", type=Path, default=None, dest="json_file", help="figures file")
    return parser


def options_from(argv: Sequence[str] | None) -> Options:
    """The run's options from the command line; defaults scale with ``--files``."""
    args = _parser().parse_args(argv)
    if args.files < 1 or args.folders < 1 or args.workers < 1 or args.rate <= 0:
        _parser().error("--files, --folders, --workers and --rate must be positive")
    return Options(
        files=args.files,
        folders=args.folders,
        kills=args.kills if args.kills is not None else max(args.files // 50, 1),
        outages=args.outages if args.outages is not None else max(args.files // 150, 1),
        workers=args.workers,
        seed=args.seed,
        rate=args.rate,
        max_outage=args.max_outage,
        timeout=args.timeout if args.timeout is not None else max(600.0, args.files * 2.0),
        home=args.home,
        json_file=args.json_file,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chaos suite; 0 when nothing was lost, doubled, stuck or bad, else 1."""
    figures = run(options_from(argv))
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
