# Cyrillic look-alikes are meant: they are what OCR confuses.
# ruff: noqa: RUF001
"""Training the type classifier: generated documents, OCR-like noise, staff's corrections.

The generator's documents give every type in every language; their text is roughened the
way OCR roughens real scans (look-alike letters, lost diacritics, dropped and split words)
so the model does not learn clean print only.  Records staff's type corrections, read from
the case database by the caller, are added as they are: they are real scans.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from classifiers.model import TypeModel, train
from config.doctypes import DocumentTypes
from pipeline.corpus import LANGUAGES, plan_document

# Look-alikes OCR swaps, each way; and diacritics it loses.
_CONFUSIONS = {
    "o": "0", "0": "o", "l": "1", "1": "l", "i": "l", "e": "c", "c": "e", "rn": "m",
    "õ": "o", "ä": "a", "ö": "o", "ü": "u", "š": "s", "ž": "z", "S": "5", "5": "S",
    "B": "8", "и": "н", "н": "и", "ш": "щ", "е": "с", "й": "и", "ё": "е", "ы": "ь",
}  # fmt: skip
NOISE_RATE = 0.03
FIRST_PAGE_ONLY = 0.3
PER_TYPE_LANGUAGE = 30
TRAINING_SEED = 424242  # never the benchmark's seed: the bench measures unseen documents


@dataclass(frozen=True)
class Example:
    """One labelled document text."""

    text: str
    label: str
    title: str = ""
    """The title drawn on a generated document (it names the template); "" for others."""


def roughen(text: str, rng: random.Random, rate: float = NOISE_RATE) -> str:
    """The text as a mediocre OCR might give it: swapped, lost and split characters."""
    out: list[str] = []
    for char in text:
        roll = rng.random()
        if roll < rate * 0.6 and char in _CONFUSIONS:
            out.append(_CONFUSIONS[char])
        elif roll < rate * 0.8:
            continue
        elif roll < rate:
            out.append(char + " ")
        else:
            out.append(char)
    lines = "".join(out).split("\n")
    kept = [line for line in lines if rng.random() > 0.1] or lines
    return "\n".join(kept)


def generated_examples(
    types: Sequence[str], *, seed: int, per_type_language: int = PER_TYPE_LANGUAGE
) -> list[Example]:
    """Documents of every generator type and language, laid out (not drawn) and roughened."""
    rng = random.Random(seed)
    examples = []
    for document_type in types:
        for language in LANGUAGES:
            for _ in range(per_type_language):
                pages = rng.choice((1, 1, 2, 3))
                plan = plan_document(
                    rng,
                    pages=pages,
                    language=language,
                    document_type=document_type,
                    dpi=150,
                    font=None,
                    person_codes=None,
                )
                text = "\n".join(page.text for page in plan.pages)
                if rng.random() < FIRST_PAGE_ONLY:
                    text = plan.pages[0].text  # a document whose later pages are missing
                examples.append(Example(roughen(text, rng), document_type, plan.title))
    return examples


def new_version() -> str:
    """A version that sorts by time: ``20261125T203000Z``."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def train_model(
    types: DocumentTypes,
    *,
    generator_types: Sequence[str],
    corrections: Sequence[Example] = (),
    seed: int = TRAINING_SEED,
    per_type_language: int = PER_TYPE_LANGUAGE,
) -> TypeModel:
    """Train on generated documents of ``generator_types`` plus staff's corrections."""
    known = set(types.ids)
    examples = [
        e
        for e in generated_examples(generator_types, seed=seed, per_type_language=per_type_language)
        if e.label in known
    ]
    examples.extend(c for c in corrections if c.label in known)
    return train(
        [e.text for e in examples], [e.label for e in examples], types, version=new_version()
    )
