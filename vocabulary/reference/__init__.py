"""Published reference data shipped inside the package (README.md here says what and whence)."""

from __future__ import annotations

from contextlib import contextmanager
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def reference_file(name: str) -> Traversable:
    """One shipped file, e.g. ``reference_file("boundaries/trafford_wards_2023.geojson")``."""
    node = resources.files(__name__)
    for part in name.split("/"):
        node = node / part
    if not node.is_file():
        raise FileNotFoundError(f"vocabulary.reference: no shipped file {name}")
    return node


def reference_names(*patterns: str) -> list[str]:
    """Names of the shipped top-level files matching any of the glob patterns, sorted per pattern."""
    from fnmatch import fnmatch

    names = [n.name for n in resources.files(__name__).iterdir() if n.is_file()]
    out: list[str] = []
    for pattern in patterns:
        out += sorted(n for n in names if fnmatch(n, pattern) and n not in out)
    return out


@contextmanager
def reference_paths(*patterns: str):
    """Real filesystem paths of the matching files (a wheel installed as a zip is extracted for the
    duration), for readers that take a path."""
    with resources.as_file(resources.files(__name__)) as folder:
        yield [Path(folder) / n for n in reference_names(*patterns)]
