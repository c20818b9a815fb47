"""The submission store on SQLite and on PostgreSQL, and two service processes on one PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the service extra is not installed: pip install -e '.[service]'")

import httpx  # noqa: E402

from tests.service_support import (  # noqa: E402
    AGENCY_A,
    AGENCY_B,
    SAMPLE_FIXED,
    SAMPLE_YAML,
    PgCluster,
    bearer,
    create_token_cli,
    make_service,
    start_server,
)


@pytest.fixture(scope="module")
def pg() -> Iterator[PgCluster]:
    cluster = PgCluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    cluster: PgCluster = request.getfixturevalue("pg")
    return cluster.fresh_database()


def new_store(url: str):  # type: ignore[no-untyped-def]
    from kinerjalint.service import migrate
    from kinerjalint.service.store import Store

    store = Store(url)
    migrate.upgrade(store)
    return store


def row(agency: str, data: bytes, score: float | None = 70.0, predikat: str = "BB", period: str = "2025"):  # type: ignore[no-untyped-def]
    from kinerjalint.service.store import Submission, utcnow

    return Submission(agency=agency, period=period, filename="p.yaml", content_type="application/yaml", fmt="yaml",
                      size=len(data), sha256=hashlib.sha256(data).hexdigest(), original=data,
                      findings='{"files": []}', outline="[]", gradable=score is not None, score=score,
                      predikat=predikat, errors=0, warnings=1, infos=2, tool_version="0.1.0",
                      rulebook_version="abc", token_id="t1", created_at=utcnow())


def test_migrations_make_the_models_schema(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kinerjalint.service import migrate
    from kinerjalint.service.store import Base

    store = new_store(db_url)
    migrate.upgrade(store)  # a second run is a no-op
    assert migrate.current(store) == "0003"
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    store.dispose()


def test_concurrent_starts_migrate_once(db_url: str) -> None:
    from kinerjalint.service import migrate
    from kinerjalint.service.store import Store

    stores = [Store(db_url) for _ in range(3)]
    errors: list[BaseException] = []

    def run(s: Store) -> None:
        try:
            migrate.upgrade(s)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert migrate.current(stores[0]) == "0003"
    for s in stores:
        s.dispose()


def test_submissions_round_trip(db_url: str) -> None:
    from kinerjalint.service.store import Filters, Who

    store = new_store(db_url)
    who = Who("t1", "opd", AGENCY_A)
    data = bytes(range(256)) * 40 + b"\x00\xff tail"
    a1 = store.add_submission(row(AGENCY_A, data, 60.0, "B", "2024"), who)
    b1 = store.add_submission(row(AGENCY_B, b"b", 80.5, "A"), who)
    a2 = store.add_submission(row(AGENCY_A, b"a2", 75.0, "BB"), who)
    b2 = store.add_submission(row(AGENCY_B, b"b2", None, "tidak dapat dinilai"), who)
    got = store.get_submission(a1, original=True)
    assert got is not None and got.original == data and got.sha256 == hashlib.sha256(data).hexdigest()
    assert got.created_at is not None
    assert [s.id for s in store.list_submissions(Filters(agency=AGENCY_A))] == [a2, a1]
    assert [s.id for s in store.list_submissions(Filters(period="2024"))] == [a1]
    assert [s.id for s in store.list_submissions(Filters(predikat="A"))] == [b1]
    assert store.previous(store.get_submission(a2)) .id == a1  # type: ignore[union-attr]
    assert store.previous(store.get_submission(a1)) is None  # type: ignore[arg-type]
    latest = {s.agency: (s.id, p.id if p else None) for s, p in store.latest_per_agency()}
    assert latest == {AGENCY_A: (a2, a1), AGENCY_B: (b2, b1)}
    audit = store.audit_entries()
    assert [(e.action, e.submission_id) for e in reversed(audit)] == [("submit", i) for i in (a1, b1, a2, b2)]
    store.dispose()


def test_a_failed_write_leaves_nothing(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from kinerjalint.service import store as store_mod
    from kinerjalint.service.store import Filters, Who

    store = new_store(db_url)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(store_mod, "_audit", broken)
    with pytest.raises(RuntimeError):
        store.add_submission(row(AGENCY_A, b"x"), Who("t1", "opd", AGENCY_A))
    monkeypatch.undo()
    assert store.list_submissions(Filters()) == []
    store.dispose()


def test_tokens_hashed(db_url: str) -> None:
    from sqlalchemy import text

    store = new_store(db_url)
    tok, secret = store.create_token("opd", AGENCY_A, "label")
    found = store.find_token(secret)
    assert found is not None and found.id == tok.id and found.agency == AGENCY_A
    assert store.find_token(secret + "x") is None
    with store.engine.connect() as conn:
        rows = [tuple(str(v) for v in r) for r in conn.execute(text("SELECT * FROM tokens"))]
    assert rows and not any(secret in v for r in rows for v in r)
    store.revoke_token(tok.id)
    assert store.find_token(secret) is None
    store.dispose()


def test_the_api_on_both_stores(db_url: str, tmp_path: Path) -> None:
    svc = make_service(tmp_path / "data", database_url=None if db_url.startswith("sqlite") else db_url)
    a = svc.submit(svc.opd_a)
    assert a.status_code == 201, a.text
    b = svc.submit(svc.opd_a, SAMPLE_FIXED)
    c = svc.client
    assert c.get(f"/v1/submissions/{a.json()['id']}/original", headers=bearer(svc.opd_a)).content == \
        SAMPLE_YAML.read_bytes()
    assert c.get(f"/v1/submissions/{a.json()['id']}", headers=bearer(svc.opd_b)).status_code == 404
    d = c.get(f"/v1/submissions/{b.json()['id']}/diff/{a.json()['id']}", headers=bearer(svc.auditor)).json()
    assert d["counts"]["resolved"] > 0
    assert c.get("/healthz").json()["database"] == ("sqlite" if db_url.startswith("sqlite") else "postgresql")
    svc.store.dispose()


def test_two_processes_share_one_postgresql(pg: PgCluster, tmp_path: Path) -> None:
    url = pg.fresh_database()
    token = create_token_cli("opd", AGENCY_A, database_url=url)
    auditor = create_token_cli("auditor", database_url=url)
    one = start_server(tmp_path, database_url=url)
    two = start_server(tmp_path, database_url=url)
    try:
        data = SAMPLE_YAML.read_bytes()
        sent = httpx.post(f"{one.url}/v1/submissions", headers=bearer(token), timeout=30,
                          files={"file": ("balangan-kesbangpol.yaml", data)})
        assert sent.status_code == 201, sent.text
        sid = sent.json()["id"]
        got = httpx.get(f"{two.url}/v1/submissions/{sid}", headers=bearer(token), timeout=30)
        assert got.status_code == 200 and got.json()["sha256"] == sent.json()["sha256"]
        assert httpx.get(f"{two.url}/v1/submissions/{sid}/original", headers=bearer(token), timeout=30).content == data
        listed = httpx.get(f"{two.url}/v1/submissions", headers=bearer(auditor), timeout=30).json()["submissions"]
        assert [s["id"] for s in listed] == [sid]
        # and back: the second process writes, the first reads
        sid2 = httpx.post(f"{two.url}/v1/submissions?format=yaml", content=data, headers=bearer(token),
                          timeout=30).json()["id"]
        assert httpx.get(f"{one.url}/v1/submissions/{sid2}", headers=bearer(token), timeout=30).status_code == 200
    finally:
        one.stop()
        two.stop()


def test_a_plain_postgresql_url_uses_psycopg() -> None:
    from kinerjalint.service.store import make_engine

    engine = make_engine("postgresql://kinerja:rahasia@127.0.0.1:5432/kinerjalint")
    assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
    engine.dispose()


def test_web_sessions_round_trip(db_url: str) -> None:
    import datetime as dt

    from sqlalchemy import update

    from kinerjalint.service.store import WebSession, utcnow

    store = new_store(db_url)
    tok, _secret = store.create_token("opd", AGENCY_A)
    sid, csrf = store.create_session(tok.id, dt.timedelta(hours=12))
    found = store.find_session(sid)
    assert found is not None and found[0].id == tok.id and found[1] == csrf
    assert store.find_session(sid + "x") is None
    other, _ = store.create_session(tok.id, dt.timedelta(hours=12))
    assert store.end_session(sid) and not store.end_session(sid)
    assert store.find_session(sid) is None and store.find_session(other) is not None
    with store.writing() as s:  # past its expiry: not found, and gone with the next sign-in
        s.execute(update(WebSession).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    assert store.find_session(other) is None
    live, _ = store.create_session(tok.id, dt.timedelta(hours=12))
    with store.reading() as s:
        assert s.query(WebSession).count() == 1
    store.revoke_token(tok.id)
    assert store.find_session(live) is None
    store.dispose()
