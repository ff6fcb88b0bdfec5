"""One LA's simulated CIN history: referral arrivals, the children and their repeat plans."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date

import numpy as np

from pipelines.demo.draws import _NEVER, _add_months, _DateText, _day, _Draws
from pipelines.demo.funnel import _Funnel
from pipelines.demo.params import (
    _AGE_BANDS,
    _AGE_CUM_CIN,
    _AGE_CUM_CP,
    _DISABILITY_CODES,
    _DISABILITY_CUM,
    _DISABLED_P,
    _ETHNICITY_LEICESTER,
    _NEW_SHARE,
    _OUTCOME_CUM,
    _REFERRAL_RATE,
    _REPEAT_SHARE_AFTER,
    _REPEAT_SHARE_BEFORE,
    _REREFERRAL_P,
    _SEASON,
    _WEEKEND,
    PRACTICE_CHANGE_DATE,
)


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
    # A member LA's planted signal (pipelines/demo_members.py); None leaves the draws as they were.
    late_icpc_from: date | None = None  # fewer conferences within 15 working days from this date
    slow_assessment_from: date | None = None  # slower assessments from this date


class _History(_Funnel):
    """One LA's simulated history: children and their CIN episodes."""

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
