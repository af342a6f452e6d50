"""Even paper: the page's own paper brought to white, wherever it lies, before anything reads it.

Office scans are seldom white: recycled or greyish paper scans at grey 170-210, a scanner's
lamp or a lifted page leaves a gradient across it, a fold leaves a soft shadow.  A global
threshold (Otsu's, Tesseract's, a "darker than the paper by so much" rule) then takes the
darker side of the page for ink, or the lighter print for paper.  Here the paper is
estimated locally, as the brightest level within a window wider than any stroke (a heading's
too), smoothed, and every pixel is divided by it: the paper becomes white wherever it lies
and the print keeps its darkness relative to the paper around it, as a reader sees it.

Only copies that are analysed and read are evened; the archived image is the scan's own.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.stages.pixels import Gray

WINDOW_MM = 8.0  # wider than the strokes of a large bold heading, narrower than a gradient
WORK_DPI = 50  # the paper is estimated at this resolution: it changes slowly
LIGHTEST = 250.0  # paper at least this bright everywhere is left as it is


def paper_estimate(gray: Gray, dpi: int) -> Gray:
    """The paper's brightness under every pixel of ``gray`` (same shape)."""
    height, width = gray.shape
    step = max(1, dpi // WORK_DPI)
    small = cv2.resize(
        gray, (max(1, width // step), max(1, height // step)), interpolation=cv2.INTER_AREA
    )
    small = cv2.medianBlur(small, 3)  # a bright speck is not paper
    window = max(3, round(WINDOW_MM * dpi / 25.4 / step)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (window, window))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = cv2.GaussianBlur(paper, (0, 0), window / 2)
    return np.asarray(cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR))


def evened(gray: Gray, dpi: int | None) -> Gray:
    """``gray`` with its paper white everywhere and the print as dark, relative to it."""
    if gray.size == 0:
        return gray
    paper = paper_estimate(gray, dpi or 300).astype(np.float32)
    if float(paper.min()) >= LIGHTEST:
        return gray
    ratio = gray.astype(np.float32) / np.maximum(paper, 1.0)
    return np.asarray(np.clip(ratio * 255.0, 0.0, 255.0), dtype=np.uint8)
