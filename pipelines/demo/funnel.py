"""The referral funnel: one CIN episode's assessments, enquiries, conferences, plans and reviews."""

from __future__ import annotations

from pipelines.demo.draws import _NEVER, _add_months, _day
from pipelines.demo.params import (
    _ASSESSMENT_MEDIAN_DAYS,
    _ASSESSMENT_MEDIAN_DAYS_SLOW,
    _CATEGORY_CHANGE_CODES,
    _CATEGORY_CHANGE_CUM,
    _CATEGORY_CODES,
    _CATEGORY_CUM,
    _CLOSE_AFTER_CIN_CODES,
    _CLOSE_AFTER_CIN_CUM,
    _CLOSE_AFTER_CP_CODES,
    _CLOSE_AFTER_CP_CUM,
    _COMMONEST_FACTOR,
    _DEATH_P,
    _FACTOR_CODES,
    _FACTOR_CUM,
    _ICPC_TIMELY_P,
    _ICPC_TIMELY_P_LATE,
    _LATE_P,
    _LATE_P_WINDOW,
    _NEED_CIN_CODES,
    _NEED_CIN_CUM,
    _NEED_CP_CODES,
    _NEED_CP_CUM,
    _NEED_LOW_CODES,
    _NEED_LOW_CUM,
    _NO_DISABILITY,
    _SOURCE_CUM,
    LATE_REVIEW_WINDOW,
)


class _Funnel:
    """The episode half of `_History`: what happens after one referral (uses its draws and children)."""

    _w0 = _day(LATE_REVIEW_WINDOW[0])
    _w1 = _day(LATE_REVIEW_WINDOW[1])

    def _icpc_timely_p(self, s47: int) -> float:
        """Chance that the conference is within 15 working days (lower from a member's planted date)."""
        late_from = self.cfg.late_icpc_from
        return _ICPC_TIMELY_P_LATE if late_from and s47 >= _day(late_from) else _ICPC_TIMELY_P

    def _assessment_median(self, start: int) -> float:
        """Median calendar days from an assessment's start to its authorisation."""
        slow_from = self.cfg.slow_assessment_from
        slow = slow_from is not None and start >= _day(slow_from)
        return _ASSESSMENT_MEDIAN_DAYS_SLOW if slow else _ASSESSMENT_MEDIAN_DAYS

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
        auth = start + max(1, int(d.lognormal(self._assessment_median(start), 0.65)))
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
                    if d.u() < self._icpc_timely_p(s47):
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
