"""process_capture(): the one straight-line function that sequences the stages."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from classifiers.fields import PersonCode, find_person_codes
from config.errors import Rejected
from config.settings import ProcessConfig
from pipeline.engines.base import OcrEngine
from pipeline.model import (
    CaptureResult,
    Document,
    Fields,
    PageImage,
    PageResult,
    Reason,
    ReasonCode,
    Verdict,
)
from pipeline.stages.ocr import ocr_page
from pipeline.stages.rasterise import rasterise, sniff
from pipeline.stages.verify import verify

UNKNOWN_TYPE = "unknown"


@dataclass(frozen=True)
class Processed:
    """The result of a capture and the page images it was read from."""

    result: CaptureResult
    images: tuple[PageImage, ...]


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + (time.perf_counter() - start) * 1000, 1)


def process_capture(data: bytes, *, engine: OcrEngine, config: ProcessConfig) -> Processed:
    """Rasterise, OCR, extract and verify one file; bad input becomes a reasoned verdict."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    sha256 = hashlib.sha256(data).hexdigest()
    media_type = sniff(data)
    try:
        if len(data) > config.max_file_bytes:
            raise Rejected(ReasonCode.FILE_TOO_LARGE, f"{len(data)} bytes")
        with _timed(timings, "rasterise"):
            media_type, images = rasterise(
                data,
                dpi=config.dpi,
                max_pages=config.max_pages,
                max_pixels=config.max_image_pixels,
            )
    except Rejected as rejected:
        verdict = Verdict.of((Reason(ReasonCode(rejected.reason)),))
        timings["total"] = round((time.perf_counter() - start) * 1000, 1)
        result = CaptureResult(sha256, media_type, (), (), verdict, timings)
        return Processed(result=result, images=())

    pages: list[PageResult] = []
    with _timed(timings, "ocr"):
        for image in images:
            page_ocr = ocr_page(image, engine=engine, languages=config.languages)
            width, height = image.image.size
            pages.append(
                PageResult(
                    number=image.number, width=width, height=height, dpi=image.dpi, ocr=page_ocr
                )
            )
    with _timed(timings, "extract"):
        codes = _person_codes(pages)
        verdict = verify(pages)
        document = Document(
            index=0,
            pages=tuple(p.number for p in pages),
            document_type=UNKNOWN_TYPE,
            type_confidence=0.0,
            fields=Fields(person_codes=codes),
            verdict=verdict,
        )
    timings["total"] = round((time.perf_counter() - start) * 1000, 1)
    result = CaptureResult(sha256, media_type, tuple(pages), (document,), verdict, timings)
    return Processed(result=result, images=images)


def _person_codes(pages: list[PageResult]) -> tuple[PersonCode, ...]:
    """Valid person codes of all pages, each once, with the first page it appears on."""
    seen: dict[str, PersonCode] = {}
    for page in pages:
        for code in find_person_codes(page.ocr.text, page=page.number):
            seen.setdefault(code.value, code)
    return tuple(seen.values())
