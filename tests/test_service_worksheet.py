"""The service reads the Tahap 1-5 worksheet (issue 14 over HTTP): Word (.docx) and its text export (.txt)
on POST /v1/lint, /v1/submissions and the web upload, the worksheet places in answers and pages, and
the annotated Word copy of a stored .docx submission."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed: pip install -e '.[service]'")

from tests.service_support import Service, bearer, make_service, web_login  # noqa: E402

WORKSHEETS = Path(__file__).resolve().parent.parent / "samples" / "worksheet"
DOCX = WORKSHEETS / "balangan-kesbangpol-worksheet.docx"
TXT = WORKSHEETS / "balangan-kesbangpol-worksheet.txt"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PLACE = re.compile(r"^Tahap [1-5], (tabel \d+, baris \d+, kolom \d+|paragraf \d+)$")


@pytest.fixture()
def svc(tmp_path: Path) -> Service:
    return make_service(tmp_path / "data")


def _findings(doc: dict) -> list[dict]:  # type: ignore[type-arg]
    return [f for e in doc["files"] for f in e["findings"]]


def _key(doc: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return sorted((f["code"], f["place"]) for f in _findings(doc))


def test_lint_reads_word_and_its_text_export_with_worksheet_places(svc: Service) -> None:
    h = bearer(svc.opd_a)
    word = svc.client.post("/v1/lint", headers=h, files={"file": (DOCX.name, DOCX.read_bytes(), DOCX_TYPE)})
    assert word.status_code == 200, word.text
    # raw bodies: the Word media type alone; text/plain only with a .txt name
    raw = svc.client.post("/v1/lint", headers={**h, "Content-Type": DOCX_TYPE}, content=DOCX.read_bytes())
    text = svc.client.post("/v1/lint", params={"filename": TXT.name}, headers={**h, "Content-Type": "text/plain"},
                           content=TXT.read_bytes())
    assert raw.status_code == 200 and text.status_code == 200, text.text
    found = _findings(word.json())
    assert found and not [f for f in found if f["code"].startswith("SYS")]
    assert all(PLACE.match(f["place"]) for f in found if f["place"]), {f["place"] for f in found}
    lng02 = next(f for f in found if f["code"] == "LNG-02" and f["path"][-1].startswith("Meningkatkan Rasa Aman"))
    assert lng02["place"].startswith("Tahap 1, paragraf")
    assert any(f["code"] == "T3-01" and f["place"].startswith("Tahap ") and "Terkoordinirnya" in f["message"]
               for f in found)
    assert _key(word.json()) == _key(raw.json()) == _key(text.json())  # the same worksheet, the same findings
    # text/plain without a .txt name says nothing of the layout: still 415, with the formats named
    plain = svc.client.post("/v1/lint", headers={**h, "Content-Type": "text/plain"}, content=TXT.read_bytes())
    assert plain.status_code == 415 and "docx" in plain.json()["detail"] and "txt" in plain.json()["detail"]


def test_a_damaged_docx_is_a_finding_not_a_crash(svc: Service) -> None:
    r = svc.client.post("/v1/lint", headers=bearer(svc.opd_a), files={"file": ("rusak.docx", b"bukan zip", DOCX_TYPE)})
    assert r.status_code == 200
    assert [f["code"] for f in _findings(r.json())] == ["SYS-01"]


def test_stored_docx_keeps_its_original_and_gives_the_annotated_copy(svc: Service) -> None:
    from docx import Document

    r = svc.submit(svc.opd_a, DOCX)
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["format"] == "docx"
    h = bearer(svc.opd_a)
    orig = svc.client.get(f"/v1/submissions/{sub['id']}/original", headers=h)
    assert orig.content == DOCX.read_bytes() and orig.headers["content-type"].startswith(DOCX_TYPE)
    got = svc.client.get(f"/v1/submissions/{sub['id']}/annotated", headers=h)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith(DOCX_TYPE)
    assert "balangan-kesbangpol-worksheet-kinerjalint.docx" in got.headers["content-disposition"]
    annotated = Document(io.BytesIO(got.content))
    comments = list(annotated.comments)
    assert comments and all(c.author == "kinerjalint" for c in comments)
    assert any("[LNG-02]" in c.text for c in comments)
    body = "\n".join(p.text for p in annotated.paragraphs)
    assert "Hasil pemeriksaan kinerjalint" in body  # the summary at the end
    original = Document(io.BytesIO(DOCX.read_bytes()))
    assert [p.text for p in original.paragraphs] == [p.text for p in annotated.paragraphs][: len(original.paragraphs)]
    # another agency sees nothing; a YAML submission has no Word copy
    assert svc.client.get(f"/v1/submissions/{sub['id']}/annotated", headers=bearer(svc.opd_b)).status_code == 404
    yaml_sub = svc.submit(svc.opd_a).json()
    no = svc.client.get(f"/v1/submissions/{yaml_sub['id']}/annotated", headers=h)
    assert no.status_code == 409 and ".docx" in no.json()["detail"]
    actions = [e["action"] for e in svc.client.get("/v1/audit", headers=bearer(svc.auditor)).json()["entries"]]
    assert "annotated" in actions
    # the HTML report names the worksheet places too
    report = svc.client.get(f"/v1/submissions/{sub['id']}/report", headers=h)
    assert report.status_code == 200 and "Tahap 3, tabel 1, baris" in report.text


def test_web_upload_of_a_worksheet_shows_places_and_offers_the_word_copy(svc: Service) -> None:
    csrf = web_login(svc, svc.opd_a)
    checked = svc.client.post("/ui/periksa", data={"csrf": csrf}, files={"file": (TXT.name, TXT.read_bytes())})
    assert checked.status_code == 200, checked.text
    assert "Tahap 3, tabel 1, baris" in checked.text and "Tahap 1, paragraf" in checked.text
    stored = svc.client.post("/ui/periksa", data={"csrf": csrf, "simpan": "1"},
                             files={"file": (DOCX.name, DOCX.read_bytes())}, follow_redirects=False)
    assert stored.status_code == 303, stored.text
    page = svc.client.get(stored.headers["location"])
    assert "Tahap 3, tabel 1, baris" in page.text and 'id="anotasi"' in page.text
    link = re.search(r'id="anotasi" href="([^"]+)"', page.text)
    assert link is not None
    word = svc.client.get(link.group(1))
    assert word.status_code == 200 and word.headers["content-type"].startswith(DOCX_TYPE)
    # a text-export submission has no Word copy to offer
    stored_txt = svc.client.post("/ui/periksa", data={"csrf": csrf, "simpan": "1"},
                                 files={"file": (TXT.name, TXT.read_bytes())}, follow_redirects=False)
    assert 'id="anotasi"' not in svc.client.get(stored_txt.headers["location"]).text


def test_docx_unpacked_size_is_limited_like_xlsx(tmp_path: Path) -> None:
    s = make_service(tmp_path / "d", max_unpacked=10_000)
    r = s.client.post("/v1/lint", headers=bearer(s.opd_a), files={"file": (DOCX.name, DOCX.read_bytes())})
    assert r.status_code == 422 and r.json()["type"].endswith("docx-terlalu-besar") and "DOCX" in r.json()["detail"]
