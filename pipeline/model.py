"""Frozen values passed between stages, and the closed enumerations shared by all parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from PIL import Image

from classifiers.text import Field


class ReasonCode(StrEnum):
    """Why a capture or document needs a person: one closed list for verdict, DB, API and UI.

    ``ACTIVE_CONTENT``: the PDF carries JavaScript, a launch action or another action that
    runs something when opened (poppler runs none, so it is read; a person decides).
    ``EMBEDDED_FILES``: the PDF carries attached files, which are not looked into.
    ``PAGE_TOO_SLOW``: a page took longer than the per-page time limit to render or read.
    ``SYMLINK``, ``NOT_A_REGULAR_FILE``, ``PERMISSION_DENIED`` (and ``FILE_TOO_LARGE``): the
    watcher refused the file; it lies in its folder's ``rejected/`` with a ledger row.
    ``SUBFOLDER``: a folder inside a drop folder, which is not watched; its ledger row says so
    and it stays where it is, with what it holds.
    """

    EMPTY_FILE = "EMPTY_FILE"
    UNREADABLE_FILE = "UNREADABLE_FILE"
    UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT"
    ENCRYPTED = "ENCRYPTED"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    TOO_MANY_PAGES = "TOO_MANY_PAGES"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    ACTIVE_CONTENT = "ACTIVE_CONTENT"
    EMBEDDED_FILES = "EMBEDDED_FILES"
    PAGE_TOO_SLOW = "PAGE_TOO_SLOW"
    NO_TEXT = "NO_TEXT"
    BLANK_DOCUMENT = "BLANK_DOCUMENT"
    ILLEGIBLE_BLUR = "ILLEGIBLE_BLUR"
    LOW_CONTRAST = "LOW_CONTRAST"
    LOW_RESOLUTION = "LOW_RESOLUTION"
    CUT_OFF = "CUT_OFF"
    LOW_OCR_CONFIDENCE = "LOW_OCR_CONFIDENCE"
    UNKNOWN_TYPE = "UNKNOWN_TYPE"
    MISSING_PAGES = "MISSING_PAGES"
    UNSIGNED = "UNSIGNED"
    NO_PERSON_CODE = "NO_PERSON_CODE"
    DUPLICATE = "DUPLICATE"
    PROCESSING_FAILED = "PROCESSING_FAILED"
    SYMLINK = "SYMLINK"
    NOT_A_REGULAR_FILE = "NOT_A_REGULAR_FILE"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    SUBFOLDER = "SUBFOLDER"


class CaptureStatus(StrEnum):
    """Life of a capture: received → processing → archived | needs_review | failed."""

    RECEIVED = "received"
    PROCESSING = "processing"
    ARCHIVED = "archived"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"


class VerdictStatus(StrEnum):
    """What the pipeline decided about a document or capture."""

    ACCEPTED = "accepted"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True)
class PageImage:
    """One rasterised page as it came from the file."""

    number: int
    image: Image.Image
    dpi: int | None


@dataclass(frozen=True)
class PageScan:
    """One page's normalised image as the archive keeps it: JPEG, with its size and resolution.

    A decoded 300 dpi A4 page takes about 9 MB in grey; its JPEG a few hundred KB.  A capture
    keeps its pages like this once they are read, so its memory does not grow by a decoded
    page for every page it has.
    """

    number: int
    width: int
    height: int
    dpi: int | None
    jpeg: bytes


@dataclass(frozen=True)
class Word:
    """One recognised word with its box (x0, y0, x1, y1 in page pixels) and place in the text."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]
    block: int
    paragraph: int
    line: int


@dataclass(frozen=True)
class PageOcr:
    """What OCR read on one page."""

    text: str
    words: tuple[Word, ...]
    confidence: float | None
    languages: str


@dataclass(frozen=True)
class PageResult:
    """A page after every stage; ``None`` marks a measure no stage computes yet."""

    number: int
    width: int
    height: int
    dpi: int | None
    ocr: PageOcr
    rotation: int | None = None
    skew_degrees: float | None = None
    blank: bool | None = None
    # Pen ink by a signature label (True/False), or, on a page without one, a signature
    # found anywhere (True); None when there is neither label nor signature.
    signed: bool | None = None


@dataclass(frozen=True)
class Reason:
    """One reason for review, with the page it concerns when it concerns one."""

    code: ReasonCode
    page: int | None = None


@dataclass(frozen=True)
class Verdict:
    """Accepted, or needs review with every reason."""

    status: VerdictStatus
    reasons: tuple[Reason, ...] = ()

    @staticmethod
    def of(reasons: tuple[Reason, ...]) -> Verdict:
        """Accepted when there is no reason, otherwise needs review."""
        status = VerdictStatus.NEEDS_REVIEW if reasons else VerdictStatus.ACCEPTED
        return Verdict(status=status, reasons=reasons)


@dataclass(frozen=True)
class Fields:
    """Fields extracted from one document, each with its page, box and role."""

    values: tuple[Field, ...] = ()

    @property
    def person_codes(self) -> tuple[Field, ...]:
        """The checksum-valid person codes, in order of appearance."""
        return tuple(f for f in self.values if f.name == "person_code")


@dataclass(frozen=True)
class Document:
    """One document of a capture: its pages, type, fields and verdict."""

    index: int
    pages: tuple[int, ...]
    document_type: str
    type_confidence: float
    fields: Fields
    verdict: Verdict


@dataclass(frozen=True)
class CaptureResult:
    """Everything the per-capture pipeline found in one file."""

    sha256: str
    media_type: str | None
    pages: tuple[PageResult, ...]
    documents: tuple[Document, ...]
    verdict: Verdict
    timings_ms: dict[str, float] = field(default_factory=dict)
