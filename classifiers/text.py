"""What the classifiers read: a document's pages as OCR text with word boxes.

The pipeline converts its OCR result into these values; the classifiers never see images,
services or the pipeline's own types.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in the upright page's pixels


@dataclass(frozen=True)
class Token:
    """One OCR word: its text, its box, the visual line it is on, and OCR's confidence (0..1)."""

    text: str
    box: Box
    line: int
    confidence: float = 1.0


@dataclass(frozen=True)
class PageText:
    """One upright page of a document: its number in the capture, text and words."""

    number: int
    text: str
    tokens: tuple[Token, ...]
    width: int
    height: int

    def lines(self) -> list[tuple[Token, ...]]:
        """The page's tokens grouped by visual line, top to bottom, each left to right."""
        grouped: dict[int, list[Token]] = {}
        for token in self.tokens:
            grouped.setdefault(token.line, []).append(token)
        ordered = sorted(grouped.values(), key=lambda ts: min(t.box[1] for t in ts))
        return [tuple(sorted(ts, key=lambda t: t.box[0])) for ts in ordered]


@dataclass(frozen=True)
class Field:
    """One extracted value with where it came from.

    Attributes:
        name: "person_code", "iban", "date", "case_number" or "name".
        value: The normalised value (a person code's 11 digits, an IBAN without spaces,
            an ISO date "YYYY-MM-DD", ...).
        page: The page number it was read on.
        box: Its box on that page (the union of its words).
        role: What the label beside it says it is: "applicant", "representative", "child",
            "deceased" for person codes and names; a date's label kind ("birth", "signed",
            ...) when known; None otherwise.
    """

    name: str
    value: str
    page: int
    box: Box
    role: str | None = None
