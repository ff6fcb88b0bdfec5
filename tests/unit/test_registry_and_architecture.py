"""The registry validates on load, the generated docs are current, and imports flow one way."""

from __future__ import annotations

import ast
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


def _imports(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "package, forbidden",
    [
        ("indicators", {"pipelines", "dashboard", "reports"}),
        ("dashboard", {"pipelines"}),
        ("reports", {"pipelines"}),
    ],
)
def test_data_flows_one_way(package, forbidden):
    if not (ROOT / package).exists():
        pytest.skip(f"{package}/ does not exist yet")
    assert not _imports(package) & forbidden


def test_every_module_opens_with_a_docstring():
    for package in ("pipelines", "indicators", "dashboard", "safeguarding"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text())
            if path.name == "__init__.py" and not tree.body:
                continue
            assert ast.get_docstring(tree), f"{path} has no module docstring"
