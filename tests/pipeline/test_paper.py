"""Paper is evened to white wherever it lies; print keeps its darkness, headings included."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.corpus import fonts
from pipeline.stages.paper import evened

DPI = 300


def _page(paper: float, gradient: float) -> np.ndarray:
    """An A5-ish page of grey paper lit unevenly, with body text and a big bold heading."""
    image = Image.new("L", (1748, 1240), 255)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(fonts()[1], 240)  # DejaVu Sans Bold, 20 mm: strokes near 4 mm
    body = ImageFont.truetype(fonts()[0], 40)
    draw.text((100, 60), "AVALDUS", font=bold, fill=0)
    for line in range(12):
        draw.text((100, 360 + 60 * line), "Palun määrata mulle pension alates", font=body, fill=0)
    clean = np.asarray(image, dtype=np.float32) / 255.0
    ramp = np.linspace(-gradient, gradient, clean.shape[1])[None, :]
    return np.clip(30 + (paper - 30) * clean + ramp, 0, 255).astype(np.uint8)


def test_grey_unevenly_lit_paper_becomes_white_and_the_print_stays_dark() -> None:
    # Given grey paper (grey 175) lit 25 levels brighter on one side than the other
    page = _page(175, 25)
    ink = _page(255, 0) < 128
    # When it is evened
    even = evened(page, DPI)
    # Then the paper is near white on both sides, and the print far darker than it
    paper = even[~ink]
    assert np.percentile(paper, 5) > 225
    assert np.median(even[:, :300][~ink[:, :300]]) > 245
    assert np.median(even[:, -300:][~ink[:, -300:]]) > 245
    assert np.percentile(even[ink], 50) < 70


def test_a_large_bold_heading_is_not_taken_for_paper() -> None:
    # Given a heading whose strokes are far wider than body text's
    page = _page(200, 0)
    heading = _page(255, 0)[:330] < 128
    # When the page is evened, the heading's strokes stay as dark as the body's print
    even = evened(page, DPI)
    assert np.percentile(even[:330][heading], 90) < 80


def test_white_paper_is_left_as_it_is() -> None:
    page = _page(255, 0)
    assert np.array_equal(evened(page, DPI), page)


def test_a_copiers_streaks_down_the_page_are_taken_out_and_tall_letters_stay() -> None:
    # Given grey paper with thin dark streaks down it every few pixels (a dirty drum), and
    # lines of print full of tall letters ("l", "I", "|")
    image = Image.new("L", (1748, 1240), 255)
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype(fonts()[0], 40)
    for line in range(14):
        draw.text(
            (100, 80 + 75 * line), "lilliputian Illinois | ballot little hill", font=body, fill=0
        )
    ink = np.asarray(image) < 128
    page = np.where(ink, 40.0, 200.0)
    columns = np.random.default_rng(3).random(page.shape[1]) < 0.25
    page[:, columns] -= 45  # streaks: a quarter of the columns, 45 levels darker
    # When it is evened
    even = evened(np.clip(page, 0, 255).astype(np.uint8), DPI)
    # Then the streaks are paper, and the print as dark as it was relative to its paper
    streak = np.zeros_like(ink)
    streak[:, columns] = True
    assert np.percentile(even[streak & ~ink], 10) > 225
    assert np.percentile(even[ink & ~streak], 90) < 80
    assert np.percentile(even[ink & streak], 90) < 80
