"""The office's document types, read from TOML (``config/document_types.toml`` or a site file)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.errors import Misconfigured

DOCUMENT_TYPES_FILE = Path(__file__).with_name("document_types.toml")
LANGUAGES = ("et", "en", "ru")
FIELD_NAMES = frozenset({"person_code", "iban", "date", "case_number", "name"})


@dataclass(frozen=True)
class DocumentType:
    """One document type: how to recognise it and what a complete one holds."""

    id: str
    names: dict[str, str]
    titles: tuple[str, ...]
    phrases: tuple[str, ...]
    fields: tuple[str, ...]
    person_code: bool
    signature: bool
    pages: int


@dataclass(frozen=True)
class DocumentTypes:
    """Every type, the confidence below which the classifier abstains, the case-number regex."""

    types: tuple[DocumentType, ...]
    min_confidence: float
    case_number_pattern: str

    @property
    def ids(self) -> tuple[str, ...]:
        """The type identifiers, in the file's order."""
        return tuple(t.id for t in self.types)

    def get(self, type_id: str) -> DocumentType | None:
        """The type with this identifier, if it is defined."""
        return next((t for t in self.types if t.id == type_id), None)


def _strings(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        raise Misconfigured(f"{where}: expected a list of strings")
    return tuple(raw)


def _type(type_id: str, raw: dict[str, Any]) -> DocumentType:
    where = f"document type {type_id!r}"
    names = raw.get("names", {})
    if not isinstance(names, dict) or set(names) != set(LANGUAGES):
        raise Misconfigured(f"{where}: names needs exactly {', '.join(LANGUAGES)}")
    fields = _strings(raw.get("fields", []), f"{where} fields")
    unknown = set(fields) - FIELD_NAMES
    if unknown:
        raise Misconfigured(f"{where}: unknown fields {sorted(unknown)}")
    pages = raw.get("pages", 0)
    if not isinstance(pages, int) or pages < 0:
        raise Misconfigured(f"{where}: pages must be a whole number, 0 for any")
    return DocumentType(
        id=type_id,
        names={k: str(v) for k, v in names.items()},
        titles=tuple(t.lower() for t in _strings(raw.get("titles", []), f"{where} titles")),
        phrases=tuple(p.lower() for p in _strings(raw.get("phrases", []), f"{where} phrases")),
        fields=fields,
        person_code=bool(raw.get("person_code", False)),
        signature=bool(raw.get("signature", False)),
        pages=pages,
    )


def load_document_types(path: Path | None = None) -> DocumentTypes:
    """Read and check the document types; the shipped file when ``path`` is None.

    Raises:
        Misconfigured: The file is missing, not TOML, or a type is incomplete.
    """
    source = path or DOCUMENT_TYPES_FILE
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise Misconfigured(f"cannot read document types from {source}: {exc}") from exc
    table = raw.get("types")
    if not isinstance(table, dict) or not table:
        raise Misconfigured(f"{source}: no [types.*] tables")
    types = tuple(_type(type_id, body) for type_id, body in table.items())
    if "other" not in {t.id for t in types}:
        raise Misconfigured(f"{source}: the type 'other' is required")
    pattern = str(raw.get("case_number_pattern", r"(?!)"))
    try:
        re.compile(pattern)
    except re.error as exc:
        raise Misconfigured(f"{source}: case_number_pattern: {exc}") from exc
    minimum = float(raw.get("min_confidence", 0.5))
    if not 0.0 <= minimum <= 1.0:
        raise Misconfigured(f"{source}: min_confidence must be within 0..1")
    return DocumentTypes(types=types, min_confidence=minimum, case_number_pattern=pattern)
