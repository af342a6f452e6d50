"""OCR every page with the engine given, in the languages the page needs."""

from __future__ import annotations

from pipeline.engines.base import OcrEngine
from pipeline.model import PageImage, PageOcr


def ocr_page(page: PageImage, *, engine: OcrEngine, languages: str) -> PageOcr:
    """Recognise one page.  Language choice per script comes with the page-analysis stage."""
    return engine.recognise(page.image, languages=languages, dpi=page.dpi)
