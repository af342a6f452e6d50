"""What goes on each page of a synthetic document: persons, fields, paragraphs, signature."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.corpus import _codes, _words
from pipeline.corpus._layout import (
    Block,
    Fields,
    PageLayout,
    Signature,
    Table,
    Text,
    Typesetter,
    families,
    find_family,
)
from pipeline.corpus._templates import DECLARATIONS, GENERAL, TEMPLATES, Template

_BODY_POINTS = (11.0, 11.5, 12.0)
_DOCUMENT_DATES = (date(2025, 1, 1), date(2026, 12, 31))
_BORN = {
    "pension_applicant": (date(1955, 1, 1), date(1962, 12, 31)),
    "child": (date(2008, 1, 1), date(2024, 12, 31)),
    "adult": (date(1945, 1, 1), date(2000, 12, 31)),
}
_TABLE_SHARE = 0.4  # of pages that get a table, when tables are asked for
_ASCII = str.maketrans("õäöüšžÕÄÖÜŠŽ", "oaousz" * 2)


@dataclass(frozen=True)
class Plan:
    """A document laid out page by page, before it is drawn."""

    pages: tuple[PageLayout, ...]
    person_codes: tuple[str, ...]


def plan_document(
    rng: random.Random,
    *,
    pages: int,
    language: str,
    document_type: str,
    dpi: int,
    font: str | None,
    person_codes: Sequence[str] | None,
    tables: random.Random | None = None,
) -> Plan:
    """Choose the content of a document and lay it out; see `render_document`.

    With `tables`, a source of randomness of its own, some pages get a ruled table (of
    insurance periods, payments or attachments) where it fits; the rest of the content is
    the same as without.

    Raises:
        ValueError: On an unknown language, document type or font, fewer than one page, a
            resolution outside 72-1200 dpi, or persons that do not fit on the first page.
    """
    if language not in _words.LANGUAGES:
        raise ValueError(f"language must be one of {_words.LANGUAGES}, not {language!r}")
    if document_type not in TEMPLATES:
        raise ValueError(f"unknown document type {document_type!r}: one of {sorted(TEMPLATES)}")
    if pages < 1:
        raise ValueError(f"a document has at least one page, not {pages}")
    if not 72 <= dpi <= 1200:
        raise ValueError(f"dpi must be within 72-1200, not {dpi}")
    template = TEMPLATES[document_type]
    if font is not None:
        family = find_family(font)
    elif families():
        family = rng.choice(families())
    else:
        raise ValueError("no font that draws Estonian and Cyrillic is installed")
    setter = Typesetter(dpi, family, rng.choice(_BODY_POINTS))
    content = _Content(rng, template, language, document_type, person_codes)
    content.tables = tables
    layouts = tuple(content.page(setter, n, pages) for n in range(1, pages + 1))
    return Plan(layouts, tuple(code for _, _, code in content.persons if code))


class _Content:
    """The randomly chosen content of one document, in the order it is drawn."""

    def __init__(
        self,
        rng: random.Random,
        template: Template,
        language: str,
        document_type: str,
        person_codes: Sequence[str] | None,
    ) -> None:
        self.rng = rng
        self.template = template
        self.language = language
        self.dated = _codes.random_date(rng, *_DOCUMENT_DATES)
        codes: list[str | None] = (
            [None] * template.default_persons if person_codes is None else list(person_codes)
        )
        self.persons: list[tuple[str, list[tuple[str, str]], str]] = []
        for i, code in enumerate(codes or [""]):
            role = template.roles[min(i, 1)]
            pension = document_type == "pension_application" and i == 0
            kind = "child" if role == "child" else "pension_applicant" if pension else "adult"
            self.persons.append(self._person(role, kind, code))
        self.values = self._values()
        self.pool: list[str] = []
        self.used = 0
        self.number = 0
        self.tables: random.Random | None = None

    def label(self, kind: str) -> str:
        return _words.FIELD_LABELS[kind][self.language]

    def _name(self, sex: str) -> str:
        rng = self.rng
        if self.language == "rus" and rng.random() < 0.5:
            first = rng.choice(_words.FEMALE_RUS if sex == "F" else _words.MALE_RUS)
            last = rng.choice(_words.SURNAMES_RUS) + ("a" if sex == "F" else "")
        else:
            first = rng.choice(_words.FEMALE_EST if sex == "F" else _words.MALE_EST)
            last = rng.choice(_words.SURNAMES_EST)
        return f"{first} {last}"

    def _person(
        self, role: str, kind: str, code: str | None
    ) -> tuple[str, list[tuple[str, str]], str]:
        """Return the role, the labelled fields and the person code of one person."""
        rng = self.rng
        if code is None:
            sex = rng.choice(("M", "F"))
            code = _codes.person_code(rng, sex=sex, born=_codes.random_date(rng, *_BORN[kind]))
        sex = _codes.sex_of(code) or rng.choice(("M", "F"))
        name = self._name(sex)
        fields = [(self.label("name"), name), (self.label("code"), code)]
        if role != "child":
            fields.append((self.label("address"), self._address()))
        if role in ("applicant", "principal", "patient"):
            if rng.random() < 0.6:
                number = f"5{rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}"
                fields.append((self.label("phone"), f"+372 {number}"))
            if rng.random() < 0.5:
                user = name.lower().translate(_ASCII).replace(" ", ".")
                domain = rng.choice(("mail.ee", "gmail.com", "hot.ee", "online.ee"))
                fields.append((self.label("email"), f"{user}@{domain}"))
        return role, fields, code

    def _address(self) -> str:
        rng = self.rng
        street = f"{rng.choice(_words.STREETS)} {rng.randint(1, 120)}"
        if rng.random() < 0.5:
            street += f"-{rng.randint(1, 60)}"
        town, county = rng.choice(_words.TOWNS)
        if rng.random() < 0.5:
            town = f"{rng.randint(10000, 99999)} {town}"
        return f"{street}, {town}, {county}"

    def _iban(self) -> tuple[str, str]:
        code, bank = self.rng.choice(_words.BANKS)
        number = _codes.iban(self.rng, code)
        return (_codes.grouped(number) if self.rng.random() < 0.7 else number), bank

    def _values(self) -> dict[str, str]:
        rng = self.rng
        iban, bank = self._iban()
        old_iban, _ = self._iban()
        next_month = (self.dated.replace(day=1) + timedelta(days=32)).replace(day=1)
        until = self.dated + timedelta(days=365 * rng.randint(1, 3))
        doctor = self._name(rng.choice(("M", "F")))
        return {
            "iban": iban,
            "bank": bank,
            "old_iban": old_iban,
            "start_date": f"{next_month:%d.%m.%Y}",
            "valid_until": f"{until:%d.%m.%Y}",
            "institution": rng.choice(_words.INSTITUTIONS),
            "doctor": doctor,
            "doctor_code": f"D{rng.randint(10000, 99999)}",
            "diagnosis": rng.choice(_words.DIAGNOSES),
        }

    def _heading(self, section: str) -> Text:
        self.number += 1
        label = _words.SECTION_LABELS[section][self.language]
        return Text(f"{self.number}. {label}", "heading", space_before_pt=12)

    def _paragraph(self) -> Text:
        """Return the next body paragraph: the type's own first, then general ones, cycling."""
        if self.used == len(self.pool):
            own = list(self.template.paragraphs[self.language])
            general = list(GENERAL[self.language])
            self.rng.shuffle(own)
            self.rng.shuffle(general)
            self.pool = own + general
            self.used = 0
        self.used += 1
        return Text(self.pool[self.used - 1], "body", space_before_pt=8)

    def _table(self, rng: random.Random) -> Table:
        """Return a table of 2-5 rows: insurance periods, payments or attachments."""
        kind = rng.choice(sorted(_words.TABLE_HEADERS))
        count = rng.randint(2, 5)
        rows: list[tuple[str, ...]] = [_words.TABLE_HEADERS[kind][self.language]]
        if kind == "periods":
            start = _codes.random_date(rng, date(1975, 1, 1), date(1990, 12, 31))
            for _ in range(count):
                end = start + timedelta(days=rng.randint(90, 2500))
                country = rng.choice(sorted(_words.COUNTRIES))
                rows.append(
                    (
                        f"{start:%d.%m.%Y}",
                        f"{end:%d.%m.%Y}",
                        _words.COUNTRIES[country][self.language],
                    )
                )
                start = end + timedelta(days=rng.randint(1, 400))
        elif kind == "payments":
            month = _codes.random_date(rng, date(2023, 1, 1), date(2025, 6, 30)).replace(day=1)
            point = "." if self.language == "eng" else ","
            paid = rng.choice(sorted(_words.PAYMENT_KINDS))
            for _ in range(count):
                cents = rng.randint(5000, 120000)
                amount = f"{cents // 100}{point}{cents % 100:02d}"
                rows.append((f"{month:%m.%Y}", amount, _words.PAYMENT_KINDS[paid][self.language]))
                month = (month + timedelta(days=32)).replace(day=1)
        else:
            documents = rng.sample(sorted(_words.ATTACHMENTS), min(count, len(_words.ATTACHMENTS)))
            for index, document in enumerate(documents, start=1):
                name = _words.ATTACHMENTS[document][self.language]
                rows.append((str(index), name, str(rng.randint(1, 4))))
        return Table(tuple(rows), space_before_pt=12)

    def page(self, setter: Typesetter, number: int, pages: int) -> PageLayout:
        """Lay out page `number` (from 1) of `pages`, with as many paragraphs as fit."""
        rng = self.rng
        before: list[Block] = [Text(_words.OFFICE[self.language], "header", rule_below=True)]
        if number == 1:
            title = self.template.titles[self.language]
            before.append(Text(title, "title", space_before_pt=20))
            for role, fields, _ in self.persons:
                before += [self._heading(role), Fields(tuple(fields), space_before_pt=4)]
            for section, kinds in self.template.sections:
                pairs = tuple((self.label(kind), self.values[kind]) for kind in kinds)
                before += [self._heading(section), Fields(pairs, space_before_pt=4)]
            wanted = rng.randint(1, 3)
        elif number < pages:
            if rng.random() < 0.5:
                before.append(self._heading("notes"))
            wanted = rng.randint(3, 6)
        else:
            wanted = rng.randint(1, 3)
        after: list[Block] = []
        if number == pages:
            closing = self.template.closing or DECLARATIONS
            after = [
                Text(rng.choice(closing[self.language]), "body", space_before_pt=12),
                Fields(((self.label("date"), f"{self.dated:%d.%m.%Y}"),), space_before_pt=18),
                Signature(_words.SIGNATURE[self.language], space_before_pt=20),
            ]
        marker = None
        if pages > 1:
            marker = _words.PAGE_MARKER[self.language].format(page=number, pages=pages)
        if self.tables is not None and self.tables.random() < _TABLE_SHARE:
            with_table = [*before, self._table(self.tables)]
            if setter.layout(with_table + after, marker) is not None:
                before = with_table
        layout = setter.layout(before + after, marker)
        if layout is None:
            raise ValueError(f"page {number} overflows: too many persons for one page")
        chosen: list[Block] = []
        for _ in range(wanted):
            paragraph = self._paragraph()
            trial = setter.layout([*before, *chosen, paragraph, *after], marker)
            if trial is None:
                break
            chosen.append(paragraph)
            layout = trial
        return layout
