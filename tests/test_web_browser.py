"""The review application in a real browser: headless Chromium (the system's
package, driven by Selenium through the system's chromedriver; nothing is
downloaded) against `unionfacts serve` on a free port, over a small invented
corpus. Each test saves a screenshot of the pages it visits in its tmp_path.

Skipped, with the reason, when Chromium or chromedriver is not installed
(`.ci/run` installs them)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from unionfacts.store import open_database
from web_corpus import RULES, ingest_and_check, write_corpus

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs the system's chromium and chromedriver "
    "(apt-get install chromium chromium-driver)",
)
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # Selenium Manager must not look for a driver or browser to download.
    os.environ.setdefault("SE_OFFLINE", "true")
    os.environ.setdefault("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ARGS:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(3)
    yield driver
    driver.quit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, db: Path, folder: Path, shots: Path, read_only: bool = False) -> None:
        self.db, self.folder, self.shots = db, folder, shots
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["serve", "--db", str(db), "--port", str(self.port), "--by", "browser-reviewer"]
        args += ["--rules", str(RULES)] + (["--read-only"] if read_only else [])
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from unionfacts.cli import main; main()", *args],
            env={**os.environ, "COLUMNS": "200"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/findings", timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                    self.stop()
                    raise RuntimeError(f"unionfacts serve did not start: {err}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def shot(self, driver: Any, name: str) -> None:
        driver.save_screenshot(str(self.shots / f"{name}.png"))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    folder = write_corpus(tmp_path / "reports")
    db = tmp_path / "browser.db"
    engine = open_database(str(db))
    ingest_and_check(engine, folder)
    engine.dispose()
    srv = Server(db, folder, tmp_path)
    yield srv
    srv.stop()


def _rows(driver: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, "#queue tr.row"))


def _keys(driver: Any, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


def _wait(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def test_filter_the_queue(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/findings")
    assert len(_rows(browser)) == 2
    server.shot(browser, "queue")
    browser.find_element(
        By.CSS_SELECTOR, '.facet[data-facet="check"] a[data-value="part_exceeds_whole"]'
    ).click()
    rows = _rows(browser)
    assert len(rows) == 1 and "part_exceeds_whole" in rows[0].text
    server.shot(browser, "queue-filtered")


def test_review_by_keyboard_lands_in_the_audit_table(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/findings?sort=check")
    first, second = _rows(browser)
    assert "selected" in first.get_attribute("class")
    _keys(browser, "j")
    assert "selected" in second.get_attribute("class")
    _keys(browser, "n")
    _keys(browser, "两份报告口径不同\n")
    _keys(browser, "d")
    _wait(lambda: second.find_element(By.CSS_SELECTOR, ".status").text == "dismissed")
    _keys(browser, "k")
    _keys(browser, "c")
    _wait(lambda: first.find_element(By.CSS_SELECTOR, ".status").text == "confirmed")
    server.shot(browser, "queue-reviewed")
    browser.get(server.url + "/audit")
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#audit tbody tr")]
    assert any(
        "dismissed" in r and "两份报告口径不同" in r and "browser-reviewer" in r for r in rows
    )
    assert any("open confirmed" in r and "browser-reviewer" in r for r in rows)
    server.shot(browser, "audit")
    browser.get(server.url + "/findings")  # open only: nothing left
    assert _rows(browser) == []


def test_finding_page(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/findings?check=same_fact_differs")
    _keys(browser, "o")
    _wait(lambda: "/findings/" in browser.current_url)
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "blockquote.quote mark")]
    assert marks == ["3.2万人", "4.5萬人"]
    langs = [q.get_attribute("lang") for q in browser.find_elements(By.CSS_SELECTOR, "blockquote")]
    assert langs == ["zh-Hans", "zh-Hant"]
    assert "2024-02-01" in browser.find_element(By.CSS_SELECTOR, ".claims").text
    server.shot(browser, "finding")
    _keys(browser, "n")
    _keys(browser, "同一口径\n")
    _keys(browser, "f")  # decided on its own page, by keyboard too
    _wait(lambda: browser.find_element(By.ID, "status").text == "fixed")
    history = browser.find_element(By.ID, "history").text
    assert "open fixed 同一口径" in history and "browser-reviewer" in history
    _keys(browser, "u")
    _wait(lambda: "/findings?" in browser.current_url or browser.current_url.endswith("/findings"))


def test_search_a_quote(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/claims")
    box = browser.find_element(By.ID, "q")
    box.send_keys("4.5萬\n")
    _wait(lambda: "q=" in browser.current_url)
    quotes = [
        a.text for a in browser.find_elements(By.CSS_SELECTOR, "#claims tbody td:first-child a")
    ]
    assert quotes == ["4.5萬人"]
    server.shot(browser, "claims-search")


def test_open_a_document_shows_markup_as_text(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/documents")
    browser.find_element(By.LINK_TEXT, "a.txt").click()
    body = browser.find_element(By.ID, "doc-text")
    assert '<script>alert("x")</script> <b>粗体</b>' in body.text
    assert body.find_elements(By.TAG_NAME, "script") == []
    assert body.find_elements(By.TAG_NAME, "b") == []
    claims = body.find_elements(By.CSS_SELECTOR, "a.claim")
    assert [c.text for c in claims] == ["3.2万人", "120个"]
    assert "新发展会员" in claims[0].get_attribute("title")
    server.shot(browser, "document")


def test_correct_a_claim_and_reingest(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server.url + "/documents")
    browser.find_element(By.LINK_TEXT, "b.txt").click()
    browser.find_element(By.LINK_TEXT, "4.5萬人").click()
    browser.find_element(By.ID, "fix-period").clear()
    browser.find_element(By.ID, "fix-period").send_keys("2022")
    Select(browser.find_element(By.ID, "fix-modality")).select_by_visible_text("actual")
    browser.find_element(By.ID, "fix-note").send_keys("总结回顾的是上一年")
    browser.find_element(By.ID, "fix-save").click()
    history = browser.find_element(By.ID, "corrections").text
    assert "period → 2022" in history and "browser-reviewer" in history
    server.shot(browser, "claim-corrected")

    engine = open_database(str(server.db))
    ingest_and_check(engine, server.folder, force=True)  # new claim rows
    with engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM findings WHERE check_name = 'same_fact_differs'")
        ).scalar_one()
    engine.dispose()
    assert status == "stale"  # 2022 and 2023 no longer contradict each other
    browser.get(server.url + "/documents")
    browser.find_element(By.LINK_TEXT, "b.txt").click()
    claim = browser.find_element(By.LINK_TEXT, "4.5萬人")
    assert "corrected by browser-reviewer" in claim.get_attribute("title")
    claim.click()
    assert browser.find_element(By.CSS_SELECTOR, 'td[data-field="period"]').text == "2022"
    assert "总结回顾的是上一年" in browser.find_element(By.ID, "corrections").text
    server.shot(browser, "claim-after-reingest")


def test_metric_over_time(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/metric")
    browser.find_element(By.PARTIAL_LINK_TEXT, "新发展会员").click()
    points = browser.find_elements(By.CSS_SELECTOR, "#chart g.point")
    assert len(points) == 2
    assert all("flagged" in p.get_attribute("class") for p in points)
    server.shot(browser, "metric")


def test_read_only_server_shows_no_forms(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    ro = Server(server.db, server.folder, server.shots, read_only=True)
    try:
        browser.get(ro.url + "/findings")
        assert browser.find_elements(By.TAG_NAME, "form") == []
        assert "read-only" in browser.find_element(By.CSS_SELECTOR, "header").text
        ro.shot(browser, "queue-read-only")
        _keys(browser, "c")
        time.sleep(0.3)
        assert {r.find_element(By.CSS_SELECTOR, ".status").text for r in _rows(browser)} == {"open"}
    finally:
        ro.stop()


def test_static_report_filters_and_collapses(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from unionfacts.decisions import latest_decisions
    from unionfacts.findings import list_findings, review
    from unionfacts.report import render_html

    engine = open_database(str(server.db))
    first = list_findings(engine)[0]
    review(engine, first.id, "dismissed", "口径不同", "analyst")
    page = server.shots / "report.html"
    page.write_text(render_html(list_findings(engine), latest_decisions(engine)), "utf-8")
    engine.dispose()
    browser.get(page.as_uri())
    shown = browser.find_elements(By.CSS_SELECTOR, "details.f:not(.hidden)")
    assert len(shown) == 2
    reviewed = browser.find_element(By.ID, f"f-{first.id}")
    assert reviewed.get_attribute("open") is None and "口径不同" in reviewed.text
    status = Select(browser.find_element(By.CSS_SELECTOR, '[data-filter="status"]'))
    status.select_by_visible_text("open")
    assert len(browser.find_elements(By.CSS_SELECTOR, "details.f:not(.hidden)")) == 1
    server.shot(browser, "static-report")
