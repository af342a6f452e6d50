"""Tokens and the audit log on a real PostgreSQL: lookups kept as asked, and never changed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import replace
from typing import Any

import psycopg
import pytest

from storage.access import (
    Lookup,
    audit,
    audit_trail,
    lookups_of_document,
    person_code_digest,
)
from storage.db import Database
from tests.fixtures.records import person_code_for

pytestmark = pytest.mark.services


def a_lookup(who: str, **fields: Any) -> Lookup:
    """A read of a document by ``who`` from a documentation address, found, unless told."""
    read = Lookup(
        token_name=who,
        route="/api/v1/documents/{id}",
        action="read",
        http_status=200,
        client_addr="192.0.2.1",
        document_id=str(uuid.uuid4()),
    )
    return replace(read, **fields)


def test_a_lookup_is_kept_as_it_was_recorded(database: Database, unique: str) -> None:
    # Given a list that returned two documents for a hashed person code and a status
    who = f"case-system-{unique}"
    returned = (str(uuid.uuid4()), str(uuid.uuid4()))
    code = person_code_digest(secrets.token_bytes(32), person_code_for(unique))

    # When it is audited
    audit(
        database,
        Lookup(
            token_name=who,
            route="/api/v1/documents",
            action="list",
            http_status=200,
            client_addr="2001:db8::1",
            returned_ids=returned,
            person_code=code,
            person_code_form="hmac-sha256",
            status_filter="archived",
        ),
    )

    # Then the audit trail gives it back whole, with the time it was written
    (entry,) = audit_trail(database, token_name=who)
    assert entry.at is not None
    assert (entry.route, entry.action, entry.http_status) == ("/api/v1/documents", "list", 200)
    assert entry.client_addr == "2001:db8::1"
    assert entry.returned_ids == list(returned)
    assert (entry.person_code, entry.person_code_form) == (code, "hmac-sha256")
    assert entry.status_filter == "archived"
    assert entry.document_id is None
    # and each document it returned finds it
    assert [e.id for e in lookups_of_document(database, returned[1])] == [entry.id]


def test_a_read_of_a_document_that_does_not_exist_can_be_recorded(
    database: Database, unique: str
) -> None:
    who = f"case-system-{unique}"
    missing = str(uuid.uuid4())
    audit(database, a_lookup(who, document_id=missing, http_status=404))
    (entry,) = lookups_of_document(database, missing)
    assert (entry.token_name, entry.http_status, entry.returned_ids) == (who, 404, None)


def test_a_person_code_needs_its_form(database: Database, unique: str) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        audit(database, a_lookup(f"case-system-{unique}", person_code="x"))


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE audit_log SET token_name = 'someone-else' WHERE id = %s", id="update"),
        pytest.param("DELETE FROM audit_log WHERE id = %s", id="delete"),
        pytest.param("TRUNCATE audit_log", id="truncate"),
    ],
)
def test_the_audit_log_is_append_only(
    statement: str, database: Database, admin_database: Database, unique: str
) -> None:
    # Given an audited lookup
    who = f"case-system-{unique}"
    audit(database, a_lookup(who))
    (entry,) = audit_trail(database, token_name=who)

    # When the application's role changes it, removes it or empties the table, it may not;
    # when even the owner tries, the trigger refuses
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege),
        database.transaction() as conn,
    ):
        conn.execute(statement, (entry.id,) if "%s" in statement else None)
    with (
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
        admin_database.transaction() as conn,
    ):
        conn.execute(statement, (entry.id,) if "%s" in statement else None)

    # and the row is still there as it was
    assert audit_trail(database, token_name=who) == [entry]


def test_the_person_code_digest_is_keyed() -> None:
    # Given a person code and two keys
    code = person_code_for("digest")
    key, other = secrets.token_bytes(32), secrets.token_bytes(32)

    # Then its digest is the HMAC-SHA256 under the key: the same for the same key, another
    # for another key, and not the plain SHA-256 that anyone could compute for every code
    digest = person_code_digest(key, code)
    assert digest == hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
    assert digest == person_code_digest(key, code)
    assert digest != person_code_digest(other, code)
    assert digest != hashlib.sha256(code.encode()).hexdigest()
    assert code not in digest
