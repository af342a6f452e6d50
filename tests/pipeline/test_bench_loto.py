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
    documents = [
        BenchText("other", f"Saatja\n{letter.title}\n{letter.text}", letter.text),
        BenchText("pension_application", pension.text, pension.text),
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
    # Then the letter's template alone was held out, and its model never saw a letter
    assert [h.template for h in result.held_out] == [LETTER]
    assert len(trained) == 1
    assert not any(template_of_title(e.label, e.title) == LETTER for e in trained[0])
    assert any(e.label == "other" for e in trained[0])
    held = result.held_out[0]
    assert held.documents == 1
    assert held.training_examples == len(trained[0])
    assert held.training_examples + held.held_out_examples == len(examples)
    # And a type with one template is not held out, and said so
    assert "pension_application" in result.single_template_types
    assert result.documents == 1
    assert result.accuracy in (0.0, 1.0)
    assert "other/LETTER" in loto_text(result)
