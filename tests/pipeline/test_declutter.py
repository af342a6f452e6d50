"""declutter: what is not the page's own print leaves the copy OCR reads; print stays."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

from pipeline.corpus import fonts
from pipeline.engines.base import OcrEngine
from pipeline.stages.declutter import declutter
from tests.fixtures.records import text_page

SIZE = (1700, 900)
FRONT = ["The application may be submitted by post", "or at a customer service office."]
BACK = ["Taotluse saab esitada posti teel voi", "klienditeenindusse tulles kohapeal."]


def with_show_through(front: Image.Image, back_grey: int) -> Image.Image:
    """``front`` with the back's print, mirrored and greyed, showing through between its lines."""
    back = ImageOps.mirror(text_page(BACK, SIZE, font_size=44, margin=130, line_height=200))
    pixels = np.minimum(np.asarray(front), np.where(np.asarray(back) < 128, back_grey, 255))
    return Image.fromarray(pixels.astype(np.uint8))


def test_print_from_the_back_showing_through_is_taken_out(engine: OcrEngine) -> None:
    front = text_page(FRONT, SIZE, font_size=44, margin=100, line_height=200)
    page = with_show_through(front, back_grey=150)
    clean = np.asarray(declutter(page, dpi=300, char_height_px=32))
    # The grey of the back is gone; every dark pixel of the front is still there
    back_only = (np.asarray(page) == 150) & (np.asarray(front) == 255)
    assert back_only.sum() > 10_000
    assert (clean[back_only] == 255).all()
    assert (clean[np.asarray(front) < 100] < 100).all()
    text = engine.recognise(Image.fromarray(clean), languages="eng", dpi=300).text
    assert "customer service office" in text
    assert "esitada" not in text


def test_a_page_of_faint_print_alone_keeps_its_grey(engine: OcrEngine) -> None:
    # Faded toner is grey too; with no darker print beside it, it is the page's print
    faint = np.asarray(text_page(FRONT, SIZE, font_size=44, margin=100, line_height=200))
    page = Image.fromarray(np.where(faint < 128, 140, 255).astype(np.uint8))
    clean = declutter(page, dpi=300, char_height_px=32)
    assert np.array_equal(np.asarray(clean), np.asarray(page))


def test_a_large_bold_heading_stays_and_a_scribble_beside_it_goes(engine: OcrEngine) -> None:
    # Given a page with a heading three times the body's height, body text and a signature
    page = Image.new("L", SIZE, 255)
    draw = ImageDraw.Draw(page)
    draw.text((100, 60), "AVALDUS", font=ImageFont.truetype(fonts()[1], 130), fill=0)
    body = ImageFont.truetype(fonts()[0], 44)
    draw.text((100, 330), FRONT[0], font=body, fill=0)
    draw.text((100, 430), FRONT[1], font=body, fill=0)
    scribble = [(1000 + 12 * i, 700 + int(90 * np.sin(i / 2.5))) for i in range(45)]
    draw.line(scribble, fill=0, width=5)
    # When it is decluttered for OCR
    clean = declutter(page, dpi=300, char_height_px=32)
    # Then the heading is still there to read, and the scribble is gone
    grey = np.asarray(clean)
    assert (grey[60:260, 100:900] < 100).sum() > 0.9 * (
        np.asarray(page)[60:260, 100:900] < 100
    ).sum()
    assert (grey[600:800, 990:1560] < 100).sum() == 0
    assert "AVALDUS" in engine.recognise(clean, languages="est", dpi=300).text
