"""Service settings: command-line arguments first, then ``KINERJALINT_*`` variables, then defaults.

Settings travel to uvicorn worker processes through the environment (``to_env``), so a
worker built by the factory sees exactly what ``kinerjalint serve`` was told.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_DATA = "kinerjalint-data"
SQLITE_NAME = "kinerjalint.sqlite3"


@dataclass(frozen=True)
class Limits:
    """What keeps one request from taking the service down."""

    max_upload: int = 10 * 1024 * 1024  # bytes of one upload (413 beyond)
    max_nodes: int = 20_000  # nodes of one tree (422 beyond)
    max_depth: int = 64  # nesting of JSON/YAML containers (422 beyond)
    max_yaml_values: int = 1_000_000  # values produced from one YAML file, aliases expanded
    max_unpacked: int = 200 * 1024 * 1024  # bytes of an XLSX archive once unpacked
    time_budget: float = 20.0  # seconds for one check (503 with Retry-After beyond)
    max_inflight: int = 32  # checks running or queued in one process (503 beyond)
    check_processes: int = 0  # checker processes of one server process (0: one per core)


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path(DEFAULT_DATA)
    database_url: str | None = None
    limits: Limits = Limits()

    @property
    def url(self) -> str:
        """The database URL: the setting, or an SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / SQLITE_NAME).resolve()}"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        lim = Limits()
        for f in fields(Limits):
            raw = e.get(f"KINERJALINT_{f.name.upper()}")
            if raw:
                lim = replace(lim, **{f.name: type(getattr(lim, f.name))(raw)})
        return cls(Path(e.get("KINERJALINT_DATA") or DEFAULT_DATA), e.get("KINERJALINT_DATABASE_URL") or None, lim)

    def to_env(self) -> dict[str, str]:
        out = {"KINERJALINT_DATA": str(self.data_dir.resolve())}
        if self.database_url:
            out["KINERJALINT_DATABASE_URL"] = self.database_url
        for f in fields(Limits):
            out[f"KINERJALINT_{f.name.upper()}"] = str(getattr(self.limits, f.name))
        return out
