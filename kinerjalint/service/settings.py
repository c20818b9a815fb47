"""Service settings: command-line arguments first, then ``KINERJALINT_*`` variables, then defaults.

Settings travel to uvicorn worker processes through the environment (``to_env``), so a
worker built by the factory sees exactly what ``kinerjalint serve`` was told.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

SQLITE_NAME = "kinerjalint.sqlite3"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def default_data_dir() -> Path:
    """The per-user data folder (``$XDG_DATA_HOME/kinerjalint``, by default
    ``~/.local/share/kinerjalint`` on Linux): never inside a checkout by accident."""
    from platformdirs import user_data_path

    return user_data_path("kinerjalint", appauthor=False)


def parse_proxies(raw: str) -> tuple[Network, ...]:
    """``KINERJALINT_TRUSTED_PROXIES``: addresses or networks, comma or space separated."""
    out = []
    for item in raw.replace(",", " ").split():
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"KINERJALINT_TRUSTED_PROXIES: '{item}' bukan alamat IP atau jaringan "
                             "(contoh: 127.0.0.1, 10.0.0.0/8)") from None
    return tuple(out)


@dataclass(frozen=True)
class Limits:
    """What keeps one request from taking the service down."""

    max_upload: int = 10 * 1024 * 1024  # bytes of one upload (413 beyond)
    max_nodes: int = 20_000  # nodes of one tree (422 beyond)
    max_depth: int = 64  # nesting of JSON/YAML containers (422 beyond)
    max_yaml_values: int = 1_000_000  # values produced from one YAML file, aliases expanded
    max_unpacked: int = 200 * 1024 * 1024  # bytes of an XLSX archive once unpacked
    time_budget: float = 20.0  # seconds for one check (503 with Retry-After beyond)
    cascade_budget: float = 120.0  # seconds for one period's cascade check over every agency (503 beyond)
    max_inflight: int = 32  # checks running or queued in one process (503 beyond)
    check_processes: int = 0  # checker processes of one server process (0: one per core)


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    limits: Limits = Limits()
    # Reverse proxies whose X-Forwarded-Proto / X-Forwarded-Host are believed (TLS ended there).
    trusted_proxies: tuple[Network, ...] = ()

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
        data = e.get("KINERJALINT_DATA")
        return cls(Path(data) if data else default_data_dir(), e.get("KINERJALINT_DATABASE_URL") or None, lim,
                   parse_proxies(e.get("KINERJALINT_TRUSTED_PROXIES", "")))

    def to_env(self) -> dict[str, str]:
        out = {"KINERJALINT_DATA": str(self.data_dir.resolve()),
               "KINERJALINT_TRUSTED_PROXIES": ",".join(str(n) for n in self.trusted_proxies)}
        if self.database_url:
            out["KINERJALINT_DATABASE_URL"] = self.database_url
        for f in fields(Limits):
            out[f"KINERJALINT_{f.name.upper()}"] = str(getattr(self.limits, f.name))
        return out
