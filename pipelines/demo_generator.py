"""Deterministic generator of synthetic DfE CIN census returns, area lookup and ward populations.

Everything about the children is synthetic: identifiers (LAchildID ``DEMO0000001``..., a UPN of
DfE's check letter, the LA code and 9 simulated digits), characteristics and histories are simulated.
Only two things are real: the geography (Trafford's 21 wards, *borrowed* for the demo LA and to be
labelled as borrowed geography) and the LA's 0-17 population totals (ONS mid-year estimates for
Leicester, LA 856).

How it works.  Each LA is simulated once as a continuous-time history, starting four years before
its first collection period so that earlier plans exist (repeat plans, 2-year durations).  Referrals
arrive as a Poisson process proportional to the child population, with school-holiday and weekend
dips; each referral runs through a funnel (no further action, assessment, CIN plan, section 47
enquiry, initial child protection conference, child protection plan with reviews, step-down) and
children are re-referred after closure.  Yearly returns (reference date 31 March) are then cut from
the history: a child is in a return if one of their CIN episodes is open at some point in the
collection period, and no event date after the reference date is written (``InitialCPCtarget`` and
``ExpectedPersonBirthDate`` are targets, not events, and can lie after it).  Output is byte-identical
for the same arguments: all randomness comes from ``numpy.random.default_rng(seed)``.

Planted signals (embedded demo LA only), for the SPC charts to find:

1. Practice change on ``PRACTICE_CHANGE_DATE`` (2021-10-01): from then on the share of child
   protection plan starts that are repeat plans (the child had an earlier plan, so
   ``NumberOfPreviousCPP`` >= 1) steps up from about 18% to about 28%.  Plan starts rise with it.
2. A run of late reviews: child protection reviews falling due in ``LATE_REVIEW_WINDOW``
   (2022-10-01 to 2023-06-30 inclusive) are late, by 5-60 days, about 35% of the time instead of
   the baseline 5% (late by 1-40 days).

Benchmark LAs (``generate_las``, ``generate_single_file``) have no planted signals.
"""

from __future__ import annotations

import csv
import heapq
import json
import re
import zlib
from bisect import bisect_right
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.resources.abc import Traversable
from math import exp, log
from pathlib import Path

import numpy as np

from vocabulary import codes
from vocabulary.reference import reference_file

PRACTICE_CHANGE_DATE = date(2021, 10, 1)
LATE_REVIEW_WINDOW = (date(2022, 10, 1), date(2023, 6, 30))

DEMO_LA = "856"
DEMO_FIRST_YEAR = 2017
DEMO_LAST_YEAR = 2026
DEMO_SEED = 20261123
# In-year Annex A List 7 extracts after the last census return (month ends, April-October 2026).
ANNEX_A_MONTH_ENDS = tuple(date(2026, m, monthrange(2026, m)[1]) for m in range(4, 11))

WARD_GEOJSON = reference_file("boundaries/trafford_wards_2023.geojson")
ONS_POPULATION_CSV = reference_file("ons_mid-year_population_estimates_2012_to_2024.csv")

_EPOCH = date(1970, 1, 1)
_EPOCH_ORD = _EPOCH.toordinal()
_NEVER = 10**7  # "no such date" / "still open": later than any reference date

# Referrals per child aged 0-17 per year (England is about 5.4%).
_REFERRAL_RATE = 5000 / 87_000
# Share of referrals that come from children new to the simulation (the rest are re-referrals).
_NEW_SHARE = 0.74

# Funnel outcome of a referral:
# 0 no further action; 1 assessment then closed; 2 assessment then CIN plan;
# 3 s47, no ICPC, closed; 4 s47, no ICPC, CIN plan; 5 s47, ICPC, no plan (CIN plan);
# 6 s47, ICPC, child protection plan.
_OUTCOME_P = (0.08, 0.40, 0.275, 0.0772, 0.0943, 0.0088, 0.0630)
_REREFERRAL_P = (0.30, 0.33, 0.25, 0.30, 0.25, 0.25, 0.22)
_DEATH_P = (0.0003, 0.0005, 0.001, 0.0008, 0.001, 0.002, 0.004)

_REFERRAL_SOURCES = {
    "1A": 4,
    "1B": 0.3,
    "1C": 0.7,
    "1D": 1,
    "2A": 19,
    "2B": 1,
    "3A": 2,
    "3B": 2,
    "3C": 0.5,
    "3D": 3,
    "3E": 3,
    "3F": 4,
    "4": 2,
    "5A": 8,
    "5B": 3,
    "5C": 2,
    "5D": 3,
    "6": 29,
    "7": 4,
    "8": 3,
    "9": 3,
    "10": 1.5,
}
_NEED_LOW = {"N1": 35, "N2": 3, "N3": 4, "N4": 13, "N5": 15, "N6": 4, "N7": 0.5, "N8": 4, "N9": 12, "N0": 10}
_NEED_CIN = {"N1": 52, "N2": 8, "N3": 5, "N4": 11, "N5": 14, "N6": 3, "N7": 0.5, "N8": 4, "N9": 1.5, "N0": 1}
_NEED_CP = {"N1": 88, "N3": 2, "N4": 3, "N5": 6, "N8": 1}
# No RC8/RC9 after a plan: they mean the case closed after assessment, with no activity (DfE rule 2990).
_CLOSE_AFTER_CIN = {"RC7": 80.5, "RC5": 10, "RC3": 4, "RC4": 4, "RC1": 1.5}
_CLOSE_AFTER_CP = {"RC7": 50, "RC5": 15, "RC3": 10, "RC4": 20, "RC1": 5}
_CATEGORIES = {"NEG": 50, "EMO": 35, "PHY": 7, "SAB": 4, "MUL": 4}
_CATEGORY_CHANGE = {"MUL": 40, "EMO": 30, "NEG": 20, "PHY": 10}
_FACTORS = {
    "1A": 1,
    "1B": 4,
    "1C": 1,
    "2A": 2,
    "2B": 5,
    "2C": 1,
    "3A": 3,
    "3B": 14,
    "3C": 3,
    "4A": 6,
    "4B": 12,
    "4C": 2,
    "5A": 2,
    "5B": 2,
    "5C": 0.5,
    "6A": 2,
    "6B": 1,
    "6C": 0.3,
    "7A": 0.5,
    "8B": 0.2,
    "9A": 0.8,
    "10A": 1.5,
    "11A": 1.2,
    "12A": 0.3,
    "13A": 0.8,
    "14A": 4,
    "15A": 2.5,
    "16A": 10,
    "17A": 10,
    "18B": 2,
    "18C": 0.5,
    "19A": 3,
    "19B": 0.5,
    "20": 4,
    "22A": 0.1,
    "23A": 0.4,
    "24A": 1.5,
}
_DISABILITIES = {
    "AUT": 30,
    "LD": 20,
    "COMM": 12,
    "BEH": 10,
    "MOB": 6,
    "HAND": 5,
    "VIS": 3,
    "HEAR": 4,
    "INC": 3,
    "CON": 4,
    "PC": 3,
}
_DISABLED_P = 0.08

# Age at first referral: unborn, under 1, 1-4, 5-9, 10-15, 16-17 (years, [lo, hi)).
_AGE_BANDS = ((0.0, 1.0), (1.0, 5.0), (5.0, 10.0), (10.0, 16.0), (16.0, 17.75))
_AGE_P_CIN = (0.015, 0.08, 0.17, 0.24, 0.37, 0.125)
_AGE_P_CP = (0.09, 0.11, 0.27, 0.27, 0.23, 0.03)

# Ethnicity of children in the census data.
_ETHNICITY_LEICESTER = {
    "WBRI": 35,
    "WIRI": 0.5,
    "WIRT": 0.2,
    "WOTH": 4.6,
    "WROM": 0.7,
    "MWBC": 3.2,
    "MWBA": 1.2,
    "MWAS": 1.6,
    "MOTH": 2.0,
    "AIND": 25,
    "APKN": 3,
    "ABAN": 2,
    "AOTH": 8,
    "BAFR": 5,
    "BCRB": 1,
    "BOTH": 1,
    "CHNE": 0.5,
    "OOTH": 2.5,
    "REFU": 1,
    "NOBT": 1.5,
}
_ETHNICITY_ENGLAND = {
    "WBRI": 65,
    "WIRI": 0.3,
    "WIRT": 0.4,
    "WOTH": 4,
    "WROM": 0.8,
    "MWBC": 3.2,
    "MWBA": 1,
    "MWAS": 1,
    "MOTH": 2.5,
    "AIND": 1.5,
    "APKN": 4,
    "ABAN": 1.5,
    "AOTH": 2,
    "BAFR": 4,
    "BCRB": 1.5,
    "BOTH": 1.2,
    "CHNE": 0.2,
    "OOTH": 2.6,
    "REFU": 1,
    "NOBT": 2.3,
}
_SEASON = (1.05, 1.05, 1.08, 0.95, 1.05, 1.08, 1.05, 0.72, 1.0, 1.05, 1.08, 0.85)  # Jan..Dec
_WEEKEND = 0.3

# Repeat-plan shares and review lateness.
_REPEAT_SHARE_BEFORE = 0.18
_REPEAT_SHARE_AFTER = 0.28
_LATE_P = 0.05
_LATE_P_WINDOW = 0.38  # drawn; about 35% are seen late (later reviews fall after plan ends)
_ICPC_TIMELY_P = 0.78


def _day(d: date) -> int:
    return d.toordinal() - _EPOCH_ORD


def _add_months(day: int, months: int) -> int:
    d = date.fromordinal(day + _EPOCH_ORD)
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, monthrange(y, m)[1])).toordinal() - _EPOCH_ORD


def _cum(weights) -> list[float]:
    return np.cumsum(np.asarray(list(weights), dtype=float)).tolist()


class _Draws:
    """Buffered scalar draws from one numpy Generator (fast in a Python loop, reproducible)."""

    def __init__(self, rng: np.random.Generator, block: int = 1 << 16):
        self.rng = rng
        self._block = block
        self._u: list[float] = []
        self._ui = 0
        self._z: list[float] = []
        self._zi = 0

    def u(self) -> float:
        i = self._ui
        if i >= len(self._u):
            self._u = self.rng.random(self._block).tolist()
            i = 0
        self._ui = i + 1
        return self._u[i]

    def z(self) -> float:
        i = self._zi
        if i >= len(self._z):
            self._z = self.rng.standard_normal(self._block).tolist()
            i = 0
        self._zi = i + 1
        return self._z[i]

    def cat(self, cum: list[float]) -> int:
        return bisect_right(cum, self.u() * cum[-1])

    def expo(self, mean: float) -> float:
        return -log(1.0 - self.u()) * mean

    def lognormal(self, median: float, sigma: float) -> float:
        return median * exp(sigma * self.z())


@dataclass
class _Config:
    la: str
    id_prefix: str
    pop_by_year: dict[int, int]  # census year (year of the 31 March) -> children aged 0-17
    first_year: int
    last_year: int
    signals: bool
    repeat_share: float  # used when there are no planted signals
    rate_mult: float = 1.0
    ward_cum: list[float] | None = None  # where CIN children live (population x CIN rate)
    ethnicity_cum: list[list[float]] | None = None  # one cumulative code mix per ward
    burn_in_years: int = 4
    sim_end: date | None = None  # simulate past the last census (for in-year Annex A lists)


class _History:
    """One LA's simulated history: children and their CIN episodes."""

    _w0 = _day(LATE_REVIEW_WINDOW[0])
    _w1 = _day(LATE_REVIEW_WINDOW[1])

    def __init__(self, cfg: _Config, rng: np.random.Generator):
        self.cfg = cfg
        self.rng = rng
        self.draws = _Draws(rng)
        self.start = _day(date(cfg.first_year - 1 - cfg.burn_in_years, 4, 1))
        self.end = _day(cfg.sim_end or date(cfg.last_year, 3, 31))
        self.codes_eth = list(_ETHNICITY_LEICESTER)
        # children (parallel lists; index = child number)
        self.birth: list[int] = []
        self.cap18: list[int] = []  # last day before the 18th birthday
        self.death: list[int] = []
        self.expected: list[int] = []  # ExpectedPersonBirthDate, or _NEVER
        self.sex: list[int] = []  # 1 male, 2 female, 9 not specified
        self.ethnicity: list[int] = []
        self.ward: list[int] = []
        self.disability: list[str] = []
        self.nplans: list[int] = []
        self.last_category: list[int] = []
        self.last_close: list[int] = []
        self.last_plan_end: list[int] = []
        self._p_pos: dict[int, int] = {}  # children with at least one plan -> column of _p
        self._p_n = 0
        self._p = np.zeros((6, 1024), dtype=np.int64)
        # episodes: [child, referral, source, need, closure, reason, nfa, icpc,
        #            assessments, cin_plans, s47s, plans]
        self.episodes: list[list] = []
        self._index: tuple[_DateText, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._setup_calendars()
        self.upn_offset = int(rng.integers(0, 10**12))

    def index(self) -> tuple[_DateText, np.ndarray, np.ndarray, np.ndarray]:
        """Date formatter and (referral, closure, child) arrays over episodes, built once."""
        if self._index is None:
            eps, n = self.episodes, len(self.episodes)
            self._index = (
                _DateText(min(self.birth + [self.start]) - 400, self.end + 1000),
                np.fromiter((e[1] for e in eps), dtype=np.int64, count=n),
                np.fromiter((e[4] for e in eps), dtype=np.int64, count=n),
                np.fromiter((e[0] for e in eps), dtype=np.int64, count=n),
            )
        return self._index

    # -- calendars -------------------------------------------------------------------------
    def _setup_calendars(self) -> None:
        lo, hi = self.start - 20, self.end + 500
        days = np.arange(lo, hi)
        is_bd = ((days + 3) % 7) < 5
        self._bd_lo = lo
        self._bd_list = days[is_bd].tolist()
        self._bd_before = (np.cumsum(is_bd) - is_bd).tolist()

    def busday(self, day: int, k: int) -> int:
        return self._bd_list[self._bd_before[day - self._bd_lo] + k]

    # -- population and arrivals -------------------------------------------------------------
    def _pop(self, census_year: int) -> int:
        pops = self.cfg.pop_by_year
        year = min(max(census_year, min(pops)), max(pops))
        return pops[year]

    def _new_referral_days(self) -> np.ndarray:
        days = np.arange(self.start, self.end + 1)
        dt = days.astype("datetime64[D]")
        year = dt.astype("datetime64[Y]").astype(int) + 1970
        month = dt.astype("datetime64[M]").astype(int) % 12 + 1
        cy = year + (month >= 4)
        pop = np.array([self._pop(int(y)) for y in range(int(cy.min()), int(cy.max()) + 1)])
        pop = pop[cy - cy.min()]
        weekday = (days + 3) % 7
        week = np.where(weekday < 5, 1.0, _WEEKEND)
        week = week / week.mean()
        season = np.asarray(_SEASON)[month - 1]
        season = season / np.mean(_SEASON)
        lam = _REFERRAL_RATE * self.cfg.rate_mult * _NEW_SHARE * pop / 365.25 * week * season
        counts = self.rng.poisson(lam)
        return np.repeat(days, counts)

    # -- children ----------------------------------------------------------------------------
    def _new_child(self, t: int, cp: bool) -> int:
        d = self.draws
        band = d.cat(_AGE_CUM_CP if cp else _AGE_CUM_CIN)
        if band == 0:
            birth = t + (45 + int(d.u() * 110) if cp else 30 + int(d.u() * 130))
        else:
            lo, hi = _AGE_BANDS[band - 1]
            birth = t - int((lo + d.u() * (hi - lo)) * 365.25)
        cfg = self.cfg
        ward = d.cat(cfg.ward_cum) if cfg.ward_cum else 0
        eth_cum = cfg.ethnicity_cum[ward if cfg.ward_cum else 0]
        disabled = d.u() < _DISABLED_P
        if disabled:
            n = 1 + (d.u() < 0.3)
            dis = sorted({_DISABILITY_CODES[d.cat(_DISABILITY_CUM)] for _ in range(n)})
        else:
            dis = ["NONE"]
        x = d.u()
        self.birth.append(birth)
        self.cap18.append(_add_months(birth, 216) - 1)
        self.death.append(_NEVER)
        self.expected.append(birth + int(d.z() * 9) if band == 0 else _NEVER)
        if band == 0:  # once drew whether to show a born baby's expected date too (DfE rule 8525Q:
            d.u()  # one or the other); still drawn so that every later draw, and the demo, is unchanged
        self.sex.append(1 if x < 0.517 else (2 if x < 0.997 else 9))
        self.ethnicity.append(d.cat(eth_cum))
        self.ward.append(ward)
        self.disability.append(
            "<Disabilities>" + "".join(f"<Disability>{c}</Disability>" for c in dis) + "</Disabilities>"
        )
        self.nplans.append(0)
        self.last_category.append(-1)
        self.last_close.append(-_NEVER)
        self.last_plan_end.append(-_NEVER)
        return len(self.birth) - 1

    # -- the simulation ----------------------------------------------------------------------
    def run(self) -> _History:
        cfg, d = self.cfg, self.draws
        new_days = self._new_referral_days().tolist()
        n_new = len(new_days)
        change = _day(PRACTICE_CHANGE_DATE)
        if cfg.signals:
            r_before = _REPEAT_SHARE_BEFORE / (1 - _REPEAT_SHARE_BEFORE)
            r_after = _REPEAT_SHARE_AFTER / (1 - _REPEAT_SHARE_AFTER)
        else:
            r_before = r_after = cfg.repeat_share / (1 - cfg.repeat_share)
        r_max = max(r_before, r_after)
        heap: list[tuple[int, int, int, int]] = []  # (day, seq, kind, child); kind 1 reref, 2 repeat
        seq = 0
        i = 0
        end = self.end
        while True:
            if i < n_new and (not heap or new_days[i] <= heap[0][0]):
                t, kind, child = new_days[i], 0, -1
                i += 1
            elif heap:
                t, _, kind, child = heapq.heappop(heap)
            else:
                break
            if kind == 0:
                outcome = d.cat(_OUTCOME_CUM)
                child = self._new_child(t, outcome == 6)
            elif kind == 1:
                if self.death[child] < _NEVER or self.last_close[child] >= t or t > self.cap18[child] - 90:
                    continue
                outcome = d.cat(_OUTCOME_CUM)
                if outcome == 6 and self.nplans[child]:
                    outcome = 5  # repeat plans come only from the repeat stream below
            else:
                r = r_after if t >= change else r_before
                if d.u() * r_max >= r:
                    continue
                child = self._pick_repeat(t)
                if child < 0:
                    continue
                outcome = 6
            first_plan = outcome == 6 and self.nplans[child] == 0
            close = self._episode(child, t, outcome)
            if first_plan and self.nplans[child] and d.u() < r_max:
                seq += 1
                heapq.heappush(heap, (t + 20 + int(d.u() * 60), seq, 2, child))
            if close < end and self.death[child] == _NEVER and d.u() < _REREFERRAL_P[outcome]:
                tr = close + 7 + int(d.expo(200))
                if tr <= end and tr < self.cap18[child] - 90:
                    seq += 1
                    heapq.heappush(heap, (tr, seq, 1, child))
        return self

    def _sync_planned(self, child: int) -> None:
        """Mirror a child who has had a plan into the arrays `_pick_repeat` searches."""
        pos = self._p_pos.get(child)
        if pos is None:
            if not self.nplans[child]:
                return
            pos = self._p_pos[child] = self._p_n
            self._p_n += 1
            if pos >= self._p.shape[1]:
                self._p = np.concatenate([self._p, np.zeros_like(self._p)], axis=1)
        self._p[:, pos] = (
            child,
            self.birth[child],
            self.last_close[child],
            self.death[child],
            self.nplans[child],
            self.last_plan_end[child],
        )

    def _pick_repeat(self, t: int) -> int:
        """A child who had a plan, whose episode has closed, weighted to recent plan ends."""
        n = self._p_n
        if not n:
            return -1
        child, birth, last_close, death, nplans, last_plan_end = self._p[:, :n]
        age = (t - birth) // 366
        ok = (
            (last_close < t - 14)
            & (death == _NEVER)
            & (birth < t - 30)
            & (t - birth < 17 * 365)
            & (nplans <= np.maximum(age, 1))
        )
        if not ok.any():
            return -1
        w = np.where(ok, np.exp(-np.maximum(t - last_plan_end, 0) / 700.0), 0.0)
        cum = np.cumsum(w)
        j = int(np.searchsorted(cum, self.draws.u() * cum[-1], side="right"))
        return int(child[min(j, n - 1)])

    def _late(self, deadline: int) -> int:
        """Days late (>0) or early (<=0) of the review due on `deadline`."""
        d = self.draws
        if self.cfg.signals and self._w0 <= deadline <= self._w1:
            if d.u() < _LATE_P_WINDOW:
                return 5 + int(d.u() * 56)
        elif d.u() < _LATE_P:
            return 1 + int(d.u() * 40)
        return -(1 + int(d.u() ** 1.6 * 35))

    def _plan(self, child: int, start: int) -> tuple:
        d = self.draws
        horizon = self.end + 1
        if d.u() < 0.21:
            dur = 14 + int(d.u() ** 0.8 * 76)
        else:
            dur = int(d.lognormal(345, 0.45))
            if dur < 91:
                dur = 91 + int(d.u() * 60)
        end = start + dur
        birth = self.birth[child]
        if birth > start and end < birth + 30:
            end = birth + 30 + int(d.u() * 60)
        reviews: list[int] = []
        deadline = _add_months(start, 3)
        nxt = _NEVER
        while True:
            r = deadline + self._late(deadline)
            if r > end or r > horizon:
                nxt = r
                break
            reviews.append(r)
            deadline = _add_months(r, 6)
        x = d.u()
        if reviews and x < 0.35 and end < horizon:
            end = reviews[-1]  # ended at a review conference
        elif 0.35 <= x < 0.65 and nxt <= horizon and nxt - end < 120:
            end = nxt
            reviews.append(nxt)
        prev = self.last_category[child]
        if prev >= 0 and d.u() < 0.6:
            initial = prev
        else:
            initial = d.cat(_CATEGORY_CUM)
        latest, change = initial, _NEVER
        if end - start > 120 and d.u() < 0.08:
            latest = d.cat(_CATEGORY_CHANGE_CUM)
            latest = _CATEGORY_CODES.index(_CATEGORY_CHANGE_CODES[latest])
            if latest == initial:
                latest = _CATEGORY_CODES.index("MUL" if initial != 4 else "EMO")
            change = reviews[0] if reviews else start + 90
        return [start, end, initial, latest, change, self.nplans[child], reviews]

    def _assessment(self, start: int, low: bool) -> list:
        d = self.draws
        auth = start + max(1, int(d.lognormal(24, 0.65)))
        review = start + int((auth - start) * (0.3 + 0.4 * d.u())) if d.u() < 0.25 else _NEVER
        if low and d.u() < 0.3:
            factors: tuple[str, ...] = ("21",)
        else:
            n = 1 + min(4, int(d.expo(1.0)))
            factors = tuple(
                sorted({_FACTOR_CODES[d.cat(_FACTOR_CUM)] for _ in range(n)}, key=_FACTOR_CODES.index)
            )
        return [start, review, auth, factors]

    def _cin_plan_length(self, child: int) -> int:
        d = self.draws
        disabled = self.disability[child] != _NO_DISABILITY
        if d.u() < (0.4 if disabled else 0.08):
            return 700 + int(d.u() * 1500)
        return max(14, int(d.lognormal(200, 0.75)))

    def _episode(self, child: int, t: int, outcome: int) -> int:
        d = self.draws
        source = d.cat(_SOURCE_CUM)
        if outcome == 6:
            need = _NEED_CP_CODES[d.cat(_NEED_CP_CUM)]
        elif outcome <= 1 or outcome == 3:
            need = _NEED_LOW_CODES[d.cat(_NEED_LOW_CUM)]
        else:
            need = _NEED_CIN_CODES[d.cat(_NEED_CIN_CUM)]
        if need != "N2" and self.disability[child] != _NO_DISABILITY and outcome in (2, 4):
            if d.u() < 0.5:
                need = "N2"
        assessments: list[list] = []
        cin_plans: list[list] = []
        s47s: list[list] = []
        plans: list[list] = []
        icpc = _NEVER
        if outcome == 0:
            close, reason = t, "RC7"
        else:
            if outcome >= 3:
                s47 = t if d.u() < 0.45 else t + 1 + min(30, int(d.expo(3)))
                a_start = max(t, s47 - int(d.u() * 3))
            else:
                a_start = t if d.u() < 0.35 else t + 1 + min(25, int(d.expo(4)))
            a = self._assessment(a_start, outcome in (1, 3))
            if outcome == 3 and a[3] == ("21",):
                # An enquiry closes as RC7 (RC8 or RC9 with a section 47 is rule 2990), and DfE queries
                # "21 no factors" on an episode's only assessment unless it closes as RC8 or RC9 (8873Q):
                # such an assessment records the commonest factor instead (no draw, so the stream stays).
                a[3] = (_COMMONEST_FACTOR,)
            assessments.append(a)
            auth = a[2]
            if outcome <= 2:
                if outcome == 1:
                    close, reason = auth + int(d.u() * 11), "RC8"
                else:
                    cstart = auth + int(d.u() * 21)
                    close = cstart + self._cin_plan_length(child)
                    cin_plans.append([cstart, close])
                    close += int(d.u() * 6)
                    reason = _CLOSE_AFTER_CIN_CODES[d.cat(_CLOSE_AFTER_CIN_CUM)]
            else:
                target = self.busday(s47, 15)
                if outcome <= 4:
                    decided = s47 + 5 + int(d.u() * 16)
                    s47s.append([s47, target, _NEVER, decided, True])
                    base = max(auth, decided)
                    if outcome == 3:  # RC7, not RC8: RC8 means no activity after the assessment (2990)
                        close, reason = base + int(d.u() * 11), "RC7"
                    else:
                        cstart = base + int(d.u() * 15)
                        close = cstart + self._cin_plan_length(child)
                        cin_plans.append([cstart, close])
                        close += int(d.u() * 6)
                        reason = _CLOSE_AFTER_CIN_CODES[d.cat(_CLOSE_AFTER_CIN_CUM)]
                else:
                    if d.u() < _ICPC_TIMELY_P:
                        k = 15 - min(9, int(d.expo(3)))
                    else:
                        k = 16 + min(45, int(d.expo(7)))
                    icpc = self.busday(s47, k)
                    s47s.append([s47, target, icpc, icpc, False])
                    if outcome == 5:
                        cstart = icpc
                        close = cstart + self._cin_plan_length(child)
                        cin_plans.append([cstart, close])
                        close += int(d.u() * 6)
                        reason = _CLOSE_AFTER_CIN_CODES[d.cat(_CLOSE_AFTER_CIN_CUM)]
                    else:
                        birth = self.birth[child]
                        if birth > t and icpc > birth - 7:  # keep pre-birth conferences pre-birth
                            birth = icpc + 7 + int(d.u() * 60)
                            self.birth[child] = birth
                            self.cap18[child] = _add_months(birth, 216) - 1
                            self.expected[child] = birth + int(d.z() * 9)
                        plan = self._plan(child, icpc)
                        plans.append(plan)
                        pend = plan[1]
                        if d.u() < 0.7:
                            cend = pend + max(14, int(d.lognormal(120, 0.6)))
                            cin_plans.append([pend, cend])
                            close = cend + int(d.u() * 6)
                            reason = _CLOSE_AFTER_CIN_CODES[d.cat(_CLOSE_AFTER_CIN_CUM)]
                        else:
                            close = pend + int(d.u() * 8)
                            reason = _CLOSE_AFTER_CP_CODES[d.cat(_CLOSE_AFTER_CP_CUM)]
            if close - t > 420 and d.u() < 0.4:
                a2 = t + 300 + int(d.u() * (close - t - 330))
                assessments.append(self._assessment(a2, False))
        for a in assessments:  # close no earlier than the last authorisation
            if a[2] > close:
                close = a[2] + int(d.u() * 6)
        cap, cap_reason = self.cap18[child], "RC6"
        birth = self.birth[child]
        if birth <= t and d.u() < _DEATH_P[outcome]:
            death = t + int(d.u() * (close - t + 1))
            if death < cap:
                cap, cap_reason = death, "RC2"
                self.death[child] = death
        ep = [child, t, source, need, close, reason, outcome == 0, icpc, assessments, cin_plans, s47s, plans]
        if close > cap:
            _clip(ep, cap, cap_reason)
        self.episodes.append(ep)
        self.last_close[child] = ep[4]
        for plan in ep[11]:
            self.nplans[child] += 1
            self.last_plan_end[child] = plan[1]
            self.last_category[child] = plan[2]
        self._sync_planned(child)
        return ep[4]


def _clip(ep: list, cap: int, reason: str) -> None:
    """End an episode on `cap` (death or the day before the 18th birthday)."""
    ep[4], ep[5] = cap, reason
    if ep[7] > cap:
        ep[7] = _NEVER
    ep[8] = [[a[0], a[1] if a[1] <= cap else _NEVER, min(a[2], cap), a[3]] for a in ep[8] if a[0] <= cap]
    ep[9] = [[c[0], min(c[1], cap)] for c in ep[9] if c[0] <= cap]
    # An enquiry whose conference would have come after the end is closed as not needing one (rule 8868).
    ep[10] = [
        [s[0], s[1], s[2] if s[2] <= cap else _NEVER, min(s[3], cap), s[4] or s[2] > cap]
        for s in ep[10]
        if s[0] <= cap
    ]
    plans = []
    for p in ep[11]:
        if p[0] > cap:
            continue
        latest = p[3] if p[4] <= cap else p[2]
        plans.append([p[0], min(p[1], cap), p[2], latest, p[4], p[5], [r for r in p[6] if r <= cap]])
    ep[11] = plans


def _codes_cum(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    return list(weights), _cum(weights.values())


_OUTCOME_CUM = _cum(_OUTCOME_P)
_AGE_CUM_CIN = _cum(_AGE_P_CIN)
_AGE_CUM_CP = _cum(_AGE_P_CP)
_SOURCE_CODES, _SOURCE_CUM = _codes_cum(_REFERRAL_SOURCES)
_NEED_LOW_CODES, _NEED_LOW_CUM = _codes_cum(_NEED_LOW)
_NEED_CIN_CODES, _NEED_CIN_CUM = _codes_cum(_NEED_CIN)
_NEED_CP_CODES, _NEED_CP_CUM = _codes_cum(_NEED_CP)
_CLOSE_AFTER_CIN_CODES, _CLOSE_AFTER_CIN_CUM = _codes_cum(_CLOSE_AFTER_CIN)
_CLOSE_AFTER_CP_CODES, _CLOSE_AFTER_CP_CUM = _codes_cum(_CLOSE_AFTER_CP)
_CATEGORY_CODES, _CATEGORY_CUM = _codes_cum(_CATEGORIES)
_CATEGORY_CHANGE_CODES, _CATEGORY_CHANGE_CUM = _codes_cum(_CATEGORY_CHANGE)
_FACTOR_CODES, _FACTOR_CUM = _codes_cum(_FACTORS)
_COMMONEST_FACTOR = max(_FACTORS, key=_FACTORS.__getitem__)
_DISABILITY_CODES, _DISABILITY_CUM = _codes_cum(_DISABILITIES)
_NO_DISABILITY = "<Disabilities><Disability>NONE</Disability></Disabilities>"
assert set(_CATEGORY_CODES) == set(codes.CATEGORY_OF_ABUSE)
assert list(_ETHNICITY_LEICESTER) == list(_ETHNICITY_ENGLAND)
assert set(_ETHNICITY_LEICESTER) == codes.ETHNICITY_CODES


# -- ethnicity mixes ---------------------------------------------------------------------------
def _ethnicity_mix(
    target: dict[str, float], weights: np.ndarray, rng: np.random.Generator, spread: float, fit: bool = True
) -> list[list[float]]:
    """Per-area cumulative code mixes that vary by area; with `fit`, their weighted average is
    `target`."""
    code_list = list(target)
    base = np.array([target[c] for c in code_list], dtype=float)
    base /= base.sum()
    group_of = [codes.ETHNIC_GROUP_OF[c] for c in code_list]
    groups = list(codes.ETHNICITY_GROUPS)
    n = len(weights)
    mult = np.exp(spread * rng.standard_normal((n, len(groups))))
    mult[:, groups.index("Unknown")] = 1.0
    gidx = np.array([groups.index(g) for g in group_of])
    mix = base[None, :] * mult[:, gidx]
    w = weights / weights.sum()
    for _ in range(20 if fit else 0):  # iterative proportional fitting: rows sum to 1, weighted mean = base
        mix /= mix.sum(axis=1, keepdims=True)
        mix *= base / (w @ mix)
    mix /= mix.sum(axis=1, keepdims=True)
    return [np.cumsum(row).tolist() for row in mix]


# -- reference data ----------------------------------------------------------------------------
def _read_wards(path: Path | Traversable = WARD_GEOJSON) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    wards = {(f["properties"]["area_code"], f["properties"]["area_name"]) for f in features}
    return sorted(wards)


def _read_la_population(la_code: str, path: Path | Traversable = ONS_POPULATION_CSV) -> dict[int, int]:
    out: dict[int, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["geographic_level"] == "Local authority" and row["old_la_code"] == la_code:
                out[int(row["time_period"])] = int(row["population_estimate"])
    if not out:
        raise ValueError(f"no ONS 0-17 population for LA {la_code} in {path}")
    return out


def _allocate(total: int, shares: np.ndarray) -> list[int]:
    """Integers proportional to `shares` summing exactly to `total` (largest remainder)."""
    raw = shares / shares.sum() * total
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return base.tolist()


# -- writing returns ---------------------------------------------------------------------------
class _DateText:
    def __init__(self, lo: int, hi: int):
        self.lo = lo
        self.text = np.arange(lo, hi + 1).astype("datetime64[D]").astype(str).tolist()

    def __call__(self, day: int) -> str:
        return self.text[day - self.lo]


def _child_ids(hist: _History) -> list[str]:
    prefix = hist.cfg.id_prefix
    return [f"{prefix}{i + 1:07d}" for i in range(len(hist.birth))]


def upn_check_letter(digits: str) -> str:
    """DfE's UPN check letter for characters 2-13 (rule 1510): weights 2-13, sum mod 23."""
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[sum(int(c) * w for w, c in enumerate(digits, 2)) % 23]


def _write_return(
    path: Path, hist: _History, year: int, ids: list[str], only: set[int] | None = None
) -> set[int]:
    """Cut the return for the year ending 31 March `year`; returns the children written."""
    la = hist.cfg.la
    upn_la = la if la in codes.UPN_LA_CODES else DEMO_LA
    ref = _day(date(year, 3, 31))
    period_start = _day(date(year - 1, 4, 1))
    ds, ep_ref, ep_close, ep_child = hist.index()
    ref_text = ds(ref)
    eps = hist.episodes
    sel = np.nonzero((ep_ref <= ref) & (ep_close >= period_start))[0]
    sel = sel[np.lexsort((sel, ep_child[sel]))]
    use_sex = year >= codes.FIRST_SEX_SPEC_YEAR
    nfa_text = ("1", "0") if year <= 2018 else ("true", "false")
    eth_codes = hist.codes_eth
    written: set[int] = set()
    out: list[str] = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f"<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>"
        f"<ReferenceDate>{ref_text}</ReferenceDate></CollectionDetails><Source>"
        f"<SourceLevel>L</SourceLevel><LEA>{la}</LEA>"
        "<SoftwareCode>safeguarding-demo-generator</SoftwareCode><Release>1</Release>"
        f"<SerialNo>1</SerialNo><DateTime>{ds(ref + 60)}T09:00:00</DateTime></Source></Header>\n"
        "<Children>\n",
    ]
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        k, n = 0, len(sel)
        while k < n:
            child = int(ep_child[sel[k]])
            j = k
            while j < n and ep_child[sel[j]] == child:
                j += 1
            group = sel[k:j]
            k = j
            if only is not None and child not in only:
                continue
            written.add(child)
            birth = hist.birth[child]
            parts = [f"<Child><ChildIdentifiers><LAchildID>{ids[child]}</LAchildID>"]
            if birth <= ref:
                # Characters 2-4 are the issuing LA (DfE rule 1530): the LA itself, or the demo LA
                # for a made-up LA code such as the benchmarks' 999. The multiplier is invertible
                # mod 10**9, so children get distinct UPNs (rule 1520).
                digits = f"{upn_la}{(child * 48271003 + hist.upn_offset) % 10**9:09d}"
                parts.append(
                    f"<UPN>{upn_check_letter(digits)}{digits}</UPN>"
                    f"<PersonBirthDate>{ds(birth)}</PersonBirthDate>"
                )
                sex = hist.sex[child]
            else:
                parts.append(f"<ExpectedPersonBirthDate>{ds(hist.expected[child])}</ExpectedPersonBirthDate>")
                sex = 0
            if use_sex:
                parts.append(f"<Sex>{'UMF'[sex] if sex < 3 else 'U'}</Sex>")
            else:
                parts.append(f"<GenderCurrent>{sex}</GenderCurrent>")
            if hist.death[child] <= ref:
                parts.append(f"<PersonDeathDate>{ds(hist.death[child])}</PersonDeathDate>")
            parts.append(
                f"</ChildIdentifiers><ChildCharacteristics><Ethnicity>"
                f"{eth_codes[hist.ethnicity[child]]}</Ethnicity>"
                f"{hist.disability[child]}</ChildCharacteristics>"
            )
            for e in group:
                _episode_xml(
                    parts, eps[e], ref, ds, nfa_text, year >= codes.FIRST_SEX_SPEC_YEAR, period_start
                )
            parts.append("</Child>\n")
            out.append("".join(parts))
            if len(out) >= 2000:
                fh.write("".join(out))
                out.clear()
        out.append("</Children></Message>\n")
        fh.write("".join(out))
    return written


def _episode_xml(
    parts: list[str],
    ep: list,
    ref: int,
    ds: _DateText,
    nfa_text: tuple[str, str],
    no_19a: bool = False,
    start_of_year: int = 0,
) -> None:
    """One CINdetails as DfE's return has it: modules finished before the census year (an assessment
    authorised, a conference held, a CIN or CP plan ended before `start_of_year`) are left out, as an
    LA's return leaves them out (DfE rules 8696, 8715, 4013, 8930; the earlier return holds them),
    and the conference date is recorded once, on its section 47 enquiry (rule 2884). An episode closed
    as RC8 ("closed after assessment") whose assessment was authorised before the census year has no
    assessment in the return, so it is returned as RC7 (DfE queries RC8 without one: 8825Q)."""
    _, referral, source, need, close, reason, nfa, _icpc, assessments, cin_plans, s47s, plans = ep
    if reason == "RC8" and all(auth < start_of_year for _, _, auth, _ in assessments):
        reason = "RC7"
    parts.append(
        f"<CINdetails><CINreferralDate>{ds(referral)}</CINreferralDate>"
        f"<ReferralSource>{_SOURCE_CODES[source]}</ReferralSource>"
        f"<PrimaryNeedCode>{need}</PrimaryNeedCode>"
    )
    if close <= ref:
        parts.append(
            f"<CINclosureDate>{ds(close)}</CINclosureDate><ReasonForClosure>{reason}</ReasonForClosure>"
        )
    for start, review, auth, factors in assessments:
        if start > ref or auth < start_of_year:
            continue
        parts.append(f"<Assessments><AssessmentActualStartDate>{ds(start)}</AssessmentActualStartDate>")
        if review <= ref:
            parts.append(f"<AssessmentInternalReviewDate>{ds(review)}</AssessmentInternalReviewDate>")
        if auth <= ref:
            parts.append(
                f"<AssessmentAuthorisationDate>{ds(auth)}</AssessmentAuthorisationDate>"
                "<FactorsIdentifiedAtAssessment>"
                + "".join(
                    f"<AssessmentFactors>{f}</AssessmentFactors>"
                    for f in dict.fromkeys("19B" if no_19a and f == "19A" else f for f in factors)
                )
                + "</FactorsIdentifiedAtAssessment>"
            )
        parts.append("</Assessments>")
    for start, end in cin_plans:
        if start > ref or end < start_of_year:
            continue
        parts.append(f"<CINPlanDates><CINPlanStartDate>{ds(start)}</CINPlanStartDate>")
        if end <= ref:
            parts.append(f"<CINPlanEndDate>{ds(end)}</CINPlanEndDate>")
        parts.append("</CINPlanDates>")
    for start, target, s_icpc, decided, not_required in s47s:
        if start > ref or s_icpc < start_of_year or (not_required and decided < start_of_year):
            continue
        parts.append(
            f"<Section47><S47ActualStartDate>{ds(start)}</S47ActualStartDate>"
            f"<InitialCPCtarget>{ds(target)}</InitialCPCtarget>"
        )
        if s_icpc <= ref:
            parts.append(f"<DateOfInitialCPC>{ds(s_icpc)}</DateOfInitialCPC>")
        flag = "true" if not_required and decided <= ref else "false"
        parts.append(f"<ICPCnotRequired>{flag}</ICPCnotRequired></Section47>")
    for start, end, initial, latest, change, nprev, reviews in plans:
        if start > ref or end < start_of_year:
            continue
        parts.append(f"<ChildProtectionPlans><CPPstartDate>{ds(start)}</CPPstartDate>")
        if end <= ref:
            parts.append(f"<CPPendDate>{ds(end)}</CPPendDate>")
        if change > ref:
            latest = initial
        parts.append(
            f"<InitialCategoryOfAbuse>{_CATEGORY_CODES[initial]}"
            f"</InitialCategoryOfAbuse><LatestCategoryOfAbuse>"
            f"{_CATEGORY_CODES[latest]}</LatestCategoryOfAbuse>"
            f"<NumberOfPreviousCPP>{nprev}</NumberOfPreviousCPP>"
        )
        shown = [r for r in reviews if r <= ref]
        if shown:
            parts.append(
                "<Reviews>" + "".join(f"<CPPreviewDate>{ds(r)}</CPPreviewDate>" for r in shown) + "</Reviews>"
            )
        parts.append("</ChildProtectionPlans>")
    parts.append(f"<ReferralNFA>{nfa_text[0] if nfa else nfa_text[1]}</ReferralNFA></CINdetails>")


ANNEX_A_LIST7_HEADERS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age",
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
)
_ANNEX_A_CATEGORY = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
}
_ANNEX_A_GENDER = {1: "a) Male", 2: "b) Female"}


def write_annex_a_list7(path: Path, hist: _History, as_at: date, ids: list[str]) -> set[int]:
    """Ofsted Annex A List 7 as at a date: children on a plan then, or at any time in the six
    months before. Worker names are made up ("Worker 12"); returns the children listed."""
    from openpyxl import Workbook

    ref = _day(as_at)
    year, month = (as_at.year, as_at.month - 6) if as_at.month > 6 else (as_at.year - 1, as_at.month + 6)
    window_start = _day(date(year, month, min(as_at.day, monthrange(year, month)[1])))
    wb = Workbook(write_only=True)
    for n in range(1, 12):  # Annex A has lists 1-11; only List 7 carries data here
        ws = wb.create_sheet(f"List {n}")
        if n == 7:
            ws.append(list(ANNEX_A_LIST7_HEADERS))
            sheet7 = ws
    listed: set[int] = set()
    eth_codes = hist.codes_eth
    for ep in hist.episodes:
        child = ep[0]
        for start, end, initial, latest, change, nprev, reviews in ep[11]:
            if start > ref or end <= window_start:
                continue
            listed.add(child)
            birth = hist.birth[child]
            shown_reviews = [r for r in reviews if r <= ref]
            code = eth_codes[hist.ethnicity[child]]
            sheet7.append(
                [
                    ids[child],
                    _ANNEX_A_GENDER.get(hist.sex[child], "c) Not stated")
                    if birth <= ref
                    else "c) Not stated",
                    f"{chr(97 + sorted(eth_codes).index(code))}) {code}",
                    _as_date(birth) if birth <= ref else None,
                    round((ref - birth) / 365.25, 2) if birth <= ref else None,
                    "a) Yes" if "NONE" not in hist.disability[child] else "b) No",
                    _as_date(start),
                    _ANNEX_A_CATEGORY[_CATEGORY_CODES[initial]],
                    _ANNEX_A_CATEGORY[_CATEGORY_CODES[latest if change <= ref else initial]],
                    _as_date(max(start, ref - 1 - (child % 20))),
                    "a) Yes" if child % 3 else "b) No",
                    _as_date(shown_reviews[-1]) if shown_reviews else None,
                    _as_date(end) if end <= ref else None,
                    "b) No",
                    nprev,
                    f"Locality {1 + hist.ward[child] % 4}",
                    f"Worker {1 + child % 40}",
                ]
            )
    wb.properties.created = wb.properties.modified = datetime(2026, 1, 1)
    wb.save(path)
    _fix_zip_times(path)
    return listed


def _fix_zip_times(path: Path) -> None:
    """Rewrite an xlsx with fixed member timestamps so the output is byte-identical per seed."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    # openpyxl stamps the save time into docProps/core.xml; pin it.
    members = [
        (
            name,
            re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            if name == "docProps/core.xml"
            else data,
        )
        for name, data in members
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            dst.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )


def _as_date(day: int) -> datetime:
    return datetime.fromordinal(day + _EPOCH_ORD)


def _write_text(path: Path, lines: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("".join(lines))


# -- public API --------------------------------------------------------------------------------
def generate_demo(out_dir: Path, *, seed: int = DEMO_SEED) -> list[Path]:
    """The embedded demo LA: LA code '856', 10 census years with reference dates 2017-03-31 ..
    2026-03-31.

    Writes out_dir/cin_census_856_2017.xml ... cin_census_856_2026.xml, out_dir/area_lookup_856.csv,
    out_dir/ward_population_856.csv, the Annex A lists and two CDOP extracts
    (write_cdop_extracts). Returns the written paths (sorted)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    geo_rng = np.random.default_rng([seed, 1])
    la, years = DEMO_LA, range(DEMO_FIRST_YEAR, DEMO_LAST_YEAR + 1)
    ons = _read_la_population(la)
    pop_by_year = {y: ons[min(y, max(ons))] for y in range(min(ons), DEMO_LAST_YEAR + 2)}

    wards = _read_wards()
    n = len(wards)
    size = np.exp(0.32 * geo_rng.standard_normal(n))
    size = np.clip(size / np.median(size), 0.55, 1.7)  # largest ward about 3x the smallest
    cin_rate = np.clip(np.exp(0.45 * geo_rng.standard_normal(n)), 0.4, 2.6)  # deprivation
    drift = 0.012 * geo_rng.standard_normal(n)
    ethnicity_cum = _ethnicity_mix(_ETHNICITY_LEICESTER, size * cin_rate, geo_rng, 0.6)
    cfg = _Config(
        la=la,
        id_prefix="DEMO",
        pop_by_year=pop_by_year,
        first_year=years[0],
        last_year=years[-1],
        signals=True,
        repeat_share=_REPEAT_SHARE_BEFORE,
        ward_cum=_cum(size * cin_rate),
        ethnicity_cum=ethnicity_cum,
        sim_end=ANNEX_A_MONTH_ENDS[-1],
    )
    hist = _History(cfg, rng).run()
    ids = _child_ids(hist)

    paths: list[Path] = []
    seen: set[int] = set()
    for year in years:
        path = out_dir / f"cin_census_{la}_{year}.xml"
        seen |= _write_return(path, hist, year, ids)
        paths.append(path)

    for as_at in ANNEX_A_MONTH_ENDS:
        path = out_dir / f"annex_a_{la}_{as_at.isoformat()}.xlsx"
        seen |= write_annex_a_list7(path, hist, as_at, ids)
        paths.append(path)

    lookup = out_dir / f"area_lookup_{la}.csv"
    _write_text(
        lookup,
        ["LAchildID,area_code,area_name\n"] + [_csv_row(ids[c], *wards[hist.ward[c]]) for c in sorted(seen)],
    )
    ward_pop = out_dir / f"ward_population_{la}.csv"
    rows = ["la_code,area_code,area_name,year,population_0_17\n"]
    for year in years:
        shares = size * np.exp(drift * (year - years[0]))
        for (code, name), value in zip(wards, _allocate(pop_by_year[year], shares), strict=True):
            rows.append(_csv_row(la, code, name, str(year), str(value)))
    _write_text(ward_pop, rows)
    paths += write_cdop_extracts(
        out_dir,
        la=la,
        pop_by_year=pop_by_year,
        ward_codes=[code for code, _ in wards],
        ward_weights=size,
        seed=seed,
    )
    return sorted(paths + [lookup, ward_pop])


def _csv_row(*fields: str) -> str:
    return ",".join(f'"{f}"' if ("," in f or '"' in f) else f for f in fields) + "\n"


def _benchmark_config(
    la: str,
    rng: np.random.Generator,
    first_year: int,
    last_year: int,
    base_population: float,
    burn_in_years: int = 4,
) -> _Config:
    growth = 0.005 + 0.006 * rng.standard_normal()
    pop_by_year = {
        y: int(round(base_population * (1 + growth) ** (y - first_year)))
        for y in range(first_year - burn_in_years - 1, last_year + 1)
    }
    eth = _ethnicity_mix(_ETHNICITY_ENGLAND, np.ones(1), rng, 0.5, fit=False)
    return _Config(
        la=la,
        id_prefix=f"{la}C",
        pop_by_year=pop_by_year,
        first_year=first_year,
        last_year=last_year,
        signals=False,
        repeat_share=float(rng.uniform(0.15, 0.26)),
        rate_mult=float(np.exp(0.25 * rng.standard_normal())),
        ethnicity_cum=eth,
        burn_in_years=burn_in_years,
    )


def generate_las(
    out_dir: Path,
    *,
    la_codes: list[str],
    first_year: int,
    last_year: int,
    seed: int = 1,
    scale: float = 1.0,
    populations: dict[str, float] | None = None,
) -> list[Path]:
    """N LAs x Y years for benchmarks: one file per LA per year named cin_census_<la>_<year>.xml.

    Realistic skew between LAs: the child population of an LA is `populations[la]` when given
    (e.g. ONS 0-17 estimates), otherwise drawn from a lognormal around 75k children; either way
    times `scale`. Each LA's output depends only on (seed, LA code, years, scale, population).
    No area files and no planted signals."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for la in la_codes:
        rng = np.random.default_rng([seed, zlib.crc32(la.encode("utf-8"))])
        drawn = 75_000 * float(np.exp(0.55 * rng.standard_normal() - 0.15))
        population = (populations[la] if populations and la in populations else drawn) * scale
        population = max(population, 200.0)
        hist = _History(_benchmark_config(la, rng, first_year, last_year, population), rng).run()
        ids = _child_ids(hist)
        for year in range(first_year, last_year + 1):
            path = out_dir / f"cin_census_{la}_{year}.xml"
            _write_return(path, hist, year, ids)
            paths.append(path)
    return sorted(paths)


def generate_single_file(
    path: Path, *, n_children: int, la_code: str = "999", reference_year: int = 2025, seed: int = 7
) -> Path:
    """One census return with exactly n_children <Child> elements (for parse benchmarks)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if n_children < 0:
        raise ValueError("n_children must be 0 or more")
    rng = np.random.default_rng([seed, zlib.crc32(la_code.encode("utf-8"))])
    population = max(2000.0, n_children / 0.075 * 1.08)
    while True:
        cfg = _benchmark_config(la_code, rng, reference_year, reference_year, population, burn_in_years=2)
        hist = _History(cfg, rng).run()
        ref = _day(date(reference_year, 3, 31))
        start = _day(date(reference_year - 1, 4, 1))
        in_return = sorted({e[0] for e in hist.episodes if e[1] <= ref and e[4] >= start})
        if len(in_return) >= n_children:
            break
        population *= 1.2 * n_children / max(len(in_return), 1)
    chosen = rng.choice(len(in_return), size=n_children, replace=False)
    only = {in_return[i] for i in chosen.tolist()}
    _write_return(path, hist, reference_year, _child_ids(hist), only=only)
    return path


# -- CDOP extracts (child deaths) ---------------------------------------------------------------
# Two extracts from the demo LA's Child Death Overview Panel (format: docs/cdop-extract-format.md):
# a CSV a year before the last and an XLSX at the end. Deaths arrive at about 30 per 100,000
# children a year (England 2023-24: 29.8), with NCMD's age mix (most in the first year of life);
# reviews are completed at monthly panel meetings, mostly 6-15 months after the death, some much
# later (inquests), so recent deaths form a backlog awaiting review. The second extract corrects
# the category of one death that the first extract already showed as reviewed.
CDOP_EXTRACT_DATES = (date(2025, 9, 30), date(2026, 9, 30))
_CDOP_FIRST_DEATH = date(2016, 1, 1)
_CDOP_RATE_PER_100K = 30.0
# Age at death: (share, youngest and oldest age in days).
_CDOP_AGES = (
    (0.42, 0, 27),
    (0.21, 28, 364),
    (0.10, 365, 1826),
    (0.06, 1827, 3652),
    (0.09, 3653, 5478),
    (0.12, 5479, 6574),
)
# Category of death by age band (same order as _CDOP_AGES).
_CDOP_CATEGORIES = (
    {"PER": 60, "CGC": 30, "INF": 4, "SUD": 2, "ACU": 2, "CHR": 1, "TRA": 1},
    {"CGC": 30, "SUD": 22, "INF": 13, "ACU": 12, "PER": 10, "CHR": 5, "TRA": 5, "DII": 3},
    {"CGC": 20, "MAL": 15, "INF": 15, "ACU": 15, "TRA": 12, "CHR": 10, "SUD": 8, "DII": 5},
    {"MAL": 30, "TRA": 15, "CHR": 15, "CGC": 15, "ACU": 12, "INF": 8, "DII": 5},
    {"MAL": 25, "SUI": 15, "TRA": 15, "CHR": 15, "ACU": 10, "CGC": 10, "INF": 5, "DII": 5},
    {"SUI": 30, "TRA": 30, "MAL": 12, "CHR": 8, "ACU": 8, "CGC": 5, "DII": 5, "INF": 2},
)
_CDOP_UNEXPECTED_P = {
    "DII": 1.0,
    "SUI": 1.0,
    "TRA": 1.0,
    "SUD": 1.0,
    "INF": 0.45,
    "ACU": 0.4,
    "PER": 0.12,
    "CHR": 0.2,
    "CGC": 0.08,
    "MAL": 0.03,
}
_CDOP_MODIFIABLE_P = {
    "DII": 0.9,
    "SUI": 0.7,
    "TRA": 0.7,
    "SUD": 0.6,
    "PER": 0.35,
    "INF": 0.3,
    "ACU": 0.3,
    "CHR": 0.2,
    "CGC": 0.15,
    "MAL": 0.1,
}
_CDOP_HEADERS = (
    "death_id",
    "la_code",
    "date_of_death",
    "age_at_death_days",
    "sex",
    "ethnicity",
    "area_code",
    "notification_date",
    "review_completed_date",
    "place_of_death",
    "expected",
    "sudi",
    "category_of_death",
    "modifiable_factors",
    "stillbirth",
    "panel_notes",
)


def _panel_meeting_on_or_after(d: date) -> date:
    """The panel meets on the second Tuesday of each month."""
    year, month = d.year, d.month
    while True:
        first = date(year, month, 1)
        meeting = first.replace(day=1 + (1 - first.weekday()) % 7 + 7)
        if meeting >= d:
            return meeting
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _cdop_deaths(
    la: str,
    pop_by_year: dict[int, int],
    ward_codes: list[str],
    ward_weights,
    rng: np.random.Generator,
    until: date,
) -> list[dict]:
    eth_codes, eth_cum = _codes_cum(_ETHNICITY_LEICESTER)
    ward_cum = _cum(ward_weights)
    age_cum = _cum(a[0] for a in _CDOP_AGES)
    deaths: list[dict] = []
    month = _CDOP_FIRST_DEATH
    while month <= until:
        days_in = monthrange(month.year, month.month)[1]
        pop = pop_by_year.get(month.year, pop_by_year[max(pop_by_year)])
        for _ in range(int(rng.poisson(_CDOP_RATE_PER_100K * pop / 100_000 / 12))):
            died = month + timedelta(days=int(rng.integers(0, days_in)))
            band = min(bisect_right(age_cum, rng.random() * age_cum[-1]), len(_CDOP_AGES) - 1)
            _, lo, hi = _CDOP_AGES[band]
            codes_, cum = _codes_cum(_CDOP_CATEGORIES[band])
            category = codes_[min(bisect_right(cum, rng.random() * cum[-1]), len(codes_) - 1)]
            unexpected = rng.random() < _CDOP_UNEXPECTED_P[category]
            lag = float(np.exp(np.log(290) + 0.4 * rng.standard_normal()))
            if rng.random() < 0.1:  # awaiting an inquest or a criminal investigation
                lag += float(rng.integers(200, 600))
            place = (
                ("HOSP" if rng.random() < 0.93 else "HOME")
                if band == 0
                else ["HOSP", "HOME", "HOSPICE", "PUBLIC", "ABROAD"][
                    min(bisect_right(_cum([60, 20, 8, 10, 2]), rng.random() * 100), 4)
                ]
            )
            modifiable_draw = rng.random()
            deaths.append(
                {
                    "death_id": f"{la}-CD-{len(deaths) + 1:05d}",
                    "died": died,
                    "age_days": int(rng.integers(lo, hi + 1)),
                    "sex": "M" if rng.random() < 0.56 else "F",
                    "ethnicity": ""
                    if rng.random() < 0.05
                    else eth_codes[
                        min(bisect_right(eth_cum, rng.random() * eth_cum[-1]), len(eth_codes) - 1)
                    ],
                    "area": ""
                    if rng.random() < 0.03
                    else ward_codes[
                        min(bisect_right(ward_cum, rng.random() * ward_cum[-1]), len(ward_codes) - 1)
                    ],
                    "notified": died + timedelta(days=int(rng.geometric(0.55)) - 1),
                    "reviewed": _panel_meeting_on_or_after(died + timedelta(days=int(lag))),
                    "place": place,
                    "expected": "N" if unexpected else "Y",
                    "sudi": "Y" if unexpected and band <= 1 else "N",
                    "category": category,
                    "modifiable": "U"
                    if modifiable_draw < 0.03
                    else ("Y" if modifiable_draw < 0.03 + _CDOP_MODIFIABLE_P[category] else "N"),
                    "stillbirth": "",
                }
            )
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    for n, when in enumerate((date(2018, 7, 3), date(2022, 2, 14))):  # notified in error
        deaths.append(
            {
                "death_id": f"{la}-SB-{n + 1:05d}",
                "died": when,
                "age_days": 0,
                "sex": "F",
                "ethnicity": "",
                "area": "",
                "notified": when,
                "reviewed": None,
                "place": "HOSP",
                "expected": "",
                "sudi": "",
                "category": "",
                "modifiable": "",
                "stillbirth": "Y",
            }
        )
    deaths.sort(key=lambda d: (d["notified"], d["death_id"]))
    return deaths


def _cdop_row(d: dict, la: str, as_at: date, category_override: str | None = None, note: str = "") -> list:
    reviewed = d["reviewed"] is not None and d["reviewed"] <= as_at
    return [
        d["death_id"],
        la,
        d["died"],
        d["age_days"],
        d["sex"],
        d["ethnicity"],
        d["area"],
        d["notified"],
        d["reviewed"] if reviewed else None,
        d["place"],
        d["expected"],
        d["sudi"],
        (category_override or d["category"]) if reviewed else "",
        d["modifiable"] if reviewed else "",
        d["stillbirth"],
        note,
    ]


def write_cdop_extracts(
    out_dir: Path,
    *,
    la: str = DEMO_LA,
    pop_by_year: dict[int, int],
    ward_codes: list[str],
    ward_weights,
    seed: int = DEMO_SEED,
) -> list[Path]:
    """Write cdop_<la>_<date>.csv (first extract) and cdop_<la>_<date>.xlsx (second); returns both.

    The second extract holds every death notified by its date, with reviews completed by then,
    and corrects the category of the death last reviewed before the first extract."""
    from openpyxl import Workbook

    from vocabulary.cdop_codes import CATEGORY_OF_DEATH

    rng = np.random.default_rng([seed, 3])  # its own stream: the census output does not change
    first, second = CDOP_EXTRACT_DATES
    deaths = _cdop_deaths(la, pop_by_year, ward_codes, ward_weights, rng, second)
    reviewed_by_first = [d for d in deaths if d["reviewed"] and d["reviewed"] <= first]
    corrected = max(reviewed_by_first, key=lambda d: (d["reviewed"], d["death_id"]))
    wrong = "ACU" if corrected["category"] != "ACU" else "INF"

    csv_path = out_dir / f"cdop_{la}_{first.isoformat()}.csv"
    lines = [",".join(_CDOP_HEADERS) + "\n"]
    for d in deaths:
        if d["notified"] <= first:
            row = _cdop_row(d, la, first, wrong if d is corrected else None)
            lines.append(
                _csv_row(
                    *("" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in row)
                )
            )
    _write_text(csv_path, lines)

    xlsx_path = out_dir / f"cdop_{la}_{second.isoformat()}.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Child deaths")
    ws.append(list(_CDOP_HEADERS))
    for d in deaths:
        if d["notified"] <= second:
            row = _cdop_row(
                d, la, second, None, "Category corrected after the inquest" if d is corrected else ""
            )
            row[12] = CATEGORY_OF_DEATH.get(row[12], row[12])  # full names: either form is accepted
            ws.append(
                [
                    datetime(v.year, v.month, v.day) if isinstance(v, date) else (v if v != "" else None)
                    for v in row
                ]
            )
    wb.properties.created = wb.properties.modified = datetime(2026, 1, 1)
    wb.save(xlsx_path)
    _fix_zip_times(xlsx_path)
    return [csv_path, xlsx_path]
