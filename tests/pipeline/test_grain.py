"""grain: a grainy page is told from print, and its levelled lines say which way is up."""

from __future__ import annotations

import random

import numpy as np

from pipeline.corpus import ScanSpec, render_document, scan_page
from pipeline.stages.grain import fit_grainy, is_grainy, margin_cue, upright_score
from pipeline.stages.pixels import Gray, gray_of, ink_of, reduced


def _small(seed: int, spec: ScanSpec, language: str = "est") -> tuple[Gray, int]:
    rng = random.Random(seed)
    sample = render_document(rng, pages=1, language=language)
    image, _ = scan_page(sample.pages[0], sample.truth[0], rng, spec)
    small, factor = reduced(gray_of(image), 300)
    return small, 300 // factor


def test_severe_grain_is_grainy_and_clean_print_is_not() -> None:
    # Given the same form scanned cleanly and under severe noise
    clean, dpi = _small(11, ScanSpec())
    noisy, _ = _small(11, ScanSpec(degradations=(("noise", "severe"),)))
    # Then only the noisy scan counts as grain
    assert not is_grainy(ink_of(clean, dpi=dpi), shape=clean.shape, dpi=dpi)
    assert is_grainy(ink_of(noisy, dpi=dpi), shape=noisy.shape, dpi=dpi)


def test_the_upright_score_changes_sign_when_the_page_is_turned_over() -> None:
    # Given a levelled grainy page, in Russian (fewer ascenders than Estonian)
    small, _ = _small(12, ScanSpec(degradations=(("noise", "severe"),)), language="rus")
    dark = (255 - small).astype(np.float32)
    # Then it scores upright, and upside down once turned over
    assert upright_score(dark) > 0
    assert upright_score(np.ascontiguousarray(dark[::-1, ::-1])) < 0


def test_fit_finds_turn_and_skew_of_a_grainy_page() -> None:
    # Given a grainy English page turned 270° and skewed 3.2° on the glass
    spec = ScanSpec(rotation=270, skew_degrees=3.2, degradations=(("noise", "severe"),))
    small, _ = _small(13, spec, language="eng")
    # When it is fitted
    fit = fit_grainy(small)
    # Then turn and skew are found
    assert fit.rotation == 270
    assert abs(fit.skew_degrees - 3.2) < 0.2


def test_the_margin_cue_finds_the_left_margin_of_a_blurred_page() -> None:
    # Given a levelled, badly blurred page, where letter shapes are gone
    small, dpi = _small(14, ScanSpec(degradations=(("blur", "severe"),)), language="eng")
    dark = (255 - small).astype(np.float32)
    # Then its lines start at a common left edge: positive upright, negative turned over
    assert margin_cue(dark, dpi=dpi) > 0.1
    assert margin_cue(np.ascontiguousarray(dark[::-1, ::-1]), dpi=dpi) < -0.1
