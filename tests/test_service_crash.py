"""Crash safety: SIGKILL a real server while submissions stream in; nothing acknowledged is lost.

A real ``kinerjalint serve`` process on the embedded SQLite store receives submissions from
two client threads, each body different. The process is killed with SIGKILL mid-stream and
started again on the same data folder. Every submission answered 201 must come back with
its original bytes unchanged, and every row in the store must be complete (its bytes
match its hash and size, its findings parse, its audit entry exists): a submission is
either wholly there or not there at all.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed: pip install -e '.[service]'")

import httpx  # noqa: E402

from tests.service_support import SAMPLE_YAML, AGENCY_A, bearer, create_token_cli, start_server  # noqa: E402

CLIENTS = 2
ACKED_BEFORE_KILL = 12


def test_sigkill_loses_no_acknowledged_submission(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    token = create_token_cli("opd", AGENCY_A, data_dir=data_dir)
    server = start_server(tmp_path, data_dir=data_dir)
    base = SAMPLE_YAML.read_bytes()
    acked: dict[int, bytes] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client(n: int) -> None:
        with httpx.Client(base_url=server.url, headers=bearer(token), timeout=30) as c:
            i = 0
            while not stop.is_set():
                body = base + f"\n# kiriman {n}-{i} {time.time_ns()}\n".encode()
                i += 1
                try:
                    r = c.post("/v1/submissions?format=yaml", content=body)
                except httpx.HTTPError:
                    return  # the server is gone: whatever was in flight was not acknowledged
                if r.status_code == 201:
                    with lock:
                        acked[r.json()["id"]] = body

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acked) < ACKED_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()  # SIGKILL, with requests in flight
    stop.set()
    for t in threads:
        t.join(30)
    assert len(acked) >= ACKED_BEFORE_KILL, server.log.read_text(errors="replace")

    again = start_server(tmp_path, data_dir=data_dir)
    try:
        with httpx.Client(base_url=again.url, headers=bearer(token), timeout=30) as c:
            for sid, body in sorted(acked.items()):
                r = c.get(f"/v1/submissions/{sid}/original")
                assert r.status_code == 200, (sid, r.text)
                assert r.content == body
                assert r.headers["x-content-sha256"] == hashlib.sha256(body).hexdigest()
    finally:
        again.stop()

    with sqlite3.connect(data_dir / "kinerjalint.sqlite3") as db:
        rows = db.execute("SELECT id, original, sha256, size, findings, outline, predikat, created_at "
                          "FROM submissions").fetchall()
        submitted = {r[0] for r in db.execute("SELECT submission_id FROM audit_log WHERE action = 'submit'")}
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {r[0] for r in rows} >= set(acked)
    for sid, original, sha, size, findings, outline, predikat, created in rows:
        assert original is not None and hashlib.sha256(original).hexdigest() == sha and len(original) == size
        assert json.loads(findings)["files"] and isinstance(json.loads(outline), list)
        assert predikat and created
        assert sid in submitted
