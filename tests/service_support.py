"""Helpers for the service tests: apps on temporary stores, a throw-away PostgreSQL, real servers.

All traffic stays on loopback. PostgreSQL: ``KINERJALINT_TEST_PG`` names a database to use
(each test gets a fresh database created beside it); without it a private cluster is made
with Debian's ``initdb`` in a temporary folder and started on a free 127.0.0.1 port
(as the ``postgres`` user when the tests run as root). Tests that need it are skipped,
with the reason, only when no ``initdb`` is installed (``.ci/postgres.sh`` installs it).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_YAML = SAMPLES / "balangan-kesbangpol.yaml"
SAMPLE_FIXED = SAMPLES / "balangan-kesbangpol-perbaikan.yaml"
SAMPLE_XLSX = SAMPLES / "balangan-kesbangpol.xlsx"
AGENCY_A = "Kesbangpol Balangan"
AGENCY_B = "Dinas Kesehatan Balangan"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ---- apps on a temporary store ---------------------------------------------------------------

@dataclass
class Service:
    """A TestClient on a fresh app, with one token of each kind."""

    client: Any
    app: Any
    admin: str
    auditor: str
    opd_a: str
    opd_b: str

    @property
    def store(self) -> Any:
        return self.app.state.store

    def submit(self, token: str, path: Path = SAMPLE_YAML, name: str | None = None, **params: str) -> Any:
        return self.client.post("/v1/submissions", params=params, headers=bearer(token),
                                files={"file": (name or path.name, path.read_bytes())})


def make_service(data_dir: Path, database_url: str | None = None, **limits: Any) -> Service:
    import warnings

    with warnings.catch_warnings():  # starlette's TestClient on httpx: a deprecation notice only
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from kinerjalint.service.app import create_app
    from kinerjalint.service.settings import Limits, Settings

    app = create_app(Settings(data_dir=data_dir, database_url=database_url, limits=Limits(**limits)))
    client = TestClient(app, raise_server_exceptions=False)
    store = app.state.store
    tokens = [store.create_token(r, a)[1] for r, a in
              (("admin", None), ("auditor", None), ("opd", AGENCY_A), ("opd", AGENCY_B))]
    return Service(client, app, *tokens)


# ---- PostgreSQL ------------------------------------------------------------------------------

def find_initdb() -> str | None:
    found = shutil.which("initdb")
    if found:
        return found
    cands = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return cands[-1] if cands else None


@dataclass
class PgCluster:
    """A private PostgreSQL cluster in a temporary folder, or the server of KINERJALINT_TEST_PG."""

    base_url: str
    folder: Path | None = None
    bindir: Path | None = None
    user: str | None = None
    _counter: Iterator[int] = field(default_factory=itertools.count)

    @classmethod
    def start(cls) -> PgCluster:
        given = os.environ.get("KINERJALINT_TEST_PG")
        if given:
            return cls(given)
        initdb = find_initdb()
        if initdb is None:
            pytest.skip("PostgreSQL is not installed: no initdb on PATH or in /usr/lib/postgresql/*/bin "
                        "(bash .ci/postgres.sh installs it)")
        bindir = Path(os.path.realpath(initdb)).parent
        folder = Path(tempfile.mkdtemp(prefix="kinerjalint-pg-"))
        user = "postgres" if os.geteuid() == 0 else None
        if user is not None:
            try:
                pw = pwd.getpwnam(user)
            except KeyError:
                pytest.skip("tests run as root and there is no 'postgres' user to run PostgreSQL as")
            os.chown(folder, pw.pw_uid, pw.pw_gid)
        port = free_port()
        data = folder / "data"
        cls._run(user, [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--no-locale", "--no-sync"])
        # A throw-away cluster: fsync off makes the tests fast; durability is SQLite's crash test.
        opts = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 "
                "-c shared_buffers=32MB")
        cls._run(user, [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", opts,
                        "-w", "-t", "60", "start"])
        return cls(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", folder, bindir, user)

    @staticmethod
    def _run(user: str | None, cmd: list[str]) -> None:
        full = (["runuser", "-u", user, "--"] + cmd) if user else cmd
        proc = subprocess.run(full, capture_output=True, text=True, timeout=120, cwd="/")
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed: {proc.stdout}\n{proc.stderr}")

    def stop(self) -> None:
        if self.folder is None or self.bindir is None:
            return
        try:
            self._run(self.user, [str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                                  "-w", "stop"])
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def fresh_database(self) -> str:
        """A new empty database on the cluster; its URL."""
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.base_url)
        name = f"kl_test_{os.getpid()}_{next(self._counter)}_{int(time.time() * 1000) % 100000}"
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return url.set(database=name).render_as_string(hide_password=False)


# ---- real server processes ----------------------------------------------------------------------

@dataclass
class ServerProcess:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)


def start_server(log_dir: Path, data_dir: Path | None = None, database_url: str | None = None,
                 workers: int = 1, timeout: float = 60.0) -> ServerProcess:
    """``kinerjalint serve`` as a subprocess on a free loopback port; returns when it answers."""
    port = free_port()
    cmd = [sys.executable, "-m", "kinerjalint", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]
    if data_dir is not None:
        cmd += ["--data", str(data_dir)]
    if database_url is not None:
        cmd += ["--database-url", database_url]
    log = log_dir / f"server-{port}.log"
    env = {**os.environ, "KINERJALINT_ACCESS_LOG": "0"}
    env.pop("KINERJALINT_DATABASE_URL", None)
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=str(log_dir))
    server = ServerProcess(proc, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not answer in {timeout} s:\n{log.read_text(errors='replace')}")


def create_token_cli(role: str, agency: str | None = None, data_dir: Path | None = None,
                     database_url: str | None = None) -> str:
    cmd = [sys.executable, "-m", "kinerjalint", "token", "create", "--role", role]
    if agency:
        cmd += ["--agency", agency]
    if data_dir is not None:
        cmd += ["--data", str(data_dir)]
    if database_url is not None:
        cmd += ["--database-url", database_url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True)
    return out.stdout.strip()


# ---- the web pages through the TestClient ---------------------------------------------------

HERE = "http://testserver"  # the TestClient's origin: what a browser sends as Origin with a form post


def form_csrf(html: str) -> str:
    """The CSRF token of the first form on a page."""
    import re

    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def web_login(svc: Service, token: str) -> str:
    """Sign in as a browser would (the form's CSRF token, this origin); the session's CSRF token."""
    form = svc.client.get("/ui/login")
    resp = svc.client.post("/ui/login", data={"token": token, "csrf": form_csrf(form.text)},
                           headers={"Origin": HERE}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    cookie = resp.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and token not in cookie
    svc.client.headers["Origin"] = HERE  # every later form post comes from this server's pages
    return form_csrf(svc.client.get("/ui/").text)
