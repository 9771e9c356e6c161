"""What a student sees: JupyterLab in headless Chromium runs a released notebook to its score.

Starts JupyterLab on 127.0.0.1 (a free port, a token, no browser of its own, a temporary root
holding one released notebook solved with the reference), opens the notebook in Debian's
Chromium driven by Playwright, runs Run ▸ Run All Cells, waits for the check cell's HTML
result, reads the score from the page and saves a screenshot under the test's tmp folder.
Every wait is bounded; the server (and its kernels) is always shut down.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from nnex.course.content import Course
from tests.test_notebooks_execute import python_kernel

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright (pip package 'playwright') is not installed")
pytest.importorskip("jupyterlab", reason="JupyterLab (pip package 'jupyterlab') is not installed")
nbformat = pytest.importorskip("nbformat")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)

from nnex.kit.notebook_check import check  # noqa: E402
from nnex.kit.notebooks import fill_solution  # noqa: E402
from nnex.kit.release import release_kit  # noqa: E402

COURSE = Course.installed()
EXERCISE = "ex01_relu"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SERVER_START_SECONDS = 120
RUN_ALL_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(url: str, method: str = "GET", timeout: float = 5) -> int:
    request = urllib.request.Request(url, method=method, data=b"" if method != "GET" else None)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status


def _quiet_settings(folder: Path) -> Path:
    """User settings that keep JupyterLab from asking about news (a toast over the page)."""
    notification = folder / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    return folder


class JupyterLab:
    """One JupyterLab server in its own process group, isolated from the user's settings."""

    def __init__(self, root: Path, state: Path):
        self.root, self.port, self.token = root, _free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = state / "jupyterlab.log"
        env = {**os.environ,
               "JUPYTER_PATH": str(python_kernel(state / "jupyter")),
               "JUPYTER_CONFIG_DIR": str(state / "config"),
               "JUPYTER_DATA_DIR": str(state / "data"),
               "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
               "IPYTHONDIR": str(state / "ipython"),
               "JUPYTERLAB_SETTINGS_DIR": str(_quiet_settings(state / "lab-settings")),
               "JUPYTER_PLATFORM_DIRS": "1"}
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--port-retries=0", "--allow-root",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={root}",
                   "--LabApp.news_url=",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)

    def api(self, path: str) -> str:
        return f"{self.url}{path}?token={self.token}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"JupyterLab exited ({self.process.returncode}):\n"
                                     f"{self.log()}")
            try:
                if _request(self.api("/api/status")) == 200:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise AssertionError(f"JupyterLab did not answer in {SERVER_START_SECONDS} s:\n"
                             f"{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def shut_down(self) -> None:
        """Kernels first (they live in sessions of their own), then the server, then kill."""
        try:
            with urllib.request.urlopen(self.api("/api/kernels"), timeout=5) as response:
                kernels = json.load(response)
            for kernel in kernels:
                _request(self.api(f"/api/kernels/{kernel['id']}"), "DELETE", timeout=10)
            _request(self.api("/api/shutdown"), "POST", timeout=10)
        except (urllib.error.URLError, OSError, ValueError):
            pass
        for sig, seconds in ((None, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            if sig is not None:
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
            try:
                self.process.wait(timeout=seconds)
                break
            except subprocess.TimeoutExpired:
                continue
        self._log.close()


@pytest.fixture
def lab(tmp_path):
    kit = tmp_path / "kit"
    release_kit(kit, exercise_ids=[EXERCISE], course=COURSE)
    root = tmp_path / "root"
    root.mkdir()
    notebook = nbformat.read(kit / f"{EXERCISE}.ipynb", as_version=4)
    solved = fill_solution(notebook, COURSE.solution_path(EXERCISE).read_text("utf-8"))
    nbformat.write(solved, str(root / f"{EXERCISE}.ipynb"))
    server = JupyterLab(root, tmp_path / "state")
    try:
        server.wait_ready()
        yield server
    finally:
        server.shut_down()
    assert server.process.poll() is not None, "JupyterLab is still running"


def _run_all(page, lab: JupyterLab, screenshot: Path) -> tuple[str, str, str, int]:
    """Open the notebook, Run ▸ Run All Cells, wait for the check; what the page shows."""
    page.goto(f"{lab.url}/lab/tree/{EXERCISE}.ipynb?token={lab.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    # The kernel named in the notebook has started: "Python 3 (nnex tests) | Idle".
    page.locator(".jp-StatusBar-Widget", has_text="nnex tests) | Idle").first.wait_for()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    result = page.locator(".jp-OutputArea-output .nnex-check")
    result.wait_for(state="attached", timeout=RUN_ALL_SECONDS * 1000)
    result.scroll_into_view_if_needed()
    score = result.get_attribute("data-score")
    max_score = result.get_attribute("data-max-score")
    shown = page.locator(".nnex-score").inner_text()
    pictures = page.locator(".jp-OutputArea-output img").count()
    page.screenshot(path=str(screenshot))
    return score, max_score, shown, pictures


@pytest.mark.slow
def test_run_all_cells_in_jupyterlab_shows_full_marks(lab, tmp_path):
    namespace: dict = {}
    exec(COURSE.solution_path(EXERCISE).read_text("utf-8"), namespace)
    expected = check(EXERCISE, namespace).max_score
    screenshot = tmp_path / f"jupyterlab-{EXERCISE}.png"
    started = time.monotonic()
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 1100})
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.set_default_timeout(60_000)
            try:
                score, max_score, shown, pictures = _run_all(page, lab, screenshot)
            except playwright_api.Error:
                page.screenshot(path=str(tmp_path / "failure.png"))
                print(f"\nfailure screenshot: {tmp_path / 'failure.png'}\n{lab.log()}")
                raise
        finally:
            browser.close()
    print(f"\nJupyterLab run-all: {time.monotonic() - started:.1f} s; screenshot: {screenshot}")
    assert (score, max_score) == (f"{expected:g}", f"{expected:g}")
    assert f"得点 / Score: {expected:g} / {expected:g}" in shown
    assert pictures >= 1
    assert screenshot.stat().st_size > 10_000
