# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""is_signed: pen ink by the signature label counts; the printed line and printed words do not."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from classifiers.text import PageText, Token
from pipeline.document import page_text
from pipeline.engines.base import OcrEngine
from pipeline.model import PageResult
from pipeline.stages.signature import is_signed
from tests.fixtures.records import text_page

SIZE = (1800, 700)


def form(label: str, *, signed: bool) -> Image.Image:
    """A form foot: a date line, the label, a printed line to sign on, perhaps a signature."""
    image = text_page(
        ["Kuupäev: 12.03.2024", f"{label}"], SIZE, font_size=44, margin=100, line_height=200
    )
    draw = ImageDraw.Draw(image)
    draw.line((420, 345, 1300, 345), fill=0, width=3)  # the printed line to sign on
    if signed:
        points = [(480 + 12 * i, 330 - (35 if i % 4 < 2 else -5) + (i % 3) * 6) for i in range(60)]
        draw.line(points, fill=20, width=4)
    return image


def read(image: Image.Image, engine: OcrEngine) -> PageText:
    ocr = engine.recognise(image, languages="est+eng+rus", dpi=300)
    return page_text(PageResult(1, image.width, image.height, 300, ocr))


@pytest.mark.parametrize("label", ["Allkiri:", "Signature:", "Подпись:"])
def test_a_signature_by_the_label_is_found(label: str, engine: OcrEngine) -> None:
    image = form(label, signed=True)
    assert is_signed(read(image, engine), image) is True


@pytest.mark.parametrize("label", ["Allkiri:", "Signature:", "Подпись:"])
def test_an_empty_line_by_the_label_is_unsigned(label: str, engine: OcrEngine) -> None:
    image = form(label, signed=False)
    assert is_signed(read(image, engine), image) is False


def test_a_page_without_a_signature_label_says_nothing() -> None:
    image = Image.new("L", SIZE, 255)
    page = PageText(1, "Kuupäev", (Token("Kuupäev", (100, 100, 300, 150), 1),), *SIZE)
    assert is_signed(page, image) is None


def test_a_sentence_that_begins_with_the_word_is_no_label(engine: OcrEngine) -> None:
    # Given running text whose line begins with "подписью," (with a signature), and ink by it
    image = text_page(
        ["подписью, а также иными способами,", "предусмотренными законом."],
        SIZE,
        font_size=44,
        margin=100,
        line_height=200,
    )
    ImageDraw.Draw(image).line([(1000, 90), (1200, 160), (1300, 100)], fill=20, width=4)
    # Then the page has no signature label at all: nothing to say
    assert is_signed(read(image, engine), image) is None


def test_a_label_whose_colon_was_read_as_a_semicolon_is_a_label() -> None:
    image = form("Allkiri:", signed=True)
    page = PageText(1, "Allkiri;", (Token("Allkiri;", (100, 300, 300, 350), 1),), *SIZE)
    assert is_signed(page, image) is True


def test_a_faint_line_of_underscores_is_no_signature(engine: OcrEngine) -> None:
    # Given an empty line to sign on printed as grey dashes, as a thin line scans
    image = form("Signature:", signed=False)
    draw = ImageDraw.Draw(image)
    draw.rectangle((400, 330, 1320, 360), fill=255)
    for x in range(420, 1300, 22):
        draw.line((x, 345, x + 18, 345), fill=150, width=2)
    assert is_signed(read(image, engine), image) is False


def test_an_office_stamp_below_the_line_is_no_signature(engine: OcrEngine) -> None:
    # Given an unsigned line and a round grey stamp whose top reaches up to the line
    image = form("Allkiri:", signed=False)
    draw = ImageDraw.Draw(image)
    draw.ellipse((700, 380, 1060, 740), outline=120, width=8)
    for i in range(12):
        draw.line((850 + 6 * i, 420, 850 + 6 * i, 450), fill=120, width=3)  # the ring's ticks
    assert is_signed(read(image, engine), image) is False
    # And a pen signature on the same line is still found beside it
    signed = form("Allkiri:", signed=True)
    ImageDraw.Draw(signed).ellipse((700, 380, 1060, 740), outline=120, width=8)
    assert is_signed(read(signed, engine), signed) is True


def test_a_signature_across_a_table_rule_is_still_a_signature(engine: OcrEngine) -> None:
    # Given a signature in a table cell whose vertical rule it crosses, top to bottom
    image = form("Allkiri:", signed=True)
    ImageDraw.Draw(image).line((700, 0, 700, SIZE[1]), fill=0, width=3)
    assert is_signed(read(image, engine), image) is True


def initialled(*, signed: bool) -> Image.Image:
    """A declaration's foot with a long line to sign on, perhaps initialled in two strokes."""
    lines = [
        "Kinnitan, et esitatud andmed on õiged",
        "ja olen teadlik oma vastutusest.",
        "Kuupäev: 12.03.2024",
        "Allkiri:",
    ]
    image = text_page(lines, (1800, 900), font_size=44, margin=100, line_height=130)
    draw = ImageDraw.Draw(image)
    base = 535  # the line to sign on, at the label's foot
    draw.line((300, base, 1300, base), fill=0, width=3)
    if signed:  # a hook above the line, then a wave through it, the pen lifted between
        hook = [(410, base - 37), (435, base - 45), (458, base - 5), (470, base - 43)]
        wave = [(486, base + 17), (500, base - 27), (516, base + 13), (530, base - 23)]
        draw.line(hook, fill=25, width=5)
        draw.line([*wave, (536, base - 29)], fill=25, width=5)
        draw.ellipse((478, base + 39, 486, base + 47), fill=25)
    return image


def test_small_initials_on_a_long_line_are_a_signature(engine: OcrEngine) -> None:
    # Given initials in two strokes, one through the line, that OCR reads as a tall "Ум" and
    # whose label's box it stretches; the line is long, so they cover little of it
    image = initialled(signed=True)
    # Then they are found, and the same line left empty is not signed
    assert is_signed(read(image, engine), image) is True
    empty = initialled(signed=False)
    assert is_signed(read(empty, engine), empty) is False


LETTER = [
    "Lugupeetud härra Tamm,",
    "Saadan teile taotluse koos lisadega ja palun",
    "otsuse saata minu postiaadressile.",
    "Lugupidamisega",
]


def letter(*, signed: bool) -> Image.Image:
    """A letter signed above the typed name, with no signature label anywhere."""
    lines = [*LETTER, "", "Mari Maasikas"]
    image = text_page(lines, (1800, 1400), font_size=44, margin=100, line_height=100)
    if signed:  # between "Lugupidamisega" (y 400) and the name (y 600)
        points = [(140 + 14 * i, 545 - (40 if i % 5 < 2 else -10) + (i % 3) * 8) for i in range(40)]
        ImageDraw.Draw(image).line(points, fill=25, width=4)
    return image


def test_a_letter_signed_above_the_typed_name_is_signed(engine: OcrEngine) -> None:
    # Given a letter without a signature label, signed in pen above the typed name
    image = letter(signed=True)
    # Then the signature is found where it is
    assert is_signed(read(image, engine), image) is True


def test_a_letter_without_label_or_pen_says_nothing(engine: OcrEngine) -> None:
    # Given the same letter unsigned: print alone is no signature, and there is no label
    image = letter(signed=False)
    assert is_signed(read(image, engine), image) is None


def test_a_long_label_with_two_letters_misread_is_a_label() -> None:
    # Given OCR's "Полппись:" for "Подпись:" on a photocopy, and a pen signature by it
    image = form("Подпись:", signed=True)
    page = PageText(1, "Полппись:", (Token("Полппись:", (100, 300, 300, 350), 1),), *SIZE)
    assert is_signed(page, image) is True
