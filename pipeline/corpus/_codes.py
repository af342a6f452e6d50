"""Identifiers with check digits: Estonian person codes, IBANs, registry codes, references."""

from __future__ import annotations

import random
from datetime import date, timedelta

_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 1)
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)
_CENTURY_BASE = {1800: 1, 1900: 3, 2000: 5}
_BORN_FROM = date(1930, 1, 1)
_BORN_UNTIL = date(2025, 12, 31)


def person_code_check_digit(first_ten: str) -> str:
    """Return the check digit of an isikukood from its first ten digits.

    The official rule: weights 1234567891, remainder modulo 11; a remainder of 10 means a
    second pass with weights 3456789123, and 10 again means 0.
    """
    digits = [int(c) for c in first_ten]
    check = sum(w * d for w, d in zip(_WEIGHTS_FIRST, digits, strict=True)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(_WEIGHTS_SECOND, digits, strict=True)) % 11
    return str(check % 10)


def random_date(rng: random.Random, start: date, end: date) -> date:
    """Return a uniformly drawn day between start and end, both included."""
    return start + timedelta(days=rng.randint(0, (end - start).days))


def person_code(rng: random.Random, *, sex: str | None = None, born: date | None = None) -> str:
    """Return a valid Estonian person code (isikukood).

    Args:
        rng: The source of randomness; the same state gives the same code.
        sex: "M" or "F"; drawn at random when None.
        born: The birth date (1800-2099); drawn between 1930 and 2025 when None.

    Returns:
        Eleven digits: century and sex, YYMMDD, a three-digit serial and the check digit.

    Raises:
        ValueError: When sex is not "M" or "F", or born lies outside 1800-2099.
    """
    if sex is None:
        sex = rng.choice(("M", "F"))
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if born is None:
        born = random_date(rng, _BORN_FROM, _BORN_UNTIL)
    century = born.year // 100 * 100
    if century not in _CENTURY_BASE:
        raise ValueError(f"birth year {born.year} has no isikukood century digit")
    first = _CENTURY_BASE[century] + (1 if sex == "F" else 0)
    serial = rng.randint(1, 999)
    head = f"{first}{born:%y%m%d}{serial:03d}"
    return head + person_code_check_digit(head)


def sex_of(code: str) -> str | None:
    """Return "M" or "F" as the code's first digit says, or None when it says neither."""
    if code[:1] in ("1", "3", "5"):
        return "M"
    if code[:1] in ("2", "4", "6"):
        return "F"
    return None


def _domestic_check_digit(digits: str) -> str:
    """Return the 7-3-1 check digit of an Estonian domestic account number."""
    weights = (7, 3, 1)
    total = sum(weights[i % 3] * int(d) for i, d in enumerate(reversed(digits)))
    return str(-total % 10)


def iban(rng: random.Random, bank_code: str) -> str:
    """Return an Estonian IBAN (20 characters, no spaces) at the bank with this code.

    The domestic account number carries its 7-3-1 check digit and the IBAN its mod-97 check
    digits, so both national and international validation accept it.
    """
    body = bank_code + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(8, 11)))
    account = body + _domestic_check_digit(body)
    bban = bank_code + account.zfill(14)
    numeric = "".join(str(int(c, 36)) for c in bban + "EE00")
    return f"EE{98 - int(numeric) % 97:02d}{bban}"


def grouped(iban_text: str) -> str:
    """Return the IBAN in groups of four characters, as it is printed on paper."""
    return " ".join(iban_text[i : i + 4] for i in range(0, len(iban_text), 4))


def reference_number(rng: random.Random) -> str:
    """Return an Estonian payment reference number (viitenumber): 4-10 digits, 7-3-1 checked."""
    body = str(rng.randint(1, 9)) + "".join(
        str(rng.randint(0, 9)) for _ in range(rng.randint(3, 8))
    )
    return body + _domestic_check_digit(body)


def registry_code(rng: random.Random) -> str:
    """Return an Estonian company registry code: eight digits from 1, the last a check digit.

    The check digit follows the person code's rule over the first seven digits.
    """
    head = "1" + "".join(str(rng.randint(0, 9)) for _ in range(6))
    digits = [int(c) for c in head]
    check = sum(w * d for w, d in zip(_WEIGHTS_FIRST, digits, strict=False)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(_WEIGHTS_SECOND, digits, strict=False)) % 11
    return head + str(check % 10)
