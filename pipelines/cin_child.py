"""Validation and row-building for one <Child> of a CIN census return (both validation tiers)."""

from __future__ import annotations

from datetime import date

from lxml import etree

from pipelines.child_ids import check_child_id
from pipelines.cin_types import ChildReader
from pipelines.pseudonymise import derived_key, normalise_child_id
from pipelines.xml_fields import (
    Fields,
    age_in_years,
    children_named,
    leaf_fields,
    local_name,
    month_start,
)
from vocabulary import codes


def _bool(reader: ChildReader, fields: Fields, name: str) -> bool | None:
    if name not in fields or fields[name][0] == "":
        return None
    text, line = fields[name]
    low = text.lower()
    if low in codes.BOOLEAN_TRUE:
        return True
    if low in codes.BOOLEAN_FALSE:
        return False
    reader.rule("R-BOOLEAN", name, text, line, "is not true/false (1/0); treated as unknown")
    return None


def read_child(reader: ChildReader, el: etree._Element) -> None:
    """Validate one child and, if it has no structural error, add its rows to the sink."""
    header = reader.result.header
    assert header is not None
    ref = header.reference_date
    line = el.sourceline
    idents: Fields = {}
    chars: Fields = {}
    disabilities: list[tuple[str, int]] = []  # (code, line)
    episodes: list[etree._Element] = []
    ident_el: etree._Element | None = None
    loose: Fields = {}  # leaves directly under <Child>: only the DfE rules' raw collector reads them
    raw = reader.raw
    reader._child_id = None
    for sub in el:
        name = local_name(sub.tag)
        if name == "ChildIdentifiers":
            idents = leaf_fields(sub)
            ident_el = sub
        elif name == "ChildCharacteristics":
            chars = leaf_fields(sub)
            for dis in children_named(sub, "Disabilities"):
                disabilities += [
                    ((d.text or "").strip(), d.sourceline) for d in dis if local_name(d.tag) == "Disability"
                ]
        elif name == "CINdetails":
            episodes.append(sub)
        elif name and not len(sub) and name not in loose:
            loose[name] = ((sub.text or "").strip(), sub.sourceline or 0)
    if raw is not None:
        raw.child(line, idents, chars, loose, disabilities)
    la_child_id = normalise_child_id(idents.get("LAchildID", ("", 0))[0])
    n_structural = reader.result.n_structural
    marks = reader.sink.marks()
    if not la_child_id:
        reader.structural(
            "S-REQUIRED", "LAchildID", None, line, "required element <LAchildID> is missing or empty"
        )
        if raw is not None:
            raw.episodes(episodes)  # the rules still read them
        return
    # Reported, not returned from: the rest of the child is still checked, and the file is
    # rejected anyway. Issues name the child by its identifier made safe to print.
    check_child_id(reader, la_child_id, idents["LAchildID"][1])
    if ident_el is not None:
        reader._stray_text(ident_el)
    if la_child_id in reader._seen_ids:
        reader.structural(
            "S-DUPLICATE-CHILD",
            "LAchildID",
            reader._child_id,  # as made safe to print by check_child_id
            line,
            f"this LAchildID already appeared at line {reader._seen_ids[la_child_id]}",
        )
    reader._seen_ids[la_child_id] = line

    birth = reader._date(idents, "PersonBirthDate")
    expected = reader._date(idents, "ExpectedPersonBirthDate")
    death = reader._date(idents, "PersonDeathDate")
    sex = _sex(reader, idents, line)
    ethnicity = _ethnicity(reader, chars, line)
    if birth is None and expected is None:
        reader.rule(
            "R-NO-BIRTHDATE",
            "PersonBirthDate",
            None,
            line,
            "neither PersonBirthDate nor ExpectedPersonBirthDate is given",
        )
    if birth is not None and birth > ref:
        reader.rule(
            "R-BIRTH-AFTER-REF",
            "PersonBirthDate",
            None,
            idents["PersonBirthDate"][1],
            "birth date is after the reference date; an unborn child needs ExpectedPersonBirthDate instead",
        )
    if birth is not None and death is not None and death < birth:
        reader.rule(
            "R-DEATH-BEFORE-BIRTH",
            "PersonDeathDate",
            None,
            idents["PersonDeathDate"][1],
            "death date is before the birth date",
        )

    pseudo = reader.pseudo
    child_key = pseudo.child_key(header.la_code, la_child_id)
    upn = idents.get("UPN", ("", 0))[0]
    born = birth is not None and birth <= ref
    reader.sink.add(
        "children",
        (
            child_key,
            pseudo.upn_key(upn) if upn else None,
            month_start(birth),
            month_start(expected),
            sex,
            ethnicity,
            month_start(death),
            ",".join(d for d, _ in disabilities if d) or None,
            age_in_years(birth, ref) if born else None,
            not born,
            line,
        ),
    )

    seen_referrals: dict[date, int] = {}
    seen_plans: dict[date, int] = {}
    for ep in episodes:
        _read_episode(reader, ep, child_key, birth, ref, seen_referrals, seen_plans)

    if reader.result.n_structural > n_structural:
        reader.sink.discard_child(marks)  # a rejected file loads nothing anyway
    else:
        reader.sink.end_child()


def _sex(reader: ChildReader, idents: Fields, line: int) -> str | None:
    if "Sex" in idents and idents["Sex"][0]:
        text, at = idents["Sex"]
        if text.upper() in codes.SEX_CODES:
            return text.upper()
        reader.structural("S-CODE", "Sex", text, at, "is not a valid Sex code (M, F or U)")
        return None
    if "GenderCurrent" in idents and idents["GenderCurrent"][0]:
        text, at = idents["GenderCurrent"]
        if text in codes.GENDER_CURRENT_TO_SEX:
            return codes.GENDER_CURRENT_TO_SEX[text]
        reader.structural(
            "S-CODE", "GenderCurrent", text, at, "is not a valid GenderCurrent code (0, 1, 2 or 9)"
        )
        return None
    reader.structural(
        "S-REQUIRED",
        "Sex",
        None,
        line,
        "neither <Sex> (from 2024-25) nor <GenderCurrent> (to 2023-24) is given",
    )
    return None


def _ethnicity(reader: ChildReader, chars: Fields, line: int) -> str | None:
    text, at = chars.get("Ethnicity", ("", line))
    if not text:
        reader.structural(
            "S-REQUIRED", "Ethnicity", None, at, "required element <Ethnicity> is missing or empty"
        )
        return None
    if text.upper() not in codes.ETHNICITY_CODES:
        reader.structural(
            "S-CODE",
            "Ethnicity",
            text,
            at,
            "is not one of the 20 DfE ethnicity codes (e.g. WBRI, AIND, NOBT)",
        )
        return None
    return text.upper()


def _after_ref(reader: ChildReader, name: str, value: date | None, fields: Fields, ref: date) -> None:
    if value is not None and value > ref:
        reader.rule(
            "R-AFTER-REF",
            name,
            value.isoformat(),
            fields[name][1],
            f"is after the census reference date {ref.isoformat()}",
        )


def _end_before_start(
    reader: ChildReader, start_name: str, start: date | None, end_name: str, end: date | None, fields: Fields
) -> None:
    if start is not None and end is not None and end < start:
        reader.rule(
            "R-END-BEFORE-START",
            end_name,
            end.isoformat(),
            fields[end_name][1],
            f"is before {start_name} {start.isoformat()}",
        )


def _read_episode(
    reader: ChildReader,
    ep: etree._Element,
    child_key: str,
    birth: date | None,
    ref: date,
    seen_referrals: dict[date, int],
    seen_plans: dict[date, int],
) -> None:
    f = leaf_fields(ep)
    raw = reader.raw
    if raw is not None:
        raw.episode(ep.sourceline, f)
    reader._stray_text(ep)
    referral = reader._date(f, "CINreferralDate", required=True, parent_line=ep.sourceline)
    closure = reader._date(f, "CINclosureDate")
    icpc = reader._date(f, "DateOfInitialCPC")
    _after_ref(reader, "CINreferralDate", referral, f, ref)
    _after_ref(reader, "CINclosureDate", closure, f, ref)
    _end_before_start(reader, "CINreferralDate", referral, "CINclosureDate", closure, f)
    if referral is None or referral in seen_referrals:
        if raw is not None:
            raw.episode_parts(ep)  # the rules still read them
    if referral is None:
        return
    if referral in seen_referrals:
        reader.structural(
            "S-DUPLICATE-EPISODE",
            "CINreferralDate",
            referral.isoformat(),
            f["CINreferralDate"][1],
            f"a CINdetails with this referral date already appeared at line {seen_referrals[referral]}",
        )
        return
    seen_referrals[referral] = f["CINreferralDate"][1]
    episode_key = derived_key(child_key, "cin", referral.isoformat())
    get = lambda name: f.get(name, ("", 0))[0] or None  # noqa: E731
    reader.sink.add(
        "cin_episodes",
        (
            episode_key,
            child_key,
            referral,
            get("ReferralSource"),
            get("PrimaryNeedCode"),
            closure,
            get("ReasonForClosure"),
            icpc,
            _bool(reader, f, "ReferralNFA"),
            ep.sourceline,
        ),
    )

    for sub in ep:
        name = local_name(sub.tag)
        if name == "Assessments":
            _assessment(reader, sub, episode_key, child_key, ref)
        elif name == "CINPlanDates":
            sf = leaf_fields(sub)
            if raw is not None:
                raw.part("cin_plan", sub, sf)
            start = reader._date(sf, "CINPlanStartDate", required=True, parent_line=sub.sourceline)
            end = reader._date(sf, "CINPlanEndDate")
            _after_ref(reader, "CINPlanStartDate", start, sf, ref)
            _end_before_start(reader, "CINPlanStartDate", start, "CINPlanEndDate", end, sf)
            reader.sink.add("cin_plans", (episode_key, child_key, start, end, sub.sourceline))
        elif name == "Section47":
            _section47(reader, sub, episode_key, child_key, ref)
        elif name == "ChildProtectionPlans":
            _plan(reader, sub, episode_key, child_key, birth, ref, seen_plans)


def _assessment(
    reader: ChildReader, sub: etree._Element, episode_key: str, child_key: str, ref: date
) -> None:
    af = leaf_fields(sub)
    start = reader._date(af, "AssessmentActualStartDate", required=True, parent_line=sub.sourceline)
    review = reader._date(af, "AssessmentInternalReviewDate")
    auth = reader._date(af, "AssessmentAuthorisationDate")
    _after_ref(reader, "AssessmentActualStartDate", start, af, ref)
    _after_ref(reader, "AssessmentAuthorisationDate", auth, af, ref)
    _end_before_start(reader, "AssessmentActualStartDate", start, "AssessmentAuthorisationDate", auth, af)
    factors = [  # (code, line)
        ((x.text or "").strip(), x.sourceline)
        for fia in children_named(sub, "FactorsIdentifiedAtAssessment")
        for x in fia
        if local_name(x.tag) == "AssessmentFactors"
    ]
    if reader.raw is not None:
        reader.raw.part("assessment", sub, af, factors)
    reader.sink.add(
        "assessments",
        (
            episode_key,
            child_key,
            start,
            review,
            auth,
            ",".join(x for x, _ in factors if x) or None,
            sub.sourceline,
        ),
    )


def _section47(reader: ChildReader, sub: etree._Element, episode_key: str, child_key: str, ref: date) -> None:
    sf = leaf_fields(sub)
    if reader.raw is not None:
        reader.raw.part("s47", sub, sf)
    start = reader._date(sf, "S47ActualStartDate", required=True, parent_line=sub.sourceline)
    target = reader._date(sf, "InitialCPCtarget")
    icpc = reader._date(sf, "DateOfInitialCPC")
    _after_ref(reader, "S47ActualStartDate", start, sf, ref)
    _after_ref(reader, "DateOfInitialCPC", icpc, sf, ref)
    _end_before_start(reader, "S47ActualStartDate", start, "DateOfInitialCPC", icpc, sf)
    reader.sink.add(
        "section47",
        (episode_key, child_key, start, target, icpc, _bool(reader, sf, "ICPCnotRequired"), sub.sourceline),
    )


def _plan(
    reader: ChildReader,
    sub: etree._Element,
    episode_key: str,
    child_key: str,
    birth: date | None,
    ref: date,
    seen_plans: dict[date, int],
) -> None:
    pf = leaf_fields(sub)
    if reader.raw is not None:
        reader.raw.part("cpp", sub, pf)
    reader._stray_text(sub)
    start = reader._date(pf, "CPPstartDate", required=True, parent_line=sub.sourceline)
    end = reader._date(pf, "CPPendDate")
    _after_ref(reader, "CPPstartDate", start, pf, ref)
    _after_ref(reader, "CPPendDate", end, pf, ref)
    _end_before_start(reader, "CPPstartDate", start, "CPPendDate", end, pf)
    initial = _category(reader, pf, "InitialCategoryOfAbuse", sub.sourceline, required=True)
    latest = _category(reader, pf, "LatestCategoryOfAbuse", sub.sourceline, required=False)
    previous = _previous_plans(reader, pf, start, birth)
    if start is None:
        return
    if birth is not None:
        last_day = min(d for d in (end, ref) if d is not None)
        if age_in_years(birth, start) >= 18 or age_in_years(birth, last_day) >= 18:
            reader.rule(
                "R-AGE-18",
                "CPPstartDate",
                start.isoformat(),
                pf["CPPstartDate"][1],
                "the child is aged 18 or over while on this plan",
            )
    if start in seen_plans:
        reader.structural(
            "S-DUPLICATE-PLAN",
            "CPPstartDate",
            start.isoformat(),
            pf["CPPstartDate"][1],
            f"the child already has a plan starting on this date (line {seen_plans[start]})",
        )
        return
    seen_plans[start] = pf["CPPstartDate"][1]
    plan_key = derived_key(child_key, "cpp", start.isoformat())
    reader.sink.add(
        "cp_plans",
        (plan_key, episode_key, child_key, start, end, initial, latest or initial, previous, sub.sourceline),
    )
    for reviews in children_named(sub, "Reviews"):
        for r in reviews:
            if local_name(r.tag) != "CPPreviewDate":
                continue
            rf = {"CPPreviewDate": ((r.text or "").strip(), r.sourceline or 0)}
            review = reader._date(rf, "CPPreviewDate", required=True, parent_line=r.sourceline)
            if review is None:
                continue
            if review < start or (end is not None and review > end):
                reader.rule(
                    "R-REVIEW-OUTSIDE-PLAN",
                    "CPPreviewDate",
                    review.isoformat(),
                    r.sourceline,
                    f"review is outside its plan ({start.isoformat()} to "
                    f"{end.isoformat() if end else 'open'})",
                )
            _after_ref(reader, "CPPreviewDate", review, rf, ref)
            reader.sink.add("cp_reviews", (plan_key, child_key, review, r.sourceline))


def _category(reader: ChildReader, pf: Fields, name: str, line: int, required: bool) -> str | None:
    text, at = pf.get(name, ("", line))
    if not text:
        if required:
            reader.structural("S-REQUIRED", name, None, at, f"required element <{name}> is missing or empty")
        return None
    if text.upper() not in codes.CATEGORY_OF_ABUSE:
        reader.structural(
            "S-CODE", name, text, at, "is not a category of abuse code (NEG, PHY, SAB, EMO or MUL)"
        )
        return None
    return text.upper()


def _previous_plans(reader: ChildReader, pf: Fields, start: date | None, birth: date | None) -> int | None:
    if "NumberOfPreviousCPP" not in pf or pf["NumberOfPreviousCPP"][0] == "":
        return None
    text, at = pf["NumberOfPreviousCPP"]
    if not text.isdigit():
        reader.structural("S-NUMBER", "NumberOfPreviousCPP", text, at, "is not a whole number of 0 or more")
        return None
    n = int(text)
    # More than one earlier plan per year of life (plus one) is not credible; 50 caps unborn cases.
    limit = 50 if birth is None or start is None else max(1, age_in_years(birth, start) + 1)
    if n > limit:
        reader.rule(
            "R-PREVIOUS-CPP",
            "NumberOfPreviousCPP",
            text,
            at,
            f"{n} previous plans is not possible for a child of this age (at most {limit})",
        )
    return n
