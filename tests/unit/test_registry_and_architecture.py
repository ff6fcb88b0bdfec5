"""The registry validates on load, the generated docs are current, and imports flow one way."""

from __future__ import annotations

import ast
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from indicators import docs
from indicators.registry import RegistryError, parse_registry, registry

ROOT = Path(__file__).resolve().parents[2]
GOOD = """
- id: demo_count
  title: A count
  short_title: Count
  definition: Something counted.
  dfe_source: none
  unit: count
  polarity: context
  sql: cpp_starts.sql
  breakdowns: [la]
"""


def test_every_registry_entry_is_valid_and_has_its_sql_file():
    reg = registry()
    assert len(reg) >= 10
    for ind in reg.values():
        assert (ROOT / "indicators" / "sql" / ind.sql).is_file()
        assert "final" in ind.sql_text()  # import CTEs -> logic -> final


@pytest.mark.parametrize(
    "change, message",
    [
        (("unit: count", "unit: furlongs"), "indicator demo_count: unit"),
        (("sql: cpp_starts.sql", "sql: missing.sql"), "does not exist"),
        (("polarity: context", "polarity: sideways"), "polarity"),
        (("breakdowns: [la]", "breakdowns: [postcode]"), "breakdowns"),
        (("id: demo_count", "id: Demo-Count"), "lower_snake_case"),
        (("unit: count", "unit: rate_per_10k"), "needs denominator_source"),
    ],
)
def test_bad_registry_entries_are_rejected_with_entry_and_field(change, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(GOOD.replace(*change), "test.yaml")


def test_duplicate_ids_are_rejected():
    with pytest.raises(RegistryError, match="defined twice"):
        parse_registry(GOOD + GOOD, "test.yaml")


def test_generated_indicator_docs_are_up_to_date():
    assert (ROOT / "docs" / "indicators.md").read_text() == docs.render(), "run `make docs`"


# Every first-party package, bottom layer first. Tests, fixtures and notebooks are left out.
PACKAGES = (
    "vocabulary",
    "pipelines",
    "indicators",
    "charts",
    "viewmodels",
    "dashboard",
    "reports",
    "safeguarding",
    "bench",
)


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Each first-party module -> the first-party modules it imports. Every import statement counts,
    including those inside functions and under `if TYPE_CHECKING:`: a circle hidden in a function is
    still a circle. `from pkg import name` points at the module pkg.name when there is one."""
    files = {
        _module_name(root, path): path
        for package in packages
        if (root / package).is_dir()
        for path in sorted((root / package).rglob("*.py"))
    }

    def known(name: str) -> str | None:  # the module itself, else its nearest first-party parent
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets |= {known(a.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from . import x, from ..a import y
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = known(f"{base}.{alias.name}")
                    targets.add(sub if sub and sub != module and sub != known(base) else known(base))
        graph[module] = {t for t in targets if t and t != module}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import one another in a circle (strongly connected components of two or
    more modules, by Tarjan's algorithm), each sorted; [] when the imports form layers."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_import_circles_among_first_party_modules():
    graph = module_graph(ROOT)
    assert len(graph) > 100  # the walk really saw the product
    assert import_cycles(graph) == []


def test_the_installed_wheel_holds_every_product_package():
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    for package in set(PACKAGES) - {"bench"}:  # bench runs from the checkout only
        assert any(fnmatch(package, pattern) for pattern in include["include"]), package


def _write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


RING = {"pkg/__init__.py": "", "pkg/a.py": "from pkg.b import x\n", "pkg/c.py": "import pkg.a\n"}


@pytest.mark.parametrize(
    "planted, circle",
    [
        # a back-import hidden in a function
        ({"pkg/b.py": "def f():\n    from pkg.a import y\n"}, ["pkg.a", "pkg.b"]),
        # a back-import only for type checking
        (
            {"pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"},
            ["pkg.a", "pkg.b"],
        ),
        # a relative back-import
        ({"pkg/b.py": "from .a import y\n"}, ["pkg.a", "pkg.b"]),
        # a ring of three: a -> b -> c -> a
        ({"pkg/b.py": "from pkg import c\n"}, ["pkg.a", "pkg.b", "pkg.c"]),
    ],
)
def test_the_circle_check_finds_a_planted_back_import(tmp_path, planted, circle):
    _write_tree(tmp_path, {**RING, "pkg/b.py": "x = 1\n"})
    assert import_cycles(module_graph(tmp_path, ("pkg",))) == []  # a -> b, c -> a: layers
    _write_tree(tmp_path, planted)
    assert import_cycles(module_graph(tmp_path, ("pkg",))) == [circle]


def _imports(root: Path, package: str) -> set[str]:
    """The top-level names of every package imported anywhere under `package` (functions included)."""
    found = set()
    for path in (root / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


# Data flows one way: pipelines -> warehouse -> indicators -> charts and view-models -> dashboard and
# report, with the vocabulary under everything and the command (safeguarding) and bench on top.
LAYER_RULES = [
    ("vocabulary", set(PACKAGES) - {"vocabulary"}),
    ("pipelines", {"charts", "viewmodels", "dashboard", "reports", "safeguarding", "bench"}),
    ("indicators", {"pipelines", "charts", "viewmodels", "dashboard", "reports", "safeguarding", "bench"}),
    ("charts", {"pipelines", "viewmodels", "dashboard", "reports", "safeguarding", "bench"}),
    ("viewmodels", {"pipelines", "dashboard", "reports", "safeguarding", "bench"}),
    ("dashboard", {"pipelines", "reports", "safeguarding", "bench"}),
    ("reports", {"pipelines", "dashboard", "safeguarding", "bench"}),
]


@pytest.mark.parametrize("package, forbidden", LAYER_RULES)
def test_data_flows_one_way(package, forbidden):
    assert (ROOT / package).is_dir()
    assert not _imports(ROOT, package) & forbidden


@pytest.mark.parametrize(
    "package, planted",
    [
        ("vocabulary", "def f():\n    from indicators import api\n"),
        ("reports", "from dashboard import app\n"),
        ("indicators", "import pipelines.load\n"),
        ("dashboard", "from pipelines.cdop import read_cdop\n"),
    ],
)
def test_the_layer_check_finds_a_planted_upward_import(tmp_path, package, planted):
    forbidden = dict(LAYER_RULES)[package]
    _write_tree(tmp_path, {f"{package}/__init__.py": "", f"{package}/ok.py": "import pandas\n"})
    assert not _imports(tmp_path, package) & forbidden
    _write_tree(tmp_path, {f"{package}/bad.py": planted})
    assert _imports(tmp_path, package) & forbidden


def test_every_module_opens_with_a_docstring():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text())
            if path.name == "__init__.py" and not tree.body:
                continue
            assert ast.get_docstring(tree), f"{path} has no module docstring"
