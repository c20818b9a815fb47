"""The application services: what the service does, whoever asks (the JSON API or the web page).

Layers, one direction: route modules (:mod:`.routes` for ``/v1``, :mod:`.web` for ``/ui``:
HTTP only, they parse a request, call one operation and shape its answer) -> these
operations (lint, submit, list, read, report, diff, waive, audit log, tokens, dashboard,
the cascade of a period)
-> the store and the checker pool, which check through :mod:`kinerjalint.api` exactly as
the CLI does. Neither route module imports the other; every rule of who may see or change
what, and every audit entry, is here, so both doors behave alike.

Operations raise :class:`~kinerjalint.service.problems.ServiceProblem` for a refusal; the
route modules answer it as problem+json or as a page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi.concurrency import run_in_threadpool

from kinerjalint.api import CheckOptions
from kinerjalint.service import linting
from kinerjalint.service.auth import (
    SESSION_LIFETIME,
    Principal,
    clean_agency,
    forget_tokens,
    principal_for,
    validate_role,
)
from kinerjalint.service.pool import CheckPool
from kinerjalint.service.problems import ServiceProblem
from kinerjalint.service.store import (
    AuditEntry,
    Filters,
    PemdaTreeRow,
    Store,
    Submission,
    Token,
    WaiverRow,
    aware,
    utcnow,
)

# (submission, its effective findings document) -> a plain HTML page; the web module's, handed in by the app
FallbackReport = Callable[[Submission, dict[str, Any]], str]


@dataclass(frozen=True)
class Upload:
    """A tree as it arrived: bytes, display name, input format, the sender's media type."""

    data: bytes
    filename: str
    fmt: str
    content_type: str

    @classmethod
    def of(cls, sub: Submission) -> Upload:
        return cls(data=sub.original, filename=sub.filename, fmt=sub.fmt, content_type=sub.content_type)


@dataclass(frozen=True)
class Review:
    """A waiver just added and the submission's grade with every waiver applied."""

    waiver: WaiverRow
    score: float | None
    predikat: str


def effective_findings(sub: Submission) -> dict[str, Any]:
    """The findings document with the auditors' waivers applied (as submitted when none)."""
    doc: dict[str, Any] = json.loads(sub.reviewed_findings or sub.findings)
    return doc


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


def waiver_entry(w: WaiverRow) -> dict[str, Any]:
    """A stored waiver as a waiver file holds it (what the checker reads)."""
    entry: dict[str, Any] = {"kode": w.code, "alasan": w.reason, "penyetuju": f"auditor {w.token_id}"}
    if w.node:
        entry["node"] = w.node
    return entry


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


def agency_for(p: Principal, named: str | None, tree_agency: str | None) -> str:
    """The agency a submission is filed under: an opd token's own; else the one named or the tree's."""
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


@dataclass(frozen=True)
class Cascade:
    """The government check of a period: its latest Pemda tree over each agency's latest submission."""

    period: str
    pemda: PemdaTreeRow
    submissions: list[Submission]

    def job(self, render: str, lang: str) -> linting.CascadeJob:
        """What a checker process needs: the stored bytes, named as ``check --pemda`` would name files."""
        return linting.CascadeJob(
            pemda=(self.pemda.original, f"pemda/{self.pemda.filename}", self.pemda.fmt),
            agencies=tuple((s.original, f"{s.agency}/{s.filename}", s.fmt) for s in self.submissions),
            render=render, lang=lang, title=f"Cascading {self.period}")

    def document(self, rendered: str) -> dict[str, Any]:
        """The JSON findings document of the check with the period, Pemda tree and submissions named."""
        doc: dict[str, Any] = json.loads(rendered)
        doc["period"] = self.period
        doc["pemda"] = {"id": self.pemda.id, "filename": self.pemda.filename, "sha256": self.pemda.sha256}
        doc["submissions"] = [{"id": s.id, "agency": s.agency} for s in self.submissions]
        return doc


class Operations:
    """Every operation of the service over one store and one checker pool."""

    def __init__(self, store: Store, runner: CheckPool, fallback_report: FallbackReport) -> None:
        self.store = store
        self.runner = runner
        self.fallback_report = fallback_report

    # ---- web sessions -----------------------------------------------------------------

    def sign_in(self, secret: str) -> tuple[Principal, str, str] | None:
        """A web session for a valid token: (who, session id for the cookie, CSRF token)."""
        p = principal_for(self.store, secret.strip())
        if p is None:
            return None
        sid, csrf = self.store.create_session(p.token_id, SESSION_LIFETIME)
        self.store.audit(p.who, "masuk", None, None, 200, "halaman web")
        return p, sid, csrf

    def sign_out(self, p: Principal | None, sid: str) -> None:
        """End the session in the store: its cookie, wherever it was copied, opens nothing any more."""
        if self.store.end_session(sid) and p is not None:
            self.store.audit(p.who, "keluar", None, None, 200, "halaman web")

    # ---- checking ---------------------------------------------------------------------

    async def check(self, up: Upload, opts: CheckOptions, lang: str, waivers: list[dict[str, Any]] | None = None, *,
                    outline: bool = False, render: str | None = None, title: str = "",
                    now: dt.datetime | None = None) -> linting.Outcome:
        job = linting.Job(up.data, up.filename, up.fmt, opts.select, opts.ignore, lang, tuple(waivers or ()),
                          outline=outline, render=render, title=title, now=now)
        outcome: linting.Outcome = await self.runner.run(job)
        return outcome

    def options(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> CheckOptions:
        """Check options from ``select``/``ignore`` lists (comma lists allowed); an unknown rule is 422."""
        return linting.options(select, ignore)

    async def lint(self, up: Upload, opts: CheckOptions, lang: str = "id", *, sarif: bool = False,
                   outline: bool = False) -> linting.Outcome:
        """Check one tree without storing it (``POST /v1/lint``, the web page's check)."""
        return await self.check(up, opts, lang, render="sarif" if sarif else None, outline=outline)

    # ---- rules ------------------------------------------------------------------------

    def rules(self) -> dict[str, Any]:
        from kinerjalint.rulebook import load_rulebook
        from kinerjalint.ruledocs import rule_dict

        rb = load_rulebook()
        return {"rulebook_version": linting.rulebook_version(rb), "rules": [rule_dict(r) for r in rb.rules]}

    def rule(self, code: str) -> dict[str, Any]:
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

    # ---- submissions ------------------------------------------------------------------

    def may_submit(self, p: Principal, agency: str | None) -> None:
        """Refuse an opd token's submission for a foreign agency before any work (no I/O)."""
        if p.role == "opd":
            agency_for(p, agency, None)

    async def submit(self, p: Principal, up: Upload, agency: str | None, period: str | None,
                     lang: str = "id") -> tuple[Submission, linting.Outcome]:
        """Check and store one tree; returns after the commit."""
        self.may_submit(p, agency)
        outcome = await self.check(up, linting.options(), lang, outline=True)
        sub = new_submission(outcome, up, agency_for(p, agency, outcome.instansi), period, p)
        await run_in_threadpool(self.store.add_submission, sub, p.who)
        return sub, outcome

    def visible(self, p: Principal, sub_id: int, action: str, *, original: bool = False,
                findings: bool = False) -> Submission:
        """The submission if this caller may see it; 404 otherwise (audited either way)."""
        sub = self.store.get_submission(sub_id, original=original, findings=findings)
        if sub is None or not p.may_read(sub):
            self.store.audit(p.who, action, sub_id, None, 404)
            raise ServiceProblem(404, f"Pengiriman {sub_id} tidak ada.", slug="pengiriman-tidak-ada")
        return sub

    def list_submissions(self, p: Principal, agency: str | None = None, period: str | None = None,
                         predikat: str | None = None, limit: int = 100, offset: int = 0,
                         via: str | None = None) -> list[Submission]:
        """What this caller may see, newest first; an opd token sees only its own agency's."""
        if p.role == "opd":
            if agency is not None and clean_agency(agency) != p.agency:
                rows: list[Submission] = []  # another agency's submissions are never listed
            else:
                rows = self.store.list_submissions(Filters(p.agency, period, predikat, limit, offset))
        else:
            rows = self.store.list_submissions(Filters(clean_agency(agency), period, predikat, limit, offset))
        detail = via if via is not None else json.dumps(
            {k: v for k, v in (("agency", agency), ("period", period), ("predikat", predikat)) if v},
            ensure_ascii=False)
        self.store.audit(p.who, "list", None, None, 200, detail)
        return rows

    def read(self, p: Principal, sub_id: int, via: str | None = None) -> tuple[Submission, list[WaiverRow]]:
        """One submission with its findings and waivers."""
        sub = self.visible(p, sub_id, "read", findings=True)
        waivers = self.store.waivers(sub_id)
        self.store.audit(p.who, "read", sub_id, sub.sha256, 200, via)
        return sub, waivers

    def against_previous(self, sub: Submission) -> dict[str, Any] | None:
        """The diff against the same agency's submission before this one (None for the first)."""
        prev = self.store.previous(sub)
        if prev is None:
            return None
        prev_full = self.store.get_submission(prev.id, findings=True)
        assert prev_full is not None
        return diff_body(sub, prev_full)

    def original(self, p: Principal, sub_id: int) -> Submission:
        """The submission with its original bytes."""
        sub = self.visible(p, sub_id, "original", original=True)
        self.store.audit(p.who, "original", sub_id, sub.sha256, 200)
        return sub

    async def report(self, p: Principal, sub_id: int, lang: str = "id") -> str:
        """The HTML report of one submission: the HTML reporter's page when it is installed,
        a plain escaped page of the findings otherwise."""
        sub = await run_in_threadpool(self.visible, p, sub_id, "report", original=True, findings=True)
        waivers = [waiver_entry(w) for w in await run_in_threadpool(self.store.waivers, sub.id)]
        title = f"Pengiriman {sub.id}: {sub.agency}" + (f" ({sub.period})" if sub.period else "")
        outcome = await self.check(Upload.of(sub), linting.options(), lang, waivers, render="html", title=title,
                                   now=aware(sub.created_at))
        html = outcome.rendered if outcome.rendered is not None else self.fallback_report(sub, effective_findings(sub))
        await run_in_threadpool(self.store.audit, p.who, "report", sub_id, sub.sha256, 200)
        return html

    async def annotated(self, p: Principal, sub_id: int, lang: str = "id") -> tuple[Submission, bytes]:
        """The annotated Word copy of a stored .docx worksheet (the original is never changed):
        a comment on each offending paragraph or cell, with the auditors' waivers applied, and
        the summary table at the end, as ``check WORKSHEET.docx --annotate OUT.docx`` writes."""
        sub = await run_in_threadpool(self.visible, p, sub_id, "annotated", original=True)
        if sub.fmt != "docx":
            await run_in_threadpool(self.store.audit, p.who, "annotated", sub_id, sub.sha256, 409)
            raise ServiceProblem(409, f"Pengiriman {sub_id} berformat {sub.fmt.upper()}: salinan beranotasi hanya "
                                      "dibuat dari lembar kerja Word (.docx).", slug="bukan-docx")
        waivers = [waiver_entry(w) for w in await run_in_threadpool(self.store.waivers, sub.id)]
        outcome = await self.check(Upload.of(sub), linting.options(), lang, waivers, render="docx")
        assert outcome.annotated is not None
        await run_in_threadpool(self.store.audit, p.who, "annotated", sub_id, sub.sha256, 200)
        return sub, outcome.annotated

    def diff(self, p: Principal, sub_id: int, other: int) -> dict[str, Any]:
        a = self.visible(p, sub_id, "diff", findings=True)
        b = self.visible(p, other, "diff", findings=True)
        self.store.audit(p.who, "diff", sub_id, a.sha256, 200, f"terhadap {other}")
        return diff_body(a, b)

    # ---- waivers ----------------------------------------------------------------------

    async def add_waiver(self, p: Principal, sub_id: int, code: str, node: str | None, reason: str) -> Review:
        """An auditor's waiver with its reason; the submission is checked again with every waiver."""
        from kinerjalint.rulebook import load_rulebook

        if not p.reads_all:
            raise ServiceProblem(403, "Hanya token auditor atau admin yang boleh melakukan ini.")
        asked = code
        code = code.strip().upper()
        reason = reason.strip()
        if not reason:
            raise ServiceProblem(422, "Alasan pengecualian wajib diisi.")
        rb = load_rulebook()
        if rb.get(code) is None and code not in {r.group.upper() for r in rb.rules}:
            raise ServiceProblem(422, f"Aturan '{asked}' tidak ada (lihat GET /v1/rules).",
                                 slug="aturan-tidak-dikenal")
        sub = await run_in_threadpool(self.visible, p, sub_id, "waiver", original=True)
        row = WaiverRow(submission_id=sub_id, code=code, node=(node or "").strip() or None, reason=reason,
                        token_id=p.token_id, created_at=utcnow())
        waivers = [waiver_entry(w) for w in await run_in_threadpool(self.store.waivers, sub_id)] + [waiver_entry(row)]
        outcome = await self.check(Upload.of(sub), linting.options(), "id", waivers)
        await run_in_threadpool(self.store.add_waiver, row, (outcome.document_json, outcome.score, outcome.predikat),
                                p.who, sub.sha256)
        return Review(row, outcome.score, outcome.predikat)

    # ---- auditors ---------------------------------------------------------------------

    def audit_log(self, p: Principal, submission: int | None, limit: int, offset: int) -> list[AuditEntry]:
        if not p.reads_all:
            raise ServiceProblem(403, "Hanya token auditor atau admin yang boleh melakukan ini.")
        return self.store.audit_entries(submission, limit, offset)

    def dashboard(self, p: Principal) -> list[dict[str, Any]]:
        """Each agency's latest submission with its score trend against the one before."""
        if not p.reads_all:
            raise ServiceProblem(403, "Dasbor hanya untuk auditor.")
        rows = []
        for latest, prev in self.store.latest_per_agency():
            a, b = latest.effective_score, prev.effective_score if prev else None
            rows.append({"agency": latest.agency, "id": latest.id, "period": latest.period, "score": a,
                         "predikat": latest.effective_predikat, "previous": prev.id if prev else None,
                         "trend": round(a - b, 1) if a is not None and b is not None else None,
                         "at": aware(latest.created_at).strftime("%Y-%m-%d %H:%M UTC")})
        self.store.audit(p.who, "dashboard", None, None, 200)
        return rows

    def pemda_periods(self, rows: Sequence[dict[str, Any]]) -> list[str]:
        """The periods of the dashboard's rows that have a stored Pemda tree (a cascade page each)."""
        return sorted({str(r["period"]) for r in rows if r["period"] and self.store.latest_pemda(str(r["period"]))})

    # ---- the whole government (issue 15) ----------------------------------------------

    def _auditor(self, p: Principal) -> None:
        if not p.reads_all:
            raise ServiceProblem(403, "Hanya auditor yang boleh mengelola pohon Pemda dan pemeriksaan cascading.")

    def save_pemda(self, p: Principal, up: Upload, period: str | None) -> dict[str, Any]:
        """Store a Pemda tree for a period; the latest of a period is the one its cascade check uses."""
        import hashlib

        from kinerjalint.loaders import load_bytes

        self._auditor(p)
        loaded = load_bytes(up.data, up.filename, up.fmt)
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
        self.store.add_pemda(row, p.who)
        return {"id": row.id, "period": chosen, "filename": row.filename, "sha256": row.sha256,
                "problems": [pr.args.get("detail", pr.code) for pr in loaded.problems],
                "tujuan": len(tree.tujuan), "sasaran": len(tree.sasaran)}

    def _cascade_of(self, p: Principal, period: str) -> Cascade:
        self._auditor(p)
        row = self.store.latest_pemda(period)
        if row is None:
            self.store.audit(p.who, "cascade", None, None, 404, period)
            raise ServiceProblem(404, f"Belum ada pohon Pemda untuk periode {period} (POST /v1/pemda).",
                                 slug="pemda-tidak-ada")
        return Cascade(period, row, self.store.latest_of_period(period))

    async def cascade(self, p: Principal, period: str, render: str = "json",
                      lang: str = "id") -> tuple[Cascade, str]:
        """Every agency's latest submission of the period against the period's latest Pemda tree,
        checked in a checker process within the cascade budget (503 beyond, as single checks):
        (what was checked, the JSON document, HTML report or SARIF log)."""
        cascade = await run_in_threadpool(self._cascade_of, p, period)
        try:
            rendered = await self.runner.cascade(cascade.job(render, lang))
        except ServiceProblem as exc:
            await run_in_threadpool(self.store.audit, p.who, "cascade", None, cascade.pemda.sha256,
                                    exc.status_code, period)
            raise
        await run_in_threadpool(self.store.audit, p.who, "cascade", None, cascade.pemda.sha256, 200, period)
        return cascade, rendered

    # ---- tokens -----------------------------------------------------------------------

    def _admin(self, p: Principal) -> None:
        if p.role != "admin":
            raise ServiceProblem(403, "Hanya token admin yang boleh mengelola token.")

    def create_token(self, p: Principal, role: str, agency: str | None, label: str) -> tuple[Token, str]:
        self._admin(p)
        agency = clean_agency(agency)
        validate_role(role, agency)
        label = " ".join(label.split())
        if not label.isprintable():
            raise ServiceProblem(422, "Label token harus teks satu baris.")
        return self.store.create_token(role, agency, label)

    def list_tokens(self, p: Principal) -> list[Token]:
        self._admin(p)
        return self.store.list_tokens()

    def revoke_token(self, p: Principal, token_id: str) -> Token:
        self._admin(p)
        tok = self.store.revoke_token(token_id)
        forget_tokens()  # no request of this server trusts the revoked token any longer
        if tok is None:
            raise ServiceProblem(404, f"Token '{token_id}' tidak ada.", slug="token-tidak-ada")
        return tok
