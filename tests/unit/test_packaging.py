"""Packaging promises: the vendored plotly.js matches the installed plotly, the floors that
`make test-minimums` installs are the floors pyproject.toml declares, and every package the code
imports directly is declared."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import plotly.offline

ROOT = Path(__file__).resolve().parents[2]


def _vendored_plotly_js() -> str:
    head = (ROOT / "dashboard" / "assets" / "plotly-basic.min.js").read_text(encoding="utf-8")[:400]
    found = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", head)
    assert found, "dashboard/assets/plotly-basic.min.js has no version banner"
    return found.group(1)


def test_vendored_plotly_js_is_the_one_plotly_bundles():
    """Figures are built by the installed plotly for the plotly.js it bundles; the page draws them
    with the vendored bundle, so the two must be the same release."""
    assert _vendored_plotly_js() == plotly.offline.get_plotlyjs_version()


def _declared_floors() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        if name != "dev":
            specs += extra
    floors = {}
    for spec in specs:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)(,.*)?", spec)
        assert found, f"pyproject.toml: {spec!r} has no floor (>=)"
        floors[found.group(1).lower()] = found.group(2)
    return floors


def _pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints" / "minimums.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def _same_release(floor: str, pin: str) -> bool:
    """>=2.2 is pinned as 2.2.0; >=0.50 as 0.50."""
    f, p = floor.split("."), pin.split(".")
    return f == p[: len(f)] and all(part == "0" for part in p[len(f) :])


def test_every_runtime_floor_is_pinned_in_the_minimums_constraints():
    floors, pins = _declared_floors(), _pinned()
    missing = sorted(set(floors) - set(pins))
    assert not missing, f"constraints/minimums.txt lacks {missing}"
    differ = {n: (floors[n], pins[n]) for n in floors if not _same_release(floors[n], pins[n])}
    assert not differ, f"floor in pyproject.toml vs pin in constraints/minimums.txt: {differ}"
    extra = sorted(set(pins) - set(floors))
    assert not extra, f"constraints/minimums.txt pins packages pyproject.toml does not declare: {extra}"


def test_requires_python_allows_current_debian_and_ubuntu_pythons():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"].startswith(">=3.11,<3.14")


OUR_PACKAGES = tuple(  # the packages the wheel ships, as pyproject.toml names them
    name.rstrip("*")
    for name in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
)


def _imported_top_level_modules() -> dict[str, str]:
    """Third-party modules the product's packages import (top-level name -> one file importing it)."""
    found: dict[str, str] = {}
    for package in OUR_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in OUR_PACKAGES and top != "__future__":
                        found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_directly_imported_package_is_declared():
    """A package imported only through another's dependencies can vanish when that one changes."""
    declared = {name.replace("_", "-") for name in _declared_floors()}
    distributions = packages_distributions()
    undeclared = {
        module: where
        for module, where in _imported_top_level_modules().items()
        if not any(d.lower().replace("_", "-") in declared for d in distributions.get(module, [module]))
    }
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
