"""The census reader's result types, and what the <Child> parser uses of the reader (a Protocol, so
the parser in pipelines/cin_child.py and child_ids.py does not import the reader that calls it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from lxml import etree

from pipelines.dfe.collect import RawCollector
from pipelines.issues import HasIssues, Issue
from pipelines.pseudonymise import Pseudonymiser
from pipelines.rows import RowSink


@dataclass(frozen=True)
class CensusHeader:
    """What the return's Header says: which LA, which collection, which reference date."""

    collection: str
    year: str | None
    reference_date: date
    la_code: str
    generated_at: datetime | None

    @property
    def spec_year(self) -> int:
        """Spec year = the year in which the collection period ends (2024 is 2023-24)."""
        r = self.reference_date
        return r.year if r.month <= 3 else r.year + 1

    @property
    def collection_year(self) -> str:
        y = self.spec_year
        return f"{y - 1}-{str(y)[-2:]}"

    @property
    def period_start(self) -> date:
        r = self.reference_date
        try:
            return date(r.year - 1, r.month, r.day) + _ONE_DAY
        except ValueError:  # 29 February reference date
            return date(r.year - 1, 3, 1)


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


@dataclass
class ParseResult(HasIssues):
    header: CensusHeader | None
    issues: list[Issue] = field(default_factory=list)
    children: int = 0
    n_structural: int = 0  # kept as issues are added: counting the list per child is quadratic


class ChildReader(Protocol):
    """What pipelines/cin_child.py and child_ids.py use of the reader (pipelines/cin_census.CensusReader)."""

    pseudo: Pseudonymiser
    sink: RowSink
    result: ParseResult
    _seen_ids: dict[str, int]
    _child_id: str | None
    raw: RawCollector | None  # the DfE rules' raw collector, if the rules run

    def structural(self, rule_id, field_name, value, line, message) -> None: ...

    def rule(self, rule_id, field_name, value, line, message) -> None: ...

    def _date(
        self, fields: dict[str, tuple[str, int]], name: str, required=False, parent_line=None
    ) -> date | None: ...

    def _stray_text(self, el: etree._Element) -> None: ...
