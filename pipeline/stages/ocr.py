"""OCR every page with the engine given, in the languages the page needs."""

from __future__ import annotations

import unicodedata

from pipeline.engines.base import OcrEngine
from pipeline.model import PageImage, PageOcr


def ocr_page(
    page: PageImage, *, engine: OcrEngine, languages: str, time_limit: float = 0.0
) -> PageOcr:
    """Recognise one page with Tesseract's ``+``-joined ``languages``."""
    return engine.recognise(page.image, languages=languages, dpi=page.dpi, time_limit=time_limit)


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


# Cyrillic letters and the Latin letters they look like, in the same order.
_CYRILLIC_TO_LATIN = dict(zip("аеорсухАВЕКМНОРСТХ", "aeopcyxABEKMHOPCTX", strict=True))  # noqa: RUF001
_LATIN_TO_CYRILLIC = {latin: cyrillic for cyrillic, latin in _CYRILLIC_TO_LATIN.items()}


def _script_letters(word: str) -> tuple[int, int]:
    latin = cyrillic = 0
    for char in word:
        if char.isalpha():
            name = unicodedata.name(char, "")
            cyrillic += name.startswith("CYRILLIC")
            latin += name.startswith("LATIN")
    return latin, cyrillic


def tidy_word(word: str, *, page_script: str | None) -> str:
    """Mend OCR slips no reader makes: look-alike letters of the other script, ``|`` for I.

    A word mixing Latin and Cyrillic letters takes the look-alikes into its main script (the
    page's when even); a lone ``|`` in running text is the capital I.
    """
    if word == "|":
        return "I"
    latin, cyrillic = _script_letters(word)
    if not (latin and cyrillic) and not (len(word) == 1 and page_script is not None):
        return word
    if (
        latin > cyrillic
        or (latin == cyrillic and page_script == "Latin")
        or (len(word) == 1 and page_script == "Latin")
    ):
        table = _CYRILLIC_TO_LATIN
    else:
        table = _LATIN_TO_CYRILLIC
    return "".join(table.get(char, char) for char in word)
