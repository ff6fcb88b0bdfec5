"""Raw-text staging of a CIN census return for the DfE rules (in memory only, never stored)."""

from __future__ import annotations

import pyarrow as pa
from lxml import etree

from pipelines.xml_fields import leaf_fields, local_name

# Table -> (key columns, XML leaf fields). Each field gets a text column and a `<field>_line`.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "child": (
        ("child_no",),
        (
            "LAchildID",
            "UPN",
            "FormerUPN",
            "UPNunknown",
            "PersonBirthDate",
            "ExpectedPersonBirthDate",
            "GenderCurrent",
            "Sex",
            "PersonDeathDate",
            "Ethnicity",
        ),
    ),
    "disability": (("child_no",), ("Disability",)),
    "episode": (
        ("child_no", "ep_no"),
        (
            "CINreferralDate",
            "ReferralSource",
            "PrimaryNeedCode",
            "CINclosureDate",
            "ReasonForClosure",
            "DateOfInitialCPC",
            "ReferralNFA",
        ),
    ),
    "assessment": (
        ("child_no", "ep_no", "ass_no"),
        ("AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate"),
    ),
    "factor": (("child_no", "ep_no", "ass_no"), ("AssessmentFactors",)),
    "cin_plan": (("child_no", "ep_no", "plan_no"), ("CINPlanStartDate", "CINPlanEndDate")),
    "s47": (
        ("child_no", "ep_no", "s47_no"),
        ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"),
    ),
    "cpp": (
        ("child_no", "ep_no", "cpp_no"),
        (
            "CPPstartDate",
            "CPPendDate",
            "InitialCategoryOfAbuse",
            "LatestCategoryOfAbuse",
            "NumberOfPreviousCPP",
        ),
    ),
    "review": (("child_no", "ep_no", "cpp_no", "reviews_no"), ("CPPreviewDate",)),
}


def _schema(keys: tuple[str, ...], fields: tuple[str, ...]) -> pa.Schema:
    cols = [(k, pa.int32()) for k in keys] + [("line", pa.int32())]
    for f in fields:
        cols += [(f, pa.string()), (f"{f}_line", pa.int32())]
    return pa.schema(cols)


SCHEMAS = {name: _schema(*spec) for name, spec in TABLES.items()}


def _values(fields: tuple[str, ...], leaves: dict[str, tuple[str, int]], line: int) -> list:
    out: list = []
    for f in fields:
        got = leaves.get(f)
        if got is None:
            out += (None, line)
        else:
            out += (got[0] or None, got[1] or line)
    return out


class RawCollector:
    """Collects the raw text of every field the DfE rules read, one row per module, with lines."""

    def __init__(self, batch_children: int = 5000):
        self.children = 0
        self._rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self._batches: dict[str, list[pa.RecordBatch]] = {t: [] for t in TABLES}
        self._batch_children = batch_children

    def child(self, el: etree._Element) -> None:
        """Record one <Child> element (called by the census reader for every child)."""
        n = self.children
        self.children += 1
        line = el.sourceline or 0
        rows = self._rows
        idents: dict[str, tuple[str, int]] = {}
        ep_no = 0
        for sub in el:
            name = local_name(sub.tag)
            if name == "ChildIdentifiers":
                idents.update({k: v for k, v in leaf_fields(sub).items() if k not in idents})
            elif name == "ChildCharacteristics":
                for k, v in leaf_fields(sub).items():
                    idents.setdefault(k, v)
                for dis in sub:
                    if local_name(dis.tag) == "Disabilities":
                        for d in dis:
                            if local_name(d.tag) == "Disability":
                                text = (d.text or "").strip() or None
                                rows["disability"].append((n, d.sourceline, text, d.sourceline))
            elif name == "CINdetails":
                self._episode(sub, n, ep_no)
                ep_no += 1
        rows["child"].append((n, line, *_values(TABLES["child"][1], idents, line)))
        if self.children % self._batch_children == 0:
            self._flush()

    def _episode(self, ep: etree._Element, n: int, ep_no: int) -> None:
        rows = self._rows
        line = ep.sourceline or 0
        rows["episode"].append((n, ep_no, line, *_values(TABLES["episode"][1], leaf_fields(ep), line)))
        counts = {"Assessments": 0, "CINPlanDates": 0, "Section47": 0, "ChildProtectionPlans": 0}
        for sub in ep:
            name = local_name(sub.tag)
            if name not in counts:
                continue
            k = counts[name]
            counts[name] += 1
            sl = sub.sourceline or line
            leaves = leaf_fields(sub)
            if name == "Assessments":
                rows["assessment"].append((n, ep_no, k, sl, *_values(TABLES["assessment"][1], leaves, sl)))
                for fia in sub:
                    if local_name(fia.tag) == "FactorsIdentifiedAtAssessment":
                        for x in fia:
                            if local_name(x.tag) == "AssessmentFactors":
                                text = (x.text or "").strip() or None
                                rows["factor"].append((n, ep_no, k, x.sourceline, text, x.sourceline))
            elif name == "CINPlanDates":
                rows["cin_plan"].append((n, ep_no, k, sl, *_values(TABLES["cin_plan"][1], leaves, sl)))
            elif name == "Section47":
                rows["s47"].append((n, ep_no, k, sl, *_values(TABLES["s47"][1], leaves, sl)))
            else:
                rows["cpp"].append((n, ep_no, k, sl, *_values(TABLES["cpp"][1], leaves, sl)))
                self._reviews(sub, n, ep_no, k)

    def _reviews(self, plan: etree._Element, n: int, ep_no: int, k: int) -> None:
        out = self._rows["review"]
        r_no = 0
        for reviews in plan:
            if local_name(reviews.tag) != "Reviews":
                continue
            dates = [r for r in reviews if local_name(r.tag) == "CPPreviewDate"]
            if not dates:  # an empty <Reviews> group (rule 8842Q)
                out.append((n, ep_no, k, r_no, reviews.sourceline, None, reviews.sourceline))
            for r in dates:
                out.append((n, ep_no, k, r_no, r.sourceline, (r.text or "").strip() or None, r.sourceline))
            r_no += 1

    def _flush(self) -> None:
        for table, rows in self._rows.items():
            if rows:
                schema = SCHEMAS[table]
                cols = list(zip(*rows, strict=True))
                arrays = [pa.array(c, type=f.type) for c, f in zip(cols, schema, strict=True)]
                self._batches[table].append(pa.RecordBatch.from_arrays(arrays, schema=schema))
                rows.clear()

    def tables(self) -> dict[str, pa.Table]:
        """Everything collected so far, as one Arrow table per module."""
        self._flush()
        return {t: pa.Table.from_batches(b, schema=SCHEMAS[t]) for t, b in self._batches.items()}
