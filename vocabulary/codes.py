"""Code lists from the DfE CIN census specification, shared by ingestion and the indicators."""

from __future__ import annotations

ETHNICITY_GROUPS: dict[str, tuple[str, ...]] = {
    "White": ("WBRI", "WIRI", "WIRT", "WOTH", "WROM"),
    "Mixed": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "Asian": ("AIND", "APKN", "ABAN", "AOTH"),
    "Black": ("BCRB", "BAFR", "BOTH"),
    "Other": ("CHNE", "OOTH"),
    "Unknown": ("REFU", "NOBT"),
}
ETHNICITY_CODES: frozenset[str] = frozenset(c for codes in ETHNICITY_GROUPS.values() for c in codes)
ETHNIC_GROUP_OF: dict[str, str] = {c: g for g, codes in ETHNICITY_GROUPS.items() for c in codes}

# Categories of abuse on a child protection plan.
CATEGORY_OF_ABUSE: dict[str, str] = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
}

# GenderCurrent (spec years to 2023-24): 0 not known, 1 male, 2 female, 9 not specified.
GENDER_CURRENT_TO_SEX: dict[str, str] = {"1": "M", "2": "F", "0": "U", "9": "U"}
# Sex (spec years from 2024-25).
SEX_CODES: frozenset[str] = frozenset({"M", "F", "U"})

BOOLEAN_TRUE = frozenset({"true", "1", "y", "yes"})
BOOLEAN_FALSE = frozenset({"false", "0", "n", "no"})

FIRST_SPEC_YEAR = 2011
LAST_SPEC_YEAR = 2026
# From the 2024-25 collection (spec year 2025) `Sex` replaces `GenderCurrent`.
FIRST_SEX_SPEC_YEAR = 2025
