"""The truth of a rendered document: what each page shows, and the pages themselves."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
        marker: The page marker drawn at the page's foot ("Lk 2/3", "Стр. 2/3", "Page 2/3"),
            also the last line of `text`; every page of a multi-page document has one, and
            it keeps the page's number in the document as rendered, so a page missing from
            a sample shows as a gap. "" on a single-page document and a blank page.
        family: The print-copy-scan family the page went through ("mild", "copy", "copy2"
            or "copy_heldout", see `print_copy_page`); "" for a page only rendered and
            scanned.
    """

    text: str
    language: str
    rotation: int
    skew_degrees: float
    blank: bool
    degradations: tuple[str, ...] = ()
    legible: bool = True
    reasons: tuple[str, ...] = ()
    marker: str = ""
    family: str = ""


@dataclass(frozen=True)
class Sample:
    """A rendered document: its page images, the truth of each page, and its metadata.

    A page's real resolution is `image.info["dpi"]`, which `write_sample` writes: a page
    scanned at low resolution has fewer pixels and a lower dpi than `dpi`.

    To make a document with a missing page, drop a page from `pages` and its entry from
    `truth` (`without_page` does both): the other pages keep their page markers ("Lk 1/3",
    "Lk 3/3"), in the pixels and in `PageTruth.marker`, so a verification stage can tell
    which page is missing. A page dropped from a multi-page document may take the signature
    with it: `signed` tells what was drawn, not what is left.

    Attributes:
        pages: One greyscale ("L") image per page.
        truth: One `PageTruth` per page, in the same order.
        person_codes: The person codes written on the document, in order of appearance.
        document_type: The template's name, e.g. "pension_application".
        dpi: The resolution the pages are drawn at.
        person_roles: What each person of `person_codes` is (one entry each, same order):
            "applicant" (the applicant or the person the document is about: a principal,
            a patient, an insured person, a sender, the informant of a death), a
            "representative" (or authorised person), a "child" or the "deceased".
        signed: Whether a pen signature was drawn on the signature line (the last page's).
        title: The document's title as drawn on the first page (one of its type's title
            variants); it may be wrapped over several lines of the truth.
        signature_style: How the pen went when ``signed`` ("loops", "flat", "initials",
            "through"); empty when unsigned.
    """

    pages: tuple[Image.Image, ...]
    truth: tuple[PageTruth, ...]
    person_codes: tuple[str, ...]
    document_type: str
    dpi: int
    person_roles: tuple[str, ...] = ()
    signed: bool = False
    title: str = ""
    signature_style: str = ""

    def without_page(self, index: int) -> Sample:
        """Return the sample with page `index` (from 0) and its truth left out.

        Raises:
            IndexError: When there is no such page.
        """
        if not -len(self.pages) <= index < len(self.pages):
            raise IndexError(f"page index {index} out of range for {len(self.pages)} pages")
        index %= len(self.pages)
        return replace(
            self,
            pages=self.pages[:index] + self.pages[index + 1 :],
            truth=self.truth[:index] + self.truth[index + 1 :],
        )
