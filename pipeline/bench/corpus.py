"""The benchmark's corpus: labelled scans, written once, that every tool reads.

Each document exists three ways, all from the same page images: the scanner's file (PDF,
TIFF, JPEG or PNG) that intake takes from a drop folder, one PNG per page for the Tesseract
command and bare in-process Tesseract, and one PDF of the pages for OCRmyPDF.

The documents exercise every check of the verification: the types take turns, a share is
left unsigned (the rest signed, so the signature's truth is known), a share of those whose
type needs a person code has the applicant's code left empty, and a share of the multi-page
ones has a page dropped. Each document's truth (:class:`DocumentTruth`) names the review
reasons a correct pipeline must raise for it.

A corpus is made of one or more families (:data:`FAMILIES`): ``repo`` scans the pages with
today's scanner model (turns, skews, borders, the calibrated degradations); ``mild``,
``copy``, ``copy2`` and ``copy_heldout`` print, photocopy and scan them instead
(:func:`pipeline.corpus.print_copied`). Every family draws the same documents from the same
seed, so the families of one run differ only in how the paper went through the machines.
``copy_heldout`` is never used for tuning (:data:`pipeline.corpus.HELD_OUT`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from config.doctypes import DocumentTypes, load_document_types
from pipeline.bench.metrics import DocumentTruth, document_reasons
from pipeline.corpus import (
    DOCUMENT_TYPES,
    FORMATS,
    PRINT_COPY_FAMILIES,
    PageTruth,
    Sample,
    fonts,
    print_copied,
    random_spec,
    render_document,
    scanned,
    write_sample,
)

REPO = "repo"
"""The family of today's scanner model: the corpus as it was before the other families."""
FAMILIES: tuple[str, ...] = (REPO, *PRINT_COPY_FAMILIES)

BLANK_BACK_KINDS = ("clean", "noise", "punch_holes", "bleed_through", "dust")
LANGUAGE_WEIGHTS = {"est": 6, "rus": 2, "eng": 2}
DUPLEX_SHARE = 0.15
"""Share of documents scanned duplex, with a blank back after every page."""
UNSIGNED_SHARE = 0.20
"""Share of documents left unsigned; the others are signed."""
NO_PERSON_CODE_SHARE = 0.08
"""Share of the documents whose type needs a person code that have the applicant's empty."""
DROPPED_PAGE_SHARE = 0.10
"""Share of the multi-page documents with one page left out of the file."""
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
    truth: DocumentTruth
    rendered_pages: int
    dropped_page: int | None = None
    """The number (from 1, as rendered) of the page left out of the file, if one was."""
    family: str = REPO
    signature_style: str = ""
    """How the paper went through the machines: one of :data:`FAMILIES`."""


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

    @property
    def document_truths(self) -> tuple[DocumentTruth, ...]:
        """The truth of every document, in the order of :attr:`documents`."""
        return tuple(d.truth for d in self.documents)


class _Quota:
    """Takes about ``share`` of what it is offered, at random places (systematic sampling).

    After ``n`` offers it has taken ``floor(share * n + u)`` with ``u`` drawn once: never more
    than one away from the share, however few the offers.
    """

    def __init__(self, share: float, rng: random.Random) -> None:
        self.share = share
        self.start = rng.random()
        self.offered = 0
        self.taken = 0

    def take(self) -> bool:
        """Whether to take this offer."""
        self.offered += 1
        hit = math.floor(self.share * self.offered + self.start) > self.taken
        self.taken += hit
        return hit


def _exactly(share: float, among: Sequence[int], rng: random.Random) -> frozenset[int]:
    """``share`` of ``among`` (rounded), chosen at random."""
    return frozenset(rng.sample(list(among), round(share * len(among))))


def build_corpus(
    folder: Path,
    *,
    docs: int,
    seed: int,
    max_pages: int = 3,
    on_document: Callable[[int], object] | None = None,
    types: DocumentTypes | None = None,
    families: Sequence[str] = (REPO,),
) -> Corpus:
    """Render, degrade and write ``docs`` documents of each family into ``folder``.

    Args:
        folder: An existing, empty folder for the files.
        docs: How many documents of each family.
        seed: Everything drawn (content, degradations, formats) follows from it.
        max_pages: Each document has 1 to ``max_pages`` pages before any blank backs.
        on_document: Called with each written document's page count (for a progress bar).
        types: The office's document types, for what each type requires; the shipped ones
            when None.
        families: Some of :data:`FAMILIES`, each once: the same ``docs`` documents in each,
            family after family (indexed on from one family to the next).

    Returns:
        The corpus with the truth of every page and every document.

    Raises:
        ValueError: On an unknown or repeated family, or none.
    """
    unknown = [f for f in families if f not in FAMILIES]
    if unknown or not families or len(set(families)) != len(families):
        raise ValueError(f"families must be some of {FAMILIES}, each once, not {families!r}")
    required = types or load_document_types()
    documents: list[BenchDocument] = []
    for family in families:
        documents += _family(
            folder,
            docs=docs,
            seed=seed,
            max_pages=max_pages,
            on_document=on_document,
            required=required,
            family=family,
            first=len(documents),
        )
    return Corpus(seed=seed, documents=tuple(documents))


def _family(
    folder: Path,
    *,
    docs: int,
    seed: int,
    max_pages: int,
    on_document: Callable[[int], object] | None,
    required: DocumentTypes,
    family: str,
    first: int,
) -> list[BenchDocument]:
    """The documents of one family, indexed from ``first``; every family draws the same."""
    rng = random.Random(seed)
    # Which documents are unsigned, lack a code or lose a page draws from a stream of its
    # own: the content stream makes the same draws as before, document by document.
    checks = random.Random(f"intake-bench-checks:{seed}")
    kinds = [DOCUMENT_TYPES[i % len(DOCUMENT_TYPES)] for i in range(docs)]
    overlays = [i % 2 == 1 for i in range(docs)]
    rng.shuffle(kinds)
    rng.shuffle(overlays)
    unsigned = _exactly(UNSIGNED_SHARE, range(docs), checks)
    need_code = [i for i in range(docs) if _requires(required, kinds[i]).person_code]
    no_code = _exactly(NO_PERSON_CODE_SHARE, need_code, checks)
    drop = _Quota(DROPPED_PAGE_SHARE, checks)
    documents: list[BenchDocument] = []
    for index in range(docs):
        document = _document(
            rng,
            folder,
            index=first + index,
            family=family,
            document_type=kinds[index],
            overlays=overlays[index],
            max_pages=max_pages,
            signed=index not in unsigned,
            no_person_code=index in no_code,
            drop=drop,
            checks=checks,
            required=_requires(required, kinds[index]),
        )
        documents.append(document)
        if on_document is not None:
            on_document(len(document.pages))
    return documents


@dataclass(frozen=True)
class Requirements:
    """What a type needs to be complete (see ``config/document_types.toml``)."""

    person_code: bool = False
    signature: bool = False
    pages: int = 0


def _requires(types: DocumentTypes, document_type: str) -> Requirements:
    """The type's requirements; none for a type the configuration does not define."""
    kind = types.get(document_type)
    if kind is None:
        return Requirements()
    return Requirements(person_code=kind.person_code, signature=kind.signature, pages=kind.pages)


def _document(
    rng: random.Random,
    folder: Path,
    *,
    index: int,
    family: str,
    document_type: str,
    overlays: bool,
    max_pages: int,
    signed: bool,
    no_person_code: bool,
    drop: _Quota,
    checks: random.Random,
    required: Requirements,
) -> BenchDocument:
    language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
    font = rng.choice(fonts())
    rendered = render_document(
        rng,
        pages=rng.randint(1, max_pages),
        language=language,
        document_type=document_type,
        font=str(font),
        overlays=overlays,
        signed=signed,
        person_codes=[] if no_person_code else None,
    )
    dropped = (
        checks.randrange(len(rendered.pages)) if len(rendered.pages) > 1 and drop.take() else None
    )
    clean = rendered if dropped is None else rendered.without_page(dropped)
    # A print-copy-scan family draws the specs too, and as many draws as a scan: the
    # documents that follow are the same in every family.
    specs = [random_spec(rng) for _ in clean.pages]
    duplex = rng.random() < DUPLEX_SHARE
    backs = [rng.choice(BLANK_BACK_KINDS) for _ in clean.pages] if duplex else []
    if family == REPO:
        sample = scanned(clean, rng, specs, blank_backs=backs)
    else:
        sample = print_copied(clean, rng, family, blank_backs=backs)
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
        truth=document_truth(rendered, sample, dropped=dropped, required=required),
        rendered_pages=len(rendered.pages),
        dropped_page=None if dropped is None else dropped + 1,
        family=family,
        signature_style=rendered.signature_style,
    )


def document_truth(
    rendered: Sample, scan: Sample, *, dropped: int | None, required: Requirements
) -> DocumentTruth:
    """The truth of a document as scanned, from the document as rendered.

    Args:
        rendered: The document as drawn, every page.
        scan: The file's pages: ``rendered`` without page ``dropped``, scanned.
        dropped: The index (from 0) of the page left out, or None.
        required: What its type needs.
    """
    text = "\n".join(t.text for t in scan.truth)
    # A code on a dropped page is not in the file; the signature is on the last page.
    persons = [
        (code, role)
        for code, role in zip(rendered.person_codes, rendered.person_roles, strict=True)
        if code and code in text
    ]
    signed = rendered.signed and dropped != len(rendered.pages) - 1
    codes = tuple(code for code, _ in persons)
    return DocumentTruth(
        document_type=rendered.document_type,
        pages=scan.truth,
        person_codes=codes,
        person_roles=tuple(role for _, role in persons),
        signed=signed,
        missing_pages=dropped is not None,
        reasons=document_reasons(
            scan.truth,
            person_codes=codes,
            signed=signed,
            dropped_page=dropped is not None,
            requires_person_code=required.person_code,
            requires_signature=required.signature,
            expected_pages=required.pages,
        ),
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
