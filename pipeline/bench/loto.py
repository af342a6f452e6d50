"""Type accuracy leave-one-template-out: on wording the type model never saw.

A document type of the corpus may come in several templates (an EU form is one of S1, P1,
U1, A1 and E 205; "other" is a letter, a cover note, an invoice, a utility bill or a
receipt), each with its own titles, sections and paragraphs.  For each such template that
the bench's corpus holds, the type model is trained again on the generated training
documents without that template (same generator, seed and size as the model intake ran
with) and asked the type of the bench's documents of that template, read from intake's own
OCR text of the run.  A type with one template is left out: without it the model would not
know the type at all, which is another question (a new type needs ``intake train``).

The templates are told by their titles: a training document's is the title it was drawn
with, a bench document's is found in its truth text (the title as drawn, perhaps wrapped).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from classifiers.model import UNKNOWN, TypeModel, train
from config.doctypes import DocumentTypes
from pipeline.corpus import DOCUMENT_TYPES, TEMPLATES, Template
from pipeline.training import PER_TYPE_LANGUAGE, TRAINING_SEED, Example, generated_examples

_PLACEHOLDERS = {"number": r"[\w./-]+", "state": r"[A-Z]{2}"}
_TITLE_LINES = 4  # a title wraps over at most this many lines of the truth


@dataclass(frozen=True)
class HeldOut:
    """One template held out: how its documents were typed by the model that never saw it.

    ``seen_correct`` counts the same documents typed right by the model trained on every
    template (the one intake ran with), so that the two differ in the training set only.
    """

    template: str
    document_type: str
    documents: int
    correct: int
    seen_correct: int
    training_examples: int
    held_out_examples: int


@dataclass(frozen=True)
class LeaveOneTemplateOut:
    """Every template held out in turn, and what could not take part."""

    held_out: tuple[HeldOut, ...]
    single_template_types: tuple[str, ...]
    """Types with one template: not held out (see the module's docstring)."""
    unmatched: int
    """Legible documents of a several-template type whose template was not found."""
    text: str
    """Whose text was classified: said in the report."""

    @property
    def documents(self) -> int:
        """Documents classified by a model that had not seen their template."""
        return sum(h.documents for h in self.held_out)

    @property
    def accuracy(self) -> float | None:
        """Type accuracy on unseen templates."""
        return sum(h.correct for h in self.held_out) / self.documents if self.documents else None

    @property
    def seen_accuracy(self) -> float | None:
        """Type accuracy on the same documents by the model that saw every template."""
        if not self.documents:
            return None
        return sum(h.seen_correct for h in self.held_out) / self.documents


def template_name(document_type: str, template: Template) -> str:
    """``eu_social_security_form/PORTABLE DOCUMENT S1``: the type and its first English title."""
    title = re.sub(r"\s*\{\w+\}", "", template.titles["eng"][0]).strip()
    return f"{document_type}/{title}"


@cache
def _patterns(document_type: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each title variant of the type's templates as a pattern, with its template's name."""
    found = []
    for template in TEMPLATES.get(document_type, ()):
        name = template_name(document_type, template)
        for variants in template.titles.values():
            for variant in variants:
                parts = re.split(r"\{(\w+)\}", variant)
                pattern = "".join(
                    _PLACEHOLDERS.get(part, r"\S+") if i % 2 else re.escape(part)
                    for i, part in enumerate(parts)
                )
                found.append((name, re.compile(pattern)))
    return tuple(found)


def template_of_title(document_type: str, title: str) -> str | None:
    """The template whose title variant ``title`` is; None when it is none of them."""
    spaced = " ".join(title.split())
    names = {name for name, pattern in _patterns(document_type) if pattern.fullmatch(spaced)}
    return names.pop() if len(names) == 1 else None


def template_of_text(document_type: str, text: str) -> str | None:
    """The template of a document from its text: the first lines that are a title of it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for start in range(len(lines)):
        for end in range(min(len(lines), start + _TITLE_LINES), start, -1):
            name = template_of_title(document_type, " ".join(lines[start:end]))
            if name is not None:
                return name
    return None


def several_templates() -> dict[str, tuple[str, ...]]:
    """The types with more than one template, and their templates' names."""
    return {
        kind: tuple(template_name(kind, t) for t in templates)
        for kind, templates in TEMPLATES.items()
        if len(templates) > 1
    }


def without_template(examples: Sequence[Example], template: str) -> list[Example]:
    """The training examples that are not of ``template`` (told by their titles)."""
    return [e for e in examples if template_of_title(e.label, e.title) != template]


@dataclass(frozen=True)
class BenchText:
    """One legible bench document: its true type, its truth text and the text to classify."""

    document_type: str
    truth_text: str
    text: str


Classify = Callable[[TypeModel, str], str]
Fit = Callable[[Sequence[Example], DocumentTypes, str], TypeModel]


def fit_model(examples: Sequence[Example], types: DocumentTypes, version: str) -> TypeModel:
    """The type model trained on ``examples``, as ``train_model`` trains it."""
    return train([e.text for e in examples], [e.label for e in examples], types, version=version)


def leave_one_template_out(
    documents: Sequence[BenchText],
    types: DocumentTypes,
    *,
    seen: TypeModel,
    classify: Classify,
    text: str,
    examples: Sequence[Example] | None = None,
    fit: Fit = fit_model,
) -> LeaveOneTemplateOut:
    """Hold out each template that ``documents`` hold and type its documents without it.

    Args:
        documents: The bench's legible documents.
        types: The office's types (what the model learns).
        seen: The model trained on every template, as intake ran with it.
        classify: The type a model gives a text, as the pipeline asks it.
        text: Whose text ``documents`` carry, for the report.
        examples: The training documents; generated as ``cached_model`` makes them if None.
        fit: Trains a model on a training set (each template held out in turn).
    """
    several = several_templates()
    by_template: dict[str, list[BenchText]] = {}
    unmatched = 0
    for document in documents:
        if document.document_type not in several:
            continue
        name = template_of_text(document.document_type, document.truth_text)
        if name is None:
            unmatched += 1
        else:
            by_template.setdefault(name, []).append(document)
    singles = tuple(t for t in TEMPLATES if t not in several)
    if not by_template:
        return LeaveOneTemplateOut((), singles, unmatched, text)
    if examples is None:
        generated = generated_examples(
            DOCUMENT_TYPES, seed=TRAINING_SEED, per_type_language=PER_TYPE_LANGUAGE
        )
        examples = [e for e in generated if e.label in set(types.ids)]
    held_out = []
    for name, group in sorted(by_template.items()):
        kept = without_template(examples, name)
        model = fit(kept, types, f"loto-{name}")
        truth = [d.document_type for d in group]
        held_out.append(
            HeldOut(
                template=name,
                document_type=group[0].document_type,
                documents=len(group),
                correct=sum(
                    classify(model, d.text) == t for d, t in zip(group, truth, strict=True)
                ),
                seen_correct=sum(
                    classify(seen, d.text) == t for d, t in zip(group, truth, strict=True)
                ),
                training_examples=len(kept),
                held_out_examples=len(examples) - len(kept),
            )
        )
    return LeaveOneTemplateOut(tuple(held_out), singles, unmatched, text)


def loto_json(result: LeaveOneTemplateOut) -> dict[str, object]:
    """The result for the JSON file."""
    return {
        "text": result.text,
        "documents": result.documents,
        "accuracy": result.accuracy,
        "seen_accuracy": result.seen_accuracy,
        "single_template_types": list(result.single_template_types),
        "unmatched_documents": result.unmatched,
        "templates": [
            {
                "template": h.template,
                "document_type": h.document_type,
                "documents": h.documents,
                "correct": h.correct,
                "seen_correct": h.seen_correct,
                "training_examples": h.training_examples,
                "held_out_examples": h.held_out_examples,
            }
            for h in result.held_out
        ],
    }


def loto_text(result: LeaveOneTemplateOut) -> str:
    """The result as text for stdout."""

    def percent(value: float | None) -> str:
        return "-" if value is None else f"{value * 100:.1f} %"

    lines = [
        "type accuracy, leave one template out "
        f"({result.text}; legible documents of types with several templates):",
        f"  unseen template: {percent(result.accuracy)}, same documents with every template "
        f"seen: {percent(result.seen_accuracy)}, documents: {result.documents}"
        + (f", template not found: {result.unmatched}" if result.unmatched else ""),
    ]
    for h in result.held_out:
        lines.append(
            f"  {h.template}: {h.correct}/{h.documents} unseen, {h.seen_correct}/{h.documents} "
            f"seen ({h.held_out_examples} of {h.training_examples + h.held_out_examples} "
            "training documents held out)"
        )
    lines.append(
        "  not held out (one template each): " + (", ".join(result.single_template_types) or "-")
    )
    return "\n".join(lines)


def classify_as_pipeline(model: TypeModel, text: str) -> str:
    """The type ``assess_document`` would give ``text`` (``UNKNOWN`` when it abstains)."""
    from pipeline.document import MIN_TEXT_TO_CLASSIFY

    if len(text.strip()) < MIN_TEXT_TO_CLASSIFY:
        return UNKNOWN
    return model.classify(text).document_type
