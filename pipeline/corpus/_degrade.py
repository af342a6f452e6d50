"""Pixel operations that turn a clean page into a scanned one, calibrated per severity.

Every operation works on a greyscale page as a numpy array (uint8, rows x columns) and draws
its randomness from a numpy `Generator`, so the same seed gives the same pixels. Lengths are
given in millimetres or at 300 dpi and scaled to the page's resolution.

The calibration ("mild": clearly readable; "severe": a person reading at normal zoom cannot,
at least not the digits of a person code) was chosen by looking at 11-12 pt text on pages
rendered at 300 dpi, shown at page-width zoom (about 150 dpi on the screen). Any two mild
degradations together still read easily.
"""

from __future__ import annotations

import functools
import io
import statistics
from typing import Any

import cv2
import numpy as np
from PIL import Image

Pixels = np.ndarray[Any, np.dtype[np.uint8]]
Box = tuple[int, int, int, int]
Affine = np.ndarray[Any, np.dtype[np.float64]]  # 2 x 3: page pixels to frame pixels

# Gaussian blur sigma in pixels at 300 dpi (at 3.5-4.5 the words are still readable).
BLUR_SIGMA = {"mild": 0.8, "severe": 6.0}
# JPEG quality, drawn from this range. Even quality 2 leaves 300 dpi text readable, so JPEG
# artefacts have no severe form.
JPEG_QUALITY = (12, 40)
# The resolution a low-resolution scan is taken at (at 60-70 dpi people still read it).
LOW_DPI = {"mild": 150, "severe": 40}
# Grey levels of the paper and of solid ink after the print fades (a clean contrast alone,
# however low, reads on a screen: severe also wears the toner and shows the paper's grain).
CONTRAST = {"mild": (236, 100), "severe": (228, 212)}
# Under severely faded print: the share of the toner left (it varies over a few millimetres),
# the paper's gaussian grain and its blotches (in grey levels).
TONER_COVER = (0.2, 1.0)
PAPER_GRAIN = 7.0
PAPER_MOTTLE = 10
# Gaussian sensor noise (sigma in grey levels), the share of salt-and-pepper pixels, and the
# sigma of grain in blobs GRAIN_MM wide on an underexposed capture (ink and paper levels).
NOISE = {"mild": (10.0, 0.002, 0.0), "severe": (40.0, 0.05, 60.0)}
GRAIN_MM = 0.3
UNDEREXPOSED = (85, 175)
# How dark the back's ink shows through (share of its darkness, drawn from the range), and how
# much the paper diffuses it (blur sigma in pixels at 300 dpi). People read the front through
# any show-through (they tell mirrored letters apart), so it has no severe form.
BLEED = ((0.12, 0.45), 1.8)
# A faint show-through on an otherwise blank page: a person calls the page blank.
BLEED_BLANK = ((0.04, 0.06), 2.5)
BORDER_LEVEL = (12, 40)  # grey level of the black bands outside the page

_MASK_SCALE = 4  # the ink mask that follows the page's geometry is this much smaller


def u8(pixels: object) -> Pixels:
    """Return OpenCV's result as the greyscale page it is (no copy)."""
    return np.asarray(pixels, dtype=np.uint8)


def mm(millimetres: float, dpi: int) -> int:
    """Return the length in pixels of this many millimetres."""
    return round(millimetres * dpi / 25.4)


@functools.cache
def _normal_quantiles() -> np.ndarray[Any, np.dtype[np.float32]]:
    """Return 65536 equally likely values of the standard normal distribution."""
    normal = statistics.NormalDist()
    return np.array([normal.inv_cdf((i + 0.5) / 65536) for i in range(65536)], np.float32)


def ink_mask(pixels: Pixels) -> Pixels:
    """Return a small map of where the page has ink, to follow it through geometry.

    Ink is what is clearly darker than the paper (the 90th percentile of the grey levels), so
    a page that is already grey or noisy has a mask too.
    """
    height, width = pixels.shape
    small = u8(
        cv2.resize(
            pixels,
            (max(1, width // _MASK_SCALE), max(1, height // _MASK_SCALE)),
            interpolation=cv2.INTER_AREA,
        )
    )
    counts = np.cumsum(np.bincount(small.ravel(), minlength=256))
    paper = int(np.searchsorted(counts, 0.9 * counts[-1]))
    result: Pixels = np.where(small < paper - 12, 255, 0).astype(np.uint8)
    return result


def ink_box(mask: Pixels) -> Box | None:
    """Return the ink's bounding box (left, top, right, bottom) in page pixels, if any."""
    rows = np.flatnonzero(mask.max(axis=1) > 64)
    if rows.size == 0:
        return None
    columns = np.flatnonzero(mask.max(axis=0) > 64)
    s = _MASK_SCALE
    return (
        int(columns[0]) * s,
        int(rows[0]) * s,
        (int(columns[-1]) + 1) * s,
        (int(rows[-1]) + 1) * s,
    )


def smooth_field(shape: tuple[int, int], cell: int, g: np.random.Generator) -> Pixels:
    """Return smooth random values in 0-255 that vary over about `cell` pixels."""
    height, width = shape
    coarse = g.integers(0, 256, (height // cell + 2, width // cell + 2), dtype=np.uint8)
    return u8(cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC))


def low_contrast(
    pixels: Pixels, severity: str, g: np.random.Generator, dpi: int
) -> tuple[Pixels, int]:
    """Fade the print on greyish paper; return the page and the paper's grey level.

    Severe: worn-out toner as well, so strokes come and go over a few millimetres, and the
    paper's grain is as strong as what is left of the print.
    """
    paper, ink = CONTRAST[severity]
    if severity == "mild":
        table = np.array([ink + (paper - ink) * v / 255 for v in range(256)])
        return u8(cv2.LUT(pixels, table.round().astype(np.uint8))), paper
    low, high = TONER_COVER
    cover = cv2.LUT(
        smooth_field(pixels.shape, mm(2.5, dpi), g),
        np.linspace(low * 255, high * 255, 256).round().astype(np.uint8),
    )
    darkness = cv2.multiply(cv2.bitwise_not(pixels), cover, scale=(paper - ink) / 255 / 255)
    mottle = cv2.LUT(
        smooth_field(pixels.shape, mm(15, dpi), g),
        np.linspace(0, PAPER_MOTTLE, 256).round().astype(np.uint8),
    )
    faded = u8(cv2.subtract(cv2.subtract(np.full_like(pixels, paper), darkness), mottle))
    return add_noise(faded, PAPER_GRAIN, 0.0, g), paper


def show_through(
    front: Pixels,
    back: Pixels,
    strength: tuple[float, float],
    sigma: float,
    g: np.random.Generator,
    dpi: int,
) -> Pixels:
    """Let the back of the sheet show through the front, mirrored and diffused.

    The back is offset by up to 9 mm up or down and 3 mm sideways (it was printed
    independently of the front); how dark it shows is drawn from the `strength` range.
    """
    height, width = front.shape
    dx = float(g.uniform(-3, 3)) * dpi / 25.4
    dy = float(g.uniform(-9, 9)) * dpi / 25.4
    share = float(g.uniform(*strength))
    mirror = np.array([[-1.0, 0.0, width - 1 + dx], [0.0, 1.0, dy]])
    seen = cv2.warpAffine(back, mirror, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255,))
    seen = cv2.GaussianBlur(seen, (0, 0), sigma * dpi / 300)
    table = np.array([255 - share * (255 - v) for v in range(256)]).round().astype(np.uint8)
    return u8(cv2.multiply(front, cv2.LUT(seen, table), scale=1 / 255))


def _warp_pair(
    pixels: Pixels,
    mask: Pixels,
    matrix: Affine,
    size: tuple[int, int],
    paper: int,
) -> tuple[Pixels, Pixels]:
    """Apply one affine map (in page pixels) to the page and to its ink mask."""
    page = u8(cv2.warpAffine(pixels, matrix, size, flags=cv2.INTER_CUBIC, borderValue=(paper,)))
    small = matrix.copy()
    small[:, 2] /= _MASK_SCALE
    mask_size = (max(1, size[0] // _MASK_SCALE), max(1, size[1] // _MASK_SCALE))
    moved = u8(cv2.warpAffine(mask, small, mask_size, flags=cv2.INTER_LINEAR, borderValue=(0,)))
    return page, moved


def skew(
    pixels: Pixels, mask: Pixels, degrees: float, paper: int, dpi: int
) -> tuple[Pixels, Pixels, Affine]:
    """Rotate the page counter-clockwise about its centre, keeping its size and resolution.

    The corners that come into the frame are paper. The frame keeps the page's size unless
    the ink would leave it (beyond about 8 degrees on normal margins); then it grows, evenly
    on both sides, just enough to keep every piece of ink 2 mm inside.

    Returns:
        The page, its ink mask, and the map from page pixels to frame pixels.
    """
    if degrees == 0:
        return pixels, mask, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    height, width = pixels.shape
    centre = ((width - 1) / 2, (height - 1) / 2)
    matrix = np.asarray(cv2.getRotationMatrix2D(centre, degrees, 1.0), dtype=np.float64)
    new_width, new_height = width, height
    box = ink_box(mask)
    if box is not None:
        left, top, right, bottom = box
        corners = np.array([[left, top, 1], [right, top, 1], [left, bottom, 1], [right, bottom, 1]])
        moved = corners @ matrix.T
        keep = mm(2, dpi)
        reach_x = max(abs(moved[:, 0] - centre[0]).max() + keep, width / 2)
        reach_y = max(abs(moved[:, 1] - centre[1]).max() + keep, height / 2)
        new_width = width + 2 * (int(np.ceil(reach_x - width / 2)))
        new_height = height + 2 * (int(np.ceil(reach_y - height / 2)))
        matrix[0, 2] += (new_width - width) / 2
        matrix[1, 2] += (new_height - height) / 2
    page, moved_mask = _warp_pair(pixels, mask, matrix, (new_width, new_height), paper)
    return page, moved_mask, matrix


def shift(pixels: Pixels, mask: Pixels, dx: int, dy: int, paper: int) -> tuple[Pixels, Pixels]:
    """Move the page by whole pixels within its frame; what comes in is paper."""
    height, width = pixels.shape
    page = np.full_like(pixels, paper)
    src = pixels[max(0, -dy) : height - max(0, dy), max(0, -dx) : width - max(0, dx)]
    page[max(0, dy) : max(0, dy) + src.shape[0], max(0, dx) : max(0, dx) + src.shape[1]] = src
    s = _MASK_SCALE
    mdx, mdy = round(dx / s), round(dy / s)
    mheight, mwidth = mask.shape
    moved = np.zeros_like(mask)
    msrc = mask[max(0, -mdy) : mheight - max(0, mdy), max(0, -mdx) : mwidth - max(0, mdx)]
    moved[max(0, mdy) : max(0, mdy) + msrc.shape[0], max(0, mdx) : max(0, mdx) + msrc.shape[1]] = (
        msrc
    )
    return page, moved


def text_lines(pixels: Pixels) -> list[Box]:
    """Return the boxes of the page's lines of ink (bands of rows with ink), top to bottom."""
    ink = pixels < 128
    rows = np.concatenate(([False], ink.any(axis=1), [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(rows))
    lines = []
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        columns = np.flatnonzero(ink[start:stop].any(axis=0))
        lines.append((int(columns[0]), int(start), int(columns[-1]) + 1, int(stop)))
    return lines


def cut_off(
    pixels: Pixels,
    mask: Pixels,
    severity: str,
    paper: int,
    g: np.random.Generator,
    dpi: int,
    lines: list[Box],
    placed: Affine,
) -> tuple[Pixels, Pixels]:
    """Move the page on the scanner bed so that its ink reaches an edge of the frame.

    Severe: the first 3-8 mm of the lines (left), the last 2-6 mm of the fourth-longest line
    (or the one a quarter down the lengths) and more of the longer ones (right), or the last
    2-3 lines (bottom) are off the frame.
    Mild: the ink comes within 2-5 mm of an edge, nothing is lost.

    Args:
        pixels: The page in its frame.
        mask: Its ink mask.
        severity: "mild" or "severe".
        paper: The paper's grey level, for what comes into the frame.
        g: The source of randomness.
        dpi: Resolution.
        lines: The page's text lines (`text_lines`) before it was placed in the frame.
        placed: The map from page pixels to frame pixels (the skew).
    """
    height, width = pixels.shape
    box = ink_box(mask)
    if box is None:
        return pixels, mask
    if severity == "mild" or not lines:
        side = str(g.choice(("left", "right", "top", "bottom")))
        gaps = {"left": box[0], "right": width - box[2], "top": box[1], "bottom": height - box[3]}
        move = max(0, gaps[side] - mm(float(g.uniform(2, 5)), dpi))
        dx = {"left": -move, "right": move}.get(side, 0)
        dy = {"top": -move, "bottom": move}.get(side, 0)
        return shift(pixels, mask, dx, dy, paper)
    middle = (box[1] + box[3]) / 2
    left = min(line[0] for line in lines)
    x, _ = placed @ (left + mm(float(g.uniform(3, 8)), dpi), middle, 1.0)
    # Cut into the fourth-longest line (or the one a quarter down), and more of the longer.
    ends = sorted(lines, key=lambda b: -b[2])
    longest = ends[min(len(ends) - 1, max(3, len(ends) // 4))]
    point = (longest[2] - mm(float(g.uniform(2, 6)), dpi), (longest[1] + longest[3]) / 2, 1.0)
    right, _ = placed @ point
    last = lines[-min(len(lines), int(g.integers(2, 4)))]
    _, bottom = placed @ ((last[0] + last[2]) / 2, (last[1] + last[3]) / 2, 1.0)
    moves = {"left": (-round(x), 0), "right": (width - round(right), 0)}
    moves["bottom"] = (0, height - round(bottom))
    # A sheet slides a few centimetres at most: cut where that is enough.
    near = [side for side, (dx, dy) in moves.items() if abs(dx) + abs(dy) <= mm(45, dpi)]
    side = str(g.choice(near)) if near else min(moves, key=lambda k: sum(map(abs, moves[k])))
    return shift(pixels, mask, *moves[side], paper)


def scanner_border(pixels: Pixels, mask: Pixels, g: np.random.Generator, dpi: int) -> Pixels:
    """Paint dark bands, 1-4 % of the frame wide, along 1-3 of its sides.

    They are what the scanner sees beyond the page (an open lid, a page smaller than the
    bed). A band stops 1 mm short of the ink.
    """
    height, width = pixels.shape
    box = ink_box(mask) or (width // 2, height // 2, width // 2, height // 2)
    keep = mm(1, dpi)
    room = {
        "left": box[0] - keep,
        "top": box[1] - keep,
        "right": width - box[2] - keep,
        "bottom": height - box[3] - keep,
    }
    sides = list(g.choice(list(room), size=int(g.integers(1, 4)), replace=False))
    page = pixels.copy()
    for side in sides:
        across = width if side in ("left", "right") else height
        band = min(room[str(side)], round(across * float(g.uniform(0.01, 0.04))))
        if band <= 0:
            continue
        level = int(g.integers(*BORDER_LEVEL))
        if side == "left":
            page[:, :band] = level
        elif side == "right":
            page[:, width - band :] = level
        elif side == "top":
            page[:band, :] = level
        else:
            page[height - band :, :] = level
    return page


def rotate(pixels: Pixels, clockwise: int) -> Pixels:
    """Turn the page clockwise by 0, 90, 180 or 270 degrees."""
    turned: Pixels = np.ascontiguousarray(np.rot90(pixels, k=-(clockwise // 90)))
    return turned


def blur(pixels: Pixels, severity: str, dpi: int) -> Pixels:
    """Blur as an out-of-focus scanner does: a gaussian of the calibrated width."""
    return u8(cv2.GaussianBlur(pixels, (0, 0), BLUR_SIGMA[severity] * dpi / 300))


def low_resolution(pixels: Pixels, severity: str, dpi: int) -> tuple[Pixels, int]:
    """Sample the page at a lower resolution; return the smaller page and its resolution.

    A page already at or below that resolution is left as it is.
    """
    target = LOW_DPI[severity]
    if dpi <= target:
        return pixels, dpi
    height, width = pixels.shape
    size = (max(1, round(width * target / dpi)), max(1, round(height * target / dpi)))
    return u8(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)), target


def noise(pixels: Pixels, severity: str, g: np.random.Generator, dpi: int) -> Pixels:
    """Add sensor noise: fine gaussian noise and salt-and-pepper specks.

    Severe: an underexposed capture, whose signal (paper against ink) is weak against the
    sensor's noise, also in blobs as wide as a pen stroke; people read through any noise
    finer than the strokes on a well-exposed page.
    """
    sigma, share, grain = NOISE[severity]
    if grain:
        low, high = UNDEREXPOSED
        pixels = u8(cv2.LUT(pixels, np.linspace(low, high, 256).round().astype(np.uint8)))
        height, width = pixels.shape
        cell = mm(GRAIN_MM, dpi)
        coarse = add_noise(
            np.full((height // cell + 1, width // cell + 1), 128, np.uint8), grain, 0.0, g
        )
        field = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_LINEAR)
        pixels = u8(cv2.add(pixels, field.astype(np.int16) - 128, dtype=cv2.CV_8U))
    return add_noise(pixels, sigma, share, g)


def add_noise(pixels: Pixels, sigma: float, share: float, g: np.random.Generator) -> Pixels:
    """Add gaussian noise of this sigma, then set this share of pixels to black or white."""
    table = np.round(_normal_quantiles() * sigma).astype(np.int16)
    drawn = table[g.integers(0, 65536, pixels.shape, dtype=np.uint16)]
    noisy = u8(cv2.add(pixels, drawn, dtype=cv2.CV_8U))
    if share > 0:
        u = g.integers(0, 65536, pixels.shape, dtype=np.uint16)
        limit = round(share / 2 * 65536)
        noisy[u < limit] = 0
        noisy[u >= 65536 - limit] = 255
    return noisy


def jpeg(pixels: Pixels, g: np.random.Generator) -> Pixels:
    """Compress and decompress as JPEG at a quality drawn from the calibrated range."""
    buffer = io.BytesIO()
    quality = int(g.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1))
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return np.asarray(decoded.convert("L")).copy()
