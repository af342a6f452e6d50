# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""Title and phrase rules: loose about OCR errors, strict about short titles inside words."""

from __future__ import annotations

from classifiers.rules import fold, normalise, phrase_scores, title_scores
from config.doctypes import load_document_types

TYPES = load_document_types().types
IDS = [t.id for t in TYPES]


def score_of(scores: list[float], type_id: str) -> float:
    return scores[IDS.index(type_id)]


def test_normalise_folds_case_punctuation_and_yo() -> None:
    assert normalise("ЗАЯВЛЕНИЕ об изменении расчётного  счёта!") == (
        "заявление об изменении расчетного счета"
    )


def test_a_title_with_an_ocr_error_still_matches() -> None:
    text = "Sotsiaalkindlustusamet\nAVALDUS VANADUSPENSIONl MÄÄRAMlSEKS\n1. Taotleja andmed"
    scores = title_scores(text, TYPES)
    assert score_of(scores, "pension_application") > 0.85
    assert score_of(scores, "bank_account_change") == 0.0


def test_a_title_in_russian_matches_its_type() -> None:
    text = "ДОВЕРЕННОСТЬ\nНастоящей доверенностью уполномочиваю"
    assert score_of(title_scores(text, TYPES), "power_of_attorney") == 1.0


def test_a_short_title_does_not_match_inside_a_word() -> None:
    # "kiri" (letter) and "arve" (invoice) are titles of `other`; "allkiri" and
    # "arvelduskonto" are not letters or invoices.
    text = "Allkiri: ______ Arvelduskonto: EE38 2200 2210 2014 5685"
    assert score_of(title_scores(text, TYPES), "other") == 0.0


def test_a_title_far_down_the_page_is_not_a_title() -> None:
    text = "x " * 400 + "VOLIKIRI"
    assert score_of(title_scores(text, TYPES), "power_of_attorney") == 0.0


def test_phrases_count_anywhere_with_word_endings() -> None:
    text = "... taotlen vanaduspensioni määramist, olen jõudnud pensioniikka ..."
    assert score_of(phrase_scores(text, TYPES), "pension_application") > 0
    assert score_of(phrase_scores(text, TYPES), "death_certificate") == 0


def test_a_russian_title_read_partly_as_latin_letters_still_matches() -> None:
    # OCR often reads Russian capitals as the Latin letters they look like
    text = "Департамент социального страхования\nЗАЯВЛЕНИЕ ОБ ИЗМЕНЕНИИ PACЧETHOГO CЧЁTA\n"
    scores = title_scores(text, TYPES)
    assert score_of(scores, "bank_account_change") > 0.85
    assert max(s for i, s in enumerate(scores) if IDS[i] != "bank_account_change") == 0.0


def test_fold_writes_cyrillic_look_alikes_as_latin_and_leaves_other_letters() -> None:
    assert fold("РАСЧЁТ") == fold("PACЧET") == "pacчet"
    assert fold("Tõend") == "tõend"
    assert fold("Жизнь") == "жизhь"
