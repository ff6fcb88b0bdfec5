"""Deterministic generators of the synthetic demo data: CIN census returns, Annex A, areas, CDOP, partners.


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

The demo partnership's other members (``safeguarding demo --partnership``, ``pipelines/demo_members.py``,
built by ``generate_las`` with ``signals``) each have one planted signal of their own:

3. Leicestershire (855): from ``LATE_ICPC_FROM`` (2023-04-01) initial conferences are drawn within 15
   working days of the section 47 start about 40% of the time instead of 78% (``icpc_15wd_pct`` falls
   from about 75% to about 41% from 2023-24; Leicester and Rutland stay near 75%).
4. Rutland (857): assessments started from ``SLOW_ASSESSMENT_FROM`` (2022-04-01) take a median of 45
   calendar days to authorisation instead of 24 (``assessment_45wd_pct`` falls from about 89% to about
   67% from 2022-23, and the median working days rise from about 18 to about 33).

These settings change only those LAs: the embedded demo LA's files, and any benchmark LA generated
without ``signals``, are byte-identical to before. Other benchmark LAs (``generate_las``,
``generate_single_file``) have no planted signals.

Where things are: ``params`` (rates, code mixes, planted-signal dates), ``draws`` (day numbers and
buffered random draws), ``history`` and ``funnel`` (the simulation), ``cin_return`` (census XML),
``annex_a`` (Annex A List 7), ``areas`` (wards, populations, area files), ``cdop`` (child death
extracts), ``demo_la`` (``generate_demo``, the embedded LA), ``benchmark`` (``generate_las``,
``generate_single_file``), ``partners`` and ``assurance`` (partner and assurance returns), and
``files`` (byte-stable CSV and xlsx writing).
"""
