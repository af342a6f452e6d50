"""process_capture(): the one straight-line function that sequences the stages."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from classifiers.model import TypeModel
from config.errors import Rejected
from config.settings import ProcessConfig
from pipeline.document import assess_document, page_text
from pipeline.engines.base import OcrEngine
from pipeline.model import (
    CaptureResult,
    PageImage,
    PageResult,
    PageScan,
    Reason,
    ReasonCode,
    Verdict,
)
from pipeline.stages.analyse import NO_TEXT, AnalysedPage, analyse_page, timed
from pipeline.stages.rasterise import rasterise, sniff
from pipeline.stages.searchable import scan_of
from pipeline.stages.signature import is_signed


@dataclass(frozen=True)
class Processed:
    """The result of a capture and its pages' normalised images, as JPEG for the archive."""

    result: CaptureResult
    images: tuple[PageScan, ...]


@dataclass(frozen=True)
class _Kept:
    """What stays of a page once it is read: all that the later steps need, and compact."""

    result: PageResult
    reasons: tuple[Reason, ...]
    scan: PageScan


def process_capture(
    data: bytes, *, engine: OcrEngine, config: ProcessConfig, model: TypeModel | None
) -> Processed:
    """Rasterise, OCR, classify, extract and verify one file; bad input gets a reasoned verdict.

    Without a ``model`` no document can be typed: each goes to review as ``UNKNOWN_TYPE``.
    A file refused whole (empty, unreadable, encrypted, too large, ...) has no pages and its
    one reason; a PDF with active content or attached files is read and goes to review with
    that reason; a page refused alone (too slow to read) stays in, unread, with its reason.

    Pages are made, read and reduced to what the later steps need one at a time, so the
    memory a capture takes does not grow with its pages: a decoded 300 dpi page is about
    9 MB in grey, and the page limit is in the hundreds.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    sha256 = hashlib.sha256(data).hexdigest()
    media_type = sniff(data)
    try:
        if len(data) > config.max_file_bytes:
            raise Rejected(ReasonCode.FILE_TOO_LARGE, f"{len(data)} bytes")
        with timed(timings, "rasterise"):
            rasterised = rasterise(
                data,
                dpi=config.dpi,
                max_pages=config.max_pages,
                max_pixels=config.max_image_pixels,
                render_seconds=config.page_time_limit,
            )
        # A page that cannot be made refuses the whole file, as one that fails the checks.
        kept = [
            _kept(page, engine=engine, config=config, timings=timings)
            for page in _made(rasterised.pages, timings)
        ]
    except Rejected as rejected:
        verdict = Verdict.of((Reason(ReasonCode(rejected.reason)),))
        timings["total"] = round((time.perf_counter() - start) * 1000, 1)
        result = CaptureResult(sha256, media_type, (), (), verdict, timings)
        return Processed(result=result, images=())

    media_type = rasterised.media_type
    found = tuple(Reason(code) for code in rasterised.findings)
    pages = [k.result for k in kept]
    document = assess_document(
        0,
        pages,
        found + tuple(r for k in kept for r in k.reasons),
        model=model,
        types=config.types,
        timings=timings,
    )
    verdict = document.verdict
    timings["total"] = round((time.perf_counter() - start) * 1000, 1)
    result = CaptureResult(sha256, media_type, tuple(pages), (document,), verdict, timings)
    return Processed(result=result, images=tuple(k.scan for k in kept))


def _made(pages: Iterable[PageImage], timings: dict[str, float]) -> Iterator[PageImage]:
    """The pages as they are made, the time it takes counted as rasterising."""
    made = iter(pages)
    while True:
        with timed(timings, "rasterise"):
            page = next(made, None)
        if page is None:
            return
        yield page


def _kept(
    page: PageImage, *, engine: OcrEngine, config: ProcessConfig, timings: dict[str, float]
) -> _Kept:
    """The page read, and what stays of it (its normalised image goes when this returns).

    The signature is looked for here, on the page as read, once.
    """
    analysed = _analysed(page, engine=engine, config=config, timings=timings)
    image = analysed.image
    result = analysed.result
    if not result.blank and result.ocr.words:
        with timed(timings, "signature"):
            result = replace(result, signed=is_signed(page_text(result), image.image))
    with timed(timings, "keep"):
        scan = scan_of(image)
    return _Kept(result=result, reasons=analysed.reasons, scan=scan)


def _analysed(
    page: PageImage, *, engine: OcrEngine, config: ProcessConfig, timings: dict[str, float]
) -> AnalysedPage:
    """The page through every stage; unread, with the reason, when it is refused alone."""
    try:
        return analyse_page(page, engine=engine, config=config, timings=timings)
    except Rejected as rejected:  # the engine's per-page time limit
        width, height = page.image.size
        result = PageResult(page.number, width, height, page.dpi, NO_TEXT, blank=False)
        reason = Reason(ReasonCode(rejected.reason), page.number)
        return AnalysedPage(result=result, image=page, reasons=(reason,))
