# Russian labels are meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""labels.scan finds form labels fuzzily; section_after tells whose section a heading opens."""

from __future__ import annotations

import pytest

from classifiers import labels
from classifiers.labels import Label


def kinds(line: str) -> list[tuple[str, str | None]]:
    """The labels on a line of words, as (kind, meaning)."""
    return [(h.label.kind, h.label.meaning) for h in labels.scan(line.split())]


def section(line: str, current: str | None = "before") -> str | None:
    words = line.split()
    return labels.section_after(words, labels.scan(words), current)


@pytest.mark.parametrize(
    ("line", "role"),
    [
        pytest.param("Taotleja andmed", "applicant", id="est-applicant"),
        pytest.param("Esindaja", "representative", id="est-representative"),
        pytest.param("Lapse andmed", "child", id="est-child"),
        pytest.param("Surnu", "deceased", id="est-deceased"),
        pytest.param("Volitaja", "applicant", id="est-principal"),
        pytest.param("Volitatu", "representative", id="est-attorney"),
        pytest.param("Kindlustatud isik", "applicant", id="est-insured"),
        pytest.param("Applicant", "applicant", id="eng-applicant"),
        pytest.param("Representative", "representative", id="eng-representative"),
        pytest.param("Child", "child", id="eng-child"),
        pytest.param("Deceased", "deceased", id="eng-deceased"),
        pytest.param("Insured person", "applicant", id="eng-insured"),
        pytest.param("Заявитель", "applicant", id="rus-applicant"),
        pytest.param("Представитель", "representative", id="rus-representative"),
        pytest.param("Ребёнок", "child", id="rus-child-with-yo"),
        pytest.param("Ребенок", "child", id="rus-child-without-yo"),
        pytest.param("Умерший", "deceased", id="rus-deceased"),
        pytest.param("Застрахованное лицо", "applicant", id="rus-insured"),
    ],
)
def test_a_role_heading_opens_its_section(line: str, role: str) -> None:
    # When a heading naming a role is read
    found = section(line)

    # Then the section is that role's
    assert found == role


@pytest.mark.parametrize(
    ("line", "kind", "meaning"),
    [
        pytest.param("TAOTLAJA ANDMED", labels.ROLE, "applicant", id="one-letter-wrong"),
        pytest.param("Esndaja", labels.ROLE, "representative", id="one-letter-missing"),
        pytest.param("Предстaвитель", labels.ROLE, "representative", id="latin-a-in-cyrillic"),
        pytest.param("Isiku kood:", labels.CODE, None, id="split-in-two"),
        pytest.param("Sünniaeq", labels.DATE, "birth", id="q-for-g"),
        pytest.param("Viitenumbcr", labels.NUMBER, None, id="c-for-e"),
    ],
)
def test_a_label_with_one_ocr_error_is_still_read(
    line: str, kind: str, meaning: str | None
) -> None:
    # When a label is read with one error or split in two
    found = kinds(line)

    # Then it is still the label it was meant to be
    assert found == [(kind, meaning)]


def test_two_errors_an_ambiguous_or_a_short_label_misread_are_not_a_label() -> None:
    # Given a label with two errors, one as near two labels, and four-letter ones with one
    for line in ("Taotlaje", "Volitaju", "Nimo", "Lapa"):
        # Then none of them is read as a label
        assert kinds(line) == [], line


def test_close_labels_of_different_roles_are_told_apart() -> None:
    # Given the principal and the attorney, two letters apart
    assert kinds("Volitaja") == [(labels.ROLE, "applicant")]
    assert kinds("Volitatu") == [(labels.ROLE, "representative")]
    assert kinds("Volitatud isik") == [(labels.ROLE, "representative")]


def test_the_longest_label_wins() -> None:
    # Given a generic date label that begins a specific one
    assert kinds("Date of birth:") == [(labels.DATE, "birth")]
    assert kinds("Date:") == [(labels.DATE, None)]
    assert kinds("Ees- ja perekonnanimi:") == [(labels.NAME, None)]
    assert kinds("Ф.И.О.") == [(labels.NAME, None)]


def test_a_label_knows_its_colon() -> None:
    # Given a label with its colon glued, apart, and none
    glued, apart, bare = (labels.scan(w.split()) for w in ("Nimi: X", "Nimi : X", "Nimi X"))

    # Then the colon is seen where there is one
    assert (glued[0].colon, apart[0].colon, bare[0].colon) == (True, True, False)
    assert glued[0] == labels.Hit(0, 1, Label(labels.NAME), exact=True, colon=True)


def test_a_section_number_is_no_part_of_the_heading() -> None:
    # Given headings numbered, also with a misread number
    assert section("1. Taotleja andmed") == "applicant"
    assert section("Z. Informant") == "applicant"
    assert section("II) Lapse andmed") == "child"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("3. Väljamakse andmed", None, id="numbered-heading-of-no-person"),
        pytest.param("PANGAANDMED", None, id="capitals-heading-of-no-person"),
        pytest.param("Taotleja ja lapse andmed", None, id="two-roles"),
        pytest.param("Taotleja: Mari Tamm", "applicant", id="role-label-line"),
        pytest.param("Lapse isikukood: 51202291236", "before", id="field-label-line"),
        pytest.param("Isikukood:", "before", id="field-label-above-its-value"),
        pytest.param("Nimi: Mari Tamm", "before", id="name-line"),
        pytest.param("Sotsiaalkindlustusamet", "before", id="page-header"),
        pytest.param("Lk 1/2", "before", id="page-marker"),
        pytest.param("Palun määrata toetus, mille taotleja on esitanud.", "before", id="paragraph"),
    ],
)
def test_what_a_line_does_to_the_section(line: str, expected: str | None) -> None:
    # When a line follows a section
    found = section(line)

    # Then it opens a section, closes it, or leaves it be
    assert found == expected
