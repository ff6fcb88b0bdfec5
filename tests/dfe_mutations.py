"""The DfE-rule mutation corpus: a clean return per collection year, and one copy per rule that
breaks exactly that rule (or, where DfE's rules imply each other, the stated few)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

BASE = Path(__file__).parent / "fixtures" / "cin" / "dfe_clean_2024-25.xml"
YEARS = ("2023-24", "2024-25", "2025-26")
# The base is 2024-25; other years shift every date by whole weeks (weekdays stay the same).
SHIFT_DAYS = {"2023-24": -364, "2024-25": 0, "2025-26": 364}
GENDER_OF_SEX = {"M": "1", "F": "2", "U": "0"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Return:
    """The clean return for one collection year, with helpers to break it."""

    def __init__(self, year: str):
        self.year = year
        self.root = etree.parse(str(BASE)).getroot()
        end = int(year[:4]) + 1
        for el in self.root.iter():
            if not isinstance(el.tag, str) or el.text is None:
                continue
            text = el.text.strip()
            if el.tag == "ReferenceDate":
                el.text = f"{end}-03-31"
            elif el.tag == "Year":
                el.text = str(end)
            elif el.tag == "DateTime":
                el.text = f"{end}-04-20T10:00:00"
            elif _DATE.fullmatch(text):
                el.text = self.d(text)
        if end <= 2024:  # spec years to 2023-24 carry GenderCurrent, not Sex
            for sex in self.root.iter("Sex"):
                sex.tag = "GenderCurrent"
                sex.text = GENDER_OF_SEX[sex.text]

    def d(self, iso: str) -> str:
        """A 2024-25 date moved into this return's year."""
        return (date.fromisoformat(iso) + timedelta(days=SHIFT_DAYS[self.year])).isoformat()

    def child(self, la_child_id: str) -> etree._Element:
        for c in self.root.iter("Child"):
            if c.findtext("ChildIdentifiers/LAchildID") == la_child_id:
                return c
        raise KeyError(la_child_id)

    def ids(self, la_child_id: str) -> etree._Element:
        return self.child(la_child_id).find("ChildIdentifiers")

    def ep(self, la_child_id: str, i: int = 0) -> etree._Element:
        return self.child(la_child_id).findall("CINdetails")[i]

    def set(self, parent: etree._Element, path: str, text: str) -> None:
        el = parent.find(path)
        if el is None:
            el = etree.SubElement(parent, path)
        el.text = text

    def drop(self, parent: etree._Element, path: str) -> None:
        el = parent.find(path)
        el.getparent().remove(el)

    def add(self, parent: etree._Element, fragment: str) -> None:
        parent.append(etree.fromstring(fragment))

    def sex(self, la_child_id: str, code: str) -> None:
        """Set Sex (2024-25 on) or GenderCurrent (to 2023-24) from an M/F/U code; any other
        code is written as it is, to either element."""
        ids = self.ids(la_child_id)
        el = ids.find("Sex") if ids.find("Sex") is not None else ids.find("GenderCurrent")
        el.text = GENDER_OF_SEX.get(code, code) if el.tag == "GenderCurrent" else code

    def write(self, path: Path) -> Path:
        etree.ElementTree(self.root).write(str(path), xml_declaration=True, encoding="UTF-8")
        return path


@dataclass(frozen=True)
class Mutation:
    code: str
    expected: frozenset[str]  # the DfE rules that must fire: the code, plus any it implies
    years: tuple[str, ...]
    apply: Callable[[Return], None]
    why_more: str = ""  # why more than one rule fires, where it does


MUTATIONS: dict[str, Mutation] = {}


def mutation(name: str, *also: str, years: tuple[str, ...] = YEARS, why: str = ""):
    code = name.split("_")[0]

    def register(fn: Callable[[Return], None]) -> Callable[[Return], None]:
        MUTATIONS[name] = Mutation(code, frozenset({code, *also}), years, fn, why)
        return fn

    return register


NEW = ("2024-25", "2025-26")
OLD = ("2023-24",)
S47 = (
    "<Section47><S47ActualStartDate>{}</S47ActualStartDate>{}"
    "<ICPCnotRequired>false</ICPCnotRequired></Section47>"
)
ICPC = "<DateOfInitialCPC>{}</DateOfInitialCPC>"
ASSESS = "<Assessments><AssessmentActualStartDate>{}</AssessmentActualStartDate></Assessments>"


def s47(start: str, icpc: str | None = None) -> str:
    return S47.format(start, ICPC.format(icpc) if icpc else "")


# --- header and child identifiers -------------------------------------------------------------
@mutation("100")
def _m100(r):
    ref = r.root.find("Header/CollectionDetails/ReferenceDate")
    ref.text = ref.text.replace("-03-31", "-03-30")


@mutation("8500")
def _m8500(r):
    r.set(r.ids("C1001"), "LAchildID", "")


@mutation("8510")
def _m8510(r):
    r.set(r.ids("C1002"), "LAchildID", "C1001")


@mutation("1570", years=NEW)
def _m1570(r):
    r.set(r.ids("C1001"), "LAchildID", "C" * 21)


@mutation("1580", years=NEW)
def _m1580(r):
    r.set(r.ids("C1001"), "LAchildID", "C-1001")


@mutation("8520")
def _m8520(r):
    ids = r.ids("C1003")
    r.drop(ids, "ExpectedPersonBirthDate")
    r.set(ids, "PersonBirthDate", r.d("2025-04-02"))
    r.sex("C1003", "M")


@mutation("8525Q")
def _m8525(r):
    r.drop(r.ids("C1004"), "PersonBirthDate")


@mutation("8530Q")
def _m8530(r):
    r.set(r.ids("C1003"), "ExpectedPersonBirthDate", r.d("2025-02-20"))


@mutation("8535Q")
def _m8535(r):
    ids = r.ids("C1004")
    r.set(ids, "PersonBirthDate", r.d("2024-10-11"))
    r.set(ids, "PersonDeathDate", r.d("2024-10-10"))


@mutation("8545Q")
def _m8545(r):
    r.set(r.ids("C1005"), "PersonDeathDate", r.d("2025-05-01"))


@mutation("4180", years=NEW)
def _m4180(r):
    r.sex("C1001", "X")


@mutation("4180_gender", years=OLD)
def _m4180g(r):
    r.sex("C1001", "5")


@mutation("8750", years=NEW)
def _m8750(r):
    r.sex("C1003", "F")


@mutation("8750_gender", years=OLD)
def _m8750g(r):
    r.sex("C1003", "F")


@mutation("2886Q")
def _m2886(r):
    r.sex("C1001", "U")


@mutation("4220")
def _m4220(r):
    r.set(r.child("C1001"), "ChildCharacteristics/Ethnicity", "XXXX")


@mutation("1510")
def _m1510(r):
    r.set(r.ids("C1001"), "UPN", "A856111111111")


@mutation("1520")
def _m1520(r):
    r.set(r.ids("C1002"), "UPN", "Y856111111111")


@mutation("1530")
def _m1530(r):
    r.set(r.ids("C1001"), "UPN", "B999111111111")  # 999 is no LA code; B is its right check letter


@mutation("1540")
def _m1540(r):
    r.set(r.ids("C1001"), "UPN", "Y856X11111111")


@mutation("1550")
def _m1550(r):
    r.set(r.ids("C1001"), "UPN", "Y85611111111I")


@mutation("1560Q")
def _m1560(r):
    r.set(r.ids("C1005"), "FormerUPN", "1234")


@mutation("8770Q")
def _m8770(r):
    r.drop(r.ids("C1001"), "UPN")


@mutation("8772")
def _m8772(r):
    r.set(r.ids("C1002"), "UPNunknown", "UN7")


@mutation("8775Q")
def _m8775(r):
    r.set(r.ids("C1002"), "PersonBirthDate", r.d("1998-01-15"))


@mutation("8540")
def _m8540(r):
    r.child("C1002").find("ChildCharacteristics/Disabilities/Disability").text = "XYZ"


@mutation("8790")
def _m8790(r):
    r.add(r.child("C1001").find("ChildCharacteristics/Disabilities"), "<Disability>MOB</Disability>")


@mutation("8794")
def _m8794(r):
    r.add(r.child("C1002").find("ChildCharacteristics/Disabilities"), "<Disability>MOB</Disability>")


@mutation("2887Q")
def _m2887(r):
    r.child("C1005").find("ChildCharacteristics/Disabilities/Disability").text = "MOB"


@mutation("2888Q", "2887Q", why="with one code per child, five children use fewer than 8 codes")
def _m2888(r):
    for child in ("C1002", "C1005"):
        codes = r.child(child).find("ChildCharacteristics/Disabilities")
        for extra in codes.findall("Disability")[1:]:
            codes.remove(extra)


# --- CIN episodes ------------------------------------------------------------------------------
@mutation("8590")
def _m8590(r):
    r.child("C1003").remove(r.ep("C1003"))


@mutation("8600")
def _m8600(r):
    r.set(r.ep("C1003"), "CINreferralDate", r.d("2025-04-02"))


@mutation("8606")
def _m8606(r):
    r.set(r.ep("C1003"), "CINreferralDate", r.d("2024-08-01"))


@mutation("8610")
def _m8610(r):
    r.drop(r.ep("C1003"), "PrimaryNeedCode")


@mutation("8620")
def _m8620(r):
    r.set(r.ep("C1002", 1), "CINclosureDate", r.d("2025-04-02"))


@mutation("8630")
def _m8630(r):
    r.set(r.ep("C1003"), "CINclosureDate", r.d("2025-02-01"))
    r.set(r.ep("C1003"), "ReasonForClosure", "RC1")


@mutation("8640")
def _m8640(r):
    r.set(r.ep("C1002", 1), "ReasonForClosure", "RC99")


@mutation("8650")
def _m8650(r):
    r.set(r.ep("C1001"), "PrimaryNeedCode", "N99")


@mutation("8568")
def _m8568(r):
    r.set(r.ep("C1001"), "ReferralNFA", "maybe")


@mutation("8805")
def _m8805(r):
    r.drop(r.ep("C1002", 1), "ReasonForClosure")


@mutation("8810")
def _m8810(r):
    r.set(r.ep("C1003"), "ReasonForClosure", "RC1")


@mutation("8815", "8816", "8820", why="two open episodes always overlap, and one is not the latest")
def _m8815(r):
    r.add(
        r.child("C1003"),
        f"<CINdetails><CINreferralDate>{r.d('2025-01-06')}</CINreferralDate><ReferralSource>1A"
        "</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>"
        "</CINdetails>",
    )


@mutation("8816", "8820", why="a later episode starts inside the open earlier one")
def _m8816(r):
    ep = r.ep("C1002", 0)
    r.drop(ep, "CINclosureDate")
    r.drop(ep, "ReasonForClosure")


@mutation("8820")
def _m8820(r):
    r.set(r.ep("C1002", 1), "CINreferralDate", r.d("2024-04-01"))


@mutation("8569Q")
def _m8569(r):
    # Before the last working day before the census year starts (2024-25: Thursday 28 March 2024).
    r.set(r.ep("C1004"), "CINreferralDate", r.d("2024-03-27"))


@mutation("8873Q")
def _m8873(r):
    r.set(r.ep("C1002", 0), "ReasonForClosure", "RC1")  # its one assessment found factor 21


@mutation("8866")
def _m8866(r):
    r.set(r.ep("C1001"), "ReferralSource", "ZZ")


@mutation("8555Q")
def _m8555(r):
    r.set(r.ids("C1004"), "PersonDeathDate", r.d("2024-10-01"))


@mutation("8585Q")
def _m8585(r):
    r.set(r.ep("C1002", 1), "ReasonForClosure", "RC2")


@mutation("2884")
def _m2884(r):
    r.set(r.ep("C1001"), "DateOfInitialCPC", r.d("2024-05-24"))


@mutation("2990")
def _m2990(r):
    r.set(r.ep("C1002", 0), "DateOfInitialCPC", r.d("2024-04-02"))


@mutation("8825Q")
def _m8825(r):
    r.drop(r.ep("C1002", 0), "Assessments")


@mutation("2991Q")
def _m2991(r):
    r.drop(r.ep("C1001"), "Assessments")


@mutation("8831", "8670Q", why="the added assessment is open and started before the last 45 working days")
def _m8831(r):
    r.add(r.ep("C1004"), ASSESS.format(r.d("2024-10-11")))


@mutation("8832", "2885", "2883", why="a plan on a no-further-action referral has no conference")
def _m8832(r):
    r.add(
        r.ep("C1004"),
        f"<ChildProtectionPlans><CPPstartDate>{r.d('2024-10-11')}</CPPstartDate>"
        "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG"
        "</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>",
    )


@mutation("4000")
def _m4000(r):
    r.add(
        r.ep("C1004"),
        f"<CINPlanDates><CINPlanStartDate>{r.d('2024-10-11')}</CINPlanStartDate></CINPlanDates>",
    )


@mutation("8565")
def _m8565(r):
    r.set(r.ep("C1005"), "CINclosureDate", r.d("2024-10-31"))


@mutation("8867", "8670Q", why="an assessment with no end date, started in April")
def _m8867(r):
    a = r.ep("C1002", 1).find("Assessments")
    r.drop(a, "AssessmentAuthorisationDate")
    r.drop(a, "FactorsIdentifiedAtAssessment")


@mutation("8868", "8675Q", why="an enquiry with no conference, started in August")
def _m8868(r):
    r.add(r.ep("C1005"), s47(r.d("2024-08-01")))


# --- assessments -------------------------------------------------------------------------------
@mutation("1103")
def _m1103(r):
    r.set(r.ep("C1001").find("Assessments"), "AssessmentActualStartDate", r.d("2024-04-30"))


@mutation("8608")
def _m8608(r):
    r.set(r.ep("C1001").find("Assessments"), "AssessmentAuthorisationDate", r.d("2024-05-01"))


@mutation("8696")
def _m8696(r):
    r.set(r.ep("C1002", 0).find("Assessments"), "AssessmentAuthorisationDate", r.d("2024-03-28"))


@mutation("8736")
def _m8736(r):
    r.add(r.ep("C1003"), ASSESS.format(r.d("2025-04-02")))


@mutation("8670Q")
def _m8670(r):
    r.add(r.ep("C1001"), ASSESS.format(r.d("2024-06-03")))  # open, and started long before March


@mutation("8896", "8863Q", why="two open assessments always overlap")
def _m8896(r):
    r.add(r.ep("C1003"), ASSESS.format(r.d("2025-02-04")))
    r.add(r.ep("C1003"), ASSESS.format(r.d("2025-02-05")))


@mutation("8614")
def _m8614(r):
    r.add(
        r.ep("C1003"),
        f"<Assessments><AssessmentActualStartDate>{r.d('2025-02-04')}</AssessmentActualStartDate>"
        "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
        "</FactorsIdentifiedAtAssessment></Assessments>",
    )


@mutation("8897Q")
def _m8897(r):
    r.drop(r.ep("C1001").find("Assessments"), "FactorsIdentifiedAtAssessment")


def _factors(r: Return, *codes: str) -> None:
    fia = r.ep("C1001").find("Assessments/FactorsIdentifiedAtAssessment")
    for el, code in zip(fia.findall("AssessmentFactors"), codes, strict=True):
        el.text = code


@mutation("8869")
def _m8869(r):
    _factors(r, "21", "3A")


@mutation("8898")
def _m8898(r):
    _factors(r, "2A", "2A")


@mutation("8945Q", years=NEW)
def _m8945(r):
    _factors(r, "18A", "3A")


@mutation("8950Q", years=NEW)
def _m8950(r):
    _factors(r, "19A", "3A")


# --- CIN plans ---------------------------------------------------------------------------------
def _plan(r: Return) -> etree._Element:
    return r.ep("C1002", 1).find("CINPlanDates")


@mutation("4010")
def _m4010(r):
    r.drop(_plan(r), "CINPlanStartDate")


@mutation("4011")
def _m4011(r):
    r.set(_plan(r), "CINPlanEndDate", r.d("2024-05-09"))


@mutation("4012Q")
def _m4012(r):
    r.set(_plan(r), "CINPlanEndDate", r.d("2024-05-10"))


@mutation("4013")
def _m4013(r):
    r.add(
        r.ep("C1003"),
        f"<CINPlanDates><CINPlanStartDate>{r.d('2025-02-04')}</CINPlanStartDate>"
        f"<CINPlanEndDate>{r.d('2025-04-03')}</CINPlanEndDate></CINPlanDates>",
    )


@mutation("4015")
def _m4015(r):
    r.set(_plan(r), "CINPlanStartDate", r.d("2024-04-09"))


@mutation("4004", "4014", why="two open CIN plans always overlap")
def _m4004(r):
    for day in ("2025-02-04", "2025-02-05"):
        r.add(r.ep("C1003"), f"<CINPlanDates><CINPlanStartDate>{r.d(day)}</CINPlanStartDate></CINPlanDates>")


@mutation("4008")
def _m4008(r):
    r.set(r.ids("C1002"), "PersonDeathDate", r.d("2024-11-30"))
    r.set(_plan(r), "CINPlanStartDate", r.d("2024-12-01"))
    r.drop(_plan(r), "CINPlanEndDate")


@mutation("4009Q")
def _m4009(r):
    r.set(r.ids("C1002"), "PersonDeathDate", r.d("2024-11-28"))


@mutation("4001", "4016", "4003", why="an open CIN plan starting inside an open plan, before its review")
def _m4001(r):
    r.add(
        r.ep("C1001"),
        f"<CINPlanDates><CINPlanStartDate>{r.d('2024-05-25')}</CINPlanStartDate></CINPlanDates>",
    )


@mutation("4014")
def _m4014(r):
    r.add(
        r.ep("C1002", 1),
        f"<CINPlanDates><CINPlanStartDate>{r.d('2024-06-03')}</CINPlanStartDate>"
        f"<CINPlanEndDate>{r.d('2024-06-28')}</CINPlanEndDate></CINPlanDates>",
    )


def _cin_plan_c1005(r: Return, start: str, end: str) -> None:
    r.add(
        r.ep("C1005"),
        f"<CINPlanDates><CINPlanStartDate>{r.d(start)}</CINPlanStartDate>"
        f"<CINPlanEndDate>{r.d(end)}</CINPlanEndDate></CINPlanDates>",
    )


@mutation("4016")
def _m4016(r):
    _cin_plan_c1005(r, "2024-08-01", "2024-08-30")


@mutation("4017")
def _m4017(r):
    _cin_plan_c1005(r, "2024-07-01", "2024-07-19")


@mutation("8863Q")
def _m8863(r):
    r.add(
        r.ep("C1001"),
        f"<Assessments><AssessmentActualStartDate>{r.d('2024-05-03')}</AssessmentActualStartDate>"
        f"<AssessmentAuthorisationDate>{r.d('2024-05-10')}</AssessmentAuthorisationDate>"
        "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
        "</FactorsIdentifiedAtAssessment></Assessments>",
    )


# --- section 47 enquiries ----------------------------------------------------------------------
def _s47(r: Return) -> etree._Element:
    return r.ep("C1001").find("Section47")


@mutation("2889")
def _m2889(r):
    r.set(_s47(r), "S47ActualStartDate", r.d("2024-04-30"))


@mutation("1104", "2889", why="the enquiry starts on or before its conference, so before the referral too")
def _m1104(r):
    r.add(r.ep("C1001"), s47(r.d("2024-04-29"), r.d("2024-04-30")))


@mutation("8615")
def _m8615(r):
    r.set(_s47(r), "S47ActualStartDate", r.d("2024-05-25"))


@mutation("8715")
def _m8715(r):
    r.add(r.ep("C1001"), s47(r.d("2024-05-27"), r.d("2025-04-03")))


@mutation("8740")
def _m8740(r):
    r.add(r.ep("C1003"), ASSESS.format(r.d("2025-02-04")))
    r.add(r.ep("C1003"), s47(r.d("2025-04-03")))


@mutation(
    "8839",
    "8890",
    "8675Q",
    why="two open enquiries always overlap, and start before the last 15 working days",
)
def _m8839(r):
    r.add(r.ep("C1003"), ASSESS.format(r.d("2025-02-04")))
    r.add(r.ep("C1003"), s47(r.d("2025-02-05")))
    r.add(r.ep("C1003"), s47(r.d("2025-02-06")))


@mutation("8890")
def _m8890(r):
    r.add(r.ep("C1005"), s47(r.d("2024-07-05"), r.d("2024-07-15")))


@mutation("8675Q")
def _m8675(r):
    r.add(r.ep("C1001"), s47(r.d("2024-06-03")))  # no conference, and started long before March


@mutation("8870Q")
def _m8870(r):
    r.set(_s47(r), "InitialCPCtarget", r.d("2024-05-25"))


@mutation("8875")
def _m8875(r):
    r.set(_s47(r), "DateOfInitialCPC", r.d("2024-05-25"))
    r.set(r.ep("C1001").find("ChildProtectionPlans"), "CPPstartDate", r.d("2024-05-25"))


# --- child protection plans --------------------------------------------------------------------
def _cpp(r: Return, child: str = "C1001") -> etree._Element:
    return r.ep(child).find("ChildProtectionPlans")


def _new_plan(start: str, end: str | None = None) -> str:
    end_el = f"<CPPendDate>{end}</CPPendDate>" if end else ""
    return (
        f"<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate>{end_el}"
        "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG"
        "</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>"
    )


@mutation("1105", "2885", why="the plan should start on its conference day, which follows the referral")
def _m1105(r):
    r.set(_cpp(r), "CPPstartDate", r.d("2024-04-30"))


@mutation("8720")
def _m8720(r):
    r.drop(_cpp(r), "CPPstartDate")


@mutation("8730")
def _m8730(r):
    r.drop(_cpp(r), "NumberOfPreviousCPP")


@mutation("8840")
def _m8840(r):
    r.set(_cpp(r, "C1005"), "CPPendDate", r.d("2024-07-15"))


@mutation("8841")
def _m8841(r):
    _cpp(r).find("Reviews/CPPreviewDate").text = r.d("2024-05-24")


@mutation("8842Q")
def _m8842(r):
    r.add(_cpp(r, "C1005"), "<Reviews/>")


@mutation("4003")
def _m4003(r):
    # A step-down CIN plan from the plan's end date, and a review held during it.
    _cin_plan_c1005(r, "2024-11-01", "2024-11-08")
    r.add(_cpp(r, "C1005"), f"<Reviews><CPPreviewDate>{r.d('2024-11-05')}</CPPreviewDate></Reviews>")


@mutation("8905")
def _m8905(r):
    r.set(_cpp(r), "InitialCategoryOfAbuse", "XXX")


@mutation("8910")
def _m8910(r):
    r.drop(_cpp(r), "LatestCategoryOfAbuse")


@mutation("8915")
def _m8915(r):
    r.set(r.ids("C1001"), "PersonDeathDate", r.d("2024-05-23"))


@mutation("8920")
def _m8920(r):
    r.set(r.ids("C1005"), "PersonDeathDate", r.d("2024-10-31"))


@mutation("8925")
def _m8925(r):
    r.set(_cpp(r, "C1005"), "CPPendDate", r.d("2024-07-14"))


@mutation("8930")
def _m8930(r):
    r.set(_cpp(r), "CPPendDate", r.d("2025-04-03"))


@mutation("8935", "8940", why="a second open plan always starts inside the first")
def _m8935(r):
    r.add(r.ep("C1001"), s47(r.d("2024-05-31"), r.d("2024-06-03")))
    r.add(r.ep("C1001"), _new_plan(r.d("2024-06-03")))


@mutation("8940")
def _m8940(r):
    r.add(r.ep("C1005"), s47(r.d("2024-07-30"), r.d("2024-08-01")))
    r.add(r.ep("C1005"), _new_plan(r.d("2024-08-01"), r.d("2024-09-01")))


@mutation("2885")
def _m2885(r):
    r.set(_cpp(r), "CPPstartDate", r.d("2024-05-27"))


@mutation(
    "2883",
    "2885",
    "8675Q",
    why="a plan with no conference in the year also has no conference on its day; the enquiry has none",
)
def _m2883(r):
    r.drop(_s47(r), "DateOfInitialCPC")


def clean(year: str) -> Return:
    return Return(year)


def mutated(name: str, year: str) -> Return:
    r = Return(year)
    MUTATIONS[name].apply(r)
    return r


def write_corpus(out: Path) -> list[Path]:
    """Write the clean returns and every mutation, as <year>/<name>.xml (for the peer check)."""
    written = []
    for year in YEARS:
        folder = out / year
        folder.mkdir(parents=True, exist_ok=True)
        written.append(clean(year).write(folder / "clean.xml"))
        for name, m in MUTATIONS.items():
            if year in m.years:
                written.append(mutated(name, year).write(folder / f"{name}.xml"))
    return written


if __name__ == "__main__":
    print(len(write_corpus(Path(sys.argv[1]))), "files written")
