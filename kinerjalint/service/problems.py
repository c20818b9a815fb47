"""Errors as ``application/problem+json`` (RFC 9457): type, title, status, detail; never a trace.

Titles and details are Indonesian, the language of the people who read them. A bug is
logged on the server with its traceback and answered with a plain 500 problem.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

# (request, status, title, detail, headers) -> the HTML page
ErrorPage = Callable[[Request, int, str, str, dict[str, str]], Response]

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("kinerjalint.service")

TITLES = {
    400: ("permintaan-tidak-sah", "Permintaan tidak sah"),
    401: ("perlu-token", "Perlu token API"),
    403: ("tidak-diizinkan", "Tidak diizinkan"),
    404: ("tidak-ditemukan", "Tidak ditemukan"),
    405: ("metode-tidak-diizinkan", "Metode tidak diizinkan"),
    406: ("format-jawaban-tidak-tersedia", "Format jawaban tidak tersedia"),
    409: ("konflik", "Konflik"),
    413: ("terlalu-besar", "Unggahan terlalu besar"),
    415: ("format-tidak-didukung", "Format tidak didukung"),
    422: ("tidak-dapat-diproses", "Masukan tidak dapat diproses"),
    429: ("terlalu-banyak-permintaan", "Terlalu banyak permintaan"),
    500: ("kesalahan-internal", "Kesalahan internal"),
    503: ("layanan-sibuk", "Layanan sedang sibuk"),
}
DETAILS = {
    401: "Sertakan token API pada kepala 'Authorization: Bearer <token>'.",
    404: "Sumber yang diminta tidak ada.",
    405: "Metode HTTP ini tidak berlaku untuk alamat ini.",
    500: "Terjadi kesalahan di server. Kesalahan ini sudah dicatat; coba lagi atau hubungi pengelola layanan.",
}


class ServiceProblem(StarletteHTTPException):
    """A known problem with a clear message (raised by routes, limits and auth)."""

    def __init__(self, status: int, detail: str, title: str | None = None, slug: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail, headers)
        self.title = title or TITLES.get(status, ("", "Kesalahan"))[1]
        self.slug = slug or TITLES.get(status, ("kesalahan", ""))[0]


def problem_body(status: int, detail: str, title: str | None = None, slug: str | None = None,
                 **extra: Any) -> dict[str, Any]:
    s, t = TITLES.get(status, ("kesalahan", "Kesalahan"))
    return {"type": f"urn:kinerjalint:masalah:{slug or s}", "title": title or t, "status": status,
            "detail": detail, **extra}


def problem(status: int, detail: str, title: str | None = None, slug: str | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(problem_body(status, detail, title, slug, **extra), status_code=status,
                        media_type=PROBLEM_JSON, headers=headers)


def _wants_page(request: Request) -> bool:
    return request.url.path.startswith("/ui")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if isinstance(exc, ServiceProblem):
        detail, title, slug = str(exc.detail), exc.title, exc.slug
    else:
        # Starlette's own English details ("Not Found") are replaced by Indonesian ones.
        detail = DETAILS.get(status) or (str(exc.detail) if exc.detail else TITLES.get(status, ("", ""))[1])
        title, slug = None, None
    if _wants_page(request):
        return request.app.state.error_page(request, status, title or TITLES.get(status, ("", "Kesalahan"))[1], detail,
                          dict(exc.headers or {}))
    return problem(status, detail, title, slug, headers=dict(exc.headers or {}))


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    places = {"query": "parameter", "path": "alamat", "body": "isi", "header": "kepala"}
    parts = [str(p) for p in loc]
    if parts and parts[0] in places:
        return f"{places[parts[0]]} '{'.'.join(parts[1:])}'" if len(parts) > 1 else places[parts[0]]
    return ".".join(parts) or "permintaan"


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [{"where": _where(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors()]
    detail = "; ".join(f"{e['where']}: {e['message']}" for e in errors[:5]) or "permintaan tidak sah"
    if _wants_page(request):
        return request.app.state.error_page(request, 422, TITLES[422][1], detail, {})
    return problem(422, f"Permintaan tidak sesuai: {detail}", errors=errors)


async def _bug(request: Request, exc: Exception) -> Response:
    log.error("kesalahan internal pada %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, DETAILS[500])


def install(app: FastAPI, error_page: ErrorPage) -> None:
    """Answer errors as problem+json, or as a page through ``error_page`` for browsers (the web
    module's renderer, handed in by the app so that this module imports no route module)."""
    app.state.error_page = error_page
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _bug)
