"""The truth of a rendered document: what each page shows, and the pages themselves."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class PageTruth:
    """What is known about one rendered (and perhaps scanned) page.

    Attributes:
        text: The text drawn on the page, its lines in reading order joined by newlines
            (the drawn signature line is not text; its label is). A page scanned with its
            text cut off at an edge keeps the full intended text.
        language: The page's language: "est", "rus" or "eng" ("" for a lone blank page).
        rotation: Degrees clockwise the page was turned on the scanner: 0, 90, 180 or 270;
            the image shows the page turned clockwise by that much.
        skew_degrees: Skew of the text lines in degrees, counter-clockwise positive: the
            right end of a line is higher in the image.
        blank: Whether the page carries no content.
        degradations: What the scan did to the page, "kind:severity" in the order given,
            e.g. ("blur:severe", "jpeg:mild").
        legible: False when a severe degradation was applied: a person would not read it.
        reasons: The review reason codes a correct pipeline must raise for this page.
    """

    text: str
    language: str
    rotation: int
    skew_degrees: float
    blank: bool
    degradations: tuple[str, ...] = ()
    legible: bool = True
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sample:
    """A rendered document: its page images, the truth of each page, and its metadata.

    A page's real resolution is `image.info["dpi"]`, which `write_sample` writes: a page
    scanned at low resolution has fewer pixels and a lower dpi than `dpi`.

    Attributes:
        pages: One greyscale ("L") image per page.
        truth: One `PageTruth` per page, in the same order.
        person_codes: The person codes written on the document, in order of appearance.
        document_type: The template's name, e.g. "pension_application".
        dpi: The resolution the pages are drawn at.
    """

    pages: tuple[Image.Image, ...]
    truth: tuple[PageTruth, ...]
    person_codes: tuple[str, ...]
    document_type: str
    dpi: int
