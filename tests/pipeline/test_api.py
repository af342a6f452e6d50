"""The case-system API over the real database and store: tokens, queries, files, audit."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.exceptions import StarletteDeprecationWarning

from config.doctypes import load_document_types
from config.settings import StoreConfig
from pipeline.embedded import free_port
from pipeline.web.api import create_app
from storage.access import create_token
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


@pytest.fixture
def app(database: Database, store: ObjectStore) -> FastAPI:
    return create_app(database, store, type_ids=load_document_types().ids)


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
def token(database: Database, unique: str) -> Token:
    """A live API token of a case system of this test's own."""
    made = Token(name=f"case-system-{unique}", value=secrets.token_urlsafe(32))
    create_token(database, made.name, made.value)
    return made


@pytest.fixture
def archived(database: Database, store: ObjectStore, unique: str) -> Archived:
    return archive(database, store, unique)


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
    """(document id, route, action) of every audited read by ``who``, in order."""
    with database.transaction() as conn:
        rows = conn.execute(
            "SELECT document_id::text, route, action FROM audit_log WHERE token_name = %s"
            " ORDER BY id",
            (who,),
        ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


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
    with TestClient(create_app(database, down)) as client:
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
    with TestClient(create_app(database, refused), raise_server_exceptions=False) as client:
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
    client: TestClient, token: Token, database: Database, archived: Archived
) -> None:
    # Given a token that worked, then was revoked
    assert client.get("/api/v1/documents", headers=token.headers).status_code == 200
    with database.transaction() as conn:
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
def test_no_unauthenticated_documentation_pages(url: str, client: TestClient) -> None:
    # The browsable docs would need the description without a token: they are not served
    assert client.get(url).status_code == 404


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


@pytest.mark.parametrize("document_id", [str(uuid.uuid4()), "not-a-uuid"])
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

    # Then each read left one audit row naming it, the document and the route
    assert audit_rows(database, token.name) == [
        (doc_id, "/api/v1/documents", "list"),
        (doc_id, "/api/v1/documents/{id}", "read"),
        (doc_id, "/api/v1/documents/{id}/file", "download"),
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
