"""Find how the page was turned on the scanner (0/90/180/270) and which script it is in."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from pipeline.engines.base import OcrEngine
from pipeline.model import PageImage
from pipeline.stages.pixels import Gray
from pipeline.stages.profiles import Darkness, across_and_up, darkness, halved

# OSD below this confidence is not trusted; the OCR-confidence fallback decides instead.
MIN_OSD_CONFIDENCE = 1.5
MIN_SCRIPT_CONFIDENCE = 5.0  # a page of Latin print at 100 dpi was taken for Cyrillic at 3.3
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


# The lines run one way when the page's rows are this much sharper that way than the other.
CLEAR_DIRECTION = 1.5
RULE_SHARE = 10  # a straight run of ink this share of the page's shorter side is a rule


def without_rules(dark: Darkness) -> Darkness:
    """``dark`` with its long straight rules taken out: a frame's or a table's lines.

    A page framed by vertical rules (a deposition's numbered margin, a form's boxes) shows
    sharper columns than its text shows rows; only the print's own lines tell the way.
    """
    length = max(15, min(dark.shape) // RULE_SHARE)
    along = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    down = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return np.asarray(np.clip(dark - np.maximum(along, down), 0.0, None), dtype=np.float32)


def line_direction(gray: Gray) -> str | None:
    """``"horizontal"`` or ``"vertical"`` text lines, from the row profiles, when clear.

    The darkness is turned to where its rows are sharpest (within ±15° of across, and of up
    and down): text lines give far sharper rows along them than across them, on sharp,
    blurred and coarse pages alike.  ``None`` when neither way is clearly sharper.
    """
    across, up = across_and_up(halved(without_rules(darkness(gray))), 15.0)
    if up > across * CLEAR_DIRECTION:
        return "vertical"
    if across > up * CLEAR_DIRECTION:
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
