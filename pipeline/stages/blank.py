"""Tell blank pages (duplex backs, empty sheets) from pages with print, robustly.

Punch holes and edge shadows live in a band along the edges, which is left out; dust and
scanner noise are too small to be characters; bleed-through from the back is far fainter
than print.  A page is blank when what is left has almost no character-sized ink.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.stages.pixels import Gray, components, paper_level

EDGE_BAND = 0.05  # of the shorter side
MIN_INK_DROP = 70  # grey levels below the paper that count as print, not bleed-through
MAX_MARKS = 40  # above this many character-sized marks a page has print
FAINT_DROP = 8  # grey levels below the smoothed paper for faint print
FAINT_MARKS = 300  # faint character-sized marks that make a page of print


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
    mm = (dpi or 300) / 25.4
    if not marks.count:
        return not _faint_print(inner, mm)
    heights = marks.boxes[:, 3]
    widths = marks.boxes[:, 2]
    # Characters of ordinary print: 0.8 mm to 12 mm tall, not hair-thin strokes a page long.
    charlike = marks.boxes[(heights >= 0.8 * mm) & (heights <= 12 * mm) & (widths <= 40 * mm)]
    if charlike.shape[0] > MAX_MARKS or _has_a_word(charlike):
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
    return int(((heights >= 0.6 * mm) & (heights <= 10 * mm)).sum()) > FAINT_MARKS


def _has_a_word(boxes: np.ndarray) -> bool:
    """Whether three or more marks stand side by side on one baseline, as letters of a word do.

    Dust, specks and punch holes are scattered; even one printed word lines up.
    """
    for x, y, _width, h, _area in boxes:
        bottom = y + h
        near = (
            (np.abs(boxes[:, 1] + boxes[:, 3] - bottom) <= max(0.25 * h, 2))
            & (np.abs(boxes[:, 0] - x) <= 3 * h)
            & (boxes[:, 3] >= 0.5 * h)
            & (boxes[:, 3] <= 2 * h)
        )
        if int(near.sum()) >= 3:
            return True
    return False
