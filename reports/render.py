"""Render a built report: static chart images (kaleido), self-contained HTML (jinja2) and an A4 PDF
(weasyprint) from the same HTML, so both files carry the same content."""

from __future__ import annotations

import base64
import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import jinja2

from reports.build import Report
from vocabulary import settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHART_SIZE = {"trend": (900, 430), "breakdown": (900, 360)}
CHART_SCALE = 2


@dataclass
class Written:
    html: Path
    pdf: Path | None
    charts: int
    seconds: dict[str, float]


def file_stem(la: str, quarter: str) -> str:
    return f"exception-report-{la}-{quarter}"


def _use_system_chromium() -> None:
    """kaleido 1.x drives a Chrome/Chromium through choreographer, which honours BROWSER_PATH: point it at
    SAFEGUARDING_CHROMIUM or Debian's /usr/bin/chromium unless the caller chose one."""
    if os.environ.get("BROWSER_PATH"):
        return
    for candidate in (settings.get("paths.chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            os.environ["BROWSER_PATH"] = candidate
            return


def render_charts(report: Report) -> None:
    """PNG bytes for every chart in the exception sections, from one kaleido browser session."""
    charts = report.charts
    if not charts:
        return
    _use_system_chromium()
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)  # kaleido >= 1.1 (pyproject.toml [report])
    try:
        for chart in charts:
            width, height = CHART_SIZE.get(chart.kind, (900, 400))
            if chart.kind == "breakdown":
                height = max(height, int(chart.figure.layout.height or height))
            with warnings.catch_warnings():  # "kopts ignored when using a server": expected
                warnings.simplefilter("ignore", UserWarning)
                chart.png = chart.figure.to_image(format="png", width=width, height=height, scale=CHART_SCALE)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def _data_uri(png: bytes | None) -> str:
    return "data:image/png;base64," + base64.b64encode(png or b"").decode("ascii")


def render_html(report: Report) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["data_uri"] = _data_uri
    return env.get_template("report.html").render(r=report)


def write_report(report: Report, out: Path, pdf: bool = True) -> Written:
    """Write exception-report-<la>-<quarter>.html and .pdf into `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    render_charts(report)
    seconds["charts"] = time.perf_counter() - t
    t = time.perf_counter()
    html = render_html(report)
    stem = file_stem(report.la, report.quarter)
    html_path = out / f"{stem}.html"
    html_path.write_text(html, encoding="utf-8")
    seconds["html"] = time.perf_counter() - t
    pdf_path = None
    if pdf:
        t = time.perf_counter()
        import weasyprint

        pdf_path = out / f"{stem}.pdf"
        weasyprint.HTML(string=html, base_url=str(out)).write_pdf(pdf_path)
        seconds["pdf"] = time.perf_counter() - t
    return Written(html_path, pdf_path, len(report.charts), seconds)
