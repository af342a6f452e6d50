# Russian month names are meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""find_dates reads numeric and written dates in three languages as real ISO dates only."""

from __future__ import annotations

import pytest

from classifiers.dates import DateMatch, find_dates, month_number


def isos(text: str) -> list[str]:
    return [d.iso for d in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        pytest.param("05.03.2024", "2024-03-05", id="dd.mm.yyyy"),
        pytest.param("5.3.2024", "2024-03-05", id="d.m.yyyy"),
        pytest.param("05/03/2024", "2024-03-05", id="dd/mm/yyyy"),
        pytest.param("05-03-2024", "2024-03-05", id="dd-mm-yyyy"),
        pytest.param("05. 03. 2024", "2024-03-05", id="spaces-after-the-dots"),
        pytest.param("29.02.2024", "2024-02-29", id="leap-day"),
        pytest.param("5. märts 2024", "2024-03-05", id="est-nominative"),
        pytest.param("5. märtsil 2024", "2024-03-05", id="est-adessive"),
        pytest.param("12. detsembril 2023. a", "2023-12-12", id="est-adessive-long"),
        pytest.param("1. jaanuari 1990", "1990-01-01", id="est-genitive"),
        pytest.param("3. mail 2021", "2021-05-03", id="est-may"),
        pytest.param("5. marts 2024", "2024-03-05", id="est-without-diacritic"),
        pytest.param("5 марта 2024 г.", "2024-03-05", id="rus-genitive"),
        pytest.param("«05» сентября 2022 г.", "2022-09-05", id="rus-quoted-day"),
        pytest.param("1 мая 2020", "2020-05-01", id="rus-may"),
        pytest.param("5 March 2024", "2024-03-05", id="eng-day-first"),
        pytest.param("5th of March 2024", "2024-03-05", id="eng-ordinal"),
        pytest.param("March 5, 2024", "2024-03-05", id="eng-month-first"),
        pytest.param("Sept. 30, 2019", "2019-09-30", id="eng-abbreviated"),
        pytest.param("5 Marcb 2024", "2024-03-05", id="one-ocr-error-in-month"),
    ],
)
def test_a_date_is_read_as_iso(text: str, iso: str) -> None:
    # When a date is read in a sentence
    line = f"Kuupäev {text} ja muu"
    found = find_dates(line)

    # Then it is that day, spanning the date up to a year's "g." or "a"
    assert [d.iso for d in found] == [iso]
    read = line[found[0].start : found[0].end]
    assert found[0].start == len("Kuupäev ")
    assert text.startswith(read)
    assert len(read) >= len(text) - len(" г.")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("31.02.2024", id="february-31"),
        pytest.param("29.02.2023", id="february-29-not-leap"),
        pytest.param("00.01.2024", id="day-zero"),
        pytest.param("12.13.2024", id="month-13"),
        pytest.param("01.01.1899", id="before-1900"),
        pytest.param("01.01.2101", id="after-2100"),
        pytest.param("31. aprill 2024", id="april-31-written"),
        pytest.param("30 февраля 2024", id="february-30-russian"),
        pytest.param("5 Tamm 2024", id="no-month-name"),
        pytest.param("05.03/2024", id="mixed-separators"),
        pytest.param("05.03.24", id="two-digit-year"),
        pytest.param("105.03.2024", id="inside-a-longer-number"),
        pytest.param("05.03.20245", id="year-too-long"),
        pytest.param("1.05.03.2024", id="after-a-number-and-dot"),
    ],
)
def test_an_impossible_or_malformed_date_is_not_read(text: str) -> None:
    # Then nothing is read
    assert find_dates(f"Kuupäev {text}") == ()


def test_several_dates_in_a_line_are_read_in_order_and_spans() -> None:
    # Given a range and a written date on one line
    text = "alates 01.05.2024-30.04.2025, otsus 5. märtsil 2024"

    # When dates are read
    found = find_dates(text)

    # Then each is read with its exact span
    assert found == (
        DateMatch(7, 17, "2024-05-01"),
        DateMatch(18, 28, "2025-04-30"),
        DateMatch(36, 51, "2024-03-05"),
    )
    assert [text[d.start : d.end] for d in found][2] == "5. märtsil 2024"


def test_a_sentence_end_after_a_date_is_fine() -> None:
    assert isos("Sündinud 01.02.1990.") == ["1990-02-01"]


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("veebruaril", 2),
        ("Октября", 10),
        ("dets.", 12),
        ("august", 8),
        ("Mai", 5),
        ("tamm", None),
        ("ma", None),
    ],
)
def test_month_names(word: str, month: int | None) -> None:
    assert month_number(word) == month
