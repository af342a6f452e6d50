"""Pages printed, photocopied and scanned (augraphy): reproducible, legible, truthful."""

from __future__ import annotations

import random
from functools import cache

import numpy as np
import pytest
from PIL import Image

from pipeline.corpus import (
    HELD_OUT,
    PRINT_COPY_FAMILIES,
    PageTruth,
    Sample,
    blank_page,
    print_copied,
    print_copy_page,
    render_document,
    scanned,
)
from pipeline.corpus._printcopy import MAX_SKEW
from pipeline.corpus._scan import ScanSpec

pytest.importorskip("augraphy")

DPI = 150  # a quarter of the pixels of the benchmark's 300 dpi: the same effects, faster


@cache
def document() -> Sample:
    return render_document(random.Random(3), language="eng", document_type="other", dpi=DPI)


@cache
def copied(family: str, seed: int = 5) -> tuple[Image.Image, PageTruth]:
    sample = document()
    return print_copy_page(sample.pages[0], sample.truth[0], random.Random(seed), family)


def grey(image: Image.Image) -> np.ndarray[tuple[int, int], np.dtype[np.float64]]:
    return np.asarray(image, dtype=np.float64)


@pytest.mark.parametrize("family", PRINT_COPY_FAMILIES)
def test_the_same_seed_gives_the_same_bytes(family: str) -> None:
    # Given a page, once copied from a seed (the copy the other tests share)
    sample = document()
    first, _ = copied(family, 5)
    # When it is copied again from the same seed
    second, _ = print_copy_page(sample.pages[0], sample.truth[0], random.Random(5), family)
    # Then the pixels are the same
    assert first.tobytes() == second.tobytes()


def test_another_seed_gives_another_page() -> None:
    assert copied("copy", 5)[0].tobytes() != copied("copy", 6)[0].tobytes()


def test_copying_leaves_the_callers_random_states_as_they_were() -> None:
    # Given the global random states in a known place
    random.seed(1)
    np.random.seed(1)
    expected = (random.random(), np.random.random())
    random.seed(1)
    np.random.seed(1)
    # When a page is copied (augraphy draws from those states)
    sample = document()
    print_copy_page(sample.pages[0], sample.truth[0], random.Random(9), "mild")
    # Then the next draws are the ones that would have come anyway
    assert (random.random(), np.random.random()) == expected


@pytest.mark.parametrize("family", PRINT_COPY_FAMILIES)
def test_the_page_keeps_its_size_and_resolution_and_its_truth_says_what_was_done(
    family: str,
) -> None:
    # Given a clean page, When it is printed, copied and scanned
    image, truth = copied(family)
    clean = document()
    # Then it is the same size and resolution, greyscale
    assert image.size == clean.pages[0].size
    assert image.info["dpi"] == (DPI, DPI)
    assert image.mode == "L"
    # And the truth names the family, keeps the text and stays legible without reasons
    assert truth.family == family
    assert truth.degradations == (f"print_copy:{family}",)
    assert truth.text == clean.truth[0].text
    assert truth.legible
    assert truth.reasons == ()
    assert truth.rotation == 0
    assert abs(truth.skew_degrees) <= MAX_SKEW


def test_only_the_held_out_family_is_held_out() -> None:
    assert frozenset({"copy_heldout"}) == HELD_OUT
    assert set(PRINT_COPY_FAMILIES) > HELD_OUT


def test_the_paper_greys_and_the_grain_grows_from_mild_to_copy_to_copy2() -> None:
    # Given the same page in the three strengths
    papers = {}
    grain = {}
    for family in ("mild", "copy", "copy2"):
        pixels = grey(copied(family)[0])
        papers[family] = np.percentile(pixels, 90)
        # the bottom margin: paper only, the grain is what varies
        grain[family] = pixels[-60:-20, 40:-40].std()
    # Then the paper is no longer white, and darker the more copies were made
    assert 215 < papers["mild"] < 250
    assert papers["copy2"] < papers["copy"] < papers["mild"]
    # And the grain grows with it
    assert grain["mild"] < grain["copy"] < grain["copy2"]


def test_the_ink_stays_dark_on_every_family() -> None:
    # A legible copy keeps its print clearly darker than its paper.
    for family in PRINT_COPY_FAMILIES:
        pixels = grey(copied(family)[0])
        assert np.percentile(pixels, 90) - np.percentile(pixels, 1) > 100, family


def test_a_copied_blank_sheet_shows_the_copiers_lines_along_the_sheet() -> None:
    # Given a blank sheet
    back, truth = blank_page(random.Random(2), dpi=DPI)
    # When it is copied twice (a copy of a copy: dirty drum and dirty rollers)
    image, copied_truth = print_copy_page(back, truth, random.Random(4), "copy2")
    mild, _ = print_copy_page(back, truth, random.Random(4), "mild")
    # Then its columns differ from each other (lines along the sheet's length), far more than
    # on a sheet that was only printed and scanned
    columns = grey(image)[40:-40, 40:-40].mean(axis=0)
    mild_columns = grey(mild)[40:-40, 40:-40].mean(axis=0)
    assert np.abs(np.diff(columns)).mean() > 3 * np.abs(np.diff(mild_columns)).mean()
    # And a blank page stays blank and legible
    assert copied_truth.blank
    assert copied_truth.legible


def test_print_copied_draws_as_much_as_scanned_so_the_next_documents_stay_the_same() -> None:
    # Given a two-page sample scanned duplex, once by the scanner model, once copied
    sample = render_document(random.Random(8), pages=2, dpi=DPI)
    scanner, copier = random.Random(1), random.Random(1)
    scanned(sample, scanner, [ScanSpec(), ScanSpec()], blank_backs=("clean", "dust"))
    copies = print_copied(sample, copier, "mild", blank_backs=("clean", "dust"))
    # Then both leave the stream in the same place
    assert scanner.random() == copier.random()
    # And the copy has every page and its back, each with its family
    assert len(copies.pages) == 4
    assert [t.blank for t in copies.truth] == [False, True, False, True]
    assert {t.family for t in copies.truth} == {"mild"}
    assert copies.truth[1].language == sample.truth[0].language


def test_an_unknown_family_is_refused() -> None:
    sample = document()
    with pytest.raises(ValueError, match="family"):
        print_copy_page(sample.pages[0], sample.truth[0], random.Random(1), "fax")
