"""Blank pages as scanners give them: duplex backs and empty sheets, with their usual marks."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image

from pipeline.corpus import _degrade
from pipeline.corpus._compose import plan_document
from pipeline.corpus._layout import A4_MM, draw_page
from pipeline.corpus._templates import TEMPLATES
from pipeline.corpus._truth import PageTruth
from pipeline.corpus._words import LANGUAGES

BLANK_KINDS = ("clean", "noise", "punch_holes", "bleed_through", "dust")
# ISO 838 filing holes: 6 mm across, 80 mm apart, their centres 12 mm from the edge.
_HOLE_MM = (6.0, 80.0, 12.0)
# Backs showing through are drawn from the office's own six forms (the first template of
# each, in the office's wording), as they were before the other types and wordings existed,
# so a seed gives the same blank page as before.
_BACK_TYPES = 6


def blank_page(
    rng: random.Random, *, dpi: int = 300, kind: str = "clean"
) -> tuple[Image.Image, PageTruth]:
    """Return a blank A4 page as scanned, and its truth (blank, no text, no language).

    Args:
        rng: The source of randomness; the same state gives the same pixels.
        dpi: Resolution.
        kind: "clean" (white), "noise" (scanner noise and a few dust specks),
            "punch_holes" (two dark filing holes near the left edge), "bleed_through" (the
            back's text showing through, mirrored, so faint a person calls the page blank)
            or "dust" (a handful of small specks and a hair).

    Returns:
        The page ("L", its resolution in `info["dpi"]`) and its truth.

    Raises:
        ValueError: On an unknown kind or a resolution outside 20-1200 dpi (a low-
            resolution scan's back is as coarse as its front).
    """
    if kind not in BLANK_KINDS:
        raise ValueError(f"blank page kind must be one of {BLANK_KINDS}, not {kind!r}")
    if not 20 <= dpi <= 1200:
        raise ValueError(f"dpi must be within 20-1200, not {dpi}")
    g = np.random.default_rng(rng.getrandbits(64))
    size = (_degrade.mm(A4_MM[0], dpi), _degrade.mm(A4_MM[1], dpi))
    pixels: _degrade.Pixels = np.full((size[1], size[0]), 255, np.uint8)
    if kind == "noise":
        pixels = _degrade.add_noise(pixels, 3.0, 0.0002, g)
        _specks(pixels, g, dpi, int(g.integers(2, 6)))
    elif kind == "punch_holes":
        _punch_holes(pixels, g, dpi)
    elif kind == "bleed_through":
        pixels = _degrade.show_through(pixels, _back(g, dpi), *_degrade.BLEED_BLANK, g, dpi)
    elif kind == "dust":
        _specks(pixels, g, dpi, int(g.integers(4, 10)))
        _hair(pixels, g, dpi)
    image = Image.fromarray(pixels)
    image.info["dpi"] = (dpi, dpi)
    return image, PageTruth("", "", rotation=0, skew_degrees=0.0, blank=True)


def _back(g: np.random.Generator, dpi: int) -> _degrade.Pixels:
    """Draw a random document page to be the back of the sheet."""
    plan = plan_document(
        random.Random(int(g.integers(0, 2**63))),
        pages=1,
        language=str(g.choice(LANGUAGES)),
        document_type=str(g.choice(list(TEMPLATES)[:_BACK_TYPES])),
        dpi=max(dpi, 100),
        font=None,
        person_codes=None,
        template=0,
    )
    back = np.asarray(draw_page(plan.pages[0]))
    if dpi >= 100:
        return back
    size = (_degrade.mm(A4_MM[0], dpi), _degrade.mm(A4_MM[1], dpi))
    return _degrade.u8(cv2.resize(back, size, interpolation=cv2.INTER_AREA))


def _punch_holes(pixels: _degrade.Pixels, g: np.random.Generator, dpi: int) -> None:
    """Draw the two filing holes, dark (the scanner sees its lid's shadow through them)."""
    height, _ = pixels.shape
    diameter, apart, inset = _HOLE_MM
    radius = _degrade.mm(diameter / 2 + float(g.uniform(-0.2, 0.2)), dpi)
    x = _degrade.mm(inset + float(g.uniform(-1.5, 1.5)), dpi)
    middle = height / 2 + _degrade.mm(float(g.uniform(-4, 4)), dpi)
    level = int(g.integers(20, 70))
    for y in (middle - _degrade.mm(apart / 2, dpi), middle + _degrade.mm(apart / 2, dpi)):
        cv2.circle(pixels, (x, round(y)), radius, (level,), -1, cv2.LINE_AA)


def _specks(pixels: _degrade.Pixels, g: np.random.Generator, dpi: int, count: int) -> None:
    """Draw small dark specks of dust, 0.1-0.5 mm across, anywhere on the page."""
    height, width = pixels.shape
    for _ in range(count):
        centre = (int(g.integers(0, width)), int(g.integers(0, height)))
        axes = (
            max(1, _degrade.mm(float(g.uniform(0.05, 0.25)), dpi)),
            max(1, _degrade.mm(float(g.uniform(0.05, 0.25)), dpi)),
        )
        angle = float(g.uniform(0, 180))
        level = (int(g.integers(30, 140)),)
        cv2.ellipse(pixels, centre, axes, angle, 0, 360, level, -1, cv2.LINE_AA)


def _hair(pixels: _degrade.Pixels, g: np.random.Generator, dpi: int) -> None:
    """Draw a hair: a thin curved line 8-25 mm long."""
    height, width = pixels.shape
    length = _degrade.mm(float(g.uniform(8, 25)), dpi)
    start = np.array([g.uniform(0.1, 0.9) * width, g.uniform(0.1, 0.9) * height])
    heading = float(g.uniform(0, 2 * np.pi))
    bend = float(g.uniform(-1.5, 1.5)) / length
    points = [start]
    step = max(1.0, length / 40)
    for _ in range(40):
        heading += bend * step
        points.append(points[-1] + step * np.array([np.cos(heading), np.sin(heading)]))
    curve = np.round(np.array(points)).astype(np.int32).reshape(-1, 1, 2)
    thickness = max(1, _degrade.mm(0.08, dpi))
    level = (int(g.integers(40, 110)),)
    cv2.polylines(pixels, [curve], False, level, thickness, cv2.LINE_AA)
