"""The OCR engine seam: every engine turns a page image into a :class:`PageOcr`."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image

from config.errors import Misconfigured
from pipeline.engines.reading import reading_lines
from pipeline.model import PageOcr, Word

# Tesseract's OpenMP threads make a 2-core machine several times slower; every process that
# runs Tesseract scales with processes instead.  Set before any engine library is loaded.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Longest a recognition of one page may take before the page is refused as PAGE_TOO_SLOW
# (a scanned A4 page takes a few seconds; minutes mean noise or a hostile page).
OCR_SECONDS_PER_PAGE = 120.0

_TESSDATA_GUESSES = (
    Path("/usr/share/tesseract-ocr/5/tessdata"),
    Path("/usr/share/tesseract-ocr/4.00/tessdata"),
    Path("/usr/share/tessdata"),
)


@dataclass(frozen=True)
class Orientation:
    """Tesseract OSD's answer: how far the page was turned clockwise, and its script."""

    rotation: int
    confidence: float
    script: str
    script_confidence: float


class OcrEngine(Protocol):
    """Recognise the text of one page image."""

    name: str

    def detect_orientation(self, image: Image.Image, *, dpi: int | None) -> Orientation | None:
        """Orientation and script by Tesseract OSD; ``None`` when it sees too few characters."""
        ...

    def recognise(
        self, image: Image.Image, *, languages: str, dpi: int | None, time_limit: float = 0.0
    ) -> PageOcr:
        """Read ``image`` with the ``+``-joined Tesseract ``languages``.

        ``time_limit`` (seconds) stops a recognition that runs away on a page of noise; what
        was read until then is returned.  With 0 the engine's own per-page limit applies,
        and a page that reaches it is refused: ``Rejected(PAGE_TOO_SLOW)``.
        """
        ...

    def close(self) -> None:
        """Release the engine's resources."""
        ...


def tessdata_dir() -> Path:
    """The folder holding Tesseract's ``*.traineddata``; ``Misconfigured`` when there is none."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = [Path(prefix)] if prefix else []
    candidates += list(_TESSDATA_GUESSES)
    for folder in candidates:
        if (folder / "eng.traineddata").exists():
            return folder
    binary = shutil.which("tesseract")
    if binary:
        out = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, check=False
        ).stdout
        first = out.splitlines()[0] if out else ""
        if '"' in first:
            return Path(first.split('"')[1])
    raise Misconfigured("Tesseract language data not found: install tesseract-ocr-eng")


def missing_languages(languages: str) -> list[str]:
    """Languages of ``languages`` whose traineddata is not installed."""
    folder = tessdata_dir()
    return [lang for lang in languages.split("+") if not (folder / f"{lang}.traineddata").exists()]


def page_ocr(words: Iterable[Word], *, languages: str) -> PageOcr:
    """The page's OCR result from its words, in reading order: one text line a visual line."""
    lines = reading_lines(words)
    found = tuple(w for line in lines for w in line)
    return PageOcr(
        text="\n".join(" ".join(w.text for w in line) for line in lines),
        words=found,
        confidence=mean_confidence(found),
        languages=languages,
    )


def mean_confidence(words: tuple[Word, ...]) -> float | None:
    """Mean word confidence in 0..1, weighted by word length; ``None`` with no words."""
    total = sum(len(w.text) for w in words)
    if not total:
        return None
    return round(sum(w.confidence * len(w.text) for w in words) / total, 4)
