"""A document's verdict: each review reason raised by a document that has the fault, not by one
that does not; type, person code and role found on a complete one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from classifiers.model import TypeModel
from config.doctypes import load_document_types
from config.settings import ProcessConfig
from pipeline.corpus import Sample, ScanSpec, render_document, scanned, write_sample
from pipeline.document import _Needs
from pipeline.engines.base import OcrEngine
from pipeline.model import Document, ReasonCode
from pipeline.run import process_capture
from pipeline.typemodels import cached_model

CODE = "49403136526"


@pytest.fixture(scope="module")
def model(config: ProcessConfig) -> TypeModel:
    return cached_model(config.model_cache, config.types)


def _document(
    sample: Sample,
    tmp_path: Path,
    *,
    engine: OcrEngine,
    config: ProcessConfig,
    model: TypeModel | None,
) -> Document:
    path = write_sample(sample, tmp_path / "scan", "pdf")
    processed = process_capture(path.read_bytes(), engine=engine, config=config, model=model)
    (document,) = processed.result.documents
    return document


def _codes(document: Document) -> set[ReasonCode]:
    return {r.code for r in document.verdict.reasons}


def _sample(seed: int, **options: object) -> Sample:
    return render_document(random.Random(seed), **options)  # type: ignore[arg-type]


def test_a_complete_signed_form_is_accepted_with_its_type_and_applicant(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig, model: TypeModel
) -> None:
    sample = _sample(21, document_type="bank_account_change", person_codes=[CODE], signed=True)
    document = _document(sample, tmp_path, engine=engine, config=config, model=model)
    assert document.verdict.reasons == ()
    assert document.document_type == "bank_account_change"
    assert document.type_confidence >= config.types.min_confidence
    (code,) = document.fields.person_codes
    assert (code.value, code.page, code.role) == (CODE, 1, "applicant")


def test_an_unsigned_form_is_unsigned(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig, model: TypeModel
) -> None:
    sample = _sample(22, document_type="pension_application", person_codes=[CODE], signed=False)
    document = _document(sample, tmp_path, engine=engine, config=config, model=model)
    assert _codes(document) == {ReasonCode.UNSIGNED}
    assert document.verdict.reasons[0].page == 1


def test_a_signature_is_not_required_of_a_death_certificate(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig, model: TypeModel
) -> None:
    sample = _sample(23, document_type="death_certificate", language="rus", signed=False)
    document = _document(sample, tmp_path, engine=engine, config=config, model=model)
    assert document.document_type == "death_certificate"
    assert ReasonCode.UNSIGNED not in _codes(document)


def test_a_form_without_a_person_code_has_no_person_code(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig, model: TypeModel
) -> None:
    sample = _sample(24, document_type="medical_certificate", person_codes=[], signed=True)
    document = _document(sample, tmp_path, engine=engine, config=config, model=model)
    assert _codes(document) == {ReasonCode.NO_PERSON_CODE}


def test_a_dropped_middle_page_is_missing(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig, model: TypeModel
) -> None:
    # Given a three-page application whose second page was not scanned
    sample = _sample(
        25, document_type="family_benefit_application", pages=3, signed=True
    ).without_page(1)
    document = _document(sample, tmp_path, engine=engine, config=config, model=model)
    # Then its markers (Lk 1/3, Lk 3/3) say page 2 is missing, after capture page 1
    assert _codes(document) == {ReasonCode.MISSING_PAGES}
    assert document.verdict.reasons[0].page == 1


def test_a_complete_multi_page_form_misses_nothing(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig, model: TypeModel
) -> None:
    sample = _sample(25, document_type="family_benefit_application", pages=3, signed=True)
    document = _document(sample, tmp_path, engine=engine, config=config, model=model)
    assert ReasonCode.MISSING_PAGES not in _codes(document)
    assert document.pages == (1, 2, 3)


def test_without_a_model_the_type_is_unknown(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig
) -> None:
    sample = _sample(21, document_type="bank_account_change", person_codes=[CODE], signed=True)
    document = _document(sample, tmp_path, engine=engine, config=config, model=None)
    assert _codes(document) == {ReasonCode.UNKNOWN_TYPE}
    assert document.document_type == "unknown"


def test_a_continuation_page_alone_is_of_unknown_type_and_missing_its_first_page(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig, model: TypeModel
) -> None:
    # Given the second page of an application without its first (no title, no fields)
    sample = _sample(
        26, document_type="family_benefit_application", pages=2, signed=True
    ).without_page(0)
    document = _document(sample, tmp_path, engine=engine, config=config, model=model)
    # Then the classifier abstains rather than guess, and the marker "Lk 2/2" shows the gap
    assert document.document_type == "unknown"
    assert document.type_confidence < config.types.min_confidence
    assert _codes(document) >= {ReasonCode.UNKNOWN_TYPE, ReasonCode.MISSING_PAGES}


def test_an_unreadable_later_page_does_not_hide_a_missing_person_code(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig, model: TypeModel
) -> None:
    # Given a two-page application with the applicant's code left empty on its first page,
    # and its second page scanned badly out of focus
    sample = _sample(27, document_type="pension_application", pages=2, person_codes=[])
    blurred = ScanSpec(degradations=(("blur", "severe"),))
    sample = scanned(sample, random.Random(27), [ScanSpec(), blurred])
    document = _document(sample, tmp_path, engine=engine, config=config, model=model)
    # Then both faults are named, each on its own page
    reasons = {(r.code, r.page) for r in document.verdict.reasons}
    assert (ReasonCode.ILLEGIBLE_BLUR, 2) in reasons
    assert (ReasonCode.NO_PERSON_CODE, 1) in reasons


def test_abstaining_the_likely_types_requirements_still_count() -> None:
    types = load_document_types()
    # Types that need a person code hold most of the probability: the code is needed
    assert _Needs(None, {"pension_application": 0.4, "medical_certificate": 0.3}, types).person_code
    # Mostly "other", which needs none: it is not
    unsure = {"other": 0.6, "pension_application": 0.3}
    assert not _Needs(None, unsure, types).person_code
    assert not _Needs(None, unsure, types).signature
    # A known type decides alone, whatever the probabilities
    death = types.get("death_certificate")
    assert not _Needs(death, {"pension_application": 1.0}, types).signature
    assert _Needs(death, {}, types).person_code
