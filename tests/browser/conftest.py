"""Real headless Chromium (Debian's) driving the running app, served by `safeguarding serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.demo_warehouse import build_demo_warehouse

CHROMIUM = os.environ.get("SAFEGUARDING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
SAFEGUARDING = [sys.executable, "-m", "safeguarding.cli"]
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
SECOND_LA = "857"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium (see .ci/run)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The embedded demo LA, generated and loaded as `make run` does, plus a small second LA
    (two years) so that switching LA can be tested."""
    from pipelines.demo.benchmark import generate_las

    base = tmp_path_factory.mktemp("demo")
    warehouse, env = build_demo_warehouse(base)
    extra = generate_las(base / "extra", la_codes=[SECOND_LA], first_year=2025, last_year=2026, scale=0.25)
    subprocess.run(
        [*SAFEGUARDING, "ingest", "--warehouse", str(warehouse), *map(str, extra)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    return warehouse


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(warehouse: Path, extra: list[str], env: dict[str, str] | None = None):
    port = _free_port()
    proc = subprocess.Popen(
        [*SAFEGUARDING, "serve", "--port", str(port), "--warehouse", str(warehouse), *extra],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


@pytest.fixture(scope="session")
def demo_server(demo_warehouse):
    proc, url = start_server(demo_warehouse, ["--demo"])
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def partnership_server(partnership_demo):
    """The demo partnership (`safeguarding demo --partnership`: 856, 855 and 857, tests/conftest.py),
    served in demo mode, once its start-up pre-computation (every indicator for four areas) is done."""
    import json

    proc, url = start_server(partnership_demo["warehouse"], ["--demo"])
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url + "/health", timeout=10) as response:
            if json.load(response).get("warm"):
                break
        time.sleep(2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def console_errors(page):
    """Collects browser console errors and uncaught page errors; tests assert it stays empty."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Inject axe-core into the page and return its violations of the given impacts."""
    if not AXE.exists():
        pytest.fail(f"axe-core not installed at {AXE}; run `make test` (it installs it from npm)")
    # Evaluated through the DevTools protocol, not added as an inline <script>: the app's CSP allows
    # no inline script but its own bootstrap, and a blocked script tag would be a console error.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]
