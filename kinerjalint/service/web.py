"""The web pages under /ui: server-rendered Jinja2 (autoescaped), plain CSS, Indonesian.

HTTP only, over :mod:`kinerjalint.service.operations` (as the JSON API is). Sign-in opens a
server-side session (see :mod:`.auth`): the ``kinerjalint_sesi`` cookie holds its random id,
never the API token; HttpOnly, SameSite=Strict, and Secure whenever the browser's connection
is HTTPS, to this server or to a trusted TLS-terminating proxy (``KINERJALINT_TRUSTED_PROXIES``).
Sign-out removes the session from the store. Every state-changing form post is checked
twice before any work: its Origin (or Referer) must name this server's own scheme, host and
port, a post naming neither is refused too; and it must carry the CSRF token of its session
(the sign-in form: of the ``kinerjalint_masuk`` cookie set with the form). The
Content-Security-Policy limits form targets to this origin (``form-action 'self'``) and
forbids framing.
"""

from __future__ import annotations

import hmac
import json
import secrets
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from kinerjalint import __version__
from kinerjalint.grading import DIMENSIONS
from kinerjalint.service.auth import SESSION_COOKIE, SESSION_LIFETIME, Principal, session_user
from kinerjalint.service.operations import effective_findings
from kinerjalint.service.problems import ServiceProblem
from kinerjalint.service.store import Submission, aware, submission_dict, waiver_dict
from kinerjalint.service.transport import (
    UnsupportedFormat,
    annotated_response,
    ops_of,
    original_response,
    read_upload,
    report_response,
    scheme_of,
    sent_from_here,
)

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
LOGIN_COOKIE = "kinerjalint_masuk"  # the sign-in form's CSRF token (no session exists yet)

router = APIRouter(prefix="/ui", include_in_schema=False)


def page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    found = getattr(request.state, "web_user", None)
    if found is not None and "user" in ctx and ctx["user"] is not None:
        ctx = {**ctx, "csrf": found.csrf}  # every form of a signed-in page carries it
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
        found = session_user(request)
    except Exception:  # noqa: BLE001 -- an error page must render even when the store is down
        return None
    return found.principal if found else None


def same_origin(request: Request) -> None:
    """Refuse a form that did not come from this server's pages (another site, another scheme,
    or no Origin and no Referer at all): login CSRF included, which SameSite cannot stop."""
    if not sent_from_here(request):
        raise ServiceProblem(403, "Formulir ini harus dikirim dari halaman kinerjalint sendiri.")


def user_of(request: Request) -> Principal:
    found = session_user(request)
    if found is None:
        raise ServiceProblem(401, "Silakan masuk dengan token API.")
    return found.principal


def check_csrf(request: Request, sent: object) -> None:
    """The form's CSRF token must be its session's (compared in constant time)."""
    found = session_user(request)
    if found is None:
        raise ServiceProblem(401, "Silakan masuk dengan token API.")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), found.csrf.encode()):
        raise ServiceProblem(403, "Formulir ini sudah kedaluwarsa atau tidak berasal dari halaman ini. "
                                  "Muat ulang halaman lalu kirim lagi.")


def _cookie(request: Request, resp: Response, name: str, value: str, max_age: int) -> None:
    resp.set_cookie(name, value, httponly=True, samesite="strict", secure=scheme_of(request) == "https",
                    path="/ui", max_age=max_age)


def _drop_cookie(request: Request, resp: Response, name: str) -> None:
    resp.delete_cookie(name, path="/ui", httponly=True, samesite="strict", secure=scheme_of(request) == "https")


# ---- sign in ------------------------------------------------------------------------------

@router.get("")
def root() -> RedirectResponse:
    return RedirectResponse("/ui/", status_code=303)


@router.get("/gaya.css")
def stylesheet() -> FileResponse:
    return FileResponse(HERE / "static" / "gaya.css", media_type="text/css",
                        headers={"Cache-Control": "max-age=3600"})


def _login_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    """The sign-in form, with a fresh CSRF token in the form and in its cookie."""
    csrf = secrets.token_urlsafe(32)
    resp = page(request, "login.html", {"user": None, "error": error, "login_csrf": csrf}, status)
    _cookie(request, resp, LOGIN_COOKIE, csrf, 3600)
    return resp


@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    return _login_page(request)


@router.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=200)],
          csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    same_origin(request)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
        return _login_page(request, "Formulir masuk sudah kedaluwarsa; silakan coba lagi.", 403)
    opened = ops_of(request).sign_in(token)
    if opened is None:
        return _login_page(request, "Token tidak dikenal atau sudah dicabut.", 401)
    _p, sid, _csrf = opened
    resp = RedirectResponse("/ui/", status_code=303)
    _cookie(request, resp, SESSION_COOKIE, sid, int(SESSION_LIFETIME.total_seconds()))
    _drop_cookie(request, resp, LOGIN_COOKIE)
    return resp


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    same_origin(request)
    form = await request.form(max_files=0, max_fields=5)
    sid = request.cookies.get(SESSION_COOKIE)
    user = await run_in_threadpool(session_user, request)
    if user is not None and sid:
        check_csrf(request, form.get("csrf"))
        await run_in_threadpool(ops_of(request).sign_out, user.principal, sid)
    resp = RedirectResponse("/ui/login", status_code=303)
    _drop_cookie(request, resp, SESSION_COOKIE)
    return resp


# ---- upload and check ---------------------------------------------------------------------

def _upload_page(request: Request, user: Principal, error: str | None = None, status: int = 200) -> HTMLResponse:
    return page(request, "upload.html", {"user": user, "error": error,
                                         "max_mb": request.app.state.settings.limits.max_upload // 2**20}, status)


def unreadable(filename: str | None) -> str:
    """Why an upload cannot be read and what to do, in words for people (not API advice)."""
    name = f"“{FsPath(filename).name}”" if filename else "Berkas ini"
    return (f"{name} tidak dapat dibaca: kinerjalint membaca pohon kinerja dari berkas YAML (.yaml, .yml), "
            "JSON (.json), TSV (.tsv), CSV (.csv), Excel (.xlsx) dan lembar kerja Tahap 1-5 dari Word (.docx, "
            "atau ekspor teksnya .txt). Dari Word lama (.doc): buka lalu simpan ulang sebagai .docx; dari Excel "
            "lama (.xls): buka lalu simpan ulang sebagai .xlsx; dari PDF atau gambar: salin tabel pohon ke Excel "
            "dan simpan sebagai .xlsx. Setelah itu unggah lagi berkasnya di sini.")


@router.get("/")
def upload_form(request: Request) -> HTMLResponse:
    return _upload_page(request, user_of(request))


@router.post("/periksa")
async def check_upload(request: Request) -> Response:
    same_origin(request)
    user = await run_in_threadpool(user_of, request)
    ops = ops_of(request)
    form = await request.form(max_files=1, max_fields=20)
    check_csrf(request, form.get("csrf"))
    try:
        up = await read_upload(request, None, None)
    except UnsupportedFormat as exc:
        return _upload_page(request, user, unreadable(exc.filename), 415)
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


@router.get("/pengiriman/{sub_id}/anotasi")
async def annotated(request: Request, sub_id: SubId) -> Response:
    """The annotated Word copy of a .docx worksheet (GET /v1/submissions/{id}/annotated)."""
    user = await run_in_threadpool(user_of, request)
    sub, data = await ops_of(request).annotated(user, sub_id)
    return annotated_response(sub, data)


@router.post("/pengiriman/{sub_id}/pengecualian")
async def add_waiver(request: Request, sub_id: SubId) -> Response:
    """An auditor's waiver from the submission page (the same operation as POST /v1/.../waivers)."""
    same_origin(request)
    user = await run_in_threadpool(user_of, request)
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form.get("csrf"))
    code, node, reason = (str(form.get(k) or "") for k in ("code", "node", "reason"))
    if not 2 <= len(code.strip()) <= 20 or len(node) > 200 or len(reason) > 2000:
        raise ServiceProblem(422, "Isi kode aturan (mis. LNG-02 atau LNG), node (boleh kosong, paling panjang 200 "
                                  "karakter) dan alasan (paling panjang 2000 karakter).")
    await ops_of(request).add_waiver(user, sub_id, code, node, reason)
    return RedirectResponse(f"/ui/pengiriman/{sub_id}#pengecualian", status_code=303)


@router.get("/pemda/{period}")
async def cascade(request: Request, period: Annotated[str, Path(min_length=1, max_length=40)]) -> Response:
    """The government page of a period (auditors): the cascade report of GET /v1/pemda/{period}/cascade."""
    user = await run_in_threadpool(user_of, request)
    _cascade, html = await ops_of(request).cascade(user, period, "html", "id")
    return report_response(html)


@router.get("/dasbor")
def dashboard(request: Request) -> HTMLResponse:
    user = user_of(request)
    ops = ops_of(request)
    rows = ops.dashboard(user)
    return page(request, "dashboard.html", {"user": user, "rows": rows, "periods": ops.pemda_periods(rows)})


def fallback_report(sub: Submission, doc: dict[str, Any]) -> str:
    """A plain, escaped page of a submission's findings (when the HTML reporter is not installed)."""
    findings = [f for file in doc["files"] for f in file["findings"]]
    return _env.get_template("report.html").render(sub=sub, findings=findings,
                                                   at=aware(sub.created_at).strftime("%Y-%m-%d %H:%M UTC"))
