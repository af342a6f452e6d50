"""Measure the skew of the text lines and rotate them level.

Two steps.  First the baseline points of character-sized components (bottom centre of
each) are projected along candidate angles and the angle with the sharpest profile wins
(Baird's method), which finds the lines whatever the skew.  Then each line found that way
gets a robust straight-line fit through its baseline points (descenders and punctuation
dropped as outliers), and the lines' angles, weighted by length, give the estimate to a few
hundredths of a degree.  Rules, photos and stamps are left out by component size.  Angles
are counter-clockwise positive, as the page was turned on the glass.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from pipeline.model import PageImage
from pipeline.stages.pixels import Ink

Floats = NDArray[np.float64]
MIN_POINTS = 40
MIN_LINE_POINTS = 8


def _sharpness(xs: Floats, ys: Floats, angles: Floats, bin_px: float) -> Floats:
    """Sum of squared bin counts of the baseline points projected along each angle."""
    scores = np.empty(angles.shape[0])
    for i, angle in enumerate(angles):
        # A line skewed counter-clockwise by ``angle`` rises to the right: y = y0 - x·tan(angle).
        levels = ys + xs * math.tan(math.radians(angle))
        bins = np.floor((levels - levels.min()) / bin_px).astype(np.int64)
        counts = np.bincount(bins)
        scores[i] = float(np.dot(counts, counts))
    return scores


def _sharpest(
    xs: Floats, ys: Floats, centre: float, half: float, step: float, bin_px: float
) -> float:
    angles = np.arange(centre - half, centre + half + step / 2, step)
    return float(angles[int(np.argmax(_sharpness(xs, ys, angles, bin_px)))])


def _line_angles(xs: Floats, ys: Floats, coarse: float, height: float) -> tuple[Floats, Floats]:
    """Angle and weight of every text line long enough to fit, grouped at the coarse angle."""
    levels = ys + xs * math.tan(math.radians(coarse))
    order = np.argsort(levels)
    breaks = np.flatnonzero(np.diff(levels[order]) > height * 0.5) + 1
    angles: list[float] = []
    weights: list[float] = []
    for members in np.split(order, breaks):
        if members.size < MIN_LINE_POINTS:
            continue
        lx, ly = xs[members], ys[members]
        span = float(lx.max() - lx.min())
        if span < height * 15:
            continue
        keep = np.ones(lx.size, dtype=bool)
        for _ in range(3):
            if keep.sum() < MIN_LINE_POINTS:
                break
            slope, intercept = np.polyfit(lx[keep], ly[keep], 1)
            residual = ly - (slope * lx + intercept)
            # Descenders hang below the baseline; keep the points on it.
            keep = np.abs(residual) <= max(height * 0.12, 1.0)
        if keep.sum() < MIN_LINE_POINTS:
            continue
        slope, _ = np.polyfit(lx[keep], ly[keep], 1)
        angles.append(-math.degrees(math.atan(float(slope))))
        weights.append(span * float(keep.sum()))
    return np.asarray(angles), np.asarray(weights)


def _weighted_median(values: Floats, weights: Floats) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2.0)])


def estimate_skew(ink: Ink, *, max_angle: float = 15.0) -> float:
    """The skew of the text in degrees, counter-clockwise positive; 0.0 without text."""
    found = ink.characters
    if found.count < MIN_POINTS:
        return 0.0
    boxes = found.boxes.astype(np.float64)
    xs = boxes[:, 0] + boxes[:, 2] / 2.0
    ys = boxes[:, 1] + boxes[:, 3]
    height = max(found.median_height(), 2.0)
    coarse = _sharpest(xs, ys, 0.0, max_angle, 0.25, height / 3)
    coarse = _sharpest(xs, ys, coarse, 0.3, 0.02, height / 6)
    angles, weights = _line_angles(xs, ys, coarse, height)
    estimate = _weighted_median(angles, weights) if angles.size else coarse
    return round(max(-max_angle, min(max_angle, estimate)), 3)


def rotate_level(page: PageImage, angle: float) -> PageImage:
    """Turn the page clockwise by ``angle`` (undoing a counter-clockwise skew), keeping all."""
    pixels = np.asarray(page.image)
    height, width = pixels.shape[:2]
    radians = math.radians(angle)
    cos, sin = abs(math.cos(radians)), abs(math.sin(radians))
    new_width = math.ceil(width * cos + height * sin)
    new_height = math.ceil(width * sin + height * cos)
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), -angle, 1.0)
    matrix[0, 2] += (new_width - width) / 2.0
    matrix[1, 2] += (new_height - height) / 2.0
    fill = (255, 255, 255) if pixels.ndim == 3 else 255
    level = cv2.warpAffine(
        pixels,
        matrix,
        (new_width, new_height),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )
    return PageImage(number=page.number, image=Image.fromarray(level), dpi=page.dpi)


def deskew(page: PageImage, ink: Ink, *, min_angle: float = 0.05) -> tuple[PageImage, float]:
    """The page levelled and its measured skew; pages within ``min_angle`` are left alone."""
    angle = estimate_skew(ink)
    if abs(angle) < min_angle:
        return page, angle
    return rotate_level(page, angle), angle
