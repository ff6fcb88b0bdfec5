"""The one-page PDF guide for board members, from the same text as the dashboard's help panel.

`python -m reports.board_guide dashboard/assets/board-guide.pdf` writes it (weasyprint, A4 portrait)."""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

from indicators import guide

STYLE = """
@page { size: A4 portrait; margin: 14mm 16mm; }
body { font-family: Arial, sans-serif; font-size: 9.5pt; line-height: 1.3; color: #0b0c0c; }
h1 { font-size: 17pt; margin: 0 0 4pt 0; }
p.intro { font-size: 10.5pt; margin: 0 0 8pt 0; }
dt { font-weight: bold; margin-top: 6pt; }
dd { margin: 1pt 0 0 0; }
p.foot { margin-top: 10pt; font-size: 8pt; color: #484949; }
"""


def guide_html() -> str:
    items = "".join(f"<dt>{escape(t)}</dt><dd>{escape(e)}</dd>" for t, e in guide.ITEMS)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Board members\' guide: '
        f"{escape(guide.TITLE.lower())}</title><style>{STYLE}</style></head><body>"
        f"<h1>Board members' guide: {escape(guide.TITLE.lower())}</h1>"
        f'<p class="intro">{escape(guide.INTRO)}</p><dl>{items}</dl>'
        '<p class="foot">Safeguarding partnership dashboard. The same text is in the dashboard\'s '
        '"How to read this page" panel on every indicator page.</p></body></html>'
    )


def write_guide(path: Path) -> Path:
    import weasyprint

    path.parent.mkdir(parents=True, exist_ok=True)
    weasyprint.HTML(string=guide_html()).write_pdf(path)
    return path


if __name__ == "__main__":
    print(write_guide(Path(sys.argv[1])))
