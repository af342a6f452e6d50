"""Judging a page's legibility from its measures and what OCR read of it."""

from __future__ import annotations

import pytest

from config.settings import LegibilityConfig
from pipeline.model import PageOcr, ReasonCode
from pipeline.stages.legibility import Measures, judge

LIMITS = LegibilityConfig()
TEXT = "Avaldus vanaduspensioni määramiseks " * 20


def codes(char_height_px: float, confidence: float | None) -> list[ReasonCode]:
    measures = Measures(
        contrast=200.0, sharpness=1.2, char_height_px=char_height_px, cut_components=0,
        characters=400,
    )  # fmt: skip
    ocr = PageOcr(text=TEXT, words=(), confidence=confidence, languages="est")
    return [r.code for r in judge(measures, ocr=ocr, page=1, limits=LIMITS)]


@pytest.mark.parametrize("confidence", [0.95, 0.4, None])
def test_characters_no_one_reads_are_low_resolution_whatever_ocr_says(
    confidence: float | None,
) -> None:
    # Given characters of 5 px, a 40 dpi scan's, Then the page is coarse, however it read
    assert codes(5.0, confidence) == [ReasonCode.LOW_RESOLUTION]


def test_small_characters_that_ocr_reads_surely_are_legible() -> None:
    # Given characters of 8 px (a 100 dpi fax), read at 0.9, Then nothing is wrong
    assert codes(8.0, 0.9) == []


def test_small_characters_that_ocr_cannot_read_are_low_resolution() -> None:
    # Given the same characters read at 0.5, Then the page is coarse, not merely unsure
    assert codes(8.0, 0.5) == [ReasonCode.LOW_RESOLUTION]


def test_characters_of_a_good_size_read_unsurely_are_low_ocr_confidence() -> None:
    assert codes(12.0, 0.5) == [ReasonCode.LOW_OCR_CONFIDENCE]
    assert codes(12.0, 0.9) == []
