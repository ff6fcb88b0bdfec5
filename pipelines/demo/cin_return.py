"""DfE CIN census XML returns, cut year by year from a simulated history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from pipelines.demo.draws import _DateText, _day
from pipelines.demo.history import _History
from pipelines.demo.params import (
    _CATEGORY_CODES,
    _SOURCE_CODES,
    DEMO_LA,
)
from vocabulary import codes


def _child_ids(hist: _History) -> list[str]:
    prefix = hist.cfg.id_prefix
    return [f"{prefix}{i + 1:07d}" for i in range(len(hist.birth))]


def upn_check_letter(digits: str) -> str:
    """DfE's UPN check letter for characters 2-13 (rule 1510): weights 2-13, sum mod 23."""
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[sum(int(c) * w for w, c in enumerate(digits, 2)) % 23]


def _write_return(
    path: Path, hist: _History, year: int, ids: list[str], only: set[int] | None = None
) -> set[int]:
    """Cut the return for the year ending 31 March `year`; returns the children written."""
    la = hist.cfg.la
    upn_la = la if la in codes.UPN_LA_CODES else DEMO_LA
    ref = _day(date(year, 3, 31))
    period_start = _day(date(year - 1, 4, 1))
    ds, ep_ref, ep_close, ep_child = hist.index()
    ref_text = ds(ref)
    eps = hist.episodes
    sel = np.nonzero((ep_ref <= ref) & (ep_close >= period_start))[0]
    sel = sel[np.lexsort((sel, ep_child[sel]))]
    use_sex = year >= codes.FIRST_SEX_SPEC_YEAR
    nfa_text = ("1", "0") if year <= 2018 else ("true", "false")
    eth_codes = hist.codes_eth
    written: set[int] = set()
    out: list[str] = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f"<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>"
        f"<ReferenceDate>{ref_text}</ReferenceDate></CollectionDetails><Source>"
        f"<SourceLevel>L</SourceLevel><LEA>{la}</LEA>"
        "<SoftwareCode>safeguarding-demo-generator</SoftwareCode><Release>1</Release>"
        f"<SerialNo>1</SerialNo><DateTime>{ds(ref + 60)}T09:00:00</DateTime></Source></Header>\n"
        "<Children>\n",
    ]
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        k, n = 0, len(sel)
        while k < n:
            child = int(ep_child[sel[k]])
            j = k
            while j < n and ep_child[sel[j]] == child:
                j += 1
            group = sel[k:j]
            k = j
            if only is not None and child not in only:
                continue
            written.add(child)
            birth = hist.birth[child]
            parts = [f"<Child><ChildIdentifiers><LAchildID>{ids[child]}</LAchildID>"]
            if birth <= ref:
                # Characters 2-4 are the issuing LA (DfE rule 1530): the LA itself, or the demo LA
                # for a made-up LA code such as the benchmarks' 999. The multiplier is invertible
                # mod 10**9, so children get distinct UPNs (rule 1520).
                digits = f"{upn_la}{(child * 48271003 + hist.upn_offset) % 10**9:09d}"
                parts.append(
                    f"<UPN>{upn_check_letter(digits)}{digits}</UPN>"
                    f"<PersonBirthDate>{ds(birth)}</PersonBirthDate>"
                )
                sex = hist.sex[child]
            else:
                parts.append(f"<ExpectedPersonBirthDate>{ds(hist.expected[child])}</ExpectedPersonBirthDate>")
                sex = 0
            if use_sex:
                parts.append(f"<Sex>{'UMF'[sex] if sex < 3 else 'U'}</Sex>")
            else:
                parts.append(f"<GenderCurrent>{sex}</GenderCurrent>")
            if hist.death[child] <= ref:
                parts.append(f"<PersonDeathDate>{ds(hist.death[child])}</PersonDeathDate>")
            parts.append(
                f"</ChildIdentifiers><ChildCharacteristics><Ethnicity>"
                f"{eth_codes[hist.ethnicity[child]]}</Ethnicity>"
                f"{hist.disability[child]}</ChildCharacteristics>"
            )
            for e in group:
                _episode_xml(
                    parts, eps[e], ref, ds, nfa_text, year >= codes.FIRST_SEX_SPEC_YEAR, period_start
                )
            parts.append("</Child>\n")
            out.append("".join(parts))
            if len(out) >= 2000:
                fh.write("".join(out))
                out.clear()
        out.append("</Children></Message>\n")
        fh.write("".join(out))
    return written


def _episode_xml(
    parts: list[str],
    ep: list,
    ref: int,
    ds: _DateText,
    nfa_text: tuple[str, str],
    no_19a: bool = False,
    start_of_year: int = 0,
) -> None:
    """One CINdetails as DfE's return has it: modules finished before the census year (an assessment
    authorised, a conference held, a CIN or CP plan ended before `start_of_year`) are left out, as an
    LA's return leaves them out (DfE rules 8696, 8715, 4013, 8930; the earlier return holds them),
    and the conference date is recorded once, on its section 47 enquiry (rule 2884). An episode closed
    as RC8 ("closed after assessment") whose assessment was authorised before the census year has no
    assessment in the return, so it is returned as RC7 (DfE queries RC8 without one: 8825Q)."""
    _, referral, source, need, close, reason, nfa, _icpc, assessments, cin_plans, s47s, plans = ep
    if reason == "RC8" and all(auth < start_of_year for _, _, auth, _ in assessments):
        reason = "RC7"
    parts.append(
        f"<CINdetails><CINreferralDate>{ds(referral)}</CINreferralDate>"
        f"<ReferralSource>{_SOURCE_CODES[source]}</ReferralSource>"
        f"<PrimaryNeedCode>{need}</PrimaryNeedCode>"
    )
    if close <= ref:
        parts.append(
            f"<CINclosureDate>{ds(close)}</CINclosureDate><ReasonForClosure>{reason}</ReasonForClosure>"
        )
    for start, review, auth, factors in assessments:
        if start > ref or auth < start_of_year:
            continue
        parts.append(f"<Assessments><AssessmentActualStartDate>{ds(start)}</AssessmentActualStartDate>")
        if review <= ref:
            parts.append(f"<AssessmentInternalReviewDate>{ds(review)}</AssessmentInternalReviewDate>")
        if auth <= ref:
            parts.append(
                f"<AssessmentAuthorisationDate>{ds(auth)}</AssessmentAuthorisationDate>"
                "<FactorsIdentifiedAtAssessment>"
                + "".join(
                    f"<AssessmentFactors>{f}</AssessmentFactors>"
                    for f in dict.fromkeys("19B" if no_19a and f == "19A" else f for f in factors)
                )
                + "</FactorsIdentifiedAtAssessment>"
            )
        parts.append("</Assessments>")
    for start, end in cin_plans:
        if start > ref or end < start_of_year:
            continue
        parts.append(f"<CINPlanDates><CINPlanStartDate>{ds(start)}</CINPlanStartDate>")
        if end <= ref:
            parts.append(f"<CINPlanEndDate>{ds(end)}</CINPlanEndDate>")
        parts.append("</CINPlanDates>")
    for start, target, s_icpc, decided, not_required in s47s:
        if start > ref or s_icpc < start_of_year or (not_required and decided < start_of_year):
            continue
        parts.append(
            f"<Section47><S47ActualStartDate>{ds(start)}</S47ActualStartDate>"
            f"<InitialCPCtarget>{ds(target)}</InitialCPCtarget>"
        )
        if s_icpc <= ref:
            parts.append(f"<DateOfInitialCPC>{ds(s_icpc)}</DateOfInitialCPC>")
        flag = "true" if not_required and decided <= ref else "false"
        parts.append(f"<ICPCnotRequired>{flag}</ICPCnotRequired></Section47>")
    for start, end, initial, latest, change, nprev, reviews in plans:
        if start > ref or end < start_of_year:
            continue
        parts.append(f"<ChildProtectionPlans><CPPstartDate>{ds(start)}</CPPstartDate>")
        if end <= ref:
            parts.append(f"<CPPendDate>{ds(end)}</CPPendDate>")
        if change > ref:
            latest = initial
        parts.append(
            f"<InitialCategoryOfAbuse>{_CATEGORY_CODES[initial]}"
            f"</InitialCategoryOfAbuse><LatestCategoryOfAbuse>"
            f"{_CATEGORY_CODES[latest]}</LatestCategoryOfAbuse>"
            f"<NumberOfPreviousCPP>{nprev}</NumberOfPreviousCPP>"
        )
        shown = [r for r in reviews if r <= ref]
        if shown:
            parts.append(
                "<Reviews>" + "".join(f"<CPPreviewDate>{ds(r)}</CPPreviewDate>" for r in shown) + "</Reviews>"
            )
        parts.append("</ChildProtectionPlans>")
    parts.append(f"<ReferralNFA>{nfa_text[0] if nfa else nfa_text[1]}</ReferralNFA></CINdetails>")
