"""What an instructor sees: the similarity page in headless Chromium loads nothing from elsewhere,
and each pair's link in the ranking table opens that pair's code side by side."""

from __future__ import annotations

import os
import shutil

import pytest

from nnex.cli import main
from tests.similarity_class import build_planted_class

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright (pip package 'playwright') is not installed")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def test_a_ranked_pair_link_opens_its_code_and_nothing_is_loaded(tmp_path, capsys):
    planted = build_planted_class(tmp_path, students=12, copies=2, exercise_ids=["ex01_relu"])
    assert main(["similarity", str(planted.submissions), "--out", str(planted.graded),
                 "-e", "ex01_relu", "--pairs", "4"]) == 0
    capsys.readouterr()
    page_url = (planted.graded / "similarity.html").resolve().as_uri()
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            requested = []
            page.on("request", lambda request: requested.append(request.url))
            page.goto(page_url)
            links = page.eval_on_selector_all("table a[href^='#']",
                                              "links => links.map(a => a.getAttribute('href'))")
            assert links == [f"#ex01_relu-{rank}" for rank in range(1, 5)]
            closed = "(target) => !target.closest('details').open"
            assert all(page.eval_on_selector(link, closed) for link in links)
            for link in links:
                page.click(f"a[href='{link}']")
                opened = page.eval_on_selector(link, "(target) => target.closest('details').open")
                assert opened, f"following {link} left its pair's code closed"
                assert page.is_visible(f"{link} ~ div.side pre")
            assert requested == [page_url]
        finally:
            browser.close()
