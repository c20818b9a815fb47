"""The service's cascade check (issue 15): a Pemda tree per period, checked over the agencies' latest submissions."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed: pip install -e '.[service]'")

from tests.service_support import Service, bearer, make_service, web_login  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "pemda"
PEMDA = SAMPLES / "pemda-balangan.yaml"


@pytest.fixture()
def svc(tmp_path: Path) -> Service:
    return make_service(tmp_path / "data")


def _post_pemda(svc: Service, token: str, path: Path = PEMDA, **params: str):  # type: ignore[no-untyped-def]
    return svc.client.post("/v1/pemda", params=params, headers=bearer(token),
                           files={"file": (path.name, path.read_bytes())})


def test_cascade_over_the_latest_submissions_of_a_period(svc: Service) -> None:
    r = _post_pemda(svc, svc.auditor)
    assert r.status_code == 201, r.text
    assert r.json()["period"] == "2023" and r.json()["sasaran"] == 4
    for name in ("satpol-pp.yaml", "dinas-sosial.yaml", "kesbangpol.yaml"):
        agency = name.removesuffix(".yaml")
        assert svc.submit(svc.auditor, SAMPLES / "opd" / name, agency=agency).status_code == 201
    # an older submission of the same agency is replaced by its latest one
    assert svc.submit(svc.auditor, SAMPLES / "opd" / "satpol-pp.yaml", agency="satpol-pp").status_code == 201
    r = svc.client.get("/v1/pemda/2023/cascade", headers=bearer(svc.auditor))
    assert r.status_code == 200, r.text
    doc = r.json()
    assert [s["agency"] for s in doc["submissions"]] == ["dinas-sosial", "kesbangpol", "satpol-pp"]
    assert doc["files"][0]["file"] == "pemda/pemda-balangan.yaml"
    cas = {(f["code"], f["file"]) for e in doc["files"] for f in e["findings"] if f["code"].startswith("CAS")}
    assert ("CAS-04", "satpol-pp/satpol-pp.yaml") in cas and ("CAS-02", "pemda/pemda-balangan.yaml") in cas
    assert len(cas) == 8
    cas04 = next(f for e in doc["files"] for f in e["findings"] if f["code"] == "CAS-04")
    assert cas04["related"][0]["file"] == "dinas-sosial/dinas-sosial.yaml"
    html = svc.client.get("/v1/pemda/2023/cascade", params={"format": "html"}, headers=bearer(svc.auditor))
    assert html.status_code == 200 and 'id="cas-matrix"' in html.text
    sarif = svc.client.get("/v1/pemda/2023/cascade", params={"format": "sarif"}, headers=bearer(svc.auditor))
    assert any(x.get("relatedLocations") for x in sarif.json()["runs"][0]["results"])
    actions = [e["action"] for e in svc.client.get("/v1/audit", headers=bearer(svc.auditor)).json()["entries"]]
    assert "pemda" in actions and "cascade" in actions


def test_pemda_routes_are_for_auditors_and_refuse_agency_trees(svc: Service) -> None:
    assert _post_pemda(svc, svc.opd_a).status_code == 403
    assert svc.client.get("/v1/pemda/2023/cascade", headers=bearer(svc.opd_a)).status_code == 403
    r = _post_pemda(svc, svc.auditor, SAMPLES / "opd" / "satpol-pp.yaml")
    assert r.status_code == 422 and "bukan pohon Pemda" in r.json()["detail"]
    r = svc.client.get("/v1/pemda/2031/cascade", headers=bearer(svc.auditor))
    assert r.status_code == 404 and "2031" in r.json()["detail"]


def test_web_page_of_a_period(svc: Service) -> None:
    assert _post_pemda(svc, svc.auditor, period="2023").status_code == 201
    assert svc.submit(svc.auditor, SAMPLES / "opd" / "satpol-pp.yaml", agency="satpol-pp").status_code == 201
    web_login(svc, svc.auditor)
    dash = svc.client.get("/ui/dasbor")
    assert dash.status_code == 200 and "/ui/pemda/2023" in dash.text
    page = svc.client.get("/ui/pemda/2023")
    assert page.status_code == 200 and 'id="pemerintah-daerah"' in page.text


def test_cascade_runs_in_a_checker_within_its_budget(tmp_path: Path) -> None:
    """The cascade runs in the checker pool, not in the server process: past its own budget
    (KINERJALINT_CASCADE_BUDGET) it answers 503 with Retry-After, as a single check does, and
    the server keeps serving; with room it answers again."""
    from dataclasses import replace

    s = make_service(tmp_path / "d", cascade_budget=0.001)
    assert _post_pemda(s, s.auditor).status_code == 201
    for name in ("satpol-pp.yaml", "dinas-sosial.yaml"):
        assert s.submit(s.auditor, SAMPLES / "opd" / name, agency=name.removesuffix(".yaml")).status_code == 201
    for url in ("/v1/pemda/2023/cascade", "/v1/pemda/2023/cascade?format=html"):
        r = s.client.get(url, headers=bearer(s.auditor))
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] and "batas waktu 0.001 detik" in r.json()["detail"]
        assert r.json()["type"].endswith("batas-waktu")
    web_login(s, s.auditor)
    assert s.client.get("/ui/pemda/2023").status_code == 503
    assert s.client.get("/healthz").status_code == 200
    audits = s.client.get("/v1/audit", headers=bearer(s.auditor)).json()["entries"]
    assert 503 in [e["status"] for e in audits if e["action"] == "cascade"]
    s.app.state.runner.limits = replace(s.app.state.runner.limits, cascade_budget=120.0)
    ok = s.client.get("/v1/pemda/2023/cascade", headers=bearer(s.auditor))
    assert ok.status_code == 200 and ok.json()["period"] == "2023"
