"""Freed page images leave a long-running process once the heap bounds are fixed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# A page's working set, many times over: images of different sizes freed in another order
# than they came, while small things made beside them live on. Prints the growth in MB.
PAGES = textwrap.dedent(
    """
    import random, sys
    import numpy as np
    from pipeline.heap import return_freed_images

    def rss_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024

    if sys.argv[1] == "fixed":
        assert return_freed_images()
    rng = random.Random(1)
    kept = []
    base = rss_mb()
    for _ in range(40):
        work = [np.ones(rng.randint(2, 12) << 20, np.uint8) for _ in range(4)]
        kept.append(np.ones(rng.randint(100, 5000), np.uint8))
        rng.shuffle(work)
        while work:
            work.pop()
    print(rss_mb() - base)
    """
)


def _growth(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", PAGES, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def test_freed_page_images_are_given_back_with_fixed_bounds() -> None:
    # Given: glibc's own dynamic bounds, the process keeps tens of MB of freed images
    assert _growth("dynamic") >= 20
    # When: the bounds are fixed first, Then: the process ends about where it began
    assert _growth("fixed") <= 5
