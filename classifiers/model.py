"""The trained type classifier: character n-grams and the title/phrase rules, calibrated.

One scikit-learn pipeline: TF-IDF over character n-grams (robust to OCR errors and word
endings, in any of the three languages) joined with the rule scores of every type, into a
logistic regression whose probabilities are calibrated by cross-validation (isotonic).  It
abstains below the configured confidence rather than guess.  Before either sees it, the text's
Cyrillic look-alikes of Latin letters are folded into the Latin (OCR mixes the scripts).

A model is bytes with its version; the pipeline stores them in the object store and loads
the newest.  The bytes are skops' format, not pickle: loading builds only the types listed in
``TRUSTED_TYPES`` and scikit-learn's own, and refuses a file that names any other, so a model
planted in the store cannot run code in a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zipfile import ZIP_DEFLATED, BadZipFile

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from skops import io as skops_io
from skops.io.exceptions import UntrustedTypesFoundException

from classifiers.rules import fold, phrase_scores, title_scores
from config.doctypes import DocumentType, DocumentTypes
from config.errors import Misconfigured

UNKNOWN = "unknown"
RULE_WEIGHT = 3.0  # the rule scores beside some thousands of n-gram weights
_MAX_TEXT = 6000  # characters of a document the model reads
# Types beyond scikit-learn's defaults that a stored model may hold: ours, and the private
# calibration class of scikit-learn that skops does not trust by default.
TRUSTED_TYPES = (
    "classifiers.model.RuleFeatures",
    "config.doctypes.DocumentType",
    "sklearn.calibration._CalibratedClassifier",
)


def _prepared(text: str) -> str:
    """What the model reads of a document: its head, with the scripts' look-alikes folded."""
    return fold(text[:_MAX_TEXT])


class RuleFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Title and phrase scores of every type, as two columns per type."""

    def __init__(self, types: tuple[DocumentType, ...] = ()) -> None:
        self.types = types

    def fit(self, texts: Sequence[str], labels: Any = None) -> RuleFeatures:
        """Nothing to learn."""
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """One row per text: title scores, then phrase scores."""
        rows = [title_scores(t, self.types) + phrase_scores(t, self.types) for t in texts]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float64))


@dataclass(frozen=True)
class Classification:
    """The type (``UNKNOWN`` when abstaining), its calibrated probability, and every type's."""

    document_type: str
    confidence: float
    abstained: bool
    probabilities: dict[str, float]


@dataclass(frozen=True)
class TypeModel:
    """A trained classifier and the version it is stored under."""

    version: str
    pipeline: Pipeline
    min_confidence: float

    def classify(self, text: str) -> Classification:
        """The most probable type, or an abstention below ``min_confidence``."""
        probs = self.pipeline.predict_proba([_prepared(text)])[0]
        classes = [str(c) for c in self.pipeline.classes_]
        best = int(np.argmax(probs))
        confidence = float(probs[best])
        abstained = confidence < self.min_confidence
        return Classification(
            document_type=UNKNOWN if abstained else classes[best],
            confidence=round(confidence, 4),
            abstained=abstained,
            probabilities={c: round(float(p), 4) for c, p in zip(classes, probs, strict=True)},
        )

    def to_bytes(self) -> bytes:
        """The fitted pipeline, serialised by skops."""
        data: bytes = skops_io.dumps(self.pipeline, compression=ZIP_DEFLATED, compresslevel=6)
        return data

    @staticmethod
    def from_bytes(data: bytes, *, version: str, min_confidence: float) -> TypeModel:
        """A stored model, built from nothing but trusted types.

        Raises:
            Misconfigured: The bytes are no model, or name a type not trusted.
        """
        try:
            pipeline = skops_io.loads(data, trusted=list(TRUSTED_TYPES))
        except UntrustedTypesFoundException as exc:
            raise Misconfigured(f"model {version} holds types not trusted: {exc}") from exc
        except (BadZipFile, KeyError, ValueError, TypeError) as exc:
            raise Misconfigured(f"model {version} cannot be read ({type(exc).__name__})") from exc
        if not isinstance(pipeline, Pipeline):
            raise Misconfigured(f"model {version} is no scikit-learn pipeline")
        return TypeModel(version=version, pipeline=pipeline, min_confidence=min_confidence)


def train(
    texts: Sequence[str], labels: Sequence[str], types: DocumentTypes, *, version: str
) -> TypeModel:
    """Fit the pipeline on labelled document texts (every type needs a few examples)."""
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 4),
                    min_df=2,
                    max_features=60000,
                    sublinear_tf=True,
                ),
            ),
            ("rules", RuleFeatures(types.types)),
        ],
        transformer_weights={"chars": 1.0, "rules": RULE_WEIGHT},
    )
    calibrated = CalibratedClassifierCV(
        LogisticRegression(C=8.0, max_iter=3000), method="isotonic", cv=3
    )
    pipeline = Pipeline([("features", features), ("classify", calibrated)])
    pipeline.fit([_prepared(t) for t in texts], list(labels))
    # The vocabulary as plain ints, not numpy's: skops then loads a model in a second, not four.
    chars = features.transformer_list[0][1]
    chars.vocabulary_ = {k: int(v) for k, v in chars.vocabulary_.items()}
    return TypeModel(version=version, pipeline=pipeline, min_confidence=types.min_confidence)


def probabilities(model: TypeModel, texts: Sequence[str]) -> NDArray[np.float64]:
    """Class probabilities of many texts at once (for evaluation)."""
    return np.asarray(model.pipeline.predict_proba([_prepared(t) for t in texts]))
