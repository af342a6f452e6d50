"""The case database on a real PostgreSQL: migrations, captures, claims, registration, queries."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import psycopg
import pytest

from config.errors import AlreadyRegistered, BackendUnavailable
from config.settings import DatabaseConfig
from pipeline.embedded import free_port
from storage.captures import (
    Capture,
    NewCapture,
    capture_by_sha,
    claimed,
    finish_failed,
    get_capture,
    insert_capture,
    unfinished,
)
from storage.db import Database, migrate
from storage.documents import (
    Outcome,
    get_document,
    list_documents,
    page_texts,
    register,
)
from tests.fixtures import records
from tests.fixtures.records import event_kinds, new_document, new_page, person_code_for
from tests.fixtures.services import ServiceUrls

pytestmark = pytest.mark.services

TABLES = {"captures", "documents", "pages", "fields", "events", "api_tokens", "audit_log"}


def new_capture(tag: str) -> NewCapture:
    """A received capture whose bytes are unique to ``tag``."""
    content = f"capture {tag} {uuid.uuid4()}".encode()
    return records.new_capture(tag, content, drop_folder="/srv/drop/tallinn", size_bytes=1234)


def received(database: Database, tag: str) -> Capture:
    """Insert a capture and return its row."""
    new = new_capture(tag)
    insert_capture(database, new)
    row = get_capture(database, new.id)
    assert row is not None
    return row


def outcome(
    *, status: str = "archived", codes: tuple[str, ...] = (), documents: int = 1
) -> Outcome:
    """A processed capture of ``documents`` one-page documents, each naming ``codes``."""
    accepted = status == "archived"
    docs = tuple(
        new_document(
            i,
            codes,
            verdict="accepted" if accepted else "needs_review",
            reasons=[] if accepted else [{"code": "NO_TEXT", "page": None}],
        )
        for i in range(documents)
    )
    pages = tuple(
        new_page(i + 1, f"Lehekülg {i + 1} " + " ".join(codes), ocr_confidence=0.93)
        for i in range(documents)
    )
    return Outcome(
        status=status,
        reasons=[] if accepted else ["NO_TEXT"],
        media_type="application/pdf",
        pages=pages,
        documents=docs,
    )


def scalar(database: Database, sql: str, *params: Any) -> Any:
    with database.transaction() as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def counts(database: Database, capture_id: str) -> dict[str, int]:
    """How many rows of each kind belong to a capture."""
    return {
        "documents": scalar(
            database, "SELECT count(*) FROM documents WHERE capture_id = %s", capture_id
        ),
        "pages": scalar(database, "SELECT count(*) FROM pages WHERE capture_id = %s", capture_id),
        "fields": scalar(
            database,
            "SELECT count(*) FROM fields f JOIN documents d ON d.id = f.document_id"
            " WHERE d.capture_id = %s",
            capture_id,
        ),
        "events": scalar(database, "SELECT count(*) FROM events WHERE capture_id = %s", capture_id),
    }


# --- migrations ----------------------------------------------------------------------------


def test_migrations_made_every_table_and_a_second_run_applies_none(
    database: Database, service_urls: ServiceUrls
) -> None:
    # Given the database the session fixture migrated
    with database.transaction() as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()

    # Then every table of the schema exists
    assert {r[0] for r in rows} >= TABLES

    # And migrating again applies nothing
    assert migrate(DatabaseConfig(service_urls.admin_url)) == 0


# --- captures ------------------------------------------------------------------------------


def test_insert_capture_then_the_same_bytes_again_is_already_registered(
    database: Database, unique: str
) -> None:
    # Given a received capture
    first = new_capture(unique)
    insert_capture(database, first)

    # When the same bytes arrive again under another id and name
    again = NewCapture(**{**first.__dict__, "id": str(uuid.uuid4()), "original_name": "x.pdf"})
    with pytest.raises(AlreadyRegistered) as refused:
        insert_capture(database, again)

    # Then the error names the capture that exists, and only that one is stored
    assert refused.value.existing_id == first.id
    row = capture_by_sha(database, first.sha256)
    assert row is not None
    assert (row.id, row.status, row.original_name) == (first.id, "received", f"{unique}.pdf")
    assert event_kinds(database, first.id) == ["received"]
    assert get_capture(database, again.id) is None


def test_a_received_capture_is_unfinished(database: Database, unique: str) -> None:
    # Given a received capture
    capture = received(database, unique)

    # Then a restarted worker would re-enqueue it
    assert capture.id in unfinished(database)


def test_events_refuse_update_and_delete(database: Database, unique: str) -> None:
    # Given a capture with its 'received' event
    capture = received(database, unique)

    # When someone tries to rewrite or erase the history
    with pytest.raises(psycopg.Error), database.transaction() as conn:
        conn.execute("UPDATE events SET kind = 'forged' WHERE capture_id = %s", (capture.id,))
    with pytest.raises(psycopg.Error), database.transaction() as conn:
        conn.execute("DELETE FROM events WHERE capture_id = %s", (capture.id,))

    # Then the event is still there as written
    assert event_kinds(database, capture.id) == ["received"]


# --- claims --------------------------------------------------------------------------------


def claim_elsewhere(database: Database, capture_id: str) -> Capture | None:
    """What a claim of ``capture_id`` from another thread (another worker) gets."""
    got: list[Capture | None] = []

    def other_worker() -> None:
        with claimed(database, capture_id) as capture:
            got.append(capture)

    thread = threading.Thread(target=other_worker)
    thread.start()
    thread.join(timeout=30)
    assert got, "the other claim did not finish"
    return got[0]


def test_a_second_concurrent_claim_gets_none(database: Database, unique: str) -> None:
    # Given a received capture
    capture = received(database, unique)

    # When one worker holds its claim
    with claimed(database, capture.id) as mine:
        # Then it got the capture, now processing
        assert mine is not None
        assert (mine.id, mine.status, mine.attempts) == (capture.id, "processing", 1)
        # And a second delivery of the same message, meanwhile, gets nothing
        assert claim_elsewhere(database, capture.id) is None

    # And once the block ends another claim succeeds, as a new attempt
    again = claim_elsewhere(database, capture.id)
    assert again is not None
    assert again.attempts == 2
    assert event_kinds(database, capture.id) == ["received", "processing", "processing"]


def test_a_final_or_unknown_capture_cannot_be_claimed(database: Database, unique: str) -> None:
    # Given an archived capture
    capture = received(database, unique)
    assert register(database, capture.id, outcome())

    # Then neither it nor an unknown id can be claimed
    with claimed(database, capture.id) as got:
        assert got is None
    with claimed(database, str(uuid.uuid4())) as unknown:
        assert unknown is None
    final = get_capture(database, capture.id)
    assert final is not None
    assert (final.status, final.attempts) == ("archived", 0)


# --- register ------------------------------------------------------------------------------


def test_register_writes_documents_pages_fields_and_an_event(
    database: Database, unique: str
) -> None:
    # Given a capture being processed
    capture = received(database, unique)
    code = person_code_for(unique)
    with claimed(database, capture.id) as mine:
        assert mine is not None

        # When its outcome is registered
        result = outcome(codes=(code,), documents=2)
        assert register(database, capture.id, result) is True

    # Then every row is there and the capture is archived
    assert counts(database, capture.id) == {
        "documents": 2,
        "pages": 2,
        "fields": 2,
        "events": 3,
    }
    final = get_capture(database, capture.id)
    assert final is not None
    assert (final.status, final.media_type, final.reasons) == (
        "archived",
        "application/pdf",
        [],
    )
    assert event_kinds(database, capture.id) == ["received", "processing", "archived"]
    document = get_document(database, result.documents[1].id)
    assert document is not None
    assert (document.position, document.page_numbers, document.person_codes) == (1, [2], [code])
    assert page_texts(database, capture.id, [2]) == [(2, f"Lehekülg 2 {code}")]


def test_registering_the_same_outcome_twice_changes_nothing(
    database: Database, unique: str
) -> None:
    # Given a capture registered once as needing review
    capture = received(database, unique)
    result = outcome(status="needs_review", codes=(person_code_for(unique),))
    assert register(database, capture.id, result) is True
    before = counts(database, capture.id)

    # When the same outcome is registered again (a redelivered message)
    again = register(database, capture.id, result)

    # Then nothing was written
    assert again is False
    assert counts(database, capture.id) == before
    final = get_capture(database, capture.id)
    assert final is not None
    assert (final.status, final.reasons) == ("needs_review", ["NO_TEXT"])


def test_register_of_an_unknown_capture_writes_nothing(database: Database) -> None:
    assert register(database, str(uuid.uuid4()), outcome()) is False


# --- queries -------------------------------------------------------------------------------


def test_list_documents_by_person_code_and_status_pages_by_keyset(
    database: Database, unique: str
) -> None:
    # Given three archived documents and one needing review naming a person, one of another
    code, other = person_code_for(unique), person_code_for(unique + "-other")
    archived = []
    for i in range(3):
        capture = received(database, f"{unique}-{i}")
        result = outcome(codes=(code,))
        register(database, capture.id, result)
        archived.append(result.documents[0].id)
    review = received(database, f"{unique}-review")
    review_outcome = outcome(status="needs_review", codes=(code,))
    register(database, review.id, review_outcome)
    stranger = received(database, f"{unique}-other")
    register(database, stranger.id, outcome(codes=(other,)))

    # When the archived documents of the person are listed two at a time
    first = list_documents(database, person_code=code, status="archived", after=None, limit=2)
    last = first[-1]
    second = list_documents(
        database, person_code=code, status="archived", after=(last.created_at, last.id), limit=2
    )

    # Then the pages hold the three documents, oldest first, without overlap
    assert [d.id for d in first + second] == archived
    assert len(first) == 2
    assert all(d.person_codes == [code] for d in first + second)
    assert all(d.capture_status == "archived" for d in first + second)

    # And the status and the person code each filter
    in_review = list_documents(
        database, person_code=code, status="needs_review", after=None, limit=10
    )
    assert [d.id for d in in_review] == [review_outcome.documents[0].id]
    all_of_person = list_documents(database, person_code=code, status=None, after=None, limit=10)
    assert len(all_of_person) == 4
    assert [
        d.person_codes
        for d in list_documents(database, person_code=other, status=None, after=None, limit=10)
    ] == [[other]]


def test_list_documents_of_a_person_without_documents_is_empty(
    database: Database, unique: str
) -> None:
    code = person_code_for(unique + "-nobody")
    assert list_documents(database, person_code=code, status=None, after=None, limit=5) == []


def test_finish_failed_marks_failed_but_never_undoes_a_final_state(
    database: Database, unique: str
) -> None:
    # Given a capture being processed, and one already archived
    failing = received(database, f"{unique}-failing")
    with claimed(database, failing.id) as mine:
        assert mine is not None
    done = received(database, f"{unique}-done")
    register(database, done.id, outcome())

    # When both are given up on
    finish_failed(database, failing.id, "BackendUnavailable")
    finish_failed(database, done.id, "BackendUnavailable")

    # Then the first is failed with its error, the archived one stays archived
    first = get_capture(database, failing.id)
    second = get_capture(database, done.id)
    assert first is not None
    assert second is not None
    assert (first.status, first.error) == ("failed", "BackendUnavailable")
    assert (second.status, second.error) == ("archived", None)
    assert event_kinds(database, failing.id)[-1] == "failed"
    assert "failed" not in event_kinds(database, done.id)
    assert failing.id not in unfinished(database)


# --- an unreachable database ---------------------------------------------------------------


def test_a_database_at_a_closed_port_is_unavailable() -> None:
    # Given a database configured at a port nothing listens on
    url = f"postgresql://intake:secret@127.0.0.1:{free_port()}/intake"
    database = Database(DatabaseConfig(url), timeout=1.0)

    # When it is pinged, then the error is the project's, not psycopg's
    try:
        with pytest.raises(BackendUnavailable) as failure:
            database.ping()
    finally:
        database.close()
    assert not isinstance(failure.value, psycopg.Error)
