"""Benchmarks derived from published DfE cells where DfE publishes the parts, not the figure:
assessments within 45 working days (C2 duration bands) and the share of assessments with a factor
(C3 factor column over episodes with factors). Each derived cell names its formula in
`source_value`; a suppressed or missing part makes the derived cell missing too, never a guess.
The EES reader (pipelines/published/ees.py) adds these cells to the ones it reads."""

from __future__ import annotations

from pipelines.published.cells import parse_cell

# (table, derived measure) -> (indicator id, numerator columns, denominator column); lower-case names.
DERIVED: dict[tuple[str, str], tuple[str, tuple[str, ...], str]] = {
    ("C2", "Within_45_days_percent"): (
        "assessment_45wd_pct",
        ("same_day", "1-10_days", "11-20_days", "21-30_days", "31-40_days", "41-45_days"),
        "assessments_completed",
    ),
    ("C3", "Neglect_percent"): ("factor_neglect_pct", ("neglect",), "episodes_with_assessment_factor"),
}
DECIMALS = 1


def derived_cells(table: str, row: dict[str, str]) -> list[tuple[str, str, str, float | None, str]]:
    """(measure, indicator id, source_value, value, status) for each derived cell of an EES row,
    reading each part as the EES reader does (`parse_cell`)."""
    lower = {k.lower(): v for k, v in row.items() if k is not None}
    out = []
    for (source, measure), (indicator, parts, whole) in DERIVED.items():
        if source != table or whole not in lower or any(p not in lower for p in parts):
            continue
        formula = f"derived: ({' + '.join(parts)}) / {whole} x 100"
        cells = [parse_cell(lower[p]) for p in (*parts, whole)]
        if any(c is None for c in cells):
            continue  # the reader has already reported the bad cell
        missing = [status for value, status in cells if value is None]
        if missing:
            out.append((measure, indicator, formula, None, missing[0]))
            continue
        numbers: list[float] = [value for value, _ in cells]  # type: ignore[misc]
        if numbers[-1] == 0:
            out.append((measure, indicator, formula, None, "not applicable"))
            continue
        out.append(
            (measure, indicator, formula, round(100 * sum(numbers[:-1]) / numbers[-1], DECIMALS), "published")
        )
    return out
