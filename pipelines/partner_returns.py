"""Reader for partner agency returns: the workbook `safeguarding template` writes, or a tidy CSV.

A return is one agency's figures for one quarter (indicators/partner_measures.yaml lists the measures;
docs/partner-measures.md describes both formats). Every problem names the file, the sheet, the row
and the column. Structural errors reject the file (and so the whole load): an unknown agency or
measure, a measure of another agency, a period that is not the measure's quarter or a month of it, a
duplicate row, a formula, text or a negative number in a number cell, a numerator above its
denominator, a value that disagrees with them, a macro workbook or a zip bomb. A mandatory measure
left blank is a rule issue: the return loads and the gap is recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa

from indicators.periods import Period, parse_period, quarter_of
from pipelines.issues import Issue, Severity
from pipelines.partner_cells import RETURN_SHEET, Checker, column_label, read_cells
from pipelines.partner_template import KEY_CELLS
from vocabulary.partners import Declaration, PartnerConfigError, declaration

SOURCE_TYPE = "partner_return"
VALUE_SLACK = 0.051  # a value typed to 1 decimal place may differ from num/den x 100 by rounding
SCHEMA = pa.schema(
    [
        ("la_code", pa.string()),
        ("agency", pa.string()),
        ("quarter", pa.string()),
        ("measure_id", pa.string()),
        ("period", pa.string()),
        ("frequency", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("numerator", pa.float64()),
        ("denominator", pa.float64()),
        ("value", pa.float64()),
        ("commentary", pa.string()),
        ("source_row", pa.int32()),
    ]
)


def _number(check: Checker, row: int, name: str, raw: object, whole: bool) -> tuple[float | None, bool]:
    """(number or None if blank, ok)."""
    col = column_label(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, True
    if isinstance(raw, str) and raw.strip().startswith("="):
        check.add(row, col, raw, "is a formula: type the number itself", "S-PARTNER-FORMULA")
        return None, False
    if isinstance(raw, bool) or isinstance(raw, (date, datetime)):
        check.add(row, col, raw, "is not a number", "S-PARTNER-NUMBER")
        return None, False
    try:
        x = float(raw)
    except (TypeError, ValueError):
        check.add(
            row, col, raw, "is not a number (type digits only: no text, % signs or 'n/a')", "S-PARTNER-NUMBER"
        )
        return None, False
    if x != x or x in (float("inf"), float("-inf")):
        check.add(row, col, raw, "is not a number", "S-PARTNER-NUMBER")
        return None, False
    if x < 0:
        check.add(
            row, col, raw, "is negative: counts, denominators and values are 0 or more", "S-PARTNER-NEGATIVE"
        )
        return None, False
    if whole and not x.is_integer():
        check.add(row, col, raw, "must be a whole number", "S-PARTNER-NUMBER")
        return None, False
    return x, True


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def read_partner_return(
    path: Path, decl: Declaration | None = None
) -> tuple[pa.Table | None, list[Issue], dict]:
    """The rows of one return, the issues found, and meta {agency, quarter, quarter_start,
    quarter_end, submitted_on, la_code}."""
    try:
        decl = decl or declaration()
    except PartnerConfigError as exc:  # the declaration is wrong, not the return: say so, load nothing
        return (
            None,
            [Issue(path.name, None, None, "file", None, "S-PARTNER-CONFIG", Severity.STRUCTURAL, str(exc))],
            {},
        )
    is_book = path.suffix.lower() in (".xlsx", ".xlsm")
    check = Checker(path, RETURN_SHEET if is_book else None)
    keys, rows = read_cells(path, check)
    if check.issues:
        return None, check.issues, {}
    key_row = {k: i for i, k in enumerate(KEY_CELLS, start=1)} if is_book else {}
    agency = str(keys.get("agency") or "").strip()
    known = {a.id for a in decl.agencies}
    if agency not in known:
        check.add(
            key_row.get("agency"),
            "agency" + (" (cell B1)" if is_book else ""),
            agency,
            f"is not one of the partnership's agencies ({', '.join(sorted(known))})",
            "S-PARTNER-AGENCY",
        )
    la = str(keys.get("la_code") or decl.partnership.la_code).strip()
    if la != decl.partnership.la_code:
        check.add(
            key_row.get("la_code"),
            "la_code" + (" (cell B4)" if is_book else ""),
            la,
            f"is not the partnership's LA ({decl.partnership.la_code})",
            "S-PARTNER-LA",
        )
    submitted = keys.get("submitted_on")
    submitted_on = _date(submitted) if submitted not in (None, "") else date.today()
    if submitted_on is None:
        check.add(
            key_row.get("submitted_on"),
            "submitted_on" + (" (cell B3)" if is_book else ""),
            submitted,
            "is not a date (YYYY-MM-DD)",
            "S-PARTNER-DATE",
        )
    quarter: Period | None = None
    if is_book:
        try:
            quarter = parse_period(str(keys.get("quarter") or ""), "quarter")
        except ValueError:
            check.add(
                2,
                "quarter (cell B2)",
                keys.get("quarter"),
                "is not a quarter such as 2026-27-Q2",
                "S-PARTNER-PERIOD",
            )
    if not rows:
        check.add(None, "rows", None, "the return has no measure rows", "S-PARTNER-EMPTY")
    if check.issues:
        return None, check.issues, {}
    out: dict[str, list] = {f.name: [] for f in SCHEMA}
    seen: dict[tuple[str, str], int] = {}
    quarters: set[str] = set()
    for line, row in rows:
        mid = str(row.get("measure_id") or "").strip()
        try:
            m = decl.measure(mid)
        except KeyError:
            check.add(
                line,
                column_label("measure_id"),
                mid,
                "is not a measure in the partner measures file",
                "S-PARTNER-MEASURE",
            )
            continue
        if is_book is False and str(row.get("agency") or "").strip() != agency:
            check.add(
                line,
                "agency",
                row.get("agency"),
                f"differs from the file's agency {agency}",
                "S-PARTNER-MIXED",
            )
            continue
        if m.agency != agency:
            check.add(
                line,
                column_label("measure_id"),
                mid,
                f"belongs to agency {m.agency}, not {agency}",
                "S-PARTNER-MEASURE",
            )
            continue
        label = str(row.get("period") or "").strip()
        kind = "month" if m.frequency == "monthly" else "quarter"
        try:
            period = parse_period(label, kind)
        except ValueError:
            check.add(
                line,
                column_label("period"),
                label,
                f"is not a {kind} (e.g. {'2026-08' if kind == 'month' else '2026-27-Q2'}) "
                f"as this {m.frequency} measure needs",
                "S-PARTNER-PERIOD",
            )
            continue
        q_label = quarter_of(period.start).label
        if quarter is not None and q_label != quarter.label:
            check.add(
                line,
                column_label("period"),
                label,
                f"is not in the return's quarter {quarter.label}",
                "S-PARTNER-PERIOD",
            )
            continue
        quarters.add(q_label)
        if (mid, period.label) in seen:
            check.add(
                line,
                column_label("measure_id"),
                mid,
                f"{mid} for {period.label} appears twice (also on row {seen[(mid, period.label)]})",
                "S-PARTNER-DUPLICATE",
            )
            continue
        seen[(mid, period.label)] = line
        whole = m.unit in ("count", "rate_per_10k", "percent")
        num, ok1 = _number(check, line, "numerator", row.get("numerator"), whole)
        den, ok2 = _number(check, line, "denominator", row.get("denominator"), m.unit == "percent")
        val, ok3 = _number(check, line, "value", row.get("value"), False)
        if not (ok1 and ok2 and ok3):
            continue
        if num is None and den is None and val is None:
            if m.mandatory:
                check.add(
                    line,
                    column_label("numerator"),
                    None,
                    f"no figure for mandatory measure {mid} ({period.label}); recorded as missing",
                    "R-PARTNER-MISSING",
                    Severity.RULE,
                )
            continue
        if m.unit in ("count", "rate_per_10k"):
            if den is not None:
                check.add(
                    line,
                    column_label("denominator"),
                    den,
                    f"a {m.unit} measure has no denominator: leave it blank",
                    "S-PARTNER-DENOMINATOR",
                )
                continue
            if num is None and m.unit == "count" and val is not None and val.is_integer():
                num = val
            if num is None:
                check.add(
                    line, column_label("numerator"), None, "is blank: give the count", "S-PARTNER-NUMERATOR"
                )
                continue
            expected = num if m.unit == "count" else None
        else:
            if num is None or den is None:
                check.add(
                    line,
                    column_label("denominator" if num is not None else "numerator"),
                    None,
                    f"is blank: a {m.unit} measure needs its numerator and denominator",
                    "S-PARTNER-NUMERATOR",
                )
                continue
            if m.unit == "percent" and num > den:
                check.add(
                    line,
                    column_label("numerator"),
                    num,
                    f"is above the denominator {den:g}",
                    "S-PARTNER-ABOVE",
                )
                continue
            if den == 0 and num > 0:
                check.add(
                    line, column_label("denominator"), den, "is 0 but the numerator is not", "S-PARTNER-ABOVE"
                )
                continue
            expected = None if den == 0 else num / den * (100 if m.unit == "percent" else 1)
        if val is not None and expected is not None and abs(val - expected) > VALUE_SLACK:
            check.add(
                line,
                column_label("value"),
                val,
                f"does not agree with numerator / denominator ({expected:.1f}); fix it or leave value blank",
                "S-PARTNER-VALUE",
            )
            continue
        if val is not None and expected is None and m.unit == "rate_per_10k":
            check.add(
                line,
                column_label("value"),
                val,
                "leave value blank: the rate is worked out from ONS populations",
                "S-PARTNER-VALUE",
            )
            continue
        comment = str(row.get("commentary") or "").strip() or None
        for name, v in (
            ("la_code", la),
            ("agency", agency),
            ("quarter", q_label),
            ("measure_id", mid),
            ("period", period.label),
            ("frequency", m.frequency),
            ("period_start", period.start),
            ("period_end", period.end),
            ("numerator", num),
            ("denominator", den),
            ("value", expected),
            ("commentary", comment),
            ("source_row", line),
        ):
            out[name].append(v)
    if not is_book and len(quarters) > 1:
        check.add(
            None,
            column_label("period"),
            ", ".join(sorted(quarters)),
            "a return is for one quarter: split the file",
            "S-PARTNER-MIXED",
        )
    if any(i.severity is Severity.STRUCTURAL for i in check.issues):
        return None, check.issues, {}
    given = {mid for mid, _ in seen}
    for m in decl.measures_of(agency):
        if m.mandatory and m.id not in given:
            check.add(
                None,
                column_label("measure_id"),
                m.id,
                f"mandatory measure {m.id} has no row; recorded as missing",
                "R-PARTNER-MISSING",
                Severity.RULE,
            )
    if quarter is None:
        if not quarters:
            check.add(None, "rows", None, "the return has no figures", "S-PARTNER-EMPTY")
            return None, check.issues, {}
        quarter = parse_period(quarters.pop(), "quarter")
    meta = {
        "agency": agency,
        "quarter": quarter.label,
        "quarter_start": quarter.start,
        "quarter_end": quarter.end,
        "submitted_on": submitted_on,
        "la_code": la,
    }
    return pa.table(out, schema=SCHEMA), check.issues, meta
