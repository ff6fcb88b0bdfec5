"""Limits checked on zip-based inputs (xlsx) before any parser opens them: parts, unpacked size,
DOCTYPE or entity declarations, and worksheet rows. A zip bomb is refused in well under a second."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from vocabulary import settings

MAX_PARTS = 200  # an Annex A or CDOP workbook has about 10-40
DEFAULT_MAX_UNZIPPED_MB = 200  # SAFEGUARDING_MAX_UNZIPPED_MB
DEFAULT_MAX_ROWS = 200_000  # per worksheet; SAFEGUARDING_MAX_ROWS
_ROW = re.compile(rb"<(?:\w{1,8}:)?row[\s>/]")
_OVERLAP = 16
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


def max_unzipped_bytes() -> int:
    return int(float(settings.get("limits.max_unzipped_mb") or DEFAULT_MAX_UNZIPPED_MB) * (1 << 20))


def max_rows() -> int:
    return int(settings.get("limits.max_rows") or DEFAULT_MAX_ROWS)


def is_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def zip_problem(path: Path) -> str | None:
    """Why this zip-based file is refused before parsing, or None. A damaged zip is left to the
    readers, which report it as not recognised."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            return f"the workbook has {len(parts):,} parts; at most {MAX_PARTS} are accepted"
        # Python's zip reader never unpacks more than a part's declared size, so the declared
        # sizes bound what any parser below can be made to read.
        total = sum(p.file_size for p in parts)
        if total > max_unzipped_bytes():
            biggest = max(parts, key=lambda p: p.file_size)
            return (
                f"the workbook unpacks to {total / (1 << 20):,.0f} MB (its part {biggest.filename} "
                f"alone to {biggest.file_size / (1 << 20):,.0f} MB), over the "
                f"{max_unzipped_bytes() / (1 << 20):,.0f} MB limit (SAFEGUARDING_MAX_UNZIPPED_MB); "
                "it was not opened"
            )
        try:
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    if problem := _part_problem(archive, part):
                        return problem
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            return None  # damaged: reported by the reader
    return None


def _part_problem(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> str | None:
    with archive.open(part) as fh:
        head = fh.read(4096)
        if any(d in head for d in _DECLARATIONS):
            return (
                f"the workbook's part {part.filename} declares a DOCTYPE or entities, which a "
                "workbook never needs (an entity-expansion attack?); it was not opened"
            )
        if not part.filename.startswith("xl/worksheets/"):
            return None
        rows, tail, limit = 0, b"", max_rows()
        chunk = head
        while chunk:
            data = tail + chunk
            cut = max(len(data) - _OVERLAP, 0)
            rows += sum(1 for m in _ROW.finditer(data) if m.start() < cut)
            tail = data[cut:]
            if rows > limit:
                return (
                    f"the worksheet {part.filename} has more than {limit:,} rows "
                    "(SAFEGUARDING_MAX_ROWS); it was not read"
                )
            chunk = fh.read(1 << 20)
    return None
