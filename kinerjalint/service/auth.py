"""API tokens and roles.

A token is ``klt_`` plus 32 random bytes (URL-safe base64), shown once when created;
the store keeps only its SHA-256 (the token is random, so an unsalted hash is as strong
as the token). Roles:

* ``opd``: bound to one agency; submits for it and reads only its submissions. Another
  agency's submission answers 404, as if it did not exist, and is never listed.
* ``auditor``: reads every submission and the audit log; adds waivers with a reason.
* ``admin``: everything an auditor may, and manages tokens.

The API takes the token from ``Authorization: Bearer``. The web pages never see the token
again after sign-in: /ui/login opens a server-side session (:class:`WebSession` in the store)
and the ``kinerjalint_sesi`` cookie holds only that session's random id (HttpOnly,
SameSite=Strict, Secure over HTTPS). A session ends at its expiry, at sign-out (it is
removed from the store, so a copied cookie is worthless), or when its token is revoked.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kinerjalint.service.problems import ServiceProblem
from kinerjalint.service.store import Store, Submission, Who, token_hash

ROLES = ("opd", "auditor", "admin")
SESSION_COOKIE = "kinerjalint_sesi"
SESSION_LIFETIME = dt.timedelta(hours=12)
MAX_AGENCY = 200

bearer = HTTPBearer(auto_error=False, description="Token API dari `kinerjalint token create`")


@dataclass(frozen=True)
class Principal:
    token_id: str
    role: str
    agency: str | None

    @property
    def who(self) -> Who:
        return Who(self.token_id, self.role, self.agency)

    @property
    def reads_all(self) -> bool:
        return self.role in ("auditor", "admin")

    def may_read(self, sub: Submission) -> bool:
        return self.reads_all or (self.agency is not None and sub.agency == self.agency)


def clean_agency(name: str | None) -> str | None:
    if name is None:
        return None
    out = " ".join(name.split())
    if not out:
        return None
    if len(out) > MAX_AGENCY or not out.isprintable():
        raise ServiceProblem(422, f"nama instansi harus teks satu baris, paling panjang {MAX_AGENCY} karakter")
    return out


def validate_role(role: str, agency: str | None) -> None:
    if role not in ROLES:
        raise ServiceProblem(422, f"peran '{role}' tidak dikenal; pilih salah satu: {', '.join(ROLES)}")
    if role == "opd" and not agency:
        raise ServiceProblem(422, "token 'opd' harus terikat pada satu instansi ('agency' di API, --agency di CLI)")


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


# A token found valid is trusted for a moment without asking the store again: the look-up
# was a database round trip on a worker thread for every request. Revoking through this
# server's API forgets them at once; a revocation made elsewhere (the CLI, another server
# sharing the database) takes effect within TRUSTED_FOR seconds.
TRUSTED_FOR = 2.0
_trusted: dict[tuple[int, str], tuple[Principal, float, Store]] = {}


def trusted(store: Store, secret: str | None) -> Principal | None:
    """The principal of a token verified less than TRUSTED_FOR seconds ago (no I/O)."""
    if not secret:
        return None
    hit = _trusted.get((id(store), token_hash(secret)))
    if hit is not None and hit[2] is store and hit[1] > time.monotonic():
        return hit[0]
    return None


def forget_tokens() -> None:
    _trusted.clear()


def principal_for(store: Store, secret: str | None) -> Principal | None:
    if not secret or len(secret) > 200:
        return None
    tok = store.find_token(secret)
    if tok is None:
        return None
    p = Principal(tok.id, tok.role, tok.agency)
    if len(_trusted) > 10_000:
        _trusted.clear()
    _trusted[(id(store), token_hash(secret))] = (p, time.monotonic() + TRUSTED_FOR, store)
    return p


def _unauthorized(detail: str) -> ServiceProblem:
    return ServiceProblem(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def api_principal(request: Request, cred: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    if cred is None:
        raise _unauthorized("Sertakan token API pada kepala 'Authorization: Bearer <token>'.")
    store = store_of(request)
    p = trusted(store, cred.credentials) or await run_in_threadpool(principal_for, store, cred.credentials)
    if p is None:
        raise _unauthorized("Token API tidak dikenal atau sudah dicabut.")
    return p


def auditor(p: Principal = Depends(api_principal)) -> Principal:
    if not p.reads_all:
        raise ServiceProblem(403, "Hanya token auditor atau admin yang boleh melakukan ini.")
    return p


def admin(p: Principal = Depends(api_principal)) -> Principal:
    if p.role != "admin":
        raise ServiceProblem(403, "Hanya token admin yang boleh mengelola token.")
    return p


@dataclass(frozen=True)
class WebUser:
    """A signed-in browser: who, and the CSRF token its forms must carry."""

    principal: Principal
    csrf: str


def session_user(request: Request) -> WebUser | None:
    """The live session named by the request's cookie (looked up once per request)."""
    if hasattr(request.state, "web_user"):
        known: WebUser | None = request.state.web_user
        return known
    sid = request.cookies.get(SESSION_COOKIE)
    user = None
    if sid and len(sid) <= 100:
        found = store_of(request).find_session(sid)
        if found is not None:
            tok, csrf = found
            user = WebUser(Principal(tok.id, tok.role, tok.agency), csrf)
    request.state.web_user = user
    return user
