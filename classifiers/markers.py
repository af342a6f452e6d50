"""Page markers ("Lk 1/3", "Leht 1 (2)", "Page 1 of 3", "Стр. 1 из 2") and the pages they miss."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.text import PageText

_WORD = r"(?:lk|lehekülg|lehek|leht|page|стр|страница|лист)"
_OF = r"(?:/|of|из|\()"
_MARKER = re.compile(
    rf"(?<!\w){_WORD}\.?\s*(\d{{1,3}})\s*{_OF}\s*(\d{{1,3}})\)?(?![\d/])", re.IGNORECASE
)
# OCR reads the slash of "Lk 2/3" as 1, l, I, | or 7 ("Lk 213"): one digit each side only.
_MISREAD = re.compile(rf"(?<!\w){_WORD}\.?\s*(\d)[1lI|7](\d)(?![\d/])", re.IGNORECASE)


@dataclass(frozen=True)
class Marker:
    """Page ``number`` of ``total``, as printed on capture page ``page``."""

    page: int
    number: int
    total: int


def find_marker(page: PageText) -> Marker | None:
    """The page's marker: the last plausible one on the page (markers stand at the foot)."""
    found = [
        Marker(page.number, int(m.group(1)), int(m.group(2)))
        for m in _MARKER.finditer(page.text)
        if 1 <= int(m.group(1)) <= int(m.group(2)) <= 200
    ]
    if not found:
        found = [
            Marker(page.number, int(m.group(1)), int(m.group(2)))
            for m in _MISREAD.finditer(page.text)
            if 1 <= int(m.group(1)) <= int(m.group(2)) and int(m.group(2)) > 1
        ]
    return found[-1] if found else None


def missing_pages(pages: Sequence[PageText]) -> dict[int, tuple[int, ...]]:
    """Marker numbers missing from the document, keyed by the capture page they follow.

    A document whose pages say "x of 3" but shows only 1 and 3 misses 2 after page 1; a
    document whose last marker says "1/2" misses 2 after it.  A page whose marker OCR could
    not read may be any missing number: while there are enough such pages to fill the gaps,
    nothing is missing.
    """
    markers = [m for m in (find_marker(p) for p in pages) if m is not None]
    if not markers:
        return {}
    total = max(m.total for m in markers)
    seen = {m.number for m in markers}
    unmarked = len(pages) - len(markers)
    if total - len(seen) <= unmarked:
        return {}
    gaps: dict[int, list[int]] = {}
    for number in range(1, total + 1):
        if number in seen:
            continue
        before = [m for m in markers if m.number < number]
        anchor = max(before, key=lambda m: m.number).page if before else markers[0].page
        gaps.setdefault(anchor, []).append(number)
    return {page: tuple(numbers) for page, numbers in gaps.items()}
