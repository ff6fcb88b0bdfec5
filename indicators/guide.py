"""How to read the pages: the one text behind the dashboard's help panel and the board members' PDF guide."""

from __future__ import annotations

TITLE = "How to read this page"
INTRO = (
    "Each indicator page opens with one sentence that gives the latest value, the target and whether it "
    "is met, what statistical process control (SPC) says about the trend, and how the published figure "
    "compares with England and with similar LAs. The chart, the breakdown and the comparisons follow."
)
# (term, explanation) pairs, in the order a board member meets them on the page.
ITEMS = [
    (
        "RAG tags",
        "Green: on target. Amber: close to target (within the tolerance the partnership set). Red: off "
        "target. Grey: no target, or the value is withheld. The words are always given, not only the colour.",
    ),
    (
        "Targets and where they come from",
        "Each target says whether it is national, local (set by the partnership) or illustrative. An "
        "illustrative target is made up to show how targets work and is marked so in the chart's key.",
    ),
    (
        "SPC: common cause",
        "The ups and downs are what this process normally produces. Do not read a change into one "
        "quarter's rise or fall.",
    ),
    (
        "SPC: special cause (improving, concerning or neither)",
        "Something has changed: a point beyond the process limits, a run of points on one side of the "
        "average, a run rising or falling, or 2 of 3 points close to a limit. Blue rings on the chart mark "
        "improvement, orange concern, purple a change with no better or worse direction.",
    ),
    (
        "SPC assurance",
        "Consistently passing: every value the process can produce meets the target. Consistently "
        "failing: the target will not be met without a change in practice. Hit and miss: the target lies "
        "within the limits, so it is met or missed by chance.",
    ),
    (
        "What c means",
        "A count from 1 to 5, or a figure built on one, is withheld and shown as c, so that no child can "
        "be identified. Where one value in a table is withheld, another is withheld too, so the total "
        "cannot give it away. The downloads and reports withhold the same values.",
    ),
    (
        "NI64 and D5: two different questions",
        "NI64 (DfE table D7) looks at plans that ENDED in the year and asks how many had lasted 2 years "
        "or more. D5 looks at plans still OPEN at 31 March and asks the same. A fall in one and a rise in "
        "the other is possible and is not a contradiction.",
    ),
    (
        "Published comparisons",
        "England, region and statistical neighbour figures are DfE's published figures for the year "
        "ending 31 March, so they compare a year, not the latest quarter. Quartile band A is the best "
        "quarter of LAs (for measures with no better direction, the lowest). The map of England shows "
        "every LA's band, with this LA and its neighbours outlined.",
    ),
]
PDF_PATH = (
    "/assets/board-guide.pdf"  # made by `python -m reports.board_guide dashboard/assets/board-guide.pdf`
)
