"""The JSON findings document (versioned; schema in ``schema/findings.schema.json``)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any

from kinerjalint.version import __version__
from kinerjalint.findings import Finding, Severity
from kinerjalint.span import place_label

SCHEMA_VERSION = 1


def finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    out = {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.name,
        "message": f.message(lang),
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "cell": f.ref,
        "place": f.place(lang),
        "node_id": f.node_id,
        "path": list(f.path),
        "fix": f.fix.text(lang) if f.fix else None,
        "replacement": f.fix.replacement if f.fix else None,
        "source": f.source,
        "status": f.status,
        "status_reason": f.status_reason or None,
        "fingerprint": f.fingerprint,
    }
    related = f.extra.get("related")
    if related:  # the other ends of a government (CAS) finding
        out["related"] = [{k: r[k] for k in ("file", "line", "column", "node_id", "label")} for r in related]
    return out


_compact = json.JSONEncoder(ensure_ascii=False).encode

# finding_dict's keys in its order, as the C encoder writes them (", " and ": ").
_LINE = ('{"code": %s, "name": %s, "severity": %s, "message": %s, "file": %s, "line": %d, "column": %d, '
         '"end_line": %d, "end_column": %d, "cell": %s, "place": %s, "node_id": %s, "path": [%s], "fix": %s, '
         '"replacement": %s, "source": %s, "status": %s, "status_reason": %s, "fingerprint": %s')


def finding_json(f: Finding, lang: str) -> str:
    """``finding_dict(f, lang)`` as the compact C encoder writes it, character for character,
    without building the dictionary: every text goes through the encoder's own string escape,
    only the fixed frame of keys is written here (a third of the cost of a dict and an encode)."""
    es = encode_basestring
    fix, ref, node_id = f.fix, f.ref, f.node_id
    if f.extra.get("related"):  # the other ends of a government (CAS) finding
        return _compact(finding_dict(f, lang))
    en = lang == "en"
    try:
        text = _LINE % (
            es(f.code), es(f.name), es(f.severity.name), es(f.message_en if en else f.message_id), es(f.file),
            f.line, f.column, f.end_line, f.end_column, "null" if ref is None else es(ref),
            es(place_label(ref, lang) if ref else f"{f.line}:{f.column}"),
            "null" if node_id is None else es(node_id), ", ".join(map(es, f.path)),
            "null" if fix is None else es(fix.text_en if en else fix.text_id),
            "null" if fix is None or fix.replacement is None else es(fix.replacement),
            es(f.source), es(f.status), es(f.status_reason) if f.status_reason else "null", es(f.fingerprint))
    except TypeError:  # a value that is not a text where one is expected: let the encoder say it
        return _compact(finding_dict(f, lang))
    return text + "}"


def _frame(results: Sequence[Any], lang: str, findings: list[Any]) -> dict[str, Any]:
    """The document with each file's ``findings`` set to the matching item of ``findings``."""
    files = []
    totals = {s.name: 0 for s in Severity}
    for r, listed in zip(results, findings):
        active = r.active
        counts = {s.name: 0 for s in Severity}
        for f in active:
            counts[f.severity.name] += 1
        for name, n in counts.items():
            totals[name] += n
        entry: dict[str, Any] = {
            "file": r.source,
            "readable": not r.unreadable,
            "counts": counts,
            "findings": listed,
        }
        grade = getattr(r, "grade", None)
        if grade is not None:
            entry["grade"] = grade.to_dict()
        files.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "kinerjalint", "version": __version__},
        "lang": lang,
        "files": files,
        "summary": {"files": len(files), **totals},
    }


def document(results: Sequence[Any], lang: str = "id") -> dict[str, Any]:
    return _frame(results, lang, [[finding_dict(f, lang) for f in r.findings] for r in results])


BATCH = 1000  # findings per piece of text handed to the writer


def chunks(results: Sequence[Any], lang: str = "id") -> Iterator[str]:
    """The document of :func:`render` in pieces of about a thousand findings, so that a
    report of 200,000 findings is written as it is encoded, never held whole.

    The small frame around the findings lists is written by ``json.dumps`` with ``indent``
    (the pure-Python encoder: about 80 calls per finding if it wrote the findings too);
    each finding is one line of its own, written by :func:`finding_json`.
    """
    token = uuid.uuid4().hex  # a placeholder no text of the document can contain
    text = json.dumps(_frame(results, lang, [f"{token}-{k}" for k in range(len(results))]),
                      ensure_ascii=False, indent=2)
    for k, r in enumerate(results):
        head, text = text.split(f'"{token}-{k}"', 1)
        if not r.findings:
            yield head + "[]"
            continue
        head += "[\n        "
        batch: list[str] = []
        for f in r.findings:
            batch.append(finding_json(f, lang))
            if len(batch) == BATCH:
                yield head + ",\n        ".join(batch)
                head, batch = ",\n        ", []
        yield (head + ",\n        ".join(batch) if batch else "") + "\n      ]"
    yield text + "\n"


def render(results: Sequence[Any], lang: str = "id") -> str:
    """The document, indented, with each finding on one line of its own."""
    return "".join(chunks(results, lang))
