"""The REST API for case systems: documents by person code, their text and their file.

Every request but ``/healthz`` passes the token check and the size limit of
:mod:`pipeline.web.middleware` before any route sees it (and before its body is read).
Every lookup is audited, whether it found anything or not.

No ``from __future__ import annotations`` here: FastAPI reads the annotations of the
routes at run time.
"""

import base64
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from stdnum.ee import ik

from config.errors import BackendUnavailable, IntakeError, Misconfigured
from pipeline.keys import MIN_BYTES
from pipeline.model import CaptureStatus
from pipeline.web.middleware import (
    CALLER,
    PROBLEM,
    AccessLog,
    Authenticate,
    BodyLimit,
    LastResort,
    SecurityHeaders,
    problem,
    route_template,
)
from storage.access import Lookup, PersonCodeForm, audit, person_code_digest, token_owner
from storage.corrections import correct_type
from storage.db import Database
from storage.documents import DocumentRow, get_document, list_documents, page_texts
from storage.objects import ObjectStore

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # the API's own bodies are a few dozen bytes
AuditPersonCodes = Literal["hashed", "full"]

# The route names the audit log has always used for each action.
LIST_ROUTE = "/api/v1/documents"
READ_ROUTE = "/api/v1/documents/{id}"
FILE_ROUTE = "/api/v1/documents/{id}/file"
TYPE_ROUTE = "/api/v1/documents/{id}/type"

_HEX = "[0-9A-Fa-f]"
_UUID = re.compile(f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}")
_UUID_PATTERN = f"^{_UUID.pattern}$"
_PERSON_CODE_PATTERN = r"^[0-9]{11}$"  # [0-9], not \d: other scripts' digits are not codes
_CODE_LIKE = re.compile(r"\d{11}")  # inputs that may hold a person code are never echoed
_EXCERPT = 32
_MAX_ERRORS = 10
# Where a validation error is, as FastAPI names it; with a route's parameter and field names
# the only words of a ``loc`` that are echoed.  Anything else there came from the client (the
# key of an extra JSON member, say) and is said as ``…``.
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
_REDACTED = "…"


def _canonical_uuid(value: str) -> str:
    """A UUID written 8-4-4-4-12 in hex, in lower case; nothing else is a document id."""
    if not _UUID.fullmatch(value):
        raise ValueError("not a UUID in the form 8-4-4-4-12")
    return value.lower()


def _valid_person_code(value: str | None) -> str | None:
    """An isikukood: eleven ASCII digits with a valid birth date and check digit."""
    if value is None:
        return None
    if not (len(value) == 11 and value.isascii() and value.isdigit() and ik.is_valid(value)):
        raise ValueError("not a valid person code")
    return value


DocumentId = Annotated[
    str,
    Path(pattern=_UUID_PATTERN, description="The document's UUID (8-4-4-4-12 hex)."),
    AfterValidator(_canonical_uuid),
]
PersonCode = Annotated[
    str | None,
    Query(
        pattern=_PERSON_CODE_PATTERN,
        description="An Estonian person code (isikukood), its birth date and check digit valid.",
    ),
    AfterValidator(_valid_person_code),
]
Cursor = Annotated[
    str | None, Query(min_length=1, max_length=256, description="`next` of the previous page.")
]


class Problem(BaseModel):
    """An RFC 9457 problem document, as every error of the API is answered."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


_PROBLEM = {"content": {PROBLEM: {"schema": Problem.model_json_schema()}}}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": description, **_PROBLEM}
    for status, description in [
        (400, "Bad request"),
        (401, "No valid bearer token"),
        (413, "Request body too large"),
        (422, "Invalid parameters or body"),
        (500, "Internal error"),
        (503, "A service is unavailable"),
    ]
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    404: {"description": "Not found", **_PROBLEM},
}


class _BadCursor(HTTPException):
    def __init__(self) -> None:
        super().__init__(400, "invalid cursor")


def _encode_cursor(row: DocumentRow) -> str:
    raw = json.dumps([row.created_at.isoformat(), row.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The keyset position in a ``next`` cursor; ``400 invalid cursor`` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # binascii.Error and JSON errors are ValueErrors
        raise _BadCursor from exc
    if not (isinstance(value, list) and len(value) == 2):
        raise _BadCursor
    at_text, doc_id = value
    if not (isinstance(at_text, str) and isinstance(doc_id, str) and _UUID.fullmatch(doc_id)):
        raise _BadCursor
    try:
        at = datetime.fromisoformat(at_text)
    except ValueError as exc:
        raise _BadCursor from exc
    if at.tzinfo is None:
        raise _BadCursor
    return at, doc_id.lower()


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


def _excerpt(text: str, length: int = _EXCERPT) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _model_names(annotation: Any, names: set[str], seen: set[type]) -> None:
    """The field names and aliases of the models in ``annotation``, nested ones too."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for name, info in annotation.model_fields.items():
            names.add(name)
            names.update(a for a in (info.alias, info.validation_alias) if isinstance(a, str))
            _model_names(info.annotation, names, seen)
        return
    for argument in get_args(annotation):
        _model_names(argument, names, seen)


def _known_names(route: object) -> frozenset[str]:
    """What a validation error of ``route`` may name: its parameters and its body's fields."""
    if not isinstance(route, APIRoute):
        return _LOCATIONS
    names: set[str] = set(_LOCATIONS)
    seen: set[type] = set()
    todo = [route.dependant]
    while todo:
        dependant = todo.pop()
        todo.extend(dependant.dependencies)
        for field in (
            *dependant.path_params,
            *dependant.query_params,
            *dependant.header_params,
            *dependant.cookie_params,
            *dependant.body_params,
        ):
            names.update((field.name, field.alias))
        for field in dependant.body_params:
            _model_names(field.field_info.annotation, names, seen)
    return frozenset(names)


def _location(parts: Iterable[Any], known: frozenset[str]) -> tuple[list[str | int], bool]:
    """A ``loc`` with every part the route does not name redacted, and whether one was.

    Kept are the route's own names (and list indices or JSON positions), and of those only
    what is short and holds no run of eleven digits: a JSON key is the client's text, and
    may be a person code or a name.
    """
    loc: list[str | int] = []
    redacted = False
    for part in parts:
        ours = part in known if isinstance(part, str) else type(part) is int
        if ours and len(str(part)) <= _EXCERPT and not _CODE_LIKE.search(str(part)):
            loc.append(part)
        else:
            loc.append(_REDACTED)
            redacted = True
    return loc, redacted


def _validation_entry(error: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """One validation error: where and why, and at most a short excerpt of the input.

    Nothing of a person code parameter, nor of anything that may hold one, is echoed; nor
    any part of the location that is not a name of the route (``known``), nor the input at
    such a place or under a member the route does not take.
    """
    raw_loc = tuple(error.get("loc", ()))
    loc, redacted = _location(raw_loc, known)
    kind = str(error.get("type", ""))
    entry: dict[str, Any] = {
        "loc": loc,
        "type": kind,
        "msg": _excerpt(str(error.get("msg", "")), 120),
    }
    value = error.get("input")
    if (
        not redacted
        and kind != "extra_forbidden"  # its input is the value of a member not asked for
        and "person_code" not in raw_loc
        and isinstance(value, str | int | float)
        and not isinstance(value, bool)
        and not _CODE_LIKE.search(str(value))
    ):
        entry["input"] = _excerpt(str(value))
    return entry


def _caller(
    request: Request,
    _credentials: Annotated[
        HTTPAuthorizationCredentials | None, Security(HTTPBearer(auto_error=False))
    ],
) -> str:
    """The owner of the token that :class:`Authenticate` accepted.

    The bearer parameter is not read here: it puts the security scheme in the OpenAPI document.
    """
    name = getattr(request.state, CALLER, None)
    if not isinstance(name, str):  # only when a route is served without the middleware
        raise HTTPException(401, "a bearer token is required")
    return name


Caller = Annotated[str, Depends(_caller)]


def _client(request: Request) -> str | None:
    """The client's address as the server gives it (the server decides which proxies count)."""
    return request.client.host if request.client else None


class TypeCorrection(BaseModel):
    """A records officer's decision on a document's type."""

    model_config = ConfigDict(extra="forbid")

    document_type: str = Field(max_length=100)


def create_app(
    db: Database,
    store: ObjectStore,
    *,
    audit_key: bytes,
    audit_person_codes: AuditPersonCodes = "hashed",
    max_body_bytes: int = MAX_BODY_BYTES,
    checks: dict[str, Callable[[], None]] | None = None,
    type_ids: tuple[str, ...] = (),
) -> FastAPI:
    """The application; ``checks`` name a ping per service for ``/healthz``.

    ``audit_key`` keys the HMAC of person codes in the audit log (``audit_person_codes``
    ``"hashed"``; ``"full"`` keeps them as searched).  Request bodies over ``max_bytes``
    are refused.  ``type_ids`` are the document types a correction may give.
    """
    if audit_person_codes == "hashed" and len(audit_key) < MIN_BYTES:
        raise Misconfigured(f"the audit key needs at least {MIN_BYTES} bytes")
    app = FastAPI(
        title="intake",
        version="1",
        description="Scanned documents of the office's clients, for case systems.",
        # Served below behind a token: every route but health needs one.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        middleware=[
            Middleware(AccessLog),
            Middleware(SecurityHeaders),
            Middleware(LastResort),
            Middleware(BodyLimit, max_bytes=max_body_bytes),
            Middleware(Authenticate, owner=lambda token: token_owner(db, token)),
        ],
    )
    health_checks = checks or {"database": db.ping, "store": store.ping}

    def recorded(code: str | None) -> tuple[str | None, PersonCodeForm | None]:
        """A searched person code as the audit log keeps it."""
        if code is None:
            return None, None
        if audit_person_codes == "full":
            return code, "full"
        return person_code_digest(audit_key, code), "hmac-sha256"

    @app.exception_handler(StarletteHTTPException)
    def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        known = _known_names(request.scope.get("route"))
        errors = [_validation_entry(e, known) for e in exc.errors()[:_MAX_ERRORS]]
        return problem(422, "invalid request", errors=errors)

    @app.exception_handler(BackendUnavailable)
    def _unavailable(_request: Request, exc: BackendUnavailable) -> JSONResponse:
        return problem(503, "service unavailable", str(exc))

    @app.exception_handler(IntakeError)
    def _intake_error(request: Request, exc: IntakeError) -> JSONResponse:
        log.error(
            "%s %s failed: %s", request.method, route_template(request.scope), type(exc).__name__
        )
        return problem(500, "internal error")

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_who: Caller) -> dict[str, Any]:
        """The OpenAPI document of this API, naming the document types a correction may give."""
        document = app.openapi()
        correction = document["components"]["schemas"][TypeCorrection.__name__]
        correction["properties"]["document_type"]["enum"] = list(type_ids)
        return document

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

    @app.get("/api/v1/documents", tags=["documents"], responses=ERROR_RESPONSES)
    def documents(
        request: Request,
        who: Caller,
        person_code: PersonCode = None,
        status: CaptureStatus | None = None,
        cursor: Cursor = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        """Documents, oldest first, by person code and/or status; ``next`` pages on."""
        after = _decode_cursor(cursor) if cursor is not None else None
        rows = list_documents(
            db,
            person_code=person_code,
            status=status.value if status else None,
            after=after,
            limit=limit + 1,
        )
        more = len(rows) > limit
        rows = rows[:limit]
        code, form = recorded(person_code)
        audit(
            db,
            Lookup(
                token_name=who,
                route=LIST_ROUTE,
                action="list",
                http_status=200,
                client_addr=_client(request),
                returned_ids=tuple(r.id for r in rows),
                person_code=code,
                person_code_form=form,
                status_filter=status.value if status else None,
            ),
        )
        return {
            "items": [_summary(r) for r in rows],
            "next": _encode_cursor(rows[-1]) if more and rows else None,
        }

    def lookup(
        request: Request, who: str, route: str, action: str, doc_id: str, status: int
    ) -> None:
        audit(
            db,
            Lookup(
                token_name=who,
                route=route,
                action=action,
                http_status=status,
                client_addr=_client(request),
                document_id=doc_id,
            ),
        )

    @app.get("/api/v1/documents/{document_id}", tags=["documents"], responses=_NOT_FOUND)
    def document(request: Request, document_id: DocumentId, who: Caller) -> dict[str, Any]:
        """One document with the OCR text of its pages."""
        row = get_document(db, document_id)
        lookup(request, who, READ_ROUTE, "read", document_id, 404 if row is None else 200)
        if row is None:
            raise HTTPException(404, "no such document")
        texts = page_texts(db, row.capture_id, row.page_numbers)
        return {
            **_summary(row),
            "page_texts": [{"number": n, "text": t} for n, t in texts],
        }

    @app.get(
        "/api/v1/documents/{document_id}/file",
        tags=["documents"],
        response_class=StreamingResponse,
        responses={200: {"content": {"application/pdf": {}}}, **_NOT_FOUND},
    )
    def document_file(request: Request, document_id: DocumentId, who: Caller) -> StreamingResponse:
        """The searchable PDF (scan with its text layer), streamed from the archive."""
        row = get_document(db, document_id)
        key = row.searchable_key if row is not None else None
        info = store.stat(key) if key is not None else None
        lookup(request, who, FILE_ROUTE, "download", document_id, 404 if info is None else 200)
        if row is None:
            raise HTTPException(404, "no such document")
        if key is None:
            raise HTTPException(404, "this document has no searchable PDF")
        if info is None:
            raise HTTPException(404, "the archived file is missing")
        chunks: Iterator[bytes] = store.stream(key)
        return StreamingResponse(
            chunks,
            media_type="application/pdf",
            headers={
                "Content-Length": str(info.size),
                "Content-Disposition": f'inline; filename="{row.id}.pdf"',
                "X-Checksum-SHA256": info.sha256 or "",
            },
        )

    @app.put("/api/v1/documents/{document_id}/type", tags=["review"], responses=_NOT_FOUND)
    def correct_document_type(
        request: Request, document_id: DocumentId, body: TypeCorrection, who: Caller
    ) -> dict[str, Any]:
        """Records staff set a document's type; `intake train` learns from the correction."""
        if body.document_type not in type_ids:
            lookup(request, who, TYPE_ROUTE, "correct", document_id, 422)
            raise HTTPException(422, f"unknown document type: one of {', '.join(type_ids)}")
        row = get_document(db, document_id)
        if row is None:
            lookup(request, who, TYPE_ROUTE, "correct", document_id, 404)
            raise HTTPException(404, "no such document")
        previous = correct_type(db, row.id, body.document_type, by=who)
        lookup(request, who, TYPE_ROUTE, "correct", document_id, 200)
        return {"id": row.id, "document_type": body.document_type, "previous_type": previous}

    return app
