"""Byte-stable file writing shared by the demo generators: CSV rows, text files, pinned xlsx times."""

from __future__ import annotations

import re
from pathlib import Path


def _csv_row(*fields: str) -> str:
    return ",".join(f'"{f}"' if ("," in f or '"' in f) else f for f in fields) + "\n"


def _write_text(path: Path, lines: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("".join(lines))


def _fix_zip_times(path: Path) -> None:
    """Rewrite an xlsx with fixed member timestamps so the output is byte-identical per seed."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    # openpyxl stamps the save time into docProps/core.xml; pin it.
    members = [
        (
            name,
            re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            if name == "docProps/core.xml"
            else data,
        )
        for name, data in members
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            dst.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
