"""Labelled sample scans with known truth, for the end-to-end tests and the benchmark.

`render_document` draws synthetic office documents (applications, a power of attorney, a
medical certificate) as a scanner would give them: A4 pages, greyscale, at a chosen
resolution, each with the exact text drawn on it. `write_sample` saves them in the formats the
scanners write to the drop folders.

The pages are clean for now. Degradations (noise, skew, rotation, blur) belong in one step,
`degrade(image, rng, kinds)`, between drawing a page and building its truth in
`render_document`: it will return the degraded image and what it did, which goes into the
page's `PageTruth`. It draws from its own random stream, so adding it changes no content.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from pipeline.corpus._codes import person_code
from pipeline.corpus._compose import plan_document
from pipeline.corpus._layout import draw_page, fonts
from pipeline.corpus._templates import TEMPLATES

__all__ = [
    "DOCUMENT_TYPES",
    "FORMATS",
    "LANGUAGES",
    "PageTruth",
    "Sample",
    "fonts",
    "person_code",
    "render_document",
    "write_sample",
]

DOCUMENT_TYPES = tuple(TEMPLATES)
LANGUAGES = ("est", "rus", "eng")
FORMATS = ("pdf", "tiff", "jpeg", "png")
_SUFFIXES = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png"}
_JPEG_QUALITY = 90


@dataclass(frozen=True)
class PageTruth:
    """What is known about one rendered page.

    Attributes:
        text: The text drawn on the page, its lines in reading order joined by newlines
            (the drawn signature line is not text; its label is).
        language: The page's language: "est", "rus" or "eng".
        rotation: Clockwise rotation of the page image in degrees: 0, 90, 180 or 270.
        skew_degrees: Skew of the text lines in degrees.
        blank: Whether the page carries no content.
    """

    text: str
    language: str
    rotation: int
    skew_degrees: float
    blank: bool


@dataclass(frozen=True)
class Sample:
    """A rendered document: its page images, the truth of each page, and its metadata.

    Attributes:
        pages: One greyscale ("L") image per page.
        truth: One `PageTruth` per page, in the same order.
        person_codes: The person codes written on the document, in order of appearance.
        document_type: The template's name, e.g. "pension_application".
        dpi: The resolution the pages are drawn at.
    """

    pages: tuple[Image.Image, ...]
    truth: tuple[PageTruth, ...]
    person_codes: tuple[str, ...]
    document_type: str
    dpi: int


def render_document(
    rng: random.Random,
    *,
    pages: int = 1,
    language: str = "est",
    document_type: str = "pension_application",
    dpi: int = 300,
    font: str | None = None,
    person_codes: Sequence[str] | None = None,
) -> Sample:
    """Render a synthetic document as a scanner would give its pages.

    The first page holds the office, the title and the labelled fields (names, person codes,
    address, bank account, ...); body paragraphs fill the pages; the last page ends with a
    declaration, the date and the signature line. Pages of a multi-page document carry a
    page marker ("Lk 1/2", "Стр. 1/2", "Page 1/2") at their foot.

    Args:
        rng: The source of randomness; the same state gives the same pixels.
        pages: How many pages.
        language: "est", "rus" or "eng".
        document_type: One of `DOCUMENT_TYPES`.
        dpi: Resolution; an A4 page at 300 dpi is 2480 x 3508 pixels.
        font: A font file, or a font name such as "DejaVuSerif" or "LiberationSans-Regular";
            one of `fonts()` at random when None.
        person_codes: The person codes to write, one per person on the form (applicant
            first), taken as given so that invalid ones can be tested; an empty sequence
            leaves the applicant's code field empty. Valid random codes when None.

    Returns:
        The pages with their truth.

    Raises:
        ValueError: On an unknown language, document type or font, fewer than one page, a
            resolution outside 72-1200 dpi, or more persons than fit on the first page.
    """
    content_rng = random.Random(rng.getrandbits(64))
    plan = plan_document(
        content_rng,
        pages=pages,
        language=language,
        document_type=document_type,
        dpi=dpi,
        font=font,
        person_codes=person_codes,
    )
    images = []
    truth = []
    for layout in plan.pages:
        image = draw_page(layout)
        image.info["dpi"] = (dpi, dpi)
        images.append(image)
        truth.append(PageTruth(layout.text, language, rotation=0, skew_degrees=0.0, blank=False))
    return Sample(tuple(images), tuple(truth), plan.person_codes, document_type, dpi)


def write_sample(sample: Sample, path: Path, fmt: str) -> Path:
    """Save the sample's pages as a scanner would, with their resolution recorded.

    Args:
        sample: What to save.
        path: The file to write; the format's suffix is added when it has none.
        fmt: "pdf" or "tiff" (all pages in one file), "jpeg" or "png" (one page only).

    Returns:
        The path written.

    Raises:
        ValueError: On an unknown format, or a multi-page sample as JPEG or PNG.
    """
    if fmt not in _SUFFIXES:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if fmt in ("jpeg", "png") and len(sample.pages) != 1:
        raise ValueError(f"{fmt} holds one page; this sample has {len(sample.pages)}")
    if not path.suffix:
        path = path.with_suffix(_SUFFIXES[fmt])
    first, *rest = sample.pages
    dpi = (sample.dpi, sample.dpi)
    if fmt == "pdf":
        first.save(
            path,
            "PDF",
            save_all=True,
            append_images=rest,
            resolution=float(sample.dpi),
            quality=_JPEG_QUALITY,
        )
    elif fmt == "tiff":
        first.save(path, "TIFF", save_all=True, append_images=rest, dpi=dpi, compression="tiff_lzw")
    elif fmt == "jpeg":
        first.save(path, "JPEG", dpi=dpi, quality=_JPEG_QUALITY)
    else:
        first.save(path, "PNG", dpi=dpi)
    return path
