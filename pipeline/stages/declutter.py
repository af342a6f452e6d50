"""Take what is not text out of the copy that OCR reads: ruled lines, signatures, stamps, photos.

OCR reads a signature scribble or a stamp as a line of junk letters, and table rules as
``|`` and ``_``.  Ruled lines are found by morphology (long straight runs of ink) and only
their pixels are removed, so characters in table cells stay; then any remaining blob much
taller or wider than a character (a signature, a stamp's ring, a photo) is removed.  The
archived image is not touched: only the OCR input is cleaned.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from pipeline.stages.pixels import Gray, black_level, gray_of, ink_mask, paper_level, reduced

TALL = 2.6  # a blob taller than this many character heights is not a character
WIDE = 30.0  # nor one wider than this many, unless it is a line of joined letters
FAINT = 40  # grey levels below the paper that still count as ink here
SHOW_THROUGH_DROP = 20  # grey levels below the paper that make a mark
CORE_SHARE = 0.4  # print has pixels this share of the way from black to paper, or darker
SHOW_THROUGH_SHARE = 0.15  # of the marks' pixels in marks without a core: the back shows
# A big component is a heading's letter when this many of about its height (within this
# share) stand in a row, none wider than this many times its height.
ROW_LETTERS = 3
SAME_HEIGHT = 0.3
LETTER_WIDTH = 1.6


def _clutter(mask: np.ndarray, char_height: float) -> np.ndarray:
    """The ink pixels of ``mask`` that are rules, scribbles, stamps or pictures."""
    run = max(int(char_height * 5), 15)
    horizontal = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    vertical = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    rules = cv2.bitwise_or(horizontal, vertical)
    rest = cv2.bitwise_and(mask, cv2.bitwise_not(rules))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    heights, widths = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    big = (heights > TALL * char_height) | (widths > WIDE * char_height)
    big[0] = False  # the background
    big &= ~_heading_letters(stats, big)
    blobs = np.where(big[labels], 255, 0).astype(np.uint8) if count > 1 else np.zeros_like(mask)
    # A round stamp's ring encloses its own marks (ticks, stars, letters): none of it is text.
    for x, y, w, h, _area in stats[1:][big[1:]]:
        if 0.6 <= w / max(h, 1) <= 1.6 and h > TALL * char_height:
            np.bitwise_or(
                blobs[y : y + h, x : x + w],
                rest[y : y + h, x : x + w],
                out=blobs[y : y + h, x : x + w],
            )
    return cv2.bitwise_or(rules, blobs)


def _heading_letters(stats: np.ndarray, big: np.ndarray) -> np.ndarray:
    """The big components that are letters of a large heading, not a scribble or a stamp.

    A heading's letters stand in a row: several components of about the same height, side
    by side on one line, none much wider than tall, each close to the next.
    """
    letters = np.zeros(len(stats), dtype=bool)
    candidates = [
        i
        for i in np.flatnonzero(big)
        if stats[i, cv2.CC_STAT_WIDTH] <= LETTER_WIDTH * stats[i, cv2.CC_STAT_HEIGHT]
    ]
    for i in candidates:
        y, h = int(stats[i, cv2.CC_STAT_TOP]), int(stats[i, cv2.CC_STAT_HEIGHT])
        row = [
            j
            for j in candidates
            if abs(int(stats[j, cv2.CC_STAT_HEIGHT]) - int(h)) <= SAME_HEIGHT * h
            and min(y + h, stats[j, 1] + stats[j, 3]) - max(y, stats[j, 1]) >= 0.7 * h
        ]
        xs = sorted((int(stats[j, 0]), int(stats[j, 0] + stats[j, 2])) for j in row)
        # the longest chain of neighbours, each within a letter's height of the one before
        chain, best, right = 1, 1, xs[0][1]
        for left, end in xs[1:]:
            chain = chain + 1 if left - right <= h else 1
            right = max(right, end) if chain > 1 else end
            best = max(best, chain)
        if best >= ROW_LETTERS:
            letters[i] = True
    return letters


def declutter(image: Image.Image, *, dpi: int | None, char_height_px: float) -> Image.Image:
    """A copy of the page for OCR with non-text ink painted over in the paper's colour."""
    if char_height_px <= 0:
        return image
    full: Gray = gray_of(image)
    small, factor = reduced(full, dpi)
    # Stamps and ballpoint signatures are often lighter than print: count faint ink too.
    paper = paper_level(small)
    faint = np.where(small < paper - FAINT, 255, 0).astype(np.uint8)
    clutter = _clutter(cv2.bitwise_or(ink_mask(small), faint), char_height_px / factor)
    core = _show_through_core(small, paper)
    if not clutter.any() and core is None:
        return image
    clean = full.copy()
    if clutter.any():
        if factor > 1:
            clutter = cv2.resize(
                clutter, (full.shape[1], full.shape[0]), interpolation=cv2.INTER_NEAREST
            )
        clean[cv2.dilate(clutter, np.ones((3, 3), np.uint8)) > 0] = 255
    if core is not None:
        # Where the back's print touches the front's it cannot be told apart as marks; it is
        # lighter than the front's print, though: only print's own darkness is kept.
        clean[clean > core] = 255
    return Image.fromarray(clean)


def _show_through_core(gray: Gray, paper: float) -> float | None:
    """The level print is darker than, when print from the back shows through; else None.

    Marks are what is darker than the paper by a little; print has a core far darker than
    that, show-through (mirrored, and blurred by the paper) has none.  Many marks without a
    core mean the back shows through.
    """
    black = black_level(gray)
    core = black + CORE_SHARE * (paper - black)
    marks = np.where(gray < paper - SHOW_THROUGH_DROP, 255, 0).astype(np.uint8)
    count, labels = cv2.connectedComponents(marks, connectivity=8)
    if count <= 1:
        return None
    cored = np.zeros(count, dtype=bool)
    cored[np.unique(labels[gray < core])] = True
    cored[0] = True  # the background
    coreless = int(np.count_nonzero(~cored[labels]))
    return core if coreless > SHOW_THROUGH_SHARE * int(np.count_nonzero(marks)) else None
