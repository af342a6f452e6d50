# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""The office's types in a second wording: drawn, told apart by title, about the same thing."""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter

import pytest
from stdnum import iban
from stdnum.ee import ik

from classifiers.rules import normalise, title_scores
from config.doctypes import DocumentType, load_document_types
from pipeline import typemodels
from pipeline.bench.loto import template_name, template_of_title
from pipeline.corpus import LANGUAGES, TEMPLATES, blank_page, render_document
from pipeline.corpus._compose import Plan, plan_document
from pipeline.corpus._template import Template
from pipeline.corpus._templates import DECLARATIONS, GENERAL
from pipeline.corpus._wordings import OTHER_WORDINGS
from pipeline.corpus._words import FIELD_LABELS, PERSON_ROLES, SIGNATURE

WORDED = (
    "pension_application",
    "family_benefit_application",
    "disability_assessment_application",
    "power_of_attorney",
    "medical_certificate",
    "bank_account_change",
    "death_certificate",
)
TYPES = load_document_types()


def _type(document_type: str) -> DocumentType:
    kind = TYPES.get(document_type)
    assert kind is not None
    return kind


def _titles(template: Template) -> list[str]:
    return [title for language in LANGUAGES for title in template.titles[language]]


def _texts(template: Template) -> list[str]:
    parts = [template.paragraphs, template.closing or {}]
    return [text for part in parts for texts in part.values() for text in texts]


def _sentences(text: str) -> set[str]:
    """The sentences of four words or more (a bare "Lugupidamisega" is no copy)."""
    return {s for s in re.split(r"(?<=[.!?;:])\s+", text.strip()) if len(s.split()) >= 4}


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether a phrase starts a word of the text, as the classifier's phrase rule finds it."""
    body = f" {normalise(text)} "
    return any(f" {normalise(phrase)}" in body for phrase in phrases)


# --- wired in -------------------------------------------------------------------------------


def test_the_seven_types_have_the_office_wording_first_and_the_other_second() -> None:
    assert tuple(OTHER_WORDINGS) == WORDED
    for document_type in WORDED:
        first, second = TEMPLATES[document_type]
        assert second is OTHER_WORDINGS[document_type]
        assert (second.roles, second.default_persons) == (first.roles, first.default_persons)
        assert second.signature == first.signature
        assert second.closing is not None and second.closing != first.closing


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("document_type", WORDED)
def test_both_wordings_are_drawn_in_every_language(document_type: str, language: str) -> None:
    # When documents of the type are drawn from many seeds
    drawn: Counter[str | None] = Counter()
    for seed in range(24):
        plan = plan_document(
            random.Random(seed),
            pages=1,
            language=language,
            document_type=document_type,
            dpi=72,
            font=None,
            person_codes=None,
        )
        drawn[template_of_title(document_type, plan.title)] += 1
    # Then each is of one of its two templates, and both occur
    assert set(drawn) == {template_name(document_type, t) for t in TEMPLATES[document_type]}
    assert min(drawn.values()) >= 4, drawn


def _power_of_attorney(template: int) -> Plan:
    return plan_document(
        random.Random(3),
        pages=1,
        language="est",
        document_type="power_of_attorney",
        dpi=72,
        font=None,
        person_codes=None,
        template=template,
    )


def test_a_template_can_be_asked_for_and_the_first_draws_as_before() -> None:
    for template in (0, 1):
        plan = _power_of_attorney(template)
        assert plan.title in TEMPLATES["power_of_attorney"][template].titles["est"]
    with pytest.raises(ValueError, match="2 templates"):
        _power_of_attorney(2)


@pytest.mark.parametrize(
    ("seed", "dpi", "expected"),
    [
        (7, 100, "69b4e299becac7a997b2588cab81e73c1e8765b29895da1cdc11de82db9bd263"),
        (11, 60, "ef30351a4ae7ac39e393681a891f7340ec505456f62b40de6c389252853a9e01"),
    ],
)
def test_backs_showing_through_are_the_office_forms_as_before(
    seed: int, dpi: int, expected: str
) -> None:
    # Given the digests of these blank pages taken before the second wordings existed
    image, _ = blank_page(random.Random(seed), dpi=dpi, kind="bleed_through")

    # Then their backs are still drawn from the office's own wording, pixel for pixel
    assert hashlib.sha256(image.tobytes()).hexdigest() == expected


def test_the_cached_type_model_is_trained_again_when_a_template_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = typemodels.fingerprint(TYPES)
    only_first = {name: templates[:1] for name, templates in TEMPLATES.items()}

    monkeypatch.setattr(typemodels, "TEMPLATES", only_first)

    assert typemodels.fingerprint(TYPES) != before


# --- titles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("document_type", WORDED)
def test_each_new_title_names_the_new_wording_only(document_type: str) -> None:
    first, second = TEMPLATES[document_type]
    new = template_name(document_type, second)

    assert new != template_name(document_type, first)
    for title in _titles(second):
        assert template_of_title(document_type, title) == new, title
    for title in _titles(first):
        assert template_of_title(document_type, title) == template_name(document_type, first)


@pytest.mark.parametrize("document_type", WORDED)
def test_new_titles_are_two_or_three_per_language_and_no_other_template_has_them(
    document_type: str,
) -> None:
    second = OTHER_WORDINGS[document_type]
    others = {
        title
        for templates in TEMPLATES.values()
        for template in templates
        if template is not second
        for title in _titles(template)
    }

    assert all(2 <= len(second.titles[language]) <= 3 for language in LANGUAGES)
    assert len(set(_titles(second))) == len(_titles(second))
    assert not set(_titles(second)) & others


@pytest.mark.parametrize("document_type", WORDED)
def test_no_new_title_carries_a_title_phrase_of_any_type(document_type: str) -> None:
    for title in _titles(OTHER_WORDINGS[document_type]):
        # No title phrase of its own type is in it, whatever the case
        for phrase in _type(document_type).titles:
            assert normalise(phrase) not in normalise(title), (title, phrase)
        # Nor does the classifier's title rule, loose as it is, find any type in it
        scores = title_scores(f"{title}\nNimi: Mari Tamm", TYPES.types)
        assert not any(scores), (title, dict(zip(TYPES.ids, scores, strict=True)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_russian_titles_are_cyrillic_and_the_others_latin(language: str) -> None:
    cyrillic = re.compile(r"[А-Яа-яЁё]")
    for template in OTHER_WORDINGS.values():
        for title in template.titles[language]:
            assert bool(cyrillic.search(title)) == (language == "rus"), title


# --- paragraphs -----------------------------------------------------------------------------


@pytest.mark.parametrize("document_type", WORDED)
def test_most_paragraphs_do_without_the_type_phrases(document_type: str) -> None:
    phrases = _type(document_type).phrases
    for language in LANGUAGES:
        paragraphs = OTHER_WORDINGS[document_type].paragraphs[language]
        with_phrase = [p for p in paragraphs if _has_phrase(p, phrases)]

        assert len(paragraphs) == 3
        assert len(with_phrase) <= len(paragraphs) / 2, with_phrase


def test_no_sentence_is_copied_from_the_office_wordings() -> None:
    mine = list(OTHER_WORDINGS.values())
    theirs = [text for part in (DECLARATIONS, GENERAL) for texts in part.values() for text in texts]
    for templates in TEMPLATES.values():
        theirs += [text for t in templates if all(t is not m for m in mine) for text in _texts(t)]
    old = set().union(*(_sentences(text) for text in theirs))

    for template in mine:
        for text in _texts(template):
            assert not _sentences(text) & old, text


def test_estonian_wordings_use_the_estonian_letters() -> None:
    estonian = "".join(
        text for t in OTHER_WORDINGS.values() for text in (*t.paragraphs["est"], *t.titles["est"])
    )

    assert set("õäöüš") <= set(estonian)
    assert not re.search(r"[А-Яа-яЁё]", estonian)


# --- fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("document_type", WORDED)
def test_a_document_of_the_new_wording_carries_what_its_type_needs(
    document_type: str, language: str
) -> None:
    # Given a document of the second wording
    wording = OTHER_WORDINGS[document_type]
    kind = _type(document_type)
    sample = render_document(
        random.Random(11), language=language, document_type=document_type, dpi=100, template=1
    )
    lines = [line for truth in sample.truth for line in truth.text.splitlines()]

    def values(field: str) -> list[str]:
        label = f"{FIELD_LABELS[field][language]}: "
        return [line.removeprefix(label) for line in lines if line.startswith(label)]

    # Then it is of that wording, with its persons in their roles
    assert template_of_title(document_type, sample.title) == template_name(document_type, wording)
    roles = [wording.roles[min(i, 1)] for i in range(wording.default_persons)]
    assert sample.person_roles == tuple(PERSON_ROLES[role] for role in roles)
    # And every person code valid and written where the type needs one
    if kind.person_code:
        assert len(sample.person_codes) == wording.default_persons
        assert all(ik.is_valid(code) for code in sample.person_codes)
        assert values("code") == list(sample.person_codes)
    if "name" in kind.fields:
        assert len(values("name")) == wording.default_persons
    # And a valid bank account where the type needs one
    if "iban" in kind.fields:
        (account,) = values("iban")
        assert iban.is_valid(account), account
    if document_type == "bank_account_change":
        (old,) = values("old_iban")
        assert iban.is_valid(old) and iban.compact(old) != iban.compact(values("iban")[0])
    # And the date, and the signature line where the form has one
    assert values("date")
    assert (SIGNATURE[language] in lines) == wording.signature
