"""Bytes in, a checked tree out: the service's only door into :mod:`kinerjalint.api`.

The upload's bytes are checked by :func:`kinerjalint.api.check_bytes`, through the same
loaders as files on disk; the display name is the uploaded file name. Configuration files
are not looked for (a service has no working folder of the submitter's): the default preset
applies, as for ``kinerjalint check`` in a folder without ``kinerjalint.yaml``.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from kinerjalint import __version__, api
from kinerjalint.api import CheckOptions, CheckResult
from kinerjalint.rulebook import Rulebook, load_rulebook
from kinerjalint.service import limits as lim
from kinerjalint.service.problems import ServiceProblem
from kinerjalint.service.settings import Limits

SUFFIX = {"yaml": ".yaml", "json": ".json", "tsv": ".tsv", "csv": ".csv", "xlsx": ".xlsx", "docx": ".docx",
          "worksheet": ".txt"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {
    "application/yaml": "yaml", "application/x-yaml": "yaml", "text/yaml": "yaml", "text/x-yaml": "yaml",
    "application/json": "json", "text/json": "json",
    "text/tab-separated-values": "tsv", "text/csv": "csv", "application/csv": "csv",
    XLSX_TYPE: "xlsx", "application/vnd.ms-excel.sheet.macroenabled.12": "xlsx", DOCX_TYPE: "docx",
}  # text/plain is a worksheet's text export only with a .txt name (plain text says nothing of its layout)
SAFE_TYPES = frozenset(CONTENT_TYPES) | {"application/octet-stream", "text/plain"}
MEDIA_TYPE = {"yaml": "application/yaml", "json": "application/json", "tsv": "text/tab-separated-values",
              "csv": "text/csv", "xlsx": XLSX_TYPE, "docx": DOCX_TYPE, "worksheet": "text/plain"}
OUTLINE_DEPTH = 40  # the drawn tree stops here; deeper branches are summarised


def format_of(explicit: str | None, filename: str | None, content_type: str | None) -> str | None:
    """The input format: ``?format=`` first, then the file name's extension, then the media type."""
    from kinerjalint.loaders import SUPPORTED

    if explicit:
        e = explicit.strip().lower().lstrip(".")
        e = {"yml": "yaml", "tab": "tsv", "xlsm": "xlsx", "txt": "worksheet"}.get(e, e)
        return e if e in SUFFIX else None
    if filename:
        fmt = SUPPORTED.get(Path(filename).suffix.lower())
        if fmt in SUFFIX:  # every format the CLI reads, the Tahap 1-5 worksheet (.docx, .txt) included
            return fmt
    if content_type:
        return CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    return None


def display_name(filename: str | None, fmt: str) -> str:
    """The uploaded file's base name, printable and short; ``unggahan.<ext>`` without one."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and unicodedata.category(c) != "Cf").strip()
    if not name or name in (".", ".."):
        name = "unggahan" + SUFFIX[fmt]
    return name[:200]


_versions: dict[int, str] = {}


def rulebook_version(rb: Rulebook) -> str:
    """A short hash of the compiled rulebook: it changes whenever any rule or word list does."""
    v = _versions.get(id(rb))
    if v is None:
        v = _versions[id(rb)] = hashlib.sha256(rb.source.encode("utf-8")).hexdigest()[:12]
    return v


def options(select: Sequence[str] = (), ignore: Sequence[str] = (), waivers: Path | None = None) -> CheckOptions:
    sel = tuple(p.strip() for v in select for p in v.split(",") if p.strip())
    ign = tuple(p.strip() for v in ignore for p in v.split(",") if p.strip())
    unknown = load_rulebook().unknown_selectors(sel + ign) if sel or ign else []
    if unknown:
        raise ServiceProblem(422, f"aturan tidak dikenal: {', '.join(unknown[:10])} (lihat GET /v1/rules)",
                             slug="aturan-tidak-dikenal")
    return CheckOptions(select=sel, ignore=ign, use_config=False, waivers=waivers)


@dataclass(frozen=True)
class Job:
    """One check to run in a checker process: the upload and what to make of it."""

    data: bytes
    filename: str
    fmt: str
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    lang: str = "id"
    waivers: tuple[dict[str, Any], ...] = ()  # an auditor's waivers, as a waiver file holds them
    outline: bool = False  # also draw the tree (web page, stored submission)
    render: str | None = None  # also render the result: "sarif", "html", or "docx" (the annotated Word copy)
    title: str = ""  # of the HTML report
    now: dt.datetime | None = None  # the HTML report's date


@dataclass(frozen=True)
class Outcome:
    """What a checker process sends back: plain data, no tree (it stays in that process)."""

    document_json: str  # the JSON findings document, exactly as the API answers it
    sha256: str
    fmt: str
    filename: str
    lang: str
    counts: dict[str, int]
    gradable: bool
    score: float | None
    predikat: str
    tree_period: str | None  # the tree's own `tahun` or `periode`
    instansi: str | None
    rulebook_version: str
    outline: list[dict[str, Any]] | None = None
    rendered: str | None = None  # SARIF or HTML when the job asked; None if the reporter is missing
    annotated: bytes | None = None  # the annotated Word copy of a .docx worksheet, when the job asked

    @property
    def tool_version(self) -> str:
        return __version__

    @cached_property
    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.document_json)
        return doc

    def period(self, explicit: str | None) -> str | None:
        if explicit and explicit.strip():
            return explicit.strip()[:40]
        return self.tree_period


@dataclass(frozen=True)
class Refused:
    """A limit the upload broke, found in the checker process; the route answers it."""

    status: int
    detail: str
    slug: str | None = None

    def problem(self) -> ServiceProblem:
        return ServiceProblem(self.status, self.detail, slug=self.slug)


COLLECT_EVERY = 20  # checks between two passes of the cyclic collector in a checker process
_jobs_done = 0


def run_job(job: Job, limits: Limits) -> Outcome | Refused:
    """Check one upload; runs in a checker process (see :class:`kinerjalint.service.limits.CheckPool`)."""
    global _jobs_done
    try:
        return _run(job, limits)
    except ServiceProblem as p:
        return Refused(p.status_code, str(p.detail), p.slug)
    finally:
        _jobs_done += 1
        if _jobs_done % COLLECT_EVERY == 0 and not gc.isenabled():
            # Whatever cycles a library left behind, now and then; then what survived (word
            # caches, mostly) is frozen too, so each pass looks only at the last few checks'
            # objects: a pause of about 3 ms, where a pass over the whole grown heap every
            # 200 checks took 40-50 ms and showed in the p99.
            gc.collect()
            gc.freeze()


def _run(job: Job, limits: Limits) -> Outcome:
    lim.precheck(job.data, job.fmt, limits)
    opts = CheckOptions(select=job.select, ignore=job.ignore, use_config=False)
    try:
        if job.waivers:  # read as a waiver file, as `check --waivers` reads one
            with tempfile.TemporaryDirectory(prefix="kinerjalint-") as tmp:
                wpath = Path(tmp) / "pengecualian-auditor.yaml"
                wpath.write_text(json.dumps({"pengecualian": list(job.waivers)}, ensure_ascii=False),
                                 encoding="utf-8")
                result = api.check_bytes(job.data, job.filename, job.fmt, replace(opts, waivers=wpath))
        else:
            result = api.check_bytes(job.data, job.filename, job.fmt, opts)
    except RecursionError:
        # a last guard: the loaders limit nesting before anything recurses that deep
        raise ServiceProblem(422, f"Struktur {job.fmt.upper()} bersarang terlalu dalam (alias YAML berlapis?).",
                             slug="terlalu-dalam") from None
    try:
        lim.postcheck(result, job.fmt, limits)
        return _outcome(job, result)
    finally:
        if result.tree is not None:
            result.tree.release()  # its memory goes back now, not in a later collector pause


def _outcome(job: Job, result: CheckResult) -> Outcome:
    from kinerjalint.reporters import jsonreport

    doc = jsonreport.document([result], job.lang)
    if job.waivers:
        for f in doc["files"][0]["findings"]:
            if f["file"].endswith(os.sep + "pengecualian-auditor.yaml"):
                f["file"] = "pengecualian auditor"
    rendered = None
    if job.render == "sarif":
        from kinerjalint.reporters import sarif

        assert result.rulebook is not None
        rendered = sarif.render([result], result.rulebook, job.lang)
    elif job.render == "html":
        try:
            from kinerjalint.reporting import htmlreport  # type: ignore[attr-defined,unused-ignore]
        except ImportError:  # the route falls back to a plain page
            pass
        else:
            rendered = htmlreport.render([result], lang=job.lang, title=job.title, now=job.now)
    annotated = annotated_docx(job, result) if job.render == "docx" else None
    g, tree = result.grade, result.tree
    period = None
    if tree is not None:
        period = str(tree.tahun) if tree.tahun is not None else (tree.periode[:40] if tree.periode else None)
    return Outcome(
        document_json=json.dumps(doc, ensure_ascii=False), sha256=hashlib.sha256(job.data).hexdigest(),
        fmt=job.fmt, filename=job.filename, lang=job.lang, counts=counts(doc),
        gradable=bool(g and g.gradable), score=g.score if g else None,
        predikat=g.predikat if g else "tidak dapat dinilai", tree_period=period,
        instansi=tree.instansi if tree is not None else None,
        rulebook_version=rulebook_version(result.rulebook) if result.rulebook else "",
        outline=outline(result) if job.outline else None, rendered=rendered, annotated=annotated)


def annotated_docx(job: Job, result: CheckResult) -> bytes:
    """The agency's own Word document with a comment on each offending paragraph or cell and
    the summary table at the end, as ``check WORKSHEET.docx --annotate OUT.docx`` writes it."""
    from kinerjalint.writers.docx_annotate import WordAnnotationError, annotate_docx

    if job.fmt != "docx":
        raise ServiceProblem(409, "Salinan beranotasi hanya dibuat dari lembar kerja Word (.docx); berkas ini "
                                  f"{job.fmt.upper()}.", slug="bukan-docx")
    with tempfile.TemporaryDirectory(prefix="kinerjalint-") as tmp:
        source, target = Path(tmp) / "asli.docx", Path(tmp) / "beranotasi.docx"
        source.write_bytes(job.data)
        try:
            annotate_docx(result, source, target, job.lang)
        except WordAnnotationError as exc:
            why = str(exc).split(": ", 1)[-1]  # without the temporary folder's path
            raise ServiceProblem(422, f"{job.filename}: {why}", slug="tidak-dapat-dianotasi") from None
        return target.read_bytes()


@dataclass(frozen=True)
class CascadeJob:
    """One period's government check to run in a checker process: the stored Pemda tree and
    each agency's latest submission, as (bytes, display name, format)."""

    pemda: tuple[bytes, str, str]
    agencies: tuple[tuple[bytes, str, str], ...]
    render: str = "json"  # "json" (the findings document), "html" (the report) or "sarif"
    lang: str = "id"
    title: str = ""


def run_cascade(job: CascadeJob, limits: Limits) -> str | Refused:
    """The CAS check of a period (as ``check --pemda`` does), rendered; runs in a checker process
    within :attr:`Limits.cascade_budget` (see :meth:`kinerjalint.service.pool.CheckPool.cascade`)."""
    from kinerjalint.api import check_government_loaded
    from kinerjalint.loaders import load_bytes

    try:
        pemda = load_bytes(*job.pemda)
        agencies = [(None, load_bytes(*a)) for a in job.agencies]
        results = check_government_loaded((None, pemda), agencies, CheckOptions(use_config=False))
        try:
            if job.render == "html":
                from kinerjalint.reporting import htmlreport

                return str(htmlreport.render(results, job.lang, job.title))
            if job.render == "sarif":
                from kinerjalint.reporters import sarif

                return str(sarif.render(results, load_rulebook(), job.lang))
            from kinerjalint.reporters import jsonreport

            return json.dumps(jsonreport.document(results, job.lang), ensure_ascii=False)
        finally:
            for r in results:
                if r.tree is not None:
                    r.tree.release()
    except ServiceProblem as p:
        return Refused(p.status_code, str(p.detail), p.slug)
    except RecursionError:
        return Refused(422, "Struktur pohon bersarang terlalu dalam.", "terlalu-dalam")


def start_checker(limits: Limits) -> None:
    """A checker process's start: the service's loader limits, the rulebook compiled, every
    rule run once on its own examples (word lists, dictionaries and caches loaded), and then
    all of that moved out of the cyclic collector's sight (``gc.freeze``), so the collector's
    full passes only look at what checks leave behind instead of the whole rulebook."""
    from kinerjalint.dsl import ast as A
    from kinerjalint.engine import run_rules
    from kinerjalint.loaders import base, yamldoc
    from kinerjalint.loaders.base import DictLocator, validate
    from kinerjalint.rulebook import example_document

    # One check per checker process: the pool already runs one process per core, so a large
    # tree is not split over a forked second process here (engine.run_rules) as on the CLI.
    os.environ["KINERJALINT_JOBS"] = "1"
    yamldoc.MAX_VALUES = min(yamldoc.MAX_VALUES, limits.max_yaml_values)
    base.MAX_DEPTH = min(base.MAX_DEPTH, limits.max_depth)
    rb = load_rulebook()
    for rule in rb.rules:
        for ex in rule.defn.examples:
            if isinstance(ex.value, A.RawText):
                continue
            locator = DictLocator()
            tree, _problems = validate(example_document(ex.value), "<pemanasan>", locator)
            if tree is None:
                continue
            try:
                run_rules(rb, tree, locator)
            except Exception:  # noqa: BLE001 -- only a warm-up: a crashing rule is reported when it runs for real
                pass
            tree.release()
    gc.collect()
    gc.freeze()
    # A check leaves no reference cycles (its tree is released), so the collector's passes
    # over each check's young objects are pure cost; run_job collects now and then instead.
    gc.disable()


def outline(result: CheckResult) -> list[dict[str, Any]]:
    """The tree as nested dicts for drawing: id, level, statement, indicators, children.

    Built without recursion (an ``induk`` chain may be thousands of nodes long); below
    :data:`OUTLINE_DEPTH` a branch is cut and its size noted.
    """
    tree = result.tree
    if tree is None:
        return []
    by_node: dict[str, list[str]] = {}
    for f in result.active:
        if f.node_id:
            by_node.setdefault(f.node_id, []).append(f.code)
    roots: list[dict[str, Any]] = []
    stack: list[tuple[Any, list[dict[str, Any]], int]] = [(n, roots, 0) for n in reversed(tree.roots)]
    while stack:
        node, into, depth = stack.pop()
        item: dict[str, Any] = {"id": node.id, "level": node.level.name if node.level is not None else "",
                                "kinerja": node.kinerja, "indikator": [i.nama for i in node.indikator],
                                "codes": sorted(set(by_node.get(node.id, []))), "anak": []}
        into.append(item)
        if depth + 1 >= OUTLINE_DEPTH and node.children:
            item["cut"] = len(node.descendants)
            continue
        stack.extend((c, item["anak"], depth + 1) for c in reversed(node.children))
    return roots


def counts(document: dict[str, Any]) -> dict[str, int]:
    c = document["files"][0]["counts"] if document["files"] else {}
    return {"error": int(c.get("error", 0)), "warning": int(c.get("warning", 0)), "info": int(c.get("info", 0))}


def diff(new: dict[str, Any], old: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Active findings of two documents matched by fingerprint (as multisets)."""
    def active(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [f for file in doc["files"] for f in file["findings"] if f["status"] == "active"]

    pool: dict[str, list[dict[str, Any]]] = {}
    for f in active(old):
        pool.setdefault(f["fingerprint"], []).append(f)
    added, persisting = [], []
    for f in active(new):
        left = pool.get(f["fingerprint"])
        if left:
            left.pop()
            persisting.append(f)
        else:
            added.append(f)
    resolved = [f for fs in pool.values() for f in fs]
    return {"new": added, "resolved": resolved, "persisting": persisting}
