"""Field extraction from OCR text: Estonian person codes (isikukood), checksum-valid only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.ee import ik

# Eleven digits not glued to other digits; OCR may put a space or nothing around them.
_CANDIDATE = re.compile(r"(?<!\d)([1-6]\d{10})(?!\d)")


@dataclass(frozen=True)
class PersonCode:
    """A checksum-valid isikukood found on a page."""

    value: str
    page: int | None = None


def find_person_codes(text: str, *, page: int | None = None) -> tuple[PersonCode, ...]:
    """Every distinct valid person code in ``text``, in order of appearance.

    A candidate is reported only when its century digit, birth date and checksum validate;
    a number that merely has eleven digits is never reported.
    """
    found: list[PersonCode] = []
    seen: set[str] = set()
    for match in _CANDIDATE.finditer(text):
        value = match.group(1)
        if value not in seen and ik.is_valid(value):
            seen.add(value)
            found.append(PersonCode(value=value, page=page))
    return tuple(found)
