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
from kinerjalint.service.auth import COOKIE, Principal, cookie_principal, principal_for, store_of
from kinerjalint.service.operations import effective_findings
from kinerjalint.service.problems import ServiceProblem
from kinerjalint.service.store import Submission, aware, submission_dict, waiver_dict
from kinerjalint.service.transport import ops_of, original_response, read_upload, report_response

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
    same_origin(request)
    user = await run_in_threadpool(user_of, request)
    ops = ops_of(request)
    up = await read_upload(request, None, None)
    form = await request.form()
    agency = str(form.get("agency") or "")[:200] or None
    period = str(form.get("period") or "")[:40] or None
    if form.get("simpan"):
        sub, _ = await ops.submit(user, up, agency if user.role != "opd" else None, period)
        return RedirectResponse(f"/ui/pengiriman/{sub.id}", status_code=303)
    outcome = await ops.lint(up, ops.options(), outline=True)
    entry = outcome.document["files"][0]
    return page(request, "result.html", {
        "user": user, "filename": up.filename, "grade": entry.get("grade"), "counts": outcome.counts,
        "outline": outcome.outline, "findings": entry["findings"]})


# ---- submissions --------------------------------------------------------------------------

@router.get("/pengiriman")
def submissions(request: Request) -> HTMLResponse:
    user = user_of(request)
    rows = ops_of(request).list_submissions(user, limit=200, via="halaman web")
    return page(request, "list.html", {"user": user, "rows": [submission_dict(s) for s in rows]})


@router.get("/pengiriman/{sub_id}")
def submission_page(request: Request, sub_id: SubId) -> HTMLResponse:
    user = user_of(request)
    ops = ops_of(request)
    sub, waivers = ops.read(user, sub_id, via="halaman web")
    diff = ops.against_previous(sub)
    doc = effective_findings(sub)
    original = json.loads(sub.findings)
    return page(request, "submission.html", {
        "user": user, "sub": submission_dict(sub), "grade": original["files"][0].get("grade"),
        "outline": json.loads(sub.outline), "findings": doc["files"][0]["findings"], "diff": diff,
        "waivers": [waiver_dict(w) for w in waivers]})


@router.get("/pengiriman/{sub_id}/asli")
def original(request: Request, sub_id: SubId) -> Response:
    return original_response(ops_of(request).original(user_of(request), sub_id))


@router.get("/pengiriman/{sub_id}/laporan")
async def report(request: Request, sub_id: SubId) -> Response:
    user = await run_in_threadpool(user_of, request)
    return report_response(await ops_of(request).report(user, sub_id))


@router.get("/dasbor")
def dashboard(request: Request) -> HTMLResponse:
    user = user_of(request)
    return page(request, "dashboard.html", {"user": user, "rows": ops_of(request).dashboard(user)})


def fallback_report(sub: Submission, doc: dict[str, Any]) -> str:
    """A plain, escaped page of a submission's findings (when the HTML reporter is not installed)."""
    findings = [f for file in doc["files"] for f in file["findings"]]
    return _env.get_template("report.html").render(sub=sub, findings=findings,
                                                   at=aware(sub.created_at).strftime("%Y-%m-%d %H:%M UTC"))
