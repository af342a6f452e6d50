# Russian labels are meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001, RUF002
"""Form labels in Estonian, Russian and English, found fuzzily among a line's words.

A label is a word or a short phrase printed beside a value ("Isikukood:", "Date of birth")
or above a block of values ("2. Esindaja andmed"). `scan` finds the labels among one line's
words, allowing one OCR error in a label of five letters or more; `section_after` tells which
person a line's heading (if it is one) opens a section for.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

# Kinds of label.
ROLE = "role"  # a person's part in the case: meaning is "applicant", "representative", ...
NAME = "name"  # a person's name follows
DATE = "date"  # a date follows: meaning is its kind ("birth", ...) or None when generic
SIGNATURE = "signature"  # a signature goes here
FIELD = "field"  # another field's label (address, e-mail, ...): ends a name
CODE = "code"  # a person code's label
NUMBER = "number"  # a number that is no person code follows (reference, phone, ...)
ENTITY = "entity"  # "company", "bank", ...: the name label after it is no person's

_ROLES: Mapping[str, tuple[str, ...]] = {
    "applicant": (
        "taotleja", "taotlejad", "avaldaja", "volitaja", "kindlustatud isik", "patsient",
        "patsiendi", "applicant", "applicants", "principal", "insured person", "patient",
        "patients", "заявитель", "заявителя", "заявителе", "доверитель", "доверителя",
        "застрахованное лицо", "застрахованного лица", "пациент", "пациента",
        "surmast teataja", "teataja", "informant", "сообщившее", "saatja", "sender",
        "отправитель", "klient", "kliendi", "client", "клиент", "клиента",
    ),
    "representative": (
        "esindaja", "esindajad", "volitatu", "volitatud", "volitatud isik", "eestkostja",
        "representative", "representatives", "authorised person", "authorized person", "proxy",
        "guardian", "представитель", "представителя", "представителе", "доверенное лицо",
        "доверенного лица", "опекун", "опекуна",
    ),
    "child": (
        "laps", "lapse", "lapsed", "laste", "child", "childs", "children", "childrens",
        "ребенок", "ребенка", "дети", "детей",
    ),
    "deceased": (
        "surnu", "surnud", "surnud isik", "lahkunu", "deceased", "decedent", "умерший",
        "умершая", "умершего", "умершей",
    ),
}  # fmt: skip

_NAMES = (
    "nimi", "ees ja perekonnanimi", "eesnimi ja perekonnanimi", "perekonnanimi ja eesnimi",
    "täisnimi", "name", "full name", "name and surname", "first name and surname",
    "surname and first name", "forename and surname", "имя", "фио", "фамилия имя",
    "имя фамилия", "фамилия и имя", "имя и фамилия", "фамилия имя отчество",
)  # fmt: skip

_DATES: Mapping[str | None, tuple[str, ...]] = {
    "birth": (
        "sünniaeg", "sünnikuupäev", "sünnipäev", "date of birth", "birth date", "born",
        "дата рождения",
    ),
    "death": ("surmaaeg", "surmakuupäev", "date of death", "death date", "дата смерти"),
    "signed": (
        "allkirjastamise kuupäev", "date of signature", "date signed", "дата подписания",
    ),
    "start": ("alates", "from", "с"),
    "end": ("kuni", "until", "to", "до", "по"),
    None: ("kuupäev", "kp", "date", "дата", "число"),
}  # fmt: skip

_SIGNATURES = (
    "allkiri", "allkirjad", "allkirjastaja", "digitaalselt allkirjastatud", "signature",
    "signed", "digitally signed", "подпись", "подписано",
)  # fmt: skip

_CODES = (
    "isikukood", "isikukoodi", "personal code", "personal identification code",
    "identity code", "id code", "личный код", "идентификационный код",
)  # fmt: skip

_FIELDS = (
    "aadress", "elukoht", "address", "адрес", "epost", "email", "эл почта",
    "электронная почта", "iban", "pank", "bank", "банк", "sugu", "sex", "пол", "kodakondsus",
    "citizenship", "гражданство",
)  # fmt: skip

_NUMBERS = (
    "viitenumber", "viitenr", "reference number", "reference no", "номер ссылки",
    "ссылочный номер", "registrikood", "registry code", "registration code",
    "регистрационный код", "arve number", "arve nr", "invoice number", "invoice no",
    "номер счета", "kliendi number", "kliendinumber", "customer number", "client number",
    "номер клиента", "lepingu number", "lepingu nr", "contract number", "номер договора",
    "telefon", "tel", "mobiil", "phone", "telephone", "mobile", "телефон", "тел", "faks",
    "fax", "факс", "konto", "kontonumber", "arvelduskonto", "account number", "bank account",
    "расчетный счет", "dokumendi number", "document number", "номер документа",
    "record number", "номер актовой записи", "surmakande number",
)  # fmt: skip

_ENTITIES = (
    "ettevõtte", "asutuse", "panga", "tööandja", "organisatsiooni", "kooli", "firma",
    "tänava", "company", "institution", "employer", "organisation", "organization", "school",
    "business", "street", "организации", "банка", "учреждения", "предприятия",
    "работодателя", "школы", "фирмы", "улицы",
)  # fmt: skip

_FUZZY_MIN = 5  # labels shorter than this must be read exactly
_MAX_WORDS = 4  # the most words (tokens) one label spans
_CODE_REACH = 5  # words between a person code label and a value it may still label
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[IVX]{1,4}[.)]|[A-Za-z][.)])$")


@dataclass(frozen=True)
class Label:
    """What a label says: its kind and, for roles and dates, its meaning."""

    kind: str
    meaning: str | None = None


@dataclass(frozen=True)
class Hit:
    """A label found among a line's words.

    Attributes:
        start: Index of its first word.
        end: Index one past its last word.
        label: What it says.
        exact: Whether it was read without error.
        colon: Whether it ends with ":" (on its last word or as the next word).
    """

    start: int
    end: int
    label: Label
    exact: bool
    colon: bool


def normalise(word: str) -> str:
    """Lower case, "ё" read as "е", letters and digits only ("Ф.И.О." -> "фио")."""
    return "".join(c for c in word.lower().replace("ё", "е") if c.isalnum())


def _vocabulary() -> dict[str, Label]:
    entries: dict[str, Label] = {}
    for role, phrases in _ROLES.items():
        entries.update((p, Label(ROLE, role)) for p in phrases)
    for meaning, phrases in _DATES.items():
        entries.update((p, Label(DATE, meaning)) for p in phrases)
    entries.update((p, Label(NAME)) for p in _NAMES)
    entries.update((p, Label(SIGNATURE)) for p in _SIGNATURES)
    entries.update((p, Label(FIELD)) for p in _FIELDS)
    entries.update((p, Label(CODE)) for p in _CODES)
    entries.update((p, Label(NUMBER)) for p in _NUMBERS)
    entries.update((p, Label(ENTITY)) for p in _ENTITIES)
    return {normalise(p.replace(" ", "")): label for p, label in entries.items()}


_VOCABULARY = _vocabulary()
_FUZZY_KEYS = tuple(k for k in _VOCABULARY if len(k) >= _FUZZY_MIN)


@functools.lru_cache(maxsize=8192)
def _lookup(text: str) -> tuple[Label, int] | None:
    """The label ``text`` reads as and its edit distance; None when none or ambiguous."""
    exact = _VOCABULARY.get(text)
    if exact is not None:
        return exact, 0
    if len(text) < _FUZZY_MIN:
        return None
    near = process.extract(
        text, _FUZZY_KEYS, scorer=Levenshtein.distance, score_cutoff=1, limit=None
    )
    labels = {_VOCABULARY[key] for key, _, _ in near}
    if len(labels) != 1:
        return None
    return labels.pop(), 1


def _best_at(words: Sequence[str], norms: Sequence[str], i: int) -> Hit | None:
    """The label starting at word ``i``: the closest reading, the longest on a tie."""
    best: Hit | None = None
    distance = 2
    text = ""
    stray = False  # a one-letter word ("Z." for "2.") may not pass for a label's one error
    for end in range(i + 1, min(i + _MAX_WORDS, len(norms)) + 1):
        if norms[end - 1] and not any(c.isalpha() for c in norms[end - 1]):
            break  # numbers and values are no part of a label
        text += norms[end - 1]
        stray = stray or len(norms[end - 1]) == 1
        found = _lookup(text)
        if found is not None and found[1] and end > i + 1 and stray:
            continue
        if found is not None and found[1] <= distance:
            distance = found[1]
            colon = words[end - 1].endswith(":") or (end < len(words) and words[end] == ":")
            best = Hit(i, end, found[0], exact=distance == 0, colon=colon)
    return best


def scan(words: Sequence[str]) -> tuple[Hit, ...]:
    """Every label among one line's words, left to right, none overlapping."""
    norms = [normalise(w) for w in words]
    hits: list[Hit] = []
    i = 0
    while i < len(words):
        label_like = any(c.isalpha() for c in norms[i]) and not is_numbering(words[i])
        hit = _best_at(words, norms, i) if label_like else None
        if hit is None:
            i += 1
        else:
            hits.append(hit)
            i = hit.end
    return tuple(hits)


def role_before(hits: Sequence[Hit], index: int) -> str | None:
    """The role named by the last role label that ends at or before word ``index``."""
    for hit in reversed(hits):
        if hit.end <= index and hit.label.kind == ROLE:
            return hit.label.meaning
    return None


def label_before(hits: Sequence[Hit], index: int) -> Hit | None:
    """The last label other than a role that ends at or before word ``index``."""
    for hit in reversed(hits):
        if hit.end <= index and hit.label.kind != ROLE:
            return hit
    return None


def is_numbering(word: str) -> bool:
    """Whether ``word`` numbers a section or an item: "1.", "II)", "2.1.", "b)"."""
    return bool(_NUMBERING.match(word))


def names_another_number(words: Sequence[str], hits: Sequence[Hit], index: int) -> bool:
    """Whether word ``index`` is labelled as a number that is no person code.

    That is when the label right before it names such a number ("Viitenumber:", "Tel.") and
    no person code label stands in the few words before ("Isikukood või registrikood:").
    """
    before = [h for h in hits if h.end <= index]
    if not before or before[-1].label.kind != NUMBER:
        return False
    if any(normalise(w) for w in words[before[-1].end : index]):
        return False
    return not any(h.label.kind == CODE and h.end >= index - _CODE_REACH for h in before)


def _numbered(words: Sequence[str]) -> int:
    """How many leading words are a section number: one or none."""
    return 1 if words and is_numbering(words[0]) else 0


def _roles_in(hits: Sequence[Hit], start: int, end: int) -> set[str | None]:
    return {h.label.meaning for h in hits if h.label.kind == ROLE and start <= h.start < end}


def _label_line_role(
    words: Sequence[str], hits: Sequence[Hit], first: int, colon: int
) -> str | None:
    """The role of a line "Role: value" whose label is a role word alone, else None."""
    inside = [h for h in hits if h.start < colon + 1]
    if len(inside) == 1 and inside[0].label.kind == ROLE and inside[0].start == first:
        covered = all(not normalise(w) for w in words[inside[0].end : colon + 1])
        return inside[0].label.meaning if covered else None
    return None


def section_after(words: Sequence[str], hits: Sequence[Hit], current: str | None) -> str | None:
    """The role of the section in force after this line, given the one before it.

    A heading ("2. Esindaja andmed", "DECEASED", "Данные ребёнка") opens a section for the
    person it names, or for none when it names no role (and is numbered, in capitals or ends
    with ":"); a line whose label is a role word alone ("Taotleja: Mari Tamm") opens one too.
    Any other line leaves the section as it was.
    """
    first = _numbered(words)
    rest = words[first:]
    if not rest:
        return current
    colon = next((i for i, w in enumerate(rest) if ":" in w), None)
    if colon is not None and colon < len(rest) - 1:
        role = _label_line_role(words, hits, first, first + colon)
        return current if role is None else role
    text = " ".join(rest)
    if len(rest) > 6 or any(c.isdigit() for c in text) or text.endswith("."):
        return current
    roles = _roles_in(hits, first, len(words))
    if len(roles) == 1:
        return roles.pop()
    if roles:
        return None
    if first:
        return None
    letters = [c for c in text if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    labelled = any(h.label.kind != ENTITY for h in hits)  # a field's label above its value
    return None if (capitals or text.endswith(":")) and not labelled else current
