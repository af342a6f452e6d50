"""Where type models live: versioned in the object store; a local cache without services.

``intake train`` puts each new model under ``models/type-classifier/<version>.skops``;
workers load the newest (models stored by earlier versions as pickles, ``.joblib``, are
never loaded: pickle runs code).  ``intake process``, which runs without services, trains once from
the generated corpus and keeps the model in a cache folder, keyed by everything it was
trained from, so a change of the document types or of the generator's templates trains a
new one.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from classifiers.model import TypeModel
from config.doctypes import DocumentTypes
from config.errors import Misconfigured
from pipeline.corpus import DOCUMENT_TYPES, TEMPLATES
from pipeline.training import (
    PER_TYPE_LANGUAGE,
    Example,
    generated_examples,
    new_version,
    train_model,
)
from storage.corrections import Correction
from storage.objects import ObjectStore

log = logging.getLogger(__name__)
PREFIX = "models/type-classifier/"
SUFFIX = ".skops"
TRAINING_RECIPE = "chars2-4+rules/v2-folded-isotonic"


def fingerprint(types: DocumentTypes) -> str:
    """What a generated-corpus model depends on: types, generator types and templates, recipe.

    The templates' wording is what the model learns, so a change of any of them trains anew.
    """
    templates = hashlib.sha256(repr(TEMPLATES).encode()).hexdigest()
    recipe = f"{types!r}|{DOCUMENT_TYPES!r}|{templates}|{PER_TYPE_LANGUAGE}|{TRAINING_RECIPE}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:16]


def newest_key(store: ObjectStore) -> str | None:
    """The key of the newest stored model (versions sort by time)."""
    keys = [k for k in store.keys(PREFIX) if k.endswith(SUFFIX)]
    return keys[-1] if keys else None


def load_stored(store: ObjectStore, key: str, types: DocumentTypes) -> TypeModel:
    """The model stored under ``key``."""
    version = key.removeprefix(PREFIX).removesuffix(SUFFIX)
    return TypeModel.from_bytes(
        store.get(key), version=version, min_confidence=types.min_confidence
    )


def store_model(store: ObjectStore, model: TypeModel) -> str:
    """Put the model in the store as a new version; returns its key."""
    key = f"{PREFIX}{model.version}{SUFFIX}"
    store.put(key, model.to_bytes(), content_type="application/octet-stream")
    return key


def cached_model(folder: Path, types: DocumentTypes) -> TypeModel:
    """The generated-corpus model from the cache, trained and cached first if need be."""
    path = folder / f"type-classifier-{fingerprint(types)}{SUFFIX}"
    if path.exists():
        try:
            return TypeModel.from_bytes(
                path.read_bytes(), version=path.stem, min_confidence=types.min_confidence
            )
        except Misconfigured as exc:
            log.warning("cached type model %s refused, training again: %s", path.name, exc)
    log.info("training the document type model from the generated corpus")
    model = train_model(types, generator_types=DOCUMENT_TYPES)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(model.to_bytes())
    partial.replace(path)
    return model


class NewestModel:
    """The newest stored model for a worker, looked up again at most every ``check_every`` s."""

    def __init__(
        self, store: ObjectStore, types: DocumentTypes, cache: Path, check_every: float = 60.0
    ) -> None:
        self._store, self._types, self._cache = store, types, cache
        self._check_every = check_every
        self._model: TypeModel | None = None
        self._generated: TypeModel | None = None
        self._key: str | None = None
        self._checked = float("-inf")

    def keep_generated(self) -> TypeModel:
        """Load the generated-corpus model now and keep it: its cache is not read again.

        A worker that gives up root's powers does this first, since the cache may lie in
        root's own folder.
        """
        self._generated = self._generated or cached_model(self._cache, self._types)
        return self._generated

    def _fallback(self) -> TypeModel:
        """The generated-corpus model: kept in memory, else from the cache."""
        return self._generated or cached_model(self._cache, self._types)

    def get(self) -> TypeModel:
        """The model to classify with now (trained and stored first when the store has none)."""
        now = time.monotonic()
        if self._model is not None and now - self._checked < self._check_every:
            return self._model
        self._checked = now
        key = newest_key(self._store)
        if key is None:
            # None stored yet: the generated model becomes the store's first version.
            model = replace(self._fallback(), version=new_version())
            self._key, self._model = store_model(self._store, model), model
        elif key != self._key or self._model is None:
            self._key = key
            try:
                self._model = load_stored(self._store, key, self._types)
            except Misconfigured as exc:
                # A model that cannot be trusted or read is not used; capture goes on with
                # the model in hand, or the generated one, until a good one is stored.
                log.error("stored type model %s refused: %s", key, exc)
                if self._model is None:
                    self._model = self._fallback()
            else:
                log.info("document type model %s loaded", self._model.version)
        return self._model


@dataclass(frozen=True)
class Trained:
    """What ``intake train`` made: the stored key and how well the model does."""

    key: str
    version: str
    corrections: int
    holdout_documents: int
    holdout_accuracy: float


def holdout_accuracy(model: TypeModel, types: DocumentTypes, *, seed: int) -> tuple[int, float]:
    """Accuracy on generated documents drawn from a seed the model never saw."""
    known = set(types.ids)
    held = [
        e
        for e in generated_examples(DOCUMENT_TYPES, seed=seed, per_type_language=4)
        if e.label in known
    ]
    right = sum(model.classify(e.text).document_type == e.label for e in held)
    return len(held), right / len(held) if held else 0.0


def train_and_store(
    store: ObjectStore,
    types: DocumentTypes,
    found: Sequence[Correction],
    *,
    per_type_language: int,
    seed: int,
) -> Trained:
    """Train on the generated corpus and staff's corrections; store as the newest version."""
    examples = [Example(c.text, c.document_type) for c in found if c.text.strip()]
    model = train_model(
        types,
        generator_types=DOCUMENT_TYPES,
        corrections=examples,
        seed=seed,
        per_type_language=per_type_language,
    )
    count, accuracy = holdout_accuracy(model, types, seed=seed + 1)
    key = store_model(store, model)
    return Trained(key, model.version, len(examples), count, round(accuracy, 4))
