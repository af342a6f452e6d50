"""Process a registered capture end to end: claim, read, OCR, store artefacts, register."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from config.errors import IntakeError, Rejected
from pipeline.logs import capture_context
from pipeline.model import CaptureResult, CaptureStatus, Reason, ReasonCode, Verdict, VerdictStatus
from pipeline.report import ocr_json, verdict_json
from pipeline.run import process_capture
from pipeline.services import Services
from pipeline.stages.searchable import searchable_pdf
from storage.captures import claimed
from storage.documents import NewDocument, NewField, NewPage, Outcome, register

log = logging.getLogger(__name__)


def document_id(capture_id: str, position: int) -> str:
    """Stable id of a capture's n-th document, so a repeated run writes the same rows."""
    return str(uuid.uuid5(uuid.UUID(capture_id), f"document-{position}"))


def to_outcome(capture_id: str, result: CaptureResult) -> Outcome:
    """The rows a capture result registers (object keys are added by the caller)."""
    status = (
        CaptureStatus.ARCHIVED
        if result.verdict.status is VerdictStatus.ACCEPTED
        else CaptureStatus.NEEDS_REVIEW
    )
    documents = tuple(
        NewDocument(
            id=document_id(capture_id, d.index),
            position=d.index,
            document_type=d.document_type,
            type_confidence=d.type_confidence,
            verdict=d.verdict.status.value,
            reasons=verdict_json(d.verdict)["reasons"],
            page_numbers=list(d.pages),
            fields=tuple(
                NewField(name=f.name, value=f.value, page=f.page, role=f.role)
                for f in d.fields.values
            ),
        )
        for d in result.documents
    )
    pages = tuple(
        NewPage(
            number=p.number,
            width=p.width,
            height=p.height,
            dpi=p.dpi,
            rotation=p.rotation,
            skew_degrees=p.skew_degrees,
            blank=p.blank,
            ocr_confidence=p.ocr.confidence,
            languages=p.ocr.languages,
            text=p.ocr.text,
        )
        for p in result.pages
    )
    return Outcome(
        status=status.value,
        reasons=sorted({r.code.value for r in result.verdict.reasons}),
        media_type=result.media_type,
        pages=pages,
        documents=documents,
    )


def archive_capture(capture_id: str, services: Services) -> str | None:
    """Do all the work for one capture; returns its final status, or ``None`` if not ours.

    ``Transient`` errors propagate (the actor retries them).  A stage that refuses the file
    sends it to review with its reason; any other failure of the stages or of building the
    searchable PDF, with ``PROCESSING_FAILED``.  The original stays in the store either way.
    """
    with capture_context(capture_id), claimed(services.db, capture_id) as capture:
        if capture is None:
            log.info("capture not claimable (unknown, final or taken)")
            return None
        if services.engine is None:
            raise RuntimeError("archive_capture needs services with an OCR engine")
        data = services.store.get(capture.original_key)
        try:
            model = services.model.get() if services.model is not None else None
            processed = process_capture(
                data, engine=services.engine, config=services.process, model=model
            )
            pages = processed.result.pages
            pdf = searchable_pdf(processed.images, [p.ocr for p in pages]) if pages else None
        except Rejected as rejected:  # refused outside the pipeline's own checks
            log.info("refused: %s", rejected.reason)
            return _unread(capture_id, capture.sha256, ReasonCode(rejected.reason), services)
        except IntakeError:
            raise
        except Exception as exc:  # a defect or a file that trips a library: review, not death
            log.exception("processing failed: %s", type(exc).__name__)
            return _unread(capture_id, capture.sha256, ReasonCode.PROCESSING_FAILED, services)
        outcome = to_outcome(capture_id, processed.result)
        if pdf is not None:
            pdf_key = f"derived/{capture_id}/searchable.pdf"
            ocr_key = f"derived/{capture_id}/ocr.json"
            pdf_sha = services.store.put(pdf_key, pdf, content_type="application/pdf")
            body = ocr_json(processed.result, engine=services.engine.name)
            ocr_sha = services.store.put(ocr_key, body, content_type="application/json")
            outcome = replace(
                outcome,
                searchable_key=pdf_key,
                searchable_sha256=pdf_sha,
                ocr_key=ocr_key,
                ocr_sha256=ocr_sha,
            )
        register(services.db, capture_id, outcome)
        log.info(
            "capture %s: %d pages, reasons %s",
            outcome.status,
            len(outcome.pages),
            ",".join(outcome.reasons) or "-",
        )
        return outcome.status


def _unread(capture_id: str, sha256: str, code: ReasonCode, services: Services) -> str:
    """Register the capture as needing review for ``code``, with no page read."""
    verdict = Verdict.of((Reason(code),))
    unread = CaptureResult(sha256, None, (), (), verdict, {})
    register(services.db, capture_id, to_outcome(capture_id, unread))
    return CaptureStatus.NEEDS_REVIEW.value
