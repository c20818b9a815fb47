"""What both route modules (:mod:`.routes`, :mod:`.web`) share about HTTP: the operations of the
app, reading an upload from a request, and answering a stored original or report.

HTTP only: no rule of who may do what lives here (that is :mod:`.operations`).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from kinerjalint.service import linting
from kinerjalint.service.limits import too_large
from kinerjalint.service.operations import Operations, Upload
from kinerjalint.service.problems import ServiceProblem
from kinerjalint.service.settings import Limits
from kinerjalint.service.store import Submission

REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class UnsupportedFormat(ServiceProblem):
    """An upload in a format no loader reads (415); the web page words it for people."""

    def __init__(self, filename: str | None) -> None:
        super().__init__(415, "Format berkas tidak dikenal. Sebutkan dengan ?format= (yaml, json, tsv, csv, "
                              "xlsx, docx, txt), dengan ekstensi nama berkas, atau dengan Content-Type "
                              "(text/plain hanya bersama nama berkas .txt: ekspor teks lembar kerja Tahap 1-5).")
        self.filename = filename


def _trusted_proxy(request: Request) -> bool:
    import ipaddress

    proxies = request.app.state.settings.trusted_proxies
    if not proxies or request.client is None:
        return False
    try:
        addr = ipaddress.ip_address(request.client.host)
    except ValueError:
        return False
    return any(addr in net for net in proxies)


def _forwarded(request: Request, name: str) -> str | None:
    """A proxy's X-Forwarded-* value, only from a configured proxy (the nearest hop's, last)."""
    raw = request.headers.get(name)
    if not raw or not _trusted_proxy(request):
        return None
    return raw.split(",")[-1].strip().lower() or None


def scheme_of(request: Request) -> str:
    """``https`` when the browser's connection is TLS: to this server, or to a trusted proxy
    that says so in X-Forwarded-Proto (KINERJALINT_TRUSTED_PROXIES)."""
    proto = _forwarded(request, "x-forwarded-proto")
    if proto in ("http", "https"):
        return proto
    return request.url.scheme


def origin_of(request: Request) -> str:
    """This server's origin as the browser sees it: ``scheme://host[:port]``, default port left out."""
    scheme = scheme_of(request)
    host = (_forwarded(request, "x-forwarded-host") or request.headers.get("host", "")).lower()
    return _normal_origin(scheme, host)


def _normal_origin(scheme: str, netloc: str) -> str:
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return f"{scheme}://{netloc}"


def sent_from_here(request: Request) -> bool:
    """The browser says this form came from one of this server's pages: its Origin (or, when a
    browser sends none, its Referer) names this very scheme, host and port. Neither header
    is refused as well: every browser that runs the page sends one with a form post."""
    from urllib.parse import urlsplit

    here = origin_of(request)
    origin = request.headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin.strip().lower())
        return origin != "null" and _normal_origin(parts.scheme, parts.netloc) == here
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer.strip())
        return _normal_origin(parts.scheme.lower(), parts.netloc.lower()) == here
    return False


def ops_of(request: Request) -> Operations:
    ops: Operations = request.app.state.ops
    return ops


async def read_upload(request: Request, fmt: str | None, filename: str | None) -> Upload:
    """The tree of a multipart upload (field ``file``) or of the raw body."""
    limits: Limits = request.app.state.settings.limits
    ctype = request.headers.get("content-type", "")
    if ctype.lower().startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=20)
        file = form.get("file")
        if file is None or isinstance(file, str):
            raise ServiceProblem(422, "Sertakan berkas pohon pada field 'file' (multipart/form-data).")
        data = await file.read()
        filename = file.filename or filename
        ctype = file.content_type or ""
    else:
        data = await request.body()
    if len(data) > limits.max_upload:
        raise too_large(limits.max_upload)
    if not data:
        raise ServiceProblem(422, "Isi permintaan kosong: kirim berkas pohon kinerja.", slug="isi-kosong")
    found = linting.format_of(fmt, filename, ctype)
    if found is None:
        raise UnsupportedFormat(filename)
    ctype = ctype.split(";")[0].strip() or linting.MEDIA_TYPE[found]
    return Upload(data=data, filename=linting.display_name(filename, found), fmt=found,
                  content_type=ctype[:200] if ctype.isprintable() else linting.MEDIA_TYPE[found])


def original_response(sub: Submission) -> Response:
    """The original bytes as a download, never rendered as a page here."""
    from urllib.parse import quote

    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in sub.filename)
    # The submitter's media type is given back when it is one a tree can have; anything else
    # (text/html, say) is served as octet-stream, so that no upload ever renders as a page here.
    ctype = sub.content_type if sub.content_type.lower() in linting.SAFE_TYPES else "application/octet-stream"
    return Response(sub.original, media_type=ctype, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(sub.filename)}",
        "X-Content-SHA256": sub.sha256, "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'"})


def annotated_response(sub: Submission, data: bytes) -> Response:
    """The annotated Word copy as a download named after the original (``<name>-kinerjalint.docx``)."""
    from pathlib import Path
    from urllib.parse import quote

    name = f"{Path(sub.filename).stem}-kinerjalint.docx"
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in name)
    return Response(data, media_type=linting.DOCX_TYPE, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'"})


def report_response(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})
