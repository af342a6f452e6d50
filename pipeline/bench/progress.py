"""A progress bar on stderr: tqdm when it is installed, else a carriage-return counter."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[[int], object]
"""Called with how many more units are done."""


@contextmanager
def progress(label: str, total: int, *, unit: str = "page") -> Iterator[Advance]:
    """Show ``label`` and how much of ``total`` is done while the block runs."""
    try:
        from tqdm import tqdm
    except ImportError:
        with _counter(label, total, unit) as advance:
            yield advance
        return
    with tqdm(total=total, desc=label, unit=unit, file=sys.stderr, dynamic_ncols=True) as bar:
        yield bar.update


@contextmanager
def _counter(label: str, total: int, unit: str) -> Iterator[Advance]:
    done = 0
    start = time.perf_counter()

    def advance(count: int) -> None:
        nonlocal done
        done += count
        elapsed = time.perf_counter() - start
        print(
            f"\r{label}: {done}/{total} {unit}s  {elapsed:.0f} s",
            end="",
            file=sys.stderr,
            flush=True,
        )

    try:
        yield advance
    finally:
        print(file=sys.stderr, flush=True)
