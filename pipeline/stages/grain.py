"""Orientation and skew of pages buried in sensor grain, where OSD and letter shapes fail.

An underexposed, noisy scan has too little signal in each letter for Tesseract's OSD or for
character components, yet its text lines still show once the grain is smoothed away, as a
person sees them at arm's length.  Three cues come from the smoothed darkness alone:

1. Line direction and skew: the angle (around the horizontal and around the vertical) at
   which the row profile of darkness is sharpest.
2. Ascenders: Latin and Cyrillic print has more ink above a line's x-height band (capitals,
   digits, ascenders, diacritics) than below its baseline (descenders).
3. Layout: forms and letters fill from the top, so their ink lies in the upper half.
4. Baselines: going down a line of Latin print, the ink rises in steps (ascenders, then the
   x-height) and falls at once at the baseline, so the row profile falls more steeply than
   it rises.  Cyrillic, with few ascenders, says little here; cues 2 and 3 carry it.
5. Margins: lines start at a common left margin and end where their words do, so going
   across the page the column profile rises more steeply than it falls.  It holds for blurred
   and coarse scans alike, where letter shapes are gone.

Cues 2 to 5, weighed together, say whether the levelled page is upside down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pipeline.stages.pixels import Gray, Ink
from pipeline.stages.profiles import (
    Darkness,
    darkness,
    halved,
    levelling,
    quarter_turned,
    sharpness,
    turned,
)

Floats = NDArray[np.float64]

# A page with this many character-sized marks per megapixel of the ~150 dpi analysis copy
# is grain, not print (a page of print has some 500), when its marks are also smaller than
# letters (dense small print has as many marks per area, but they are over a millimetre tall).
GRAINY_PER_MEGAPIXEL = 2000
GRAINY_MAX_MARK_MM = 1.2
# Rows darker than the page's median row by this share of its darkest rows belong to a line.
LINE_LEVEL = 0.2
# Ink looked for above and below each line, as a share of the line's height.
LINE_MARGIN = 0.5
# Weight of the layout cue (ink centroid above the middle) against the ascender cue.
LAYOUT_WEIGHT = 0.3
# Weight of the baseline cue (steeper falls than rises of the row profile).
BASELINE_WEIGHT = 0.65
# Weight of the margin cue (column profile rising more steeply than it falls).
MARGIN_WEIGHT = 2.0


@dataclass(frozen=True)
class GrainFit:
    """How a grainy page lies: ``rotation`` clockwise as scanned, ``skew`` counter-clockwise."""

    rotation: int
    skew_degrees: float


def is_grainy(ink: Ink, *, shape: tuple[int, int], dpi: int) -> bool:
    """Whether the page's marks are grain rather than print (see ``GRAINY_PER_MEGAPIXEL``)."""
    height, width = shape
    found = ink.characters
    many = found.count > GRAINY_PER_MEGAPIXEL * height * width / 1e6
    return many and found.median_height() * 25.4 / dpi < GRAINY_MAX_MARK_MM


def _line_fit(dark: Darkness, max_angle: float) -> tuple[bool, float]:
    """(lines run vertically, levelling angle) from the darkness image."""
    coarse = halved(dark)
    fits = []
    for vertical in (False, True):
        image = quarter_turned(coarse) if vertical else coarse
        angle = levelling(image, 0.0, max_angle, 0.5)
        angle = levelling(image, angle, 0.5, 0.1)
        fits.append((sharpness(image, angle), vertical, angle))
    _, vertical, angle = max(fits)
    image = quarter_turned(dark) if vertical else dark
    return vertical, levelling(image, angle, 0.15, 0.02)


def _line_rows(profile: Floats) -> list[tuple[int, int]]:
    """Row ranges [start, end) where the profile stands out as a text line."""
    base = float(np.median(profile))
    top = float(np.percentile(profile, 99))
    on = profile > base + LINE_LEVEL * (top - base)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= 3]


def _asymmetry(profile: Floats, kernel: Floats) -> float:
    """-1..1: how much more steeply ``profile``, smoothed by ``kernel``, rises than falls."""
    steps = np.diff(np.convolve(profile, kernel, "same"))
    rises = float(np.sum(np.clip(steps, 0, None) ** 2))
    falls = float(np.sum(np.clip(-steps, 0, None) ** 2))
    return (rises - falls) / max(falls + rises, 1e-12)


def _baseline_cue(profile: Floats) -> float:
    """-1..1: how much more steeply the row profile falls than it rises (cue 4)."""
    return -_asymmetry(profile, np.array([0.25, 0.5, 0.25]))


def margin_cue(level: Darkness, *, dpi: int) -> float:
    """-1..1: how much more steeply the column profile rises than it falls (cue 5)."""
    columns = level.mean(axis=0, dtype=np.float64)
    width = max(1, round(dpi / 25.4))  # a millimetre
    return _asymmetry(columns, np.full(width, 1.0 / width))


def upright_score(level: Darkness) -> float:
    """Above 0 the levelled page reads upright, below 0 upside down (cues 2 to 4)."""
    profile = level.mean(axis=1, dtype=np.float64)
    base = float(np.median(profile))
    above = below = 0.0
    masses: list[float] = []
    centres: list[float] = []
    rows = profile.shape[0]
    for start, end in _line_rows(profile):
        margin = max(2, int((end - start) * LINE_MARGIN))
        above += float(np.clip(profile[max(0, start - margin) : start] - base, 0, None).sum())
        below += float(np.clip(profile[end : min(rows, end + margin)] - base, 0, None).sum())
        masses.append(float(np.clip(profile[start:end] - base, 0, None).sum()))
        centres.append((start + end) / 2.0 / rows)
    baselines = BASELINE_WEIGHT * _baseline_cue(profile)
    if not masses or sum(masses) <= 0:
        return baselines
    ascenders = (above - below) / max(above + below, 1e-9)
    low = float(np.average(centres, weights=masses)) - 0.5
    return ascenders - LAYOUT_WEIGHT * low + baselines


def lean_score(level: Darkness, *, dpi: int) -> float:
    """Above 0 the levelled page reads upright, below 0 upside down (cues 2 to 5)."""
    return upright_score(level) + MARGIN_WEIGHT * margin_cue(level, dpi=dpi)


def fit_grainy(gray: Gray, *, max_angle: float = 15.0) -> GrainFit:
    """Rotation and skew of a grainy page from its analysis copy (see the module's cues)."""
    dark = darkness(gray)
    vertical, angle = _line_fit(dark, max_angle)
    level = turned(quarter_turned(dark) if vertical else dark, angle)
    rotation = 90 if vertical else 0
    # (The margin cue, cue 5, measured no better here: grain hides the margins' edges.)
    if upright_score(level) < 0:
        rotation += 180
    skew = max(-max_angle, min(max_angle, -angle))
    return GrainFit(rotation=rotation % 360, skew_degrees=round(skew, 3))


def reads_upside_down(
    gray: Gray, skew_degrees: float, *, dpi: int, margin: float = 0.02
) -> bool | None:
    """Whether a page whose lines run across reads upside down, by cues 2 to 5.

    For pages too blurred or coarse for OCR's confidence to tell up from down; ``None`` when
    the cues do not clearly agree either way.
    """
    score = lean_score(turned(darkness(gray), -skew_degrees), dpi=dpi)
    if score < -margin:
        return True
    if score > margin:
        return False
    return None
