"""Plain words for every internal name the board sees: sources, SPC rules, load statuses and units."""

from __future__ import annotations

# Kinds of file the pipeline recognises (pipelines.detect.detect_type) and the loads table records.
SOURCE_NAMES = {
    "cin_census": "CIN census return",
    "annex_a": "Annex A List 7",
    "annex_a_snapshot": "Annex A List 7 (on its extract dates)",  # a registry source, not a file kind
    "area_lookup": "Area lookup",
    "area_population": "Area populations",
    "ons_population": "ONS population (0-17)",
    "census_ethnicity": "Census 2021 population by ethnic group",
    "ees_csv": "DfE published statistics (Explore Education Statistics)",
    "lait_parquet": "DfE published statistics (LAIT)",
    "statistical_neighbours": "DfE statistical neighbours",
    "cdop": "Child death reviews (CDOP)",
    "partner_return": "Partner agency return",
    "s11_return": "Section 11 audit return",
    "case_audit": "Multi-agency case-file audit",
    "action_plan": "Action plan",
}

# SPC rules (indicators.spc.RULES), as NHS England's "Making Data Count" describes them.
SPC_RULE_NAMES = {
    "outside_limits": "a point beyond the process limits",
    "shift": "a run of points on one side of the average",
    "trend": "a run of points rising or falling",
    "two_of_three": "2 of 3 points close to a process limit",
}

# Load statuses (pipelines.load): what happened to a file.
LOAD_STATUS_NAMES = {
    "loaded": "Loaded",
    "unchanged": "Already loaded (unchanged)",
    "superseded": "Replaced by a newer file",
    "rejected": "Rejected",
    "valid": "Checked, not loaded",
    "pending": "Waiting",
}

UNIT_NAMES = {
    "count": "number",  # of children, referrals, enquiries or deaths: the title says which
    "percent": "per cent",
    "rate_per_10k": "per 10,000 children",
    "rate_per_100k": "per 100,000 children",
    "days": "days",
}


def source_name(kind: str | None) -> str:
    """The plain name of a kind of file; an unknown kind says so rather than showing its id."""
    if not kind:
        return "Unknown kind of file"
    return SOURCE_NAMES.get(kind, "Other file")


def spc_rules_words(rules: str | list[str] | tuple[str, ...]) -> str:
    """'outside_limits, shift' -> 'a point beyond the process limits; a run of points on one side of
    the average'."""
    names = [r.strip() for r in rules.split(",")] if isinstance(rules, str) else list(rules)
    return "; ".join(SPC_RULE_NAMES.get(r, "another SPC rule") for r in names if r)


def load_status_name(status: str | None) -> str:
    return LOAD_STATUS_NAMES.get(status or "", "Unknown")


def unit_name(unit: str) -> str:
    return UNIT_NAMES.get(unit, unit.replace("_", " "))
