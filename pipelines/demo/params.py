"""Rates, code mixes and planted-signal dates that the simulated CIN histories draw from."""

from __future__ import annotations

from datetime import date

from pipelines.demo.draws import _codes_cum, _cum
from vocabulary import codes

PRACTICE_CHANGE_DATE = date(2021, 10, 1)
LATE_REVIEW_WINDOW = (date(2022, 10, 1), date(2023, 6, 30))
# The demo partnership's other members (pipelines/demo_members.py) each carry one planted signal of
# their own, from these dates (a section 47 enquiry's start, an assessment's start):
# Leicestershire (855): initial conferences within 15 working days fall from about 78% to about 40%.
LATE_ICPC_FROM = date(2023, 4, 1)
_ICPC_TIMELY_P_LATE = 0.40
# Rutland (857): assessments take longer, a median of 45 days (was 24) from start to authorisation, so
# about 30% (was about 10%) go past 45 working days from the referral.
SLOW_ASSESSMENT_FROM = date(2022, 4, 1)
_ASSESSMENT_MEDIAN_DAYS = 24
_ASSESSMENT_MEDIAN_DAYS_SLOW = 45

DEMO_LA = "856"
DEMO_FIRST_YEAR = 2017
DEMO_LAST_YEAR = 2026
DEMO_SEED = 20261123
# Referrals per child aged 0-17 per year (England is about 5.4%).
_REFERRAL_RATE = 5000 / 87_000
# Share of referrals that come from children new to the simulation (the rest are re-referrals).
_NEW_SHARE = 0.74

# Funnel outcome of a referral:
# 0 no further action; 1 assessment then closed; 2 assessment then CIN plan;
# 3 s47, no ICPC, closed; 4 s47, no ICPC, CIN plan; 5 s47, ICPC, no plan (CIN plan);
# 6 s47, ICPC, child protection plan.
_OUTCOME_P = (0.08, 0.40, 0.275, 0.0772, 0.0943, 0.0088, 0.0630)
_REREFERRAL_P = (0.30, 0.33, 0.25, 0.30, 0.25, 0.25, 0.22)
_DEATH_P = (0.0003, 0.0005, 0.001, 0.0008, 0.001, 0.002, 0.004)

_REFERRAL_SOURCES = {
    "1A": 4,
    "1B": 0.3,
    "1C": 0.7,
    "1D": 1,
    "2A": 19,
    "2B": 1,
    "3A": 2,
    "3B": 2,
    "3C": 0.5,
    "3D": 3,
    "3E": 3,
    "3F": 4,
    "4": 2,
    "5A": 8,
    "5B": 3,
    "5C": 2,
    "5D": 3,
    "6": 29,
    "7": 4,
    "8": 3,
    "9": 3,
    "10": 1.5,
}
_NEED_LOW = {"N1": 35, "N2": 3, "N3": 4, "N4": 13, "N5": 15, "N6": 4, "N7": 0.5, "N8": 4, "N9": 12, "N0": 10}
_NEED_CIN = {"N1": 52, "N2": 8, "N3": 5, "N4": 11, "N5": 14, "N6": 3, "N7": 0.5, "N8": 4, "N9": 1.5, "N0": 1}
_NEED_CP = {"N1": 88, "N3": 2, "N4": 3, "N5": 6, "N8": 1}
# No RC8/RC9 after a plan: they mean the case closed after assessment, with no activity (DfE rule 2990).
_CLOSE_AFTER_CIN = {"RC7": 80.5, "RC5": 10, "RC3": 4, "RC4": 4, "RC1": 1.5}
_CLOSE_AFTER_CP = {"RC7": 50, "RC5": 15, "RC3": 10, "RC4": 20, "RC1": 5}
_CATEGORIES = {"NEG": 50, "EMO": 35, "PHY": 7, "SAB": 4, "MUL": 4}
_CATEGORY_CHANGE = {"MUL": 40, "EMO": 30, "NEG": 20, "PHY": 10}
_FACTORS = {
    "1A": 1,
    "1B": 4,
    "1C": 1,
    "2A": 2,
    "2B": 5,
    "2C": 1,
    "3A": 3,
    "3B": 14,
    "3C": 3,
    "4A": 6,
    "4B": 12,
    "4C": 2,
    "5A": 2,
    "5B": 2,
    "5C": 0.5,
    "6A": 2,
    "6B": 1,
    "6C": 0.3,
    "7A": 0.5,
    "8B": 0.2,
    "9A": 0.8,
    "10A": 1.5,
    "11A": 1.2,
    "12A": 0.3,
    "13A": 0.8,
    "14A": 4,
    "15A": 2.5,
    "16A": 10,
    "17A": 10,
    "18B": 2,
    "18C": 0.5,
    "19A": 3,
    "19B": 0.5,
    "20": 4,
    "22A": 0.1,
    "23A": 0.4,
    "24A": 1.5,
}
_DISABILITIES = {
    "AUT": 30,
    "LD": 20,
    "COMM": 12,
    "BEH": 10,
    "MOB": 6,
    "HAND": 5,
    "VIS": 3,
    "HEAR": 4,
    "INC": 3,
    "CON": 4,
    "PC": 3,
}
_DISABLED_P = 0.08

# Age at first referral: unborn, under 1, 1-4, 5-9, 10-15, 16-17 (years, [lo, hi)).
_AGE_BANDS = ((0.0, 1.0), (1.0, 5.0), (5.0, 10.0), (10.0, 16.0), (16.0, 17.75))
_AGE_P_CIN = (0.015, 0.08, 0.17, 0.24, 0.37, 0.125)
_AGE_P_CP = (0.09, 0.11, 0.27, 0.27, 0.23, 0.03)

# Ethnicity of children in the census data.
_ETHNICITY_LEICESTER = {
    "WBRI": 35,
    "WIRI": 0.5,
    "WIRT": 0.2,
    "WOTH": 4.6,
    "WROM": 0.7,
    "MWBC": 3.2,
    "MWBA": 1.2,
    "MWAS": 1.6,
    "MOTH": 2.0,
    "AIND": 25,
    "APKN": 3,
    "ABAN": 2,
    "AOTH": 8,
    "BAFR": 5,
    "BCRB": 1,
    "BOTH": 1,
    "CHNE": 0.5,
    "OOTH": 2.5,
    "REFU": 1,
    "NOBT": 1.5,
}
_ETHNICITY_ENGLAND = {
    "WBRI": 65,
    "WIRI": 0.3,
    "WIRT": 0.4,
    "WOTH": 4,
    "WROM": 0.8,
    "MWBC": 3.2,
    "MWBA": 1,
    "MWAS": 1,
    "MOTH": 2.5,
    "AIND": 1.5,
    "APKN": 4,
    "ABAN": 1.5,
    "AOTH": 2,
    "BAFR": 4,
    "BCRB": 1.5,
    "BOTH": 1.2,
    "CHNE": 0.2,
    "OOTH": 2.6,
    "REFU": 1,
    "NOBT": 2.3,
}
_SEASON = (1.05, 1.05, 1.08, 0.95, 1.05, 1.08, 1.05, 0.72, 1.0, 1.05, 1.08, 0.85)  # Jan..Dec
_WEEKEND = 0.3

# Repeat-plan shares and review lateness.
_REPEAT_SHARE_BEFORE = 0.18
_REPEAT_SHARE_AFTER = 0.28
_LATE_P = 0.05
_LATE_P_WINDOW = 0.38  # drawn; about 35% are seen late (later reviews fall after plan ends)
_ICPC_TIMELY_P = 0.78


_OUTCOME_CUM = _cum(_OUTCOME_P)
_AGE_CUM_CIN = _cum(_AGE_P_CIN)
_AGE_CUM_CP = _cum(_AGE_P_CP)
_SOURCE_CODES, _SOURCE_CUM = _codes_cum(_REFERRAL_SOURCES)
_NEED_LOW_CODES, _NEED_LOW_CUM = _codes_cum(_NEED_LOW)
_NEED_CIN_CODES, _NEED_CIN_CUM = _codes_cum(_NEED_CIN)
_NEED_CP_CODES, _NEED_CP_CUM = _codes_cum(_NEED_CP)
_CLOSE_AFTER_CIN_CODES, _CLOSE_AFTER_CIN_CUM = _codes_cum(_CLOSE_AFTER_CIN)
_CLOSE_AFTER_CP_CODES, _CLOSE_AFTER_CP_CUM = _codes_cum(_CLOSE_AFTER_CP)
_CATEGORY_CODES, _CATEGORY_CUM = _codes_cum(_CATEGORIES)
_CATEGORY_CHANGE_CODES, _CATEGORY_CHANGE_CUM = _codes_cum(_CATEGORY_CHANGE)
_FACTOR_CODES, _FACTOR_CUM = _codes_cum(_FACTORS)
_COMMONEST_FACTOR = max(_FACTORS, key=_FACTORS.__getitem__)
_DISABILITY_CODES, _DISABILITY_CUM = _codes_cum(_DISABILITIES)
_NO_DISABILITY = "<Disabilities><Disability>NONE</Disability></Disabilities>"
assert set(_CATEGORY_CODES) == set(codes.CATEGORY_OF_ABUSE)
assert list(_ETHNICITY_LEICESTER) == list(_ETHNICITY_ENGLAND)
assert set(_ETHNICITY_LEICESTER) == codes.ETHNICITY_CODES
