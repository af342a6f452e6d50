"""process_capture(): the one straight-line function that sequences the stages."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from classifiers.model import TypeModel
from config.errors import Rejected
from config.settings import ProcessConfig
from pipeline.document import assess_document
from pipeline.engines.base import OcrEngine
from pipeline.model import CaptureResult, PageImage, PageResult, Reason, ReasonCode, Verdict
from pipeline.stages.analyse import NO_TEXT, AnalysedPage, analyse_page, timed
from pipeline.stages.rasterise import rasterise, sniff


@dataclass(frozen=True)
class Processed:
    """The result of a capture and the page images it was read from."""

    result: CaptureResult
    images: tuple[PageImage, ...]


def process_capture(
    data: bytes, *, engine: OcrEngine, config: ProcessConfig, model: TypeModel | None
) -> Processed:
    """Rasterise, OCR, classify, extract and verify one file; bad input gets a reasoned verdict.

    Without a ``model`` no document can be typed: each goes to review as ``UNKNOWN_TYPE``.
    A file refused whole (empty, unreadable, encrypted, too large, ...) has no pages and its
    one reason; a PDF with active content or attached files is read and goes to review with
    that reason; a page refused alone (too slow to read) stays in, unread, with its reason.
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
    except Rejected as rejected:
        verdict = Verdict.of((Reason(ReasonCode(rejected.reason)),))
        timings["total"] = round((time.perf_counter() - start) * 1000, 1)
        result = CaptureResult(sha256, media_type, (), (), verdict, timings)
        return Processed(result=result, images=())

    media_type = rasterised.media_type
    found = tuple(Reason(code) for code in rasterised.findings)
    analysed = [
        _analysed(image, engine=engine, config=config, timings=timings)
        for image in rasterised.pages
    ]
    pages = [a.result for a in analysed]
    with timed(timings, "extract"):
        document = assess_document(
            0,
            pages,
            [a.image for a in analysed],
            found + tuple(r for a in analysed for r in a.reasons),
            model=model,
            types=config.types,
        )
        verdict = document.verdict
    timings["total"] = round((time.perf_counter() - start) * 1000, 1)
    result = CaptureResult(sha256, media_type, tuple(pages), (document,), verdict, timings)
    return Processed(result=result, images=tuple(a.image for a in analysed))


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
