"""Take a scanner's PDF apart instead of rendering it: one full-page image per page.

A PDF from a scanner holds each page as one embedded image (JPEG mostly) at the scan's
resolution.  Extracting it with poppler's ``pdfimages`` gives the scanner's own pixels at its
own DPI, some ten times faster than rendering, and without a second resampling.  Anything
else (text PDFs, pages with several images, masks, CMYK, rotated pages) is rendered instead.

The images are extracted to files in one run and decoded one page at a time, when the page's
turn comes, so that a long scan never has all its pages decoded at once.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
from PIL import Image

from config.errors import Rejected
from pipeline.model import PageImage, ReasonCode

_PLAIN_COLOURS = {"gray", "rgb"}
_TIMEOUT = 120
_PREFIX = "p"
_EXTRACTED = re.compile(rf"{_PREFIX}-(\d+)\.\w+")


def _listing(pdf: Path) -> list[list[str]] | None:
    try:
        done = subprocess.run(
            ["pdfimages", "-list", str(pdf)],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return [line.split() for line in done.stdout.splitlines()[2:] if line.strip()]


def _one_image_per_page(
    rows: list[list[str]], pages: int, sizes: dict[int, tuple[float, float]]
) -> list[int] | None:
    """Each page's image resolution, when every page is exactly one plain full-page image."""
    if len(rows) != pages:
        return None
    resolutions: list[int] = []
    for number, row in enumerate(rows, start=1):
        # page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
        if len(row) < 14 or int(row[0]) != number or row[2] != "image":
            return None
        if row[5] not in _PLAIN_COLOURS:
            return None
        width, height, x_ppi, y_ppi = int(row[3]), int(row[4]), float(row[12]), float(row[13])
        if x_ppi <= 0 or abs(x_ppi - y_ppi) > 0.01 * x_ppi:
            return None
        page_width, page_height = sizes.get(number, (0.0, 0.0))
        # The image must cover the page: its size at its resolution is the page size.
        if (
            abs(width / x_ppi * 72.0 - page_width) > 3
            or abs(height / y_ppi * 72.0 - page_height) > 3
        ):
            return None
        resolutions.append(round(x_ppi))
    return resolutions


def _extracted(folder: Path) -> list[Path]:
    """The files ``pdfimages`` wrote into ``folder``, in the order of the images."""
    found = [(_EXTRACTED.fullmatch(p.name), p) for p in folder.iterdir()]
    # By number: the names' digits grow past three after image 999, so by name would misorder.
    return [p for _, p in sorted((int(m[1]), p) for m, p in found if m is not None)]


def _placed_as_stored(pdf: Path) -> bool:
    """Whether every page draws its images as stored: scaled and moved, never turned.

    A PDF may place a page's image turned, slanted or mirrored by its transformation
    matrix; the page as displayed is then not the image as stored, and is rendered.
    """
    try:
        with pikepdf.open(pdf) as document:
            for page in document.pages:
                matrix = pikepdf.Matrix()
                stack: list[pikepdf.Matrix] = []
                for instruction in pikepdf.parse_content_stream(page):
                    operands, name = instruction.operands, str(instruction.operator)
                    if name == "q":
                        stack.append(matrix)
                    elif name == "Q" and stack:
                        matrix = stack.pop()
                    elif name == "cm" and len(operands) == 6:
                        matrix = pikepdf.Matrix(*(float(v) for v in operands)) @ matrix
                    elif name == "Do" and not _level(matrix):
                        return False
    except (pikepdf.PdfError, ValueError, TypeError):
        return False
    return True


def _level(matrix: pikepdf.Matrix) -> bool:
    """Whether ``matrix`` only scales (by positive factors) and moves."""
    a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
    size = max(abs(a), abs(d), 1e-9)
    return a > 0 and d > 0 and abs(b) <= 1e-4 * size and abs(c) <= 1e-4 * size


def embedded_scans(
    pdf: Path,
    folder: Path,
    *,
    pages: int,
    sizes: dict[int, tuple[float, float]],
    max_pixels: int,
) -> list[tuple[Path, int]] | None:
    """Each page's own image file, extracted into ``folder``, and its resolution.

    ``None`` when the PDF is not a plain scan (it is rendered instead): more than one image
    on a page, an image that does not cover its page, one placed turned or mirrored, or one
    over ``max_pixels`` (rendering reads it at a resolution that fits).  ``sizes`` maps page
    numbers to their (width, height) in points, unrotated pages only.  Nothing is decoded
    here: see :func:`load_scan`.
    """
    rows = _listing(pdf)
    resolutions = _one_image_per_page(rows, pages, sizes) if rows is not None else None
    if resolutions is None or rows is None:
        return None
    if any(int(row[3]) * int(row[4]) > max_pixels for row in rows):
        return None
    if not _placed_as_stored(pdf):
        return None
    try:
        done = subprocess.run(
            ["pdfimages", "-j", "-png", str(pdf), str(folder / _PREFIX)],
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    files = _extracted(folder)
    if done.returncode != 0 or len(files) != pages:
        return None
    return list(zip(files, resolutions, strict=True))


def load_scan(path: Path, *, number: int, dpi: int, max_pixels: int) -> PageImage:
    """Page ``number`` decoded from its extracted image file.

    An image over ``max_pixels`` (by its own header, which may disagree with the PDF's
    dictionary) is refused before it is decoded.

    Raises:
        Rejected: ``IMAGE_TOO_LARGE`` for such an image.
    """
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise Rejected(ReasonCode.IMAGE_TOO_LARGE, f"{width}x{height}")
            image.load()
            return PageImage(number=number, image=image.copy(), dpi=dpi)
    except Image.DecompressionBombError as exc:
        raise Rejected(ReasonCode.IMAGE_TOO_LARGE, "decompression bomb") from exc
