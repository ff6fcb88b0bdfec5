"""Pure exception logic of the quarterly report (reports/exceptions.py): no warehouse needed."""

from __future__ import annotations

import math

import pytest

from reports.exceptions import (
    Snapshot,
    assess,
    largest_contribution,
    movement_test,
    poisson_p,
    trailing_run,
    trailing_trend,
    two_proportion_p,
)


def snap(**kw) -> Snapshot:
    base = dict(
        indicator_id="cpp_repeat_pct",
        title="Repeat plans",
        unit="percent",
        decimals=1,
        polarity="lower_better_not_zero",
        period="2024-25-Q3",
        value=20.0,
        numerator=20,
        denominator=100,
        target="10–15%",
        rag="green",
        prev_period="2024-25-Q2",
        prev_value=19.0,
        prev_numerator=19,
        prev_denominator=100,
    )
    return Snapshot(**(base | kw))


def test_the_issue_example_reads_in_plain_words():
    values = (10.0,) * 5 + (20.0,) * 7
    s = snap(
        rag="red",
        spc_available=True,
        rules=("shift",),
        direction="concerning",
        variation_icon="special_cause_concerning_high",
        values=values,
        means=(12.0,) * 12,
    )
    a = assess(s)
    assert a.kinds == ["target", "special_cause"]
    assert a.text == (
        "Repeat plans 20.0% against a target of 10–15% (red, off target); "
        "7 quarters in a row above the mean (special cause, concerning)"
    )


def test_green_common_cause_steady_is_not_an_exception():
    a = assess(snap(spc_available=True, variation_icon="common_cause", assurance_icon="hit_and_miss"))
    assert not a.is_exception and a.text == ""


def test_context_special_cause_is_not_an_exception():
    s = snap(
        polarity="context",
        target=None,
        rag="none",
        spc_available=True,
        rules=("outside_limits",),
        direction="neither",
        variation_icon="special_cause_neither_high",
    )
    assert not assess(s).is_exception


def test_improving_special_cause_and_amber_and_assurance_are_exceptions():
    improving = snap(
        spc_available=True,
        rules=("trend",),
        direction="improving",
        variation_icon="special_cause_improving_low",
        values=(9.0, 8, 7, 6, 5, 4, 3),
        means=(6.0,) * 7,
    )
    a = assess(improving)
    assert a.kinds == ["special_cause"]
    assert "7 quarters in a row falling (special cause, improving)" in a.text
    assert assess(snap(rag="amber")).kinds == ["target"]
    assert "amber, close to target" in assess(snap(rag="amber")).text
    failing = assess(snap(assurance_icon="consistently_failing", spc_available=True))
    assert failing.kinds == ["assurance"] and "consistently failing" in failing.text


def test_significant_movement_for_percentages_and_counts():
    moved = assess(snap(numerator=40, denominator=100, value=40.0, prev_numerator=20, prev_value=20.0))
    assert moved.kinds == ["movement"]
    assert (
        "up from 20.0% in 2024-25-Q2, a significant change since last quarter (two-proportion z-test"
        in moved.text
    )
    assert movement_test(snap()).significant is False
    counts = snap(
        unit="count",
        numerator=150,
        value=150.0,
        denominator=None,
        prev_numerator=100,
        prev_denominator=None,
        prev_value=100.0,
        decimals=0,
    )
    m = movement_test(counts)
    assert m.test == "exact Poisson test" and m.significant and m.direction == "up"
    # withheld values and medians are never tested
    assert movement_test(snap(suppressed=True)) is None
    assert movement_test(snap(prev_suppressed=True)) is None
    assert movement_test(snap(statistic="median", unit="days")) is None


def test_tests_match_hand_computations():
    # pooled p = 0.3, se = sqrt(0.3*0.7*(2/100)) = 0.0648; z = 0.2/0.0648 = 3.086 -> p = 0.00203
    assert two_proportion_p(40, 100, 20, 100) == pytest.approx(0.00203, abs=2e-5)
    assert poisson_p(10, 10) == pytest.approx(1.0)
    assert poisson_p(0, 0) is None
    assert poisson_p(30, 10) < 0.01


def test_run_lengths():
    assert trailing_run([1, 5, 5, 5], [3, 3, 3, 3]) == (3, 1)
    assert trailing_run([5, 1, 1], [3, 3, 3]) == (2, -1)
    assert trailing_run([5, 3], [3, 3]) == (0, 0)
    assert trailing_run([5, math.nan, 5], [3, 3, 3]) == (1, 1)
    assert trailing_trend([5, 1, 2, 3, 4]) == (4, 1)
    assert trailing_trend([1, 1]) == (0, 0)


def test_suppressed_value_reads_as_c_and_a_missing_value_is_never_an_exception():
    assert "Repeat plans c against" in assess(snap(suppressed=True, value=None, rag="red")).text
    assert not assess(snap(value=None, rag="red")).is_exception


def test_largest_contribution_prefers_groups_moving_with_the_total():
    prev = {"Asian": 20, "White": 10, "Black": 3}
    cur = {"Asian": 15, "White": 14, "Black": 3}
    assert largest_contribution(prev, cur) == ("Asian", -5.0, -1.0)
    assert largest_contribution(prev, {"Asian": 20, "White": 16, "Black": 3}) == ("White", 6.0, 6.0)
    assert largest_contribution(prev, cur, allowed={"White", "Black"}) == ("White", 4.0, -1.0)
    assert largest_contribution(prev, cur, allowed=set()) is None
