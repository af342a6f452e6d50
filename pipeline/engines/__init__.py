"""OCR engines: the only code that runs Tesseract."""

from __future__ import annotations

from pipeline.engines.base import OCR_SECONDS_PER_PAGE, OcrEngine


def make_engine(
    prefer: str = "tesserocr", *, page_time_limit: float = OCR_SECONDS_PER_PAGE
) -> OcrEngine:
    """The in-process engine when it loads, otherwise the ``tesseract`` command.

    A page whose recognition takes longer than ``page_time_limit`` seconds is refused.
    """
    if prefer == "tesserocr":
        try:
            from pipeline.engines.tesser import TesserocrEngine

            return TesserocrEngine(page_time_limit=page_time_limit)
        except Exception:
            pass
    from pipeline.engines.cli import PytesseractEngine

    return PytesseractEngine(page_time_limit=page_time_limit)
