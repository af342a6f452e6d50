"""The in-process engine reads a page in several languages without losing the first's letters."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw, ImageFont

from pipeline.corpus import fonts, person_code, render_document
from pipeline.engines.base import OcrEngine
from pipeline.engines.tesser import TesserocrEngine

MARKS = set("õäöüšžÕÄÖÜŠŽ")
ENGLISH = [
    "The applicant has worked abroad for many years and asks",
    "that the pension be paid to the new bank account from the",
    "first day of the next month, without a further application.",
    "Please send the decision to the address given above, and",
    "call the office if any document is still missing or unclear.",
]


def _letters(text: str, letters: set[str]) -> int:
    return sum(text.count(c) for c in letters)


def test_an_estonian_page_read_also_in_english_keeps_its_umlauts(engine: OcrEngine) -> None:
    # Given the first page of the repo's own Estonian pension application on which Tesseract,
    # asked for "est+eng", took most words for English and read "Väljamakse" as "Valjamakse"
    rng = random.Random("seed1")
    sample = render_document(
        rng, pages=2, language="est", person_codes=[person_code(rng)], signed=True, template=0
    )
    page, truth = sample.pages[0], sample.truth[0].text
    # When it is read in Estonian and English, as a Latin page is
    text = engine.recognise(page, languages="est+eng", dpi=300).text
    # Then (nearly) every marked letter is read as written
    assert _letters(truth, MARKS) >= 8
    assert _letters(text, MARKS) >= 0.95 * _letters(truth, MARKS)


def test_an_english_page_read_also_in_estonian_gains_no_marks(engine: OcrEngine) -> None:
    # Given a plain English page
    image = Image.new("L", (2480, 900), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(fonts()[0], 42)
    for row, line in enumerate(ENGLISH):
        draw.text((150, 150 + 80 * row), line, font=font, fill=0)
    # When it is read in Estonian and English
    text = engine.recognise(image, languages="est+eng", dpi=300).text
    # Then its words are read without letters the English text does not have
    assert _letters(text, MARKS) == 0
    assert "application" in text and "abroad" in text


def test_tesseracts_own_defaults_read_each_word_once() -> None:
    # Given the Estonian page that Tesseract alone reads with English words in it
    rng = random.Random("seed1")
    sample = render_document(
        rng, pages=2, language="est", person_codes=[person_code(rng)], signed=True, template=0
    )
    page, truth = sample.pages[0], sample.truth[0].text
    # When the benchmark's bare baseline (Tesseract's own defaults) reads it
    bare = TesserocrEngine(tuned=False)
    try:
        text = bare.recognise(page, languages="est+eng", dpi=300).text
    finally:
        bare.close()
    # Then no word is read again: marked letters are lost as Tesseract alone loses them
    assert _letters(text, MARKS) < 0.95 * _letters(truth, MARKS)
