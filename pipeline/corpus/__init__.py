"""Labelled sample scans with known truth, for the end-to-end tests and the benchmark.

`render_document` draws synthetic office documents (applications, a power of attorney, a
medical certificate, a death certificate, EU social security forms, and documents of none of
the office's types: letters, invoices, bills) as clean A4 pages, greyscale, at a chosen
resolution, each with the exact text drawn on it; with `overlays` it adds what makes office
forms hard to read: tables, stamps, photo copies and signatures. `signed` decides the
signature. `write_sample` saves them in the formats the scanners write to the drop folders.

The pages are then scanned: `scan_page` turns, skews, borders and degrades one page by a
`ScanSpec` (`random_spec` draws one as the benchmark does) and records what it did in the
page's `PageTruth`, including whether a person could read the result and which review reasons
a correct pipeline must raise; `scanned` does it for a whole sample, optionally as a duplex
scan with `blank_page` backs. Scanning draws from its own random stream, so it changes no
content, and a clean render is the same as before scanning existed.

`print_copy_page` and `print_copied` do instead what a laser printer, an office photocopier
and a scanner do to paper (augraphy's simulator, the bench's extra), in the families
`PRINT_COPY_FAMILIES`: `mild` (printed and scanned), `copy` (printed, photocopied, scanned),
`copy2` (a copy of a copy) and `copy_heldout`, which is `HELD_OUT`: never used for tuning.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, TiffImagePlugin

from pipeline.corpus._blank import BLANK_KINDS, blank_page
from pipeline.corpus._codes import person_code
from pipeline.corpus._compose import plan_document
from pipeline.corpus._hostile import HostileFile, hostile_files, white_g4_tiff, white_png
from pipeline.corpus._layout import draw_page, fonts
from pipeline.corpus._overlays import draw_overlays, draw_signature
from pipeline.corpus._printcopy import FAMILIES as PRINT_COPY_FAMILIES
from pipeline.corpus._printcopy import HELD_OUT, print_copied, print_copy_page
from pipeline.corpus._scan import (
    DEGRADATIONS,
    MILD_ONLY,
    REASONS,
    ScanSpec,
    random_spec,
    scan_page,
    scanned,
)
from pipeline.corpus._template import Template
from pipeline.corpus._templates import TEMPLATES
from pipeline.corpus._truth import PageTruth, Sample

__all__ = [
    "BLANK_KINDS",
    "DEGRADATIONS",
    "DOCUMENT_TYPES",
    "FORMATS",
    "HELD_OUT",
    "LANGUAGES",
    "MILD_ONLY",
    "PRINT_COPY_FAMILIES",
    "REASONS",
    "TEMPLATES",
    "HostileFile",
    "PageTruth",
    "Sample",
    "ScanSpec",
    "Template",
    "blank_page",
    "fonts",
    "hostile_files",
    "person_code",
    "plan_document",
    "print_copied",
    "print_copy_page",
    "random_spec",
    "render_document",
    "scan_page",
    "scanned",
    "white_g4_tiff",
    "white_png",
    "write_sample",
]

DOCUMENT_TYPES = tuple(TEMPLATES)
LANGUAGES = ("est", "rus", "eng")
FORMATS = ("pdf", "tiff", "jpeg", "png")
_SUFFIXES = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png"}
_JPEG_QUALITY = 90
_PEN_SALT = 0x5167_6E61_7475_7265  # derives the pen's stream from the content's seed


def render_document(
    rng: random.Random,
    *,
    pages: int = 1,
    language: str = "est",
    document_type: str = "pension_application",
    dpi: int = 300,
    font: str | None = None,
    person_codes: Sequence[str] | None = None,
    overlays: bool = False,
    signed: bool | None = None,
    template: int | None = None,
) -> Sample:
    """Render a synthetic document as a scanner would give its pages.

    The first page holds the issuer (the office, mostly), the title and the labelled fields
    (names, person codes, address, bank account, ...); body paragraphs fill the pages; the
    last page ends with a declaration, the date and (on most kinds of document) the signature
    line. Every page of a multi-page document carries a page marker ("Lk 1/2", "Стр. 1/2",
    "Page 1/2") at its foot, also in its truth (`PageTruth.marker`); drop a page from the
    sample (`Sample.without_page`) to make a document with a missing page.

    Every type has several kinds of document, some with several title variants, and draws
    them from the content's random stream: the six forms of the office and the death
    certificate come in the office's (or the register's) wording and in another, as clients,
    doctors and registry offices write them; an EU form is one of S1, P1, U1, A1 and E 205;
    "other" is a letter, a cover note, an invoice, a utility bill or a receipt, some naming a
    person by person code, some nobody.

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
        overlays: Add, at random, what makes office forms hard to read and is common on
            them: ruled tables of short cells (their text is in the truth, row by row, each
            row's cells left to right), a round or rectangular office stamp (rings, dashes and
            a star, or frames and lines: no letters), a photocopied ID photo on the first
            page, and a pen signature on the signature line (never over text), unless
            `signed` says otherwise. They draw from their own random stream: the rest of the
            content stays the same.
        signed: Whether the signature line is signed with a pen: True always (a document
            whose kind has no signature line, an invoice say, gets one to sign on), False
            never (the line stays empty), None as before: at random with overlays, never
            without. The pen draws from a stream of its own without overlays, and with
            them the same draws as None are made, so the rest of the pixels stay as they
            were wherever the signature is the same. `Sample.signed` says whether it was.
        template: Which kind of document of the type (its index in `TEMPLATES`), drawn at
            random when None; 0, the office's own wording of one of its six forms or of the
            death certificate, draws the same content as before the other wordings existed.

    Returns:
        The pages with their truth.

    Raises:
        ValueError: On an unknown language, document type, template or font, fewer than one
            page, a resolution outside 72-1200 dpi, or more persons than fit on the first
            page.
    """
    seed = rng.getrandbits(64)
    content_rng = random.Random(seed)
    extras = random.Random(rng.getrandbits(64)) if overlays else None
    pen = random.Random(seed ^ _PEN_SALT) if signed and extras is None else None
    plan = plan_document(
        content_rng,
        pages=pages,
        language=language,
        document_type=document_type,
        dpi=dpi,
        font=font,
        person_codes=person_codes,
        tables=extras,
        signature_line=signed is True,
        template=template,
    )
    images = []
    truth = []
    style = ""
    for number, (layout, marker) in enumerate(zip(plan.pages, plan.markers, strict=True), 1):
        image = draw_page(layout)
        image.info["dpi"] = (dpi, dpi)
        if extras is not None:
            image, marks = draw_overlays(
                image,
                layout,
                extras,
                first=number == 1,
                last=number == len(plan.pages),
                signed=signed,
            )
            style = next((m.style for m in marks if m.kind == "signature"), style)
        elif pen is not None:
            image, signature = draw_signature(image, layout, pen)
            style = signature.style if signature is not None else style
        images.append(image)
        truth.append(
            PageTruth(
                layout.text, language, rotation=0, skew_degrees=0.0, blank=False, marker=marker
            )
        )
    return Sample(
        tuple(images),
        tuple(truth),
        plan.person_codes,
        document_type,
        dpi,
        person_roles=plan.person_roles,
        signed=bool(style),
        title=plan.title,
        signature_style=style,
    )


def write_sample(sample: Sample, path: Path, fmt: str) -> Path:
    """Save the sample's pages as a scanner would, with their resolution recorded.

    Each page is written at its own resolution, `image.info["dpi"]` (`sample.dpi` when the
    image records none), so a low-resolution scan keeps its real dpi, in PDF and TIFF also
    when the pages of one file differ.

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
    resolutions = [_resolution(page, sample.dpi) for page in sample.pages]
    if len(set(resolutions)) > 1:
        _write_mixed(sample.pages, resolutions, path, fmt)
        return path
    first, *rest = sample.pages
    resolution = resolutions[0]
    dpi = (resolution, resolution)
    if fmt == "pdf":
        first.save(
            path,
            "PDF",
            save_all=True,
            append_images=rest,
            resolution=float(resolution),
            quality=_JPEG_QUALITY,
        )
    elif fmt == "tiff":
        first.save(path, "TIFF", save_all=True, append_images=rest, dpi=dpi, compression="tiff_lzw")
    elif fmt == "jpeg":
        first.save(path, "JPEG", dpi=dpi, quality=_JPEG_QUALITY)
    else:
        first.save(path, "PNG", dpi=dpi)
    return path


def _resolution(page: Image.Image, default: int) -> int:
    dpi = page.info.get("dpi")
    return round(float(dpi[0])) if dpi else default


def _write_mixed(
    pages: Sequence[Image.Image], resolutions: Sequence[int], path: Path, fmt: str
) -> None:
    """Write a PDF or TIFF whose pages have different resolutions, each its own."""
    if fmt == "pdf":
        for index, (page, resolution) in enumerate(zip(pages, resolutions, strict=True)):
            page.save(
                path,
                "PDF",
                append=index > 0,
                resolution=float(resolution),
                quality=_JPEG_QUALITY,
            )
        return
    with path.open("w+b") as file, TiffImagePlugin.AppendingTiffWriter(file) as frames:
        for page, resolution in zip(pages, resolutions, strict=True):
            page.save(frames, "TIFF", dpi=(resolution, resolution), compression="tiff_lzw")
            frames.newFrame()
