"""The DfE rule files: headers parse, severities match DfE's codes, and the docs list them all."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.dfe.engine import catalogue, rules_for
from pipelines.issues import Severity

DOCS = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def test_query_codes_are_queries_and_the_rest_errors():
    for rule in catalogue():
        expected = Severity.QUERY if rule.code.endswith("Q") else Severity.ERROR
        assert rule.severity is expected, rule.file
        assert rule.message and rule.field and "$" not in rule.field


def test_rule_set_sizes_by_year():
    # 99 and 103 before issue 19's last six (1530, 4003, 8569Q, 8670Q, 8675Q, 8873Q: every year)
    assert len(rules_for("2023-24")) == 99 + 6
    assert len(rules_for("2024-25")) == len(rules_for("2025-26")) == 103 + 6


def test_docs_list_every_rule_file_as_implemented():
    text = DOCS.read_text()
    listed = set(re.findall(r"\| yes \(`([^`]+\.sql)`\)", text))
    assert listed == {rule.file for rule in catalogue()}
