"""What counts as an exception at a quarter, and why, in plain words (pure functions, no I/O).

An indicator is an exception at the quarter when any of these holds (each gives one `Reason`):

- ``target``: the RAG against its target is red or amber;
- ``special_cause``: SPC finds special-cause variation at the latest point that is improving or
  concerning (context indicators' "neither" is not an exception), with the rule(s) that fired;
- ``assurance``: the assurance icon says the target will consistently be missed;
- ``withheld`` (board only): the analyst's figures make it an exception for a reason the board's
  withheld figures cannot show (see `withhold_for_board`);
- ``movement``: it moved significantly (95%, two-sided) since the previous quarter: a two-proportion
  z-test for percentages, an exact Poisson test (conditional binomial) for counts and rates;
  medians (days) are not tested.

Funnel limits against statistical neighbours are not assessed: published neighbour figures are annual
values without the numerators and denominators the funnel limits need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

ALPHA = 0.05
RAG_WORDS = {"red": "red, off target", "amber": "amber, close to target"}
PERIOD_WORD = {"quarter": ("quarter", "quarters")}


@dataclass(frozen=True)
class Snapshot:
    """One indicator at the report's quarter, as the role may see it (suppressed values are None)."""

    indicator_id: str
    title: str
    unit: str
    decimals: int
    polarity: str
    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    suppressed: bool = False
    target: str | None = None
    rag: str = "none"
    prev_period: str | None = None
    prev_value: float | None = None
    prev_numerator: float | None = None
    prev_denominator: float | None = None
    prev_suppressed: bool = False
    statistic: str = "ratio"
    denominator_is_population: bool = False
    spc_available: bool = False
    variation_icon: str | None = None
    rules: tuple[str, ...] = ()
    direction: str | None = None  # improving, concerning, neither (latest point)
    assurance_icon: str = "none"
    values: tuple[float, ...] = ()  # the SPC series up to the quarter (for run lengths)
    means: tuple[float, ...] = ()


@dataclass(frozen=True)
class Movement:
    test: str
    p_value: float
    direction: str  # "up" or "down"

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


@dataclass(frozen=True)
class Reason:
    kind: str  # target, special_cause, assurance, movement
    text: str


@dataclass(frozen=True)
class Assessment:
    snapshot: Snapshot
    reasons: list[Reason] = field(default_factory=list)
    movement: Movement | None = None

    @property
    def is_exception(self) -> bool:
        return bool(self.reasons)

    @property
    def kinds(self) -> list[str]:
        return [r.kind for r in self.reasons]

    @property
    def text(self) -> str:
        """The reason in one sentence: 'Repeat plans 20.0% against a target of 10–15% (red, off target);
        7 quarters in a row above the mean (special cause, concerning)'."""
        if not self.reasons:
            return ""
        first, *rest = self.reasons
        lead = (
            first.text
            if first.kind == "target"
            else f"{self.snapshot.title} {fmt_value(self.snapshot)}: {first.text}"
        )
        return "; ".join([lead, *(r.text for r in rest)])


def fmt_number(value: float | None, decimals: int, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:,.{decimals}f}"
    return f"{text}%" if unit == "percent" else text


def fmt_value(s: Snapshot) -> str:
    return "c" if s.suppressed else fmt_number(s.value, s.decimals, s.unit)


def trailing_run(values: Sequence[float], means: Sequence[float]) -> tuple[int, int]:
    """(length, side) of the run of points at the end on one side of the mean (side +1 above, -1 below,
    0 if the last point is on the mean or missing)."""
    side = 0
    n = 0
    for v, m in zip(reversed(list(values)), reversed(list(means)), strict=True):
        if v is None or m is None or math.isnan(v) or math.isnan(m):
            break
        s = int(np.sign(v - m))
        if s == 0 or (side and s != side):
            break
        side, n = s, n + 1
    return n, side


def trailing_trend(values: Sequence[float]) -> tuple[int, int]:
    """(points, direction) of the rising (+1) or falling (-1) run at the end; 7 points = 6 moves."""
    x = [v for v in values]
    direction, moves = 0, 0
    for a, b in zip(reversed(x[:-1]), reversed(x[1:]), strict=True):
        if a is None or b is None or math.isnan(a) or math.isnan(b):
            break
        d = int(np.sign(b - a))
        if d == 0 or (direction and d != direction):
            break
        direction, moves = d, moves + 1
    return (moves + 1 if moves else 0), direction


def rule_words(s: Snapshot) -> list[str]:
    """Each SPC rule that fired at the latest point, in words."""
    word_one, word_many = PERIOD_WORD["quarter"]
    out = []
    run, side = trailing_run(s.values, s.means)
    if not side:
        side = 1 if (s.variation_icon or "").endswith("_high") else -1
    above = "above" if side > 0 else "below"
    for rule in s.rules:
        if rule == "outside_limits":
            out.append(
                f"the latest {word_one} is {'above the upper' if above == 'above' else 'below the lower'} "
                "process limit"
            )
        elif rule == "shift":
            out.append(f"{run} {word_many} in a row {above} the mean")
        elif rule == "trend":
            n, d = trailing_trend(s.values)
            out.append(f"{n} {word_many} in a row {'rising' if d > 0 else 'falling'}")
        elif rule == "two_of_three":
            out.append(f"2 of the last 3 {word_many} {above} the 2-sigma line (near the process limit)")
    return out


def movement_test(s: Snapshot) -> Movement | None:
    """Is the change since the previous quarter significant? None when it cannot be tested."""
    if s.suppressed or s.prev_suppressed or s.statistic != "ratio" or s.prev_period is None:
        return None
    n1, d1, n0, d0 = s.numerator, s.denominator, s.prev_numerator, s.prev_denominator
    if n1 is None or n0 is None or _nan(n1) or _nan(n0):
        return None
    n1, n0 = float(n1), float(n0)
    if s.unit == "percent":
        if d1 is None or d0 is None or _nan(d1) or _nan(d0) or d1 <= 0 or d0 <= 0:
            return None
        p = two_proportion_p(n1, float(d1), n0, float(d0))
        direction = "up" if n1 / float(d1) > n0 / float(d0) else "down"
        return Movement("two-proportion z-test", p, direction) if p is not None else None
    if s.unit in ("count", "rate_per_10k", "rate_per_100k"):
        share = 0.5
        if s.denominator_is_population and d1 and d0 and not _nan(d1) and not _nan(d0):
            share = float(d1) / (float(d1) + float(d0))
        p = poisson_p(n1, n0, share)
        if p is None:
            return None
        rate1, rate0 = (n1 / share, n0 / (1 - share))
        return Movement("exact Poisson test", p, "up" if rate1 > rate0 else "down")
    return None


def _nan(x) -> bool:
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def two_proportion_p(x1: float, n1: float, x0: float, n0: float) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test."""
    pooled = (x1 + x0) / (n1 + n0)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    if se == 0:
        return None
    z = (x1 / n1 - x0 / n0) / se
    return float(2 * stats.norm.sf(abs(z)))


def poisson_p(k1: float, k0: float, share: float = 0.5) -> float | None:
    """Two-sided exact test that two Poisson counts have the same rate, conditional on their total:
    k1 ~ Binomial(k1 + k0, share), share = exposure1 / (exposure1 + exposure0)."""
    total = int(round(k1 + k0))
    if total == 0:
        return None
    return float(stats.binomtest(int(round(k1)), total, share).pvalue)


def assess(s: Snapshot) -> Assessment:
    """Every reason this indicator is an exception at the quarter (an empty list: not an exception)."""
    reasons: list[Reason] = []
    value = fmt_value(s)
    if s.value is None and not s.suppressed:
        return Assessment(s)
    if s.rag in ("red", "amber") and s.target:
        reasons.append(
            Reason("target", f"{s.title} {value} against a target of {s.target} ({RAG_WORDS[s.rag]})")
        )
    if s.spc_available and s.rules and s.direction in ("improving", "concerning"):
        words = rule_words(s)
        reasons.append(Reason("special_cause", f"{'; '.join(words)} (special cause, {s.direction})"))
    if s.assurance_icon == "consistently_failing":
        reasons.append(
            Reason(
                "assurance",
                "the process limits lie wholly outside the target, so it will "
                "consistently be missed without a change (assurance: consistently "
                "failing)",
            )
        )
    move = movement_test(s)
    if move is not None and move.significant:
        before = fmt_number(s.prev_value, s.decimals, s.unit)
        reasons.append(
            Reason(
                "movement",
                f"{'up' if move.direction == 'up' else 'down'} from {before} in "
                f"{s.prev_period}, a significant change since last quarter "
                f"({move.test}, {fmt_p(move.p_value)})",
            )
        )
    return Assessment(s, reasons, move)


WITHHELD_REASON = "exception (value withheld): the reason would reveal small numbers, which are withheld"


def withhold_for_board(board: Assessment, analyst: Assessment) -> Assessment:
    """The board's assessment, which must list every exception the analyst's lists: where the analyst's
    figures give a reason the board's (withheld) figures cannot show, the board reads "exception (value
    withheld)" instead of the reason, which would tell which side of a limit or target a hidden value is."""
    missing = [r for r in analyst.reasons if r.kind not in board.kinds]
    if not missing:
        return board
    return Assessment(board.snapshot, [*board.reasons, Reason("withheld", WITHHELD_REASON)], board.movement)


def fmt_p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def largest_contribution(
    prev: dict[str, float], cur: dict[str, float], allowed: set[str] | None = None
) -> tuple[str, float, float] | None:
    """The group whose numerator change contributes most to the total change: (group, its change, the total
    change). Groups moving with the total are preferred; `allowed` limits the choice (e.g. not withheld)."""
    groups = sorted(set(prev) | set(cur))
    deltas = {g: float(cur.get(g, 0) or 0) - float(prev.get(g, 0) or 0) for g in groups}
    total = sum(deltas.values())
    pool = [g for g in groups if allowed is None or g in allowed]
    if not pool:
        return None
    sign = np.sign(total)
    with_total = [g for g in pool if sign != 0 and np.sign(deltas[g]) == sign]
    best = max(with_total or pool, key=lambda g: (abs(deltas[g]), g))
    return best, deltas[best], total
