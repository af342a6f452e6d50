"""The application's database role: reads and writes the case tables, rewrites no history."""

from __future__ import annotations

import secrets
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest

from config.errors import Misconfigured
from config.settings import DatabaseConfig
from storage.db import Database
from storage.roles import grant_application
from tests.fixtures.services import ServiceUrls

pytestmark = pytest.mark.services

HISTORY = ("audit_log", "events", "ledger")


@pytest.mark.parametrize("table", HISTORY)
@pytest.mark.parametrize("verb", ["UPDATE {} SET id = id", "DELETE FROM {}", "TRUNCATE {}"])
def test_the_application_may_not_rewrite_history(table: str, verb: str, database: Database) -> None:
    # When the application's own role tries to rewrite or empty a history table
    # Then PostgreSQL refuses it the right (the triggers are a second wall, for the owner)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), database.transaction() as conn:
        conn.execute(verb.format(table))


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE planted (n int)",
        "DROP TRIGGER audit_log_no_change ON audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        "ALTER TABLE captures ADD COLUMN planted text",
        "DELETE FROM _yoyo_migration",
        "SELECT * FROM _yoyo_migration",
        "CREATE ROLE planted SUPERUSER",
        "CREATE TEMPORARY TABLE audit_log (LIKE public.audit_log)",
        "INSERT INTO api_tokens (name, token_sha256) VALUES ('planted', repeat('0', 64))",
        "UPDATE api_tokens SET revoked_at = NULL",
        "DELETE FROM api_tokens",
    ],
)
def test_the_application_may_not_change_the_schema_or_its_rights(
    statement: str, database: Database
) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), database.transaction() as conn:
        conn.execute(statement)


def test_the_application_reads_and_writes_the_case_tables(database: Database) -> None:
    # The case tables themselves are the application's to read and change
    with database.transaction() as conn:
        role = conn.execute(
            "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        assert role.fetchone() == (False, False)
        for table in ("captures", "documents", "pages", "fields", "api_tokens", *HISTORY):
            conn.execute(f"SELECT count(*) FROM {table}")
        conn.execute("UPDATE captures SET attempts = attempts WHERE false")
        conn.execute("DELETE FROM fields WHERE false")


def test_a_superuser_is_refused_as_the_applications_role(service_urls: ServiceUrls) -> None:
    # Given a superuser named as the application's role
    parts = urlsplit(service_urls.admin_url)
    name = f"intake_super_{secrets.token_hex(3)}"
    with psycopg.connect(service_urls.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN SUPERUSER")
    try:
        host = parts.netloc.rpartition("@")[2]
        app = urlunsplit(parts._replace(netloc=f"{name}:{quote('pw-x')}@{host}"))
        # When it is admitted, the set-up refuses
        with pytest.raises(Misconfigured, match="superuser"):
            grant_application(DatabaseConfig(service_urls.admin_url), DatabaseConfig(app))
    finally:
        with psycopg.connect(service_urls.admin_url, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {name}")
