"""The web page in headless Chromium (selenium + Debian's chromium-driver), against a real server.

Signs in with a token, uploads the sample workbook, and reads the grade and a finding from
the rendered page. Everything stays on loopback; Chromium runs with its background
networking switched off and a fresh profile. Skipped, with the reason, only when Chromium,
its driver or selenium is not installed (``apt-get install -y chromium chromium-driver``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed: pip install -e '.[service]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed: pip install -e '.[test]'")

from tests.service_support import AGENCY_A, SAMPLE_XLSX, create_token_cli, start_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1600"]


@pytest.fixture()
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        pytest.skip(f"Chromium or its driver is not installed ({CHROMIUM}, {DRIVER}): "
                    "apt-get install -y chromium chromium-driver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kinerjalint-chromium-")
    opts = Options()
    opts.binary_location = CHROMIUM
    for f in FLAGS + [f"--user-data-dir={profile}"]:
        opts.add_argument(f)
    os.environ.setdefault("SE_AVOID_STATS", "true")
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_sign_in_upload_and_read_the_grade(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from kinerjalint.api import CheckOptions, check_file

    expected = check_file(SAMPLE_XLSX, CheckOptions(use_config=False))
    assert expected.grade is not None and expected.findings
    data_dir = tmp_path / "data"
    token = create_token_cli("opd", AGENCY_A, data_dir=data_dir)
    server = start_server(tmp_path, data_dir=data_dir)
    wait = WebDriverWait(browser, 30)
    try:
        browser.get(f"{server.url}/ui/")
        wait.until(ec.presence_of_element_located((By.ID, "token")))  # signed out: the login page
        browser.find_element(By.ID, "token").send_keys(token)
        browser.find_element(By.ID, "masuk").click()
        upload = wait.until(ec.presence_of_element_located((By.ID, "berkas")))
        upload.send_keys(str(SAMPLE_XLSX.resolve()))
        browser.find_element(By.ID, "periksa").click()
        grade = wait.until(ec.presence_of_element_located((By.ID, "predikat")))
        assert grade.text == expected.grade.predikat
        assert browser.find_element(By.ID, "nilai").text == f"{expected.grade.score:.1f}"
        first = expected.findings[0]
        rows = browser.find_elements(By.CSS_SELECTOR, f"tr.temuan-baris[data-code='{first.code}']")
        assert any(first.message("id") in r.text for r in rows)
        assert "/ui/pengiriman/" in browser.current_url
        assert AGENCY_A in browser.find_element(By.TAG_NAME, "h1").text
        browser.save_screenshot(str(tmp_path / "pengiriman.png"))
    finally:
        server.stop()


def test_auditor_waives_on_the_page_and_signing_out_ends_the_session(browser: Any, tmp_path: Path) -> None:
    """The forms as a browser really posts them (its own Origin, the page's CSRF token)."""
    import httpx
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.service_support import SAMPLE_YAML, bearer

    data_dir = tmp_path / "data"
    opd = create_token_cli("opd", AGENCY_A, data_dir=data_dir)
    auditor = create_token_cli("auditor", data_dir=data_dir)
    server = start_server(tmp_path, data_dir=data_dir)
    wait = WebDriverWait(browser, 30)
    try:
        sid = httpx.post(f"{server.url}/v1/submissions?format=yaml", content=SAMPLE_YAML.read_bytes(),
                         headers=bearer(opd), timeout=60).json()["id"]
        browser.get(f"{server.url}/")  # the web page, signed out: the sign-in form
        wait.until(ec.presence_of_element_located((By.ID, "token"))).send_keys(auditor)
        browser.find_element(By.ID, "masuk").click()
        wait.until(ec.presence_of_element_located((By.ID, "berkas")))
        browser.get(f"{server.url}/ui/pengiriman/{sid}")
        wait.until(ec.presence_of_element_located((By.ID, "kode"))).send_keys("LNG-02")
        browser.find_element(By.ID, "alasan").send_keys("istilah baku daerah")
        browser.find_element(By.ID, "kecualikan").click()
        listed = wait.until(ec.presence_of_element_located((By.ID, "daftar-pengecualian")))
        assert "istilah baku daerah" in listed.text
        cookie = browser.get_cookie("kinerjalint_sesi")
        assert cookie and cookie["httpOnly"] and cookie["value"] != auditor
        browser.find_element(By.ID, "keluar").click()
        wait.until(ec.presence_of_element_located((By.ID, "token")))
        replay = httpx.get(f"{server.url}/ui/", cookies={"kinerjalint_sesi": cookie["value"]}, timeout=30)
        assert replay.status_code == 303 and replay.headers["location"] == "/ui/login"
    finally:
        server.stop()
