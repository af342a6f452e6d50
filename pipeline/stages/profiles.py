"""Row profiles of a page's darkness: how sharply its text lines stand out at an angle.

A page's lines show as a sharp row profile (dark rows of text, light rows between) when the
page is turned so they run across; the sharpness, summed squared steps of the profile, is
what levelling maximises and what tells across from up-and-down.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from pipeline.stages.pixels import Gray

Darkness = NDArray[np.float32]
_EDGE = 0.03  # share of each side left out: scanner edges and the crop's soft border


def darkness(gray: Gray) -> Darkness:
    """How much darker than the paper each pixel is, after grain is smoothed away."""
    smooth = cv2.GaussianBlur(cv2.medianBlur(gray, 3), (0, 0), 1.0)
    height, width = smooth.shape
    dy, dx = int(height * _EDGE), int(width * _EDGE)
    inner = smooth[dy : height - dy, dx : width - dx].astype(np.float32)
    paper = float(np.percentile(inner[::4, ::4], 90)) if inner.size else 255.0
    return np.asarray(np.clip(paper - inner, 0.0, None), dtype=np.float32)


def halved(image: Darkness) -> Darkness:
    """Half the resolution, for coarse searches."""
    size = (max(1, image.shape[1] // 2), max(1, image.shape[0] // 2))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.float32)


def quarter_turned(image: Darkness) -> Darkness:
    """The image turned 90° counter-clockwise (lines running up and down now run across)."""
    return np.ascontiguousarray(np.rot90(image))


def turned(image: Darkness, angle: float) -> Darkness:
    """``image`` turned counter-clockwise by ``angle`` degrees about its centre, same frame."""
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    return np.asarray(cv2.warpAffine(image, matrix, (width, height)), dtype=np.float32)


def sharpness(image: Darkness, angle: float) -> float:
    """Summed squared steps of the row profile after turning by ``angle``, per row."""
    rows = turned(image, angle).sum(axis=1, dtype=np.float64)
    return float(np.sum(np.diff(rows) ** 2)) / float(max(image.shape[0], 1))


def levelling(image: Darkness, centre: float, half: float, step: float) -> float:
    """The angle within ``centre ± half`` at which the rows are sharpest."""
    angles = np.arange(centre - half, centre + half + step / 2, step)
    scores = [sharpness(image, float(a)) for a in angles]
    return float(angles[int(np.argmax(scores))])


def across_and_up(image: Darkness, max_angle: float) -> tuple[float, float]:
    """Best sharpness with the lines taken as running across, and as running up and down."""
    found = []
    for candidate in (image, quarter_turned(image)):
        angle = levelling(candidate, 0.0, max_angle, 1.0)
        found.append(sharpness(candidate, angle))
    return found[0], found[1]
