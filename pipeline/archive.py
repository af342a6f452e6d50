"""Process a registered capture end to end: claim, read, OCR, store artefacts, register."""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path

from config.errors import IntakeError, Rejected
from pipeline.logs import capture_context
from pipeline.model import CaptureResult, CaptureStatus, Reason, ReasonCode, Verdict, VerdictStatus
from pipeline.report import ocr_json, verdict_json
from pipeline.run import Processed, process_capture
from pipeline.services import Services
from pipeline.stages.searchable import write_searchable_pdf
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
            signed=p.signed,
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
    The searchable PDF is built in a temporary folder and streamed to the store from there.
    """
    with capture_context(capture_id), claimed(services.db, capture_id) as capture:
        if capture is None:
            log.info("capture not claimable (unknown, final or taken)")
            return None
        if services.engine is None:
            raise RuntimeError("archive_capture needs services with an OCR engine")
        data = services.store.get(capture.original_key)
        with tempfile.TemporaryDirectory(prefix="intake-archive-") as folder:
            pdf = Path(folder) / "searchable.pdf"
            try:
                model = services.model.get() if services.model is not None else None
                processed = process_capture(
                    data, engine=services.engine, config=services.process, model=model
                )
                del data  # the original is in the store; its bytes are not needed here again
                pages = processed.result.pages
                if pages:
                    write_searchable_pdf(processed.images, [p.ocr for p in pages], pdf)
            except Rejected as rejected:  # refused outside the pipeline's own checks
                log.info("refused: %s", rejected.reason)
                return _unread(capture_id, capture.sha256, ReasonCode(rejected.reason), services)
            except IntakeError:
                raise
            except Exception as exc:  # a defect or a file that trips a library: review, not death
                log.exception("processing failed: %s", type(exc).__name__)
                return _unread(capture_id, capture.sha256, ReasonCode.PROCESSING_FAILED, services)
            outcome = to_outcome(capture_id, processed.result)
            if pages:
                outcome = _with_derived(
                    capture_id, outcome, processed, pdf, services, engine=services.engine.name
                )
        register(services.db, capture_id, outcome)
        log.info(
            "capture %s: %d pages, reasons %s",
            outcome.status,
            len(outcome.pages),
            ",".join(outcome.reasons) or "-",
        )
        return outcome.status


def _with_derived(
    capture_id: str,
    outcome: Outcome,
    processed: Processed,
    pdf: Path,
    services: Services,
    *,
    engine: str,
) -> Outcome:
    """Store the searchable PDF (from its file) and the OCR result; the outcome with both."""
    pdf_key = f"derived/{capture_id}/searchable.pdf"
    ocr_key = f"derived/{capture_id}/ocr.json"
    pdf_sha = _sha256_of(pdf)
    services.store.put_file(pdf_key, str(pdf), sha256=pdf_sha, content_type="application/pdf")
    body = ocr_json(processed.result, engine=engine)
    ocr_sha = services.store.put(ocr_key, body, content_type="application/json")
    return replace(
        outcome,
        searchable_key=pdf_key,
        searchable_sha256=pdf_sha,
        ocr_key=ocr_key,
        ocr_sha256=ocr_sha,
    )


def _sha256_of(path: Path) -> str:
    """The file's SHA-256, read a MB at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _unread(capture_id: str, sha256: str, code: ReasonCode, services: Services) -> str:
    """Register the capture as needing review for ``code``, with no page read."""
    verdict = Verdict.of((Reason(code),))
    unread = CaptureResult(sha256, None, (), (), verdict, {})
    register(services.db, capture_id, to_outcome(capture_id, unread))
    return CaptureStatus.NEEDS_REVIEW.value
