# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""Document types come from TOML: the shipped file is complete, a broken one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.doctypes import load_document_types
from config.errors import Misconfigured

REQUIRED = (
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


def test_the_shipped_file_defines_every_type_in_three_languages() -> None:
    types = load_document_types()
    assert types.ids == REQUIRED
    for kind in types.types:
        assert set(kind.names) == {"et", "en", "ru"}
        assert kind.titles or kind.id == "other"
    assert 0 < types.min_confidence < 1


def test_adding_a_type_is_a_config_change(tmp_path: Path) -> None:
    # Given a site file with one more type
    extra = tmp_path / "types.toml"
    extra.write_text(
        Path("config/document_types.toml").read_text(encoding="utf-8")
        + '\n[types.pension_decision]\nnames = { et = "Pensioniotsus", en = "Pension '
        'decision", ru = "Решение о пенсии" }\ntitles = ["pensioniotsus"]\nfields = []\n',
        encoding="utf-8",
    )
    # Then it is loaded with the others, with safe defaults
    kind = load_document_types(extra).get("pension_decision")
    assert kind is not None
    assert (kind.signature, kind.person_code, kind.pages) == (False, False, 0)


@pytest.mark.parametrize(
    "body",
    [
        '[types.other]\nnames = { et = "Muu" }\n',
        '[types.other]\nnames = { et = "a", en = "b", ru = "c" }\nfields = ["shoe_size"]\n',
        '[types.letter]\nnames = { et = "a", en = "b", ru = "c" }\n',
        'case_number_pattern = "(("\n[types.other]\nnames = { et = "a", en = "b", ru = "c" }\n',
    ],
)
def test_a_broken_file_is_refused(body: str, tmp_path: Path) -> None:
    path = tmp_path / "types.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(Misconfigured):
        load_document_types(path)
