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
