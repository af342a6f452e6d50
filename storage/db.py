"""The case database: a psycopg 3 pool, migrations, and driver errors translated once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from config.errors import BackendUnavailable
from config.settings import DatabaseConfig

MIGRATIONS = Path(__file__).with_name("migrations")


@contextmanager
def translated() -> Iterator[None]:
    """Turn connection failures into ``BackendUnavailable`` (retried by callers)."""
    try:
        yield
    except (psycopg.OperationalError, psycopg.errors.AdminShutdown, PoolTimeout) as exc:
        raise BackendUnavailable(f"database unavailable: {type(exc).__name__}") from exc
    except psycopg.InterfaceError as exc:
        raise BackendUnavailable(f"database connection lost: {type(exc).__name__}") from exc


class Database:
    """A small connection pool; every method of the query modules takes one of these."""

    def __init__(self, config: DatabaseConfig, *, max_size: int = 4, timeout: float = 10.0):
        self.config = config
        self.pool = ConnectionPool(
            config.url,
            min_size=1,
            max_size=max_size,
            timeout=timeout,
            open=False,
            kwargs={"connect_timeout": 5},
            check=ConnectionPool.check_connection,
        )
        with translated():
            self.pool.open(wait=False)

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """A connection in a transaction: committed on success, rolled back on error."""
        with translated(), self.pool.connection() as conn, conn.transaction():
            yield conn

    @contextmanager
    def session(self) -> Iterator[psycopg.Connection]:
        """A dedicated autocommit connection, for session-level locks."""
        with (
            translated(),
            psycopg.Connection.connect(self.config.url, autocommit=True, connect_timeout=5) as conn,
        ):
            yield conn

    def ping(self) -> None:
        """Raise ``BackendUnavailable`` unless the database answers."""
        with self.transaction() as conn:
            conn.execute("SELECT 1")

    def close(self) -> None:
        """Close the pool."""
        self.pool.close()


def migrate(config: DatabaseConfig) -> int:
    """Apply every pending migration under a lock; returns how many were applied."""
    from yoyo import get_backend, read_migrations

    parts = urlsplit(config.url)
    url = urlunsplit(parts._replace(scheme="postgresql+psycopg"))
    with translated():
        backend = get_backend(url)
        migrations = read_migrations(str(MIGRATIONS))
        with backend.lock():
            pending = backend.to_apply(migrations)
            backend.apply_migrations(pending)
        backend.connection.close()
    return len(pending)
