"""API tokens (stored as SHA-256 only) and the audit log of every lookup through the API."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import psycopg
from psycopg.rows import class_row

from config.errors import AlreadyRegistered
from storage.db import Database

PersonCodeForm = Literal["hmac-sha256", "full"]


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def person_code_digest(key: bytes, code: str) -> str:
    """The keyed hash of a person code, as the audit log keeps it in the hashed form.

    A plain SHA-256 would not do: there are few enough valid codes to hash them all.
    """
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def create_token(db: Database, name: str, token: str) -> None:
    """Store a new token under ``name``; ``AlreadyRegistered`` if the name is taken."""
    try:
        with db.transaction() as conn:
            conn.execute(
                "INSERT INTO api_tokens (name, token_sha256) VALUES (%s, %s)",
                (name, token_digest(token)),
            )
    except psycopg.errors.UniqueViolation as exc:
        raise AlreadyRegistered(name) from exc


def token_owner(db: Database, token: str) -> str | None:
    """The name of a live token, or ``None``."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT name FROM api_tokens WHERE token_sha256 = %s AND revoked_at IS NULL",
            (token_digest(token),),
        ).fetchone()
    return str(row[0]) if row else None


@dataclass(frozen=True)
class Lookup:
    """One lookup through the API, found or not: who asked, from where, what, and the answer.

    ``document_id`` is the document a read, download or correction asked for (whether it
    exists or not); ``returned_ids`` are the documents a list returned (``None`` for
    anything but a list).  ``person_code`` is already in its recorded ``person_code_form``.
    """

    token_name: str
    route: str
    action: str
    http_status: int
    client_addr: str | None
    document_id: str | None = None
    returned_ids: tuple[str, ...] | None = None
    person_code: str | None = None
    person_code_form: PersonCodeForm | None = None
    status_filter: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log, as an auditor reads it."""

    id: int
    at: datetime
    token_name: str
    route: str
    action: str
    http_status: int | None
    client_addr: str | None
    document_id: str | None
    returned_ids: list[str] | None
    person_code: str | None
    person_code_form: str | None
    status_filter: str | None


def audit(db: Database, lookup: Lookup) -> None:
    """Record one lookup; the row can never be changed or removed afterwards."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO audit_log (token_name, route, action, http_status, client_addr,"
            " document_id, returned_ids, person_code, person_code_form, status_filter)"
            " VALUES (%s, %s, %s, %s, %s, %s::uuid, %s::uuid[], %s, %s, %s)",
            (
                lookup.token_name,
                lookup.route,
                lookup.action,
                lookup.http_status,
                lookup.client_addr,
                lookup.document_id,
                None if lookup.returned_ids is None else list(lookup.returned_ids),
                lookup.person_code,
                lookup.person_code_form,
                lookup.status_filter,
            ),
        )


_ENTRIES = """
SELECT id, at, token_name, route, action, http_status, client_addr, document_id::text,
       returned_ids::text[] AS returned_ids, person_code, person_code_form, status_filter
  FROM audit_log
"""


def audit_trail(db: Database, *, token_name: str) -> list[AuditEntry]:
    """Every lookup by the token named ``token_name``, oldest first."""
    with db.transaction() as conn, conn.cursor(row_factory=class_row(AuditEntry)) as cur:
        cur.execute(_ENTRIES + " WHERE token_name = %s ORDER BY id", (token_name,))
        return cur.fetchall()


def lookups_of_document(db: Database, document_id: str) -> list[AuditEntry]:
    """Every lookup that asked for or returned the document, oldest first."""
    with db.transaction() as conn, conn.cursor(row_factory=class_row(AuditEntry)) as cur:
        cur.execute(
            _ENTRIES + " WHERE document_id = %s::uuid OR returned_ids @> ARRAY[%s::uuid]"
            " ORDER BY id",
            (document_id, document_id),
        )
        return cur.fetchall()
