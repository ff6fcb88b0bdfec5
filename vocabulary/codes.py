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

# UPN characters 2-4 (DfE rule 1530): a post-April-1998 LA code or a recognised pseudo-LA code;
# 942 and 943 (Cumberland, Westmorland and Furness) from 2023-24. Inclusive ranges, as DfE lists them.
_UPN_LA_RANGES = (
    (1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373), (380, 384), (390, 394),
    (420, 420), (660, 681), (701, 708), (800, 803), (805, 808), (810, 813), (815, 816), (820, 823),
    (825, 826), (830, 831), (835, 841), (845, 846), (850, 852), (855, 857), (860, 861), (865, 896),
    (908, 909), (916, 916), (919, 919), (921, 921), (925, 926), (928, 929), (931, 931), (933, 933),
    (935, 938), (940, 943),
)  # fmt: skip
UPN_LA_CODES: frozenset[str] = frozenset(f"{n:03d}" for lo, hi in _UPN_LA_RANGES for n in range(lo, hi + 1))
