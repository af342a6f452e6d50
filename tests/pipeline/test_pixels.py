from __future__ import annotations

import numpy as np
import pytest

from pipeline.stages.pixels import MAX_ASSUMED_DPI, MIN_ASSUMED_DPI, assumed_dpi, reduced


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
