"""Pixel helpers shared by the page-analysis stages: grey arrays, ink masks, text components."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

A4_WIDTH_INCHES = 8.27
MIN_ASSUMED_DPI, MAX_ASSUMED_DPI = 40, 600

Gray = NDArray[np.uint8]


def gray_of(image: Image.Image) -> Gray:
    """The page as an 8-bit grey array (a view for "L" images)."""
    grey = image if image.mode == "L" else image.convert("L")
    return np.asarray(grey, dtype=np.uint8)


def assumed_dpi(size: tuple[int, ...]) -> int:
    """The resolution of an image that records none, taken to be an A4 page's scan.

    Its shorter side is the page's width: a 640 x 640 crop of a letter is about 77 dpi, not
    300 (at which its letters would be specks, and the page blank).
    """
    return min(MAX_ASSUMED_DPI, max(MIN_ASSUMED_DPI, round(min(size) / A4_WIDTH_INCHES)))


def reduced(gray: Gray, dpi: int | None) -> tuple[Gray, int]:
    """An analysis copy near 150 dpi (halved from 250 dpi up) and the reduction factor."""
    if (dpi or assumed_dpi(gray.shape)) < 250:
        return gray, 1
    small = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.uint8), 2


def paper_level(gray: Gray) -> float:
    """The brightness of the paper: a high percentile, robust to text and specks."""
    sample = gray[::4, ::4]
    return float(np.percentile(sample, 90)) if sample.size else 255.0


# A negative page (light print on a dark ground: a slide, a microfilm print, an inverted
# copy) is mostly dark, with a share of light print and next to nothing darker than its ground.
NEGATIVE_GROUND = 96  # the page's median grey is at most this
NEGATIVE_PRINT = 160  # print is lighter than this ...
NEGATIVE_PRINT_SHARE = 0.02  # ... on this share of the page or more
NEGATIVE_DARKER = 40  # grey levels below the ground that would be dark print on it


def negative(gray: Gray) -> bool:
    """Whether the page is light print on a dark ground, to be inverted before analysis."""
    sample = gray[::4, ::4]
    if not sample.size:
        return False
    ground = float(np.median(sample))
    if ground > NEGATIVE_GROUND:
        return False
    light = float((sample > NEGATIVE_PRINT).mean())
    darker = float((sample < ground - NEGATIVE_DARKER).mean())
    return light >= NEGATIVE_PRINT_SHARE and light > darker


def black_level(gray: Gray) -> float:
    """The darkness of the page's print: a very low percentile, robust to specks."""
    sample = gray[::4, ::4]
    return float(np.percentile(sample, 0.5)) if sample.size else 0.0


def ink_mask(gray: Gray) -> NDArray[np.uint8]:
    """Ink pixels (255) by Otsu's threshold, or none when the page is flat."""
    if gray.size == 0 or int(gray.max()) - int(gray.min()) < 12:
        return np.zeros_like(gray)
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(mask, dtype=np.uint8)


@dataclass(frozen=True)
class Components:
    """Connected ink components: boxes as rows of (x, y, width, height, area)."""

    boxes: NDArray[np.int32]

    @property
    def count(self) -> int:
        """How many components."""
        return int(self.boxes.shape[0])

    def median_height(self) -> float:
        """Median component height in pixels (0 when there are none)."""
        return float(np.median(self.boxes[:, 3])) if self.count else 0.0


def components(mask: NDArray[np.uint8], *, min_area: int = 4) -> Components:
    """Connected components of ``mask`` (8-connected) without the background and specks."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    boxes = stats[1:count].astype(np.int32)
    keep = boxes[:, cv2.CC_STAT_AREA] >= min_area
    return Components(boxes=boxes[keep])


def text_like(found: Components, *, dpi: int) -> Components:
    """Components of character size (up to 15 mm): neither specks nor rules, photos or stamps."""
    if not found.count:
        return found
    heights = found.boxes[:, 3]
    widths = found.boxes[:, 2]
    tallest = 15.0 * dpi / 25.4
    plausible = (heights >= 3) & (heights <= tallest) & (widths <= heights * 6)
    boxes = found.boxes[plausible]
    if boxes.shape[0] < 5:
        return Components(boxes=boxes)
    median = float(np.median(boxes[:, 3]))
    sized = (boxes[:, 3] >= median * 0.35) & (boxes[:, 3] <= median * 3.0)
    return Components(boxes=boxes[sized])


@dataclass(frozen=True)
class Ink:
    """A page's ink mask and its character-sized components, computed once per page."""

    mask: NDArray[np.uint8]
    characters: Components


def ink_of(gray: Gray, *, dpi: int) -> Ink:
    """Ink and characters of a page scanned at ``dpi``."""
    mask = ink_mask(gray)
    return Ink(mask=mask, characters=text_like(components(mask), dpi=dpi))
