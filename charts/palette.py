"""Colour-blind-safe colours (Okabe-Ito) used by every chart and the RAG badges."""

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
SERIES = [
    OKABE_ITO[k]
    for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "yellow", "black")
]
PRIMARY = OKABE_ITO["blue"]
TARGET = OKABE_ITO["bluish_green"]
CONCERN = OKABE_ITO["vermillion"]
IMPROVING = OKABE_ITO["blue"]
