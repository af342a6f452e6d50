"""What one kind of document holds: its titles, persons, sections and paragraphs.

Kept apart from the templates themselves so that the office's own wordings (`_templates`)
and the other issuers' and clients' wordings of the same types (`_wordings`) share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Texts = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Template:
    """What one kind of document holds, in every language.

    Attributes:
        titles: The title variants per language, one chosen at random when there are several;
            "{number}" in a title is filled with a document number, "{state}" with a state's
            two-letter code.
        roles: Section keys of the first person and of each further person (their meaning in
            the truth is `_words.PERSON_ROLES`).
        default_persons: How many persons (each with a person code) the form names; 0 for a
            document that names nobody by person code.
        sections: Further sections after the persons: section key and field kinds.
        paragraphs: Body paragraphs specific to the type, per language.
        closing: Paragraphs that end the document before the signature, per language;
            None for the common declarations.
        headers: The issuer line at the head of every page, variants per language; None for
            the office's name.
        table: The kind of ruled table that follows the sections on the first page
            ("periods", "attachments" or "invoice"), after a heading of the section key
            `table_heading` when there is one; None for no table.
        table_heading: The section key of the table's heading, if any.
        signature: Whether the document ends with a signature line.
        general: Whether the office's general paragraphs fill the pages after the type's own.
    """

    titles: Mapping[str, tuple[str, ...]]
    roles: tuple[str, str]
    default_persons: int
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    paragraphs: Texts
    closing: Texts | None = None
    headers: Texts | None = None
    table: str | None = None
    table_heading: str | None = None
    signature: bool = True
    general: bool = True


def same(*texts: str) -> Texts:
    """Give the same texts (names of companies, say) in every language."""
    return {"est": texts, "rus": texts, "eng": texts}
