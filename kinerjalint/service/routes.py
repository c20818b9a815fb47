"""The /v1 API: lint, rules, submissions, waivers, audit log, tokens.

Every route that reads or writes a submission records an audit entry (who, what, which
submission, its input hash, the answer's status), refusals included.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kinerjalint.service import linting
from kinerjalint.service.auth import (
    ROLES,
    Principal,
    admin,
    api_principal,
    auditor,
    clean_agency,
    forget_tokens,
    store_of,
    validate_role,
)
from kinerjalint.service.limits import too_large
from kinerjalint.service.problems import PROBLEM_JSON, ServiceProblem
from kinerjalint.service.settings import Limits
from kinerjalint.service.store import (
    Filters,
    PemdaTreeRow,
    Store,
    Submission,
    WaiverRow,
    audit_dict,
    aware,
    submission_dict,
    token_dict,
    utcnow,
)

SARIF = "application/sarif+json"
Lang = Literal["id", "en"]
SubId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Nomor pengiriman")]

router = APIRouter(prefix="/v1")


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"description": "application/problem+json", "content": {PROBLEM_JSON: {}}} for c in codes}


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "Pohon kinerja: unggahan multipart (field 'file', dengan nama berkas), atau isi mentah "
                       "dengan Content-Type atau ?format= yang menyebut formatnya.",
        "content": {
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                               "properties": {"file": {"type": "string", "format": "binary"}}}},
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {}},
            "text/csv": {"schema": {"type": "string"}},
            "text/tab-separated-values": {"schema": {"type": "string"}},
            linting.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


# ---- uploads ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    fmt: str
    content_type: str


async def read_upload(request: Request, fmt: str | None, filename: str | None) -> Upload:
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
        raise ServiceProblem(415, "Format berkas tidak dikenal. Sebutkan dengan ?format= (yaml, json, tsv, csv, "
                                  "xlsx), dengan ekstensi nama berkas, atau dengan Content-Type.")
    ctype = ctype.split(";")[0].strip() or linting.MEDIA_TYPE[found]
    return Upload(data=data, filename=linting.display_name(filename, found), fmt=found,
                  content_type=ctype[:200] if ctype.isprintable() else linting.MEDIA_TYPE[found])


async def run_check(request: Request, up: Upload, opts: Any, lang: str, waivers: list[dict[str, Any]] | None = None,
                    *, outline: bool = False, render: str | None = None, title: str = "",
                    now: dt.datetime | None = None) -> linting.Outcome:
    job = linting.Job(up.data, up.filename, up.fmt, opts.select, opts.ignore, lang, tuple(waivers or ()),
                      outline=outline, render=render, title=title, now=now)
    outcome: linting.Outcome = await request.app.state.runner.run(job)
    return outcome


# ---- rules --------------------------------------------------------------------------------

@router.get("/rules", summary="Daftar aturan")
def list_rules() -> dict[str, Any]:
    from kinerjalint.rulebook import load_rulebook
    from kinerjalint.ruledocs import rule_dict

    rb = load_rulebook()
    return {"rulebook_version": linting.rulebook_version(rb), "rules": [rule_dict(r) for r in rb.rules]}


@router.get("/rules/{code}", summary="Satu aturan", responses=_problems(404))
def get_rule(code: Annotated[str, Path(max_length=40)]) -> dict[str, Any]:
    import difflib

    from kinerjalint.rulebook import load_rulebook
    from kinerjalint.ruledocs import rule_dict

    rb = load_rulebook()
    rule = rb.get(code.upper())
    if rule is None:
        near = difflib.get_close_matches(code.upper(), list(rb.by_code), n=1)
        hint = f"; mungkin maksudnya {near[0]}?" if near else ""
        raise ServiceProblem(404, f"Aturan '{code}' tidak ada{hint}", slug="aturan-tidak-ada")
    return rule_dict(rule)


# ---- lint (stateless) ---------------------------------------------------------------------

@router.post("/lint", summary="Periksa satu pohon (tanpa menyimpan)", openapi_extra=_UPLOAD_BODY,
             responses={200: {"content": {"application/json": {}, SARIF: {}},
                              "description": "Dokumen temuan JSON, atau SARIF bila Accept: application/sarif+json"},
                        **_problems(401, 413, 415, 422, 503)})
async def lint(request: Request, p: Annotated[Principal, Depends(api_principal)],
               select: Annotated[list[str], Query(max_length=500)] = [],  # noqa: B006 -- FastAPI reads it
               ignore: Annotated[list[str], Query(max_length=500)] = [],  # noqa: B006
               lang: Lang = "id",
               format: Annotated[str | None, Query(max_length=10, description="yaml, json, tsv, csv, xlsx")] = None,
               filename: Annotated[str | None, Query(max_length=255)] = None) -> Response:
    opts = linting.options(select, ignore)
    up = await read_upload(request, format, filename)
    if SARIF in request.headers.get("accept", ""):
        outcome = await run_check(request, up, opts, lang, render="sarif")
        return Response(outcome.rendered, media_type=SARIF)
    outcome = await run_check(request, up, opts, lang)
    return Response(outcome.document_json, media_type="application/json")


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type="application/json",
                    headers=headers)


# ---- submissions --------------------------------------------------------------------------

def _agency_for(p: Principal, named: str | None, tree_agency: str | None) -> str:
    named = clean_agency(named)
    if p.role == "opd":
        if named is not None and named != p.agency:
            raise ServiceProblem(403, "Token opd hanya boleh mengirim untuk instansinya sendiri.")
        assert p.agency is not None
        return p.agency
    agency = named or clean_agency(tree_agency)
    if agency is None:
        raise ServiceProblem(422, "Sebutkan instansi pengirim dengan ?agency= (token auditor/admin tidak terikat "
                                  "instansi, dan berkas tidak menyebut 'instansi').")
    return agency


def new_submission(outcome: linting.Outcome, up: Upload, agency: str, period: str | None,
                   p: Principal) -> Submission:
    c = outcome.counts
    return Submission(
        agency=agency, period=outcome.period(period), filename=up.filename,
        content_type=up.content_type, fmt=up.fmt, size=len(up.data), sha256=outcome.sha256, original=up.data,
        findings=outcome.document_json, outline=json.dumps(outcome.outline or [], ensure_ascii=False),
        gradable=outcome.gradable, score=outcome.score, predikat=outcome.predikat,
        errors=c["error"], warnings=c["warning"], infos=c["info"], tool_version=outcome.tool_version,
        rulebook_version=outcome.rulebook_version, token_id=p.token_id, created_at=utcnow())


async def submit(request: Request, p: Principal, agency: str | None, period: str | None, lang: str,
                 fmt: str | None, filename: str | None, up: Upload | None = None) -> tuple[Submission, linting.Outcome]:
    if p.role == "opd":
        _agency_for(p, agency, None)  # refuse a foreign agency before any work
    if up is None:
        up = await read_upload(request, fmt, filename)
    outcome = await run_check(request, up, linting.options(), lang, outline=True)
    sub = new_submission(outcome, up, _agency_for(p, agency, outcome.instansi), period, p)
    store = store_of(request)
    await run_in_threadpool(store.add_submission, sub, p.who)  # returns after the commit
    return sub, outcome


@router.post("/submissions", status_code=201, summary="Kirim dan simpan satu pohon", openapi_extra=_UPLOAD_BODY,
             responses=_problems(401, 403, 413, 415, 422, 503))
async def create_submission(
        request: Request, p: Annotated[Principal, Depends(api_principal)],
        agency: Annotated[str | None, Query(max_length=200, description="Instansi (hanya auditor/admin)")] = None,
        period: Annotated[str | None, Query(max_length=40, description="Periode; bawaan: 'tahun' pohon")] = None,
        lang: Lang = "id",
        format: Annotated[str | None, Query(max_length=10)] = None,
        filename: Annotated[str | None, Query(max_length=255)] = None) -> Response:
    sub, outcome = await submit(request, p, agency, period, lang, format, filename)
    body = {**submission_dict(sub), "findings": outcome.document}
    return _json(body, 201, {"Location": f"/v1/submissions/{sub.id}"})


def visible(store: Store, p: Principal, sub_id: int, action: str, *, original: bool = False,
            findings: bool = False) -> Submission:
    """The submission if this caller may see it; 404 otherwise (audited either way)."""
    sub = store.get_submission(sub_id, original=original, findings=findings)
    if sub is None or not p.may_read(sub):
        store.audit(p.who, action, sub_id, None, 404)
        raise ServiceProblem(404, f"Pengiriman {sub_id} tidak ada.", slug="pengiriman-tidak-ada")
    return sub


def effective_findings(sub: Submission) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(sub.reviewed_findings or sub.findings)
    return doc


@router.get("/submissions", summary="Daftar pengiriman", responses=_problems(401))
def list_submissions(
        request: Request, p: Annotated[Principal, Depends(api_principal)],
        agency: Annotated[str | None, Query(max_length=200)] = None,
        period: Annotated[str | None, Query(max_length=40)] = None,
        predikat: Annotated[str | None, Query(max_length=40)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> Response:
    store = store_of(request)
    if p.role == "opd":
        if agency is not None and clean_agency(agency) != p.agency:
            rows: list[Submission] = []  # another agency's submissions are never listed
        else:
            rows = store.list_submissions(Filters(p.agency, period, predikat, limit, offset))
    else:
        rows = store.list_submissions(Filters(clean_agency(agency), period, predikat, limit, offset))
    store.audit(p.who, "list", None, None, 200, json.dumps(
        {k: v for k, v in (("agency", agency), ("period", period), ("predikat", predikat)) if v}, ensure_ascii=False))
    return _json({"submissions": [submission_dict(s) for s in rows], "limit": limit, "offset": offset})


@router.get("/submissions/{sub_id}", summary="Satu pengiriman beserta temuannya", responses=_problems(401, 404))
def get_submission(request: Request, sub_id: SubId, p: Annotated[Principal, Depends(api_principal)]) -> Response:
    store = store_of(request)
    sub = visible(store, p, sub_id, "read", findings=True)
    waivers = store.waivers(sub_id)
    store.audit(p.who, "read", sub_id, sub.sha256, 200)
    body = {**submission_dict(sub, waivers), "findings": json.loads(sub.findings)}
    if sub.reviewed_findings:
        body["reviewed_findings"] = json.loads(sub.reviewed_findings)
    return _json(body)


@router.get("/submissions/{sub_id}/original", summary="Berkas asli, byte demi byte",
            responses={200: {"content": {"application/octet-stream": {}}}, **_problems(401, 404)})
def get_original(request: Request, sub_id: SubId, p: Annotated[Principal, Depends(api_principal)]) -> Response:
    from urllib.parse import quote

    store = store_of(request)
    sub = visible(store, p, sub_id, "original", original=True)
    store.audit(p.who, "original", sub_id, sub.sha256, 200)
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in sub.filename)
    # The submitter's media type is given back when it is one a tree can have; anything else
    # (text/html, say) is served as octet-stream, so that no upload ever renders as a page here.
    ctype = sub.content_type if sub.content_type.lower() in linting.SAFE_TYPES else "application/octet-stream"
    return Response(sub.original, media_type=ctype, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(sub.filename)}",
        "X-Content-SHA256": sub.sha256, "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'"})


REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@router.get("/submissions/{sub_id}/report", summary="Laporan HTML satu pengiriman",
            responses={200: {"content": {"text/html": {}}}, **_problems(401, 404, 503)})
async def get_report(request: Request, sub_id: SubId, p: Annotated[Principal, Depends(api_principal)],
                     lang: Lang = "id") -> Response:
    store = store_of(request)
    sub = await run_in_threadpool(visible, store, p, sub_id, "report", original=True, findings=True)
    html = await render_report(request, store, sub, lang)
    await run_in_threadpool(store.audit, p.who, "report", sub_id, sub.sha256, 200)
    return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})


async def render_report(request: Request, store: Store, sub: Submission, lang: str) -> str:
    """The HTML reporter's page when it is installed; a plain escaped page of the findings otherwise."""
    waivers = [_waiver_entry(w) for w in await run_in_threadpool(store.waivers, sub.id)]
    up = Upload(data=sub.original, filename=sub.filename, fmt=sub.fmt, content_type=sub.content_type)
    title = f"Pengiriman {sub.id}: {sub.agency}" + (f" ({sub.period})" if sub.period else "")
    outcome = await run_check(request, up, linting.options(), lang, waivers, render="html", title=title,
                              now=aware(sub.created_at))
    if outcome.rendered is None:
        fallback: Any = request.app.state.fallback_report  # the web module's plain page, set by the app
        return str(fallback(sub, effective_findings(sub)))
    return outcome.rendered


@router.get("/submissions/{sub_id}/diff/{other}", summary="Perbandingan temuan dua pengiriman",
            responses=_problems(401, 404))
def get_diff(request: Request, sub_id: SubId, other: SubId,
             p: Annotated[Principal, Depends(api_principal)]) -> Response:
    store = store_of(request)
    a = visible(store, p, sub_id, "diff", findings=True)
    b = visible(store, p, other, "diff", findings=True)
    store.audit(p.who, "diff", sub_id, a.sha256, 200, f"terhadap {other}")
    return _json(diff_body(a, b))


def diff_body(a: Submission, b: Submission) -> dict[str, Any]:
    d = linting.diff(effective_findings(a), effective_findings(b))
    sa, sb = a.effective_score, b.effective_score
    return {
        "submission": a.id, "against": b.id,
        "score": {"submission": sa, "against": sb,
                  "change": round(sa - sb, 1) if sa is not None and sb is not None else None},
        "predikat": {"submission": a.effective_predikat, "against": b.effective_predikat},
        "counts": {k: len(v) for k, v in d.items()},
        **d,
    }


# ---- waivers ------------------------------------------------------------------------------

class WaiverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=20, description="Kode aturan, mis. T3-03, atau grup, mis. LNG")
    node: str | None = Field(default=None, max_length=200, description="Id node; kosong berarti seluruh berkas")
    reason: str = Field(min_length=1, max_length=2000, description="Alasan pengecualian (wajib)")


def _waiver_entry(w: WaiverRow) -> dict[str, Any]:
    entry: dict[str, Any] = {"kode": w.code, "alasan": w.reason, "penyetuju": f"auditor {w.token_id}"}
    if w.node:
        entry["node"] = w.node
    return entry


@router.post("/submissions/{sub_id}/waivers", status_code=201, summary="Tambah pengecualian (auditor)",
             responses=_problems(401, 403, 404, 422, 503))
async def add_waiver(request: Request, sub_id: SubId, body: WaiverIn,
                     p: Annotated[Principal, Depends(auditor)]) -> Response:
    from kinerjalint.rulebook import load_rulebook

    code = body.code.strip().upper()
    reason = body.reason.strip()
    if not reason:
        raise ServiceProblem(422, "Alasan pengecualian wajib diisi.")
    rb = load_rulebook()
    if rb.get(code) is None and code not in {r.group.upper() for r in rb.rules}:
        raise ServiceProblem(422, f"Aturan '{body.code}' tidak ada (lihat GET /v1/rules).", slug="aturan-tidak-dikenal")
    store = store_of(request)
    sub = await run_in_threadpool(visible, store, p, sub_id, "waiver", original=True)
    row = WaiverRow(submission_id=sub_id, code=code, node=(body.node or "").strip() or None, reason=reason,
                    token_id=p.token_id, created_at=utcnow())
    waivers = [_waiver_entry(w) for w in await run_in_threadpool(store.waivers, sub_id)] + [_waiver_entry(row)]
    up = Upload(data=sub.original, filename=sub.filename, fmt=sub.fmt, content_type=sub.content_type)
    outcome = await run_check(request, up, linting.options(), "id", waivers)
    review = (outcome.document_json, outcome.score, outcome.predikat)
    await run_in_threadpool(store.add_waiver, row, review, p.who, sub.sha256)
    from kinerjalint.service.store import waiver_dict

    return _json({"waiver": waiver_dict(row), "review": {"score": review[1], "predikat": review[2]}}, 201)


# ---- audit log ----------------------------------------------------------------------------

# ---- the whole government (issue 15) ------------------------------------------------------

PeriodPath = Annotated[str, Path(min_length=1, max_length=40, description="Periode, mis. 2023")]


@router.post("/pemda", status_code=201, summary="Simpan pohon kinerja Pemda satu periode (auditor)",
             openapi_extra=_UPLOAD_BODY, responses=_problems(401, 403, 413, 415, 422))
async def create_pemda(
        request: Request, p: Annotated[Principal, Depends(auditor)],
        period: Annotated[str | None, Query(max_length=40, description="Periode; bawaan: 'tahun' pohon Pemda")] = None,
        format: Annotated[str | None, Query(max_length=10)] = None,
        filename: Annotated[str | None, Query(max_length=255)] = None) -> Response:
    """The latest Pemda tree of a period is the one the cascade check of that period uses."""
    import hashlib

    from kinerjalint.loaders import load_bytes

    up = await read_upload(request, format, filename)
    loaded = await run_in_threadpool(load_bytes, up.data, up.filename, up.fmt)
    if loaded.pemda is None:
        detail = "; ".join(pr.args.get("detail", pr.code) for pr in loaded.problems) or (
            "berkas ini pohon OPD, bukan pohon Pemda (tulis 'jenis: pemda', level tujuan dan sasaran)")
        raise ServiceProblem(422, f"Pohon Pemda tidak dapat dibaca: {detail}", slug="bukan-pohon-pemda")
    tree = loaded.pemda
    chosen = (period or (str(tree.tahun) if tree.tahun is not None else tree.periode) or "").strip()
    if not chosen:
        raise ServiceProblem(422, "Sebutkan periode dengan ?period= (pohon Pemda tidak menyebut 'tahun' atau "
                                  "'periode').")
    row = PemdaTreeRow(period=chosen, filename=up.filename, fmt=up.fmt, sha256=hashlib.sha256(up.data).hexdigest(),
                       original=up.data, token_id=p.token_id, created_at=utcnow())
    await run_in_threadpool(store_of(request).add_pemda, row, p.who)
    body = {"id": row.id, "period": chosen, "filename": row.filename, "sha256": row.sha256,
            "problems": [pr.args.get("detail", pr.code) for pr in loaded.problems],
            "tujuan": len(tree.tujuan), "sasaran": len(tree.sasaran)}
    return _json(body, 201, {"Location": f"/v1/pemda/{chosen}/cascade"})


def cascade_results(row: PemdaTreeRow, subs: list[Submission]) -> list[Any]:
    """The government check of a period: its Pemda tree over each agency's latest submission."""
    from kinerjalint.api import CheckOptions, check_government_loaded
    from kinerjalint.loaders import load_bytes

    pemda = load_bytes(row.original, f"pemda/{row.filename}", row.fmt)
    agencies = [(None, load_bytes(s.original, f"{s.agency}/{s.filename}", s.fmt)) for s in subs]
    return check_government_loaded((None, pemda), agencies, CheckOptions(use_config=False))


@router.get("/pemda/{period}/cascade", summary="Cascading dan crosscutting satu periode (auditor)",
            responses={200: {"content": {"application/json": {}, "text/html": {}, SARIF: {}},
                             "description": "Dokumen temuan JSON (bawaan), laporan HTML (?format=html) atau SARIF"},
                       **_problems(401, 403, 404)})
async def get_cascade(request: Request, period: PeriodPath, p: Annotated[Principal, Depends(auditor)],
                      format: Literal["json", "html", "sarif"] = "json", lang: Lang = "id") -> Response:
    """Every agency's latest submission of the period checked against the period's latest Pemda tree
    (the CAS rules): the findings name both ends. Runs in the web process (auditors only)."""
    from kinerjalint.reporters import jsonreport

    store = store_of(request)
    row = await run_in_threadpool(store.latest_pemda, period)
    if row is None:
        await run_in_threadpool(store.audit, p.who, "cascade", None, None, 404, period)
        raise ServiceProblem(404, f"Belum ada pohon Pemda untuk periode {period} (POST /v1/pemda).",
                             slug="pemda-tidak-ada")
    subs = await run_in_threadpool(store.latest_of_period, period)
    results = await run_in_threadpool(cascade_results, row, subs)
    await run_in_threadpool(store.audit, p.who, "cascade", None, row.sha256, 200, period)
    if format == "html":
        from kinerjalint.reporting import htmlreport

        html = await run_in_threadpool(htmlreport.render, results, lang, f"Cascading {period}")
        return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})
    if format == "sarif":
        from kinerjalint.reporters import sarif
        from kinerjalint.rulebook import load_rulebook

        return Response(sarif.render(results, load_rulebook(), lang), media_type=SARIF)
    doc = jsonreport.document(results, lang)
    doc["period"] = period
    doc["pemda"] = {"id": row.id, "filename": row.filename, "sha256": row.sha256}
    doc["submissions"] = [{"id": s.id, "agency": s.agency} for s in subs]
    return _json(doc)


@router.get("/audit", summary="Catatan audit (auditor)", responses=_problems(401, 403))
def get_audit(request: Request, p: Annotated[Principal, Depends(auditor)],
              submission: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> dict[str, Any]:
    rows = store_of(request).audit_entries(submission, limit, offset)
    return {"entries": [audit_dict(a) for a in rows], "limit": limit, "offset": offset}


# ---- tokens -------------------------------------------------------------------------------

class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["opd", "auditor", "admin"] = Field(description=f"Peran: {', '.join(ROLES)}")
    agency: str | None = Field(default=None, max_length=200, description="Instansi (wajib untuk opd)")
    label: str = Field(default="", max_length=200, description="Catatan, mis. nama pemegang token")


@router.post("/tokens", status_code=201, summary="Buat token (admin)", responses=_problems(401, 403, 422))
def create_token(request: Request, body: TokenIn, p: Annotated[Principal, Depends(admin)]) -> JSONResponse:
    agency = clean_agency(body.agency)
    validate_role(body.role, agency)
    label = " ".join(body.label.split())
    if not label.isprintable():
        raise ServiceProblem(422, "Label token harus teks satu baris.")
    tok, secret = store_of(request).create_token(body.role, agency, label)
    return JSONResponse({**token_dict(tok), "token": secret,
                         "note": "Simpan token ini sekarang: token tidak akan ditampilkan lagi."}, status_code=201)


@router.get("/tokens", summary="Daftar token (admin; tanpa rahasia)", responses=_problems(401, 403))
def list_tokens(request: Request, p: Annotated[Principal, Depends(admin)]) -> dict[str, Any]:
    return {"tokens": [token_dict(t) for t in store_of(request).list_tokens()]}


@router.delete("/tokens/{token_id}", summary="Cabut token (admin)", responses=_problems(401, 403, 404))
def revoke_token(request: Request, token_id: Annotated[str, Path(max_length=32)],
                 p: Annotated[Principal, Depends(admin)]) -> dict[str, Any]:
    tok = store_of(request).revoke_token(token_id)
    forget_tokens()  # no request of this server trusts the revoked token any longer
    if tok is None:
        raise ServiceProblem(404, f"Token '{token_id}' tidak ada.", slug="token-tidak-ada")
    return token_dict(tok)
