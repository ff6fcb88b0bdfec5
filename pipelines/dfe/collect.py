"""Raw-text staging of a CIN census return for the DfE rules (in memory only, never stored).

One pass over each <Child> element appends one narrow row per element (module, position, field,
text, line); DuckDB then pivots the rows into one table per module (`pivot_sql`). Keeping the
Python side to a single append per element keeps validation cheap next to parsing."""

from __future__ import annotations

import pyarrow as pa
from lxml import etree

# Module -> (key columns, XML leaf fields). Each field becomes a text column and `<field>_line`.
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
}
# Repeated leaves that are rows of their own: module -> (key columns, field).
LISTS = {
    "disability": (("child_no",), "Disability"),
    "factor": (("child_no", "ep_no", "ass_no"), "AssessmentFactors"),
    "review": (("child_no", "ep_no", "cpp_no", "reviews_no"), "CPPreviewDate"),
}
# Container elements: name -> module they open (their leaves belong to it).
_CONTAINERS = {
    "Child": "child",
    "ChildIdentifiers": "child",
    "ChildCharacteristics": "child",
    "Disabilities": "disability",
    "CINdetails": "episode",
    "Assessments": "assessment",
    "FactorsIdentifiedAtAssessment": "factor",
    "CINPlanDates": "cin_plan",
    "Section47": "s47",
    "ChildProtectionPlans": "cpp",
    "Reviews": "review",
}
_KNOWN = {f for _, fields in TABLES.values() for f in fields} | {f for _, f in LISTS.values()}
MODULES = (*TABLES, *LISTS)
FIELDS = ("#", *sorted(_KNOWN))  # '#' marks the container element itself
_M = {m: i for i, m in enumerate(MODULES)}
_F = {f: i for i, f in enumerate(FIELDS)}
SCHEMA = pa.schema(
    [
        ("child_no", pa.int32()),
        ("ep_no", pa.int32()),
        ("mod_no", pa.int32()),
        ("grp", pa.int32()),
        ("module", pa.int8()),  # index into MODULES
        ("field", pa.int8()),  # index into FIELDS
        ("text", pa.string()),
        ("line", pa.int32()),
    ]
)
_ROW = pa.struct(list(SCHEMA))


class RawCollector:
    """Collects the raw text and line of every field the DfE rules read, one row per element."""

    def __init__(self, batch_children: int = 5000):
        self.children = 0
        self._rows: list[tuple] = []
        self._batches: list[pa.RecordBatch] = []
        self._batch_children = batch_children

    def child(self, el: etree._Element) -> None:
        """Record one <Child> element (called by the census reader for every child)."""
        n = self.children
        self.children += 1
        append = self._rows.append
        module = "child"
        ep = ass = plan = s47 = cpp = reviews = dis = -1
        mod_no = grp = 0
        for sub in el.iter():
            tag = sub.tag
            if tag.__class__ is not str:
                continue
            if tag[0] == "{":
                tag = tag.rpartition("}")[2]
            opened = _CONTAINERS.get(tag)
            if opened is not None:
                module = opened
                if opened == "episode":
                    ep += 1
                    ass = plan = s47 = cpp = -1
                    mod_no = ep
                elif opened == "assessment":
                    ass += 1
                    mod_no = ass
                elif opened == "cin_plan":
                    plan += 1
                    mod_no = plan
                elif opened == "s47":
                    s47 += 1
                    mod_no = s47
                elif opened == "cpp":
                    cpp += 1
                    reviews = -1
                    mod_no = cpp
                elif opened == "review":
                    reviews += 1
                    grp = reviews
                elif opened == "factor":
                    pass  # factors keep the assessment's number
                elif tag == "Child":
                    mod_no = 0
                else:
                    continue  # ChildIdentifiers, ChildCharacteristics, Disabilities: no row
                append((n, ep, mod_no, grp, _M[module], 0, None, sub.sourceline))
            elif tag in _KNOWN and not len(sub):
                # A leaf after a nested module (e.g. ReferralNFA after ChildProtectionPlans)
                # belongs to its parent: ask lxml only when the module is not the leaf's own.
                leaf_module = module
                if tag not in _FIELDS_OF[module] or tag == "DateOfInitialCPC":  # also on episodes
                    leaf_module = _CONTAINERS.get(_local(sub.getparent().tag), module)
                if leaf_module == "disability":
                    dis += 1
                    key = (n, 0, dis, 0)
                elif leaf_module == "child":
                    key = (n, 0, 0, 0)
                elif leaf_module == "episode":
                    key = (n, ep, ep, 0)
                elif leaf_module == "factor":
                    key = (n, ep, ass, 0)
                elif leaf_module == "review":
                    key = (n, ep, cpp, reviews)
                elif leaf_module == "assessment":
                    key = (n, ep, ass, 0)
                elif leaf_module == "cin_plan":
                    key = (n, ep, plan, 0)
                elif leaf_module == "s47":
                    key = (n, ep, s47, 0)
                else:
                    key = (n, ep, cpp, 0)
                text = sub.text
                append(
                    (*key, _M[leaf_module], _F[tag], text.strip() or None if text else None, sub.sourceline)
                )
        if self.children % self._batch_children == 0:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            # Arrow converts the tuples as one struct array in C++: about 3x cheaper than
            # transposing them in Python and converting column by column.
            structs = pa.array(self._rows, type=_ROW)
            self._batches.append(pa.RecordBatch.from_struct_array(structs))
            self._rows.clear()

    def table(self) -> pa.Table:
        """Every row collected so far."""
        self._flush()
        return pa.Table.from_batches(self._batches, schema=SCHEMA)


_FIELDS_OF = {m: set(fields) for m, (_, fields) in TABLES.items()} | {m: {f} for m, (_, f) in LISTS.items()}


def _local(tag: object) -> str:
    if tag.__class__ is not str:
        return ""
    return tag.rpartition("}")[2]


def pivot_sql() -> str:
    """DuckDB statements turning the narrow rows (`raw_leaf`) into raw_<module> tables."""
    out = []
    key_of = {"child": (), "episode": ("ep_no",), "assessment": ("ep_no", "mod_no")}
    for module, (keys, fields) in TABLES.items():
        group = ["child_no", *key_of.get(module, ("ep_no", "mod_no"))]
        names = ["child_no", *keys[1:]]
        cols = [f"{g} as {k}" for g, k in zip(group, names, strict=True)]
        cols.append("min(line) filter (where field = 0) as line")
        outer = [*names, "line"]
        for f in fields:
            cols.append(f'arg_min(text, line) filter (where field = {_F[f]}) as "{f}"')
            cols.append(f'min(line) filter (where field = {_F[f]}) as "{f}_own_line"')
            outer += [f'"{f}"', f'coalesce("{f}_own_line", line) as "{f}_line"']
        out.append(
            f"create or replace temp table raw_{module} as select {', '.join(outer)} from ("
            f"select {', '.join(cols)} from raw_leaf "
            f"where module = {_M[module]} group by {', '.join(group)});"
        )
    out.append(
        "create or replace temp table raw_disability as select child_no, line, text as Disability, "
        f"line as Disability_line from raw_leaf where module = {_M['disability']} "
        f"and field = {_F['Disability']};"
    )
    out.append(
        "create or replace temp table raw_factor as select child_no, ep_no, mod_no as ass_no, line, "
        "text as AssessmentFactors, line as AssessmentFactors_line from raw_leaf "
        f"where module = {_M['factor']} and field = {_F['AssessmentFactors']};"
    )
    # One row per review date; an empty <Reviews> group is one row with no date (rule 8842Q).
    review, date_ = _M["review"], _F["CPPreviewDate"]
    out.append(
        "create or replace temp table raw_review as select child_no, ep_no, mod_no as cpp_no, "
        "grp as reviews_no, line, text as CPPreviewDate, line as CPPreviewDate_line from raw_leaf "
        f"where module = {review} and (field = {date_} or (field = 0 and not exists ("
        f"select 1 from raw_leaf r where r.module = {review} and r.field = {date_} "
        "and (r.child_no, r.ep_no, r.mod_no, r.grp) = (raw_leaf.child_no, raw_leaf.ep_no, "
        "raw_leaf.mod_no, raw_leaf.grp))));"
    )
    return "\n".join(out)
