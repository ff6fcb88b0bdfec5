"""Chart colours from the Government Analysis Function's colour-blind-safe palettes, with their meanings."""

# The Analysis Function's colours ("Data visualisation: colours", analysisfunction.civilservice.gov.uk).
AF_COLOURS = {
    "dark_blue": "#12436D",
    "turquoise": "#28A197",
    "dark_pink": "#801650",
    "orange": "#F46A25",
    "dark_grey": "#3D3D3D",
    "light_purple": "#A285D1",
    "mid_blue": "#2073BC",
    "light_blue": "#6BACE6",
}
# Categorical palette, in the Analysis Function's order (adjacent colours contrast with each other).
SERIES = [
    AF_COLOURS[k] for k in ("dark_blue", "turquoise", "dark_pink", "orange", "dark_grey", "light_purple")
]
# Sequential palette, dark (most) to light (least), for ordered bands.
SEQUENTIAL = [AF_COLOURS[k] for k in ("dark_blue", "mid_blue", "light_blue")]
# Not an Analysis Function colour: a paler tint of its light blue, for a fourth ordered band (map quartiles).
PALEST_BLUE = "#BFDDF5"
# Areas with no value (withheld or not published) on the maps, beside the blues.
NO_VALUE = "#D9D9D9"
# The focus palette (dark blue for the highlighted element, grey #BFBFBF for the rest) is not used: its grey
# is 1.8:1 against white, below the 3:1 WCAG asks of chart marks that carry data.

# What the colours mean, the same on every chart. Each of these is at least 3:1 against white (WCAG 2.2
# non-text contrast); tests/unit/test_palette.py checks that, and that the ones drawn together stay
# apart for colour-blind readers.
PRIMARY = AF_COLOURS["dark_blue"]  # this LA's values
TARGET = AF_COLOURS["turquoise"]  # target line or band
ENGLAND = AF_COLOURS["dark_grey"]  # the national comparator
COMPARATOR = AF_COLOURS["turquoise"]  # any other published comparator (charts without a target)
# SPC special causes, in NHS Making Data Count's meanings: blue improving, orange concerning, purple
# neither (a measure with no better direction).
IMPROVING = AF_COLOURS["mid_blue"]
CONCERN = AF_COLOURS["orange"]
NEITHER = AF_COLOURS["light_purple"]
