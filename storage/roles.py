"""The application's login role: a member of ``intake_application`` (migration 0006).

Migrations run as the database's owner.  Every other process connects as the role named
in ``INTAKE_DATABASE_URL``; :func:`grant_application` makes that role (or gives it the
password the URL holds) and makes it a member, so that one setting names both.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

from config.errors import Misconfigured
from config.settings import DatabaseConfig
from storage.db import translated

APPLICATION = "intake_application"


def url_user(config: DatabaseConfig) -> tuple[str, str | None]:
    """The user and password a database URL names."""
    parts = urlsplit(config.url)
    if not parts.username:
        raise Misconfigured("the database URL names no user")
    password = unquote(parts.password) if parts.password is not None else None
    return unquote(parts.username), password


def grant_application(admin: DatabaseConfig, app: DatabaseConfig) -> bool:
    """Make ``app``'s user a login role of the application; False when it is ``admin``'s.

    The role is created when missing; its password becomes the URL's when the URL has
    one.  It never owns a table and is never a superuser: ``Misconfigured`` if it is.
    """
    user, password = url_user(app)
    if user == url_user(admin)[0]:
        return False
    with translated(), psycopg.connect(admin.url, autocommit=True, connect_timeout=5) as conn:
        found = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (user,)).fetchone()
        if found is not None and found[0]:
            raise Misconfigured(f"the application's database role {user} is a superuser")
        verb = "ALTER" if found is not None else "CREATE"
        statement = sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
            sql.SQL(verb), sql.Identifier(user)
        )
        if password is not None:
            statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
        conn.execute(statement)
        conn.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(APPLICATION), sql.Identifier(user))
        )
        owns = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
            (user,),
        ).fetchone()
        if owns and owns[0]:
            raise Misconfigured(f"the application's database role {user} owns tables")
    return True


def set_up(admin: DatabaseConfig, app: DatabaseConfig) -> int:
    """Apply the pending migrations as ``admin``, then admit ``app``'s role; how many applied."""
    from storage.db import migrate

    applied = migrate(admin)
    grant_application(admin, app)
    return applied
