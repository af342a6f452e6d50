"""API tokens (stored as SHA-256 only) and the audit log of document reads."""

from __future__ import annotations

import hashlib

import psycopg

from config.errors import AlreadyRegistered
from storage.db import Database


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


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


def audit(db: Database, *, who: str, document_id: str | None, route: str, action: str) -> None:
    """Record one read: who, when, which document, through what."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO audit_log (token_name, document_id, route, action)"
            " VALUES (%s, %s, %s, %s)",
            (who, document_id, route, action),
        )
