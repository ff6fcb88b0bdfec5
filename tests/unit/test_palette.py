"""Chart colours: the Analysis Function palettes, 3:1 against white, and apart for colour-blind readers."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from charts import palette
from charts.figures import benchmark_figure, trend_figure

AF_CATEGORICAL = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
MEANINGS = {
    name: getattr(palette, name)
    for name in ("PRIMARY", "TARGET", "ENGLAND", "COMPARATOR", "IMPROVING", "CONCERN", "NEITHER")
}
# Colours drawn together on one chart: this LA's line with its target, the SPC marks and England.
# (NEITHER only appears for a measure with no better direction, so never beside IMPROVING or CONCERN.)
DRAWN_TOGETHER = [
    ("PRIMARY", "TARGET"),
    ("PRIMARY", "IMPROVING"),
    ("PRIMARY", "CONCERN"),
    ("PRIMARY", "NEITHER"),
    ("IMPROVING", "CONCERN"),
    ("IMPROVING", "TARGET"),
    ("CONCERN", "TARGET"),
    ("NEITHER", "TARGET"),
    ("PRIMARY", "ENGLAND"),
    ("PRIMARY", "COMPARATOR"),
    ("ENGLAND", "COMPARATOR"),
]
# Machado, Oliveira and Fernandes (2009) full-severity colour-vision-deficiency matrices (linear RGB).
CVD = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}
MIN_DELTA_E = 15  # CIE76 difference in CIELAB: clearly different at a glance, not just side by side


def _linear(hex_colour: str) -> list[float]:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def contrast_with_white(hex_colour: str) -> float:
    r, g, b = _linear(hex_colour)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = (min(max(c, 0.0), 1.0) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen_apart(a: str, b: str, matrix=None) -> float:
    """CIE76 colour difference of two colours, as seen with the given colour-vision deficiency."""

    def seen(hex_colour):
        rgb = _linear(hex_colour)
        if matrix is not None:
            rgb = [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix]
        return _lab(rgb)

    return sum((p - q) ** 2 for p, q in zip(seen(a), seen(b), strict=True)) ** 0.5


def test_the_series_colours_are_the_analysis_function_categorical_palette_in_order():
    assert palette.SERIES == AF_CATEGORICAL
    assert palette.SEQUENTIAL == ["#12436D", "#2073BC", "#6BACE6"]
    assert set(MEANINGS.values()) <= set(palette.AF_COLOURS.values())


@pytest.mark.parametrize("colour", sorted(set(AF_CATEGORICAL) | set(MEANINGS.values())))
def test_every_line_and_marker_colour_is_3_to_1_against_white(colour):
    assert contrast_with_white(colour) >= 3.0, colour


def test_the_contrast_check_fails_a_pale_colour():
    assert contrast_with_white("#BFBFBF") < 3.0  # the Analysis Function focus grey, not used for data
    assert contrast_with_white("#000000") == pytest.approx(21.0)


def test_spc_keeps_making_data_count_meanings():
    assert palette.IMPROVING == palette.AF_COLOURS["mid_blue"]  # blue: improving
    assert palette.CONCERN == palette.AF_COLOURS["orange"]  # orange: concerning
    assert palette.NEITHER == palette.AF_COLOURS["light_purple"]  # purple: neither


@pytest.mark.parametrize(("first", "second"), DRAWN_TOGETHER)
def test_colours_drawn_together_stay_apart_for_colour_blind_readers(first, second):
    a, b = MEANINGS[first], MEANINGS[second]
    for vision, matrix in [("typical", None), *CVD.items()]:
        assert seen_apart(a, b, matrix) >= MIN_DELTA_E, (first, second, vision)


def test_the_colour_blind_check_fails_a_red_green_pair():
    red, green = "#D4351C", "#00703C"
    assert seen_apart(red, green) >= MIN_DELTA_E  # apart for typical vision
    assert min(seen_apart(red, green, m) for m in CVD.values()) < MIN_DELTA_E


def _trace_colours(fig) -> list[str]:
    colours = []
    for trace in fig.data:
        for part in (getattr(trace, "line", None), getattr(trace, "marker", None)):
            colour = getattr(part, "color", None) if part is not None else None
            if isinstance(colour, str):
                colours.append(colour)
    return colours


def test_the_trend_and_benchmark_charts_draw_in_these_colours():
    ends = pd.date_range("2022-06-30", periods=8, freq="QE")
    trend = pd.DataFrame(
        {
            "period": [f"Q{i}" for i in range(8)],
            "period_start": ends - pd.offsets.QuarterBegin(startingMonth=1),
            "period_end": ends,
            "value": [10, 11, 12, 11, 30, 10, 1, 11],
        }
    )
    spc = pd.DataFrame(
        {
            "upper": [20.0] * 8,
            "mean": [11.0] * 8,
            "lower": [2.0] * 8,
            "special": [False, False, False, False, True, False, True, False],
            "direction": ["", "", "", "", "concerning", "", "improving", ""],
        }
    )
    fig = trend_figure(trend, "Trend", "percent", 1, spc=spc, targets=[(10.0, 15.0)] * 4 + [12.0] * 4)
    colours = _trace_colours(fig)
    for meaning in ("PRIMARY", "TARGET", "IMPROVING", "CONCERN"):
        assert MEANINGS[meaning] in colours, meaning
    assert all(contrast_with_white(c) >= 3.0 for c in colours), colours
    bench = pd.DataFrame(
        {
            "period": ["2022", "2023", "2022", "2023", "2022", "2023"],
            "time_period": [2022, 2023] * 3,
            "series": ["This LA", "This LA", "England", "England", "Region", "Region"],
            "value": [1.0, 2.0, 1.5, 1.6, 1.2, 1.3],
        }
    )
    assert _trace_colours(benchmark_figure(bench, "Published", "percent")) == [
        palette.PRIMARY,
        palette.ENGLAND,
        palette.COMPARATOR,
    ]


def test_no_pair_of_meanings_shares_a_colour_except_target_and_comparator():
    same = [(a, b) for a, b in itertools.combinations(MEANINGS, 2) if MEANINGS[a] == MEANINGS[b]]
    assert same == [("TARGET", "COMPARATOR")]  # never on one chart: the benchmark chart has no target
