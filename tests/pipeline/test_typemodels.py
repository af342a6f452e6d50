"""Type models are versioned in the object store; a worker takes the newest one."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from skops import io as skops_io

from config.doctypes import load_document_types
from pipeline.typemodels import (
    PREFIX,
    SUFFIX,
    NewestModel,
    fingerprint,
    newest_key,
    train_and_store,
)
from storage.corrections import Correction
from storage.objects import ObjectStore
from tests.fixtures.services import ServiceUrls

pytestmark = pytest.mark.services


@pytest.fixture
def own_store(service_urls: ServiceUrls, unique: str) -> ObjectStore:
    """A bucket of this test's own, so the models here never reach other tests' workers."""
    store = ObjectStore(replace(service_urls.store, bucket=f"models-{unique}".lower()[:60]))
    store.ensure_bucket()
    return store


def test_each_training_is_a_new_version_and_the_worker_takes_the_newest(
    own_store: ObjectStore, tmp_path: Path
) -> None:
    types = load_document_types()
    # Given one stored model
    first = train_and_store(own_store, types, [], per_type_language=3, seed=5)
    worker = NewestModel(own_store, types, tmp_path / "cache", check_every=0.0)
    assert worker.get().version == first.version
    assert first.key.startswith(PREFIX)
    assert 0.0 <= first.holdout_accuracy <= 1.0
    # When staff's correction is trained in, a second later (versions are by the second)
    time.sleep(1.1)
    correction = Correction("d1", "death_certificate", "SURMATÕEND\nSurnu andmed\nSurmaaeg")
    second = train_and_store(own_store, types, [correction], per_type_language=3, seed=6)
    # Then it is stored beside the first, counted, and the worker switches to it
    assert second.corrections == 1
    assert newest_key(own_store) == second.key != first.key
    assert worker.get().version == second.version
    assert [k for k in own_store.keys(PREFIX)] == sorted([first.key, second.key])


def test_with_no_stored_model_the_worker_stores_the_cached_one(
    own_store: ObjectStore, service_urls: ServiceUrls, unique: str, tmp_path: Path
) -> None:
    types = load_document_types()
    # Given a cache holding a trained model, and an empty store
    trained = train_and_store(own_store, types, [], per_type_language=3, seed=7)
    cache = tmp_path / "cache"
    cache.mkdir()
    cached = cache / f"type-classifier-{fingerprint(types)}{SUFFIX}"
    cached.write_bytes(own_store.get(trained.key))
    empty = ObjectStore(replace(service_urls.store, bucket=f"empty-{unique}".lower()[:60]))
    empty.ensure_bucket()
    assert newest_key(empty) is None
    # When a worker asks for its model
    model = NewestModel(empty, types, cache).get()
    # Then it is the cached one, now stored as the store's first version
    key = newest_key(empty)
    assert key == f"{PREFIX}{model.version}{SUFFIX}"
    assert model.version[:2] == "20"  # a time version: later trainings sort after it
    assert set(model.classify("VOLIKIRI").probabilities) == set(types.ids)


def test_a_planted_model_in_the_store_is_refused_and_capture_goes_on(
    own_store: ObjectStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    types = load_document_types()
    # Given a worker using a stored model
    first = train_and_store(own_store, types, [], per_type_language=3, seed=8)
    worker = NewestModel(own_store, types, tmp_path / "cache", check_every=0.0)
    assert worker.get().version == first.version
    # When a newer "model" that would run code is put in the store, and an old pickle too
    planted = skops_io.dumps(Pipeline([("run", FunctionTransformer(os.system))]))
    own_store.put(f"{PREFIX}29991231T235959Z{SUFFIX}", planted, content_type="x/y")
    own_store.put(f"{PREFIX}29991231T235960Z.joblib", b"pickle", content_type="x/y")
    # Then the worker refuses it, says so once, and classifies with the model it had
    with caplog.at_level(logging.ERROR, logger="pipeline.typemodels"):
        assert worker.get().version == first.version
        assert worker.get().version == first.version
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1
    assert "not trusted" in refusals[0].getMessage()
