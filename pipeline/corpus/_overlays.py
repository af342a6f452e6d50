"""Marks on office forms that are not body text: office stamps, photo copies, signatures.

They make skew estimation and reading order hard (rings, a rotated stamp, a grey block,
strokes at every angle), so the page-analysis stages are tested against them. None of them is
text: the page's truth is unchanged. They are drawn in free space, never over the text; the
signature is drawn on its line, between the text above and below it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from pipeline.corpus._degrade import Box, Pixels, mm, u8
from pipeline.corpus._layout import PageLayout

_STAMP_SHARE = (0.6, 0.15)  # of last pages (near the signature), and of other pages
_PHOTO_SHARE = 0.35  # of first pages
_SIGNED_SHARE = 0.85  # of signature lines
_CLEARANCE_MM = 2.0  # between an overlay and any text or rule
# How people sign: looping strokes, a quick flat scribble, initials alone, a fast stroke
# through the line.
SIGNATURE_STYLES = ("loops", "flat", "initials", "through")


@dataclass(frozen=True)
class Overlay:
    """One mark drawn on a page: "stamp", "photo" or "signature", and its box in pixels.

    A signature's ``style`` is how the pen went (one of ``SIGNATURE_STYLES``).
    """

    kind: str
    box: Box
    style: str = ""


def draw_overlays(
    image: Image.Image,
    layout: PageLayout,
    rng: random.Random,
    *,
    first: bool,
    last: bool,
    signed: bool | None = None,
) -> tuple[Image.Image, tuple[Overlay, ...]]:
    """Draw stamps, a photo copy and a signature on a drawn page, at random.

    Args:
        image: The page as drawn ("L"), with its resolution in `info["dpi"]`.
        layout: What is on it.
        rng: The source of randomness.
        first: Whether it is the document's first page (where an ID photo may be copied).
        last: Whether it is the last page (where it is signed and stamped).
        signed: Whether a signature line on the page is signed: always (True), never
            (False) or at random (None). The random draw is made either way, so the same
            state gives the same stamps and photo as with None whenever the choice agrees.

    Returns:
        The page with its marks, and the marks.
    """
    g = np.random.default_rng(rng.getrandbits(64))
    dpi = round(float(image.info.get("dpi", (300, 300))[0]))
    pixels: Pixels = np.array(image)
    taken = [run.box for line in layout.lines for run in line.runs] + list(layout.rules)
    drawn: list[Overlay] = []
    if layout.signature is not None:
        at_random = g.random() < _SIGNED_SHARE
        if signed or (signed is None and at_random):
            signature = _sign(pixels, layout, g, dpi)
            if signature is not None:
                drawn.append(signature)
    if g.random() < _STAMP_SHARE[0 if last else 1]:
        diameter = mm(float(g.uniform(28, 40)), dpi)
        near = drawn[0].box if drawn else None
        spot = _free_spot((diameter, diameter), taken + [o.box for o in drawn], g, dpi, near)
        if spot is not None:
            _stamp(pixels, spot, g, dpi)
            drawn.append(Overlay("stamp", spot))
    if first and g.random() < _PHOTO_SHARE:
        size = (mm(float(g.uniform(30, 35)), dpi), mm(float(g.uniform(40, 45)), dpi))
        spot = _free_spot(size, taken + [o.box for o in drawn], g, dpi, None)
        if spot is not None:
            _photo(pixels, spot, g, dpi)
            drawn.append(Overlay("photo", spot))
    marked = Image.fromarray(pixels)
    marked.info.update(image.info)
    return marked, tuple(drawn)


def draw_signature(
    image: Image.Image, layout: PageLayout, rng: random.Random
) -> tuple[Image.Image, Overlay | None]:
    """Sign the page's signature line with a pen, and draw nothing else.

    Args:
        image: The page as drawn ("L"), with its resolution in `info["dpi"]`.
        layout: What is on it.
        rng: The source of randomness.

    Returns:
        The page, and its signature; None (and the page unchanged) when it has no signature
        line or no room to sign on it.
    """
    if layout.signature is None:
        return image, None
    g = np.random.default_rng(rng.getrandbits(64))
    dpi = round(float(image.info.get("dpi", (300, 300))[0]))
    pixels: Pixels = np.array(image)
    signature = _sign(pixels, layout, g, dpi)
    if signature is None:
        return image, None
    signed = Image.fromarray(pixels)
    signed.info.update(image.info)
    return signed, signature


def _sign(pixels: Pixels, layout: PageLayout, g: np.random.Generator, dpi: int) -> Overlay | None:
    """Draw a pen signature over the signature line, if there is room; return where."""
    box = _signature_box(layout, dpi)
    if box is None:
        return None
    style = SIGNATURE_STYLES[int(g.integers(len(SIGNATURE_STYLES)))]
    thickness = max(1, mm(float(g.uniform(0.3, 0.5)), dpi))
    ink = (int(g.integers(20, 90)),)
    inner = _inset(box, thickness)
    if style == "flat":
        _flat(pixels, inner, g, ink, thickness)
    elif style == "initials":
        _initials(pixels, inner, g, ink, thickness)
    elif style == "through":
        _through(pixels, inner, layout.signature, g, ink, thickness)  # type: ignore[arg-type]
    else:
        _scribble(pixels, inner, g, ink, thickness)
    return Overlay("signature", box, style)


def _inset(box: Box, by: int) -> Box:
    return box[0] + by, box[1] + by, box[2] - by, box[3] - by


def _overlaps(a: Box, b: Box, clearance: int) -> bool:
    return (
        a[0] < b[2] + clearance
        and b[0] < a[2] + clearance
        and a[1] < b[3] + clearance
        and b[1] < a[3] + clearance
    )


def _free_spot(
    size: tuple[int, int],
    taken: list[Box],
    g: np.random.Generator,
    dpi: int,
    near: Box | None,
) -> Box | None:
    """Find a place of this size on the page (in its margins' box) clear of what is taken.

    Tries close to `near` first (a stamp beside the signature), then anywhere.
    """
    width, height = size
    page_width, page_height = mm(210, dpi), mm(297, dpi)
    left, top = mm(20, dpi), mm(20, dpi)
    right, bottom = page_width - mm(15, dpi), page_height - mm(20, dpi)
    clearance = mm(_CLEARANCE_MM, dpi)
    for attempt in range(400):
        if near is not None and attempt < 100:
            x = int(g.integers(near[0] - width, near[2] + 1))
            y = int(g.integers(near[1] - height, near[3] + height // 2))
        else:
            x = int(g.integers(left, max(left + 1, right - width)))
            y = int(g.integers(top, max(top + 1, bottom - height)))
        box = (x, y, x + width, y + height)
        if x < left or y < top or box[2] > right or box[3] > bottom:
            continue
        if not any(_overlaps(box, other, clearance) for other in taken):
            return box
    return None


def _signature_box(layout: PageLayout, dpi: int) -> Box | None:
    """Return where a signature may go: over its line, clear of the text above and below."""
    assert layout.signature is not None
    start, line_top, end, line_bottom = layout.signature
    clearance = mm(1.0, dpi)
    boxes = [run.box for line in layout.lines for run in line.runs] + [
        rule for rule in layout.rules if rule != layout.signature
    ]
    # What is beside the line (its label, on the left) does not bound the signature.
    boxes = [b for b in boxes if b[0] < end and start < b[2]]
    above = max((b[3] for b in boxes if b[3] <= line_top), default=line_top - mm(12, dpi))
    below = min((b[1] for b in boxes if b[1] >= line_bottom), default=line_bottom + mm(8, dpi))
    top = max(above + clearance, line_top - mm(12, dpi))
    bottom = min(below - clearance, line_bottom + mm(5, dpi), layout.size[1] - mm(15, dpi))
    left = start + mm(3, dpi)
    right = min(end, left + mm(55, dpi))
    if bottom - top < mm(5, dpi) or right - left < mm(20, dpi):
        return None
    return left, top, right, bottom


def _bezier(points: np.ndarray[tuple[int, int], np.dtype[np.float64]], steps: int) -> np.ndarray:
    """Return points along the cubic Bézier curve of four control points."""
    t = np.linspace(0, 1, steps)[:, None]
    p0, p1, p2, p3 = points
    curve: np.ndarray = (
        (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3
    )
    return curve


def _pen(pixels: Pixels, points: np.ndarray, ink: tuple[int], thickness: int) -> None:
    curve = points.round().astype(np.int32).reshape(-1, 1, 2)
    cv2.polylines(pixels, [curve], False, ink, thickness, cv2.LINE_AA)


def _chain(
    start: np.ndarray, box: Box, g: np.random.Generator, *, count: int, reach: float
) -> tuple[np.ndarray, np.ndarray]:
    """Chained Bézier curves from ``start``, each ``reach`` of the box wide or less."""
    left, top, right, bottom = box
    span = right - left
    current = start
    strokes = []
    for _ in range(count):
        step = float(g.uniform(0.4, 1.0)) * reach * span
        controls = [current]
        for _ in range(3):
            nx = float(np.clip(controls[-1][0] + g.uniform(-0.3, 1.0) * step, left, right))
            ny = float(g.uniform(top, bottom))
            controls.append(np.array([nx, ny]))
        strokes.append(_bezier(np.array(controls), 24))
        current = controls[-1]
    return np.concatenate(strokes), current


def _scribble(
    pixels: Pixels, box: Box, g: np.random.Generator, ink: tuple[int], thickness: int
) -> None:
    """Sign in loops: 2-3 pen strokes of chained Bézier curves, all inside the box."""
    left, top, right, bottom = box
    span = right - left
    x = left + float(g.uniform(0, 0.15)) * span
    for _ in range(int(g.integers(2, 4))):
        y = float(g.uniform(top + (bottom - top) * 0.3, bottom))
        curve, end = _chain(np.array([x, y]), box, g, count=int(g.integers(2, 5)), reach=0.3)
        _pen(pixels, curve, ink, thickness)
        x = min(float(end[0]), left + 0.6 * span)


def _flat(
    pixels: Pixels, box: Box, g: np.random.Generator, ink: tuple[int], thickness: int
) -> None:
    """A quick flat scribble: one long low wave, a few letters high, and perhaps a tail."""
    left, top, right, bottom = box
    height = bottom - top
    middle = top + height * float(g.uniform(0.45, 0.7))
    amplitude = height * float(g.uniform(0.08, 0.2))
    x0 = left + (right - left) * float(g.uniform(0, 0.1))
    x1 = left + (right - left) * float(g.uniform(0.55, 0.95))
    xs = np.linspace(x0, x1, 240)
    waves = float(g.uniform(5, 11))
    phase = np.linspace(0, waves * 2 * math.pi, xs.size)
    wobble = g.normal(0, 0.25, xs.size).cumsum() / 6
    ys = middle + amplitude * (np.sin(phase) + wobble) * np.linspace(1.0, 0.6, xs.size)
    _pen(pixels, np.column_stack([xs, np.clip(ys, top, bottom)]), ink, thickness)
    if g.random() < 0.5:  # the tail back under it
        tail = np.array([[x1, middle], [x1 - (x1 - x0) * 0.4, middle + amplitude * 2.2]])
        _pen(pixels, np.clip(tail, [left, top], [right, bottom]), ink, thickness)


def _initials(
    pixels: Pixels, box: Box, g: np.random.Generator, ink: tuple[int], thickness: int
) -> None:
    """Initials: two short looped letters close together, sometimes with dots."""
    left, top, right, bottom = box
    width = (right - left) * float(g.uniform(0.15, 0.25))
    x = left + (right - left) * float(g.uniform(0, 0.2))
    for _ in range(2):
        part = (int(x), top, int(min(right, x + width / 2)), bottom)
        start = np.array([x, float(g.uniform(top, bottom))])
        curve, end = _chain(start, part, g, count=2, reach=1.0)
        _pen(pixels, curve, ink, thickness)
        if g.random() < 0.5:
            dot = (int(end[0]) + 2 * thickness, int(bottom - thickness))
            cv2.circle(pixels, dot, thickness, ink, -1, cv2.LINE_AA)
        x += width / 2 + 2 * thickness


def _through(
    pixels: Pixels,
    box: Box,
    line: Box,
    g: np.random.Generator,
    ink: tuple[int],
    thickness: int,
) -> None:
    """A fast stroke through the line: a short loop, then a slash down across it."""
    left, top, right, bottom = box
    span = right - left
    start = np.array([left + span * float(g.uniform(0, 0.15)), top + (bottom - top) * 0.3])
    part = (left, top, int(left + span * 0.4), bottom)
    curve, end = _chain(start, part, g, count=3, reach=0.6)
    _pen(pixels, curve, ink, thickness)
    line_y = (line[1] + line[3]) / 2
    finish = np.array([left + span * float(g.uniform(0.6, 0.95)), line_y + (bottom - line_y) * 0.8])
    way = finish - end
    slash = _bezier(np.array([end, end + way * [0.33, 0.1], end + way * [0.66, 0.9], finish]), 24)
    _pen(pixels, np.clip(slash, [left, top], [right, bottom]), ink, thickness)


def _stamp(pixels: Pixels, box: Box, g: np.random.Generator, dpi: int) -> None:
    """Press a round or rectangular office stamp without letters, in grey-blue ink.

    Its ink is uneven, it is turned by up to 25 degrees, and it darkens what is under it.
    """
    size = box[2] - box[0]
    layer = np.zeros((size, size), np.uint8)  # ink darkness
    centre = (size // 2, size // 2)
    line = max(1, mm(0.6, dpi))
    if g.random() < 0.6:
        outer = size // 2 - line
        cv2.circle(layer, centre, outer, (255,), line, cv2.LINE_AA)
        cv2.circle(layer, centre, round(outer * 0.68), (255,), max(1, line // 2), cv2.LINE_AA)
        ring = (outer + outer * 0.68) / 2
        for angle in np.arange(0, 360, float(g.uniform(7, 11))):
            # Short dashes where the lettering would be, but no letters.
            a = math.radians(float(angle))
            inner_end = (ring - outer * 0.1) * np.array([math.cos(a), math.sin(a)])
            outer_end = (ring + outer * 0.1) * np.array([math.cos(a), math.sin(a)])
            p1 = tuple(int(v) for v in np.round(np.array(centre) + inner_end))
            p2 = tuple(int(v) for v in np.round(np.array(centre) + outer_end))
            cv2.line(layer, p1, p2, (255,), max(1, line // 2), cv2.LINE_AA)
        _star(layer, centre, outer * 0.45, line)
    else:
        half_h = round(size * float(g.uniform(0.25, 0.35)))
        top, bottom = centre[1] - half_h, centre[1] + half_h
        cv2.rectangle(layer, (line, top), (size - line, bottom), (255,), line, cv2.LINE_AA)
        inner = 3 * line
        cv2.rectangle(layer, (inner, top + 2 * line), (size - inner, bottom - 2 * line), (255,), 1)
        rows = int(g.integers(2, 4))
        for i in range(rows):
            y = top + round((i + 1) * (bottom - top) / (rows + 1))
            width = float(g.uniform(0.5, 0.8)) * (size - 2 * inner)
            x0 = round((size - width) / 2)
            cv2.line(layer, (x0, y), (round(x0 + width), y), (255,), line, cv2.LINE_AA)
    turn = cv2.getRotationMatrix2D((size / 2, size / 2), float(g.uniform(-25, 25)), 1.0)
    layer = u8(cv2.warpAffine(layer, turn, (size, size), flags=cv2.INTER_LINEAR))
    cell = max(2, mm(3, dpi))
    coarse = g.uniform(0.45, 1.0, (size // cell + 2, size // cell + 2)).astype(np.float32)
    evenness = cv2.resize(coarse, (size, size), interpolation=cv2.INTER_CUBIC)
    strength = float(g.uniform(0.45, 0.7))  # blue ink looks mid-grey to the scanner
    transmitted = 1 - layer.astype(np.float32) / 255 * evenness * strength
    region = pixels[box[1] : box[3], box[0] : box[2]]
    region[:] = np.clip(region * transmitted, 0, 255).astype(np.uint8)


def _star(layer: Pixels, centre: tuple[int, int], radius: float, line: int) -> None:
    """Draw a five-pointed star in outline."""
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.42
        a = math.radians(-90 + 36 * i)
        points.append((centre[0] + r * math.cos(a), centre[1] + r * math.sin(a)))
    polygon = np.round(np.array(points)).astype(np.int32).reshape(-1, 1, 2)
    cv2.polylines(layer, [polygon], True, (255,), line, cv2.LINE_AA)


def _photo(pixels: Pixels, box: Box, g: np.random.Generator, dpi: int) -> None:
    """Paste a photocopied ID photo: a grey gradient, a head and shoulders, grain."""
    width, height = box[2] - box[0], box[3] - box[1]
    top_level, bottom_level = float(g.uniform(170, 225)), float(g.uniform(120, 190))
    photo = np.repeat(np.linspace(top_level, bottom_level, height)[:, None], width, axis=1)
    face = float(g.uniform(110, 160))
    clothes = float(g.uniform(40, 100))
    cx = width / 2 + float(g.uniform(-0.05, 0.05)) * width
    cv2.ellipse(
        photo,
        (round(cx), round(height * 1.02)),
        (round(width * 0.46), round(height * 0.33)),
        0,
        0,
        360,
        (clothes,),
        -1,
    )
    cv2.ellipse(
        photo,
        (round(cx), round(height * 0.42)),
        (round(width * 0.24), round(height * 0.28)),
        0,
        0,
        360,
        (face,),
        -1,
    )
    cv2.ellipse(
        photo,
        (round(cx), round(height * 0.3)),
        (round(width * 0.26), round(height * 0.18)),
        0,
        180,
        360,
        (float(g.uniform(30, 80)),),
        -1,
    )
    grainy = np.asarray(cv2.GaussianBlur(photo, (0, 0), mm(0.6, dpi))) + g.normal(
        0, 12, photo.shape
    )
    region = np.clip(grainy, 0, 255).astype(np.uint8)
    edge = max(1, mm(0.2, dpi))
    region[:edge, :] = region[-edge:, :] = 40
    region[:, :edge] = region[:, -edge:] = 40
    pixels[box[1] : box[3], box[0] : box[2]] = region
