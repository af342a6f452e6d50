# Russian month names are meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001, RUF002
"""Dates written on forms, read as ISO dates when they name a real calendar day.

Numeric dates (dd.mm.yyyy, d.m.yyyy, dd/mm/yyyy, dd-mm-yyyy) and dates with month names in
Estonian ("5. märtsil 2024"), Russian ("5 марта 2024 г.") and English ("5 March 2024",
"March 5, 2024").
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_FIRST_YEAR, _LAST_YEAR = 1900, 2100

# Full month names and their inflected forms; fuzzy reading (one error) compares with these.
_FULL: tuple[tuple[str, ...], ...] = (
    ("jaanuar", "jaanuari", "jaanuaril", "january", "январь", "января"),
    ("veebruar", "veebruari", "veebruaril", "february", "февраль", "февраля"),
    ("märts", "märtsi", "märtsil", "march", "март", "марта"),
    ("aprill", "aprilli", "aprillil", "april", "апрель", "апреля"),
    ("mai", "mail", "maini", "may", "май", "мая"),
    ("juuni", "juunil", "june", "июнь", "июня"),
    ("juuli", "juulil", "july", "июль", "июля"),
    ("august", "augusti", "augustil", "август", "августа"),
    ("september", "septembri", "septembril", "сентябрь", "сентября"),
    ("oktoober", "oktoobri", "oktoobril", "october", "октябрь", "октября"),
    ("november", "novembri", "novembril", "ноябрь", "ноября"),
    ("detsember", "detsembri", "detsembril", "december", "декабрь", "декабря"),
)  # fmt: skip
# Abbreviations, read exactly.
_SHORT: tuple[tuple[str, ...], ...] = (
    ("jaan", "jan", "янв"),
    ("veebr", "feb", "febr", "фев", "февр"),
    ("mar", "мар"),
    ("apr", "апр"),
    (),
    ("jun", "июн"),
    ("jul", "июл"),
    ("aug", "авг"),
    ("sept", "sep", "сен", "сент"),
    ("okt", "oct", "окт"),
    ("nov", "ноя", "нояб"),
    ("dets", "dec", "дек"),
)  # fmt: skip
_MONTHS = {
    form: number
    for number, forms in enumerate(zip(_FULL, _SHORT, strict=True), start=1)
    for form in forms[0] + forms[1]
}
_FUZZY_KEYS = tuple(form for forms in _FULL for form in forms if len(form) >= 5)
_FUZZY_MIN = 5

_NUMERIC = re.compile(
    r"(?<!\d)(?<!\d[./])(\d{1,2}) ?([./-]) ?(\d{1,2}) ?\2 ?(\d{4})(?!\d)(?![./]\d)"
)
_WORD = r"([^\W\d_]{3,})\.?"
_DAY_FIRST = re.compile(
    r"(?<![\d.])[«\"“„]?(\d{1,2})(?:\.|st|nd|rd|th|-?го)?[»\"”]?\s*(?:of\s+)?"
    + _WORD
    + r",?\s*(\d{4})(?!\d)",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    r"(?<![^\W\d_])" + _WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a line: where it is and the day it names."""

    start: int
    end: int
    iso: str


@functools.lru_cache(maxsize=2048)
def month_number(word: str) -> int | None:
    """The month a (possibly inflected or abbreviated) month name names, else None."""
    key = word.lower().replace("ё", "е").rstrip(".")
    exact = _MONTHS.get(key)
    if exact is not None or len(key) < _FUZZY_MIN:
        return exact
    near = process.extract(key, _FUZZY_KEYS, scorer=Levenshtein.distance, score_cutoff=1)
    months = {_MONTHS[form] for form, _, _ in near}
    return months.pop() if len(months) == 1 else None


def iso_date(year: int, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` when the day exists and the year is 1900-2100, else None."""
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric(text: str) -> list[DateMatch]:
    found = []
    for m in _NUMERIC.finditer(text):
        iso = iso_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if iso is not None:
            found.append(DateMatch(m.start(), m.end(), iso))
    return found


def _written(text: str) -> list[DateMatch]:
    found = []
    for pattern, day_group, month_group in ((_DAY_FIRST, 1, 2), (_MONTH_FIRST, 2, 1)):
        for m in pattern.finditer(text):
            month = month_number(m.group(month_group))
            iso = (
                None if month is None else iso_date(int(m.group(3)), month, int(m.group(day_group)))
            )
            if iso is not None:
                found.append(DateMatch(m.start(), m.end(), iso))
    return found


def find_dates(text: str) -> tuple[DateMatch, ...]:
    """Every real date in one line of text, left to right, none overlapping another."""
    chosen: list[DateMatch] = []
    for match in sorted(_numeric(text) + _written(text), key=lambda d: (d.start, -d.end)):
        if not chosen or match.start >= chosen[-1].end:
            chosen.append(match)
    return tuple(chosen)
