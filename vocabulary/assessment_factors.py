"""DfE CIN census factors identified at the end of assessment: codes, labels and C3 groups."""

from __future__ import annotations

# AssessmentFactors codes (CIN census guide, "factors identified at the end of assessment"), with
# the DfE C3 column each is published under. A = concerns about the child, B = a parent or carer,
# C = another person living in the household.
FACTOR_LABELS: dict[str, str] = {
    "1A": "Alcohol misuse: child",
    "1B": "Alcohol misuse: parent or carer",
    "1C": "Alcohol misuse: other person in the household",
    "2A": "Drug misuse: child",
    "2B": "Drug misuse: parent or carer",
    "2C": "Drug misuse: other person in the household",
    "3A": "Domestic abuse: child",
    "3B": "Domestic abuse: parent or carer",
    "3C": "Domestic abuse: other person in the household",
    "4A": "Mental health: child",
    "4B": "Mental health: parent or carer",
    "4C": "Mental health: other person in the household",
    "5A": "Learning disability: child",
    "5B": "Learning disability: parent or carer",
    "5C": "Learning disability: other person in the household",
    "6A": "Physical disability or illness: child",
    "6B": "Physical disability or illness: parent or carer",
    "6C": "Physical disability or illness: other person in the household",
    "7A": "Young carer",
    "8B": "Privately fostered",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Neglect",
    "17A": "Emotional abuse",
    "18A": "Physical abuse (perpetrator unknown)",
    "18B": "Physical abuse: child on child",
    "18C": "Physical abuse: adult on child",
    "19A": "Sexual abuse (perpetrator unknown)",
    "19B": "Sexual abuse: child on child",
    "19C": "Sexual abuse: adult on child",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}


def factor_group_name(code: str) -> str:
    """A factor code as a group of the `assessment_factor` breakdown names it: 'Domestic abuse: parent
    or carer (3B)'; a code DfE does not list is shown as it is."""
    label = FACTOR_LABELS.get(code)
    return f"{label} ({code})" if label else code
