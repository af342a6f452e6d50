"""Tesseract as a subprocess through pytesseract: the fallback when tesserocr is unavailable."""

from __future__ import annotations

import os
import subprocess

import pytesseract
from PIL import Image

from config.errors import Rejected, Transient
from pipeline.engines.base import Orientation, page_ocr
from pipeline.model import PageOcr, ReasonCode, Word


class PytesseractEngine:
    """The ``tesseract`` command, one process per page, ``OMP_THREAD_LIMIT=1``."""

    name = "pytesseract"

    def __init__(self, *, page_time_limit: float = 0.0) -> None:
        """``page_time_limit`` (seconds, 0 for none) ends a ``tesseract`` that takes longer."""
        self._page_time_limit = page_time_limit

    def detect_orientation(self, image: Image.Image, *, dpi: int | None) -> Orientation | None:
        """``tesseract --psm 0``; ``None`` when OSD sees too few characters."""
        config = f"--dpi {dpi}" if dpi else ""
        try:
            found = pytesseract.image_to_osd(
                image,
                config=config,
                output_type=pytesseract.Output.DICT,
                timeout=self._page_time_limit,
            )
        except (pytesseract.TesseractError, subprocess.SubprocessError, OSError, RuntimeError):
            return None  # RuntimeError: the time limit; the page is then read as it lies
        return Orientation(
            rotation=int(found["orientation"]) % 360,
            confidence=float(found["orientation_conf"]),
            script=str(found["script"]),
            script_confidence=float(found["script_conf"]),
        )

    def recognise(
        self, image: Image.Image, *, languages: str, dpi: int | None, time_limit: float = 0.0
    ) -> PageOcr:
        """Run ``tesseract`` with TSV output and rebuild words and lines from it."""
        # The same choices as the in-process engine: layout analysis, no vertical text.
        config = "--psm 3 -c textord_tabfind_vertical_text=0"
        config += f" --dpi {dpi}" if dpi else ""
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            data = pytesseract.image_to_data(
                image,
                lang=languages,
                config=config,
                output_type=pytesseract.Output.DICT,
                timeout=time_limit or self._page_time_limit,
            )
        except RuntimeError as exc:  # pytesseract's time limit
            if "timeout" not in str(exc).lower():
                raise Transient(f"tesseract failed: {exc}") from exc
            if not time_limit:
                raise Rejected(ReasonCode.PAGE_TOO_SLOW, "OCR time limit") from exc
            return page_ocr((), languages=languages)
        except (pytesseract.TesseractError, subprocess.SubprocessError, OSError) as exc:
            raise Transient(f"tesseract failed: {exc}") from exc
        words: list[Word] = []
        for i, text in enumerate(data["text"]):
            if int(data["level"][i]) != 5 or not str(text).strip():
                continue
            left, top = int(data["left"][i]), int(data["top"][i])
            words.append(
                Word(
                    text=str(text).strip(),
                    confidence=round(max(float(data["conf"][i]), 0.0) / 100.0, 4),
                    box=(left, top, left + int(data["width"][i]), top + int(data["height"][i])),
                    block=int(data["block_num"][i]),
                    paragraph=int(data["block_num"][i]) * 1000 + int(data["par_num"][i]),
                    line=int(data["block_num"][i]) * 1_000_000
                    + int(data["par_num"][i]) * 1000
                    + int(data["line_num"][i]),
                )
            )
        return page_ocr(words, languages=languages)

    def close(self) -> None:
        """Nothing to release."""
