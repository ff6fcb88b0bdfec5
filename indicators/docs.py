"""Generates docs/indicators.md from the registry and the targets file (run `make docs`)."""

from __future__ import annotations

from pathlib import Path

from indicators.plan_factors import DEFINITION as FACTOR_DEFINITION
from indicators.plan_factors import FACTOR_BREAKDOWNS
from indicators.registry import registry
from indicators.targets import load_targets

POLARITY = {
    "higher_better": "higher is better",
    "lower_better": "lower is better",
    "lower_better_not_zero": "lower is better, but not zero",
    "context": "context",
}
DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"
ASSESSMENT_FACTOR_DEFINITION = (
    "Assessments completed in the period with factors recorded, by each DfE factor code identified at "
    "the end of the assessment (DfE table C3), named with the DfE label and the code (for example "
    "`Domestic abuse: parent or carer (3B)`, from `vocabulary/assessment_factors.py`). An assessment is "
    "in the group of every code it identified, so each group's numerator is the assessments with that "
    "code and its denominator is every assessment counted in the total: the groups add up to more than "
    "the total. Only codes identified in the period are listed. For the board, counts of 1 to 5 are "
    "withheld (c) as in every breakdown."
)


def render() -> str:
    book = load_targets()
    out = [
        "# Indicator definitions",
        "",
        "Generated from `indicators/registry.yaml` and `indicators/targets.yaml` by "
        "`make docs`; do not edit by hand.",
        "",
        "| id | indicator | unit | polarity | target history | breakdowns |",
        "|---|---|---|---|---|---|",
    ]
    for ind in registry().values():
        history = (
            "; ".join(f"{t.describe()} from {t.effective_from:%d %b %Y}" for t in book.history(ind.id))
            or "none"
        )
        out.append(
            f"| `{ind.id}` | {ind.short_title} | {ind.unit} | {POLARITY[ind.polarity]} | "
            f"{history} | {', '.join(ind.breakdowns)} |"
        )
    out += [
        "",
        "## Breakdown: factors at the assessment before the plan",
        "",
        f"`{'`, `'.join(FACTOR_BREAKDOWNS)}`: {FACTOR_DEFINITION}",
        "",
        "## Breakdown: each factor code at assessment",
        "",
        f"`assessment_factor`: {ASSESSMENT_FACTOR_DEFINITION}",
    ]
    for ind in registry().values():
        out += [
            "",
            f"## {ind.title}",
            "",
            f"`{ind.id}`: {ind.definition}",
            "",
            f"- Source: {ind.dfe_source}" + (f" (DfE fields: `{ind.dfe_fields}`)" if ind.dfe_fields else ""),
            f"- SQL: `indicators/sql/{ind.sql}`",
            f"- Data: {', '.join(ind.sources)}",
        ]
        if ind.caveats:
            out.append(f"- Caveats: {ind.caveats}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    DOC_PATH.parent.mkdir(exist_ok=True)
    DOC_PATH.write_text(render())
    print(f"wrote {DOC_PATH}")
