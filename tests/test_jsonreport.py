"""The JSON report written in pieces: the same document as one ``json.dumps`` of the
findings dicts, whatever the findings hold, and written to a file whole or not at all."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kinerjalint.api import CheckResult, check_paths
from kinerjalint.errors import OutputError
from kinerjalint.findings import Finding, Fix, Severity
from kinerjalint.reporters import jsonreport
from kinerjalint.writers.atomic import write_atomically

from .conftest import FIXED, SAMPLE

ODD = 'kutip " garis \\ baris\nbaru\ttab \x00\x1f\x7f é … 漢字 \U0001f600 </script>'


def _finding(**kw: Any) -> Finding:
    base: dict[str, Any] = dict(
        code="LNG-02", name="diawali-kata-kerja", severity=Severity.warning, message_id="pesan " + ODD,
        message_en="message " + ODD, file="data/" + ODD + ".yaml", line=3, column=5, end_line=4, end_column=9,
        node_id="1.2", path=("Akar " + ODD, "Anak"), fix=Fix("Ganti " + ODD, "Replace " + ODD, ("pohon",), "Baru " + ODD),
        value="v " + ODD, source="PermenPANRB 89/2021")
    base.update(kw)
    return Finding(**base)


FINDINGS = [
    _finding(),
    _finding(severity=Severity.error, node_id=None, path=(), fix=None),
    _finding(severity=Severity.info, fix=Fix("Saran", "Advice"), ref="Pohon!C12"),
    _finding(ref="Tahap 3, tabel 1, baris 5, kolom 2", status="waived", status_reason="rapat " + ODD),
    _finding(status="suppressed", status_reason=""),
    _finding(code="SYS-01", name="x", source="", value=""),
]


def _related() -> Finding:
    f = _finding(code="CAS-01")
    f.extra["related"] = [{"file": "pemda.yaml", "line": 7, "column": 3, "end_line": 7, "end_column": 9,
                           "node_id": "S1", "text": ODD, "label": "Pemda " + ODD}]
    return f


@pytest.mark.parametrize("lang", ["id", "en"])
def test_finding_json_is_the_encoders_text_of_finding_dict(lang: str) -> None:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    for f in [*FINDINGS, _related()]:
        text = jsonreport.finding_json(f, lang)
        assert text == encode(jsonreport.finding_dict(f, lang))
        assert json.loads(text) == jsonreport.finding_dict(f, lang)


def test_a_value_that_is_not_a_text_is_still_encoded() -> None:
    f = _finding(path=(3, "Akar"), node_id=7)  # type: ignore[arg-type]
    assert json.loads(jsonreport.finding_json(f, "id"))["path"] == [3, "Akar"]


def _whole(results: list[CheckResult], lang: str) -> str:
    """The document as it was written before it came in pieces: dumped whole with indent,
    each finding on its own line by the compact encoder."""
    doc = jsonreport.document(results, lang)
    bodies = []
    for k, entry in enumerate(doc["files"]):
        bodies.append(entry["findings"])
        entry["findings"] = f"@@{k}@@"
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    compact = json.JSONEncoder(ensure_ascii=False).encode
    for k, findings in enumerate(bodies):
        body = ("[\n" + ",\n".join("        " + compact(f) for f in findings) + "\n      ]") if findings else "[]"
        text = text.replace(f'"@@{k}@@"', body, 1)
    return text + "\n"


@pytest.fixture(scope="module")
def samples() -> list[CheckResult]:
    return check_paths([SAMPLE, FIXED])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pieces_make_the_whole_document(samples: list[CheckResult], lang: str) -> None:
    many = [replace(FINDINGS[k % len(FINDINGS)], line=k) for k in range(2 * jsonreport.BATCH + 1)]
    exact = many[:jsonreport.BATCH]
    results = [samples[0], replace(samples[1], findings=[]), replace(samples[0], source="banyak.yaml", findings=many),
               replace(samples[1], source="pas.yaml", findings=exact), replace(samples[0], findings=[_related()])]
    pieces = list(jsonreport.chunks(results, lang))
    assert len(pieces) > 5  # written as it goes, not as one text
    text = "".join(pieces)
    assert text == _whole(results, lang) == jsonreport.render(results, lang)
    doc = json.loads(text)
    assert [len(e["findings"]) for e in doc["files"]] == [len(r.findings) for r in results]
    assert doc["summary"]["files"] == len(results)
    assert doc["files"][0]["counts"] == {s.name: samples[0].count(s) for s in Severity}


def test_pieces_are_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "laporan.json"
    write_atomically(target, (p.encode() for p in ["{", '"a": 1', "}"]))
    assert target.read_text() == '{"a": 1}'

    def failing() -> Any:
        yield b"{"
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError):
        write_atomically(target, failing())
    assert target.read_text() == '{"a": 1}'  # the old report is left as it was
    assert [p.name for p in tmp_path.iterdir()] == ["laporan.json"]  # and no temporary file
