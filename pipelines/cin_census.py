"""Streaming reader for DfE CIN census XML returns (spec years 2011-2026): parse, validate, pseudonymise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from pipelines.cin_child import read_child
from pipelines.cin_types import CensusHeader, ParseResult
from pipelines.dfe.collect import RawCollector
from pipelines.issues import Issue, Severity
from pipelines.pseudonymise import Pseudonymiser
from pipelines.rows import RowSink
from pipelines.xml_fields import leaf_fields, local_name
from vocabulary import codes, settings

# Entity expansion, DTD loading and network access are all off: a hostile file cannot
# make the parser fetch anything or expand "billion laughs" entities.
SAFE_PARSER_OPTIONS = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)
# Fields whose values must never be echoed into stored validation issues.
SENSITIVE_FIELDS = frozenset(
    {"LAchildID", "UPN", "FormerUPN", "PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate"}
)
EARLIEST_PLAUSIBLE = date(1990, 1, 1)


_PROLOG_BYTES = 65_536


def _declares_doctype(path) -> bool:
    """True when the file's prolog (before the root element) declares a DOCTYPE."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_PROLOG_BYTES)
    except OSError:
        return False  # the parser reports the unreadable file
    text = head.lstrip(b"\xef\xbb\xbf")
    position = 0
    while True:
        start = text.find(b"<", position)
        if start < 0:
            return False
        if text.startswith(b"<?", start) or text.startswith(b"<!--", start):
            end = text.find(b"?>" if text[start + 1 : start + 2] == b"?" else b"-->", start)
            if end < 0:
                return False
            position = end + 2
            continue
        return text[start : start + 9].upper() == b"<!DOCTYPE"


def max_structural_errors() -> int:
    """A file stops being read after this many structural errors (SAFEGUARDING_MAX_ERRORS)."""
    return max(1, int(settings.get("limits.max_errors") or DEFAULT_MAX_STRUCTURAL))


DEFAULT_MAX_STRUCTURAL = 1000


class CensusReader:
    """Reads one CIN census file child by child, reporting issues and emitting rows."""

    def __init__(
        self,
        path: Path,
        pseudonymiser: Pseudonymiser,
        sink: RowSink,
        progress: Callable[[int], None] | None = None,
        display_name: str | None = None,
        on_child: Callable[[etree._Element], None] | None = None,
        raw: RawCollector | None = None,
    ):
        self.path = path
        self.name = display_name or path.name
        self.pseudo = pseudonymiser
        self.sink = sink
        self.progress = progress
        self.result = ParseResult(header=None)
        self._seen_ids: dict[str, int] = {}
        self._child_id: str | None = None
        self._header_seen = False
        self.on_child = on_child  # called with each <Child> element after it is read
        self.raw = raw  # the DfE rules' raw collector, handed the fields read (pipelines/dfe/collect.py)

    # -- issue helpers -------------------------------------------------------------------
    def _issue(
        self,
        severity: Severity,
        rule_id: str,
        field_name: str,
        value: str | None,
        line: int | None,
        message: str,
    ) -> None:
        self.result.issues.append(
            Issue(self.name, line, self._child_id, field_name, value, rule_id, severity, message)
        )
        if severity is Severity.STRUCTURAL:
            self.result.n_structural += 1

    def structural(self, rule_id, field_name, value, line, message) -> None:
        self._issue(Severity.STRUCTURAL, rule_id, field_name, value, line, message)

    def rule(self, rule_id, field_name, value, line, message) -> None:
        self._issue(Severity.RULE, rule_id, field_name, value, line, message)

    def _date(
        self,
        fields: dict[str, tuple[str, int]],
        name: str,
        required: bool = False,
        parent_line: int | None = None,
    ) -> date | None:
        if name not in fields or fields[name][0] == "":
            if required:
                self.structural(
                    "S-REQUIRED", name, None, parent_line, f"required element <{name}> is missing or empty"
                )
            return None
        text, line = fields[name]
        try:
            if len(text) != 10 or text[4] != "-" or text[7] != "-":
                raise ValueError
            value = date.fromisoformat(text)  # with the checks above: exactly YYYY-MM-DD
        except ValueError:
            self.structural("S-DATE", name, text, line, "is not a real date in the form YYYY-MM-DD")
            return None
        if value < date(1900, 1, 1):
            self.rule("R-IMPLAUSIBLE-DATE", name, text, line, "date is before 1900")
        return value

    # -- reading ----------------------------------------------------------------------------
    def read(self) -> ParseResult:
        if _declares_doctype(self.path):
            # Refused before the parser sees it: libxml2 may otherwise stop on the declarations
            # themselves (entity amplification) and never report the DOCTYPE by name.
            self.structural(
                "S-DOCTYPE", "DOCTYPE", None, 1, "DOCTYPE declarations are not allowed in a CIN census return"
            )
            return self.result
        try:
            context = etree.iterparse(
                str(self.path), events=("end",), tag=("{*}Header", "{*}Child"), **SAFE_PARSER_OPTIONS
            )
            limit = max_structural_errors()
            for _, el in context:
                if self.result.n_structural >= limit:
                    self._stop_early(limit, el.sourceline)
                    return self.result
                name = local_name(el.tag)
                if name == "Header":
                    self._read_header(el, context)
                elif self.result.header is None:
                    self._child_id = None
                    if not self._header_seen:  # else the Header's own errors are reported
                        self.structural(
                            "S-HEADER",
                            "Header",
                            None,
                            el.sourceline,
                            "the file has no <Header> before its first <Child>",
                        )
                    return self.result
                else:
                    read_child(self, el)
                    if self.on_child is not None:
                        self.on_child(el)
                    self.result.children += 1
                    if self.progress and self.result.children % 5000 == 0:
                        self.progress(self.result.children)
                # Free what has been read, so memory does not grow with the file.
                el.clear(keep_tail=True)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            self._child_id = None
            self.structural("S-XML", "XML", None, exc.lineno, f"the file is not well-formed XML: {exc.msg}")
            return self.result
        except OSError as exc:
            self.structural("S-XML", "XML", None, None, f"the file cannot be read: {exc}")
            return self.result
        if self.result.header is None and not self._header_seen:
            self._child_id = None
            self.structural(
                "S-HEADER", "Header", None, None, "the file has no <Header> (is it a CIN census return?)"
            )
        return self.result

    def _stop_early(self, limit: int, line: int | None) -> None:
        self._child_id = None
        self.structural(
            "S-TOO-MANY-ERRORS",
            "file",
            None,
            line,
            f"reading stopped after {limit:,} structural errors ({self.result.children:,} children "
            "read); the rest of the file was not checked. Fix the errors above and validate again "
            "(SAFEGUARDING_MAX_ERRORS raises the limit)",
        )

    def _read_header(self, el: etree._Element, context) -> None:
        self._child_id = None
        self._header_seen = True
        root = el.getparent()
        if root is None or local_name(root.tag) != "Message":
            self.structural("S-HEADER", "Message", None, el.sourceline, "the root element must be <Message>")
        doctype = root.getroottree().docinfo.doctype if root is not None else ""
        if doctype:
            self.structural(
                "S-DOCTYPE", "DOCTYPE", None, 1, "DOCTYPE declarations are not allowed in a CIN census return"
            )
        details = {}
        source = {}
        for sub in el:
            if local_name(sub.tag) == "CollectionDetails":
                details = leaf_fields(sub)
            elif local_name(sub.tag) == "Source":
                source = leaf_fields(sub)
        line = el.sourceline
        ref = self._date(details, "ReferenceDate", required=True, parent_line=line)
        la = source.get("LEA", ("", 0))[0]
        if not la:
            self.structural(
                "S-REQUIRED", "LEA", None, line, "required element <Source>/<LEA> is missing or empty"
            )
        elif not (la.isdigit() and len(la) == 3):
            self.structural(
                "S-CODE", "LEA", la, source["LEA"][1], "is not a 3-digit DfE local authority number"
            )
        collection = details.get("Collection", ("", 0))[0]
        if collection and collection.upper() != "CIN":
            self.structural(
                "S-CODE",
                "Collection",
                collection,
                details["Collection"][1],
                "this is not a CIN census return (Collection must be CIN)",
            )
        generated = None
        if "DateTime" in source:
            try:
                generated = datetime.fromisoformat(source["DateTime"][0].replace("Z", "+00:00"))
                generated = generated.replace(tzinfo=None)
            except ValueError:
                self.rule(
                    "R-DATETIME",
                    "DateTime",
                    source["DateTime"][0],
                    source["DateTime"][1],
                    "is not a date-time; the return's generation time is unknown",
                )
        if ref is None or not la:
            return
        header = CensusHeader(collection or "CIN", details.get("Year", (None, 0))[0], ref, la, generated)
        if not codes.FIRST_SPEC_YEAR <= header.spec_year <= codes.LAST_SPEC_YEAR:
            self.structural(
                "S-SPEC-YEAR",
                "ReferenceDate",
                ref.isoformat(),
                details["ReferenceDate"][1],
                f"spec year {header.spec_year} is outside the supported "
                f"{codes.FIRST_SPEC_YEAR}-{codes.LAST_SPEC_YEAR}",
            )
        if (ref.month, ref.day) != (3, 31):
            self.rule(
                "R-REFDATE",
                "ReferenceDate",
                ref.isoformat(),
                details["ReferenceDate"][1],
                "the census reference date is normally 31 March",
            )
        self.result.header = header

    def _stray_text(self, el: etree._Element) -> None:
        for sub in el:
            if isinstance(sub, etree._Entity):
                self.structural(
                    "S-ENTITY", local_name(el.tag), None, sub.sourceline, "entity references are not allowed"
                )
            tail = (sub.tail or "").strip()
            if tail:
                self.rule(
                    "R-STRAY-TEXT",
                    local_name(el.tag),
                    tail[:40],
                    sub.sourceline,
                    "unexpected text between elements (ignored)",
                )
