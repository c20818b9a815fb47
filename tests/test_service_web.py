"""The web page's sessions and edges: server-side sessions, CSRF tokens, Origin/Referer, the
Secure flag behind a trusted proxy, private data files, the waiver form, the 415 page in
plain words, ``/`` and an offline ``/docs``."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import re
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed: pip install -e '.[service]'")

from tests.service_support import (  # noqa: E402
    HERE,
    ROOT,
    SAMPLE_YAML,
    Service,
    bearer,
    form_csrf,
    make_service,
    web_login,
)

COOKIE = "kinerjalint_sesi"


@pytest.fixture()
def svc(tmp_path: Path) -> Service:
    return make_service(tmp_path / "data")


def _client(svc: Service, address: str) -> object:
    """A second TestClient on the same app, connecting from ``address`` (a proxy, say)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(svc.app, raise_server_exceptions=False, client=(address, 40000))


def _upload(svc: Service, csrf: str | None, **headers: str) -> object:
    data = {"csrf": csrf} if csrf is not None else {}
    return svc.client.post("/ui/periksa", data=data, headers=headers, follow_redirects=False,
                           files={"file": ("pohon.yaml", SAMPLE_YAML.read_bytes())})


# ---- server-side sessions (16.11) ---------------------------------------------------------------

def test_the_cookie_holds_a_session_id_not_the_token(svc: Service, tmp_path: Path) -> None:
    web_login(svc, svc.opd_a)
    sid = svc.client.cookies.get(COOKIE)
    assert sid and sid != svc.opd_a and not sid.startswith("klt_") and len(sid) >= 40
    assert "kinerjalint_token" not in svc.client.cookies
    svc.store.dispose()
    with sqlite3.connect(tmp_path / "data" / "kinerjalint.sqlite3") as conn:
        rows = conn.execute("SELECT id_hash, expires_at, created_at FROM web_sessions").fetchall()
    assert [r[0] for r in rows] == [hashlib.sha256(sid.encode()).hexdigest()]  # only its hash is kept
    expires, created = (dt.datetime.fromisoformat(v) for v in rows[0][1:])
    assert dt.timedelta(hours=1) < expires - created <= dt.timedelta(hours=24)


def test_logout_ends_the_session_in_the_store(svc: Service) -> None:
    csrf = web_login(svc, svc.opd_a)
    sid = svc.client.cookies.get(COOKIE)
    assert svc.store.find_session(sid) is not None
    out = svc.client.post("/ui/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/ui/login"
    assert svc.store.find_session(sid) is None
    svc.client.cookies.set(COOKIE, sid, path="/ui")  # a copy of the old cookie opens nothing
    again = svc.client.get("/ui/", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/ui/login"


def test_a_session_ends_with_its_token_and_at_its_expiry(svc: Service) -> None:
    from sqlalchemy import update

    from kinerjalint.service.store import WebSession, utcnow

    web_login(svc, svc.opd_a)
    assert svc.client.get("/ui/", follow_redirects=False).status_code == 200
    with svc.store.writing() as s:
        s.execute(update(WebSession).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    assert svc.client.get("/ui/", follow_redirects=False).status_code == 303
    tok, secret = svc.store.create_token("auditor", None)
    web_login(svc, secret)
    assert svc.client.get("/ui/dasbor", follow_redirects=False).status_code == 200
    svc.store.revoke_token(tok.id)
    assert svc.client.get("/ui/dasbor", follow_redirects=False).status_code == 303


def test_every_form_carries_a_csrf_token(svc: Service) -> None:
    sid = svc.submit(svc.opd_a).json()["id"]
    login_page = svc.client.get("/ui/login").text
    web_login(svc, svc.auditor)
    pages = [login_page] + [svc.client.get(u).text for u in ("/ui/", "/ui/pengiriman", f"/ui/pengiriman/{sid}",
                                                              "/ui/dasbor")]
    forms = [f for p in pages for f in re.findall(r"<form\b.*?</form>", p, re.S)]
    assert len(forms) >= 7  # sign-in, upload, waiver, and sign-out on every signed-in page
    for f in forms:
        assert 'method="post"' in f
        assert re.search(r'<input type="hidden" name="csrf" value="[A-Za-z0-9_-]{40,}">', f), f


def test_state_changing_posts_need_the_session_csrf_token(svc: Service, tmp_path: Path) -> None:
    csrf = web_login(svc, svc.opd_a)
    for sent in (None, "", "salah", csrf[:-1] + ("A" if csrf[-1] != "A" else "B")):
        refused = _upload(svc, sent)
        assert refused.status_code == 403 and "kedaluwarsa" in refused.text, sent
    assert svc.client.get("/v1/submissions", headers=bearer(svc.opd_a)).json()["submissions"] == []
    stay = svc.client.post("/ui/logout", data={}, follow_redirects=False)
    assert stay.status_code == 403 and svc.client.get("/ui/", follow_redirects=False).status_code == 200
    assert _upload(svc, csrf).status_code == 200
    # another session's token does not do either
    other = make_service(tmp_path / "b")
    other_csrf = web_login(other, other.opd_a)
    assert _upload(svc, other_csrf).status_code == 403


def test_sign_in_needs_the_forms_csrf_token(svc: Service) -> None:
    svc.client.get("/ui/login")
    resp = svc.client.post("/ui/login", data={"token": svc.opd_a, "csrf": "salah"}, headers={"Origin": HERE},
                           follow_redirects=False)
    assert resp.status_code == 403 and COOKIE not in resp.headers.get("set-cookie", "")


# ---- Origin / Referer, Secure, trusted proxies (18.5) ----------------------------------------------

@pytest.mark.parametrize("headers", [
    {},  # neither Origin nor Referer
    {"Origin": "http://jahat.example"},
    {"Origin": "https://testserver"},  # another scheme
    {"Origin": "http://testserver:8080"},  # another port
    {"Origin": "null"},
    {"Referer": "http://jahat.example/ui/"},
    {"Referer": "https://testserver/ui/"},
])
def test_posts_from_another_origin_or_from_nowhere_are_refused(svc: Service, headers: dict[str, str]) -> None:
    csrf = web_login(svc, svc.opd_a)
    del svc.client.headers["Origin"]
    resp = _upload(svc, csrf, **headers)
    assert resp.status_code == 403 and "halaman kinerjalint sendiri" in resp.text
    form = svc.client.get("/ui/login")
    login = svc.client.post("/ui/login", data={"token": svc.opd_a, "csrf": form_csrf(form.text)}, headers=headers,
                            follow_redirects=False)
    assert login.status_code == 403 and COOKIE not in login.headers.get("set-cookie", "")


def test_a_same_origin_referer_is_enough(svc: Service) -> None:
    csrf = web_login(svc, svc.opd_a)
    del svc.client.headers["Origin"]
    assert _upload(svc, csrf, Referer=f"{HERE}/ui/").status_code == 200


def test_secure_cookie_behind_a_trusted_tls_proxy_only(svc: Service) -> None:
    def sign_in(client: object, scheme_headers: dict[str, str], origin: str) -> object:
        form = client.get("/ui/login", headers=scheme_headers)  # type: ignore[attr-defined]
        csrf = form_csrf(form.text)
        # sent by hand: the test talks plain HTTP to the app, where a Secure cookie is not sent back
        headers = {**scheme_headers, "Origin": origin, "Cookie": f"kinerjalint_masuk={csrf}"}
        return client.post("/ui/login", headers=headers,  # type: ignore[attr-defined]
                           data={"token": svc.opd_a, "csrf": csrf}, follow_redirects=False)

    plain = sign_in(svc.client, {}, HERE)
    assert plain.status_code == 303 and "secure" not in plain.headers["set-cookie"].lower()
    tls = {"X-Forwarded-Proto": "https"}
    # not configured: the header is anyone's to send, so it is ignored (and an https Origin is foreign)
    assert sign_in(_client(svc, "10.0.0.5"), tls, "https://testserver").status_code == 403
    svc.app.state.settings = replace(svc.app.state.settings,
                                     trusted_proxies=(ipaddress.ip_network("10.0.0.0/8"),))
    proxied = sign_in(_client(svc, "10.0.0.5"), tls, "https://testserver")
    assert proxied.status_code == 303
    assert all("secure" in c.lower() for c in proxied.headers.get_list("set-cookie"))
    # the proxy says https, so an http Origin is another scheme
    assert sign_in(_client(svc, "10.0.0.5"), tls, HERE).status_code == 403
    # a client that is not the proxy cannot claim https
    elsewhere = sign_in(_client(svc, "192.0.2.7"), tls, HERE)
    assert elsewhere.status_code == 303 and "secure" not in elsewhere.headers["set-cookie"].lower()


def test_trusted_proxies_setting() -> None:
    from kinerjalint.service.settings import Settings

    s = Settings.from_env({"KINERJALINT_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8 ::1"})
    assert [str(n) for n in s.trusted_proxies] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    assert Settings.from_env(s.to_env()).trusted_proxies == s.trusted_proxies
    with pytest.raises(ValueError, match="bukan alamat IP"):
        Settings.from_env({"KINERJALINT_TRUSTED_PROXIES": "proxy.example"})


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_data_folder_and_database_files_are_private(tmp_path: Path) -> None:
    import os

    old = os.umask(0o022)  # a usual umask: world-readable unless the service says otherwise
    try:
        s = make_service(tmp_path / "nested" / "data")
        s.submit(s.opd_a)
        web_login(s, s.opd_a)
    finally:
        os.umask(old)
    data = tmp_path / "nested" / "data"
    assert _mode(data) == 0o700
    files = sorted(data.iterdir())
    assert {f.name for f in files} >= {"kinerjalint.sqlite3", "kinerjalint.sqlite3-wal", "kinerjalint.sqlite3-shm"}
    for f in files:
        assert _mode(f) == 0o600, f


def test_default_data_folder_is_per_user_not_the_checkout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kinerjalint.service.settings import Settings

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(ROOT)
    s = Settings.from_env({})
    assert s.data_dir == tmp_path / "xdg" / "kinerjalint"
    assert Settings().data_dir == s.data_dir
    assert Settings.from_env({"KINERJALINT_DATA": "di-sini"}).data_dir == Path("di-sini")
    assert "kinerjalint-data/" in (ROOT / ".gitignore").read_text().splitlines()


# ---- edges (16.10, 16.8) ---------------------------------------------------------------------

def test_root_answers_the_web_page(svc: Service) -> None:
    first = svc.client.get("/", follow_redirects=False)
    assert first.status_code in (303, 307) and first.headers["location"] == "/ui/"
    page = svc.client.get("/")
    assert page.status_code == 200 and 'id="token"' in page.text


def test_api_docs_load_nothing_from_another_host(svc: Service) -> None:
    for path in ("/docs", "/redoc"):
        html = svc.client.get(path).text
        refs = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html) + re.findall(r"url\(([^)]+)\)", html)
        assert refs, path
        for ref in refs:
            assert ref.startswith("/"), (path, ref)  # this server only
            if ref.startswith("/static"):
                assert svc.client.get(ref).status_code == 200, ref
        assert "cdn" not in html.lower() and "fonts.googleapis" not in html


def test_auditors_add_waivers_from_the_page(svc: Service) -> None:
    sub = svc.submit(svc.opd_a).json()
    url = f"/ui/pengiriman/{sub['id']}"
    opd_csrf = web_login(svc, svc.opd_a)
    assert 'id="form-pengecualian"' not in svc.client.get(url).text
    refused = svc.client.post(f"{url}/pengecualian", data={"csrf": opd_csrf, "code": "LNG-02", "reason": "x"})
    assert refused.status_code == 403
    csrf = web_login(svc, svc.auditor)
    assert 'id="form-pengecualian"' in svc.client.get(url).text
    bad = svc.client.post(f"{url}/pengecualian", data={"csrf": csrf, "code": "XYZ-01", "reason": "x"})
    assert bad.status_code == 422 and "XYZ-01" in bad.text
    ok = svc.client.post(f"{url}/pengecualian", follow_redirects=False,
                         data={"csrf": csrf, "code": "lng-02", "node": "", "reason": "istilah baku daerah"})
    assert ok.status_code == 303 and ok.headers["location"].startswith(url)
    page = svc.client.get(url).text
    assert "istilah baku daerah" in page and 'id="predikat-tinjauan"' in page
    got = svc.client.get(f"/v1/submissions/{sub['id']}", headers=bearer(svc.auditor)).json()
    assert [(w["code"], w["reason"]) for w in got["waivers"]] == [("LNG-02", "istilah baku daerah")]
    entries = svc.client.get("/v1/audit", params={"submission": sub["id"]}, headers=bearer(svc.auditor)).json()
    assert "waiver" in [e["action"] for e in entries["entries"]]


@pytest.mark.parametrize("name", ["laporan.doc", "pohon.pdf", "pohon.xls"])
def test_unreadable_upload_is_explained_in_plain_words(svc: Service, name: str) -> None:
    csrf = web_login(svc, svc.opd_a)
    resp = svc.client.post("/ui/periksa", data={"csrf": csrf}, files={"file": (name, b"isi berkas")})
    assert resp.status_code == 415 and resp.headers["content-type"].startswith("text/html")
    text = re.sub(r"<[^>]+>", " ", resp.text)
    assert name in text and ".xlsx" in text and "YAML" in text and "unggah lagi" in text
    assert ".docx" in text and ".txt" in text  # the worksheet is read too
    for api_words in ("?format=", "Content-Type", "format="):
        assert api_words not in text
    assert 'id="berkas"' in resp.text  # the upload form again, to try once more
    api = svc.client.post("/v1/lint", headers=bearer(svc.opd_a), files={"file": (name, b"isi berkas")})
    assert api.status_code == 415 and "?format=" in api.json()["detail"]  # the JSON API keeps its advice
