"""What goes on each page of a synthetic document: persons, fields, paragraphs, signature.

The content is drawn from one random stream in a fixed order: first the kind of document
(the template) when the type has several, then the rest. A document of a type's first
template asked for by `template=0` draws what that template drew before the type had others,
so those seeds give the same pages. Title variants, issuer lines and the values of the newer
fields are drawn only for the kinds that have them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar, cast

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
from pipeline.corpus._template import Template
from pipeline.corpus._templates import DECLARATIONS, GENERAL, TEMPLATES

_BODY_POINTS = (11.0, 11.5, 12.0)
_DOCUMENT_DATES = (date(2025, 1, 1), date(2026, 12, 31))
_BORN = {
    "pension_applicant": (date(1955, 1, 1), date(1962, 12, 31)),
    "child": (date(2008, 1, 1), date(2024, 12, 31)),
    "adult": (date(1945, 1, 1), date(2000, 12, 31)),
    "deceased": (date(1925, 1, 1), date(1965, 12, 31)),
}
_TABLE_SHARE = 0.4  # of pages that get a table, when tables are asked for
_ASCII = str.maketrans("õäöüšžÕÄÖÜŠŽ", "oaousz" * 2)
_T = TypeVar("_T")
_EN_DASH = "\u2013"


@dataclass(frozen=True)
class Plan:
    """A document laid out page by page, before it is drawn."""

    pages: tuple[PageLayout, ...]
    person_codes: tuple[str, ...]
    person_roles: tuple[str, ...]  # one per person code: see `_words.PERSON_ROLES`
    title: str
    markers: tuple[str, ...]  # the page marker of each page; "" on a single page


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
    signature_line: bool = False,
    template: int | None = None,
) -> Plan:
    """Choose the content of a document and lay it out; see `render_document`.

    With `tables`, a source of randomness of its own, some pages get a ruled table (of
    insurance periods, payments or attachments) where it fits; the rest of the content is
    the same as without. With `signature_line`, the last page ends with a signature line even
    when the kind of document has none (an invoice, a bill); the rest is the same as without.
    `template` is the index of the kind of document in the type's `TEMPLATES`, drawn at random
    when None.

    Raises:
        ValueError: On an unknown language, document type, template or font, fewer than one
            page, a resolution outside 72-1200 dpi, or persons that do not fit on the first
            page.
    """
    if language not in _words.LANGUAGES:
        raise ValueError(f"language must be one of {_words.LANGUAGES}, not {language!r}")
    if document_type not in TEMPLATES:
        raise ValueError(f"unknown document type {document_type!r}: one of {sorted(TEMPLATES)}")
    if pages < 1:
        raise ValueError(f"a document has at least one page, not {pages}")
    if not 72 <= dpi <= 1200:
        raise ValueError(f"dpi must be within 72-1200, not {dpi}")
    kinds = TEMPLATES[document_type]
    if template is not None:
        if not 0 <= template < len(kinds):
            raise ValueError(f"{document_type!r} has {len(kinds)} templates, not {template + 1}")
        kinds = kinds[template : template + 1]
    if font is not None:
        family = find_family(font)
    elif families():
        family = rng.choice(families())
    else:
        raise ValueError("no font that draws Estonian and Cyrillic is installed")
    setter = Typesetter(dpi, family, rng.choice(_BODY_POINTS))
    content = _Content(rng, kinds, language, document_type, person_codes)
    content.tables = tables
    content.signature_line = signature_line
    layouts = tuple(content.page(setter, n, pages) for n in range(1, pages + 1))
    persons = [(role, code) for role, _, code in content.persons if code]
    return Plan(
        layouts,
        tuple(code for _, code in persons),
        tuple(_words.PERSON_ROLES[role] for role, _ in persons),
        content.title,
        tuple(_marker(language, n, pages) or "" for n in range(1, pages + 1)),
    )


def _marker(language: str, number: int, pages: int) -> str | None:
    """Return the marker at the foot of page `number` of `pages`; None on a single page."""
    if pages < 2:
        return None
    return _words.PAGE_MARKER[language].format(page=number, pages=pages)


class _Content:
    """The randomly chosen content of one document, in the order it is drawn."""

    def __init__(
        self,
        rng: random.Random,
        kinds: Sequence[Template],
        language: str,
        document_type: str,
        person_codes: Sequence[str] | None,
    ) -> None:
        self.rng = rng
        template = kinds[0] if len(kinds) == 1 else rng.choice(kinds)
        self.template = template
        self.language = language
        self.dated = _codes.random_date(rng, *_DOCUMENT_DATES)
        self._cache: dict[str, object] = {}
        self.title = self._title()
        headers = template.headers
        self.header = _words.OFFICE[language] if headers is None else rng.choice(headers[language])
        codes: list[str | None] = (
            [None] * template.default_persons
            if person_codes is None
            else list(person_codes) or [""]
        )
        self.persons: list[tuple[str, list[tuple[str, str]], str]] = []
        for i, code in enumerate(codes):
            role = template.roles[min(i, 1)]
            pension = document_type == "pension_application" and i == 0
            born = "pension_applicant" if pension else "adult"
            kind = role if role in ("child", "deceased") else born
            self.persons.append(self._person(role, kind, code))
        self.values = self._values()
        self.pool: list[str] = []
        self.used = 0
        self.number = 0
        self.tables: random.Random | None = None
        self.signature_line = False

    def _title(self) -> str:
        """Draw the title among the kind's variants, with its number or state filled in.

        The state is the competent institution's, as on an E 205 form.
        """
        rng = self.rng
        variants = self.template.titles[self.language]
        title = variants[0] if len(variants) == 1 else rng.choice(variants)
        if "{number}" in title:
            title = title.replace("{number}", f"{self.dated:%Y}-{rng.randint(1, 9999):04d}")
        if "{state}" in title:
            title = title.replace("{state}", self._institution()[0].upper())
        return title

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
        if role == "informant":
            relationship = _words.RELATIONSHIPS[rng.choice(sorted(_words.RELATIONSHIPS))]
            fields.append((self.label("relationship"), relationship[self.language]))
        if _words.PERSON_ROLES[role] == "applicant":
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

    def value(self, kind: str) -> str:
        """Return the value of a field, drawing it the first time a newer kind is asked for."""
        if kind not in self.values:
            self.values[kind] = self._new_value(kind)
        return self.values[kind]

    def _money(self, cents: int, *, currency: bool = True) -> str:
        point = "." if self.language == "eng" else ","
        amount = f"{cents // 100}{point}{cents % 100:02d}"
        return f"{amount} EUR" if currency else amount

    def _once(self, key: str, draw: Callable[[], _T]) -> _T:
        """Return what `draw` gave the first time `key` was asked for.

        Values that belong together (a death and its registration, an institution and its
        state) are drawn once.
        """
        if key not in self._cache:
            self._cache[key] = draw()
        return cast(_T, self._cache[key])

    def _death(self) -> date:
        return self._once("death", lambda: self.dated - timedelta(days=self.rng.randint(3, 90)))

    def _institution(self) -> tuple[str, str]:
        return self._once("institution", lambda: self.rng.choice(_words.EU_INSTITUTIONS))

    def _cover(self) -> tuple[date, date]:
        def draw() -> tuple[date, date]:
            start = _codes.random_date(self.rng, date(2020, 1, 1), self.dated).replace(day=1)
            return start, start + timedelta(days=365 * self.rng.randint(1, 5) - 1)

        return self._once("cover", draw)

    def _invoice_rows(self) -> list[tuple[str, int, int]]:
        """The invoice's items: name, quantity, amount in cents."""

        def draw() -> list[tuple[str, int, int]]:
            items = self.rng.sample(sorted(_words.INVOICE_ITEMS), self.rng.randint(1, 4))
            rows = []
            for item in items:
                count = self.rng.randint(1, 10)
                rows.append(
                    (
                        _words.INVOICE_ITEMS[item][self.language],
                        count,
                        count * self.rng.randint(800, 6000),
                    )
                )
            return rows

        return self._once("invoice", draw)

    def _pick(self, words: Mapping[str, Mapping[str, str]]) -> str:
        """Return one of the words, in the document's language."""
        return words[self.rng.choice(sorted(words))][self.language]

    def _new_value(self, kind: str) -> str:
        """Draw the value of a field of the newer document types."""
        rng = self.rng
        simple: dict[str, Callable[[], str]] = {
            "death_date": lambda: f"{self._death():%d.%m.%Y}",
            "record_date": lambda: f"{_codes.random_date(rng, self._death(), self.dated):%d.%m.%Y}",
            "death_place": lambda: (
                rng.choice(_words.INSTITUTIONS)
                if rng.random() < 0.4
                else ", ".join(rng.choice(_words.TOWNS))
            ),
            "record_number": lambda: f"{rng.randint(1, 99999):05d}/{self._death():%Y}",
            "registry_office": lambda: rng.choice(_words.REGISTRY_OFFICES),
            "eu_institution": lambda: self._institution()[1],
            "institution_id": lambda: f"{self._institution()[0].upper()}:{rng.randint(100, 99999)}",
            "member_state": lambda: _words.COUNTRIES[self._institution()[0]][self.language],
            "cover_basis": lambda: self._pick(_words.COVER_BASES),
            "cover_from": lambda: f"{self._cover()[0]:%d.%m.%Y}",
            "cover_to": lambda: f"{self._cover()[1]:%d.%m.%Y}",
            "pension_kind": lambda: self._pick(_words.PENSION_KINDS),
            "decision_date": lambda: (
                f"{self.dated - timedelta(days=rng.randint(10, 400)):%d.%m.%Y}"
            ),
            "pension_amount": lambda: self._money(rng.randint(20000, 150000)),
            "employer": lambda: rng.choice(_words.EMPLOYERS),
            "work_state": lambda: self._pick(_words.COUNTRIES),
            "last_day": lambda: f"{self.dated - timedelta(days=rng.randint(5, 200)):%d.%m.%Y}",
            "subject": lambda: self._pick(_words.SUBJECTS),
            "seller": lambda: self.header,
            "reg_code": lambda: _codes.registry_code(rng),
            "buyer": lambda: self._name(rng.choice(("M", "F"))),
            "customer": lambda: self._name(rng.choice(("M", "F"))),
            "payer": lambda: self._name(rng.choice(("M", "F"))),
            "customer_address": self._address,
            "customer_number": lambda: str(rng.randint(10000000, 99999999)),
            "due_date": lambda: f"{self.dated + timedelta(days=rng.randint(7, 21)):%d.%m.%Y}",
            "reference": lambda: _codes.reference_number(rng),
            "amount": lambda: self._money(rng.randint(500, 60000)),
            "purpose": lambda: self._pick(_words.PURPOSES),
        }
        if kind in simple:
            return simple[kind]()
        if kind == "billing_period":
            end = self.dated.replace(day=1) - timedelta(days=1)
            return f"{end.replace(day=1):%d.%m.%Y} {_EN_DASH} {end:%d.%m.%Y}"
        if kind == "total":
            if self.template.table == "invoice":
                return self._money(sum(cents for _, _, cents in self._invoice_rows()))
            return self._money(rng.randint(1500, 25000))
        raise KeyError(f"no value for the field kind {kind!r}")

    def _heading(self, section: str) -> Text:
        self.number += 1
        label = _words.SECTION_LABELS[section][self.language]
        return Text(f"{self.number}. {label}", "heading", space_before_pt=12)

    def _paragraph(self) -> Text:
        """Return the next body paragraph: the type's own first, then general ones, cycling."""
        if self.used == len(self.pool):
            own = list(self.template.paragraphs[self.language])
            general = list(GENERAL[self.language]) if self.template.general else []
            self.rng.shuffle(own)
            self.rng.shuffle(general)
            self.pool = own + general
            self.used = 0
        self.used += 1
        return Text(self.pool[self.used - 1], "body", space_before_pt=8)

    def _table(self, rng: random.Random, kind: str | None = None, space_pt: float = 12) -> Table:
        """Return a table of 2-5 rows: insurance periods, payments or attachments.

        One of them at random unless `kind` says which; "invoice" gives an invoice's items.
        """
        if kind == "invoice":
            invoice: list[tuple[str, ...]] = [_words.INVOICE_HEADERS[self.language]]
            for item, count, cents in self._invoice_rows():
                invoice.append((item, str(count), self._money(cents, currency=False)))
            return Table(tuple(invoice), space_before_pt=space_pt)
        if kind is None:
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
        return Table(tuple(rows), space_before_pt=space_pt)

    def page(self, setter: Typesetter, number: int, pages: int) -> PageLayout:
        """Lay out page `number` (from 1) of `pages`, with as many paragraphs as fit."""
        rng = self.rng
        template = self.template
        before: list[Block] = [Text(self.header, "header", rule_below=True)]
        if number == 1:
            before.append(Text(self.title, "title", space_before_pt=20))
            for role, fields, _ in self.persons:
                before += [self._heading(role), Fields(tuple(fields), space_before_pt=4)]
            for section, kinds in template.sections:
                pairs = tuple((self.label(kind), self.value(kind)) for kind in kinds)
                before += [self._heading(section), Fields(pairs, space_before_pt=4)]
            if template.table is not None:
                if template.table_heading is not None:
                    before.append(self._heading(template.table_heading))
                before.append(self._table(rng, template.table, 4 if template.table_heading else 12))
            wanted = rng.randint(1, 3)
        elif number < pages:
            if rng.random() < 0.5:
                before.append(self._heading("notes"))
            wanted = rng.randint(3, 6)
        else:
            wanted = rng.randint(1, 3)
        after: list[Block] = []
        if number == pages:
            closing = template.closing or DECLARATIONS
            after = [
                Text(rng.choice(closing[self.language]), "body", space_before_pt=12),
                Fields(((self.label("date"), f"{self.dated:%d.%m.%Y}"),), space_before_pt=18),
            ]
            if template.signature or self.signature_line:
                after.append(Signature(_words.SIGNATURE[self.language], space_before_pt=20))
        marker = _marker(self.language, number, pages)
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
