"""Raw-text staging of a CIN census return for the DfE rules (in memory only, never stored).

The census reader (pipelines/cin_child.py) hands over the leaf fields it has already read for each
container element (name -> (stripped text, line)); the collector keeps one row per container in
one Arrow table per module, so the rules need no second pass over the XML and no pivot. Where the
reader stops early on a broken child or episode, the collector reads the rest itself."""

from __future__ import annotations

from array import array
from itertools import repeat

import numpy as np
import pyarrow as pa
from lxml import etree

from pipelines.xml_fields import Fields, leaf_fields, local_name

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
# The element whose leaves fill each module, and the element that groups a list module's leaves.
_ELEMENT = {
    "assessment": "Assessments",
    "cin_plan": "CINPlanDates",
    "s47": "Section47",
    "cpp": "ChildProtectionPlans",
}
_GROUP = {"disability": "Disabilities", "factor": "FactorsIdentifiedAtAssessment", "review": "Reviews"}
_FIELDS = {m: fields for m, (_, fields) in TABLES.items()}
# Every module's columns in order: its keys, the element's line, then each field's text and line.
_COLUMNS = {
    m: (*keys, "line", *(c for f in fields for c in (f, f"{f}_line")))
    for m, (keys, fields) in (*TABLES.items(), *((m, (k, (f,))) for m, (k, f) in LISTS.items()))
}
MODULES = tuple(_COLUMNS)
# What a row holds: its parent's position (`<parent>_at`; the numbering keys follow from it in
# tables()), its line, then each field's text and line (a list module's leaf line is the row's).
_PAIRS = {m: tuple(c for f in fields for c in (f, f"{f}_line")) for m, (_, fields) in TABLES.items()}
_PART_NUMBER = {"assessment": "ass_no", "cin_plan": "plan_no", "s47": "s47_no", "cpp": "cpp_no"}
_STORED = {
    "child": ("line", *_PAIRS["child"]),
    "episode": ("child_no", "line", *_PAIRS["episode"]),
    **{m: ("episode_at", "line", *_PAIRS[m]) for m in ("assessment", "cin_plan", "s47", "cpp")},
    "disability": ("child_no", "line", "Disability"),
    "factor": ("assessment_at", "line", "AssessmentFactors"),
    "review": ("plan_at", "reviews_no", "line", "CPPreviewDate", "CPPreviewDate_line"),
}
_ABSENT = (None, -1)  # an absent field: no text, and -1 for its line (NULL in raw_<module>)


class RawCollector:
    """Collects the raw text and line of every field the DfE rules read, one row per container."""

    def __init__(self, batch_children: int = 1000) -> None:
        self.children = 0
        # One flat list of plain values per module (no tuple per row or field: str and int are not
        # tracked by the garbage collector, so rows waiting for Arrow cost it nothing to walk). Each
        # (text, line) pair is added with `+=` in a loop: extending by a chain of the pairs is about
        # twice as slow (the list is trimmed to size after every extend from an iterator). A row
        # holds only its parent's position (_STORED); the numbering keys are derived in tables().
        self._rows: dict[str, list] = {m: [] for m in MODULES}
        self._arrays: dict[str, list[list[pa.Array]]] = {m: [] for m in MODULES}
        self._batch_children = batch_children
        self._episodes = self._assessments = self._plans = 0  # rows so far (the next row's position)

    # -- what the census reader calls, with the fields it has read --------------------------------
    def child(self, line: int, idents: Fields, chars: Fields, loose: Fields, disabilities: list) -> None:
        """Start a <Child>: its leaves from ChildIdentifiers, ChildCharacteristics and (`loose`) the
        Child itself (a field given twice keeps its first occurrence), and its (Disability, line)s."""
        n = self.children
        self.children += 1
        if n % self._batch_children == 0:
            self._flush()
        if loose or not chars.keys().isdisjoint(idents):
            fields = dict(idents)
            for name, value in (*chars.items(), *loose.items()):
                if name not in fields or value[1] < fields[name][1]:
                    fields[name] = value
        else:
            fields = idents | chars
        rows = self._rows["child"]
        rows.append(line)
        for pair in map(fields.get, _FIELDS["child"], _NONE):
            rows += pair
        rows = self._rows["disability"]
        for text, at in disabilities:
            rows += (n, at, text)

    def episode(self, line: int, fields: Fields) -> None:
        """Start a <CINdetails> (the reader reads its parts next, or calls `episode_parts`)."""
        self._episodes += 1
        rows = self._rows["episode"]
        rows += (self.children - 1, line)
        for pair in map(fields.get, _FIELDS["episode"], _NONE):
            rows += pair

    def part(self, module: str, el: etree._Element, fields: Fields, factors: list | None = None) -> None:
        """One assessment (with its (AssessmentFactors, line)s), CIN plan, section 47 enquiry or child
        protection plan of the episode."""
        rows = self._rows[module]
        rows += (self._episodes - 1, el.sourceline)
        for pair in map(fields.get, _FIELDS[module], _NONE):
            rows += pair
        if module == "assessment":
            if factors is None:
                factors = [leaf for _, leaf in self._grouped(el, "factor")]
            k = self._assessments
            self._assessments += 1
            rows = self._rows["factor"]
            for text, at in factors:
                rows += (k, at, text)
        elif module == "cpp":
            k = self._plans
            self._plans += 1
            # One row per review date; an empty <Reviews> group is one row with no date (rule 8842Q).
            reviews = self._rows["review"]
            last = (None, -1)
            for group, leaf in self._grouped(el, "review", empty=True):
                if group is not last[0]:
                    last = (group, last[1] + 1)
                line = leaf[1] if leaf[0] is not None else group.sourceline
                reviews += (k, last[1], line, *leaf)

    # -- what the reader skips on a broken child or episode ----------------------------------------
    def episodes(self, episodes: list[etree._Element]) -> None:
        """Every episode of a child the reader stopped reading."""
        for ep in episodes:
            self.episode(ep.sourceline, leaf_fields(ep))
            self.episode_parts(ep)

    def episode_parts(self, ep: etree._Element) -> None:
        """The assessments, plans and enquiries of an episode the reader stopped reading."""
        for sub in ep:
            module = _MODULE_OF.get(local_name(sub.tag))
            if module is not None:
                self.part(module, sub, leaf_fields(sub))

    # -- output ---------------------------------------------------------------------------------
    def tables(self) -> dict[str, pa.Table]:
        """One Arrow table per module: keys, line, and each field's text and `<field>_line`, each
        column one chunk (DuckDB copies one chunk into its tables faster than a thousand small ones)."""
        self._flush()
        cols = {m: self._stored(m) for m in MODULES}
        child, episode = cols["child"], cols["episode"]
        child["child_no"] = pa.array(np.arange(len(child["line"]), dtype=np.int32))
        episode["ep_no"] = _numbered(episode["child_no"])
        for module, number in _PART_NUMBER.items():
            _inherit(cols[module], episode, "episode_at", ("child_no", "ep_no"))
            cols[module][number] = _numbered(cols[module]["episode_at"])
        _inherit(cols["factor"], cols["assessment"], "assessment_at", ("child_no", "ep_no", "ass_no"))
        _inherit(cols["review"], cols["cpp"], "plan_at", ("child_no", "ep_no", "cpp_no"))
        for module in ("disability", "factor"):  # the leaf's line is the row's line
            cols[module][f"{LISTS[module][1]}_line"] = cols[module]["line"]
        return {m: pa.table([cols[m][name] for name in _COLUMNS[m]], names=_COLUMNS[m]) for m in MODULES}

    def _stored(self, module: str) -> dict[str, pa.Array]:
        """The module's stored columns, each one array."""
        names, batches = _STORED[module], self._arrays[module]
        if not batches:
            return {name: pa.array([], type=_type(name)) for name in names}
        return {
            name: pa.concat_arrays(arrays)
            for name, arrays in zip(names, zip(*batches, strict=True), strict=True)
        }

    def _flush(self) -> None:
        # Every thousand children, one Arrow array per column (a strided slice of the flat list).
        for module, rows in self._rows.items():
            if rows:
                names = _STORED[module]
                width = len(names)
                self._arrays[module].append([_array(rows[i::width], name) for i, name in enumerate(names)])
                rows.clear()

    @staticmethod
    def _grouped(el: etree._Element, module: str, empty: bool = False):
        """(group element, (text, line)) of each leaf of a list module under `el`; with `empty`, a
        group without such leaves gives (group, _ABSENT) once."""
        group_name, field = _GROUP[module], LISTS[module][1]
        for group in el:
            if local_name(group.tag) != group_name:
                continue
            found = False
            for leaf in group:
                if local_name(leaf.tag) == field:
                    found = True
                    yield group, ((leaf.text or "").strip(), leaf.sourceline)
            if empty and not found:
                yield group, _ABSENT


_MODULE_OF = {name: module for module, name in _ELEMENT.items()}
_NONE = repeat(_ABSENT)  # map(fields.get, names, _NONE): an absent field is _ABSENT


def _type(column: str) -> pa.DataType:
    return pa.int32() if column.endswith(("_no", "line", "_at")) else pa.string()


def _numbered(parents: pa.Array) -> pa.Array:
    """0, 1, 2... within each run of rows with the same parent (a parent's rows are adjacent)."""
    at = parents.to_numpy()
    index = np.arange(len(at), dtype=np.int32)
    first = np.ones(len(at), dtype=bool)
    first[1:] = at[1:] != at[:-1]
    return pa.array(index - np.maximum.accumulate(np.where(first, index, 0)).astype(np.int32))


def _inherit(columns: dict[str, pa.Array], parent: dict[str, pa.Array], at: str, names: tuple) -> None:
    """Each row's keys copied from its parent's row (position `columns[at]`)."""
    for name in names:
        columns[name] = parent[name].take(columns[at])


def _array(values: list, column: str) -> pa.Array:
    """A column's Arrow array; whole numbers go through array.array, several times faster than
    pyarrow's conversion of Python ints (a line lxml does not know, None, takes the slow path)."""
    if column.endswith(("_no", "line", "_at")):
        try:
            ints = array("i", values)
        except TypeError:
            return pa.array(values, type=pa.int32())
        return pa.Array.from_buffers(pa.int32(), len(ints), [None, pa.py_buffer(ints)])
    return pa.array(values, type=pa.string())


def raw_sql() -> str:
    """DuckDB views raw_<module> over the collector's tables (registered as arrow_<module>): each
    field as its text (NULL when empty or absent) and `<field>_line` (the container's line when absent)."""
    out = []
    for module, (keys, fields) in (*TABLES.items(), *((m, (k, (f,))) for m, (k, f) in LISTS.items())):
        cols = [*keys, "line"]
        for f in fields:
            cols.append(f'nullif("{f}", \'\') as "{f}"')
            cols.append(f'coalesce(nullif("{f}_line", -1), line) as "{f}_line"')
        out.append(
            f"create or replace temp view raw_{module} as select {', '.join(cols)} from arrow_{module};"
        )
    return "\n".join(out)
