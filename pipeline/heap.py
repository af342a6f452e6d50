"""The C heap of a long-running process that handles page images.

glibc hands a freed large block back to the system only while blocks of its size are
mapped on their own; after the first free it raises that bound (up to 32 MB), so every
later page image (9 MB at 300 dpi) comes from the heap and stays there. A worker that
reads one page after another then grows by a hundred megabytes of freed images. A fixed
bound turns that dynamic rise off: images are mapped and returned as they are freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)
# mallopt's parameter numbers (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MAP_ABOVE = 1 << 20  # bytes: blocks this large are mapped on their own
TRIM_ABOVE = 4 << 20  # bytes: free heap above this is given back


def return_freed_images() -> bool:
    """Fix glibc's bounds so that freed page images leave the process; False off glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, MAP_ABOVE)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_ABOVE)
    )
    if not done:
        log.warning("heap bounds not set: freed page images may stay in the worker")
    return done
