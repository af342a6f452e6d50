"""Find how the page was turned on the scanner (0/90/180/270) and which script it is in."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from pipeline.engines.base import OcrEngine
from pipeline.model import PageImage
from pipeline.stages.pixels import Gray, ink_mask, ink_of

# OSD below this confidence is not trusted; the OCR-confidence fallback decides instead.
MIN_OSD_CONFIDENCE = 1.5
MIN_SCRIPT_CONFIDENCE = 1.0
_TRANSPOSE = {
    90: Image.Transpose.ROTATE_90,  # PIL's ROTATE_90 turns counter-clockwise
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}


@dataclass(frozen=True)
class Oriented:
    """How the page was turned (``None``: undecided) and its script (``None``: unknown)."""

    rotation: int | None
    script: str | None


def turn_upright(page: PageImage, rotation: int) -> PageImage:
    """Undo a clockwise turn of ``rotation`` degrees."""
    if rotation % 360 == 0:
        return page
    return PageImage(
        number=page.number, image=page.image.transpose(_TRANSPOSE[rotation % 360]), dpi=page.dpi
    )


def _profile_ratio(gray: Gray) -> float | None:
    """How much more jagged the ink profile along the columns is than along the rows.

    A profile across text lines is jagged, one along them smooth: above 1 the lines run
    up and down the image.  ``None`` on a page with almost no ink.
    """
    mask = ink_mask(gray[::2, ::2]).astype(np.float64) / 255.0
    rows, cols = mask.sum(axis=1), mask.sum(axis=0)
    if rows.sum() < 50:
        return None
    jagged_rows = float(np.abs(np.diff(rows)).sum() / rows.sum())
    jagged_cols = float(np.abs(np.diff(cols)).sum() / cols.sum())
    return jagged_cols / max(jagged_rows, 1e-9)


def lines_run_vertically(gray: Gray, *, dpi: int) -> bool:
    """Whether the text lines run up and down the image (a page turned 90° or 270°).

    Upright letters are taller than wide, and the ink profiles must agree; otherwise the
    answer is no (upright is most common).
    """
    found = ink_of(gray, dpi=dpi).characters
    if found.count < 10:
        return False
    aspect = float(np.median(found.boxes[:, 3] / np.maximum(found.boxes[:, 2], 1)))
    ratio = _profile_ratio(gray)
    return aspect < 0.9 and ratio is not None and ratio > 1.0


def line_direction(gray: Gray) -> str | None:
    """``"horizontal"`` or ``"vertical"`` text lines by the ink profiles, when they are clear.

    On sharp text the profiles are confused by the letters' own strokes, so this decides
    only clear cases; it is clearest on blurred or coarse pages, where OSD is weakest.
    """
    ratio = _profile_ratio(gray)
    if ratio is None:
        return None
    if ratio > 1.4:
        return "vertical"
    if ratio < 0.7:
        return "horizontal"
    return None


def orient(small: Gray, *, dpi: int, engine: OcrEngine) -> Oriented:
    """Tesseract OSD on the analysis copy; ``rotation`` is ``None`` when it is unsure."""
    found = engine.detect_orientation(Image.fromarray(small), dpi=dpi)
    if found is None:
        return Oriented(rotation=None, script=None)
    rotation = found.rotation if found.confidence >= MIN_OSD_CONFIDENCE else None
    script = found.script if found.script_confidence >= MIN_SCRIPT_CONFIDENCE else None
    return Oriented(rotation=rotation, script=script)
