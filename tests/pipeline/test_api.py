"""The case-system API over the real database and store: tokens, queries, files, audit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import anyio
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.exceptions import StarletteDeprecationWarning
from starlette.types import Message

from config.doctypes import load_document_types
from config.errors import Misconfigured
from config.settings import DatabaseConfig, StoreConfig, load_settings
from pipeline.embedded import free_port
from pipeline.web.api import MAX_BODY_BYTES, create_app
from storage.access import audit_trail, create_token, lookups_of_document, person_code_digest
from storage.captures import insert_capture
from storage.corrections import corrections
from storage.db import Database
from storage.documents import Outcome, register
from storage.objects import ObjectStore
from tests.fixtures.records import new_capture, new_document, new_page, person_code_for
from tests.fixtures.services import ServiceUrls

with warnings.catch_warnings():
    # Starlette 1.x asks for httpx2 instead of the httpx the dev extras install; the client
    # works the same with either, so that notice alone must not fail collection.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.services


@dataclass(frozen=True)
class Archived:
    """A capture registered through the storage functions, with its searchable PDF stored."""

    capture_id: str
    document_ids: tuple[str, ...]
    person_code: str
    pdf: bytes
    page_texts: tuple[str, ...]


def archive(database: Database, store: ObjectStore, tag: str, *, documents: int = 1) -> Archived:
    """Register one archived capture of ``documents`` one-page documents naming one person."""
    code = person_code_for(tag)
    original = f"%PDF-1.7 original {tag} {uuid.uuid4()}".encode()
    capture = new_capture(tag, original, drop_folder="/srv/drop/tartu")
    insert_capture(database, capture)
    pdf = b"%PDF-1.4\n" + secrets.token_bytes(100_000) + b"\n%%EOF\n"
    searchable_key = f"searchable/{capture.id}.pdf"
    searchable_sha = store.put(searchable_key, pdf, content_type="application/pdf")
    texts = tuple(f"Avaldus lk {n}\nIsikukood {code}\nÕnne, Jüri!" for n in range(1, documents + 1))
    docs = tuple(new_document(i, (code,)) for i in range(documents))
    register(
        database,
        capture.id,
        Outcome(
            status="archived",
            reasons=[],
            media_type="application/pdf",
            searchable_key=searchable_key,
            searchable_sha256=searchable_sha,
            pages=tuple(new_page(n, text, ocr_confidence=0.9) for n, text in enumerate(texts, 1)),
            documents=docs,
        ),
    )
    return Archived(capture.id, tuple(d.id for d in docs), code, pdf, texts)


AUDIT_KEY = secrets.token_bytes(32)


def make_app(database: Database, store: ObjectStore, **options: Any) -> FastAPI:
    """The API over the test services, with this module's audit key unless told otherwise."""
    options.setdefault("audit_key", AUDIT_KEY)
    options.setdefault("type_ids", load_document_types().ids)
    return create_app(database, store, **options)


@pytest.fixture
def app(database: Database, store: ObjectStore) -> FastAPI:
    return make_app(database, store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@dataclass(frozen=True)
class Token:
    name: str
    value: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.value}"}


@pytest.fixture
def token(admin_database: Database, unique: str) -> Token:
    """A live API token of a case system of this test's own, made as `intake token create`
    makes one: as the database's owner.
    """
    made = Token(name=f"case-system-{unique}", value=secrets.token_urlsafe(32))
    create_token(admin_database, made.name, made.value)
    return made


@pytest.fixture
def archived(database: Database, store: ObjectStore, unique: str) -> Archived:
    return archive(database, store, unique)


LIST = "/api/v1/documents"


def api_calls(app: FastAPI, document_id: str) -> list[tuple[str, str]]:
    """(method, url) of every /api/v1 route of the app, with its path parameters filled in."""
    calls = [
        (method, route.path.replace("{document_id}", document_id))
        for route in app.routes
        if isinstance(route, APIRoute) and route.path.startswith("/api/")
        for method in sorted(route.methods or ())
    ]
    assert len(calls) >= 4
    return calls


def audit_rows(database: Database, who: str) -> list[tuple[str | None, str, str]]:
    """(document id, route, action) of every audited lookup by ``who``, in order."""
    return [(e.document_id, e.route, e.action) for e in audit_trail(database, token_name=who)]


# --- health and authentication -------------------------------------------------------------


def test_healthz_is_open_and_reports_each_service(client: TestClient) -> None:
    # When health is asked without any token
    response = client.get("/healthz")

    # Then it answers, database and store both ok
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "services": {"database": "ok", "store": "ok"}}


def test_healthz_reports_a_store_that_is_down(database: Database) -> None:
    # Given an API whose store is at a port nothing listens on
    down = ObjectStore(StoreConfig(f"127.0.0.1:{free_port()}", "intake", "intake-secret", "intake"))

    # When health is asked
    with TestClient(make_app(database, down)) as client:
        response = client.get("/healthz")

    # Then it says degraded, naming the store, with 503
    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "services": {"database": "ok", "store": "unavailable"},
    }


def test_healthz_reports_a_store_that_refuses_the_credentials(
    database: Database, service_urls: ServiceUrls
) -> None:
    # Given an API whose store credentials are wrong
    refused = ObjectStore(replace(service_urls.store, secret_key="not-the-secret-key"))

    # When health is asked
    with TestClient(make_app(database, refused), raise_server_exceptions=False) as client:
        response = client.get("/healthz")

    # Then it says the store is unavailable
    assert response.status_code == 503
    assert response.json()["services"]["store"] == "unavailable"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "Bearer not-a-token-anyone-was-given"}, id="wrong-token"),
        pytest.param({"Authorization": "Basic aW50YWtlOmludGFrZQ=="}, id="basic-auth"),
        pytest.param({"Authorization": "Bearer"}, id="empty-bearer"),
    ],
)
def test_every_api_route_needs_a_valid_token(
    headers: dict[str, str],
    app: FastAPI,
    client: TestClient,
    archived: Archived,
    database: Database,
) -> None:
    for method, url in api_calls(app, archived.document_ids[0]):
        # When a route is called without a valid bearer token
        response = client.request(
            method,
            url,
            params={"person_code": archived.person_code},
            json={"document_type": "other"} if method == "PUT" else None,
            headers=headers,
        )

        # Then it is refused as unauthenticated, asking for a bearer token, and reveals nothing
        assert response.status_code == 401, url
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"
        assert archived.person_code not in response.text
        assert archived.pdf[:200] not in response.content


def test_a_revoked_token_is_refused(
    client: TestClient, token: Token, admin_database: Database, archived: Archived
) -> None:
    # Given a token that worked, then was revoked (by the owner: the API's role cannot)
    assert client.get("/api/v1/documents", headers=token.headers).status_code == 200
    with admin_database.transaction() as conn:
        conn.execute("UPDATE api_tokens SET revoked_at = now() WHERE name = %s", (token.name,))

    # Then it no longer opens any document
    url = f"/api/v1/documents/{archived.document_ids[0]}"
    assert client.get(url, headers=token.headers).status_code == 401


def test_openapi_lists_every_route(client: TestClient, token: Token) -> None:
    # When the OpenAPI document is fetched (with a token, whatever it needs)
    response = client.get("/openapi.json", headers=token.headers)

    # Then it describes health and each document route
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/healthz",
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/documents/{document_id}/file",
    } <= set(paths)


def test_the_api_description_needs_a_token(client: TestClient) -> None:
    # When the API description is fetched without a token
    response = client.get("/openapi.json")

    # Then it is refused like every other route but health
    assert response.status_code == 401


@pytest.mark.parametrize("url", ["/docs", "/redoc"])
def test_no_unauthenticated_documentation_pages(url: str, client: TestClient, token: Token) -> None:
    # The browsable docs would need the description without a token: they are not served,
    # and without a token nothing but health is even looked up
    assert client.get(url).status_code == 401
    assert client.get(url, headers=token.headers).status_code == 404


# --- reading documents ---------------------------------------------------------------------


def test_documents_of_a_person_are_found_by_person_code(
    client: TestClient, token: Token, archived: Archived
) -> None:
    # When the documents of the person are asked for
    response = client.get(
        "/api/v1/documents", params={"person_code": archived.person_code}, headers=token.headers
    )

    # Then exactly their document comes back, archived, with a file
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    (item,) = body["items"]
    assert item["id"] == archived.document_ids[0]
    assert item["capture_id"] == archived.capture_id
    assert item["status"] == "archived"
    assert item["verdict"] == {"status": "accepted", "reasons": []}
    assert item["person_codes"] == [archived.person_code]
    assert item["pages"] == [1]
    assert item["has_file"] is True


def test_another_person_code_finds_nothing(
    client: TestClient, token: Token, archived: Archived, unique: str
) -> None:
    # Given a valid person code that is on no document
    stranger = person_code_for(f"{unique}-stranger")
    assert stranger != archived.person_code

    # When their documents are asked for
    response = client.get(
        "/api/v1/documents", params={"person_code": stranger}, headers=token.headers
    )

    # Then there are none
    assert response.status_code == 200
    assert response.json() == {"items": [], "next": None}


def test_a_document_by_id_carries_its_page_texts(
    client: TestClient, token: Token, archived: Archived
) -> None:
    # When one document is read
    response = client.get(f"/api/v1/documents/{archived.document_ids[0]}", headers=token.headers)

    # Then its pages' OCR text comes with it, Estonian letters intact
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == archived.document_ids[0]
    assert body["page_texts"] == [{"number": 1, "text": archived.page_texts[0]}]
    assert "Õnne, Jüri!" in body["page_texts"][0]["text"]


@pytest.mark.parametrize("document_id", [str(uuid.uuid4()), str(uuid.uuid4()).upper()])
def test_an_unknown_document_is_not_found(
    document_id: str, client: TestClient, token: Token
) -> None:
    for url in (f"/api/v1/documents/{document_id}", f"/api/v1/documents/{document_id}/file"):
        response = client.get(url, headers=token.headers)
        assert response.status_code == 404, url
        assert response.headers["content-type"] == "application/problem+json"


def test_the_file_streams_exactly_the_stored_pdf(
    client: TestClient, token: Token, archived: Archived
) -> None:
    # When the document's file is downloaded
    response = client.get(
        f"/api/v1/documents/{archived.document_ids[0]}/file", headers=token.headers
    )

    # Then it is the stored searchable PDF, byte for byte, declared as a PDF with its checksum
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content == archived.pdf
    assert response.headers["content-length"] == str(len(archived.pdf))
    assert response.headers["x-checksum-sha256"] == hashlib.sha256(archived.pdf).hexdigest()


def test_pagination_follows_the_next_cursor(
    client: TestClient, token: Token, database: Database, store: ObjectStore, unique: str
) -> None:
    # Given three documents of one person in one capture (registered in the same instant)
    three = archive(database, store, f"{unique}-three", documents=3)

    # When they are listed two at a time, following "next"
    params: dict[str, str | int] = {"person_code": three.person_code, "limit": 2}
    first = client.get("/api/v1/documents", params=params, headers=token.headers).json()
    assert first["next"] is not None
    second = client.get(
        "/api/v1/documents", params={**params, "cursor": first["next"]}, headers=token.headers
    ).json()

    # Then the two pages hold the three documents once each, and the second is the last
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert len(first["items"]) == 2
    assert sorted(ids) == sorted(three.document_ids)
    assert len(set(ids)) == 3
    assert second["next"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("not base64 !", id="not-base64"),
        pytest.param(base64.urlsafe_b64encode(b"[1, 2, 3]").decode(), id="three-items"),
        pytest.param(base64.urlsafe_b64encode(b'{"a": 1}').decode(), id="an-object"),
        pytest.param(base64.urlsafe_b64encode(b"7").decode(), id="a-number"),
        pytest.param(base64.urlsafe_b64encode(b'["yesterday", "x"]').decode(), id="bad-date"),
        pytest.param(
            base64.urlsafe_b64encode(b'["2024-05-01T10:00:00+00:00", "x"]').decode(),
            id="bad-id",
        ),
        pytest.param(base64.urlsafe_b64encode(b"\xff\xfe").decode(), id="not-utf8"),
    ],
)
def test_an_invalid_cursor_is_a_bad_request(cursor: str, client: TestClient, token: Token) -> None:
    response = client.get("/api/v1/documents", params={"cursor": cursor}, headers=token.headers)
    assert response.status_code == 400
    assert response.json()["title"] == "invalid cursor"


@pytest.mark.parametrize("person_code", ["3900101123", "390010112345", "3900101123x", "abc"])
def test_a_malformed_person_code_is_unprocessable(
    person_code: str, client: TestClient, token: Token
) -> None:
    response = client.get(
        "/api/v1/documents", params={"person_code": person_code}, headers=token.headers
    )
    assert response.status_code == 422


def test_every_read_is_audited_with_who_which_document_and_route(
    client: TestClient, token: Token, archived: Archived, database: Database
) -> None:
    # Given a case system that has read nothing yet
    doc_id = archived.document_ids[0]
    assert audit_rows(database, token.name) == []

    # When it lists, reads and downloads the document
    client.get(
        "/api/v1/documents", params={"person_code": archived.person_code}, headers=token.headers
    )
    client.get(f"/api/v1/documents/{doc_id}", headers=token.headers)
    client.get(f"/api/v1/documents/{doc_id}/file", headers=token.headers)

    # Then each read left one audit row naming the route, and the document it asked for or
    # returned
    assert audit_rows(database, token.name) == [
        (None, "/api/v1/documents", "list"),
        (doc_id, "/api/v1/documents/{id}", "read"),
        (doc_id, "/api/v1/documents/{id}/file", "download"),
    ]
    listed, read, downloaded = audit_trail(database, token_name=token.name)
    assert listed.returned_ids == [doc_id]
    assert [e.id for e in lookups_of_document(database, doc_id)] == [
        listed.id,
        read.id,
        downloaded.id,
    ]
    with database.transaction() as conn:
        row = conn.execute(
            "SELECT count(*) FROM audit_log WHERE token_name = %s AND at IS NULL", (token.name,)
        ).fetchone()
    assert row is not None
    assert row[0] == 0


def test_refused_reads_are_not_audited_as_reads(
    client: TestClient, archived: Archived, database: Database
) -> None:
    # When a read is refused for want of a token
    client.get(f"/api/v1/documents/{archived.document_ids[0]}")

    # Then no audit row names that document
    with database.transaction() as conn:
        row = conn.execute(
            "SELECT count(*) FROM audit_log WHERE document_id = %s", (archived.document_ids[0],)
        ).fetchone()
    assert row is not None
    assert row[0] == 0


# --- corrections ----------------------------------------------------------------------------


def test_a_type_correction_changes_the_type_and_is_kept_for_training(
    client: TestClient, token: Token, archived: Archived, database: Database
) -> None:
    document_id = archived.document_ids[0]
    # When records staff correct the document's type
    response = client.put(
        f"/api/v1/documents/{document_id}/type",
        json={"document_type": "power_of_attorney"},
        headers=token.headers,
    )
    # Then the document has the new type with full confidence, the correction is audited,
    # and training sees it with the document's text
    assert response.status_code == 200
    assert response.json()["document_type"] == "power_of_attorney"
    body = client.get(f"/api/v1/documents/{document_id}", headers=token.headers).json()
    assert (body["document_type"], body["type_confidence"]) == ("power_of_attorney", 1.0)
    assert (document_id, "/api/v1/documents/{id}/type", "correct") in audit_rows(
        database, token.name
    )
    found = {c.document_id: c for c in corrections(database)}
    assert found[document_id].document_type == "power_of_attorney"
    assert archived.page_texts[0] in found[document_id].text


def test_a_correction_to_an_unknown_type_is_refused(
    client: TestClient, token: Token, archived: Archived
) -> None:
    response = client.put(
        f"/api/v1/documents/{archived.document_ids[0]}/type",
        json={"document_type": "shopping_list"},
        headers=token.headers,
    )
    assert response.status_code == 422


# --- request size and authentication before the body ---------------------------------------


@dataclass(frozen=True)
class Exchange:
    """What a raw ASGI call answered, and how much of the request body the app took."""

    status: int
    headers: dict[str, str]
    body: bytes
    taken: int  # request body bytes handed to the application


def exchange(
    app: FastAPI,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    chunks: Iterable[bytes] = (),
) -> Exchange:
    """Call ``app`` as a server would, sending ``chunks`` as the body only when it asks."""

    async def run() -> Exchange:
        source = iter(chunks)
        taken = 0
        sent: list[Message] = []
        done = False

        async def receive() -> Message:
            nonlocal taken, done
            chunk = None if done else next(source, None)
            if chunk is None:
                if done:
                    return {"type": "http.disconnect"}
                done = True
                return {"type": "http.request", "body": b"", "more_body": False}
            taken += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": True}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("192.0.2.10", 50000),
            "server": ("127.0.0.1", 8080),
        }
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return Exchange(
            status=int(start["status"]),
            headers={k.decode(): v.decode() for k, v in start["headers"]},
            body=body,
            taken=taken,
        )

    return anyio.run(run)


def test_a_declared_body_over_the_limit_is_refused_before_any_of_it_is_read(
    app: FastAPI, token: Token, archived: Archived
) -> None:
    # Given a PUT that declares 100 MB (with a valid token, and without one)
    for headers in ({}, token.headers):
        # When it is sent
        sent = exchange(
            app,
            "PUT",
            f"/api/v1/documents/{archived.document_ids[0]}/type",
            headers={
                **headers,
                "content-type": "application/json",
                "content-length": str(100 * 1024 * 1024),
            },
            chunks=[b"x" * 65536] * 4,
        )

        # Then it is refused as too large at once, not one byte of it read
        assert sent.status == 413
        assert sent.headers["content-type"] == "application/problem+json"
        assert sent.taken == 0


def test_a_streamed_body_is_cut_off_at_the_limit(
    app: FastAPI, token: Token, archived: Archived
) -> None:
    # Given a chunked PUT, no length declared, that goes on for 4 MB in 16 KiB chunks
    chunk = b" " * 16384

    # When it is sent by a caller with a valid token
    sent = exchange(
        app,
        "PUT",
        f"/api/v1/documents/{archived.document_ids[0]}/type",
        headers={**token.headers, "content-type": "application/json"},
        chunks=[chunk] * 256,
    )

    # Then it is refused as too large, and no more than the limit and one chunk was taken
    assert sent.status == 413
    assert sent.headers["content-type"] == "application/problem+json"
    assert sent.taken <= MAX_BODY_BYTES + len(chunk)


def test_the_body_limit_comes_from_the_settings(
    database: Database,
    store: ObjectStore,
    token: Token,
    archived: Archived,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a site that allows 100-byte bodies
    monkeypatch.setenv("INTAKE_API_MAX_BODY_BYTES", "100")
    settings = load_settings()
    assert settings.api_max_body_bytes == 100
    app = make_app(database, store, max_body_bytes=settings.api_max_body_bytes)
    url = f"/api/v1/documents/{archived.document_ids[0]}/type"

    with TestClient(app) as client:
        # Then a correction fits, and a body of 101 bytes does not
        fits = client.put(url, json={"document_type": "other"}, headers=token.headers)
        assert fits.status_code == 200
        padded = b'{"document_type": "other"' + b" " * 75 + b"}"
        assert len(padded) == 101
        refused = client.put(
            url,
            content=padded,
            headers={**token.headers, "content-type": "application/json"},
        )
        assert refused.status_code == 413


def test_the_default_body_limit_is_64_kib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTAKE_API_MAX_BODY_BYTES", raising=False)
    assert load_settings().api_max_body_bytes == MAX_BODY_BYTES == 64 * 1024


def test_the_token_is_checked_before_the_body_is_read(app: FastAPI, archived: Archived) -> None:
    for headers in ({}, {"authorization": "Bearer not-a-token-anyone-was-given"}):
        # When a correction under the size limit comes without a valid token
        sent = exchange(
            app,
            "PUT",
            f"/api/v1/documents/{archived.document_ids[0]}/type",
            headers={**headers, "content-type": "application/json", "content-length": "30"},
            chunks=[b'{"document_type": "other"}    '],
        )

        # Then it is refused as unauthenticated without the body ever being read
        assert sent.status == 401
        assert sent.headers["www-authenticate"] == "Bearer"
        assert sent.taken == 0


def test_a_large_invalid_body_is_not_echoed(
    client: TestClient, token: Token, archived: Archived
) -> None:
    url = f"/api/v1/documents/{archived.document_ids[0]}/type"
    for body in (
        {"something_else": "x" * 60_000},
        {"document_type": ["x" * 60_000]},
        {"document_type": "x" * 60_000},
    ):
        # When a body under the limit but invalid is sent
        response = client.put(url, json=body, headers=token.headers)

        # Then it is unprocessable, said in a few hundred bytes that hold no more than an
        # excerpt of it
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert len(response.content) < 2000
        assert "x" * 33 not in response.text


NAME = "Mari Maasikas"


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("{code}", id="person-code"),
        pytest.param("isikukood {code}", id="code-inside"),
        pytest.param(NAME, id="name"),
        pytest.param("elukoht Tartu, Rüütli tänav 12, korter 4", id="long"),
        pytest.param("note", id="short-unknown"),
        pytest.param("body", id="a-location-word"),
        pytest.param("document_id", id="another-parameter"),
    ],
)
def test_an_unknown_member_of_the_body_is_neither_named_nor_quoted(
    key: str, client: TestClient, token: Token, archived: Archived
) -> None:
    # Given a correction whose body has, beside a wrong type, a member the route does not
    # take: its key and its value are the client's text, a person code or a name, say
    member = key.format(code=archived.person_code)
    body = {"document_type": 5, member: NAME}

    # When it is sent
    response = client.put(
        f"/api/v1/documents/{archived.document_ids[0]}/type", json=body, headers=token.headers
    )

    # Then both errors are reported, the field the route knows by its name, the other
    # member's key redacted, and neither the key nor its value is quoted
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    # (a name of the route, as the body's location or its path parameter, may be said)
    said = member if member in {"body", "document_id"} else "…"
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [["body", "document_type"], ["body", said]], errors
    assert [e["type"] for e in errors] == ["string_type", "extra_forbidden"]
    assert "input" not in errors[1]
    assert NAME not in response.text
    assert archived.person_code[:10] not in response.text
    if said == "…":
        assert member not in response.text


def test_every_part_of_a_location_outside_the_routes_names_is_redacted(
    client: TestClient, token: Token, archived: Archived
) -> None:
    # Given bodies with several members the route does not take, beside a missing field
    # and beside a valid one
    code = archived.person_code
    url = f"/api/v1/documents/{archived.document_ids[0]}/type"
    for body in ({code: NAME}, {"document_type": "other", code: NAME, "x" * 40: NAME}):
        # When each is sent
        response = client.put(url, json=body, headers=token.headers)

        # Then each unknown key is said as an ellipsis, and nothing of them is echoed
        assert response.status_code == 422
        errors = response.json()["errors"]
        unknown = [e for e in errors if e["type"] == "extra_forbidden"]
        extras = len(body.keys() - {"document_type"})
        assert [e["loc"] for e in unknown] == [["body", "…"]] * extras, errors
        assert all("input" not in e for e in unknown)
        assert code not in response.text
        assert NAME not in response.text
        assert "x" * 33 not in response.text


def test_the_openapi_document_still_declares_the_bearer_scheme(
    client: TestClient, token: Token
) -> None:
    # When the API description is read
    document = client.get("/openapi.json", headers=token.headers).json()

    # Then it names the bearer scheme, every document route requires it, and errors are
    # problem documents
    schemes = document["components"]["securitySchemes"]
    (name,) = [n for n, s in schemes.items() if s == {"type": "http", "scheme": "bearer"}]
    for path, operations in document["paths"].items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            assert {name: []} in operation["security"], path
            assert "application/problem+json" in operation["responses"]["422"]["content"]
    assert "security" not in document["paths"]["/healthz"]["get"]
    # and a correction's body names the types it may give
    correction = document["components"]["schemas"]["TypeCorrection"]
    assert correction["properties"]["document_type"]["enum"] == list(load_document_types().ids)


# --- inputs that must never make a 500 ------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param("urn:uuid:{}", id="urn"),
        pytest.param("{{{}}}", id="braces"),
        pytest.param("{}\n", id="trailing-newline"),
        pytest.param(" {}", id="leading-space"),
        pytest.param("nohyphens", id="no-hyphens"),
        pytest.param("not-a-uuid", id="not-a-uuid"),
        pytest.param("{}0", id="too-long"),
    ],
)
def test_a_document_id_that_is_not_a_canonical_uuid_is_unprocessable(
    spelling: str, app: FastAPI, token: Token, archived: Archived, database: Database
) -> None:
    doc_id = archived.document_ids[0]
    written = doc_id.replace("-", "") if spelling == "nohyphens" else spelling.format(doc_id)
    with TestClient(app, raise_server_exceptions=False) as client:
        calls = [c for c in api_calls(app, quote(written, safe=":")) if c[1] != LIST]
        assert len(calls) == 3
        for method, url in calls:
            # When a document is asked for by an id that is not written 8-4-4-4-12
            response = client.request(
                method,
                url,
                json={"document_type": "other"} if method == "PUT" else None,
                headers=token.headers,
            )

            # Then it is unprocessable, said as a problem
            assert response.status_code == 422, url
            assert response.headers["content-type"] == "application/problem+json"
    # and nothing was looked up
    assert audit_rows(database, token.name) == []


def test_a_document_id_in_capitals_is_the_same_document(
    client: TestClient, token: Token, archived: Archived, database: Database
) -> None:
    doc_id = archived.document_ids[0]
    # When the document is read by its id in capitals
    response = client.get(f"/api/v1/documents/{doc_id.upper()}", headers=token.headers)

    # Then it is found, and the read is audited under the id as stored
    assert response.status_code == 200
    assert response.json()["id"] == doc_id
    assert audit_rows(database, token.name) == [(doc_id, "/api/v1/documents/{id}", "read")]


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param(_cursor([1714557600, str(uuid.uuid4())]), id="number-for-time"),
        pytest.param(_cursor(["2024-05-01T10:00:00+00:00", 7]), id="number-for-id"),
        pytest.param(_cursor([["2024-05-01T10:00:00+00:00"], str(uuid.uuid4())]), id="list-time"),
        pytest.param(_cursor(["2024-05-01T10:00:00+00:00", [str(uuid.uuid4())]]), id="list-id"),
        pytest.param(_cursor(["2024-05-01T10:00:00+00:00", None]), id="null-id"),
        pytest.param(
            _cursor(["2024-05-01T10:00:00+00:00", f"urn:uuid:{uuid.uuid4()}"]), id="urn-id"
        ),
        pytest.param(_cursor(["2024-05-01T10:00:00", str(uuid.uuid4())]), id="naive-time"),
        pytest.param(_cursor("2024-05-01T10:00:00+00:00"), id="a-string"),
        pytest.param(_cursor([]), id="empty-list"),
        pytest.param("[" * 200, id="brackets"),
        pytest.param(base64.urlsafe_b64encode(b"[" * 180).decode(), id="deep-nesting"),
        pytest.param("äöü", id="non-ascii"),
    ],
)
def test_a_cursor_of_the_wrong_shape_is_a_bad_request(
    cursor: str, app: FastAPI, token: Token
) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/documents", params={"cursor": cursor}, headers=token.headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "invalid cursor"


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"status": "y" * 1000}, id="status"),
        pytest.param({"limit": "9" * 1000}, id="limit"),
        pytest.param({"cursor": "z" * 1000}, id="cursor"),
        pytest.param({"limit": "0"}, id="limit-zero"),
        pytest.param({"cursor": ""}, id="empty-cursor"),
    ],
)
def test_an_invalid_filter_is_unprocessable_and_not_echoed(
    params: dict[str, str], app: FastAPI, token: Token
) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/documents", params=params, headers=token.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "invalid request"
    ((name, value),) = params.items()
    assert [e["loc"] for e in body["errors"]] == [["query", name]]
    assert all(len(e.get("input", "")) <= 32 for e in body["errors"])
    if len(value) > 32:
        assert value[:33] not in response.text


def test_an_unexpected_error_is_a_500_problem_without_detail(
    database: Database, store: ObjectStore, caplog: pytest.LogCaptureFixture, unique: str
) -> None:
    # Given a health check that crashes with a message quoting personal data
    code = person_code_for(unique)

    def crash() -> None:
        raise RuntimeError(f"isikukood {code} not understood")

    app = make_app(database, store, checks={"database": crash})

    # When health is asked
    with caplog.at_level(logging.DEBUG), TestClient(app) as client:
        response = client.get("/healthz")

    # Then the answer is a bare 500 problem, and neither it nor the log quotes the message
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "internal error",
        "status": 500,
        "detail": "",
    }
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "RuntimeError" in caplog.text
    assert code not in caplog.text
    assert code not in response.text


def test_a_database_that_is_down_is_a_503_problem(store: ObjectStore, token: Token) -> None:
    # Given an API whose database is at a port nothing listens on
    down = Database(
        DatabaseConfig(f"postgresql://intake@127.0.0.1:{free_port()}/intake"), timeout=1
    )
    try:
        # When a document route is called, its token cannot be checked
        with TestClient(make_app(down, store)) as client:
            response = client.get("/api/v1/documents", headers=token.headers)
    finally:
        down.close()

    # Then the answer says a service is unavailable, as a problem
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "service unavailable"


# --- person codes ---------------------------------------------------------------------------


def _in_digits(first: int) -> Callable[[str], str]:
    """Write a code in the ten digits of another script, from the code point of its zero."""
    table = str.maketrans("0123456789", "".join(chr(first + n) for n in range(10)))
    return lambda code: code.translate(table)


def _wrong_check_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(_in_digits(0x0660), id="arabic-indic"),
        pytest.param(_in_digits(0x06F0), id="persian"),
        pytest.param(_in_digits(0xFF10), id="fullwidth"),
        pytest.param(_wrong_check_digit, id="check-digit"),
        pytest.param(lambda c: c[:3] + "13" + c[5:], id="month-13"),
        pytest.param(lambda c: c[:10], id="ten-digits"),
        pytest.param(lambda c: c + " ", id="trailing-space"),
    ],
)
def test_a_person_code_that_is_not_valid_is_unprocessable_and_not_echoed(
    spelling: Callable[[str], str], client: TestClient, token: Token, archived: Archived
) -> None:
    # Given a spelling of the person's code that is not a valid isikukood
    written = spelling(archived.person_code)
    assert written != archived.person_code

    # When documents are asked for by it
    response = client.get(
        "/api/v1/documents", params={"person_code": written}, headers=token.headers
    )

    # Then it is unprocessable, and the answer does not quote it
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert written.strip() not in response.text
    assert archived.person_code[:10] not in response.text
    assert "input" not in response.json()["errors"][0]


@pytest.mark.parametrize("person_code", ["3900101123", "390010112345", "3900101123x", "abc"])
def test_a_malformed_person_code_is_not_echoed(
    person_code: str, client: TestClient, token: Token
) -> None:
    response = client.get(
        "/api/v1/documents", params={"person_code": person_code}, headers=token.headers
    )
    assert response.status_code == 422
    assert person_code not in response.text


def test_a_person_code_in_another_filter_is_not_echoed(
    client: TestClient, token: Token, archived: Archived
) -> None:
    response = client.get(
        "/api/v1/documents", params={"status": archived.person_code}, headers=token.headers
    )
    assert response.status_code == 422
    assert archived.person_code not in response.text


# --- the audit of every lookup --------------------------------------------------------------


def test_a_list_that_finds_nothing_is_audited_with_its_filters(
    app: FastAPI, token: Token, database: Database, unique: str
) -> None:
    # Given a valid person code that is on no document
    stranger = person_code_for(f"{unique}-nobody")

    # When a case system at a known address lists their archived documents
    with TestClient(app, client=("203.0.113.7", 40000)) as client:
        response = client.get(
            "/api/v1/documents",
            params={"person_code": stranger, "status": "archived"},
            headers=token.headers,
        )
    assert response.json()["items"] == []

    # Then the lookup is audited: who, from where, what was searched, what came back
    (entry,) = audit_trail(database, token_name=token.name)
    assert (entry.route, entry.action, entry.http_status) == ("/api/v1/documents", "list", 200)
    assert entry.client_addr == "203.0.113.7"
    assert entry.status_filter == "archived"
    assert entry.returned_ids == []
    assert entry.document_id is None
    # and the code searched for is keyed-hashed, not plainly hashed, nor in full
    assert entry.person_code_form == "hmac-sha256"
    assert entry.person_code == hmac.new(AUDIT_KEY, stranger.encode(), "sha256").hexdigest()
    assert entry.person_code != hashlib.sha256(stranger.encode()).hexdigest()


def test_a_list_is_audited_with_what_it_returned(
    client: TestClient, token: Token, archived: Archived, database: Database
) -> None:
    client.get(
        "/api/v1/documents", params={"person_code": archived.person_code}, headers=token.headers
    )
    (entry,) = audit_trail(database, token_name=token.name)
    assert entry.returned_ids == list(archived.document_ids)
    assert entry.person_code == person_code_digest(AUDIT_KEY, archived.person_code)
    assert entry.client_addr == "testclient"


def test_a_list_without_a_person_code_records_none(
    client: TestClient, token: Token, database: Database
) -> None:
    client.get("/api/v1/documents", params={"limit": 1}, headers=token.headers)
    (entry,) = audit_trail(database, token_name=token.name)
    assert (entry.person_code, entry.person_code_form, entry.status_filter) == (None, None, None)
    assert entry.returned_ids is not None
    assert len(entry.returned_ids) <= 1


def test_person_codes_can_be_audited_in_full(
    database: Database,
    store: ObjectStore,
    token: Token,
    archived: Archived,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a site that keeps searched person codes in full
    monkeypatch.setenv("INTAKE_AUDIT_PERSON_CODES", "full")
    settings = load_settings()
    assert settings.audit_person_codes == "full"
    app = make_app(database, store, audit_person_codes=settings.audit_person_codes)

    # When a person's documents are listed
    with TestClient(app) as client:
        client.get(
            "/api/v1/documents",
            params={"person_code": archived.person_code},
            headers=token.headers,
        )

    # Then the audit log has the code as searched
    (entry,) = audit_trail(database, token_name=token.name)
    assert (entry.person_code, entry.person_code_form) == (archived.person_code, "full")


def test_the_audit_settings_default_to_hashed_without_a_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INTAKE_AUDIT_PERSON_CODES", raising=False)
    monkeypatch.delenv("INTAKE_AUDIT_KEY", raising=False)
    settings = load_settings()
    assert settings.audit_person_codes == "hashed"
    assert settings.audit_key is None


def test_an_audit_key_too_short_is_refused(database: Database, store: ObjectStore) -> None:
    with pytest.raises(Misconfigured):
        make_app(database, store, audit_key=b"short")


def test_reads_and_downloads_of_missing_documents_are_audited(
    app: FastAPI, token: Token, database: Database
) -> None:
    # Given an id no document has
    missing = str(uuid.uuid4())

    # When it is read and downloaded, from a known address
    with TestClient(app, client=("198.51.100.4", 40000)) as client:
        for url in (f"/api/v1/documents/{missing}", f"/api/v1/documents/{missing}/file"):
            assert client.get(url, headers=token.headers).status_code == 404

    # Then both lookups are audited with the id asked for and the answer given
    entries = audit_trail(database, token_name=token.name)
    assert [(e.document_id, e.route, e.action, e.http_status) for e in entries] == [
        (missing, "/api/v1/documents/{id}", "read", 404),
        (missing, "/api/v1/documents/{id}/file", "download", 404),
    ]
    assert {e.client_addr for e in entries} == {"198.51.100.4"}


def test_every_correction_attempt_is_audited(
    client: TestClient, token: Token, archived: Archived, database: Database
) -> None:
    doc_id = archived.document_ids[0]
    missing = str(uuid.uuid4())
    # When a correction succeeds, one names a missing document and one an unknown type
    url = "/api/v1/documents/{}/type"
    ok = client.put(url.format(doc_id), json={"document_type": "other"}, headers=token.headers)
    gone = client.put(url.format(missing), json={"document_type": "other"}, headers=token.headers)
    odd = client.put(url.format(doc_id), json={"document_type": "recipe"}, headers=token.headers)
    assert (ok.status_code, gone.status_code, odd.status_code) == (200, 404, 422)

    # Then each is audited with its document and answer
    entries = audit_trail(database, token_name=token.name)
    assert [(e.document_id, e.action, e.http_status) for e in entries] == [
        (doc_id, "correct", 200),
        (missing, "correct", 404),
        (doc_id, "correct", 422),
    ]
    assert {e.route for e in entries} == {"/api/v1/documents/{id}/type"}


def test_no_person_code_reaches_the_log(
    client: TestClient, token: Token, archived: Archived, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        client.get(
            "/api/v1/documents",
            params={"person_code": archived.person_code},
            headers=token.headers,
        )
        client.get(
            "/api/v1/documents",
            params={"person_code": _wrong_check_digit(archived.person_code)},
            headers=token.headers,
        )
    # the server's log, that is (the test's own client logs the URLs it asks for)
    served = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "GET /api/v1/documents 200" in served
    assert "GET /api/v1/documents 422" in served
    assert archived.person_code[:10] not in served


# --- response headers -----------------------------------------------------------------------


def test_every_response_forbids_caching_sniffing_and_referrers(
    client: TestClient, token: Token, archived: Archived
) -> None:
    doc_id = archived.document_ids[0]
    responses = [
        client.get(f"/api/v1/documents/{doc_id}/file", headers=token.headers),
        client.get(f"/api/v1/documents/{doc_id}", headers=token.headers),
        client.get("/api/v1/documents", headers=token.headers),
        client.get(f"/api/v1/documents/{uuid.uuid4()}", headers=token.headers),
        client.get("/api/v1/documents", params={"limit": "x"}, headers=token.headers),
        client.get("/api/v1/documents"),
        client.get("/openapi.json", headers=token.headers),
        client.get("/healthz"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 404, 422, 401, 200, 200]
    for response in responses:
        assert response.headers["cache-control"] == "no-store", response.url
        assert response.headers["x-content-type-options"] == "nosniff", response.url
        assert response.headers["referrer-policy"] == "no-referrer", response.url
