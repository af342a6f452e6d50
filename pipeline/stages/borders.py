"""Crop the dark bands a scanner leaves around a page (open lid, page smaller than the bed)."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.model import PageImage
from pipeline.stages.pixels import Gray, paper_level

# A line of pixels belongs to the border when most of it is much darker than the paper: below
# this share of the way from the page's black to its paper (an underexposed scan has no black).
_DARK_LEVEL = 0.45
_DARK_SHARE = 0.6
_MAX_BAND = 0.2  # never crop more than a fifth of a side


def _band(dark_share: np.ndarray, limit: int) -> int:
    """How many leading lines are border lines."""
    count = 0
    while count < limit and dark_share[count] >= _DARK_SHARE:
        count += 1
    return count


def border_box(gray: Gray) -> tuple[int, int, int, int]:
    """The page inside the border bands: (left, top, right, bottom)."""
    height, width = gray.shape
    # A median filter first: sensor noise scatters light pixels over a dark band.
    smooth: Gray = np.asarray(cv2.medianBlur(gray, 5), dtype=np.uint8)
    paper = paper_level(smooth)
    black = float(np.percentile(smooth[::4, ::4], 1)) if smooth.size else 0.0
    dark = smooth < black + (paper - black) * _DARK_LEVEL
    rows = dark.mean(axis=1)
    cols = dark.mean(axis=0)
    top = _band(rows, int(height * _MAX_BAND))
    bottom = _band(rows[::-1], int(height * _MAX_BAND))
    left = _band(cols, int(width * _MAX_BAND))
    right = _band(cols[::-1], int(width * _MAX_BAND))
    # Step a couple of pixels past the band's soft edge.
    pad = 2
    return (
        left + pad if left else 0,
        top + pad if top else 0,
        width - right - pad if right else width,
        height - bottom - pad if bottom else height,
    )


def crop_borders(
    page: PageImage, small: Gray, factor: int
) -> tuple[PageImage, tuple[int, int, int, int]]:
    """The page without its border bands (DPI kept), found on ``small`` (reduced by ``factor``).

    Also returns the box kept, in ``small``'s pixels.
    """
    box = border_box(small)
    height, width = small.shape
    if box == (0, 0, width, height):
        return page, box
    left, top, right, bottom = (edge * factor for edge in box)
    image = page.image.crop(
        (left, top, min(right, page.image.width), min(bottom, page.image.height))
    )
    return PageImage(number=page.number, image=image, dpi=page.dpi), box
