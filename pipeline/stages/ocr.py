"""OCR every page with the engine given, in the languages the page needs."""

from __future__ import annotations

import unicodedata

from pipeline.engines.base import OcrEngine
from pipeline.model import PageImage, PageOcr


def ocr_page(page: PageImage, *, engine: OcrEngine, languages: str) -> PageOcr:
    """Recognise one page with Tesseract's ``+``-joined ``languages``."""
    return engine.recognise(page.image, languages=languages, dpi=page.dpi)


def script_of(text: str, *, share: float = 0.6) -> str | None:
    """``"Cyrillic"`` or ``"Latin"`` when that many of the letters are of the script."""
    latin = cyrillic = 0
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("CYRILLIC"):
                cyrillic += 1
            elif name.startswith("LATIN"):
                latin += 1
    total = latin + cyrillic
    if total < 20:
        return None
    if cyrillic >= share * total:
        return "Cyrillic"
    if latin >= share * total:
        return "Latin"
    return None
