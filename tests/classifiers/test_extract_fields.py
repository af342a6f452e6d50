# Russian labels are meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""extract_fields reads person codes, IBANs, dates, case numbers and names off OCR'd pages."""

from __future__ import annotations

import pytest
from stdnum import iban as stdnum_iban
from stdnum.ee import ik

from classifiers.fields import extract_fields
from classifiers.text import Field, PageText, Token

CASE_NUMBER = r"\b\d{1,2}-\d{1,2}/\d{3,6}(?:-\d+)?\b"
CHAR_W, LINE_H, WORD_H, LEFT, COLUMN_GAP = 12, 50, 30, 100, 300


def code(first_ten: str) -> str:
    """Ten digits completed with their check digit."""
    return first_ten + ik.calc_check_digit(first_ten + "0")


APPLICANT = code("4901231023")  # 49012310235: has a 0 and ones to misread
REPRESENTATIVE = code("3900101123")
CHILD = code("5120229123")
DECEASED = code("3400512345")
IBAN = "EE382200221020145685"
IBAN_GROUPED = "EE38 2200 2210 2014 5685"


def iban_of(bban: str) -> str:
    return "EE" + stdnum_iban.calc_check_digits("EE00" + bban) + bban


# An IBAN whose account number holds the applicant's code whole.
IBAN_WITH_CODE = iban_of("22" + APPLICANT + "000")


def page(*rows: str, number: int = 1) -> PageText:
    """A page with one visual line per row; its words as tokens, boxes from their characters.

    Words one space apart are neighbours; two spaces or more put the next word in a column far
    to the right, as a form's value column.
    """
    tokens: list[Token] = []
    for line, row in enumerate(rows):
        x, y, i = LEFT, 50 + line * LINE_H, 0
        while i < len(row):
            if row[i] == " ":
                gap = len(row[i:]) - len(row[i:].lstrip(" "))
                x += CHAR_W if gap == 1 else COLUMN_GAP
                i += gap
                continue
            word = row[i:].split(" ", 1)[0]
            tokens.append(Token(word, (x, y, x + CHAR_W * len(word), y + WORD_H), line))
            x += CHAR_W * len(word)
            i += len(word)
    return PageText(number, "\n".join(rows), tuple(tokens), 2480, 3508)


def extract(*pages: PageText) -> tuple[Field, ...]:
    return extract_fields(pages, case_number_pattern=CASE_NUMBER)


def values(fields: tuple[Field, ...], name: str) -> list[str]:
    return [f.value for f in fields if f.name == name]


def roles(fields: tuple[Field, ...], name: str) -> dict[str, str | None]:
    return {f.value: f.role for f in fields if f.name == name}


def test_the_sample_values_are_valid() -> None:
    # Given the values the tests build on
    codes = (APPLICANT, REPRESENTATIVE, CHILD, DECEASED)

    # Then they validate by stdnum, and the misreadings used below do not
    assert all(ik.is_valid(c) for c in codes)
    assert APPLICANT == "49012310235"
    assert not ik.is_valid(APPLICANT[:10] + "6")
    assert stdnum_iban.is_valid(IBAN) and stdnum_iban.is_valid(IBAN_WITH_CODE)
    assert APPLICANT in IBAN_WITH_CODE


# Person codes and their roles


@pytest.mark.parametrize(
    ("label", "role"),
    [
        pytest.param("Taotleja isikukood:", "applicant", id="est-applicant"),
        pytest.param("Esindaja isikukood:", "representative", id="est-representative"),
        pytest.param("Lapse isikukood:", "child", id="est-child"),
        pytest.param("Surnu isikukood:", "deceased", id="est-deceased"),
        pytest.param("Volitaja isikukood:", "applicant", id="est-principal"),
        pytest.param("Volitatu isikukood:", "representative", id="est-attorney"),
        pytest.param("Kindlustatud isiku isikukood:", "applicant", id="est-insured"),
        pytest.param("Applicant's personal code:", "applicant", id="eng-applicant"),
        pytest.param("Representative, personal code", "representative", id="eng-rep"),
        pytest.param("Child's personal code:", "child", id="eng-child"),
        pytest.param("Deceased personal code:", "deceased", id="eng-deceased"),
        pytest.param("Insured person, code:", "applicant", id="eng-insured"),
        pytest.param("Личный код заявителя:", "applicant", id="rus-applicant"),
        pytest.param("Личный код представителя:", "representative", id="rus-rep"),
        pytest.param("Личный код ребёнка:", "child", id="rus-child"),
        pytest.param("Личный код умершего:", "deceased", id="rus-deceased"),
        pytest.param("Taotlaja isikukood:", "applicant", id="one-ocr-error-in-the-role"),
        pytest.param("Isikukood:", None, id="no-role"),
        pytest.param("Personal code:", None, id="eng-no-role"),
    ],
)
def test_a_code_takes_its_role_from_its_label(label: str, role: str | None) -> None:
    # Given a code with a label on its line and no section above
    fields = extract(page("AVALDUS", f"{label}  {APPLICANT}"))

    # Then the code is found with the role its label names
    assert roles(fields, "person_code") == {APPLICANT: role}


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        pytest.param(
            ("1. Taotleja andmed", "2. Esindaja andmed", "3. Lapse andmed", "4. Surnu andmed"),
            ("applicant", "representative", "child", "deceased"),
            id="est",
        ),
        pytest.param(
            ("APPLICANT", "REPRESENTATIVE", "CHILD", "DECEASED"),
            ("applicant", "representative", "child", "deceased"),
            id="eng",
        ),
        pytest.param(
            ("Данные заявителя", "Данные представителя", "Данные ребёнка", "Данные умершего"),
            ("applicant", "representative", "child", "deceased"),
            id="rus",
        ),
        pytest.param(
            ("1. Volitaja", "2. Volitatud isik", "3. Kindlustatud isik", "4. Väljamakse andmed"),
            ("applicant", "representative", "applicant", None),
            id="power-of-attorney-and-a-section-of-no-person",
        ),
    ],
)
def test_a_code_takes_its_role_from_the_section_above(
    headings: tuple[str, ...], expected: tuple[str | None, ...]
) -> None:
    # Given four sections, each with a name and a code labelled with no role
    rows = ["Sotsiaalkindlustusamet"]
    codes = (APPLICANT, REPRESENTATIVE, CHILD, DECEASED)
    for heading, value in zip(headings, codes, strict=True):
        rows += [heading, "Nimi:  Mari Tamm", f"Isikukood:  {value}", "Aadress:  Pikk 5, Rakvere"]

    # When the fields are extracted
    fields = extract(page(*rows))

    # Then each code has its section's role
    assert roles(fields, "person_code") == dict(zip(codes, expected, strict=True))


def test_a_label_on_the_line_outranks_the_section() -> None:
    # Given a child's code in the applicant's section
    fields = extract(
        page("Taotleja andmed", f"Isikukood: {APPLICANT}", f"Lapse isikukood: {CHILD}")
    )

    # Then the label beside each code decides
    assert roles(fields, "person_code") == {APPLICANT: "applicant", CHILD: "child"}


def test_a_section_goes_on_onto_the_next_page() -> None:
    # Given a representative's section that ends on page 2
    first = page("2. Esindaja andmed", "Nimi:  Jaan Tamm", number=1)
    second = page(f"Isikukood:  {REPRESENTATIVE}", "3. Lisainfo", f"Viide {CHILD}", number=2)

    # When the fields are extracted
    fields = extract(first, second)

    # Then the code on page 2 is still the representative's, until the next heading
    assert roles(fields, "person_code") == {REPRESENTATIVE: "representative", CHILD: None}


@pytest.mark.parametrize(
    "written",
    [
        pytest.param(APPLICANT[:10] + "6", id="wrong-check-digit"),
        pytest.param("4901 2310 236", id="spaced-wrong-check-digit"),
        pytest.param("49O12310236", id="repaired-but-invalid"),
        pytest.param("49S12310235", id="repair-gives-month-51"),
        pytest.param("4gOlZ31O235", id="too-many-letters"),
        pytest.param(APPLICANT + "7", id="twelve-digits"),
        pytest.param("1" + APPLICANT, id="digit-before"),
        pytest.param("4901 2310 235 12", id="spaced-run-of-thirteen"),
        pytest.param("4 9 0 1 2 3 1 0 2 3 6", id="boxed-wrong-check-digit"),
        pytest.param("49 01 23 10 23 5", id="six-groups"),
        pytest.param("4901  2310  235", id="three-table-columns"),
        pytest.param("+" + APPLICANT, id="international-phone-number"),
        pytest.param(f"12-{APPLICANT}", id="inside-a-dashed-number"),
        pytest.param(f"{APPLICANT}.5", id="inside-a-decimal-number"),
    ],
)
def test_what_does_not_validate_as_a_code_is_never_reported(written: str) -> None:
    # Given a code-like number that is no valid code as it stands
    fields = extract(page(f"Isikukood: {written}"))

    # Then no code is reported
    assert values(fields, "person_code") == []


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("49O12310235", id="O-for-0"),
        pytest.param("49o12310235", id="o-for-0"),
        pytest.param("490l2310235", id="l-for-1"),
        pytest.param("49012310Z35", id="Z-for-2"),
        pytest.param("4901231O23S", id="two-letters"),
        pytest.param("4901 2310 235", id="spaced-4-4-3"),
        pytest.param("490123 10235", id="spaced-6-5"),
        pytest.param("4 9 0 1 2 3 1 0 2 3 5", id="one-digit-a-box"),
        pytest.param("49O1 2310 235", id="spaced-and-O-for-0"),
        pytest.param("|49012310235|", id="between-table-rules"),
        pytest.param("490|2310235", id="rule-for-1-inside"),
        pytest.param("IK:49012310235.", id="glued-to-label-and-full-stop"),
    ],
)
def test_a_misread_code_is_repaired_when_it_then_validates(written: str) -> None:
    # Given the applicant's code as OCR misreads it
    fields = extract(page(f"Isikukood: {written}"))

    # Then the valid code is reported
    assert values(fields, "person_code") == [APPLICANT]


@pytest.mark.parametrize(
    ("label", "reported"),
    [
        pytest.param("Viitenumber:", False, id="est-reference"),
        pytest.param("Reference number", False, id="eng-reference"),
        pytest.param("Номер клиента:", False, id="rus-customer-number"),
        pytest.param("Tel.", False, id="phone"),
        pytest.param("Isikukood või registrikood:", True, id="person-or-company-code"),
        pytest.param("Viitenumber: 123 Isikukood:", True, id="the-nearest-label-decides"),
        pytest.param("Viitenumber ja muu:", True, id="not-right-before-it"),
    ],
)
def test_a_code_labelled_as_another_number_is_not_reported(label: str, reported: bool) -> None:
    # Given a valid code behind the label of another kind of number, or of a person code
    fields = extract(page(f"{label} {APPLICANT}"))

    # Then it is a person code only where a person code label labels it
    assert values(fields, "person_code") == ([APPLICANT] if reported else [])


def test_a_code_inside_an_iban_is_not_reported() -> None:
    # Given IBANs that hold a valid code in their account number, grouped, compact, or split
    # so that the code stands alone
    grouped = " ".join(IBAN_WITH_CODE[i : i + 4] for i in range(0, 20, 4))
    split = f"{IBAN_WITH_CODE[:6]} {APPLICANT} {IBAN_WITH_CODE[-3:]}"
    fields = extract(page(f"IBAN: {grouped}", f"Konto {IBAN_WITH_CODE}", f"Konto: {split}"))

    # Then the IBAN is found and no code
    assert values(fields, "person_code") == []
    assert values(fields, "iban") == [IBAN_WITH_CODE]


# IBANs


@pytest.mark.parametrize(
    "written",
    [
        pytest.param(IBAN_GROUPED, id="groups-of-four"),
        pytest.param(IBAN, id="compact"),
        pytest.param(IBAN_GROUPED.lower(), id="lower-case"),
        pytest.param("EE38 22OO 2210 2014 5685", id="O-for-0"),
        pytest.param(f"{IBAN_GROUPED} Swedbank", id="bank-after-it"),
        pytest.param(f"({IBAN})", id="in-brackets"),
    ],
)
def test_a_valid_iban_is_reported_compact_in_capitals(written: str) -> None:
    # When an IBAN is written in any of the usual ways
    fields = extract(page(f"Arvelduskonto (IBAN): {written}"))

    # Then it is reported without spaces, in capitals
    assert values(fields, "iban") == [IBAN]


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("ЕЕ38 2200 2210 2014 5685", id="cyrillic-country"),
        pytest.param("ЕЕЗ8 22ОО 2210 2014 5685", id="cyrillic-digits"),
    ],
)
def test_an_iban_read_in_cyrillic_look_alikes_is_reported_when_it_validates(
    written: str,
) -> None:
    # Given a Russian page where OCR gave Cyrillic capitals for the IBAN's Latin ones
    fields = extract(page(f"Расчётный счёт (IBAN): {written}"))
    # Then the IBAN is reported as written in Latin letters and digits
    assert values(fields, "iban") == [IBAN]


def test_cyrillic_look_alikes_make_no_iban_that_does_not_validate() -> None:
    fields = extract(page("Счёт: ЕЕЗ8 22ОО 2210 2014 5686"))
    assert values(fields, "iban") == []


def test_a_foreign_iban_with_letters_is_reported() -> None:
    fields = extract(page("IBAN: GB82 WEST 1234 5698 7654 32"))
    assert values(fields, "iban") == ["GB82WEST12345698765432"]


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("EE38 2200 2210 2014 5686", id="wrong-checksum"),
        pytest.param("EE38 2200 2210 2014 568", id="one-digit-short"),
        pytest.param("EE83 2200 2210 2014 5685", id="swapped-check-digits"),
        pytest.param(f"X{IBAN}", id="glued-to-a-letter"),
        pytest.param(f"{IBAN}7", id="glued-to-a-digit"),
    ],
)
def test_an_invalid_iban_is_not_reported(written: str) -> None:
    fields = extract(page(f"IBAN: {written}"))
    assert values(fields, "iban") == []


# Dates


@pytest.mark.parametrize(
    ("row", "iso", "role"),
    [
        pytest.param("Sünniaeg: 01.02.1990", "1990-02-01", "birth", id="est-birth"),
        pytest.param("Date of birth: 1 February 1990", "1990-02-01", "birth", id="eng-birth"),
        pytest.param("Дата рождения: 01.02.1990", "1990-02-01", "birth", id="rus-birth"),
        pytest.param("Surmaaeg: 5. märtsil 2024", "2024-03-05", "death", id="est-death"),
        pytest.param("Date of death: March 5, 2024", "2024-03-05", "death", id="eng-death"),
        pytest.param("Дата смерти: 5 марта 2024 г.", "2024-03-05", "death", id="rus-death"),
        pytest.param("Sunniaeg: 01.02.1990", "1990-02-01", "birth", id="one-ocr-error"),
        pytest.param("Volikiri kehtib kuni 31.12.2026", "2026-12-31", "end", id="until"),
        pytest.param("Soovin pensioni alates 01/06/2025", "2025-06-01", "start", id="from"),
        pytest.param("Kuupäev: 12.03.2024", "2024-03-12", None, id="date-far-from-signature"),
        pytest.param("Otsus tehti 12-03-2024", "2024-03-12", None, id="no-label"),
    ],
)
def test_a_date_is_reported_as_iso_with_its_role(row: str, iso: str, role: str | None) -> None:
    # Given a date on a page with no signature
    fields = extract(page("AVALDUS", row, "Lisainfo", "Tekst", "Veel teksti"))

    # Then it is reported as an ISO date with what its label says
    assert roles(fields, "date") == {iso: role}


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(("Kuupäev: 12.03.2024", "Allkiri:"), id="est-signature-below"),
        pytest.param(("Подпись:", "Дата: 12.03.2024"), id="rus-signature-above"),
        pytest.param(("Date: 12 March 2024  Signature: ________",), id="eng-same-line"),
        pytest.param(("Allkiri ____________ 12.03.2024",), id="after-the-signature"),
    ],
)
def test_a_date_beside_a_signature_is_the_signing_date(rows: tuple[str, ...]) -> None:
    fields = extract(page("Kinnitan, et andmed on õiged.", *rows))
    assert roles(fields, "date") == {"2024-03-12": "signed"}


def test_an_impossible_date_is_not_reported() -> None:
    fields = extract(page("Kuupäev: 31.02.2024", "Sünniaeg: 30. veebruar 1990"))
    assert values(fields, "date") == []


# Case numbers


def test_a_case_number_is_reported_as_matched() -> None:
    # Given register numbers, one with a suffix, and numbers that only look alike
    fields = extract(page("Teie 7-1/12345-2 ja meie 12-3/456", "Tel 5-12/34 ja 123-4/5678"))

    # Then the pattern's matches are reported as written
    assert values(fields, "case_number") == ["7-1/12345-2", "12-3/456"]


def test_the_case_number_pattern_is_the_one_given() -> None:
    fields = extract_fields([page("Toimik SKA-2024-0042")], case_number_pattern=r"SKA-\d{4}-\d+")
    assert values(fields, "case_number") == ["SKA-2024-0042"]


# Names


@pytest.mark.parametrize(
    ("row", "name"),
    [
        pytest.param("Nimi:  Mari Maasikas", "Mari Maasikas", id="est"),
        pytest.param("Ees- ja perekonnanimi: Tõnu Õunapuu", "Tõnu Õunapuu", id="est-long"),
        pytest.param("Name:    John Smith", "John Smith", id="eng-value-column"),
        pytest.param("Full name: Anna-Liisa Männik", "Anna-Liisa Männik", id="eng-full"),
        pytest.param("Имя, фамилия: Jelena Ivanova", "Jelena Ivanova", id="rus"),
        pytest.param("Ф.И.О.: Иванов Иван Иванович", "Иванов Иван Иванович", id="rus-fio"),
        pytest.param("Фамилия, имя: Žanna Petrova", "Žanna Petrova", id="rus-surname-first"),
        pytest.param("Nimi ja allkiri: Mari Tamm", "Mari Tamm", id="label-goes-on"),
        pytest.param("Name (in capitals): MARI TAMM", "MARI TAMM", id="parenthesis"),
        pytest.param(f"Nimi: Mari Tamm Isikukood: {APPLICANT}", "Mari Tamm", id="next-label"),
        pytest.param(f"Nimi Mari Tamm {APPLICANT}", "Mari Tamm", id="no-colon-line-start"),
        pytest.param("Nimi: Mari Tamm  Tallinn", "Mari Tamm", id="next-column"),
        pytest.param("Nimi: Mari Tamm, esindaja", "Mari Tamm", id="role-word-after"),
    ],
)
def test_a_name_beside_its_label_is_reported(row: str, name: str) -> None:
    fields = extract(page(row))
    assert values(fields, "name") == [name]


@pytest.mark.parametrize(
    "row",
    [
        pytest.param("Ettevõtte nimi: Kala OÜ", id="company-name"),
        pytest.param("Bank name: Swedbank", id="bank-name"),
        pytest.param("Please write the name of the bank below", id="in-a-sentence"),
        pytest.param("Nimi: ____________", id="empty-field"),
        pytest.param("Nimi:", id="nothing-after-it"),
        pytest.param("Nimi: 12345", id="a-number"),
        pytest.param("Nimi: Üks kaks kolm neli viis kuus seitse", id="too-many-words"),
    ],
)
def test_what_is_no_persons_name_is_not_reported(row: str) -> None:
    fields = extract(page(row))
    assert values(fields, "name") == []


def test_a_name_takes_its_role_from_label_or_section() -> None:
    # Given a child's name labelled so, and a name in the representative's section
    fields = extract(
        page("Lapse nimi: Liis Tamm", "2. Esindaja andmed", "Nimi: Jaan Tamm", "Name: Ülo Saar")
    )

    # Then each has its role
    assert roles(fields, "name") == {
        "Liis Tamm": "child",
        "Jaan Tamm": "representative",
        "Ülo Saar": "representative",
    }


# Where fields were found, and each once


def test_page_and_box_are_those_of_the_words_read() -> None:
    # Given a spaced code on the second line of page 4
    fields = extract(page("Taotleja andmed", "Isikukood: 4901 2310 235", number=4))

    # Then the code carries page 4 and the union of its three words' boxes
    (found,) = fields
    x0 = LEFT + CHAR_W * len("Isikukood: ")
    x1 = LEFT + CHAR_W * len("Isikukood: 4901 2310 235")
    y0 = 50 + LINE_H
    assert found == Field("person_code", APPLICANT, 4, (x0, y0, x1, y0 + WORD_H), "applicant")


def test_a_name_box_covers_its_words_only() -> None:
    fields = extract(page("Nimi:  Mari Maasikas"))
    (found,) = fields
    x0 = LEFT + CHAR_W * len("Nimi:") + COLUMN_GAP
    assert found.box == (x0, 50, x0 + CHAR_W * len("Mari Maasikas"), 50 + WORD_H)


def test_a_label_and_its_value_in_lines_of_their_own_make_one_line() -> None:
    # Given OCR that put the labels and the values in separate blocks, so in lines of their own,
    # the values a little lower than their labels
    labels = (("Nimi:", 0), ("Isikukood:", 50))
    tokens = [Token(text, (100, y, 200, y + 30), line=1 + i) for i, (text, y) in enumerate(labels)]
    tokens += [
        Token("Mari", (600, 4, 650, 34), line=10),
        Token("Tamm", (660, 4, 710, 34), line=10),
        Token(APPLICANT, (600, 54, 740, 84), line=11),
    ]
    heading = Token("Taotleja", (100, -50, 200, -20), line=0)
    bare = PageText(1, "", (heading, *tokens), 1000, 1000)

    # When the fields are extracted
    fields = extract(bare)

    # Then each value is read beside its label, in the applicant's section
    assert [(f.name, f.value, f.role) for f in fields] == [
        ("name", "Mari Tamm", "applicant"),
        ("person_code", APPLICANT, "applicant"),
    ]


def test_lines_above_each_other_stay_apart() -> None:
    # Given a name label over a name in a line of its own, just below it
    tokens = (
        Token("Nimi:", (100, 0, 200, 30), line=1),
        Token("Mari", (100, 36, 160, 66), line=2),
        Token("Tamm", (170, 36, 230, 66), line=2),
    )

    # Then no name is read (a name is read beside its label only)
    assert values(extract(PageText(1, "", tokens, 1000, 1000)), "name") == []


def test_each_value_is_reported_once_where_it_first_occurs() -> None:
    # Given the same code, IBAN and date on two pages, first without a role
    rows = (f"Viide {APPLICANT}", f"IBAN {IBAN}", "Kuupäev 01.02.2024")
    first = page(*rows, number=1)
    second = page("Taotleja andmed", *rows, number=2)

    # When the fields are extracted
    fields = extract(first, second)

    # Then each value is reported once, from page 1, in reading order
    assert [(f.name, f.value, f.page, f.role) for f in fields] == [
        ("person_code", APPLICANT, 1, None),
        ("iban", IBAN, 1, None),
        ("date", "2024-02-01", 1, None),
    ]


def test_fields_on_one_line_come_left_to_right() -> None:
    row = f"Nimi: Mari Tamm  {APPLICANT}  01.02.2024  7-1/123  {IBAN}"
    fields = extract(page(row))
    assert [f.name for f in fields] == ["name", "person_code", "date", "case_number", "iban"]


def test_a_page_without_words_is_read_from_its_text_with_the_page_as_box() -> None:
    # Given a page whose OCR gave text but no word boxes
    bare = PageText(2, f"Taotleja andmed\nIsikukood: {APPLICANT}", (), 1000, 1400)

    # Then its fields are still found, placed on the whole page
    assert extract(bare) == (Field("person_code", APPLICANT, 2, (0, 0, 1000, 1400), "applicant"),)


def test_nothing_is_found_on_an_empty_document() -> None:
    assert extract() == ()
    assert extract(page()) == ()
