"""The benchmark's corpus: labelled scans, written once, that every tool reads.

Each document exists three ways, all from the same page images: the scanner's file (PDF,
TIFF, JPEG or PNG) that intake takes from a drop folder, one PNG per page for the Tesseract
command and bare in-process Tesseract, and one PDF of the pages for OCRmyPDF.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from pipeline.corpus import (
    DOCUMENT_TYPES,
    FORMATS,
    PageTruth,
    fonts,
    random_spec,
    render_document,
    scanned,
    write_sample,
)

BLANK_BACK_KINDS = ("clean", "noise", "punch_holes", "bleed_through", "dust")
LANGUAGE_WEIGHTS = {"est": 6, "rus": 2, "eng": 2}
DUPLEX_SHARE = 0.15
"""Share of documents scanned duplex, with a blank back after every page."""
_PDF_JPEG_QUALITY = 95  # Pillow writes greyscale PDF pages as JPEG; keep the loss negligible.


@dataclass(frozen=True)
class BenchPage:
    """One page of the corpus, as the comparison tools read it, with its truth."""

    document: int
    number: int
    dpi: int
    png: Path
    truth: PageTruth


@dataclass(frozen=True)
class BenchDocument:
    """One scanned document: the scanner's file, the same pages as PDF, and its pages."""

    index: int
    file: Path
    fmt: str
    pdf: Path
    document_type: str
    language: str
    font: str
    overlays: bool
    duplex: bool
    pages: tuple[BenchPage, ...]


@dataclass(frozen=True)
class Corpus:
    """Every document of one benchmark run, drawn from ``seed``."""

    seed: int
    documents: tuple[BenchDocument, ...]

    @property
    def pages(self) -> tuple[BenchPage, ...]:
        """Every page, document by document: the order of every tool's predictions."""
        return tuple(p for d in self.documents for p in d.pages)

    @property
    def truths(self) -> tuple[PageTruth, ...]:
        """The truth of every page, in the order of :attr:`pages`."""
        return tuple(p.truth for p in self.pages)


def build_corpus(
    folder: Path,
    *,
    docs: int,
    seed: int,
    max_pages: int = 3,
    on_document: Callable[[int], object] | None = None,
) -> Corpus:
    """Render, degrade and write ``docs`` documents into ``folder``.

    Args:
        folder: An existing, empty folder for the files.
        docs: How many documents.
        seed: Everything drawn (content, degradations, formats) follows from it.
        max_pages: Each document has 1 to ``max_pages`` pages before any blank backs.
        on_document: Called with each written document's page count (for a progress bar).

    Returns:
        The corpus with the truth of every page.
    """
    rng = random.Random(seed)
    types = [DOCUMENT_TYPES[i % len(DOCUMENT_TYPES)] for i in range(docs)]
    overlays = [i % 2 == 1 for i in range(docs)]
    rng.shuffle(types)
    rng.shuffle(overlays)
    documents: list[BenchDocument] = []
    for index in range(docs):
        document = _document(
            rng,
            folder,
            index=index,
            document_type=types[index],
            overlays=overlays[index],
            max_pages=max_pages,
        )
        documents.append(document)
        if on_document is not None:
            on_document(len(document.pages))
    return Corpus(seed=seed, documents=tuple(documents))


def _document(
    rng: random.Random,
    folder: Path,
    *,
    index: int,
    document_type: str,
    overlays: bool,
    max_pages: int,
) -> BenchDocument:
    language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
    font = rng.choice(fonts())
    clean = render_document(
        rng,
        pages=rng.randint(1, max_pages),
        language=language,
        document_type=document_type,
        font=str(font),
        overlays=overlays,
    )
    specs = [random_spec(rng) for _ in clean.pages]
    duplex = rng.random() < DUPLEX_SHARE
    backs = [rng.choice(BLANK_BACK_KINDS) for _ in clean.pages] if duplex else []
    sample = scanned(clean, rng, specs, blank_backs=backs)
    fmt = rng.choice(FORMATS if len(sample.pages) == 1 else ("pdf", "tiff"))
    stem = folder / f"doc{index:03d}"
    file = write_sample(sample, stem, fmt)
    pages = tuple(
        _write_page(image, truth, folder, document=index, number=number, dpi=sample.dpi)
        for number, (image, truth) in enumerate(zip(sample.pages, sample.truth, strict=True), 1)
    )
    pdf = stem.with_name(f"{stem.name}-pages.pdf")
    _write_pdf(sample.pages, [p.dpi for p in pages], pdf)
    return BenchDocument(
        index=index,
        file=file,
        fmt=fmt,
        pdf=pdf,
        document_type=document_type,
        language=language,
        font=font.stem,
        overlays=overlays,
        duplex=duplex,
        pages=pages,
    )


def _dpi_of(image: Image.Image, default: int) -> int:
    """The resolution recorded on the image, else the sample's."""
    dpi = image.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and float(dpi[0]) > 0:
        return round(float(dpi[0]))
    return default


def _write_page(
    image: Image.Image,
    truth: PageTruth,
    folder: Path,
    *,
    document: int,
    number: int,
    dpi: int,
) -> BenchPage:
    page_dpi = _dpi_of(image, dpi)
    png = folder / f"doc{document:03d}-p{number}.png"
    image.save(png, "PNG", dpi=(page_dpi, page_dpi), compress_level=1)
    return BenchPage(document=document, number=number, dpi=page_dpi, png=png, truth=truth)


def _write_pdf(images: Sequence[Image.Image], dpis: Sequence[int], path: Path) -> None:
    """The page images as one PDF, each page at its own resolution.

    Pillow takes one resolution per save, so pages after the first are appended one by one.
    """
    for index, (image, dpi) in enumerate(zip(images, dpis, strict=True)):
        image.save(path, "PDF", append=index > 0, resolution=float(dpi), quality=_PDF_JPEG_QUALITY)
