# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""The trained type model: learns from labelled texts, abstains when unsure, survives storage."""

from __future__ import annotations

import os
import pickle
import random

import pytest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from skops import io as skops_io

from classifiers.model import UNKNOWN, TypeModel, train
from config.doctypes import DocumentTypes, load_document_types
from config.errors import Misconfigured

FILLER = (
    "Sotsiaalkindlustusamet Endla 8 Tallinn telefon 612 1360 e-post info@sotsiaalkindlustusamet.ee "
    "Aadress Nimi Isikukood Kuupäev Allkiri"
)


def _examples(types: DocumentTypes, seed: int, per_type: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for kind in types.types:
        for _ in range(per_type):
            title = rng.choice(kind.titles).upper()
            phrases = rng.sample(list(kind.phrases), k=min(3, len(kind.phrases)))
            words = FILLER.split()
            rng.shuffle(words)
            texts.append("\n".join([title, *phrases, " ".join(words)]))
            labels.append(kind.id)
    return texts, labels


@pytest.fixture(scope="module")
def model() -> TypeModel:
    types = load_document_types()
    texts, labels = _examples(types, seed=1, per_type=20)
    return train(texts, labels, types, version="test")


def test_a_known_title_is_classified_confidently(model: TypeModel) -> None:
    found = model.classify("AVALDUS ARVELDUSKONTO MUUTMISEKS\nUus arvelduskonto (IBAN)\nAllkiri")
    assert found.document_type == "bank_account_change"
    assert not found.abstained
    assert found.confidence >= model.min_confidence
    assert sum(found.probabilities.values()) == pytest.approx(1.0, abs=0.01)


def test_a_russian_power_of_attorney_is_recognised(model: TypeModel) -> None:
    found = model.classify("ДОВЕРЕННОСТЬ\nНастоящей уполномочиваю доверенное лицо")
    assert found.document_type == "power_of_attorney"


def test_text_like_no_type_abstains_instead_of_guessing(model: TypeModel) -> None:
    found = model.classify("qwz 8812 xv kkpt zzrm 0031 ppq")
    assert found.abstained
    assert found.document_type == UNKNOWN
    assert found.confidence < model.min_confidence


def test_a_stored_model_classifies_the_same(model: TypeModel) -> None:
    again = TypeModel.from_bytes(model.to_bytes(), version="test", min_confidence=0.55)
    text = "SURMATÕEND\nSurnu andmed\nSurmaaeg 01.02.2024"
    assert again.classify(text) == model.classify(text)


def test_a_model_that_would_run_code_is_refused_not_loaded(model: TypeModel) -> None:
    # Given the bytes of a pipeline that calls os.system, as a planted model would
    planted = Pipeline([("run", FunctionTransformer(os.system))])
    data = skops_io.dumps(planted)
    # When they are loaded as a model, then they are refused before anything is built
    with pytest.raises(Misconfigured, match="not trusted"):
        TypeModel.from_bytes(data, version="planted", min_confidence=0.55)


@pytest.mark.parametrize(
    "data", [b"", b"not a zip file", pickle.dumps({"a": 1})], ids=["empty", "text", "pickle"]
)
def test_bytes_that_are_no_model_are_refused(data: bytes) -> None:
    with pytest.raises(Misconfigured, match="cannot be read"):
        TypeModel.from_bytes(data, version="bad", min_confidence=0.55)
