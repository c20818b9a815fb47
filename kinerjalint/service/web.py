"""The web pages under /ui: server-rendered Jinja2 (autoescaped), plain CSS, Indonesian.

Sign-in stores the pasted token in the ``kinerjalint_token`` cookie: HttpOnly (no script
reads it), SameSite=Strict (the browser never sends it with a request started by another
site), Secure when served over HTTPS. CSRF: every form posts to this same origin, and a
cross-site form post arrives without the cookie and is treated as signed out, so no
separate CSRF token is needed. Two more guards: a POST whose Origin header names another
origin is refused (this covers login CSRF, which SameSite cannot: a cross-site form may
still *set* the cookie), and the Content-Security-Policy limits form targets to this origin
(``form-action 'self'``) and forbids framing.
"""

from __future__ import annotations

import json
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from kinerjalint import __version__
from kinerjalint.grading import DIMENSIONS
from kinerjalint.service import linting
from kinerjalint.service.auth import COOKIE, Principal, cookie_principal, principal_for, store_of
from kinerjalint.service.problems import ServiceProblem
from kinerjalint.service.store import Submission, aware, submission_dict, waiver_dict

HERE = FsPath(__file__).resolve().parent
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SEVERITY = {"error": "galat", "warning": "peringatan", "info": "info"}
DIMENSION = {k: label for k, label, _en, _groups, _w in DIMENSIONS}

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                   lstrip_blocks=True)
_env.globals.update(version=__version__, sev_label=lambda s: SEVERITY.get(s, s),
                    dim_label=lambda k: DIMENSION.get(k, k))


def _when(iso: str | None) -> str:
    """'2026-11-28 01:11 UTC' from a stored ISO time."""
    import datetime as dt

    if not iso:
        return "-"
    return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")


_env.filters["waktu"] = _when
_env.filters["nilai"] = lambda score: "-" if score is None else f"{score:.1f}"  # a score, or '-' when none
templates = Jinja2Templates(env=_env)
SubId = Annotated[int, Path(ge=1, le=2**31 - 1)]

router = APIRouter(prefix="/ui", include_in_schema=False)


def page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    resp = templates.TemplateResponse(request, name, ctx, status_code=status)
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers["Cache-Control"] = "no-store"
    return resp


def error_page(request: Request, status: int, title: str, detail: str, headers: dict[str, str]) -> Response:
    if status == 401:
        return RedirectResponse("/ui/login", status_code=303)
    user = _try_user(request)
    resp = page(request, "error.html", {"user": user, "title": title, "detail": detail}, status)
    for k, v in headers.items():
        resp.headers[k] = v
    return resp


def _try_user(request: Request) -> Principal | None:
    try:
        return cookie_principal(request)
    except Exception:  # noqa: BLE001 -- an error page must render even when the store is down
        return None


def same_origin(request: Request) -> None:
    """Refuse a form posted from another origin (login CSRF: SameSite does not stop a
    cross-site form from *setting* the cookie). Browsers send Origin with every POST."""
    from urllib.parse import urlsplit

    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise ServiceProblem(403, "Formulir ini harus dikirim dari halaman kinerjalint sendiri.")
    if origin == "null":
        raise ServiceProblem(403, "Formulir ini harus dikirim dari halaman kinerjalint sendiri.")


def user_of(request: Request) -> Principal:
    p = cookie_principal(request)
    if p is None:
        raise ServiceProblem(401, "Silakan masuk dengan token API.")
    return p


# ---- sign in ------------------------------------------------------------------------------

@router.get("")
def root() -> RedirectResponse:
    return RedirectResponse("/ui/", status_code=303)


@router.get("/gaya.css")
def stylesheet() -> FileResponse:
    return FileResponse(HERE / "static" / "gaya.css", media_type="text/css",
                        headers={"Cache-Control": "max-age=3600"})


@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", {"user": None})


@router.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=200)]) -> Response:
    same_origin(request)
    token = token.strip()
    if principal_for(store_of(request), token) is None:
        return page(request, "login.html", {"user": None, "error": "Token tidak dikenal atau sudah dicabut."}, 401)
    resp = RedirectResponse("/ui/", status_code=303)
    resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                    path="/ui", max_age=12 * 3600)
    return resp


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    same_origin(request)
    resp = RedirectResponse("/ui/login", status_code=303)
    resp.delete_cookie(COOKIE, path="/ui", httponly=True, samesite="strict")
    return resp


# ---- upload and check ---------------------------------------------------------------------

@router.get("/")
def upload_form(request: Request) -> HTMLResponse:
    user = user_of(request)
    return page(request, "upload.html", {"user": user,
                                         "max_mb": request.app.state.settings.limits.max_upload // 2**20})


@router.post("/periksa")
async def check_upload(request: Request) -> Response:
    from kinerjalint.service.routes import read_upload, run_check, submit

    same_origin(request)
    user = await run_in_threadpool(user_of, request)
    up = await read_upload(request, None, None)
    form = await request.form()
    agency = str(form.get("agency") or "")[:200] or None
    period = str(form.get("period") or "")[:40] or None
    if form.get("simpan"):
        sub, _ = await submit(request, user, agency if user.role != "opd" else None, period, "id", None, None, up)
        return RedirectResponse(f"/ui/pengiriman/{sub.id}", status_code=303)
    outcome = await run_check(request, up, linting.options(), "id", outline=True)
    entry = outcome.document["files"][0]
    return page(request, "result.html", {
        "user": user, "filename": up.filename, "grade": entry.get("grade"), "counts": outcome.counts,
        "outline": outcome.outline, "findings": entry["findings"]})


# ---- submissions --------------------------------------------------------------------------

@router.get("/pengiriman")
def submissions(request: Request) -> HTMLResponse:
    from kinerjalint.service.store import Filters

    user = user_of(request)
    store = store_of(request)
    rows = store.list_submissions(Filters(agency=None if user.reads_all else user.agency, limit=200))
    store.audit(user.who, "list", None, None, 200, "halaman web")
    return page(request, "list.html", {"user": user, "rows": [submission_dict(s) for s in rows]})


@router.get("/pengiriman/{sub_id}")
def submission_page(request: Request, sub_id: SubId) -> HTMLResponse:
    from kinerjalint.service.routes import diff_body, effective_findings, visible

    user = user_of(request)
    store = store_of(request)
    sub = visible(store, user, sub_id, "read", findings=True)
    prev = store.previous(sub)
    diff = None
    if prev is not None:
        prev_full = store.get_submission(prev.id, findings=True)
        assert prev_full is not None
        diff = diff_body(sub, prev_full)
    store.audit(user.who, "read", sub_id, sub.sha256, 200, "halaman web")
    doc = effective_findings(sub)
    original = json.loads(sub.findings)
    return page(request, "submission.html", {
        "user": user, "sub": submission_dict(sub), "grade": original["files"][0].get("grade"),
        "outline": json.loads(sub.outline), "findings": doc["files"][0]["findings"], "diff": diff,
        "waivers": [waiver_dict(w) for w in store.waivers(sub_id)]})


@router.get("/pengiriman/{sub_id}/asli")
def original(request: Request, sub_id: SubId) -> Response:
    from kinerjalint.service.routes import get_original

    return get_original(request, sub_id, user_of(request))


@router.get("/pengiriman/{sub_id}/laporan")
async def report(request: Request, sub_id: SubId) -> Response:
    from kinerjalint.service.routes import get_report

    return await get_report(request, sub_id, await run_in_threadpool(user_of, request))


@router.get("/pemda/{period}")
async def cascade(request: Request, period: Annotated[str, Path(min_length=1, max_length=40)]) -> Response:
    """The government page of a period (auditors): the cascade report of GET /v1/pemda/{period}/cascade."""
    from kinerjalint.service.routes import auditor, get_cascade

    user = auditor(await run_in_threadpool(user_of, request))
    return await get_cascade(request, period, user, "html")


@router.get("/dasbor")
def dashboard(request: Request) -> HTMLResponse:
    user = user_of(request)
    if not user.reads_all:
        raise ServiceProblem(403, "Dasbor hanya untuk auditor.")
    store = store_of(request)
    rows = []
    for latest, prev in store.latest_per_agency():
        a, b = latest.effective_score, prev.effective_score if prev else None
        rows.append({"agency": latest.agency, "id": latest.id, "period": latest.period, "score": a,
                     "predikat": latest.effective_predikat, "previous": prev.id if prev else None,
                     "trend": round(a - b, 1) if a is not None and b is not None else None,
                     "at": aware(latest.created_at).strftime("%Y-%m-%d %H:%M UTC")})
    store.audit(user.who, "dashboard", None, None, 200)
    periods = sorted({str(r["period"]) for r in rows
                      if r["period"] and store.latest_pemda(str(r["period"])) is not None})
    return page(request, "dashboard.html", {"user": user, "rows": rows, "periods": periods})


def fallback_report(sub: Submission, doc: dict[str, Any]) -> str:
    """A plain, escaped page of a submission's findings (when the HTML reporter is not installed)."""
    findings = [f for file in doc["files"] for f in file["findings"]]
    return _env.get_template("report.html").render(sub=sub, findings=findings,
                                                   at=aware(sub.created_at).strftime("%Y-%m-%d %H:%M UTC"))
