"""OCR engines: the only code that runs Tesseract."""

from __future__ import annotations

from pipeline.engines.base import OcrEngine


def make_engine(prefer: str = "tesserocr") -> OcrEngine:
    """The in-process engine when it loads, otherwise the ``tesseract`` command."""
    if prefer == "tesserocr":
        try:
            from pipeline.engines.tesser import TesserocrEngine

            return TesserocrEngine()
        except Exception:
            pass
    from pipeline.engines.cli import PytesseractEngine

    return PytesseractEngine()
