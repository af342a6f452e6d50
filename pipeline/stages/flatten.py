"""A copy of a faded page that OCR can read: blotchy paper levelled, grain smoothed, ink deepened.

On a page of worn-out toner on greyish, mottled paper the print is a few grey levels darker
than the paper around it, while the paper itself varies by as much over a centimetre or two:
no global threshold separates them, and Tesseract (which binarises globally) sees nothing.
The paper is estimated locally (a grey closing wider than any stroke, then smoothed),
the print is taken relative to it, the grain is smoothed at the scale of a stroke, and the
result is stretched so that the paper is white and the deepest print black.

Only the copy OCR reads is made this way; the archived image is the scan's own.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from pipeline.stages.pixels import Gray, assumed_dpi, gray_of

PAPER_WINDOW_MM = 2.0  # wider than a stroke of body text, narrower than the paper's blotches
GRAIN_MM = 0.2  # smoothing of the grain, about a stroke's width
# Darkness at these percentiles of the page becomes white paper and black ink.
PAPER_PERCENTILE = 90.0
INK_PERCENTILE = 99.5


def flattened_gray(gray: Gray, dpi: int) -> Gray:
    """``gray`` with the paper levelled to white and the print stretched to black."""
    pixels_per_mm = dpi / 25.4
    despeckled = cv2.medianBlur(gray, 3)  # specks of sensor noise, which smoothing would keep
    window = max(3, int(pixels_per_mm * PAPER_WINDOW_MM)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (window, window))
    closed = cv2.morphologyEx(despeckled, cv2.MORPH_CLOSE, kernel).astype(np.float32)
    paper = cv2.GaussianBlur(closed, (0, 0), window)
    grain = max(0.5, GRAIN_MM * pixels_per_mm)
    smooth = cv2.GaussianBlur(despeckled.astype(np.float32), (0, 0), grain)
    dark = np.clip(paper - smooth, 0.0, None)
    height, width = dark.shape
    # (Measured inside a margin, where a scanner border the crop left would be darkest.)
    inner = dark[height // 20 : height - height // 20 : 3, width // 20 : width - width // 20 : 3]
    floor, deepest = np.percentile(inner, (PAPER_PERCENTILE, INK_PERCENTILE))
    scale = 255.0 / max(float(deepest - floor), 1.0)
    return np.asarray(255.0 - np.clip((dark - floor) * scale, 0.0, 255.0), dtype=np.uint8)


def flattened(image: Image.Image, dpi: int | None) -> Image.Image:
    """The page as :func:`flattened_gray` makes it, as a greyscale image."""
    return Image.fromarray(flattened_gray(gray_of(image), dpi or assumed_dpi(image.size)))
