"""SARIF 2.1.0, as GitHub code scanning and SARIF viewers read it.

One run. ``tool.driver.rules`` holds every rule of the rulebook (plus a bare descriptor
for a finding whose code the rulebook lacks), so ``ruleIndex`` always points into it.

Choices worth knowing:

* Paths are relative to ``root`` (the current folder by default), with forward slashes,
  percent-encoded, and ``uriBaseId`` ``%SRCROOT%``; a file outside ``root`` gets an
  absolute ``file:`` URI.
* Columns count Unicode code points, as the loaders do (``run.columnKind``); the end
  column is exclusive, as in SARIF.
* A spreadsheet finding (``ref`` ``Pohon!C12``) names its cell in the message and in a
  logical location; its region keeps only ``startLine`` (GitHub requires one).
* A worksheet finding (``ref`` "Tahap 3, tabel 1, baris 5, kolom 2") names its place in the
  message and as a logical location ("Tahap 3 > tabel 1 > baris 5 > kolom 2"); its
  ``startLine`` is the line of the text export (for a .docx, the line the paragraph or
  table row has in the text export Word writes: one line each).
* Message strings follow SARIF §3.11: ``{`` and ``}`` are doubled (placeholder syntax),
  and the ``](`` of an embedded link is broken, so text from a tree never becomes a link.
* Fixes are text only (message and ``properties``); no ``artifactChanges``.
* Accepted findings carry ``suppressions``: an inline ``abaikan`` comment is ``inSource``,
  a waiver or a baseline entry ``external`` (the finding does not record whether a waiver
  sat in the document or in a waiver file).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kinerjalint.version import __version__
from kinerjalint.findings import Finding, Severity
from kinerjalint.reporters import printable, relative_path
from kinerjalint.reporters.markdown import escape as md_escape
from kinerjalint.ruledocs import rule_dict
from kinerjalint.span import is_worksheet_place, place_label, place_parts

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult
    from kinerjalint.dsl.compiled import CompiledRule
    from kinerjalint.rulebook import Rulebook

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "kinerjalint/v1"
LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
SUPPRESSION_KIND = {"suppressed": "inSource", "waived": "external", "baselined": "external"}
_LABELS = {
    "id": {"source": "Sumber", "message": "Pesan", "fix": "Saran"},
    "en": {"source": "Source", "message": "Message", "fix": "Fix"},
}


def message_text(text: str) -> str:
    """A SARIF message string from untrusted text: no placeholders, no embedded links."""
    return printable(text).replace("{", "{{").replace("}", "}}").replace("](", "] (")


def artifact_location(source: str, root: str | Path | None = None) -> dict[str, str]:
    """``{"uri", "uriBaseId"}`` for a file below ``root``; an absolute file URI otherwise."""
    rel = relative_path(source, root)
    if rel is None:
        return {"uri": Path(os.path.abspath(source)).as_uri()}
    # surrogateescape: a file name that is not UTF-8 keeps its bytes, percent-encoded
    return {"uri": quote(rel.as_posix(), safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def _information_uri() -> str | None:
    try:
        meta = metadata.metadata("kinerjalint")
    except metadata.PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation", "repository", "source"):
            return url.strip()
    home = meta.get_all("Home-page") or []
    return str(home[0]).strip() if home else None


def _descriptor(rule: CompiledRule, lang: str) -> dict[str, Any]:
    d = rule_dict(rule)
    k = "en" if lang == "en" else "id"
    lab = _LABELS[k]
    title = rule.title(lang)
    rationale = d["rationale"][k] or title
    text = [rationale, "", f"{lab['source']}: {d['source']}", f"{lab['message']}: {d['message'][k]}"]
    md = [md_escape(rationale, newline="\n"), "", f"**{lab['source']}:** {md_escape(d['source'])}",
          f"**{lab['message']}:** {md_escape(d['message'][k])}"]
    if d["fix"]:
        text.append(f"{lab['fix']}: {d['fix'][k]}")
        md.append(f"**{lab['fix']}:** {md_escape(d['fix'][k])}")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": message_text(title)},
        "fullDescription": {"text": message_text(rationale)},
        "help": {"text": message_text("\n".join(text)), "markdown": message_text("  \n".join(md))},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"group": rule.group, "tags": ["pohon-kinerja", rule.group], "source": d["source"]},
    }


def _bare_descriptor(f: Finding) -> dict[str, Any]:
    return {"id": f.code, "name": f.name, "shortDescription": {"text": message_text(f.code)},
            "defaultConfiguration": {"level": LEVEL[f.severity]}}


def _region(f: Finding) -> dict[str, int]:
    region = {"startLine": max(f.line, 1)}
    if f.ref or f.column < 1:
        return region
    region["startColumn"] = f.column
    if (f.end_line, f.end_column) >= (f.line, f.column) and f.end_column >= 1:
        region["endLine"] = f.end_line
        region["endColumn"] = f.end_column
    return region


def _message(f: Finding, lang: str) -> str:
    text = f.message(lang)
    if f.ref:
        text = f"{f.place(lang)}: {text}"
    if f.fix is not None:
        text += f"\n{_LABELS['en' if lang == 'en' else 'id']['fix']}: {f.fix.text(lang)}"
    return message_text(text)


def _logical(f: Finding, lang: str = "id") -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if f.node_id is not None:
        node = {"name": f.node_id, "kind": "element"}
        if f.path:
            node["fullyQualifiedName"] = " > ".join(f.path)
        out.append(node)
    if f.ref and is_worksheet_place(f.ref):
        # A worksheet place: stage > table > row > column (or stage > paragraph), by name.
        parts = place_parts(place_label(f.ref, lang))
        kind = "text" if len(parts) <= 2 else "element"
        out.append({"name": parts[-1], "fullyQualifiedName": " > ".join(parts), "kind": kind})
    elif f.ref:
        out.append({"name": f.ref.rsplit("!", 1)[-1], "fullyQualifiedName": f.ref, "kind": "element"})
    return out


def _properties(f: Finding, lang: str) -> dict[str, Any]:
    props: dict[str, Any] = {"status": f.status}
    if f.ref:
        props["cell"] = f.ref
    if f.path:
        props["treePath"] = list(f.path)
    if f.fix is not None:
        props["fix"] = f.fix.text(lang)
        if f.fix.replacement is not None:
            props["replacement"] = f.fix.replacement
    if f.source:
        props["source"] = f.source
    return props


def _related(f: Finding, root: str | Path | None) -> list[dict[str, Any]]:
    """The other ends of a government (CAS) finding as SARIF related locations."""
    out: list[dict[str, Any]] = []
    for i, rel in enumerate(f.extra.get("related", ())):
        region = {"startLine": max(rel["line"], 1), "startColumn": max(rel["column"], 1)}
        out.append({"id": i + 1, "physicalLocation": {"artifactLocation": artifact_location(rel["file"], root),
                                                      "region": region},
                    "message": {"text": message_text(f"{rel['label']}: {rel.get('text') or rel.get('node_id') or ''}")}})
    return out


def _result(f: Finding, index: int, location: dict[str, str], lang: str,
            root: str | Path | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {"physicalLocation": {"artifactLocation": location, "region": _region(f)}}
    logical = _logical(f, lang)
    if logical:
        loc["logicalLocations"] = logical
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index,
        "level": LEVEL[f.severity],
        "message": {"text": _message(f, lang)},
        "locations": [loc],
        "partialFingerprints": {FINGERPRINT: f.fingerprint},
        "properties": _properties(f, lang),
    }
    related = _related(f, root)
    if related:
        out["relatedLocations"] = related
    if f.status != "active":
        out["suppressions"] = [{"kind": SUPPRESSION_KIND.get(f.status, "external"), "status": "accepted",
                                "justification": f.status_reason or f.status}]
    return out


def _printable(value: Any) -> Any:
    """Every string of the run through :func:`printable`: nothing unencodable reaches the file."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


def document(results: Sequence[CheckResult], rulebook: Rulebook, lang: str = "id",
             root: str | Path | None = None) -> dict[str, Any]:
    rules = [_descriptor(r, lang) for r in rulebook.rules]
    index = {r.code: i for i, r in enumerate(rulebook.rules)}
    out: list[dict[str, Any]] = []
    for r in results:
        location = artifact_location(r.source, root)
        for f in r.findings:
            if f.code not in index:
                index[f.code] = len(rules)
                rules.append(_bare_descriptor(f))
            out.append(_result(f, index[f.code], location, lang, root))
    driver: dict[str, Any] = {"name": "kinerjalint", "version": __version__, "semanticVersion": __version__}
    uri = _information_uri()
    if uri:
        driver["informationUri"] = uri
    driver["rules"] = rules
    run = {"tool": {"driver": driver}, "language": "en" if lang == "en" else "id",
           "columnKind": "unicodeCodePoints", "results": out}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [_printable(run)]}


def render(results: Sequence[CheckResult], rulebook: Rulebook, lang: str = "id",
           root: str | Path | None = None) -> str:
    return json.dumps(document(results, rulebook, lang, root), ensure_ascii=False, indent=2) + "\n"
