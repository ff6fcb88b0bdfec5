"""Per-LA access: a user, role or CLI run limited to a set of LA codes sees only those LAs' rows.

The limit is enforced in the read layer: every cursor from `indicators.store` shadows each curated table
that has an ``la_code`` column with a temporary view of the allowed LAs' rows, and every cache keyed by
`store.warehouse_version` is keyed by the limit too. Published reference tables (populations, DfE
benchmarks, neighbours, LA names) are public and stay whole, so England, region and neighbour figures
still show. Pages, downloads, the report, the notebooks' API and the CLI all read through here.

The pooled partnership (area code ``partnership``) is allowed only when the limit covers every member
LA; then it is the same figure an unlimited user sees. A limit to some members is refused it: pooling
just those would be another figure under the partnership's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import duckdb
import pandas as pd

from vocabulary.partnership import PARTNERSHIP, partnership

# Public published data: never limited (a limited user still sees England and the neighbours).
PUBLIC_TABLES = frozenset(
    {"population", "ethnic_population", "published_values", "statistical_neighbours", "la_codes"}
)
Scope = frozenset[str] | None  # None: every LA

_SCOPE: ContextVar[Scope] = ContextVar("safeguarding_la_scope", default=None)


class AccessDenied(PermissionError):
    """An LA outside the caller's access was asked for; the message names it and the allowed LAs."""


def normalise(la_codes: Iterable[str] | None) -> Scope:
    """None stays None (every LA); otherwise a frozenset of 3-digit codes as text."""
    if la_codes is None:
        return None
    codes = frozenset(str(c).strip() for c in la_codes if str(c).strip())
    bad = sorted(c for c in codes if not (c.isdigit() and len(c) == 3))
    if bad:
        raise ValueError(f"LA codes are 3-digit DfE numbers, not {', '.join(bad)}")
    return codes


def current_scope() -> Scope:
    return _SCOPE.get()


def set_scope(la_codes: Iterable[str] | None):
    """Limit this thread or request to these LAs; returns a token for `reset_scope`."""
    return _SCOPE.set(normalise(la_codes))


def reset_scope(token) -> None:
    _SCOPE.reset(token)


@contextmanager
def limited_to(la_codes: Iterable[str] | None) -> Iterator[Scope]:
    token = set_scope(la_codes)
    try:
        yield current_scope()
    finally:
        reset_scope(token)


def intersect(*limits: Iterable[str] | None) -> Scope:
    """The LAs every limit allows (None: no limit)."""
    out: Scope = None
    for limit in limits:
        if limit is not None:
            codes = normalise(limit)
            out = codes if out is None else out & codes
    return out


def allowed_areas(scope: Scope) -> Scope:
    """The area codes a limit allows: its LAs, and `partnership` when they include every member LA."""
    if scope is None:
        return None
    if set(partnership().la_codes) <= scope:
        return scope | {PARTNERSHIP}
    return scope


def check_la(la: str | None) -> None:
    """AccessDenied if `la` is outside the current limit (the partnership: unless it covers every member)."""
    scope = current_scope()
    if scope is None or la is None or la in allowed_areas(scope):  # type: ignore[operator]
        return
    allowed = ", ".join(sorted(scope)) or "none"
    if la == PARTNERSHIP:
        members = ", ".join(partnership().la_codes)
        raise AccessDenied(
            f"the partnership pools LAs {members}, not all within your access (allowed: {allowed})"
        )
    raise AccessDenied(f"LA {la} is outside your access (allowed: {allowed})")


def keep_allowed(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of allowed areas only (a second guard after the SQL views)."""
    allowed = allowed_areas(current_scope())
    if allowed is None or "la_code" not in df.columns:
        return df
    return df[df["la_code"].isin(allowed)]


def limit_cursor(cur: duckdb.DuckDBPyConnection, scope: Scope, tables: tuple[str, ...]) -> None:
    """Shadow each table (which has an la_code column) with a temporary view of the allowed rows (the
    mart's partnership rows too, when the limit covers every member LA)."""
    allowed = allowed_areas(scope)
    if allowed is None:
        return
    cur.execute("CREATE OR REPLACE TEMP TABLE allowed_la_codes (la_code VARCHAR)")
    if allowed:
        cur.executemany("INSERT INTO allowed_la_codes VALUES (?)", [[c] for c in sorted(allowed)])
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cur.execute(
            f"CREATE OR REPLACE TEMP VIEW {quoted} AS SELECT * FROM warehouse.main.{quoted} "
            "WHERE la_code IN (SELECT la_code FROM allowed_la_codes)"
        )


def limited_tables(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Tables of the attached warehouse that carry LA data (an la_code column, not public)."""
    rows = con.execute(
        "SELECT DISTINCT table_name FROM duckdb_columns() WHERE database_name = 'warehouse' "
        "AND schema_name = 'main' AND column_name = 'la_code' ORDER BY 1"
    ).fetchall()
    return tuple(t for (t,) in rows if t not in PUBLIC_TABLES)


def configured_limits() -> dict:
    """The [access] section of safeguarding.toml: ``cli = ["856"]`` limits the command line, and
    ``roles = {board = ["856"]}`` limits every user of a role. Checked, naming the file and key."""
    from vocabulary import settings

    section = settings.section("access")
    where = settings.current().path
    unknown = sorted(set(section) - {"cli", "roles"})
    if unknown:
        raise settings.ConfigError(f"{where}: access.{unknown[0]}: unknown setting (cli or roles)")
    roles = section.get("roles", {})
    if not isinstance(roles, dict):
        raise settings.ConfigError(f"{where}: access.roles: expected a table of role = [LA codes]")
    try:
        return {
            "cli": normalise(section["cli"]) if "cli" in section else None,
            "roles": {role: normalise(codes) for role, codes in roles.items()},
        }
    except (ValueError, TypeError) as exc:
        raise settings.ConfigError(f"{where}: access: {exc}") from None


def user_scope(role: str, user_la_codes: Iterable[str] | None) -> Scope:
    """A signed-in user's LAs: their own limit (users file) and their role's, both applied."""
    return intersect(user_la_codes, configured_limits()["roles"].get(role))
