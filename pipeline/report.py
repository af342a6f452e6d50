"""The JSON shapes others rely on: ``intake process --json`` lines and the stored OCR result."""

from __future__ import annotations

import json
from typing import Any

from pipeline.model import CaptureResult, Document, PageResult, Verdict


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    """``{"status": ..., "reasons": [{"code": ..., "page": ...}]}``."""
    return {
        "status": verdict.status.value,
        "reasons": [{"code": r.code.value, "page": r.page} for r in verdict.reasons],
    }


def page_json(page: PageResult) -> dict[str, Any]:
    """One page of the process contract."""
    return {
        "number": page.number,
        "rotation": page.rotation,
        "skew_degrees": page.skew_degrees,
        "blank": page.blank,
        "signed": page.signed,
        "text": page.ocr.text,
        "ocr_confidence": page.ocr.confidence,
        "width": page.width,
        "height": page.height,
        "dpi": page.dpi,
    }


def document_json(document: Document) -> dict[str, Any]:
    """One document of the process contract."""
    return {
        "document_type": document.document_type,
        "type_confidence": document.type_confidence,
        "pages": list(document.pages),
        "fields": {
            "person_codes": [
                {"value": c.value, "page": c.page, "role": c.role}
                for c in document.fields.person_codes
            ],
            "all": [
                {
                    "name": f.name,
                    "value": f.value,
                    "page": f.page,
                    "box": list(f.box),
                    "role": f.role,
                }
                for f in document.fields.values
            ],
        },
        "verdict": verdict_json(document.verdict),
    }


def capture_json(result: CaptureResult, *, file: str) -> dict[str, Any]:
    """The object ``intake process --json`` prints for one file."""
    return {
        "file": file,
        "sha256": result.sha256,
        "media_type": result.media_type,
        "pages": [page_json(p) for p in result.pages],
        "documents": [document_json(d) for d in result.documents],
        "verdict": verdict_json(result.verdict),
        "timings_ms": result.timings_ms,
    }


def ocr_json(result: CaptureResult, *, engine: str) -> bytes:
    """The stored OCR result: every page's text with word boxes and confidences."""
    body = {
        "sha256": result.sha256,
        "engine": engine,
        "pages": [
            {
                "number": p.number,
                "width": p.width,
                "height": p.height,
                "dpi": p.dpi,
                "languages": p.ocr.languages,
                "confidence": p.ocr.confidence,
                "text": p.ocr.text,
                "words": [
                    {
                        "text": w.text,
                        "confidence": w.confidence,
                        "box": list(w.box),
                        "block": w.block,
                        "paragraph": w.paragraph,
                        "line": w.line,
                    }
                    for w in p.ocr.words
                ],
            }
            for p in result.pages
        ],
    }
    return json.dumps(body, ensure_ascii=False).encode()
