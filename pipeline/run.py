"""process_capture(): the one straight-line function that sequences the stages."""

from __future__ import annotations

import hashlib
import time
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
from pipeline.stages.analyse import analyse_page, timed
from pipeline.stages.rasterise import rasterise, sniff
from pipeline.stages.verify import verify

UNKNOWN_TYPE = "unknown"


@dataclass(frozen=True)
class Processed:
    """The result of a capture and the page images it was read from."""

    result: CaptureResult
    images: tuple[PageImage, ...]


def process_capture(data: bytes, *, engine: OcrEngine, config: ProcessConfig) -> Processed:
    """Rasterise, OCR, extract and verify one file; bad input becomes a reasoned verdict."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    sha256 = hashlib.sha256(data).hexdigest()
    media_type = sniff(data)
    try:
        if len(data) > config.max_file_bytes:
            raise Rejected(ReasonCode.FILE_TOO_LARGE, f"{len(data)} bytes")
        with timed(timings, "rasterise"):
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

    analysed = [
        analyse_page(image, engine=engine, config=config, timings=timings) for image in images
    ]
    pages = [a.result for a in analysed]
    with timed(timings, "extract"):
        content = [p for p in pages if not p.blank]
        codes = _person_codes(content)
        page_reasons = tuple(r for a in analysed for r in a.reasons)
        verdict = verify(pages, page_reasons)
        document = Document(
            index=0,
            pages=tuple(p.number for p in content),
            document_type=UNKNOWN_TYPE,
            type_confidence=0.0,
            fields=Fields(person_codes=codes),
            verdict=verdict,
        )
    timings["total"] = round((time.perf_counter() - start) * 1000, 1)
    result = CaptureResult(sha256, media_type, tuple(pages), (document,), verdict, timings)
    return Processed(result=result, images=tuple(a.image for a in analysed))


def _person_codes(pages: list[PageResult]) -> tuple[PersonCode, ...]:
    """Valid person codes of all pages, each once, with the first page it appears on."""
    seen: dict[str, PersonCode] = {}
    for page in pages:
        for code in find_person_codes(page.ocr.text, page=page.number):
            seen.setdefault(code.value, code)
    return tuple(seen.values())
