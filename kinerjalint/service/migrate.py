"""Schema migrations (Alembic; scripts in ``migrations/versions``), run once per start under a lock.

Several service processes may start at once on one database: PostgreSQL serialises them
with an advisory lock, SQLite with a lock file beside the database. ``kinerjalint serve``
migrates before it starts its workers; every worker checks again (a no-op when current).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from kinerjalint.service.store import Store

_PG_LOCK = 0x6B6C696E  # "klin": the advisory lock id of kinerjalint migrations


def _config(connection: object) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "kinerjalint.service:migrations")
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _file_lock(store: Store) -> Iterator[None]:
    db = store.engine.url.database
    if not db or db == ":memory:":
        yield
        return
    path = Path(db).with_suffix(".migrate.lock")
    with open(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def upgrade(store: Store, revision: str = "head") -> None:
    from alembic import command

    if store.dialect == "sqlite":
        with _file_lock(store), store.engine.connect() as conn:
            command.upgrade(_config(conn), revision)  # type: ignore[arg-type]
            conn.commit()
        return
    with store.engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK})
        conn.commit()
        try:
            command.upgrade(_config(conn), revision)  # type: ignore[arg-type]
            conn.commit()
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK})
            conn.commit()


def current(store: Store) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
