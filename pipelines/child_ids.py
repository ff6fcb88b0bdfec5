"""LAchildID as DfE allows it: at most 20 characters, letters and digits only (rules 1570, 1580)."""

from __future__ import annotations

import re
import unicodedata

from pipelines.cin_types import ChildReader

MAX_LENGTH = 20  # DfE CIN census rule 1570
# DfE rule 1580: no character other than a letter or a digit. Only ASCII letters and digits pass:
# look-alikes (fullwidth digits, a decomposed or accented letter, zero-width or direction marks)
# would otherwise make one child two.
ALLOWED = re.compile(r"[A-Za-z0-9]+")
SHOWN = 24  # characters of a bad identifier echoed in a message


def displayable(text: str) -> str:
    """The identifier as it can be shown in a message: invisible and non-ASCII characters
    escaped (U+200B shows as \\u200b), and a long one cut short with its length."""
    shown = text[:SHOWN].encode("ascii", "backslashreplace").decode("ascii")
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)
    return shown if len(text) <= SHOWN else f"{shown}... ({len(text):,} characters)"


def check_child_id(reader: ChildReader, la_child_id: str, line: int) -> bool:
    """Report a structural error and return False if the (NFC-normalised) LAchildID breaks
    DfE rule 1570 or 1580."""
    reader._child_id = displayable(la_child_id)
    if len(la_child_id) > MAX_LENGTH:
        reader.structural(
            "S-LACHILDID",
            "LAchildID",
            None,
            line,
            f"is {len(la_child_id):,} characters long; DfE allows at most {MAX_LENGTH} (rule 1570)",
        )
        return False
    if ALLOWED.fullmatch(la_child_id):
        return True
    bad = next(c for c in la_child_id if not ALLOWED.fullmatch(c))
    name = unicodedata.name(bad, "unnamed character")
    reader.structural(
        "S-LACHILDID",
        "LAchildID",
        None,
        line,
        f"contains U+{ord(bad):04X} {name} at position {la_child_id.index(bad) + 1}; DfE allows "
        "only letters and digits, A-Z, a-z and 0-9 (rule 1580)",
    )
    return False
