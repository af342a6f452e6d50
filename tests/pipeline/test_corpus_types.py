# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""The nine document types, their titles, person roles, signatures and page markers."""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

import numpy as np
import pytest
from stdnum.ee import ik, registrikood

from pipeline.corpus import (
    DOCUMENT_TYPES,
    LANGUAGES,
    Sample,
    ScanSpec,
    render_document,
    scanned,
)
from pipeline.corpus._codes import reference_number, registry_code
from pipeline.corpus._compose import Plan, plan_document
from pipeline.corpus._layout import PageLayout
from pipeline.corpus._templates import TEMPLATES
from pipeline.corpus._words import PAGE_MARKER, SIGNATURE

NEW_TYPES = ("death_certificate", "eu_social_security_form", "other")
ROLES = {"applicant", "representative", "child", "deceased"}
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
DPI = 100


def _render(seed: int, **kwargs: Any) -> Sample:
    kwargs.setdefault("dpi", DPI)
    return render_document(random.Random(seed), **kwargs)


def _plan(seed: int, **kwargs: Any) -> Plan:
    """Lay out what `render_document(random.Random(seed), **kwargs)` draws: its content
    stream is seeded by the first 64 bits of the given one."""
    rng = random.Random(seed)
    return plan_document(
        random.Random(rng.getrandbits(64)),
        pages=kwargs.get("pages", 1),
        language=kwargs.get("language", "est"),
        document_type=kwargs.get("document_type", "pension_application"),
        dpi=kwargs.get("dpi", DPI),
        font=None,
        person_codes=None,
        signature_line=kwargs.get("signed") is True,
    )


def _title_pattern(variant: str) -> re.Pattern[str]:
    pattern = re.escape(variant).replace(r"\{number\}", r"\d{4}-\d{4}")
    return re.compile(pattern.replace(r"\{state\}", "[A-Z]{2}"))


def _variants(document_type: str, language: str) -> list[re.Pattern[str]]:
    return [
        _title_pattern(title)
        for kind in TEMPLATES[document_type]
        for title in kind.titles[language]
    ]


def _sign_region(layout: PageLayout, dpi: int) -> tuple[slice, slice, np.ndarray[Any, Any]]:
    """Return the rows and columns around the sign line (from 12 mm above it to 5 mm below,
    along it: where a signature goes), and a mask of that region without the line and any
    text."""
    assert layout.signature is not None
    start, line_top, end, line_bottom = layout.signature
    mm = dpi / 25.4
    rows = slice(round(line_top - 12 * mm), round(line_bottom + 5 * mm))
    columns = slice(start, end)
    keep = np.ones((rows.stop - rows.start, columns.stop - columns.start), bool)
    keep[line_top - rows.start - 1 : line_bottom - rows.start + 1, :] = False
    for line in layout.lines:
        for run in line.runs:
            left, top, right, bottom = run.box
            keep[
                max(0, top - rows.start) : max(0, bottom - rows.start),
                max(0, left - start) : max(0, right - start),
            ] = False
    return rows, columns, keep


def _ink_near_signature(sample: Sample, layout: PageLayout) -> int:
    rows, columns, keep = _sign_region(layout, sample.dpi)
    region = np.asarray(sample.pages[-1])[rows, columns]
    return int(((region < 128) & keep).sum())


# --- types and titles -----------------------------------------------------------------------


def test_the_nine_types_keep_the_old_six_first() -> None:
    assert DOCUMENT_TYPES == (
        "pension_application",
        "family_benefit_application",
        "disability_assessment_application",
        "power_of_attorney",
        "medical_certificate",
        "bank_account_change",
        "death_certificate",
        "eu_social_security_form",
        "other",
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("document_type", DOCUMENT_TYPES)
def test_every_type_renders_in_every_language_with_its_title_in_the_truth(
    document_type: str, language: str
) -> None:
    for seed in range(3):
        sample = _render(seed, document_type=document_type, language=language)

        assert sample.document_type == document_type
        assert sample.truth[0].language == language
        lines = sample.truth[0].text.splitlines()
        # The title follows the issuer's line, wrapped over one or more lines.
        title_lines = [line for line in lines[1:4] if sample.title.startswith(line)]
        assert title_lines and title_lines[0] == lines[1], (sample.title, lines[:4])
        assert sample.title in " ".join(lines[1:4])
        assert any(p.fullmatch(sample.title) for p in _variants(document_type, language))
        if language == "rus":
            assert CYRILLIC.search(sample.title) or sample.title.startswith("E 205")
        else:
            assert not CYRILLIC.search(sample.truth[0].text)


@pytest.mark.parametrize("document_type", NEW_TYPES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_new_types_vary_their_titles(document_type: str, language: str) -> None:
    titles = Counter(
        _render(seed, document_type=document_type, language=language).title for seed in range(30)
    )

    assert len(titles) >= 3, titles
    assert max(titles.values()) <= 20, titles


def test_the_old_types_keep_one_title_each_in_the_office_wording() -> None:
    for document_type in DOCUMENT_TYPES[:6]:
        kind = TEMPLATES[document_type][0]
        assert all(len(kind.titles[language]) == 1 for language in LANGUAGES)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("est", ("Isikukood:", "Surmaaeg:", "Surmakoht:", "Surmakande number:")),
        ("rus", ("Личный код:", "Дата смерти:", "Место смерти:", "Номер актовой записи:")),
        ("eng", ("Personal code:", "Date of death:", "Place of death:", "Record number:")),
    ],
)
def test_a_death_certificate_names_the_deceased_and_the_informant(
    language: str, words: tuple[str, ...]
) -> None:
    sample = _render(1, document_type="death_certificate", language=language)

    assert sample.person_roles == ("deceased", "applicant")
    deceased, informant = sample.person_codes
    assert ik.is_valid(deceased) and ik.is_valid(informant)
    lines = sample.truth[0].text.splitlines()
    assert f"{words[0]} {deceased}" in lines and f"{words[0]} {informant}" in lines
    assert lines.index(f"{words[0]} {deceased}") < lines.index(f"{words[0]} {informant}")
    for label in words[1:]:
        assert any(line.startswith(label) for line in lines), (label, lines)
    death = next(line for line in lines if line.startswith(words[1])).split()[-1]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", death)


def test_eu_forms_are_s1_p1_u1_a1_and_e205_with_the_code_in_the_title() -> None:
    codes: Counter[str] = Counter()
    for seed in range(60):
        sample = _render(seed, document_type="eu_social_security_form", language="eng")
        code = re.search(r"\b(S1|P1|U1|A1|E 205 [A-Z]{2})\b", sample.title)
        assert code, sample.title
        codes[code.group(1)[:5]] += 1
        lines = sample.truth[0].text.splitlines()
        assert sample.person_roles == ("applicant",)
        assert f"Personal code: {sample.person_codes[0]}" in lines
        assert any(line.startswith("Competent institution: ") for line in lines)
        assert any(re.fullmatch(r"Institution ID: [A-Z]{2}:\d+", line) for line in lines)
        state = re.search(r"E 205 ([A-Z]{2})", sample.title)
        if state:  # the form of the institution's state, with its insurance periods
            assert any(re.match(rf"Institution ID: {state.group(1)}:", line) for line in lines)
            assert "From Until Country" in lines
    assert set(codes) == {"S1", "P1", "U1", "A1", "E 205"}, codes
    titles = {_render(s, document_type="eu_social_security_form").title for s in range(60)}
    assert "KAASASKANTAV DOKUMENT S1" in titles or "KAASASKANTAV DOKUMENT A1" in titles


def test_other_documents_vary_in_kind_person_codes_and_signature_line() -> None:
    samples = [_render(seed, document_type="other", language="est") for seed in range(40)]

    with_code = [s for s in samples if s.person_codes]
    assert 5 <= len(with_code) <= 35
    assert all(s.person_roles == ("applicant",) for s in with_code)
    signature_lines = [SIGNATURE["est"] in s.truth[-1].text.splitlines() for s in samples]
    assert 5 <= sum(signature_lines) <= 35
    kinds = {s.title.split()[0] for s in samples}
    assert len(kinds) >= 6, kinds


def test_invoices_add_up_and_carry_valid_codes() -> None:
    found = 0
    for seed in range(60):
        sample = _render(seed, document_type="other", language="eng")
        lines = sample.truth[0].text.splitlines()
        if "Service Qty Amount (EUR)" not in lines:
            continue
        found += 1
        start = lines.index("Service Qty Amount (EUR)") + 1
        rows = [re.fullmatch(r".+ \d+ (\d+\.\d\d)", line) for line in lines[start:]]
        amounts = [float(row.group(1)) for row in rows[: rows.index(None)] if row]
        total = next(line for line in lines if line.startswith("Total due: "))
        assert f"{sum(amounts):.2f} EUR" == total.removeprefix("Total due: ")
        code = next(line for line in lines if line.startswith("Registry code: ")).split()[-1]
        assert registrikood.is_valid(code)
    assert found >= 3


def test_registry_codes_and_reference_numbers_have_their_check_digits() -> None:
    rng = random.Random(5)

    assert all(registrikood.is_valid(registry_code(rng)) for _ in range(200))
    for _ in range(200):
        number = reference_number(rng)
        weights = (7, 3, 1)
        total = sum(weights[i % 3] * int(d) for i, d in enumerate(reversed(number[:-1])))
        assert 4 <= len(number) <= 10 and int(number[-1]) == -total % 10


# --- person roles ---------------------------------------------------------------------------


@pytest.mark.parametrize("document_type", DOCUMENT_TYPES)
def test_person_roles_give_one_role_per_person_code(document_type: str) -> None:
    for seed, language in enumerate(LANGUAGES * 2):
        sample = _render(seed, document_type=document_type, language=language)

        assert len(sample.person_roles) == len(sample.person_codes)
        assert set(sample.person_roles) <= ROLES
        if sample.person_roles:
            assert sample.person_roles[0] in ("applicant", "deceased")


@pytest.mark.parametrize(
    ("document_type", "count", "roles"),
    [
        ("pension_application", 2, ("applicant", "representative")),
        ("family_benefit_application", 3, ("applicant", "child", "child")),
        ("power_of_attorney", 2, ("applicant", "representative")),
        ("medical_certificate", 1, ("applicant",)),
        ("death_certificate", 3, ("deceased", "applicant", "applicant")),
        ("eu_social_security_form", 2, ("applicant", "representative")),
    ],
)
def test_person_roles_follow_the_given_codes(
    document_type: str, count: int, roles: tuple[str, ...]
) -> None:
    codes = ["49403136526", "38001085718", "61501010002"][:count]

    sample = _render(4, document_type=document_type, person_codes=codes)

    assert sample.person_codes == tuple(codes)
    assert sample.person_roles == roles


def test_no_person_code_gives_no_role() -> None:
    sample = _render(5, document_type="death_certificate", person_codes=[])

    assert sample.person_codes == sample.person_roles == ()


# --- signatures -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_puts_ink_on_the_signature_line_and_unsigned_does_not(language: str) -> None:
    types = ("pension_application", "death_certificate", "eu_social_security_form")
    for seed, document_type in enumerate(types):
        kwargs: dict[str, Any] = {"document_type": document_type, "language": language}
        kwargs["pages"] = 1 + seed % 2
        layout = _plan(seed, signed=True, **kwargs).pages[-1]
        label = next(line for line in layout.lines if line.text == SIGNATURE[language])
        assert layout.signature is not None
        assert layout.signature[0] > label.runs[0].box[2]  # the line is right of the label

        signed = _render(seed, signed=True, **kwargs)
        unsigned = _render(seed, signed=False, **kwargs)

        assert signed.signed and not unsigned.signed
        assert _ink_near_signature(signed, layout) > 100
        assert _ink_near_signature(unsigned, layout) == 0
        # The signature is all that differs, and it is near its line.
        rows, columns, _ = _sign_region(layout, DPI)
        changed = np.asarray(signed.pages[-1]) != np.asarray(unsigned.pages[-1])
        assert changed[rows, columns].sum() == changed.sum() > 0
        assert signed.truth == unsigned.truth
        assert [p.tobytes() for p in signed.pages[:-1]] == [
            p.tobytes() for p in unsigned.pages[:-1]
        ]


def test_signed_with_overlays_signs_and_unsigned_does_not() -> None:
    for seed, language in enumerate(LANGUAGES):
        layout = _plan(seed, language=language).pages[-1]
        signed = _render(seed, language=language, overlays=True, signed=True)
        unsigned = _render(seed, language=language, overlays=True, signed=False)

        assert signed.signed and not unsigned.signed
        assert _ink_near_signature(signed, layout) > 100
        assert signed.truth == unsigned.truth


def test_signed_none_keeps_the_random_signature_and_the_rest_of_the_overlays() -> None:
    drawn: Counter[bool] = Counter()
    for seed in range(12):
        kwargs: dict[str, Any] = {"pages": 2, "overlays": True, "language": LANGUAGES[seed % 3]}
        at_random = _render(seed, **kwargs)
        forced = _render(seed, signed=at_random.signed, **kwargs)

        drawn[at_random.signed] += 1
        assert [p.tobytes() for p in forced.pages] == [p.tobytes() for p in at_random.pages]
    assert drawn[True] >= 6


def test_without_overlays_nothing_is_signed_unless_asked() -> None:
    for seed, document_type in enumerate(DOCUMENT_TYPES):
        plain = _render(seed, document_type=document_type)
        unsigned = _render(seed, document_type=document_type, signed=False)

        assert not plain.signed
        assert plain.pages[0].tobytes() == unsigned.pages[0].tobytes()


def test_signed_gives_a_document_without_a_signature_line_one() -> None:
    seeds = [
        seed
        for seed in range(40)
        if SIGNATURE["eng"]
        not in _render(seed, document_type="other", language="eng").truth[0].text.splitlines()
    ]
    assert seeds
    seed = seeds[0]

    unsigned = _render(seed, document_type="other", language="eng", signed=False)
    signed = _render(seed, document_type="other", language="eng", signed=True)

    assert SIGNATURE["eng"] not in unsigned.truth[0].text.splitlines()
    assert signed.truth[0].text.splitlines()[-1] == SIGNATURE["eng"]
    assert signed.signed and not unsigned.signed


# --- page markers and missing pages ---------------------------------------------------------


@pytest.mark.parametrize("document_type", DOCUMENT_TYPES)
def test_every_page_of_a_multi_page_document_carries_its_marker(document_type: str) -> None:
    for seed, language in enumerate(LANGUAGES):
        sample = _render(seed, document_type=document_type, language=language, pages=3)

        for number, truth in enumerate(sample.truth, start=1):
            marker = PAGE_MARKER[language].format(page=number, pages=3)
            assert truth.marker == marker
            assert truth.text.splitlines()[-1] == marker
    single = _render(9, document_type=document_type)
    assert single.truth[0].marker == ""


def test_a_dropped_page_leaves_a_gap_in_the_markers() -> None:
    sample = _render(3, pages=3, document_type="eu_social_security_form", overlays=True)

    missing = sample.without_page(1)

    assert len(missing.pages) == len(missing.truth) == 2
    assert [t.marker for t in missing.truth] == ["Lk 1/3", "Lk 3/3"]
    assert missing.pages[1] is sample.pages[2]
    assert (missing.person_codes, missing.person_roles, missing.title) == (
        sample.person_codes,
        sample.person_roles,
        sample.title,
    )
    assert [t.marker for t in sample.without_page(-1).truth] == ["Lk 1/3", "Lk 2/3"]
    with pytest.raises(IndexError):
        sample.without_page(3)


def test_scanning_keeps_the_document_truth() -> None:
    sample = _render(6, pages=2, document_type="death_certificate", signed=True)

    result = scanned(sample, random.Random(0), [ScanSpec(rotation=90), ScanSpec()])

    assert (result.person_roles, result.signed, result.title) == (
        sample.person_roles,
        True,
        sample.title,
    )
    assert [t.marker for t in result.truth] == ["Lk 1/2", "Lk 2/2"]
