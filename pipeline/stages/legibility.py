"""Measure whether a page can be read: sharpness, contrast, character size, cut-off text.

Each measure is physical and independent of the OCR engine, so the thresholds (in config,
chosen from the benchmark) mean the same on every scanner.  Most are taken on the analysis
copy of the page (half resolution for 300 dpi scans); sharpness needs the scan's own pixels
and is measured around a sample of characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from config.settings import LegibilityConfig
from pipeline.model import PageOcr, Reason, ReasonCode
from pipeline.stages.pixels import Gray, Ink, paper_level

SAMPLED_CHARACTERS = 80
# Characters smaller than this (pixels, median) no one reads: a 40 dpi scan's are 4-5.
# Between it and the configured minimum (a 100 dpi fax's are 8), the page is coarse, and
# called so only when OCR could not read it surely either.
SMALLEST_READ_PX = 6.5


@dataclass(frozen=True)
class Measures:
    """What the page looks like to a reader."""

    contrast: float  # grey levels between paper and ink
    sharpness: float  # steepest text edges relative to the contrast (1/px); blur lowers it
    char_height_px: float  # median character height in the scan's pixels
    cut_components: int  # characters touching the image edge
    characters: int  # character-sized components


def _sharpness(full: Gray, ink: Ink, factor: int, contrast: float) -> float:
    """Steepest edges around sampled characters, in grey levels per pixel per level of contrast."""
    boxes = ink.characters.boxes
    if contrast <= 0 or not boxes.shape[0]:
        return 0.0
    step = max(boxes.shape[0] // SAMPLED_CHARACTERS, 1)
    height, width = full.shape
    values: list[np.ndarray] = []
    for x, y, w, h, _area in boxes[::step]:
        x0, y0 = max(int(x) * factor - 2, 0), max(int(y) * factor - 2, 0)
        x1, y1 = min(int(x + w) * factor + 2, width), min(int(y + h) * factor + 2, height)
        crop = full[y0:y1, x0:x1]
        if crop.shape[0] < 3 or crop.shape[1] < 3:
            continue
        gx = cv2.Sobel(crop, cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(crop, cv2.CV_32F, 0, 1, ksize=3)
        values.append(cv2.magnitude(gx, gy)[1:-1, 1:-1].ravel())
    if not values:
        return 0.0
    # Sobel's 3x3 kernel weighs a one-pixel step as 4 grey levels per level of contrast.
    return float(np.percentile(np.concatenate(values), 99)) / 4.0 / contrast


def measure(full: Gray, small: Gray, ink: Ink, *, factor: int) -> Measures:
    """Legibility of an upright page; ``small`` is ``full`` reduced by ``factor``."""
    found = ink.characters
    if not found.count:
        return Measures(0.0, 0.0, 0.0, 0, 0)
    paper = paper_level(small)
    ink_pixels = small[ink.mask > 0]
    darkest = float(np.percentile(ink_pixels, 10)) if ink_pixels.size else paper
    contrast = max(paper - darkest, 0.0)
    height, width = small.shape
    boxes = found.boxes
    touching = (
        (boxes[:, 0] <= 1)
        | (boxes[:, 1] <= 1)
        | (boxes[:, 0] + boxes[:, 2] >= width - 1)
        | (boxes[:, 1] + boxes[:, 3] >= height - 1)
    )
    return Measures(
        contrast=round(contrast, 1),
        sharpness=round(_sharpness(full, ink, factor, contrast), 3),
        char_height_px=round(found.median_height() * factor, 1),
        cut_components=int(touching.sum()),
        characters=found.count,
    )


def judge(
    measures: Measures, *, ocr: PageOcr, page: int, limits: LegibilityConfig
) -> tuple[Reason, ...]:
    """The review reasons a page's measures and its OCR call for, most telling first.

    Text too faint to tell from the paper makes every other measure meaningless, so it is
    the only reason then.  Ink that OCR cannot turn into letters (scanner noise, smudges)
    is not read as cut-off characters.
    """
    if not measures.characters:
        return ()
    if measures.contrast < limits.min_contrast:
        return (Reason(ReasonCode.LOW_CONTRAST, page),)
    codes: list[ReasonCode] = []
    if measures.sharpness < limits.min_sharpness:
        codes.append(ReasonCode.ILLEGIBLE_BLUR)
    unread = ocr.confidence is None or ocr.confidence < limits.min_ocr_confidence
    tiny = measures.char_height_px < SMALLEST_READ_PX
    if tiny or (measures.char_height_px < limits.min_char_height_px and unread):
        codes.append(ReasonCode.LOW_RESOLUTION)
    letters = sum(char.isalnum() for char in ocr.text)
    noisy = measures.characters > 3 * letters + 200
    if not noisy and measures.cut_components > limits.max_cut_components:
        codes.append(ReasonCode.CUT_OFF)
    if not codes and (noisy or unread):
        codes.append(ReasonCode.LOW_OCR_CONFIDENCE)
    return tuple(Reason(code, page) for code in codes)
