"""find_person_codes reports checksum-valid Estonian person codes only, each once, in order."""

from __future__ import annotations

import random
from datetime import date

import pytest
from stdnum.ee import ik

from classifiers.fields import PersonCode, find_person_codes
from pipeline.corpus import person_code


def code_of(sex: str, born: date) -> str:
    """A valid isikukood from the corpus generator, the same every run."""
    return person_code(random.Random(f"{sex}{born}"), sex=sex, born=born)


def with_check_digit(head: str) -> str:
    """Ten digits completed with their check digit, whether or not the date is real."""
    # stdnum's calc_check_digit reads all but the last digit of an eleven-digit number.
    return head + ik.calc_check_digit(head + "0")


def wrong_check_digit(code: str) -> str:
    """The same code with a check digit that does not match."""
    return code[:10] + str((int(code[10]) + 1) % 10)


MAN_1990 = code_of("M", date(1990, 1, 1))
WOMAN_1985 = code_of("F", date(1985, 6, 15))
BOY_2012 = code_of("M", date(2012, 2, 29))  # a leap day
GIRL_2001 = code_of("F", date(2001, 12, 31))


def test_the_sample_codes_are_valid() -> None:
    # Given the codes this module builds on
    codes = (MAN_1990, WOMAN_1985, BOY_2012, GIRL_2001)

    # Then each is valid by an independent implementation, distinct, and no wrong check digit is
    assert all(ik.is_valid(c) for c in codes)
    assert len(set(codes)) == 4
    assert [c[:7] for c in codes] == ["3900101", "4850615", "5120229", "6011231"]
    assert not any(ik.is_valid(wrong_check_digit(c)) for c in codes)


def test_a_valid_code_is_found_with_its_page() -> None:
    # Given a page text with one valid code
    text = f"Taotleja: Mari Maasikas\nIsikukood: {WOMAN_1985}\nAllkiri"

    # When the codes are extracted
    found = find_person_codes(text, page=3)

    # Then it is reported with the page it is on
    assert found == (PersonCode(value=WOMAN_1985, page=3),)


def test_page_is_none_when_not_given() -> None:
    # When a code is extracted from text of no known page
    found = find_person_codes(f"isikukood {MAN_1990}")

    # Then its page is unknown
    assert found == (PersonCode(value=MAN_1990, page=None),)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"IK:{MAN_1990}.", id="glued-to-letters-and-punctuation"),
        pytest.param(f"({MAN_1990})", id="in-brackets"),
        pytest.param(f"{MAN_1990}\n", id="at-line-end"),
        pytest.param(f"isikukood\t{MAN_1990} ", id="after-a-tab"),
    ],
)
def test_a_code_next_to_non_digits_is_found(text: str) -> None:
    # When the code stands next to letters, punctuation or white space
    found = find_person_codes(text, page=1)

    # Then it is found
    assert [c.value for c in found] == [MAN_1990]


def test_a_wrong_check_digit_is_not_reported() -> None:
    # Given eleven digits whose date is real but whose check digit is wrong
    text = f"Isikukood: {wrong_check_digit(MAN_1990)}"

    # When the codes are extracted
    found = find_person_codes(text, page=1)

    # Then nothing is reported
    assert found == ()


@pytest.mark.parametrize(
    "head",
    [
        pytest.param("3901301123", id="month-13"),
        pytest.param("3900230123", id="february-30"),
        pytest.param("3010229123", id="february-29-not-leap-1901"),
        pytest.param("3900100123", id="day-zero"),
        pytest.param("9900101123", id="century-digit-9"),
        pytest.param("0900101123", id="century-digit-0"),
    ],
)
def test_an_impossible_date_or_century_is_not_reported(head: str) -> None:
    # Given eleven digits with a correct check digit but no real birth date or century
    candidate = with_check_digit(head)

    # When the codes are extracted
    found = find_person_codes(f"Isikukood {candidate}", page=1)

    # Then nothing is reported
    assert found == ()


def test_a_twelve_digit_run_is_not_reported() -> None:
    # Given a valid code with one digit more on either side
    text = f"konto {MAN_1990}7 ja viide 1{WOMAN_1985}"

    # When the codes are extracted
    found = find_person_codes(text, page=1)

    # Then neither run of twelve digits yields a code
    assert found == ()


def test_a_code_inside_a_longer_number_is_not_reported() -> None:
    # Given a long reference number that contains a valid code in its middle
    text = f"Viitenumber 000{BOY_2012}000"

    # When the codes are extracted
    found = find_person_codes(text, page=1)

    # Then no code is carved out of it
    assert found == ()


def test_a_number_too_short_is_not_reported() -> None:
    # Given the first ten digits of a valid code
    found = find_person_codes(f"Isikukood {MAN_1990[:10]}", page=1)

    # Then nothing is reported
    assert found == ()


def test_a_duplicate_is_reported_once() -> None:
    # Given a code written three times on a page
    text = f"{MAN_1990}\nIsikukood: {MAN_1990}\nallkirjastaja {MAN_1990}"

    # When the codes are extracted
    found = find_person_codes(text, page=2)

    # Then it is reported once
    assert found == (PersonCode(value=MAN_1990, page=2),)


def test_several_codes_are_reported_in_order_of_appearance() -> None:
    # Given a page naming an applicant, a representative and two children, plus noise
    text = (
        f"Taotleja {GIRL_2001}, esindaja {MAN_1990}\n"
        f"Lapsed: {BOY_2012}; {wrong_check_digit(WOMAN_1985)}; {WOMAN_1985}\n"
        f"Korduvalt: {GIRL_2001}"
    )

    # When the codes are extracted
    found = find_person_codes(text, page=1)

    # Then the valid ones come in the order they first appear, each once
    assert [c.value for c in found] == [GIRL_2001, MAN_1990, BOY_2012, WOMAN_1985]
    assert all(c.page == 1 for c in found)


def test_text_without_codes_yields_nothing() -> None:
    # Given text with dates, phone numbers and an IBAN but no person code
    text = "01.01.1990 tel +372 5123 4567 EE382200221020145685 summa 1234,56"

    # Then nothing is reported
    assert find_person_codes(text, page=1) == ()
    assert find_person_codes("", page=1) == ()


@pytest.mark.parametrize(
    "written",
    [
        pytest.param(WOMAN_1985.replace("0", "O"), id="O-for-0"),
        pytest.param(f"{WOMAN_1985[:4]} {WOMAN_1985[4:8]} {WOMAN_1985[8:]}", id="spaced"),
        pytest.param(WOMAN_1985.replace("1", "l", 1), id="l-for-1"),
    ],
)
def test_a_misread_code_is_reported_when_its_repair_validates(written: str) -> None:
    # Given the code misread by OCR (it has a 0 and a 1 to misread)
    assert "0" in WOMAN_1985 and "1" in WOMAN_1985 and written != WOMAN_1985

    # When the codes are extracted
    found = find_person_codes(f"Isikukood: {written}", page=1)

    # Then the valid code is reported
    assert found == (PersonCode(value=WOMAN_1985, page=1),)


def test_a_misread_code_whose_repair_does_not_validate_is_not_reported() -> None:
    # Given a wrong check digit behind a misread 0, spaced or not
    wrong = wrong_check_digit(WOMAN_1985).replace("0", "O")
    spaced = f"{wrong[:4]} {wrong[4:8]} {wrong[8:]}"

    # Then nothing is reported
    assert find_person_codes(f"{wrong}\n{spaced}", page=1) == ()


def test_a_code_inside_a_grouped_iban_or_a_phone_number_is_not_reported() -> None:
    # Given the code as a phone number and digits of an IBAN
    text = f"Tel +{MAN_1990}\nIBAN EE38 2200 2210 2014 5685"

    # Then nothing is reported
    assert find_person_codes(text, page=1) == ()


def test_a_code_labelled_as_a_reference_number_is_not_reported() -> None:
    # Given a valid code as a payment reference, and as a person code beside it
    text = f"Viitenumber: {MAN_1990}\nIsikukood või registrikood: {WOMAN_1985}"

    # Then only the person code is reported
    assert find_person_codes(text, page=1) == (PersonCode(value=WOMAN_1985, page=1),)
