"""Code lists for Child Death Overview Panel (CDOP) extracts, shared by ingestion and the indicators.

Modelled on the statutory child death review forms that CDOPs submit to the National Child
Mortality Database (NCMD): the notification form and the CDOP analysis form. There is no national
file layout, so ours is documented in docs/cdop-extract-format.md.
"""

from __future__ import annotations

import re

# The 10 statutory categories of death (CDOP analysis form), in the form's order, with our short
# codes. An extract may use the code, the number (1-10) or the full name.
CATEGORY_OF_DEATH: dict[str, str] = {
    "DII": "Deliberately inflicted injury, abuse or neglect",
    "SUI": "Suicide or deliberate self-inflicted harm",
    "TRA": "Trauma and other external factors",
    "MAL": "Malignancy",
    "ACU": "Acute medical or surgical condition",
    "CHR": "Chronic medical condition",
    "CGC": "Chromosomal, genetic and congenital anomalies",
    "PER": "Perinatal/neonatal event",
    "INF": "Infection",
    "SUD": "Sudden unexpected, unexplained death",
}
CATEGORY_NUMBER: dict[str, str] = {str(n): code for n, code in enumerate(CATEGORY_OF_DEATH, start=1)}

# Place of death (notification form), short code -> words.
PLACE_OF_DEATH: dict[str, str] = {
    "HOSP": "Hospital",
    "HOME": "Home",
    "HOSPICE": "Hospice",
    "PUBLIC": "Public place",
    "ABROAD": "Abroad",
    "OTHER": "Other",
}
PLACE_WORDS: dict[str, str] = {
    "hospital": "HOSP",
    "hosp": "HOSP",
    "home": "HOME",
    "hospice": "HOSPICE",
    "publicplace": "PUBLIC",
    "public": "PUBLIC",
    "abroad": "ABROAD",
    "overseas": "ABROAD",
    "other": "OTHER",
}

SEX_WORDS: dict[str, str] = {
    "m": "M",
    "male": "M",
    "1": "M",
    "f": "F",
    "female": "F",
    "2": "F",
    "u": "U",
    "unknown": "U",
    "notknown": "U",
    "0": "U",
    "9": "U",
    "notstated": "U",
    "indeterminate": "U",
}
YNU_WORDS: dict[str, str] = {
    "y": "Y",
    "yes": "Y",
    "true": "Y",
    "1": "Y",
    "n": "N",
    "no": "N",
    "false": "N",
    "0": "N",
    "u": "U",
    "unknown": "U",
    "notknown": "U",
    "insufficientinformation": "U",
}

# Age at death bands (NCMD reporting): label and upper bound (exclusive).
AGE_BANDS: tuple[str, ...] = ("0 to 27 days", "28 to 364 days", "1 to 4", "5 to 9", "10 to 14", "15 to 17")
OVER_17 = "18 and over"


def squash(text: object) -> str:
    """Lower-case with every character that is not a letter or digit removed."""
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


CATEGORY_BY_NAME: dict[str, str] = {squash(name): code for code, name in CATEGORY_OF_DEATH.items()}
# Longer wordings seen on the analysis form.
CATEGORY_BY_NAME.update(
    {
        squash("Trauma and other external factors, including medical/surgical complications/error"): "TRA",
        squash("Suicide or self-harm"): "SUI",
        squash("Chromosomal, genetic and congenital anomalies"): "CGC",
        squash("Perinatal or neonatal event"): "PER",
        squash("Sudden unexpected unexplained death"): "SUD",
    }
)


def category_code(value: object) -> str | None:
    """The short code for a category given as code, number or full name; None if unknown."""
    text = str(value).strip()
    if text.upper() in CATEGORY_OF_DEATH:
        return text.upper()
    if text.endswith(".0"):
        text = text[:-2]
    if text in CATEGORY_NUMBER:
        return CATEGORY_NUMBER[text]
    return CATEGORY_BY_NAME.get(squash(text))


def age_band(age_days: int | None, age_years: int | None) -> str | None:
    """NCMD age band from the age at death in days (and, when known, whole years of age)."""
    if age_days is None and age_years is None:
        return None
    if age_days is not None and age_days < 28:
        return AGE_BANDS[0]
    if age_years is None:  # from days alone: under 365 days is under 1, else whole years
        if age_days < 365:  # type: ignore[operator]
            return AGE_BANDS[1]
        age_years = max(1, int(age_days / 365.25))  # type: ignore[operator]
    years = age_years
    if years < 1:
        return AGE_BANDS[1]
    for band, upper in zip(AGE_BANDS[2:], (5, 10, 15, 18), strict=True):
        if years < upper:
            return band
    return OVER_17
