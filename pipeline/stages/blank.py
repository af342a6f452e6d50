"""Tell blank pages (duplex backs, empty sheets) from pages with print, robustly.

Punch holes and edge shadows live in a band along the edges, which is left out; dust and
scanner noise are too small to be characters; bleed-through from the back is far fainter
than print.  A page is blank when what is left has almost no character-sized ink.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.stages.pixels import Gray, assumed_dpi, components, paper_level

EDGE_BAND = 0.05  # of the shorter side
MIN_INK_DROP = 70  # grey levels below the paper that count as print, not bleed-through
MAX_MARKS = 40  # above this many character-sized marks a page has print
FAINT_DROP = 8  # grey levels below the smoothed paper for faint print
FAINT_MARKS = 300  # faint character-sized marks that make a page of print
FAINT_LINED_SHARE = 0.13  # in lines: faint print 16-20 %, one copier pass 2-10 %
_LINED_SAMPLE = 1500
MIN_LINES = 6  # rows of lined marks a page of print shows
_WORD_SAMPLE = 4000


def is_blank(gray: Gray, *, dpi: int | None) -> bool:
    """Whether the page carries no print worth reading."""
    height, width = gray.shape
    band = int(min(height, width) * EDGE_BAND)
    inner = gray[band : height - band, band : width - band]
    if inner.size == 0:
        return True
    paper = paper_level(inner)
    ink = (inner < paper - max(MIN_INK_DROP, 0.3 * paper)).astype(np.uint8) * 255
    marks = components(ink, min_area=6)
    mm = (dpi or assumed_dpi(gray.shape)) / 25.4
    if not marks.count:
        return not _faint_print(inner, mm)
    heights = marks.boxes[:, 3]
    widths = marks.boxes[:, 2]
    # Characters of ordinary print: 0.8 mm to 12 mm tall, not hair-thin strokes a page long.
    charlike = marks.boxes[(heights >= 0.8 * mm) & (heights <= 12 * mm) & (widths <= 40 * mm)]
    if _has_a_word(_sample(charlike, _WORD_SAMPLE)):
        return False
    # Many marks are print when they stand in lines; a copier's specks and drum dots do not.
    if charlike.shape[0] > MAX_MARKS and _lined_share(charlike) >= FAINT_LINED_SHARE:
        return False
    return not _faint_print(inner, mm)


def _faint_print(inner: Gray, mm: float) -> bool:
    """Whether a page that looks empty holds a page of print too faint to read.

    Such a page must go to review for its contrast, not vanish as a blank back.  Smoothed,
    faint print still shows hundreds of character-sized marks; bleed-through from the back
    is fainter and blurred, and shows far fewer.
    """
    smooth = cv2.GaussianBlur(inner, (0, 0), 1.5)
    paper = float(np.percentile(smooth[::2, ::2], 90))
    faint = (smooth < paper - FAINT_DROP).astype(np.uint8) * 255
    marks = components(faint, min_area=6)
    if not marks.count:
        return False
    heights = marks.boxes[:, 3]
    charlike = marks.boxes[(heights >= 0.6 * mm) & (heights <= 10 * mm)]
    if charlike.shape[0] <= FAINT_MARKS:
        return False
    # Copier grain and toner specks make as many marks, scattered; print's stand in lines.
    return _lined_share(charlike) >= FAINT_LINED_SHARE


def _sample(boxes: np.ndarray, size: int) -> np.ndarray:
    """At most ``size`` of ``boxes``, the same ones every time."""
    if boxes.shape[0] <= size:
        return boxes
    picked = np.random.default_rng(0).choice(boxes.shape[0], size, replace=False)
    return boxes[np.sort(picked)]


def _lined_share(boxes: np.ndarray) -> float:
    """The share of marks with two more beside them on a common edge (of a sample).

    The page may lie any way up: lines across or down it, their baseline either side.
    """
    boxes = _sample(boxes, _LINED_SAMPLE)
    turned = boxes[:, [1, 0, 3, 2, 4]]
    shares = []
    for way in (boxes, turned):
        flipped = way.copy()
        flipped[:, 1] = -(way[:, 1] + way[:, 3])  # the top edge becomes the bottom
        shares += [_lined(way), _lined(flipped)]
    return max(shares)


def _lined(boxes: np.ndarray) -> float:
    """The share of ``boxes`` with two more of about their size along their bottom edge."""
    sizes = boxes[:, 2:4].max(axis=1)
    bottoms = boxes[:, 1] + boxes[:, 3]
    lined = [
        int(bottom)
        for x, bottom, size in zip(boxes[:, 0], bottoms, sizes, strict=True)
        if _neighbours(boxes[:, 0], bottoms, sizes, x=x, bottom=bottom, size=size) >= 3
    ]
    # A page of print has many lines; a copier's drum leaves a dotted streak or two.
    step = max(float(np.median(sizes)), 1.0) * 2 if sizes.size else 1.0
    rows = np.unique(np.asarray(lined) // step) if lined else np.array([])
    if rows.size < MIN_LINES:
        return 0.0
    return float(len(lined)) / max(int(boxes.shape[0]), 1)


def _neighbours(
    lefts: np.ndarray, bottoms: np.ndarray, sizes: np.ndarray, *, x: int, bottom: int, size: int
) -> int:
    """How many marks (the one at ``x`` too) stand near it on its baseline, at about its size."""
    near = (
        (np.abs(bottoms - bottom) <= max(0.25 * size, 2))
        & (np.abs(lefts - x) <= 3 * size)
        & (sizes >= 0.5 * size)
        & (sizes <= 2 * size)
    )
    return int(near.sum())


def _has_a_word(boxes: np.ndarray) -> bool:
    """Whether three or more marks stand side by side on one baseline, as letters of a word do.

    Dust, specks and punch holes are scattered; even one printed word lines up.
    """
    lefts, heights = boxes[:, 0], boxes[:, 3]
    bottoms = boxes[:, 1] + heights
    return any(
        _neighbours(lefts, bottoms, heights, x=x, bottom=bottom, size=h) >= 3
        for x, bottom, h in zip(lefts, bottoms, heights, strict=True)
    )
