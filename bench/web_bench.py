"""Benchmarks through the real server: first render in headless Chromium, and 25 users on loopback.

The server is `safeguarding serve --demo` (waitress, 127.0.0.1) on the given warehouse, as a
partnership would run it. First render: from navigation start until the page's chart and tables
are drawn and no Dash callback is pending. Load: the Dash requests a real browser made for each
page (recorded in the first-render step) are replayed by a pool of 25 threads for a fixed time,
each "user" choosing a random LA and frequency, and think time between views.
"""

from __future__ import annotations

import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SAFEGUARDING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]
PAGES = ("/", "/indicator/cpp_repeat_pct", "/indicator/cpp_reviewed_in_time_pct", "/indicator/cpp_at_end")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`safeguarding serve --demo` on a free loopback port; `ready_seconds` is the time to /health."""

    def __init__(self, warehouse: Path, key_file: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "SAFEGUARDING_KEY_FILE": str(key_file), "SAFEGUARDING_WAREHOUSE": str(warehouse)}
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "safeguarding.cli", "serve", "--demo", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        while True:
            try:
                urllib.request.urlopen(self.url + "/health", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited: {self.proc.stderr.read()[-2000:]}") from None
                time.sleep(0.1)
        self.ready_seconds = time.perf_counter() - started

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def first_render(url: str, paths=PAGES, repeats: int = 3) -> tuple[dict, list[dict]]:
    """Seconds until each page is fully drawn (best and worst of `repeats` fresh page loads), and
    the Dash callback requests the browser made, for the load test to replay."""
    from playwright.sync_api import sync_playwright

    recorded: list[dict] = []
    timings: dict[str, list[float]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            for attempt in range(repeats):
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                page = context.new_page()
                if attempt == 0:
                    page.on(
                        "request",
                        lambda r: (
                            recorded.append({"url": r.url, "body": r.post_data})
                            if r.method == "POST" and "_dash-update-component" in r.url
                            else None
                        ),
                    )
                started = time.perf_counter()
                page.goto(url + path)
                page.wait_for_selector("#main h1", timeout=120_000)
                page.wait_for_function(
                    "() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=120_000
                )
                page.wait_for_selector("table", timeout=120_000)
                if path.startswith("/indicator/"):
                    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
                timings.setdefault(path, []).append(time.perf_counter() - started)
                context.close()
        browser.close()
    result = {
        path: {"first_s": round(t[0], 3), "best_s": round(min(t), 3), "worst_s": round(max(t), 3)}
        for path, t in timings.items()
    }
    return result, recorded


def _vary(body: str, la: str, freq: str) -> str:
    """A recorded callback body for another LA and frequency (the URL's query carries the state)."""
    body = re.sub(r"la=\d{3}", f"la={la}", body)
    body = re.sub(r"freq=(year|quarter|month|rolling12)", f"freq={freq}", body)
    return re.sub(r"&(from|to)=[^&\"]*", "", body)


def load_test(
    url: str,
    recorded: list[dict],
    la_codes: list[str],
    users: int = 25,
    seconds: float = 60.0,
    max_requests: int = 20_000,
    think_seconds: float = 1.0,
) -> dict:
    """`users` threads, each viewing pages (GET the page, then its recorded callbacks) until
    `seconds` pass or `max_requests` are made; latency per request, errors counted."""
    bodies = [r["body"] for r in recorded if r["body"]]
    stop_at = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    count = [0]

    def request(path: str, body: str | None) -> None:
        data = body.encode() if body is not None else None
        req = urllib.request.Request(url + path, data=data, method="POST" if data else "GET")
        if data:
            req.add_header("Content-Type", "application/json")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                resp.read()
                ok = resp.status in (200, 204)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            ok = False
            with lock:
                errors.append(f"{path}: {exc}")
        took = time.perf_counter() - started
        with lock:
            latencies.append(took)
            count[0] += 1
            if not ok and len(errors) < 1000:
                errors.append(f"{path}: status")

    def user(seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, think_seconds))
        while time.perf_counter() < stop_at and count[0] < max_requests:
            la, freq = rng.choice(la_codes), rng.choice(["year", "quarter", "month"])
            request("/", None)
            for body in rng.sample(bodies, k=min(3, len(bodies))):
                request("/_dash-update-component", _vary(body, la, freq))
            time.sleep(rng.expovariate(1 / think_seconds))

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "errors": len(errors),
        "error_examples": errors[:5],
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p95_ms": round(1000 * latencies[int(0.95 * len(latencies)) - 1], 1),
        "max_ms": round(1000 * latencies[-1], 1),
    }


def run(warehouse: Path, key_file: Path, la_codes: list[str], load_seconds: float = 60.0) -> dict:
    server = Server(warehouse, key_file)
    try:
        # The server warms its caches in a background thread; the first render is measured
        # straight away (a user arriving at start-up), then again once warm.
        cold, recorded = first_render(server.url, paths=PAGES[:2], repeats=1)
        warm_wait = _wait_until_warm(server.url)
        warm, recorded_warm = first_render(server.url)
        load = load_test(server.url, recorded + recorded_warm, la_codes, seconds=load_seconds)
    finally:
        server.close()
    return {
        "server_ready_s": round(server.ready_seconds, 2),
        "first_render_at_start_up": cold,
        "seconds_until_warm": warm_wait,
        "first_render": warm,
        "load": load,
        "recorded_callbacks": len(recorded) + len(recorded_warm),
    }


def _wait_until_warm(url: str, timeout: float = 900.0) -> float:
    """Seconds until the server's background warm-up reports done (GET /health says so)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        health = json.loads(urllib.request.urlopen(url + "/health", timeout=10).read())
        if health.get("warm", True):
            break
        time.sleep(1)
    return round(time.perf_counter() - started, 1)
