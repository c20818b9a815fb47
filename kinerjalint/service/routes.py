"""The /v1 API: lint, rules, submissions, waivers, audit log, tokens.

HTTP only: each route parses its request, calls one operation of
:mod:`kinerjalint.service.operations` (which checks, stores and records the audit entry,
refusals included) and shapes the JSON answer.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kinerjalint.service.linting import DOCX_TYPE, XLSX_TYPE
from kinerjalint.service.auth import ROLES, Principal, admin, api_principal, auditor
from kinerjalint.service.problems import PROBLEM_JSON
from kinerjalint.service.store import audit_dict, submission_dict, token_dict, waiver_dict
from kinerjalint.service.transport import (
    annotated_response,
    ops_of,
    original_response,
    read_upload,
    report_response,
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
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            DOCX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            "text/plain": {"schema": {"type": "string"}},  # a worksheet's text export, with ?filename=....txt
        },
    }
}


# ---- rules --------------------------------------------------------------------------------

@router.get("/rules", summary="Daftar aturan")
def list_rules(request: Request) -> dict[str, Any]:
    return ops_of(request).rules()


@router.get("/rules/{code}", summary="Satu aturan", responses=_problems(404))
def get_rule(request: Request, code: Annotated[str, Path(max_length=40)]) -> dict[str, Any]:
    return ops_of(request).rule(code)


# ---- lint (stateless) ---------------------------------------------------------------------

@router.post("/lint", summary="Periksa satu pohon (tanpa menyimpan)", openapi_extra=_UPLOAD_BODY,
             responses={200: {"content": {"application/json": {}, SARIF: {}},
                              "description": "Dokumen temuan JSON, atau SARIF bila Accept: application/sarif+json"},
                        **_problems(401, 413, 415, 422, 503)})
async def lint(request: Request, p: Annotated[Principal, Depends(api_principal)],
               select: Annotated[list[str], Query(max_length=500)] = [],  # noqa: B006 -- FastAPI reads it
               ignore: Annotated[list[str], Query(max_length=500)] = [],  # noqa: B006
               lang: Lang = "id",
               format: Annotated[str | None, Query(max_length=10, description="yaml, json, tsv, csv, xlsx, docx, txt")] = None,
               filename: Annotated[str | None, Query(max_length=255)] = None) -> Response:
    ops = ops_of(request)
    opts = ops.options(select, ignore)  # an unknown rule is refused before the upload is read
    up = await read_upload(request, format, filename)
    if SARIF in request.headers.get("accept", ""):
        outcome = await ops.lint(up, opts, lang, sarif=True)
        return Response(outcome.rendered, media_type=SARIF)
    outcome = await ops.lint(up, opts, lang)
    return Response(outcome.document_json, media_type="application/json")


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type="application/json",
                    headers=headers)


# ---- submissions --------------------------------------------------------------------------

@router.post("/submissions", status_code=201, summary="Kirim dan simpan satu pohon", openapi_extra=_UPLOAD_BODY,
             responses=_problems(401, 403, 413, 415, 422, 503))
async def create_submission(
        request: Request, p: Annotated[Principal, Depends(api_principal)],
        agency: Annotated[str | None, Query(max_length=200, description="Instansi (hanya auditor/admin)")] = None,
        period: Annotated[str | None, Query(max_length=40, description="Periode; bawaan: 'tahun' pohon")] = None,
        lang: Lang = "id",
        format: Annotated[str | None, Query(max_length=10)] = None,
        filename: Annotated[str | None, Query(max_length=255)] = None) -> Response:
    ops = ops_of(request)
    ops.may_submit(p, agency)  # a foreign agency is refused before the upload is read
    up = await read_upload(request, format, filename)
    sub, outcome = await ops.submit(p, up, agency, period, lang)
    body = {**submission_dict(sub), "findings": outcome.document}
    return _json(body, 201, {"Location": f"/v1/submissions/{sub.id}"})


@router.get("/submissions", summary="Daftar pengiriman", responses=_problems(401))
def list_submissions(
        request: Request, p: Annotated[Principal, Depends(api_principal)],
        agency: Annotated[str | None, Query(max_length=200)] = None,
        period: Annotated[str | None, Query(max_length=40)] = None,
        predikat: Annotated[str | None, Query(max_length=40)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> Response:
    rows = ops_of(request).list_submissions(p, agency, period, predikat, limit, offset)
    return _json({"submissions": [submission_dict(s) for s in rows], "limit": limit, "offset": offset})


@router.get("/submissions/{sub_id}", summary="Satu pengiriman beserta temuannya", responses=_problems(401, 404))
def get_submission(request: Request, sub_id: SubId, p: Annotated[Principal, Depends(api_principal)]) -> Response:
    sub, waivers = ops_of(request).read(p, sub_id)
    body = {**submission_dict(sub, waivers), "findings": json.loads(sub.findings)}
    if sub.reviewed_findings:
        body["reviewed_findings"] = json.loads(sub.reviewed_findings)
    return _json(body)


@router.get("/submissions/{sub_id}/original", summary="Berkas asli, byte demi byte",
            responses={200: {"content": {"application/octet-stream": {}}}, **_problems(401, 404)})
def get_original(request: Request, sub_id: SubId, p: Annotated[Principal, Depends(api_principal)]) -> Response:
    return original_response(ops_of(request).original(p, sub_id))


@router.get("/submissions/{sub_id}/report", summary="Laporan HTML satu pengiriman",
            responses={200: {"content": {"text/html": {}}}, **_problems(401, 404, 503)})
async def get_report(request: Request, sub_id: SubId, p: Annotated[Principal, Depends(api_principal)],
                     lang: Lang = "id") -> Response:
    return report_response(await ops_of(request).report(p, sub_id, lang))


@router.get("/submissions/{sub_id}/annotated", summary="Salinan Word beranotasi (lembar kerja .docx)",
            responses={200: {"content": {DOCX_TYPE: {}}}, **_problems(401, 404, 409, 422, 503)})
async def get_annotated(request: Request, sub_id: SubId, p: Annotated[Principal, Depends(api_principal)],
                        lang: Lang = "id") -> Response:
    """The agency's own Word worksheet with a comment on each offending paragraph or cell and a summary
    table at the end (as ``check WORKSHEET.docx --annotate OUT.docx``); 409 for a submission in another format."""
    sub, data = await ops_of(request).annotated(p, sub_id, lang)
    return annotated_response(sub, data)


@router.get("/submissions/{sub_id}/diff/{other}", summary="Perbandingan temuan dua pengiriman",
            responses=_problems(401, 404))
def get_diff(request: Request, sub_id: SubId, other: SubId,
             p: Annotated[Principal, Depends(api_principal)]) -> Response:
    return _json(ops_of(request).diff(p, sub_id, other))


# ---- waivers ------------------------------------------------------------------------------

class WaiverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=20, description="Kode aturan, mis. T3-03, atau grup, mis. LNG")
    node: str | None = Field(default=None, max_length=200, description="Id node; kosong berarti seluruh berkas")
    reason: str = Field(min_length=1, max_length=2000, description="Alasan pengecualian (wajib)")


@router.post("/submissions/{sub_id}/waivers", status_code=201, summary="Tambah pengecualian (auditor)",
             responses=_problems(401, 403, 404, 422, 503))
async def add_waiver(request: Request, sub_id: SubId, body: WaiverIn,
                     p: Annotated[Principal, Depends(auditor)]) -> Response:
    review = await ops_of(request).add_waiver(p, sub_id, body.code, body.node, body.reason)
    return _json({"waiver": waiver_dict(review.waiver), "review": {"score": review.score,
                                                                   "predikat": review.predikat}}, 201)


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
    up = await read_upload(request, format, filename)
    body = await run_in_threadpool(ops_of(request).save_pemda, p, up, period)
    return _json(body, 201, {"Location": f"/v1/pemda/{body['period']}/cascade"})


@router.get("/pemda/{period}/cascade", summary="Cascading dan crosscutting satu periode (auditor)",
            responses={200: {"content": {"application/json": {}, "text/html": {}, SARIF: {}},
                             "description": "Dokumen temuan JSON (bawaan), laporan HTML (?format=html) atau SARIF"},
                       **_problems(401, 403, 404, 503)})
async def get_cascade(request: Request, period: PeriodPath, p: Annotated[Principal, Depends(auditor)],
                      format: Literal["json", "html", "sarif"] = "json", lang: Lang = "id") -> Response:
    """Every agency's latest submission of the period checked against the period's latest Pemda tree
    (the CAS rules): the findings name both ends. Runs in a checker process within the cascade
    budget (``KINERJALINT_CASCADE_BUDGET``, 503 with Retry-After beyond), auditors only."""
    cascade, rendered = await ops_of(request).cascade(p, period, format, lang)
    if format == "html":
        return report_response(rendered)
    if format == "sarif":
        return Response(rendered, media_type=SARIF)
    return _json(cascade.document(rendered))


@router.get("/audit", summary="Catatan audit (auditor)", responses=_problems(401, 403))
def get_audit(request: Request, p: Annotated[Principal, Depends(auditor)],
              submission: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> dict[str, Any]:
    rows = ops_of(request).audit_log(p, submission, limit, offset)
    return {"entries": [audit_dict(a) for a in rows], "limit": limit, "offset": offset}


# ---- tokens -------------------------------------------------------------------------------

class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["opd", "auditor", "admin"] = Field(description=f"Peran: {', '.join(ROLES)}")
    agency: str | None = Field(default=None, max_length=200, description="Instansi (wajib untuk opd)")
    label: str = Field(default="", max_length=200, description="Catatan, mis. nama pemegang token")


@router.post("/tokens", status_code=201, summary="Buat token (admin)", responses=_problems(401, 403, 422))
def create_token(request: Request, body: TokenIn, p: Annotated[Principal, Depends(admin)]) -> JSONResponse:
    tok, secret = ops_of(request).create_token(p, body.role, body.agency, body.label)
    return JSONResponse({**token_dict(tok), "token": secret,
                         "note": "Simpan token ini sekarang: token tidak akan ditampilkan lagi."}, status_code=201)


@router.get("/tokens", summary="Daftar token (admin; tanpa rahasia)", responses=_problems(401, 403))
def list_tokens(request: Request, p: Annotated[Principal, Depends(admin)]) -> dict[str, Any]:
    return {"tokens": [token_dict(t) for t in ops_of(request).list_tokens(p)]}


@router.delete("/tokens/{token_id}", summary="Cabut token (admin)", responses=_problems(401, 403, 404))
def revoke_token(request: Request, token_id: Annotated[str, Path(max_length=32)],
                 p: Annotated[Principal, Depends(admin)]) -> dict[str, Any]:
    return token_dict(ops_of(request).revoke_token(p, token_id))
