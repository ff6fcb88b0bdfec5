"""What happened to one input file: its type, status, header, row counts, issues and timing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipelines.cin_types import CensusHeader
from pipelines.issues import HasIssues, Issue


@dataclass
class FileResult(HasIssues):
    """What happened to one input file."""

    path: Path
    source_type: str | None
    status: str = "pending"  # loaded | unchanged | superseded | rejected | valid
    header: CensusHeader | None = None
    children: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    seconds: float = 0.0
    meta: dict = field(default_factory=dict)  # e.g. Annex A: {'la_code', 'as_at'}
    dfe_rules: str | None = None  # census returns: the DfE rule set's collection year, if one ran

    @property
    def la_code(self) -> str | None:
        """The LA the file is from: a census return's header, or an Annex A list, CDOP extract or
        assurance return's own."""
        if self.header is not None:
            return self.header.la_code
        la = self.meta.get("la_code")
        return None if la == "several" else la  # a CDOP extract of several LAs

    def summary(self) -> str:
        rate = f", {self.children / self.seconds:,.0f} children/s" if self.seconds and self.children else ""
        what = (
            f"{self.children:,} children"
            if self.source_type == "cin_census"
            else f"{sum(self.rows.values()):,} rows"
        )
        period = f" LA {self.header.la_code} {self.header.collection_year}" if self.header else ""
        if self.meta and "agency" in self.meta:  # a partner return
            period = f" {self.meta['agency']} {self.meta['quarter']}"
        elif self.meta and "kind" in self.meta:  # an assurance return
            period = f" LA {self.meta['la_code']}"
        elif self.meta:
            period = f" LA {self.meta['la_code']} as at {self.meta['as_at']:%Y-%m-%d}"
        return (
            f"{self.path.name}: {self.status} ({self.source_type or 'unknown type'}{period}; "
            f"{what}; {len(self.rules)} rule issues; {self.seconds:.1f}s{rate})"
        )
