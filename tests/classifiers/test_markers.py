"""Page markers in the three languages, and the pages a document's markers say are missing."""

from __future__ import annotations

import pytest

from classifiers.markers import find_marker, missing_pages
from classifiers.text import PageText


def page(number: int, text: str) -> PageText:
    return PageText(number=number, text=text, tokens=(), width=2480, height=3508)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Allkiri: ____\nLk 1/3", (1, 3)),
        ("Leht 2 (2)", (2, 2)),
        ("Page 1 of 3", (1, 3)),
        ("Стр. 1 из 2", (1, 2)),
        ("стр. 2/2", (2, 2)),
        ("LK. 2 / 3", (2, 3)),
        ("Allkiri:\nLk 212", (2, 2)),
        ("Стр. 1I2", (1, 2)),
    ],
)
def test_a_marker_is_read(text: str, expected: tuple[int, int]) -> None:
    found = find_marker(page(7, text))
    assert found is not None
    assert (found.number, found.total, found.page) == (*expected, 7)


@pytest.mark.parametrize(
    "text", ["vt lk 5-7", "Lk 4/3", "12.03.2024", "kokku 1/2 osa", "Lk 312", "lk 1234"]
)
def test_no_marker_where_there_is_none(text: str) -> None:
    assert find_marker(page(1, text)) is None


def test_a_gap_in_the_markers_is_missing_after_the_page_before_it() -> None:
    pages = [page(1, "Lk 1/3"), page(2, "Lk 3/3")]
    assert missing_pages(pages) == {1: (2,)}


def test_a_last_page_missing_is_found_from_the_count() -> None:
    assert missing_pages([page(4, "Page 1 of 2")]) == {4: (2,)}


def test_a_complete_document_misses_nothing() -> None:
    pages = [page(1, "Стр. 1 из 2"), page(2, "Стр. 2 из 2")]
    assert missing_pages(pages) == {}
    assert missing_pages([page(1, "no markers here")]) == {}


def test_a_page_whose_marker_was_not_read_fills_the_gap() -> None:
    # Given two pages of two where OCR lost the second page's marker
    pages = [page(1, "Lk 1/2"), page(2, "Allkiri: ... Lk 2/Z")]
    # Then nothing is missing: the unmarked page is the second
    assert missing_pages(pages) == {}
    # But one unmarked page cannot fill two gaps
    assert missing_pages([page(1, "Lk 1/4"), page(2, "no marker")]) == {1: (2, 3, 4)}
