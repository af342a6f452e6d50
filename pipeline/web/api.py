"""The REST API for case systems: documents by person code, their text and their file.

No ``from __future__ import annotations`` here: FastAPI reads the annotations of the
routes at run time, and the local ``Caller`` dependency must resolve.
"""

import base64
import binascii
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from config.errors import BackendUnavailable, IntakeError
from pipeline.model import CaptureStatus
from storage.access import audit, token_owner
from storage.corrections import correct_type
from storage.db import Database
from storage.documents import DocumentRow, get_document, list_documents, page_texts
from storage.objects import ObjectStore

log = logging.getLogger(__name__)
_bearer = HTTPBearer(auto_error=False)


def _problem(status: int, title: str, detail: str = "") -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
        headers={"WWW-Authenticate": "Bearer"} if status == 401 else None,
    )


def _encode_cursor(row: DocumentRow) -> str:
    raw = json.dumps([row.created_at.isoformat(), row.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, doc_id = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(at), str(uuid.UUID(doc_id))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise HTTPException(400, "invalid cursor") from exc


def _summary(row: DocumentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "capture_id": row.capture_id,
        "status": row.capture_status,
        "document_type": row.document_type,
        "type_confidence": row.type_confidence,
        "verdict": {"status": row.verdict, "reasons": row.reasons},
        "pages": row.page_numbers,
        "person_codes": row.person_codes,
        "received_at": row.received_at.isoformat(),
        "sha256": row.sha256,
        "has_file": row.searchable_key is not None,
    }


class TypeCorrection(BaseModel):
    """A records officer's decision on a document's type."""

    document_type: str


def create_app(
    db: Database,
    store: ObjectStore,
    *,
    checks: dict[str, Callable[[], None]] | None = None,
    type_ids: tuple[str, ...] = (),
) -> FastAPI:
    """The application; ``checks`` name a ping per service for ``/healthz``.

    ``type_ids`` are the document types a correction may give.
    """
    app = FastAPI(
        title="intake",
        version="1",
        description="Scanned documents of the office's clients, for case systems.",
        # Served below behind a token: every route but health needs one.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    health_checks = checks or {"database": db.ping, "store": store.ping}

    @app.exception_handler(HTTPException)
    def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return _problem(exc.status_code, str(exc.detail))

    @app.exception_handler(BackendUnavailable)
    def _unavailable(_request: Request, exc: BackendUnavailable) -> JSONResponse:
        return _problem(503, "service unavailable", str(exc))

    @app.exception_handler(IntakeError)
    def _intake_error(_request: Request, exc: IntakeError) -> JSONResponse:
        return _problem(500, "internal error", type(exc).__name__)

    @app.middleware("http")
    async def _access_log(request: Request, call_next: Callable[[Request], Any]) -> Any:
        response = await call_next(request)
        route = request.scope.get("route")
        # The route template, never the URL: query strings carry person codes.
        log.info("%s %s %s", request.method, getattr(route, "path", "-"), response.status_code)
        return response

    def caller(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> str:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HTTPException(401, "a bearer token is required")
        name = token_owner(db, credentials.credentials)
        if name is None:
            raise HTTPException(401, "unknown or revoked token")
        return name

    Caller = Annotated[str, Depends(caller)]

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_who: Caller) -> dict[str, Any]:
        """The OpenAPI document of this API."""
        return app.openapi()

    @app.get("/healthz", tags=["health"])
    def healthz() -> JSONResponse:
        """Each service's state; 503 when any is down (no token needed)."""
        states: dict[str, str] = {}
        for name, check in health_checks.items():
            try:
                check()
                states[name] = "ok"
            except IntakeError:
                states[name] = "unavailable"
        healthy = all(v == "ok" for v in states.values())
        body = {"status": "ok" if healthy else "degraded", "services": states}
        return JSONResponse(body, status_code=200 if healthy else 503)

    @app.get("/api/v1/documents", tags=["documents"])
    def documents(
        who: Caller,
        person_code: Annotated[str | None, Query(pattern=r"^\d{11}$")] = None,
        status: CaptureStatus | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        """Documents, oldest first, by person code and/or status; ``next`` pages on."""
        after = _decode_cursor(cursor) if cursor else None
        rows = list_documents(
            db,
            person_code=person_code,
            status=status.value if status else None,
            after=after,
            limit=limit + 1,
        )
        more = len(rows) > limit
        rows = rows[:limit]
        for row in rows:
            audit(db, who=who, document_id=row.id, route="/api/v1/documents", action="list")
        return {
            "items": [_summary(r) for r in rows],
            "next": _encode_cursor(rows[-1]) if more and rows else None,
        }

    def _document(document_id: str) -> DocumentRow:
        try:
            uuid.UUID(document_id)
        except ValueError as exc:
            raise HTTPException(404, "no such document") from exc
        row = get_document(db, document_id)
        if row is None:
            raise HTTPException(404, "no such document")
        return row

    @app.get("/api/v1/documents/{document_id}", tags=["documents"])
    def document(document_id: str, who: Caller) -> dict[str, Any]:
        """One document with the OCR text of its pages."""
        row = _document(document_id)
        audit(db, who=who, document_id=row.id, route="/api/v1/documents/{id}", action="read")
        texts = page_texts(db, row.capture_id, row.page_numbers)
        return {
            **_summary(row),
            "page_texts": [{"number": n, "text": t} for n, t in texts],
        }

    @app.get(
        "/api/v1/documents/{document_id}/file",
        tags=["documents"],
        response_class=StreamingResponse,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    def document_file(document_id: str, who: Caller) -> StreamingResponse:
        """The searchable PDF (scan with its text layer), streamed from the archive."""
        row = _document(document_id)
        if row.searchable_key is None:
            raise HTTPException(404, "this document has no searchable PDF")
        info = store.stat(row.searchable_key)
        if info is None:
            raise HTTPException(404, "the archived file is missing")
        audit(
            db, who=who, document_id=row.id, route="/api/v1/documents/{id}/file", action="download"
        )
        chunks: Iterator[bytes] = store.stream(row.searchable_key)
        return StreamingResponse(
            chunks,
            media_type="application/pdf",
            headers={
                "Content-Length": str(info.size),
                "Content-Disposition": f'inline; filename="{row.id}.pdf"',
                "X-Checksum-SHA256": info.sha256 or "",
            },
        )

    @app.put("/api/v1/documents/{document_id}/type", tags=["review"])
    def correct_document_type(
        document_id: str, body: TypeCorrection, who: Caller
    ) -> dict[str, Any]:
        """Records staff set a document's type; `intake train` learns from the correction."""
        if body.document_type not in type_ids:
            raise HTTPException(422, f"unknown document type: one of {', '.join(type_ids)}")
        row = _document(document_id)
        previous = correct_type(db, row.id, body.document_type, by=who)
        audit(
            db, who=who, document_id=row.id, route="/api/v1/documents/{id}/type", action="correct"
        )
        return {"id": row.id, "document_type": body.document_type, "previous_type": previous}

    return app
