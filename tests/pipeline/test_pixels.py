from __future__ import annotations

import numpy as np
import pytest

from pipeline.stages.pixels import (
    MAX_ASSUMED_DPI,
    MIN_ASSUMED_DPI,
    assumed_dpi,
    negative,
    reduced,
)


@pytest.mark.parametrize(
    ("size", "dpi"),
    [
        ((2480, 3508), 300),  # A4 at 300 dpi, either way round
        ((3508, 2480), 300),
        ((640, 640), 77),  # a square crop of a letter: its width is the page's
        ((1240, 1754), 150),
        ((100, 140), MIN_ASSUMED_DPI),
        ((9000, 12000), MAX_ASSUMED_DPI),
    ],
)
def test_an_image_without_resolution_is_taken_for_an_a4_scan(
    size: tuple[int, int], dpi: int
) -> None:
    assert assumed_dpi(size) == dpi


def test_a_coarse_image_without_resolution_is_analysed_at_its_own_size() -> None:
    coarse = np.full((640, 640), 255, np.uint8)
    fine = np.full((3508, 2480), 255, np.uint8)
    assert reduced(coarse, None)[1] == 1
    assert reduced(fine, None)[1] == 2


def _lines_of_print(ground: int, print_: int) -> np.ndarray:
    page = np.full((800, 600), ground, np.uint8)
    for top in range(100, 700, 40):
        page[top : top + 12, 60:540:3] = print_  # a line of letters
    return page


@pytest.mark.parametrize(
    ("ground", "print_", "expected"),
    [
        (30, 235, True),  # a slide: white print on black
        (70, 200, True),  # an inverted photocopy: light grey print on dark grey
        (240, 20, False),  # a plain page
        (90, 10, False),  # dark recycled paper with black print stays as it is
        (20, 20, False),  # an all-black page has no print to read
    ],
)
def test_light_print_on_a_dark_ground_is_a_negative_page(
    ground: int, print_: int, expected: bool
) -> None:
    assert negative(_lines_of_print(ground, print_)) is expected
