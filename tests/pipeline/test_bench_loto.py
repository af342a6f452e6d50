"""``intake bench``'s type accuracy leave-one-template-out."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from classifiers.model import TypeModel
from config.doctypes import DocumentTypes, load_document_types
from pipeline.bench.loto import (
    BenchText,
    classify_as_pipeline,
    fit_model,
    leave_one_template_out,
    loto_text,
    template_of_text,
    template_of_title,
    without_template,
)
from pipeline.corpus import DOCUMENT_TYPES
from pipeline.training import Example, generated_examples

LETTER = "other/LETTER"


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    """A few generated training documents of every type and language."""
    return generated_examples(DOCUMENT_TYPES, seed=7, per_type_language=2)


def test_templates_are_told_by_their_titles() -> None:
    assert template_of_title("other", "LETTER") == LETTER
    assert template_of_title("other", "ARVE NR 2024-17") == "other/INVOICE NO."
    assert template_of_title("other", "ELEKTRIARVE") == "other/ELECTRICITY BILL"
    assert template_of_title("eu_social_security_form", "E 205 LV") == (
        "eu_social_security_form/E 205"
    )
    assert template_of_title("other", "PENSIONITAOTLUS") is None
    # A title wrapped over two lines of the truth is found too
    text = "Sotsiaalkindlustusamet\nKAASASKANTAV DOKUMENT S1:\nREGISTREERIMINE RAVIKINDLUSTUSE\n"
    assert template_of_text("eu_social_security_form", text + "SAAMISEKS\nNimi: Mari") == (
        "eu_social_security_form/PORTABLE DOCUMENT S1"
    )


def test_every_generated_document_of_several_templates_has_its_template(
    examples: list[Example],
) -> None:
    several = [e for e in examples if e.label in ("other", "eu_social_security_form")]
    assert several
    assert all(template_of_title(e.label, e.title) is not None for e in several)


def test_without_template_leaves_out_that_template_only(examples: list[Example]) -> None:
    kept = without_template(examples, LETTER)
    letters = [e for e in examples if template_of_title(e.label, e.title) == LETTER]
    assert letters
    assert len(kept) == len(examples) - len(letters)
    assert all(template_of_title(e.label, e.title) != LETTER for e in kept)
    assert any(e.label == "other" for e in kept)  # the type's other templates stay


@pytest.mark.slow
def test_the_held_out_template_is_not_in_the_training_set(examples: list[Example]) -> None:
    # Given a letter and a pension application in the bench, read by OCR
    types = load_document_types()
    letter = next(e for e in examples if template_of_title(e.label, e.title) == LETTER)
    pension = next(e for e in examples if e.label == "pension_application")
    wording = template_of_title(pension.label, pension.title)
    assert wording is not None
    documents = [
        BenchText("other", f"Saatja\n{letter.title}\n{letter.text}", letter.text),
        BenchText(
            "pension_application",
            f"Sotsiaalkindlustusamet\n{pension.title}\n{pension.text}",
            pension.text,
        ),
    ]
    trained: list[list[Example]] = []

    def fit(kept: Sequence[Example], kinds: DocumentTypes, version: str) -> TypeModel:
        trained.append(list(kept))
        return fit_model(kept, kinds, version)

    seen = fit_model(examples, types, "seen")
    # When each template is held out in turn
    result = leave_one_template_out(
        documents,
        types,
        seen=seen,
        classify=classify_as_pipeline,
        text="the examples' own text",
        examples=examples,
        fit=fit,
    )
    # Then each document's template was held out in turn, and its model never saw it
    assert [h.template for h in result.held_out] == [LETTER, wording]
    assert len(trained) == 2
    for held, kept in zip(result.held_out, trained, strict=True):
        assert not any(template_of_title(e.label, e.title) == held.template for e in kept)
        assert any(e.label == held.document_type for e in kept)  # the type's others stay
        assert held.documents == 1
        assert held.training_examples == len(kept)
        assert held.training_examples + held.held_out_examples == len(examples)
    # And every type has several templates: none is left out for having one
    assert result.single_template_types == ()
    assert result.documents == 2
    assert result.accuracy in (0.0, 0.5, 1.0)
    assert "other/LETTER" in loto_text(result)
